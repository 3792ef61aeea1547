// The track-rankings job with the real provider clients against local fakes of DataForSEO and Search
// Console: one provider's expired token does not stop the other, and the run says what went wrong.
import { describe, expect, it } from 'vitest';
import { runJob } from '../../jobs/runner.ts';
import { trackRankingsJob } from '../../jobs/track-rankings.ts';
import { makeSecretResolver } from '../../src/config/load.ts';
import { keywordTable } from '../../src/rank/keyword-table.ts';
import { insertKeywords } from '../../src/rank/store.ts';
import { dataForSeoHandler } from '../../src/demo/servers/dataforseo.ts';
import { searchConsoleHandler } from '../../src/demo/servers/google-search-console.ts';
import { FakeClock, localServer, siteByName, testConfig, testStoreDeps } from '../helpers.ts';

const SITE = 'https://studio.example/';

async function setup(gscFault: 'expired-token' | null) {
  const dfs = await localServer(
    dataForSeoHandler({
      login: 'demo@studio.example',
      password: 'dfs-secret',
      results: (q) =>
        q.q === 'пустой запрос'
          ? 'empty'
          : [
              { url: 'https://rival.example/', title: 'Rival' },
              { url: `${SITE}motion/`, title: 'Kadr — motion' },
              { url: 'https://other.example/', title: 'Other' },
            ],
    }),
  );
  const gsc = searchConsoleHandler({
    oauth: { clientId: 'cid', clientSecret: 'gsc-secret', refreshToken: 'refresh-1' },
    rows: [
      {
        day: '2026-11-19',
        query: 'motion design studio',
        page: `${SITE}motion/`,
        device: 'DESKTOP',
        country: 'usa',
        clicks: 4,
        impressions: 90,
        position: 2.2,
      },
    ],
  });
  if (gscFault) gsc.faults.push(gscFault, gscFault);
  const gscBase = await localServer(gsc);
  const config = testConfig({
    sites: [
      {
        name: 'studio',
        baseUrl: SITE,
        timeZone: 'Europe/Moscow',
        rankings: { providers: [{ use: 'gsc', lookbackDays: 3 }, { use: 'dataforseo' }] },
      },
    ],
    providers: {
      dataForSeo: { baseUrl: dfs, login: 'demo@studio.example', password: { env: 'DFS_PASSWORD' } },
      googleSearchConsole: {
        baseUrl: gscBase,
        tokenUrl: `${gscBase}token`,
        clientId: 'cid',
        clientSecret: { env: 'GSC_SECRET' },
        refreshToken: { env: 'GSC_REFRESH' },
      },
    },
  });
  const clock = new FakeClock(Date.parse('2026-11-20T06:30:00Z'));
  const deps = {
    ...(await testStoreDeps(config, clock)),
    secret: makeSecretResolver(
      { DFS_PASSWORD: 'dfs-secret', GSC_SECRET: 'gsc-secret', GSC_REFRESH: 'refresh-1' },
      'test',
    ),
  };
  const site = (await siteByName(deps.sql, 'studio'))!;
  await insertKeywords(
    deps.sql,
    site.id,
    [
      { query: 'motion design studio', engine: 'google', device: 'desktop', gl: 'us', hl: 'en', volume: 900 },
      { query: 'видеопродакшн "Кадр" 🎬', engine: 'yandex', device: 'desktop', lr: 213, volume: 300 },
      { query: 'пустой запрос', engine: 'yandex', device: 'desktop', lr: 213, volume: 10 },
    ],
    clock.now(),
  );
  return { sql: deps.sql, deps, site, gsc };
}

describe('track-rankings job', () => {
  it('stores positions from a SERP API and Search Console in one run', async () => {
    const { sql, deps, site } = await setup(null);
    const r = await runJob(deps, trackRankingsJob, site, 'cli');
    // The empty result page is one keyword's failure: recorded and counted, the run itself is ok.
    expect(r).toMatchObject({ status: 'ok', counts: { ranked: 3, failed: 1 } });
    const rows = await keywordTable(sql, site.id, '2026-11-20');
    const byQuery = new Map(rows.map((x) => [x.keyword.query, x]));
    expect(byQuery.get('motion design studio')!.current).toMatchObject({ position: 2, source: 'dataforseo' });
    expect(byQuery.get('видеопродакшн "Кадр" 🎬')!.current).toMatchObject({
      position: 2,
      url: `${SITE}motion/`,
    });
    expect(byQuery.get('пустой запрос')!.current).toBeNull();
    expect(byQuery.get('пустой запрос')!.failure?.error).toContain('no organic results');
    const gsc = await sql.all("SELECT day, position FROM rank_observations WHERE source = 'gsc'");
    expect(gsc).toEqual([{ day: '2026-11-19', position: 2.2 }]);
  });

  it('an expired Search Console token fails that provider with a clear message; the SERP API carries on', async () => {
    const { sql, deps, site } = await setup('expired-token');
    const r = await runJob(deps, trackRankingsJob, site, 'cli');
    expect(r.status).toBe('failed');
    const error = r.status === 'failed' ? r.error : '';
    expect(error).toMatch(/Search Console|gsc/i);
    expect(error).not.toContain('gsc-secret');
    expect(error).not.toContain('refresh-1');
    expect(
      await sql.get(
        "SELECT count(*) AS n FROM rank_observations WHERE source = 'dataforseo' AND state = 'ranked'",
      ),
    ).toEqual({ n: 2 });
    expect(await sql.get("SELECT count(*) AS n FROM rank_observations WHERE source = 'gsc'")).toEqual({
      n: 0,
    });
  });
});
