import { describe, expect, it, vi } from 'vitest';
import { listRuns, tryStartRun } from '../../src/db/job-runs.ts';
import { connectPostgres } from '../../src/db/store/postgres.ts';
import { acquireRunLock, runLockName } from '../../src/limits/run-lock.ts';
import { runJob, runLockLeaseMs } from '../../jobs/runner.ts';
import { Scheduler, type CronRegistrar } from '../../jobs/scheduler.ts';
import type { Job } from '../../jobs/types.ts';
import {
  closedPortUrl,
  deferred,
  describeSqliteOnly,
  FakeClock,
  onCleanup,
  siteByName,
  testConfig,
  testStoreDeps,
} from '../helpers.ts';

const MONDAY_0800_MSK = Date.parse('2026-11-23T05:00:00Z');

function manualCron() {
  const registered: { expression: string; timeZone: string; name: string; fire: () => void }[] = [];
  const registrar: CronRegistrar = (expression, timeZone, name, fn) => {
    const entry = { expression, timeZone, name, fire: fn, stopped: false };
    registered.push(entry);
    return { stop: () => (entry.stopped = true) };
  };
  return { registered, registrar };
}

function job(
  name: string,
  run: Job['run'],
  scope: Job['scope'] = 'site',
  defaultSchedule = '0 8 * * 1',
): Job {
  return { name, description: name, scope, defaultSchedule, run };
}

/** Until the scheduler's runs have ended (recorded): a few statements on SQLite, round trips on PostgreSQL. */
const settled = (s: Scheduler) => vi.waitFor(() => expect(s.runningCount).toBe(0));

describe('Scheduler', () => {
  it('registers each enabled job once per site, in the site time zone', async () => {
    const clock = new FakeClock(MONDAY_0800_MSK);
    const deps = await testStoreDeps(testConfig(), clock);
    const cron = manualCron();
    const s = await Scheduler.create(
      deps,
      [job('a', async () => ({})), job('g', async () => ({}), 'global', '30 3 * * *')],
      cron.registrar,
    );
    const started = s.start();
    expect(cron.registered.map((r) => `${r.name} ${r.timeZone}`)).toEqual([
      'a@studio Europe/Moscow',
      'a@bakery Asia/Yekaterinburg',
      'g Europe/Moscow',
    ]);
    await started;
  });

  it('skips a tick while the previous run of the same job and site is still going', async () => {
    const clock = new FakeClock(MONDAY_0800_MSK);
    const deps = await testStoreDeps(
      testConfig({ sites: [{ name: 'studio', baseUrl: 'http://127.0.0.1:9/' }] }),
      clock,
    );
    const gate = deferred();
    let calls = 0;
    const cron = manualCron();
    const s = await Scheduler.create(
      deps,
      [job('slow', async () => (calls++, await gate.promise, { done: 1 }))],
      cron.registrar,
    );
    await s.start();
    cron.registered[0]!.fire();
    cron.registered[0]!.fire();
    cron.registered[0]!.fire();
    await vi.waitFor(() => expect(calls).toBe(1));
    expect(deps.log.lines.filter((l) => l.includes('skipped'))).toHaveLength(2);
    gate.resolve();
    await settled(s);
    expect(calls).toBe(1);
    expect((await listRuns(deps.sql)).map((r) => r.status)).toEqual(['ok']);
  });

  describeSqliteOnly(
    'on PostgreSQL the run lock, not a live pid, keeps a run apart: tests/jobs/runner.test.ts, run-lock-runner.test.ts',
    'a live pid',
    () => {
      it('skips a run that another live process has already started', async () => {
        const clock = new FakeClock(MONDAY_0800_MSK);
        const deps = await testStoreDeps(testConfig(), clock);
        const site = (await siteByName(deps.sql, 'studio'))!;
        const other = await tryStartRun(
          deps.sql,
          { job: 'x', siteId: site.id, trigger: 'cli', pid: 424242, isLive: () => true },
          clock.now(),
        );
        expect(other.started).toBe(true);
        let ran = false;
        const r = await runJob(
          { ...deps, isAlive: (pid) => pid === 424242 },
          job('x', async () => ((ran = true), {})),
          site,
          'schedule',
        );
        expect(r).toMatchObject({ status: 'skipped', reason: expect.stringMatching(/process 424242/) });
        expect(ran).toBe(false);
      });
    },
  );

  it('marks runs left running by a killed process as interrupted at start', async () => {
    const clock = new FakeClock(MONDAY_0800_MSK);
    const deps = await testStoreDeps(testConfig(), clock);
    const site = (await siteByName(deps.sql, 'studio'))!;
    await tryStartRun(
      deps.sql,
      { job: 'a', siteId: site.id, trigger: 'schedule', pid: 999_999, isLive: () => false },
      clock.now(),
    );
    await tryStartRun(
      deps.sql,
      { job: 'b', siteId: site.id, trigger: 'cli', pid: 777_777, isLive: () => false },
      clock.now(),
    );
    // On PostgreSQL a run is alive while its run lock is held, whatever its pid says.
    if (deps.sql.dialect === 'postgres')
      await acquireRunLock(deps.sql, runLockName('b', site.id), runLockLeaseMs(deps), clock.now(), 'cron');
    const s = await Scheduler.create(
      { ...deps, isAlive: (pid) => pid === 777_777 },
      [],
      manualCron().registrar,
    );
    await s.start();
    const byJob = Object.fromEntries((await listRuns(deps.sql)).map((r) => [r.job, r]));
    expect(byJob.a).toMatchObject({
      status: 'interrupted',
      error: expect.stringMatching(/stopped before it finished/),
    });
    expect(byJob.a!.finishedAt).toBe(clock.now().toISOString());
    // A run whose process is still alive (a `promowatch run` from system cron) is left alone.
    expect(byJob.b!.status).toBe('running');
  });

  it('treats a run left by an earlier process with our own pid (a container restart) as interrupted', async () => {
    const clock = new FakeClock(MONDAY_0800_MSK);
    const deps = await testStoreDeps(testConfig(), clock);
    const site = (await siteByName(deps.sql, 'studio'))!;
    await tryStartRun(
      deps.sql,
      { job: 'a', siteId: site.id, trigger: 'schedule', pid: process.pid, isLive: () => false },
      clock.now(),
    );
    await (await Scheduler.create(deps, [], manualCron().registrar)).start();
    expect((await listRuns(deps.sql))[0]!.status).toBe('interrupted');
    let ran = false;
    const r = await runJob(
      deps,
      job('a', async () => ((ran = true), {})),
      site,
      'manual',
    );
    expect(r.status).toBe('ok');
    expect(ran).toBe(true);
  });

  it('reports a run it cannot record (database locked) as skipped instead of crashing', async () => {
    const clock = new FakeClock(MONDAY_0800_MSK);
    const deps = await testStoreDeps(testConfig(), clock);
    const site = (await siteByName(deps.sql, 'studio'))!;
    // SQLite: the connection is gone. PostgreSQL: the server does not answer; the run lock, taken
    // before the start is recorded, is the first statement to fail there.
    let broken = deps.sql;
    if (deps.sql.dialect === 'sqlite') deps.db.close();
    else {
      broken = connectPostgres(`postgres://promowatch@127.0.0.1:${new URL(await closedPortUrl()).port}/none`);
      onCleanup(() => broken.close());
    }
    const r = await runJob(
      { ...deps, sql: broken },
      job('a', async () => ({})),
      site,
      'manual',
    );
    expect(r).toMatchObject({
      status: 'skipped',
      reason: expect.stringMatching(
        deps.sql.dialect === 'sqlite'
          ? /could not record the start of the run/
          : /could not take the run lock/,
      ),
    });
  });

  it('runs once on start a job whose scheduled time passed while the process was down', async () => {
    const clock = new FakeClock(Date.parse('2026-11-16T05:00:30Z')); // a Monday, just after 08:00 Moscow
    const config = testConfig({
      sites: [{ name: 'studio', baseUrl: 'http://127.0.0.1:9/', timeZone: 'Europe/Moscow' }],
    });
    const deps = await testStoreDeps(config, clock);
    let runs = 0;
    const weekly = job('weekly-report', async () => (runs++, {}));
    // First life: starts, runs on schedule, then the process dies.
    await (await Scheduler.create(deps, [weekly], manualCron().registrar)).start();
    expect(runs).toBe(0);
    const first = manualCron();
    const firstLife = await Scheduler.create(deps, [weekly], first.registrar);
    await firstLife.start();
    first.registered[0]!.fire();
    await settled(firstLife);
    expect(runs).toBe(1);
    // Down from Sunday to Tuesday: Monday 08:00 was missed, once.
    clock.t = Date.parse('2026-11-24T07:00:00Z');
    const outcomes = await (await Scheduler.create(deps, [weekly], manualCron().registrar)).start();
    expect(outcomes).toEqual([expect.objectContaining({ status: 'ok' })]);
    expect(runs).toBe(2);
    expect((await listRuns(deps.sql))[0]!.trigger).toBe('catch-up');
    // Restarting again the same day finds nothing missed.
    clock.advance(3_600_000);
    expect(await (await Scheduler.create(deps, [weekly], manualCron().registrar)).start()).toEqual([]);
    expect(runs).toBe(2);
  });

  it('does not catch up on a fresh install that never saw the scheduled time', async () => {
    const clock = new FakeClock(Date.parse('2026-11-24T07:00:00Z'));
    const deps = await testStoreDeps(testConfig(), clock);
    let runs = 0;
    expect(
      await (
        await Scheduler.create(deps, [job('w', async () => (runs++, {}))], manualCron().registrar)
      ).start(),
    ).toEqual([]);
    expect(runs).toBe(0);
  });

  it('keeps scheduling other jobs when one fails, and records the failure message', async () => {
    const clock = new FakeClock(MONDAY_0800_MSK);
    const deps = await testStoreDeps(
      testConfig({ sites: [{ name: 'studio', baseUrl: 'http://127.0.0.1:9/' }] }),
      clock,
    );
    const cron = manualCron();
    let goodRuns = 0;
    const s = await Scheduler.create(
      deps,
      [
        job('broken', async () => {
          throw new Error(
            'Search Console answered 403: the service account has no access to https://studio.example/',
          );
        }),
        job('good', async () => (goodRuns++, { pages: 3 })),
      ],
      cron.registrar,
    );
    await s.start();
    for (let i = 0; i < 2; i++) {
      for (const r of cron.registered) r.fire();
      await settled(s);
    }
    expect(goodRuns).toBe(2);
    const runs = await listRuns(deps.sql);
    expect(runs.filter((r) => r.job === 'broken').map((r) => r.status)).toEqual(['failed', 'failed']);
    expect(runs.find((r) => r.job === 'broken')!.error).toMatch(/answered 403/);
    expect(runs.filter((r) => r.job === 'good').map((r) => r.status)).toEqual(['ok', 'ok']);
    expect(runs.find((r) => r.job === 'good')!.counts).toEqual({ pages: 3 });
  });

  it('on stop takes no new runs, lets a run finish within the grace time', async () => {
    const clock = new FakeClock(MONDAY_0800_MSK);
    const deps = await testStoreDeps(
      testConfig({ sites: [{ name: 'studio', baseUrl: 'http://127.0.0.1:9/' }] }),
      clock,
    );
    const cron = manualCron();
    const gate = deferred();
    const started = deferred();
    const s = await Scheduler.create(
      deps,
      [job('j', async () => (started.resolve(), await gate.promise, {}))],
      cron.registrar,
    );
    await s.start();
    cron.registered[0]!.fire();
    await started.promise;
    const graceOver = deferred();
    const stopping = s.stop(30_000, 5000, (ms) =>
      ms === 30_000 ? graceOver.promise : new Promise(() => {}),
    );
    expect(await s.trigger(s.plan[0]!, 'manual')).toEqual({ status: 'skipped', reason: 'shutting down' });
    expect((cron.registered[0] as unknown as { stopped: boolean }).stopped).toBe(true);
    gate.resolve();
    expect(await stopping).toEqual({ interrupted: 0 });
    expect((await listRuns(deps.sql)).map((r) => r.status)).toEqual(['ok']);
  });

  it('on stop aborts a run that outlives the grace time and records it as interrupted', async () => {
    const clock = new FakeClock(MONDAY_0800_MSK);
    const deps = await testStoreDeps(
      testConfig({ sites: [{ name: 'studio', baseUrl: 'http://127.0.0.1:9/' }] }),
      clock,
    );
    const cron = manualCron();
    let sawAbort = false;
    const started = deferred();
    const s = await Scheduler.create(
      deps,
      [
        job(
          'checkpointing',
          (ctx) =>
            new Promise(
              (_, reject) =>
                started.resolve() ??
                ctx.signal.addEventListener('abort', () => {
                  sawAbort = true;
                  reject(new Error('stopped after saving 120 of 300 pages'));
                }),
            ),
        ),
      ],
      cron.registrar,
    );
    await s.start();
    cron.registered[0]!.fire();
    await started.promise;
    // Real waits: the aborted run records its end (a round trip on PostgreSQL) inside the 1 s to checkpoint.
    const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
    expect(await s.stop(10, 1000, sleep)).toEqual({ interrupted: 0 });
    expect(sawAbort).toBe(true);
    expect((await listRuns(deps.sql))[0]).toMatchObject({
      status: 'interrupted',
      error: 'stopped after saving 120 of 300 pages',
    });
  });

  it('on stop marks a run that ignores the abort as interrupted', async () => {
    const clock = new FakeClock(MONDAY_0800_MSK);
    const deps = await testStoreDeps(
      testConfig({ sites: [{ name: 'studio', baseUrl: 'http://127.0.0.1:9/' }] }),
      clock,
    );
    const cron = manualCron();
    const started = deferred();
    const s = await Scheduler.create(
      deps,
      [job('stuck', () => (started.resolve(), new Promise(() => {})))],
      cron.registrar,
    );
    await s.start();
    cron.registered[0]!.fire();
    await started.promise;
    expect(await s.stop(10, 10, () => Promise.resolve())).toEqual({ interrupted: 1 });
    expect((await listRuns(deps.sql))[0]!.status).toBe('interrupted');
  });
});
