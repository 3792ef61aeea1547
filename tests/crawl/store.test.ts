// The store stage: what a crawl saves is stored, in order, on the run's backend (through the CrawlBackend
// interface: SQLite's fast store, or the data layer's on PostgreSQL); and SQLite's fast store batches its
// writes in one transaction per turn and bounds its page cache while a crawl runs.
import { describe, expect, it } from 'vitest';
import type { CrawlBackend } from '../../src/crawl/backend.ts';
import { crawlSettingsFrom, crawlSite } from '../../src/crawl/crawler.ts';
import type { FrontierSettings } from '../../src/crawl/frontier.ts';
import { Robots } from '../../src/crawl/robots.ts';
import { Scope } from '../../src/crawl/scope.ts';
import { createCrawl, CRAWL_CACHE_KIB, CrawlStore, SITEMAP_DEPTH } from '../../src/crawl/store.ts';
import type { Sql } from '../../src/db/store/types.ts';
import { memoryLogger } from '../../src/util/log.ts';
import { describeSqliteOnly, localServer, tempDb } from '../helpers.ts';
import { crawlDb, openCrawlBackend, pageRecord, pageRow, storedOrder } from './crawl-backend.ts';

const SITE = 'https://studio.example/';
const SETTINGS: FrontierSettings = {
  maxPages: 5,
  concurrency: 4,
  robotsToken: 'promowatch',
  checkResources: true,
  checkExternal: false,
};

async function open(): Promise<{ sql: Sql; backend: CrawlBackend }> {
  const where = await crawlDb();
  const scope = new Scope(new URL(SITE), {
    include: [],
    exclude: [],
    maxDepth: 20,
    maxQueryVariantsPerPath: 50,
    maxRepeatedSegment: 3,
  });
  const backend = await openCrawlBackend(where, {
    startUrl: SITE,
    scope,
    robots: Robots.fromFetch(404, ''),
    settings: SETTINGS,
    now: () => new Date('2026-11-01T09:00:00.000Z'),
  });
  return { sql: where.sql, backend };
}

const link = (url: string, depth: number, anchor: string) => ({
  url,
  via: 'a' as const,
  depth,
  link: { kind: 'a', anchor, rel: null, hasAlt: null },
});

/** The start page, fetched, linking to `paths` at depth 1: their URLs are queued. */
async function startLinkingTo(backend: CrawlBackend, paths: string[]) {
  await backend.seed(SITE);
  const q = (await backend.next(0))!;
  await backend.save(q, pageRecord(q, { outlinks: paths.map((p) => link(`${SITE}${p}`, 1, p)) }), []);
  await backend.flush();
}

describe('the crawl store', () => {
  it('stores every page that workers saved in the same turn, once flushed', async () => {
    const { sql, backend } = await open();
    await startLinkingTo(backend, ['1', '2', '3']);
    const claimed = [await backend.next(3), await backend.next(3), await backend.next(3)];
    await Promise.all(
      claimed.map((q) =>
        backend.save(q!, pageRecord(q!, { row: { title: `Page ${q!.url.slice(-1)}` } }), []),
      ),
    );
    await backend.flush();
    expect(
      (
        await sql.all<{ title: string }>(
          `SELECT title FROM crawl_urls WHERE crawl_id = ? AND state = 'done' AND url <> ? ORDER BY id`,
          [backend.crawlId, SITE],
        )
      ).map((r) => r.title),
    ).toEqual(['Page 1', 'Page 2', 'Page 3']);
  });

  it('stores the links of many pages in the order they were saved', async () => {
    const { sql, backend } = await open();
    const n = 100;
    const paths = Array.from({ length: n }, (_, i) => `${i}`);
    await startLinkingTo(backend, paths);
    const pages = [];
    for (let q = await backend.next(0); q; q = await backend.next(0)) pages.push(q);
    expect(pages).toHaveLength(SETTINGS.maxPages - 1); // the cap holds the rest back
    await Promise.all(
      pages.map((q, i) =>
        backend.save(q, pageRecord(q, { outlinks: [link(`${SITE}${(i + 1) % n}`, 2, `to ${i + 1}`)] }), []),
      ),
    );
    await backend.flush();
    const anchors = await sql.all<{ anchor: string }>(
      `SELECT l.anchor FROM crawl_links l WHERE l.crawl_id = ? ORDER BY ${storedOrder(sql, 'l')}`,
      [backend.crawlId],
    );
    expect(anchors.map((a) => a.anchor)).toEqual([...paths, ...pages.map((_, i) => `to ${i + 1}`)]);
  });

  it('gives a URL met again the id it already has, and lowers a sitemap-only URL’s depth when a link reaches it', async () => {
    const { sql, backend } = await open();
    await backend.seedFromSitemaps([`${SITE}a`]);
    expect(await sql.get(`SELECT depth FROM crawl_urls WHERE url = ?`, [`${SITE}a`])).toEqual({
      depth: SITEMAP_DEPTH,
    });
    await backend.seed(SITE);
    const q = (await backend.next(0))!;
    expect(q.url).toBe(SITE);
    await backend.save(
      q,
      pageRecord(q, {
        outlinks: [link(`${SITE}b`, 1, 'b'), link(`${SITE}a`, 1, 'a'), link(`${SITE}b`, 1, 'b again')],
      }),
      [],
    );
    await backend.flush();
    expect(await backend.knownPages()).toBe(3);
    const rows = await sql.all<{ id: number; url: string; depth: number; inSitemap: number }>(
      `SELECT id, url, depth, in_sitemap AS "inSitemap" FROM crawl_urls WHERE crawl_id = ? ORDER BY id`,
      [backend.crawlId],
    );
    expect(rows.map((r) => [r.url, r.depth, r.inSitemap])).toEqual([
      [`${SITE}a`, 1, 1],
      [SITE, 0, 0],
      [`${SITE}b`, 1, 0],
    ]);
    const b = rows.find((r) => r.url === `${SITE}b`)!.id;
    expect(
      await sql.all(
        `SELECT to_id AS "toId", anchor FROM crawl_links WHERE crawl_id = ? AND to_id = ? ORDER BY anchor`,
        [backend.crawlId, b],
      ),
    ).toEqual([
      { toId: b, anchor: 'b' },
      { toId: b, anchor: 'b again' },
    ]);
  });

  it('closes the crawl’s row with its page count when no consumer does', async () => {
    const { sql, backend } = await open();
    await startLinkingTo(backend, []);
    await backend.close('ok', '2026-11-01T09:05:00.000Z');
    expect(
      await sql.get(`SELECT status, pages, finished_at AS "finishedAt", settings FROM crawls WHERE id = ?`, [
        backend.crawlId,
      ]),
    ).toEqual({
      status: 'ok',
      pages: 1,
      finishedAt: '2026-11-01T09:05:00.000Z',
      settings: JSON.stringify(SETTINGS),
    });
  });
});

function setup() {
  const { db } = tempDb();
  const crawlId = createCrawl(db, {
    siteId: null,
    runId: null,
    startUrl: 'https://studio.example/',
    startedAt: '2026-11-01T09:00:00.000Z',
    settings: { maxPages: 5 },
  });
  return { db, crawlId, store: new CrawlStore(db, crawlId) };
}

const page = (id: number) => pageRow(id);

describeSqliteOnly('batching, buffering and the page cache of the SQLite fast store', 'CrawlStore', () => {
  it('runs what many workers asked for in the same turn in one transaction, and buffers the rows', async () => {
    const { db, store, crawlId } = setup();
    const ids = store.inTransaction(() =>
      [1, 2, 3].map((n) => store.discover(`https://studio.example/${n}`, 'page', 1)),
    );
    let transactions = 0;
    const inner = db.transaction.bind(db);
    db.transaction = ((fn: () => unknown) => inner(() => (transactions++, fn()))) as typeof db.transaction;
    await Promise.all(ids.map((id) => store.write(() => store.savePage(page(id)))));
    db.transaction = inner;
    expect(transactions).toBe(1);
    const done = () =>
      db
        .prepare(`SELECT title FROM crawl_urls WHERE crawl_id = ? AND state = 'done' ORDER BY id`)
        .pluck()
        .all(crawlId);
    expect(done()).toEqual([]); // buffered until FLUSH_PAGES pages, or flush()
    store.flush();
    expect(done()).toEqual(['Page 1', 'Page 2', 'Page 3']);
  });

  it(`writes the buffered rows once ${CrawlStore.FLUSH_PAGES} pages are waiting, links in their order`, async () => {
    const { db, store, crawlId } = setup();
    const n = CrawlStore.FLUSH_PAGES;
    const ids = store.inTransaction(() =>
      Array.from({ length: n }, (_, i) => store.discover(`https://studio.example/${i}`, 'page', 1)),
    );
    await Promise.all(
      ids.map((id, i) =>
        store.write(() => {
          store.savePage(page(id));
          store.saveLink({
            fromId: id,
            toId: ids[(i + 1) % n]!,
            kind: 'a',
            anchor: `to ${i + 1}`,
            rel: null,
            hasAlt: null,
          });
        }),
      ),
    );
    expect(
      db
        .prepare(`SELECT COUNT(*) FROM crawl_urls WHERE crawl_id = ? AND state = 'done'`)
        .pluck()
        .get(crawlId),
    ).toBe(n);
    const anchors = db
      .prepare(`SELECT anchor FROM crawl_links WHERE crawl_id = ? ORDER BY rowid`)
      .pluck()
      .all(crawlId);
    expect(anchors).toEqual(Array.from({ length: n }, (_, i) => `to ${i + 1}`));
  });

  it('caps SQLite’s page cache while a crawl and its consumer run, and puts it back after', async () => {
    const { db } = tempDb();
    const before = db.pragma('cache_size', { simple: true });
    const base = await localServer((req, res) => {
      res
        .writeHead(200, { 'content-type': 'text/html' })
        .end(req.url === '/' ? '<a href="/a">a</a><a href="/b">b</a>' : '<title>page</title>');
    });
    const seen: unknown[] = [];
    await crawlSite(
      {
        db,
        now: () => new Date('2026-11-01T09:00:00Z'),
        log: memoryLogger(),
        consumer: {
          page: () => (seen.push(db.pragma('cache_size', { simple: true })), []),
          end: () => void seen.push(db.pragma('cache_size', { simple: true })),
        },
      },
      { siteId: null, startUrl: base, settings: crawlSettingsFrom({ useSitemaps: false }) },
    );
    expect(seen).toEqual([-CRAWL_CACHE_KIB, -CRAWL_CACHE_KIB, -CRAWL_CACHE_KIB, -CRAWL_CACHE_KIB]);
    expect(before).not.toBe(-CRAWL_CACHE_KIB);
    expect(db.pragma('cache_size', { simple: true })).toBe(before);
  });
});
