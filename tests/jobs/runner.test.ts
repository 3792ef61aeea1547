// Liveness of runs across processes: heartbeats, reused pids, and the sweep every entry point makes.
import { describe, expect, it } from 'vitest';
import { listRuns, runningRuns, tryStartRun } from '../../src/db/job-runs.ts';
import { acquireRunLock, runLockName } from '../../src/limits/run-lock.ts';
import { HEARTBEAT_STALE_MS, runJob, runLockLeaseMs, sweepOrphans } from '../../jobs/runner.ts';
import type { Job } from '../../jobs/types.ts';
import {
  deferred,
  describeSqliteOnly,
  FakeClock,
  siteByName,
  TEST_BACKEND,
  testConfig,
  testStoreDeps,
} from '../helpers.ts';

const T0 = Date.parse('2026-11-23T05:00:00Z');
/** A pid that is not ours; the tests say whether it is alive and when "its" process started. */
const OTHER_PID = 424_242;

function job(name: string, run: Job['run']): Job {
  return { name, description: name, scope: 'site', defaultSchedule: '0 8 * * 1', run };
}

async function setup() {
  const clock = new FakeClock(T0);
  const deps = await testStoreDeps(testConfig(), clock);
  const site = (await siteByName(deps.sql, 'studio'))!;
  return { sql: deps.sql, clock, deps, site };
}

describe('run liveness', () => {
  describeSqliteOnly(
    'PostgreSQL judges a run by its run lock, not by pid and heartbeat: see the run-lock block below',
    'by pid and heartbeat',
    () => {
      it('keeps a run of a live process while its heartbeat is fresh, and sweeps it once silent too long', async () => {
        const { sql, clock, deps, site } = await setup();
        await tryStartRun(
          sql,
          {
            job: 'crawl-site',
            siteId: site.id,
            trigger: 'cli',
            pid: OTHER_PID,
            processStartedAt: '5551',
            isLive: () => false,
          },
          clock.now(),
        );
        const other = { ...deps, isAlive: () => true, processStartTime: () => '5551' };
        clock.advance(HEARTBEAT_STALE_MS);
        expect(await sweepOrphans(other)).toBe(0);
        expect((await listRuns(sql))[0]!.status).toBe('running');
        clock.advance(1);
        expect(await sweepOrphans(other)).toBe(1);
        expect((await listRuns(sql))[0]).toMatchObject({
          status: 'interrupted',
          finishedAt: clock.now().toISOString(),
          error: expect.stringMatching(/stopped before it finished/),
        });
        expect(other.log.lines.join('\n')).toMatch(/marked 1 run\(s\) left running by a stopped process/);
      });
    },
  );

  it('does not let a pid reused by another process block the job, and marks the old run interrupted', async () => {
    const { sql, clock, deps, site } = await setup();
    const old = await tryStartRun(
      sql,
      {
        job: 'a',
        siteId: site.id,
        trigger: 'cli',
        pid: OTHER_PID,
        processStartedAt: '5551',
        isLive: () => false,
      },
      clock.now(),
    );
    // The pid exists and the heartbeat is fresh, but the process holding the pid started at another time.
    const r = await runJob(
      { ...deps, isAlive: (pid) => pid === OTHER_PID, processStartTime: () => '9000' },
      job('a', async () => ({ done: 1 })),
      site,
      'cli',
    );
    expect(r.status).toBe('ok');
    const byId = new Map((await listRuns(sql)).map((x) => [x.id, x.status]));
    expect(byId.get((old as { id: number }).id)).toBe('interrupted');
  });

  describeSqliteOnly(
    'PostgreSQL judges a run by its run lock, not by pid and heartbeat: see the run-lock block below',
    'by pid and heartbeat',
    () => {
      it('is still skipped while the same process (same start time) holds the run with a fresh heartbeat', async () => {
        const { sql, clock, deps, site } = await setup();
        await tryStartRun(
          sql,
          {
            job: 'a',
            siteId: site.id,
            trigger: 'cli',
            pid: OTHER_PID,
            processStartedAt: '5551',
            isLive: () => false,
          },
          clock.now(),
        );
        const r = await runJob(
          { ...deps, isAlive: (pid) => pid === OTHER_PID, processStartTime: () => '5551' },
          job('a', async () => ({})),
          site,
          'cli',
        );
        expect(r).toMatchObject({
          status: 'skipped',
          reason: expect.stringMatching(/last heartbeat 2026-11-23T05:00:00/),
        });
      });
    },
  );

  it('refreshes the heartbeat of a long run, so another process does not take it for dead', async () => {
    const { sql, clock, deps, site } = await setup();
    const gate = deferred();
    const started = deferred();
    const run = runJob(
      { ...deps, heartbeatMs: 5 },
      job('long', async () => (started.resolve(), await gate.promise, {})),
      site,
      'cli',
    );
    await started.promise;
    clock.advance(HEARTBEAT_STALE_MS + 60_000);
    await new Promise((r) => setTimeout(r, 50)); // a few beats at the new time
    expect((await runningRuns(sql))[0]!.heartbeatAt).toBe(clock.now().toISOString());
    // Another process looking at the row: the pid (ours) is alive and is the process that started it.
    expect(await sweepOrphans({ ...deps, pid: OTHER_PID })).toBe(0);
    gate.resolve();
    expect((await run).status).toBe('ok');
    expect(await runningRuns(sql)).toEqual([]);
  });

  it('marks the crawl of a dead run interrupted with the pages it saved, and leaves ad hoc crawls alone', async () => {
    const { sql, clock, deps, site } = await setup();
    const run = (await tryStartRun(
      sql,
      { job: 'crawl-site', siteId: site.id, trigger: 'schedule', pid: OTHER_PID, isLive: () => false },
      clock.now(),
    )) as { id: number };
    const insertCrawl = async (siteId: number | null, runId: number | null) =>
      (await sql.get<{ id: number }>(
        `INSERT INTO crawls (site_id, run_id, start_url, started_at, status)
         VALUES (?, ?, 'http://127.0.0.1:9/', ?, 'running') RETURNING id`,
        [siteId, runId, clock.now().toISOString()],
      ))!.id;
    const jobCrawl = await insertCrawl(site.id, run.id);
    const adHoc = await insertCrawl(null, null);
    const url = (address: string, state: string) =>
      sql.run(`INSERT INTO crawl_urls (crawl_id, url, kind, depth, state) VALUES (?, ?, 'page', 0, ?)`, [
        jobCrawl,
        address,
        state,
      ]);
    await url('http://127.0.0.1:9/', 'done');
    await url('http://127.0.0.1:9/a', 'fetching');
    await url('http://127.0.0.1:9/b', 'queued');
    clock.advance(1000);
    expect(await sweepOrphans({ ...deps, isAlive: () => false })).toBe(1);
    const crawls = await sql.all(
      `SELECT id, status, pages, finished_at AS "finishedAt" FROM crawls ORDER BY id`,
    );
    expect(crawls).toEqual([
      { id: jobCrawl, status: 'interrupted', pages: 1, finishedAt: clock.now().toISOString() },
      { id: adHoc, status: 'running', pages: 0, finishedAt: null },
    ]);
    expect(
      await sql.all(`SELECT state, skip_reason AS reason FROM crawl_urls WHERE crawl_id = ? ORDER BY id`, [
        jobCrawl,
      ]),
    ).toEqual([
      { state: 'done', reason: null },
      { state: 'skipped', reason: 'the crawl was stopped before reaching it' },
      { state: 'skipped', reason: 'the crawl was stopped before reaching it' },
    ]);
  });
});

describe.skipIf(TEST_BACKEND !== 'postgres')('run liveness by run lock (PostgreSQL)', () => {
  it('keeps a run while its run lock is held, and sweeps it once the lease has run out', async () => {
    const { sql, clock, deps, site } = await setup();
    const leaseMs = runLockLeaseMs(deps);
    await acquireRunLock(sql, runLockName('crawl-site', site.id), leaseMs, clock.now(), 'another machine');
    await tryStartRun(
      sql,
      { job: 'crawl-site', siteId: site.id, trigger: 'cli', pid: OTHER_PID, isLive: () => false },
      clock.now(),
    );
    // Same pid and start time as ours, or none alive: on PostgreSQL only the lock tells.
    const other = { ...deps, isAlive: () => false };
    clock.advance(leaseMs - 1);
    expect(await sweepOrphans(other)).toBe(0);
    expect((await listRuns(sql))[0]!.status).toBe('running');
    clock.advance(1);
    expect(await sweepOrphans(other)).toBe(1);
    expect((await listRuns(sql))[0]).toMatchObject({
      status: 'interrupted',
      finishedAt: clock.now().toISOString(),
    });
  });

  it('skips a run while another process holds the run lock, whatever its pid', async () => {
    const { sql, clock, deps, site } = await setup();
    await acquireRunLock(
      sql,
      runLockName('a', site.id),
      runLockLeaseMs(deps),
      clock.now(),
      'another machine',
    );
    const r = await runJob(
      { ...deps, isAlive: () => false },
      job('a', async () => ({})),
      site,
      'cli',
    );
    expect(r).toMatchObject({ status: 'skipped', reason: expect.stringMatching(/held by another machine/) });
  });
});
