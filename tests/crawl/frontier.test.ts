// The frontier stage: scope, robots.txt, depth order, the page cap and redirect hops, over a real store.
import { describe, expect, it } from 'vitest';
import { Frontier, MAX_REDIRECT_HOPS } from '../../src/crawl/frontier.ts';
import { Robots } from '../../src/crawl/robots.ts';
import { Scope } from '../../src/crawl/scope.ts';
import { createCrawl, CrawlStore, SITEMAP_DEPTH } from '../../src/crawl/store.ts';
import { tempDb } from '../helpers.ts';

const SITE = 'https://studio.example/';

function setup(over: Partial<ConstructorParameters<typeof Frontier>[3]> = {}, robotsTxt = '') {
  const { db } = tempDb();
  const crawlId = createCrawl(db, {
    siteId: null,
    runId: null,
    startUrl: SITE,
    startedAt: '2026-11-01T00:00:00Z',
    settings: {},
  });
  const store = new CrawlStore(db, crawlId);
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
  const frontier = new Frontier(store, scope, Robots.fromFetch(200, robotsTxt), settings);
  const rows = () =>
    db
      .prepare(
        `SELECT url, kind, depth, state, skip_reason AS reason, in_sitemap AS inSitemap FROM crawl_urls ORDER BY id`,
      )
      .all() as {
      url: string;
      kind: string;
      depth: number;
      state: string;
      reason: string | null;
      inSitemap: number;
    }[];
  return { db, store, frontier, rows };
}

const drain = (f: Frontier) => {
  const out: string[] = [];
  for (let q = f.next(0); q; q = f.next(0)) out.push(q.url);
  return out;
};

describe('Frontier', () => {
  it('keeps external links and robots-blocked URLs out of the queue, saying why', () => {
    const { frontier, store, rows } = setup({}, 'User-agent: *\nDisallow: /private/');
    store.inTransaction(() => {
      frontier.discover('https://other.example/', 'a', 1);
      frontier.discover(`${SITE}private/a`, 'a', 1);
      frontier.discover(`${SITE}private/logo.png`, 'resource', 1);
      frontier.discover(`${SITE}ok`, 'a', 1);
    });
    expect(rows().map((r) => [r.url, r.kind, r.state, r.reason])).toEqual([
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

  it('hands out URLs by depth, sitemap-only ones last, each once', () => {
    const { frontier, store } = setup();
    frontier.seed(SITE);
    frontier.seedFromSitemaps([`${SITE}from-sitemap`, 'https://other.example/listed']);
    store.inTransaction(() => {
      frontier.discover(`${SITE}deep`, 'a', 2);
      frontier.discover(`${SITE}near`, 'a', 1);
      frontier.discover(`${SITE}near`, 'a', 1);
    });
    expect(drain(frontier)).toEqual([SITE, `${SITE}near`, `${SITE}deep`, `${SITE}from-sitemap`]);
  });

  it('marks sitemap URLs as listed there, at the sitemap depth', () => {
    const { frontier, rows } = setup();
    frontier.seedFromSitemaps([`${SITE}a`]);
    expect(rows()).toEqual([
      { url: `${SITE}a`, kind: 'page', depth: SITEMAP_DEPTH, state: 'queued', reason: null, inSitemap: 1 },
    ]);
  });

  it('stops handing out pages at maxPages and puts the rest back in the queue', () => {
    const { frontier, store, rows } = setup({ maxPages: 2 });
    store.inTransaction(() => {
      for (const p of ['a', 'b', 'c']) frontier.discover(`${SITE}${p}`, 'a', 1);
    });
    expect(drain(frontier)).toEqual([`${SITE}a`, `${SITE}b`]);
    expect(rows().map((r) => r.state)).toEqual(['fetching', 'fetching', 'queued']);
  });

  it(`follows a redirect chain at most ${MAX_REDIRECT_HOPS} hops, then skips its target`, () => {
    const { frontier, store, db } = setup();
    frontier.seed(`${SITE}r/0`);
    for (let i = 0; i <= MAX_REDIRECT_HOPS; i++) {
      const q = frontier.next(0)!;
      expect(q.url).toBe(`${SITE}r/${i}`);
      store.inTransaction(() => frontier.follow(q, `${SITE}r/${i + 1}`, []));
      store.flush();
    }
    expect(frontier.next(0)).toBeUndefined();
    expect(
      db
        .prepare(`SELECT state, skip_reason FROM crawl_urls WHERE url = ?`)
        .get(`${SITE}r/${MAX_REDIRECT_HOPS + 1}`),
    ).toEqual({ state: 'skipped', skip_reason: `redirect chain longer than ${MAX_REDIRECT_HOPS} hops` });
    expect(db.prepare(`SELECT COUNT(*) FROM crawl_links WHERE kind = 'redirect'`).pluck().get()).toBe(
      MAX_REDIRECT_HOPS + 1,
    );
  });

  it('queues what a page links to and saves the links in the page order', () => {
    const { frontier, store, db } = setup();
    frontier.seed(SITE);
    const q = frontier.next(0)!;
    store.inTransaction(() =>
      frontier.follow(q, null, [
        { url: `${SITE}b`, via: 'a', depth: 1, link: { kind: 'a', anchor: 'B', rel: null, hasAlt: null } },
        {
          url: `${SITE}i.png`,
          via: 'resource',
          depth: 0,
          link: { kind: 'img', anchor: null, rel: null, hasAlt: 0 },
        },
      ]),
    );
    store.flush();
    expect(
      db
        .prepare(
          `SELECT u.url, l.kind, l.anchor FROM crawl_links l JOIN crawl_urls u ON u.id = l.to_id ORDER BY l.rowid`,
        )
        .all(),
    ).toEqual([
      { url: `${SITE}b`, kind: 'a', anchor: 'B' },
      { url: `${SITE}i.png`, kind: 'img', anchor: null },
    ]);
  });
});
