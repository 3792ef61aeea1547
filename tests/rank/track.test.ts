// The tracking engine with in-process providers: schedules, quotas, failure states, stored pages, visibility.
import { describe, expect, it } from 'vitest';
import type { Sql } from '../../src/db/store/types.ts';
import { keywordTable } from '../../src/rank/keyword-table.ts';
import {
  createSearchConsoleProvider,
  googleSearchConsole,
} from '../../src/rank/providers/google-search-console.ts';
import { serpApi } from '../../src/rank/providers/serpapi.ts';
import { addCompetitor, insertKeywords, lastPull, listKeywords } from '../../src/rank/store.ts';
import { observeStats, trackSite, type RankSettings, type TrackDeps } from '../../src/rank/track.ts';
import {
  ProviderError,
  type Keyword,
  type QueryStat,
  type SerpPage,
  type SerpProvider,
  type StatsProvider,
} from '../../src/rank/types.ts';
import { CTR_CURVES, shareOfVoice, visibilitySeries } from '../../src/rank/visibility.ts';
import { FakeClock, localServer, siteByName, testConfig, testStoreDeps } from '../helpers.ts';
import { searchConsoleHandler } from '../../src/demo/servers/google-search-console.ts';
import { numberedResults, serpApiHandler, type SerpApiRequestLog } from '../servers/serpapi.ts';

const SITE = 'https://studio.example/';

/** The first column of each row (what better-sqlite3's .pluck() gave), on either backend. */
async function column(sql: Sql, query: string): Promise<unknown[]> {
  return (await sql.all<Record<string, unknown>>(query)).map((r) => Object.values(r)[0]);
}

async function setup(providers: TrackDeps['providers'], configExtra: Record<string, unknown> = {}) {
  const config = testConfig({
    sites: [{ name: 'studio', baseUrl: SITE, timeZone: 'Europe/Moscow' }],
    providers: {
      serpApi: { apiKey: { env: 'SERPAPI_KEY' }, dailyQuota: 3 },
      googleSearchConsole: {
        refreshToken: { env: 'GSC_TOKEN' },
        clientId: 'id',
        clientSecret: { env: 'GSC_SECRET' },
      },
    },
    ...configExtra,
  });
  const clock = new FakeClock(Date.parse('2026-11-20T09:00:00Z'));
  const base = await testStoreDeps(config, clock);
  const { sql } = base;
  const site = (await siteByName(sql, 'studio'))!;
  const deps: TrackDeps = {
    ...base,
    runId: null,
    secret: (ref) => `secret-of-${ref.env}`,
    providers,
    sleep: async () => {},
    browserPause: async () => {},
  };
  const ids = await insertKeywords(
    sql,
    site.id,
    [
      {
        query: 'motion design studio',
        engine: 'google',
        device: 'desktop',
        gl: 'us',
        hl: 'en',
        volume: 1000,
        tags: ['en'],
        targetUrl: `${SITE}motion/`,
      },
      {
        query: 'видеопродакшн москва',
        engine: 'google',
        device: 'desktop',
        gl: 'ru',
        hl: 'ru',
        volume: 3000,
        tags: ['ru'],
      },
      {
        query: 'студия "моушн" 🎬',
        engine: 'google',
        device: 'mobile',
        gl: 'ru',
        hl: 'ru',
        volume: 10,
        tags: ['ru'],
      },
      { query: 'видеопродакшн москва', engine: 'yandex', device: 'desktop', lr: 213, volume: 5000 },
    ],
    clock.now(),
  );
  return { sql, config, clock, deps, site, ids };
}

const page = (urls: string[], depth = 100): SerpPage => ({
  depth,
  items: urls.map((url, i) => ({ position: i + 1, url, title: `t${i}` })),
  raw: JSON.stringify(urls),
});

function serpProvider(
  answer: (k: Keyword, n: number) => SerpPage | Error,
): SerpProvider & { calls: string[] } {
  const calls: string[] = [];
  return {
    ...serpApi,
    capabilities: { ...serpApi.capabilities, engines: ['google', 'yandex'] },
    calls,
    async fetchPositions(k, deps) {
      calls.push(k.query);
      deps.onRequest?.();
      const a = answer(k, calls.length - 1);
      if (a instanceof Error) throw a;
      return a;
    },
  };
}

const settings = (p: Partial<RankSettings> = {}): RankSettings =>
  ({ providers: [{ use: 'serpapi', schedule: '0 6 * * *' }], ...p }) as RankSettings;

describe('trackSite()', () => {
  it('stores ranked, not-in-top and failed observations, never a position for a failure', async () => {
    const provider = serpProvider((k, n) => {
      if (n === 0)
        return page([
          'https://rival.example/a',
          'https://www.studio.example/motion/',
          'https://other.example/',
        ]);
      if (n === 1) return page(['https://rival.example/b'], 100);
      return new ProviderError('serpapi', 'malformed', 'answered with malformed JSON');
    });
    const { sql, deps, site } = await setup([provider], { providers: { serpApi: { apiKey: { env: 'K' } } } });
    const out = await trackSite(deps, site, settings());
    expect(out[0]).toMatchObject({
      provider: 'serpapi',
      ranked: 1,
      notInTop: 1,
      failed: 2,
      status: 'partial',
    });
    const rows = await sql.all<{
      query: string;
      state: string;
      position: number | null;
      error: string | null;
    }>(
      'SELECT k.query, o.state, o.position, o.error FROM rank_observations o JOIN keywords k ON k.id = o.keyword_id ORDER BY k.id, k.engine',
    );
    expect(rows.map((r) => [r.state, r.position])).toEqual([
      ['ranked', 2],
      ['not-in-top', null],
      ['failed', null],
      ['failed', null],
    ]);
    expect(rows[2]!.error).toContain('malformed JSON');
    expect(
      await column(sql, "SELECT DISTINCT error_kind FROM rank_observations WHERE state = 'failed'"),
    ).toEqual(['malformed']);
    expect(
      await column(sql, "SELECT DISTINCT error_kind FROM rank_observations WHERE state != 'failed'"),
    ).toEqual([null]);
    // The failed keyword's day is unknown: the index is computed from the two observed keywords only.
    const vis = await visibilitySeries(sql, site.id, ['2026-11-20'], { curve: CTR_CURVES.sistrix });
    expect(vis[0]).toMatchObject({ observed: 2, top3: 1, notInTop: 1 });
    expect(vis[0]!.index).toBeCloseTo((100 * 1000 * 0.157) / (1000 + 3000), 1);
  });

  it('stops a provider after an expired token and carries on with the others', async () => {
    const serp = serpProvider(() => new ProviderError('serpapi', 'auth', '401 Invalid API key'));
    const stats: StatsProvider = {
      ...googleSearchConsole,
      async fetchPositions(req) {
        expect(req.property).toBe(SITE);
        return [
          {
            day: '2026-11-19',
            query: 'Motion  design studio',
            page: `${SITE}motion/`,
            device: 'DESKTOP',
            country: 'usa',
            clicks: 3,
            impressions: 100,
            position: 4.44,
          },
        ];
      },
    };
    const { sql, deps, site } = await setup([serp, stats]);
    const out = await trackSite(
      deps,
      site,
      settings({
        providers: [
          { use: 'serpapi', schedule: '0 6 * * *' },
          { use: 'gsc', schedule: '0 6 * * *' },
        ],
      } as Partial<RankSettings>),
    );
    expect(serp.calls).toHaveLength(1);
    expect(out[0]).toMatchObject({ status: 'failed', failed: 1, deferred: 3 });
    expect(out[0]!.error).toMatch(/Invalid API key.*3 keyword\(s\) not asked/);
    expect(out[1]).toMatchObject({ status: 'ok', stats: 1, ranked: 1 });
    const gsc = await sql.get("SELECT position, url FROM rank_observations WHERE source = 'gsc'");
    expect(gsc).toEqual({ position: 4.4, url: `${SITE}motion/` });
  });

  it('keeps to the daily quota from the config and defers the rest', async () => {
    const provider = serpProvider(() => page(['https://studio.example/']));
    const { deps, site, sql } = await setup([provider]);
    const out = await trackSite(deps, site, settings());
    expect(provider.calls).toHaveLength(3);
    expect(out[0]).toMatchObject({ requests: 3, deferred: 1, status: 'partial' });
    expect(
      (await column(sql, "SELECT requests FROM rank_provider_usage WHERE provider = 'serpapi'"))[0],
    ).toBe(3);
  });

  it('waits once when rate-limited, then succeeds', async () => {
    const waits: number[] = [];
    const provider = serpProvider((_k, n) =>
      n === 0 ? new ProviderError('serpapi', 'rate-limit', '429', 1500) : page(['https://studio.example/']),
    );
    const { deps, site } = await setup([provider], { providers: { serpApi: { apiKey: { env: 'K' } } } });
    deps.sleep = async (ms) => void waits.push(ms);
    const out = await trackSite(deps, site, settings());
    expect(waits).toEqual([1500]);
    expect(out[0]).toMatchObject({ ranked: 4, failed: 0, status: 'ok' });
  });

  it('pulls each provider on its own schedule unless forced', async () => {
    const provider = serpProvider(() => page(['https://studio.example/']));
    const { deps, site, clock } = await setup([provider], {
      providers: { serpApi: { apiKey: { env: 'K' } } },
    });
    await trackSite(deps, site, settings());
    clock.advance(60 * 60_000); // 10:00 UTC = 13:00 Moscow; the next 06:00 is tomorrow
    expect((await trackSite(deps, site, settings()))[0]!.status).toBe('not-due');
    expect((await trackSite(deps, site, settings(), { force: true }))[0]!.status).toBe('ok');
    clock.advance(24 * 60 * 60_000);
    expect((await trackSite(deps, site, settings()))[0]!.status).toBe('ok');
  });

  it('records an empty result page as a failure, not as "not in top"', async () => {
    const provider = serpProvider(() => page([]));
    const { sql, deps, site } = await setup([provider], { providers: { serpApi: { apiKey: { env: 'K' } } } });
    await trackSite(deps, site, settings());
    const states = await sql.all('SELECT DISTINCT state, error, error_kind FROM rank_observations');
    expect(states).toEqual([
      { state: 'failed', error: 'the result page had no organic results', error_kind: 'no-results' },
    ]);
  });

  it('a failure the same day does not overwrite what the source already saw', async () => {
    let fail = false;
    const provider = serpProvider(() =>
      fail ? new ProviderError('serpapi', 'http', 'HTTP 500') : page(['https://studio.example/x']),
    );
    const { sql, deps, site } = await setup([provider], { providers: { serpApi: { apiKey: { env: 'K' } } } });
    await trackSite(deps, site, settings());
    fail = true;
    await trackSite(deps, site, settings(), { force: true });
    expect((await column(sql, "SELECT count(*) FROM rank_observations WHERE state = 'ranked'"))[0]).toBe(4);
  });

  it('computes a competitor added later from the stored result pages', async () => {
    const provider = serpProvider(() => page(['https://rival.example/', 'https://studio.example/']));
    const { sql, deps, site, clock } = await setup([provider], {
      providers: { serpApi: { apiKey: { env: 'K' } } },
    });
    await trackSite(deps, site, settings());
    clock.advance(86_400_000);
    await addCompetitor(sql, site.id, 'https://www.Rival.example/', null, clock.now());
    const days = ['2026-11-20', '2026-11-21'];
    const sov = await shareOfVoice(sql, site.id, 'studio.example', ['rival.example'], days, {
      curve: CTR_CURVES.seranking,
    });
    expect(sov.map((s) => s.share)).toEqual([
      [50, null],
      [50, null],
    ]);
  });

  it('derives change, best, mismatch and the latest failure per keyword', async () => {
    let pos = 8;
    let fail = false;
    const provider = serpProvider(() => {
      if (fail) return new ProviderError('serpapi', 'blocked', 'captcha');
      const urls = Array.from({ length: 10 }, (_, i) => `https://o${i}.example/`);
      urls[pos - 1] = 'https://studio.example/other/';
      return page(urls);
    });
    const { sql, deps, site, clock } = await setup([provider], {
      providers: { serpApi: { apiKey: { env: 'K' } } },
    });
    for (const p of [8, 6, 5, 5, 4, 4, 3, 3]) {
      pos = p;
      await trackSite(deps, site, settings(), { force: true });
      clock.advance(86_400_000);
    }
    fail = true;
    await trackSite(deps, site, settings(), { force: true });
    const [row] = (await keywordTable(sql, site.id, '2026-11-28')).filter(
      (r) => r.keyword.query === 'motion design studio',
    );
    expect(row!.current).toMatchObject({ day: '2026-11-27', position: 3 });
    expect(row!.change7).toBe(5);
    expect(row!.best).toEqual({ position: 3, day: '2026-11-27', averaged: false });
    expect(row!.mismatch).toBe(true);
    // The kind the provider gave is kept beside its message, for pages to say it in any language.
    expect(row!.failure).toMatchObject({
      day: '2026-11-28',
      error: expect.stringContaining('captcha'),
      kind: 'blocked',
    });
    expect(row!.spark.slice(-9)).toEqual([8, 6, 5, 5, 4, 4, 3, 3, null]);
  });
});

/** The tracker with the real Search Console client against the local fake of its API. */
async function withSearchConsole(
  rowsFor: (range: { startDate: string; endDate: string }) => QueryStat[],
  opts: { rowLimit?: number; dailyQuota?: number } = {},
) {
  const clockRef: { now?: () => Date } = {};
  const gsc = searchConsoleHandler({
    oauth: { clientId: 'id', clientSecret: 'secret-of-GSC_SECRET', refreshToken: 'secret-of-GSC_TOKEN' },
    rows: rowsFor,
    now: () => clockRef.now!().getTime(),
  });
  const base = await localServer(gsc);
  // rowLimit is no config setting (the API's maximum is used); small pages are set on the client here.
  const client = createSearchConsoleProvider();
  const provider: StatsProvider = {
    ...client,
    fetchPositions: (req, deps) =>
      client.fetchPositions(req, {
        ...deps,
        // Smaller pages than the API's (a test knob, not a config option).
        settings: { ...deps.settings, rowLimit: opts.rowLimit } as typeof deps.settings,
      }),
  };
  const env = await setup([provider], {
    providers: {
      googleSearchConsole: {
        baseUrl: base,
        tokenUrl: `${base}token`,
        clientId: 'id',
        clientSecret: { env: 'GSC_SECRET' },
        refreshToken: { env: 'GSC_TOKEN' },
        ...(opts.dailyQuota === undefined ? {} : { dailyQuota: opts.dailyQuota }),
      },
    },
  });
  clockRef.now = env.clock.now;
  const gscSettings = settings({
    providers: [{ use: 'gsc', schedule: '0 6 * * *', lookbackDays: 3 }],
  } as Partial<RankSettings>);
  const observations = () =>
    env.sql.all<{ query: string; day: string; position: number }>(
      `SELECT k.query, o.day, o.position FROM rank_observations o JOIN keywords k ON k.id = o.keyword_id
       WHERE o.source = 'gsc' ORDER BY k.query, o.day`,
    );
  const usage = async () =>
    (await column(env.sql, "SELECT sum(requests) FROM rank_provider_usage WHERE provider = 'gsc'"))[0];
  return { ...env, gsc, gscSettings, observations, usage };
}

const gscRow = (day: string, query: string, position: number, country: string): QueryStat => ({
  day,
  query,
  page: `${SITE}motion/`,
  device: 'DESKTOP',
  country,
  clicks: 2,
  impressions: 50,
  position,
});

describe('trackSite() for one keyword (rank --fetch --keyword)', () => {
  // Search Console's averages for two tracked Google keywords; `moved` shifts the first one's position.
  let moved = 0;
  const rows = ({ startDate, endDate }: { startDate: string; endDate: string }) =>
    ['2026-11-18', '2026-11-19', '2026-11-20']
      .filter((d) => d >= startDate && d <= endDate)
      .flatMap((d) => [
        gscRow(d, 'motion design studio', 5 - moved, 'usa'),
        gscRow(d, 'видеопродакшн москва', 7 - moved, 'rus'),
      ]);

  it("replaces only the Search Console rows it re-read and keeps every other keyword's", async () => {
    moved = 0;
    const { deps, site, ids, gscSettings, observations } = await withSearchConsole(rows);
    await trackSite(deps, site, gscSettings);
    expect(await observations()).toHaveLength(6);
    moved = 2;
    const out = await trackSite(deps, site, gscSettings, { force: true, keywordIds: new Set([ids[0]!]) });
    expect(out[0]).toMatchObject({ status: 'ok', ranked: 3 });
    expect(await observations()).toEqual([
      { query: 'motion design studio', day: '2026-11-18', position: 3 },
      { query: 'motion design studio', day: '2026-11-19', position: 3 },
      { query: 'motion design studio', day: '2026-11-20', position: 3 },
      // Not re-read: what the last full pull saw stays, and `promowatch rank` still has it.
      { query: 'видеопродакшн москва', day: '2026-11-18', position: 7 },
      { query: 'видеопродакшн москва', day: '2026-11-19', position: 7 },
      { query: 'видеопродакшн москва', day: '2026-11-20', position: 7 },
    ]);
  });

  it("leaves the provider's scheduled slot due for the keywords it did not read", async () => {
    moved = 0;
    const { deps, site, ids, clock, gscSettings, observations } = await withSearchConsole(rows);
    await trackSite(deps, site, gscSettings); // 12:00 in Moscow on the 20th
    const fullPull = await lastPull(deps.sql, site.id, 'gsc');
    clock.t = Date.parse('2026-11-21T03:10:00Z'); // 06:10 in Moscow: the 06:00 slot has passed
    moved = 1;
    await trackSite(deps, site, gscSettings, { force: true, keywordIds: new Set([ids[0]!]) });
    expect(await lastPull(deps.sql, site.id, 'gsc')).toEqual(fullPull);
    clock.t = Date.parse('2026-11-21T03:30:00Z'); // the hourly job comes by
    const scheduled = await trackSite(deps, site, gscSettings);
    expect(scheduled[0]).toMatchObject({ status: 'ok' });
    expect(
      (await observations()).filter((o) => o.query === 'видеопродакшн москва').map((o) => o.position),
    ).toEqual([7, 6, 6]);
  });
});

describe('trackSite() request counting', () => {
  it('counts every SerpApi page against dailyQuota and keeps what a cut-short keyword already read', async () => {
    const log: SerpApiRequestLog[] = [];
    const base = await localServer(
      serpApiHandler({ apiKey: 'secret-of-SERPAPI_KEY', results: () => numberedResults(150), log }),
    );
    const { sql, deps, site } = await setup([serpApi], {
      providers: { serpApi: { baseUrl: base, apiKey: { env: 'SERPAPI_KEY' }, dailyQuota: 5 } },
    });
    // Depth 20 is two pages a keyword: 2 + 2 + 1 (the limit is reached) + none for the fourth.
    const out = await trackSite(deps, site, settings({ depth: 20 }));
    expect(log).toHaveLength(5);
    expect(out[0]).toMatchObject({ requests: 5, deferred: 1, status: 'partial' });
    expect(out[0]!.error).toMatch(/request limit from the config reached/);
    expect(
      (await column(sql, "SELECT requests FROM rank_provider_usage WHERE provider = 'serpapi'"))[0],
    ).toBe(5);
    const depths = await sql.all(
      "SELECT state, depth FROM rank_observations WHERE source = 'serpapi' ORDER BY keyword_id",
    );
    // The third keyword's first page was paid for: it stands as "not in the top 10", not as a failure.
    expect(depths).toEqual([
      { state: 'not-in-top', depth: 20 },
      { state: 'not-in-top', depth: 20 },
      { state: 'not-in-top', depth: 10 },
    ]);
  });

  it('counts every Search Console startRow page as a request', async () => {
    const rows = Array.from({ length: 5 }, (_, i) => gscRow('2026-11-19', `query ${i}`, 3, 'usa'));
    const { deps, site, gscSettings, gsc, usage } = await withSearchConsole(() => rows, { rowLimit: 2 });
    const out = await trackSite(deps, site, gscSettings);
    expect(gsc.queries.map((q) => q.body.startRow)).toEqual([0, 2, 4]);
    expect(out[0]).toMatchObject({ status: 'ok', requests: 3, stats: 5 });
    expect(await usage()).toBe(3);
  });

  it('stops a Search Console pull at the configured limit and leaves the stored rows as they were', async () => {
    const rows = Array.from({ length: 5 }, (_, i) => gscRow('2026-11-19', `query ${i}`, 3, 'usa'));
    rows.push(gscRow('2026-11-19', 'motion design studio', 4, 'usa'));
    const { deps, site, gscSettings, observations, usage, sql } = await withSearchConsole(() => rows, {
      rowLimit: 2,
      dailyQuota: 5,
    });
    await trackSite(deps, site, gscSettings);
    expect(await usage()).toBe(4);
    const out = await trackSite(deps, site, gscSettings, { force: true });
    expect(out[0]).toMatchObject({ status: 'failed', requests: 1 });
    expect(out[0]!.error).toMatch(/limit/);
    expect(await usage()).toBe(5);
    expect(await observations()).toEqual([{ query: 'motion design studio', day: '2026-11-19', position: 4 }]);
    expect((await column(sql, "SELECT count(*) FROM search_stats WHERE source = 'gsc'"))[0]).toBe(6);
  });
});

describe('observeStats()', () => {
  const kw = (over: Partial<Keyword>): Keyword =>
    ({
      id: 1,
      siteId: 1,
      query: 'Видеопродакшн',
      engine: 'google',
      device: 'desktop',
      region: 'gl=ru;hl=ru',
      gl: 'ru',
      hl: 'ru',
      targetUrl: null,
      volume: 1,
      tags: [],
      ...over,
    }) as Keyword;
  const stat = (over: Partial<QueryStat>): QueryStat => ({
    day: '2026-11-01',
    query: 'видеопродакшн',
    page: 'https://s/a',
    device: 'DESKTOP',
    country: 'rus',
    clicks: 1,
    impressions: 10,
    position: 3,
    ...over,
  });

  it('weights positions by impressions and matches device and country', () => {
    const out = observeStats(
      [kw({})],
      [
        stat({ position: 2, impressions: 30, clicks: 5 }),
        stat({ position: 6, impressions: 10, page: 'https://s/b' }),
        stat({ position: 50, device: 'MOBILE' }),
        stat({ position: 50, country: 'usa' }),
      ],
      'gsc',
    );
    expect(out).toEqual([
      {
        keywordId: 1,
        day: '2026-11-01',
        source: 'gsc',
        state: 'ranked',
        position: 3,
        url: 'https://s/a',
        depth: null,
        error: null,
      },
    ]);
  });

  it('gives no observation for a day the query is absent (unknown, not "not in top")', () => {
    expect(observeStats([kw({})], [stat({ query: 'другое' })], 'gsc')).toEqual([]);
  });
});

describe('keyword listing', () => {
  it('keeps Cyrillic, emoji and quotes intact', async () => {
    const { sql, site } = await setup([]);
    expect((await listKeywords(sql, site.id)).map((k) => k.query)).toContain('студия "моушн" 🎬');
  });
});
