// The tracking engine with in-process providers: schedules, quotas, failure states, stored pages, visibility.
import { describe, expect, it } from 'vitest';
import { getSiteByName } from '../../src/db/sites.ts';
import { keywordTable } from '../../src/rank/keyword-table.ts';
import { addCompetitor, insertKeywords, listKeywords } from '../../src/rank/store.ts';
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
import { FakeClock, tempDb, testConfig, testDeps } from '../helpers.ts';

const SITE = 'https://studio.example/';

function setup(providers: TrackDeps['providers'], configExtra: Record<string, unknown> = {}) {
  const { db } = tempDb();
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
  const base = testDeps(db, config, clock);
  const site = getSiteByName(db, 'studio')!;
  const deps: TrackDeps = {
    ...base,
    runId: null,
    secret: (ref) => `secret-of-${ref.env}`,
    providers,
    sleep: async () => {},
    browserPause: async () => {},
  };
  const ids = insertKeywords(
    db,
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
  return { db, config, clock, deps, site, ids };
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
    kind: 'serp',
    id: 'serpapi',
    label: 'fake',
    engines: ['google', 'yandex'],
    calls,
    async fetchSerp(k) {
      calls.push(k.query);
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
    const { db, deps, site } = setup([provider], { providers: { serpApi: { apiKey: { env: 'K' } } } });
    const out = await trackSite(deps, site, settings());
    expect(out[0]).toMatchObject({
      provider: 'serpapi',
      ranked: 1,
      notInTop: 1,
      failed: 2,
      status: 'partial',
    });
    const rows = db
      .prepare(
        'SELECT k.query, o.state, o.position, o.error FROM rank_observations o JOIN keywords k ON k.id = o.keyword_id ORDER BY k.id, k.engine',
      )
      .all() as {
      query: string;
      state: string;
      position: number | null;
      error: string | null;
    }[];
    expect(rows.map((r) => [r.state, r.position])).toEqual([
      ['ranked', 2],
      ['not-in-top', null],
      ['failed', null],
      ['failed', null],
    ]);
    expect(rows[2]!.error).toContain('malformed JSON');
    // The failed keyword's day is unknown: the index is computed from the two observed keywords only.
    const vis = visibilitySeries(db, site.id, ['2026-11-20'], { curve: CTR_CURVES.sistrix });
    expect(vis[0]).toMatchObject({ observed: 2, top3: 1, notInTop: 1 });
    expect(vis[0]!.index).toBeCloseTo((100 * 1000 * 0.157) / (1000 + 3000), 1);
  });

  it('stops a provider after an expired token and carries on with the others', async () => {
    const serp = serpProvider(() => new ProviderError('serpapi', 'auth', '401 Invalid API key'));
    const stats: StatsProvider = {
      kind: 'stats',
      id: 'gsc',
      label: 'fake gsc',
      engine: 'google',
      async fetchStats(req) {
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
    const { db, deps, site } = setup([serp, stats]);
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
    const gsc = db.prepare("SELECT position, url FROM rank_observations WHERE source = 'gsc'").get();
    expect(gsc).toEqual({ position: 4.4, url: `${SITE}motion/` });
  });

  it('keeps to the daily quota from the config and defers the rest', async () => {
    const provider = serpProvider(() => page(['https://studio.example/']));
    const { deps, site, db } = setup([provider]);
    const out = await trackSite(deps, site, settings());
    expect(provider.calls).toHaveLength(3);
    expect(out[0]).toMatchObject({ requests: 3, deferred: 1, status: 'partial' });
    expect(
      db.prepare("SELECT requests FROM rank_provider_usage WHERE provider = 'serpapi'").pluck().get(),
    ).toBe(3);
  });

  it('waits once when rate-limited, then succeeds', async () => {
    const waits: number[] = [];
    const provider = serpProvider((_k, n) =>
      n === 0 ? new ProviderError('serpapi', 'rate-limit', '429', 1500) : page(['https://studio.example/']),
    );
    const { deps, site } = setup([provider], { providers: { serpApi: { apiKey: { env: 'K' } } } });
    deps.sleep = async (ms) => void waits.push(ms);
    const out = await trackSite(deps, site, settings());
    expect(waits).toEqual([1500]);
    expect(out[0]).toMatchObject({ ranked: 4, failed: 0, status: 'ok' });
  });

  it('pulls each provider on its own schedule unless forced', async () => {
    const provider = serpProvider(() => page(['https://studio.example/']));
    const { deps, site, clock } = setup([provider], { providers: { serpApi: { apiKey: { env: 'K' } } } });
    await trackSite(deps, site, settings());
    clock.advance(60 * 60_000); // 10:00 UTC = 13:00 Moscow; the next 06:00 is tomorrow
    expect((await trackSite(deps, site, settings()))[0]!.status).toBe('not-due');
    expect((await trackSite(deps, site, settings(), { force: true }))[0]!.status).toBe('ok');
    clock.advance(24 * 60 * 60_000);
    expect((await trackSite(deps, site, settings()))[0]!.status).toBe('ok');
  });

  it('records an empty result page as a failure, not as "not in top"', async () => {
    const provider = serpProvider(() => page([]));
    const { db, deps, site } = setup([provider], { providers: { serpApi: { apiKey: { env: 'K' } } } });
    await trackSite(deps, site, settings());
    const states = db.prepare('SELECT DISTINCT state, error FROM rank_observations').all();
    expect(states).toEqual([{ state: 'failed', error: 'the result page had no organic results' }]);
  });

  it('a failure the same day does not overwrite what the source already saw', async () => {
    let fail = false;
    const provider = serpProvider(() =>
      fail ? new ProviderError('serpapi', 'http', 'HTTP 500') : page(['https://studio.example/x']),
    );
    const { db, deps, site } = setup([provider], { providers: { serpApi: { apiKey: { env: 'K' } } } });
    await trackSite(deps, site, settings());
    fail = true;
    await trackSite(deps, site, settings(), { force: true });
    expect(db.prepare("SELECT count(*) FROM rank_observations WHERE state = 'ranked'").pluck().get()).toBe(4);
  });

  it('computes a competitor added later from the stored result pages', async () => {
    const provider = serpProvider(() => page(['https://rival.example/', 'https://studio.example/']));
    const { db, deps, site, clock } = setup([provider], { providers: { serpApi: { apiKey: { env: 'K' } } } });
    await trackSite(deps, site, settings());
    clock.advance(86_400_000);
    addCompetitor(db, site.id, 'https://www.Rival.example/', null, clock.now());
    const days = ['2026-11-20', '2026-11-21'];
    const sov = shareOfVoice(db, site.id, 'studio.example', ['rival.example'], days, {
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
    const { db, deps, site, clock } = setup([provider], { providers: { serpApi: { apiKey: { env: 'K' } } } });
    for (const p of [8, 6, 5, 5, 4, 4, 3, 3]) {
      pos = p;
      await trackSite(deps, site, settings(), { force: true });
      clock.advance(86_400_000);
    }
    fail = true;
    await trackSite(deps, site, settings(), { force: true });
    const [row] = keywordTable(db, site.id, '2026-11-28').filter(
      (r) => r.keyword.query === 'motion design studio',
    );
    expect(row!.current).toMatchObject({ day: '2026-11-27', position: 3 });
    expect(row!.change7).toBe(5);
    expect(row!.best).toEqual({ position: 3, day: '2026-11-27' });
    expect(row!.mismatch).toBe(true);
    expect(row!.failure).toMatchObject({ day: '2026-11-28', error: expect.stringContaining('captcha') });
    expect(row!.spark.slice(-9)).toEqual([8, 6, 5, 5, 4, 4, 3, 3, null]);
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
  it('keeps Cyrillic, emoji and quotes intact', () => {
    const { db, site } = setup([]);
    expect(listKeywords(db, site.id).map((k) => k.query)).toContain('студия "моушн" 🎬');
  });
});
