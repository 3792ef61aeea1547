// Result pages through three real `promowatch worker` processes on one PostgreSQL queue: the
// track-rankings job fans its keywords out as `serp` tasks; one worker is killed with SIGKILL mid-run.
// The stored positions are those of the single-process SQLite run, once each; the local search server
// sees every engine paced by the configured pause across all workers; a quota of Q asks exactly Q.
//
// The provider is the test's browser-paced one (tests/rank/fake-serp-provider.ts): it needs the browser
// and is paced like the browser provider, but reads JSON over HTTP — three workers each driving Chromium
// would swamp this 2-core machine, and what is checked here (pacing, quota, idempotency) is the same.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJob } from '../../jobs/runner.ts';
import { trackRankingsJob } from '../../jobs/track-rankings.ts';
import { getSiteByName } from '../../src/db/sites.ts';
import { storeOf } from '../../src/db/store/sqlite.ts';
import { openStore } from '../../src/db/store/open.ts';
import type { Sql } from '../../src/db/store/types.ts';
import type { SiteRow } from '../../src/db/sites.ts';
import { PgBossQueue } from '../../src/queue/pg-boss.ts';
import { TaskRegistry } from '../../src/queue/registry.ts';
import { registerRankProviderForTest } from '../../src/rank/providers/index.ts';
import { serpTask } from '../../src/rank/serp-task.ts';
import { insertKeywords } from '../../src/rank/store.ts';
import type { KeywordInput } from '../../src/rank/types.ts';
import { FakeClock, localServer, runnerDeps, tempDb, tempDir, testConfig, testDeps } from '../helpers.ts';
import { pgServer, stopPgServer } from '../pg/backends.ts';
import { pgAvailable } from '../pg/server.ts';
import { startProcess, waitFor, type Proc } from './processes.ts';
import {
  fakeBrowserSerp,
  fakeSearchServer,
  SITE,
  smallestGaps,
  type SearchHit,
} from '../rank/fake-serp-provider.ts';

const ENTRY = fileURLToPath(new URL('./serp-worker-entry.ts', import.meta.url));
/** The pause between two result pages of one engine, whoever reads them. */
const PACE_MS = 120;
/** Timers and clocks: a few ms below the pause still count as kept. */
const TOLERANCE_MS = 5;
/** A serp task's lease here: a killed worker's batch comes back within seconds, not half an hour. */
const LEASE_SECONDS = 20;

let unregister: () => void;
beforeAll(() => (unregister = registerRankProviderForTest(fakeBrowserSerp)));
afterAll(async () => {
  unregister();
  await stopPgServer();
});

function startWorker(env: NodeJS.ProcessEnv): Proc {
  return startProcess(['--import', 'tsx', ENTRY], env);
}

function keywordsOf(n: number): KeywordInput[] {
  return Array.from({ length: n }, (_, i) => ({
    query: `видеосъёмка ${String(i + 1).padStart(2, '0')}`,
    engine: i % 2 ? ('yandex' as const) : ('google' as const),
    device: 'desktop' as const,
    ...(i % 2 ? { lr: 213 } : { gl: 'ru', hl: 'ru' }),
  }));
}

function configInput(base: string, block: Record<string, unknown>) {
  return {
    timeZone: 'Europe/Moscow',
    sites: [
      {
        name: 'studio',
        baseUrl: SITE,
        timeZone: 'Europe/Moscow',
        rankings: { providers: [{ use: 'fake-browser' }], depth: 10 },
      },
    ],
    providers: { fakeBrowserSerp: { baseUrl: base, delayMs: PACE_MS, timeoutMs: 1000, ...block } },
  };
}

const OBSERVED = `SELECT k.query, o.source, o.state, o.position, o.url, o.depth, o.error
  FROM rank_observations o JOIN keywords k ON k.id = o.keyword_id ORDER BY k.query`;

/** The same keywords tracked by one process on SQLite, without a queue: what the workers must store. */
async function singleProcessRun(n: number, block: Record<string, unknown>) {
  const hits: SearchHit[] = [];
  const base = await localServer(fakeSearchServer(hits));
  const { db } = tempDb({
    besidePostgres: 'the reference is one process on SQLite, which the workers must match',
  });
  const config = testConfig(configInput(base, block));
  const deps = { ...testDeps(db, config, new FakeClock(Date.now())), now: () => new Date() };
  const site = (await getSiteByName(storeOf(db), 'studio'))!;
  await insertKeywords(storeOf(db), site.id, keywordsOf(n), new Date());
  const r = await runJob(deps, trackRankingsJob, site, 'manual');
  return { r, observed: await storeOf(db).all(OBSERVED), hits };
}

/** A PostgreSQL database with the site and its keywords, a search server, and a config file for workers. */
async function postgresWorld(n: number, block: Record<string, unknown>) {
  const hits: SearchHit[] = [];
  const base = await localServer(fakeSearchServer(hits));
  const url = await (await pgServer()).createDatabase();
  const sql = await openStore({ kind: 'postgres', url });
  const input = configInput(base, block);
  const config = testConfig(input);
  await sql.run('INSERT INTO sites (name, base_url, time_zone, created_at) VALUES (?, ?, ?, ?)', [
    'studio',
    SITE,
    'Europe/Moscow',
    new Date().toISOString(),
  ]);
  const site = (await sql.get<SiteRow>(
    `SELECT id, name, base_url AS "baseUrl", time_zone AS "timeZone" FROM sites WHERE name = 'studio'`,
  ))!;
  await insertKeywords(sql, site.id, keywordsOf(n), new Date());
  const file = join(tempDir(), 'promowatch.config.json');
  writeFileSync(file, JSON.stringify(input));
  const env = {
    PATH: process.env.PATH!,
    HOME: process.env.HOME!,
    PROMOWATCH_CONFIG: file,
    PROMOWATCH_DATABASE_URL: url,
    PROMOWATCH_QUEUE_MAINTENANCE_SECONDS: '1',
    PROMOWATCH_QUEUE_POLL_SECONDS: '0.5',
    PROMOWATCH_WORKER_GRACE_SECONDS: '5',
    PROMOWATCH_SERP_LEASE_SECONDS: String(LEASE_SECONDS),
  };
  // The job's side (the scheduler): it enqueues and waits; only the workers take `serp` tasks.
  const registry = new TaskRegistry();
  // The same lease as the workers': the queue keeps the one its tasks were enqueued with.
  registry.register(serpTask({ leaseSeconds: LEASE_SECONDS }));
  const deps = { ...runnerDeps(sql, config, new FakeClock(Date.now())), now: () => new Date() };
  const queue = await PgBossQueue.open({ url, registry, deps });
  const runTrack = () => runJob({ ...deps, queue }, trackRankingsJob, site, 'manual');
  const close = async () => {
    await queue.close();
    await sql.close();
  };
  return { sql, env, hits, runTrack, close };
}

async function count(sql: Sql, query: string): Promise<number> {
  return Number((await sql.get<{ n: number }>(query))!.n);
}

describe.runIf(pgAvailable())('serp tasks on three worker processes', () => {
  it('store the single-process positions once each, one worker killed mid-run, each engine paced across all', async () => {
    const N = 40;
    const baseline = await singleProcessRun(N, {});
    const w = await postgresWorld(N, {});
    try {
      const workers = [startWorker(w.env), startWorker(w.env), startWorker(w.env)];
      const [victim, ...survivors] = workers as [Proc, Proc, Proc];
      const logs = () => workers.map((x, i) => `--- worker ${i} ---\n${x.log()}`).join('\n');
      const run = w.runTrack();

      // Mid-run: some keywords stored, the victim busy with a batch.
      await waitFor(
        'the victim to be reading a batch with keywords stored',
        async () =>
          /serp .*started/.test(victim.log()) &&
          (await count(w.sql, 'SELECT count(*) AS n FROM rank_observations')) >= 8,
        60_000,
        logs,
      );
      expect(await count(w.sql, 'SELECT count(*) AS n FROM rank_observations')).toBeLessThan(N);
      victim.child.kill('SIGKILL');
      expect(await victim.exited).toBe(null);

      const r = await Promise.race([
        run,
        new Promise<never>((_, reject) =>
          setTimeout(async () => {
            const jobs = await w.sql.all(
              "SELECT singleton_key AS key, state::text AS state, retry_count FROM pgboss.job WHERE name = 'serp' ORDER BY 1",
            );
            reject(new Error(`The job did not finish: ${JSON.stringify(jobs)}\n${logs()}`));
          }, 60_000),
        ),
      ]);
      for (const s of survivors) s.child.kill('SIGTERM');
      expect(await Promise.all(survivors.map((s) => s.exited))).toEqual([0, 0]);

      // The same outcome and the same stored positions as one process on SQLite …
      expect(r).toMatchObject({ status: 'ok', counts: { deferred: 0, failed: 0 } });
      const counts = (x: typeof r) =>
        x.status === 'ok' ? { ...x.counts, requests: 0 } : { status: x.status };
      expect(counts(r)).toEqual(counts(baseline.r));
      expect(await w.sql.all(OBSERVED)).toEqual(baseline.observed);
      // … once each: one observation and one result page per keyword, ten results per page.
      expect(await count(w.sql, 'SELECT count(*) AS n FROM rank_observations')).toBe(N);
      expect(await count(w.sql, 'SELECT count(DISTINCT keyword_id) AS n FROM serp_pages')).toBe(N);
      expect(await count(w.sql, 'SELECT count(*) AS n FROM serp_pages')).toBe(N);
      expect(await count(w.sql, 'SELECT count(*) AS n FROM serp_results')).toBe(N * 10);
      // The victim's batch was taken over after its lease ran out.
      expect(
        await count(w.sql, "SELECT count(*) AS n FROM pgboss.job WHERE name = 'serp' AND retry_count > 0"),
      ).toBeGreaterThan(0);

      // Every engine kept the pause between two result pages, whichever workers read them.
      expect(w.hits.length).toBeGreaterThanOrEqual(N);
      const gaps = smallestGaps(w.hits);
      expect(Object.keys(gaps).sort()).toEqual(['google', 'yandex']);
      for (const [engine, gap] of Object.entries(gaps))
        expect([engine, gap >= PACE_MS - TOLERANCE_MS, gap]).toEqual([engine, true, gap]);
    } finally {
      await w.close();
    }
  }, 150_000);

  it('ask exactly the quota between them and leave the rest for the next pull', async () => {
    const N = 20;
    const Q = 7;
    const w = await postgresWorld(N, { dailyQuota: Q, delayMs: 30 });
    try {
      const workers = [startWorker(w.env), startWorker(w.env), startWorker(w.env)];
      const r = await w.runTrack();
      for (const x of workers) x.child.kill('SIGTERM');
      await Promise.all(workers.map((x) => x.exited));
      expect(w.hits).toHaveLength(Q);
      expect(r).toMatchObject({ status: 'ok', counts: { requests: Q, deferred: N - Q, failed: 0 } });
      expect(await count(w.sql, 'SELECT count(*) AS n FROM rank_observations')).toBe(Q);
      expect(
        await count(
          w.sql,
          "SELECT sum(requests) AS n FROM rank_provider_usage WHERE provider = 'fake-browser'",
        ),
      ).toBe(Q);
    } finally {
      await w.close();
    }
  }, 120_000);
});
