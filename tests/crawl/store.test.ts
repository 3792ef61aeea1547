// The store stage: batched writes in one transaction per turn, the crawl's row opened and closed.
import { describe, expect, it } from 'vitest';
import { crawlSettingsFrom, crawlSite } from '../../src/crawl/crawler.ts';
import { createCrawl, CRAWL_CACHE_KIB, CrawlStore } from '../../src/crawl/store.ts';
import { memoryLogger } from '../../src/util/log.ts';
import { localServer, tempDb } from '../helpers.ts';

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

const page = (id: number) => ({
  id,
  status: 200,
  error: null,
  location: null,
  redirectType: null,
  contentType: 'text/html',
  charset: 'utf-8',
  bytes: 100,
  truncated: null,
  ttfbMs: 1,
  totalMs: 2,
  title: `Page ${id}`,
  titleCount: 1,
  metaDescription: null,
  metaDescriptionCount: 0,
  h1: '[]',
  canonical: null,
  canonicalRaw: null,
  canonicalCount: 0,
  metaRobots: null,
  xRobotsTag: null,
  noindex: 0,
  nofollow: 0,
  hreflang: null,
  lang: null,
  viewport: null,
  wordCount: 3,
  contentHash: 'h',
  simhash: '0',
  fetchedAt: '2026-11-01T09:00:01.000Z',
});

describe('CrawlStore', () => {
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

  it('gives a URL met again the id it already has, and lowers its depth when met nearer the start', () => {
    const { db, store } = setup();
    const a = store.discover('https://studio.example/a', 'page', 5);
    store.discover('https://studio.example/b', 'page', 1);
    expect(store.discover('https://studio.example/a', 'page', 5)).toBe(a);
    expect(store.knownPages()).toBe(2);
    expect(db.prepare(`SELECT depth FROM crawl_urls WHERE id = ?`).pluck().get(a)).toBe(5);
  });

  it('closes the crawl’s row with its page count when no consumer does', () => {
    const { db, store, crawlId } = setup();
    store.inTransaction(() => store.discover('https://studio.example/', 'page', 0));
    const [q] = store.inTransaction(() => store.claim(10, true));
    store.savePage(page(q!.id));
    store.flush();
    store.close('ok', '2026-11-01T09:05:00.000Z');
    expect(
      db
        .prepare(`SELECT status, pages, finished_at AS finishedAt, settings FROM crawls WHERE id = ?`)
        .get(crawlId),
    ).toEqual({
      status: 'ok',
      pages: 1,
      finishedAt: '2026-11-01T09:05:00.000Z',
      settings: '{"maxPages":5}',
    });
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
