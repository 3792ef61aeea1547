// The frontier stage: scope, robots.txt, depth order, the page cap and redirect hops, over the crawl's
// real store on the run's backend (SQLite's fast Frontier, or the data layer's SqlCrawlBackend).
import { describe, expect, it } from 'vitest';
import type { CrawlBackend } from '../../src/crawl/backend.ts';
import { MAX_REDIRECT_HOPS, type FrontierSettings } from '../../src/crawl/frontier.ts';
import type { Outlink } from '../../src/crawl/page-record.ts';
import { Robots } from '../../src/crawl/robots.ts';
import { Scope } from '../../src/crawl/scope.ts';
import { SITEMAP_DEPTH } from '../../src/crawl/store.ts';
import { crawlDb, openCrawlBackend, pageRecord, storedOrder } from './crawl-backend.ts';

const SITE = 'https://studio.example/';

async function setup(over: Partial<FrontierSettings> = {}, robotsTxt = '') {
  const where = await crawlDb();
  const { sql } = where;
  const scope = new Scope(new URL(SITE), {
    include: [],
    exclude: [],
    maxDepth: 20,
    maxQueryVariantsPerPath: 50,
    maxRepeatedSegment: 3,
  });
  const settings = {
    maxPages: 100,
    concurrency: 2,
    robotsToken: 'promowatch',
    checkResources: true,
    checkExternal: false,
    ...over,
  };
  const frontier = await openCrawlBackend(where, {
    startUrl: SITE,
    scope,
    robots: Robots.fromFetch(200, robotsTxt),
    settings,
    now: () => new Date('2026-11-01T00:00:00Z'),
  });
  const rows = () =>
    sql.all<{
      url: string;
      kind: string;
      depth: number;
      state: string;
      reason: string | null;
      inSitemap: number;
    }>(
      `SELECT url, kind, depth, state, skip_reason AS reason, in_sitemap AS "inSitemap" FROM crawl_urls ORDER BY id`,
    );
  /** The start URL, fetched, linking to `outlinks`: how URLs reach the frontier in a crawl. */
  const startLinkingTo = async (outlinks: Outlink[]) => {
    await frontier.seed(SITE);
    const q = (await frontier.next(0))!;
    expect(q.url).toBe(SITE);
    await frontier.save(q, pageRecord(q, { outlinks }), []);
    await frontier.flush();
  };
  return { sql, frontier, rows, startLinkingTo };
}

const link = (url: string, depth: number, via: 'a' | 'resource' = 'a', anchor: string | null = null) => ({
  url,
  via,
  depth,
  link:
    via === 'a'
      ? { kind: 'a', anchor, rel: null, hasAlt: null }
      : { kind: 'img', anchor, rel: null, hasAlt: 0 },
});

const drain = async (f: CrawlBackend) => {
  const out: string[] = [];
  for (let q = await f.next(0); q; q = await f.next(0)) out.push(q.url);
  return out;
};

describe('Frontier', () => {
  it('keeps external links and robots-blocked URLs out of the queue, saying why', async () => {
    const { startLinkingTo, rows } = await setup({}, 'User-agent: *\nDisallow: /private/');
    await startLinkingTo([
      link('https://other.example/', 1),
      link(`${SITE}private/a`, 1),
      link(`${SITE}private/logo.png`, 1, 'resource'),
      link(`${SITE}ok`, 1),
    ]);
    expect((await rows()).map((r) => [r.url, r.kind, r.state, r.reason])).toEqual([
      [SITE, 'page', 'done', null],
      [
        'https://other.example/',
        'external',
        'skipped',
        'external links are not checked (crawl.checkExternal)',
      ],
      [`${SITE}private/a`, 'page', 'blocked', 'blocked by robots.txt'],
      [`${SITE}private/logo.png`, 'resource', 'blocked', 'blocked by robots.txt'],
      [`${SITE}ok`, 'page', 'queued', null],
    ]);
  });

  it('hands out URLs by depth, sitemap-only ones last, each once', async () => {
    const { frontier } = await setup();
    await frontier.seed(SITE);
    await frontier.seedFromSitemaps([`${SITE}from-sitemap`, 'https://other.example/listed']);
    const q = (await frontier.next(0))!;
    await frontier.save(
      q,
      pageRecord(q, { outlinks: [link(`${SITE}deep`, 2), link(`${SITE}near`, 1), link(`${SITE}near`, 1)] }),
      [],
    );
    await frontier.flush();
    expect([q.url, ...(await drain(frontier))]).toEqual([
      SITE,
      `${SITE}near`,
      `${SITE}deep`,
      `${SITE}from-sitemap`,
    ]);
  });

  it('marks sitemap URLs as listed there, at the sitemap depth', async () => {
    const { frontier, rows } = await setup();
    await frontier.seedFromSitemaps([`${SITE}a`]);
    expect(await rows()).toEqual([
      { url: `${SITE}a`, kind: 'page', depth: SITEMAP_DEPTH, state: 'queued', reason: null, inSitemap: 1 },
    ]);
  });

  it('stops handing out pages at maxPages and puts the rest back in the queue', async () => {
    // Three pages: the start page and two of the three it links to.
    const { frontier, startLinkingTo, rows } = await setup({ maxPages: 3 });
    await startLinkingTo(['a', 'b', 'c'].map((p) => link(`${SITE}${p}`, 1)));
    expect(await drain(frontier)).toEqual([`${SITE}a`, `${SITE}b`]);
    expect((await rows()).map((r) => r.state)).toEqual(['done', 'fetching', 'fetching', 'queued']);
  });

  it(`follows a redirect chain at most ${MAX_REDIRECT_HOPS} hops, then skips its target`, async () => {
    const { frontier, sql } = await setup();
    await frontier.seed(`${SITE}r/0`);
    for (let i = 0; i <= MAX_REDIRECT_HOPS; i++) {
      const q = (await frontier.next(0))!;
      expect(q.url).toBe(`${SITE}r/${i}`);
      await frontier.save(q, pageRecord(q, { redirect: `${SITE}r/${i + 1}`, row: { status: 301 } }), []);
      await frontier.flush();
    }
    expect(await frontier.next(0)).toBeUndefined();
    expect(
      await sql.get(`SELECT state, skip_reason FROM crawl_urls WHERE url = ?`, [
        `${SITE}r/${MAX_REDIRECT_HOPS + 1}`,
      ]),
    ).toEqual({ state: 'skipped', skip_reason: `redirect chain longer than ${MAX_REDIRECT_HOPS} hops` });
    expect(await sql.get(`SELECT COUNT(*) AS n FROM crawl_links WHERE kind = 'redirect'`)).toEqual({
      n: MAX_REDIRECT_HOPS + 1,
    });
  });

  it('queues what a page links to and saves the links in the page order', async () => {
    const { startLinkingTo, sql } = await setup();
    await startLinkingTo([link(`${SITE}b`, 1, 'a', 'B'), link(`${SITE}i.png`, 0, 'resource')]);
    expect(
      await sql.all(
        `SELECT u.url, l.kind, l.anchor, u.state FROM crawl_links l JOIN crawl_urls u ON u.id = l.to_id ORDER BY ${storedOrder(sql, 'l')}`,
      ),
    ).toEqual([
      { url: `${SITE}b`, kind: 'a', anchor: 'B', state: 'queued' },
      { url: `${SITE}i.png`, kind: 'img', anchor: null, state: 'queued' },
    ]);
  });
});
