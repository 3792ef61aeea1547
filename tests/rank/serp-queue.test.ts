// The track-rankings job with and without a queue (SQLite, `promowatch start`'s in-process queue): the
// same keywords give the same stored positions, the same counts and the same "over the quota" outcome.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runJob } from '../../jobs/runner.ts';
import { trackRankingsJob } from '../../jobs/track-rankings.ts';
import { getSiteByName } from '../../src/db/sites.ts';
import { InProcessQueue } from '../../src/queue/in-process.ts';
import { TaskRegistry } from '../../src/queue/registry.ts';
import { registerRankProviderForTest } from '../../src/rank/providers/index.ts';
import { serpTaskKind } from '../../src/rank/serp-task.ts';
import { insertKeywords } from '../../src/rank/store.ts';
import { FakeClock, localServer, testConfig, testStoreDeps } from '../helpers.ts';
import { fakeBrowserSerp, fakeSearchServer, SITE, type SearchHit } from './fake-serp-provider.ts';

let unregister: () => void;
beforeAll(() => (unregister = registerRankProviderForTest(fakeBrowserSerp)));
afterAll(() => unregister());
const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const s of stops.splice(0)) await s();
});

/** A run's outcome without its id (two databases, two ids). */
const without = (r: object) => ({ ...r, runId: 0, ms: 0 });

const QUERIES = Array.from({ length: 13 }, (_, i) => `монтаж видео ${i + 1}`);

async function run(viaQueue: boolean, dailyQuota?: number) {
  const hits: SearchHit[] = [];
  const base = await localServer(fakeSearchServer(hits));
  const config = testConfig({
    sites: [
      {
        name: 'studio',
        baseUrl: SITE,
        timeZone: 'Europe/Moscow',
        rankings: { providers: [{ use: 'fake-browser' }], depth: 10 },
      },
    ],
    providers: { fakeBrowserSerp: { baseUrl: base, delayMs: 5, dailyQuota } },
  });
  const clock = new FakeClock(Date.parse('2026-11-20T06:30:00Z'));
  const deps = await testStoreDeps(config, clock);
  const sql = deps.sql;
  const site = (await getSiteByName(sql, 'studio'))!;
  await insertKeywords(
    sql,
    site.id,
    QUERIES.map((query, i) => ({
      query,
      engine: i % 3 === 0 ? ('yandex' as const) : ('google' as const),
      device: 'desktop' as const,
      ...(i % 3 === 0 ? { lr: 213 } : { gl: 'ru', hl: 'ru' }),
    })),
    clock.now(),
  );
  let queue: InProcessQueue | undefined;
  if (viaQueue) {
    const registry = new TaskRegistry();
    registry.register(serpTaskKind);
    queue = new InProcessQueue({
      deps: { sql, log: deps.log, now: clock.now, fetch: globalThis.fetch, config, secret: deps.secret },
      registry,
      graceMs: 300,
    });
    const stop = new AbortController();
    const working = queue.work(['serp'], 2, stop.signal);
    stops.push(async () => {
      stop.abort();
      await working;
      await queue!.close();
    });
  }
  const r = await runJob({ ...deps, sql, ...(queue ? { queue } : {}) }, trackRankingsJob, site, 'manual');
  const observations = await sql.all(
    `SELECT k.query, o.day, o.source, o.state, o.position, o.url, o.depth, o.error FROM rank_observations o
       JOIN keywords k ON k.id = o.keyword_id ORDER BY k.query`,
  );
  const pages = await sql.all(
    `SELECT k.query, p.day, count(r.position) AS results FROM serp_pages p JOIN keywords k ON k.id = p.keyword_id
       JOIN serp_results r ON r.page_id = p.id GROUP BY k.query, p.day ORDER BY k.query`,
  );
  const daily = await sql.all('SELECT engine, tag, day, keywords FROM rank_daily ORDER BY engine, tag, day');
  const leftInMeta = await sql.all("SELECT key FROM meta WHERE key LIKE 'serp-task:%'");
  const warned = deps.log.lines
    .filter((l) => l.includes('fake-browser: '))
    .map((l) => l.replace(/^.*?fake-browser:/, ''));
  // Tries the queue started: proof the result pages were read by tasks, not inline.
  const tries = deps.log.lines.filter((l) => /serp .*started, try 1 of/.test(l)).length;
  return { r, observations, pages, daily, hits, leftInMeta, warned, tries };
}

describe('track-rankings on a queue', () => {
  it('stores the same positions, result pages and summary as the run without one', async () => {
    const inline = await run(false);
    const queued = await run(true);
    expect(inline.r).toMatchObject({ status: 'ok', counts: { ranked: expect.any(Number), deferred: 0 } });
    expect(without(queued.r)).toEqual(without(inline.r));
    expect(inline.observations).toHaveLength(QUERIES.length);
    expect(queued.observations).toEqual(inline.observations);
    expect(queued.pages).toEqual(inline.pages);
    expect(queued.daily).toEqual(inline.daily);
    expect(queued.hits).toHaveLength(QUERIES.length);
    // 13 keywords, 5 to a browser batch: 3 tasks; none without a queue.
    expect([inline.tries, queued.tries]).toEqual([0, 3]);
    // The tasks' tallies were read and cleared.
    expect(queued.leftInMeta).toEqual([]);
  });

  it('keeps to the quota and leaves the rest for the next pull, worded as without a queue', async () => {
    const inline = await run(false, 4);
    const queued = await run(true, 4);
    expect(inline.hits).toHaveLength(4);
    expect(queued.hits).toHaveLength(4);
    expect(inline.r).toMatchObject({ counts: { requests: 4, deferred: 9 } });
    expect(without(queued.r)).toEqual(without(inline.r));
    expect(queued.observations).toHaveLength(4);
    expect(inline.warned).toEqual([
      ' request limit from the config reached; 9 keyword(s) wait for the next pull',
    ]);
    expect(queued.warned).toEqual(inline.warned);
  });
});
