// A job run as a queued task: enqueued by the scheduler, run by whichever worker takes it, once per
// scheduled moment however many schedulers fire it.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { enqueueJobRun, jobRunTask, JOB_TASK } from '../../jobs/job-task.ts';
import { Scheduler, type CronRegistrar, type Dispatch } from '../../jobs/scheduler.ts';
import type { Job } from '../../jobs/types.ts';
import { listRuns } from '../../src/db/job-runs.ts';
import type { Sql } from '../../src/db/store/types.ts';
import { fanOut } from '../../src/queue/fan-out.ts';
import { InProcessQueue } from '../../src/queue/in-process.ts';
import { PgBossQueue } from '../../src/queue/pg-boss.ts';
import { TaskRegistry } from '../../src/queue/registry.ts';
import type { TaskQueue } from '../../src/queue/types.ts';
import { BACKENDS, stopPgServer } from '../pg/backends.ts';
import { FakeClock, runnerDeps, testConfig, testStoreDeps } from '../helpers.ts';

afterAll(stopPgServer);

const opened: { queue: TaskQueue; sql?: Sql; stop: AbortController }[] = [];
afterEach(async () => {
  for (const o of opened.splice(0)) {
    o.stop.abort();
    await o.queue.close();
    // A store from testStoreDeps() is closed by the helpers; one from backend.open() here.
    await o.sql?.close();
  }
});

describe.each(BACKENDS)('job runs as tasks on $name', (backend) => {
  it('runs a scheduled run once on a worker, however many schedulers enqueue it', async () => {
    const { sql, url } = await backend.open();
    const clock = new FakeClock(Date.parse('2026-11-23T05:00:00Z'));
    // The runner's other dependencies (config, secrets, logger); its data layer is the backend's.
    const base = runnerDeps(sql, testConfig(), clock);
    const site = (await sql.get<{ id: number }>(
      `INSERT INTO sites (name, base_url, time_zone, created_at) VALUES ('studio', 'https://studio.example/', 'Europe/Moscow', ?) RETURNING id`,
      [clock.now().toISOString()],
    ))!;
    const ran: string[] = [];
    const job: Job = {
      name: 'check-backlinks',
      description: 'test',
      scope: 'site',
      defaultSchedule: '0 8 * * 1',
      run: async (ctx) => {
        ran.push(`${ctx.site?.name} ${ctx.trigger} ${ctx.queue ? 'with queue' : 'no queue'}`);
        return { links: 3 };
      },
    };
    const registry = new TaskRegistry();
    let queue: TaskQueue;
    registry.register(
      jobRunTask({ jobs: [job], deps: (ctx) => ({ ...base, sql: ctx.sql, log: ctx.log, queue }) }),
    );
    const deps = { sql, log: base.log, now: clock.now, fetch: globalThis.fetch };
    queue =
      backend.name === 'sqlite'
        ? new InProcessQueue({ deps, registry })
        : await PgBossQueue.open({ url, deps, registry, pollSeconds: 0.5, maintenanceSeconds: 1 });
    const stop = new AbortController();
    opened.push({ queue, sql, stop });

    const siteRow = {
      id: site.id,
      name: 'studio',
      baseUrl: 'https://studio.example/',
      timeZone: 'Europe/Moscow',
    };
    const due = new Date('2026-11-23T05:00:00Z');
    // Two `start` replicas fire the same schedule: one task.
    const first = await enqueueJobRun(queue, job, siteRow, 'schedule', due);
    const second = await enqueueJobRun(queue, job, siteRow, 'schedule', new Date(due.getTime() + 20_000));
    expect(first.created).toBe(true);
    expect(second).toEqual({ id: first.id, created: false });
    void queue.work([JOB_TASK], 2, stop.signal);
    // Waited for as any task is (the id was created above, so fanOut attaches to it by key).
    const done = await fanOut(
      queue,
      JOB_TASK,
      [
        {
          payload: { job: job.name, siteId: site.id, trigger: 'schedule' },
          key: `check-backlinks:${site.id}:2026-11-23T05:00`,
        },
      ],
      { signal: new AbortController().signal, pollMs: 50 },
    );
    expect(done).toEqual({ completed: 1, failed: [] });
    expect(ran).toEqual(['studio schedule with queue']);
    const runs = await listRuns(sql);
    expect(runs.map((r) => [r.job, r.status, r.trigger])).toEqual([['check-backlinks', 'ok', 'schedule']]);

    // A job this version does not know fails its task with a message naming it.
    const unknown = await fanOut(
      queue,
      JOB_TASK,
      [{ payload: { job: 'old-job', siteId: null, trigger: 'schedule' }, key: 'old' }],
      { signal: new AbortController().signal, pollMs: 50 },
    );
    expect(unknown.failed).toEqual([
      { key: 'old', error: 'No job named "old-job" in this version of promowatch' },
    ]);
  });
});

describe('the scheduler with a dispatch (start on PostgreSQL)', () => {
  it('hands each fired run to the queue instead of running it, one task per moment for two schedulers', async () => {
    const clock = new FakeClock(Date.parse('2026-11-23T05:00:00Z'));
    const deps = await testStoreDeps(
      testConfig({ sites: [{ name: 'studio', baseUrl: 'http://127.0.0.1:9/' }] }),
      clock,
    );
    let ran = 0;
    const job: Job = {
      name: 'uptime',
      description: 'test',
      scope: 'site',
      defaultSchedule: '*/5 * * * *',
      run: async () => (ran++, {}),
    };
    const registry = new TaskRegistry();
    registry.register(jobRunTask({ jobs: [job], deps: () => deps }));
    const queue = new InProcessQueue({
      deps: { sql: deps.sql, log: deps.log, now: clock.now, fetch },
      registry,
    });
    const stop = new AbortController();
    opened.push({ queue, stop });
    const registrar: CronRegistrar = () => ({ stop: () => {} });
    const dispatch: Dispatch = async (p, trigger, due) => {
      const r = await enqueueJobRun(queue, p.job, p.site, trigger, due);
      return { status: 'queued', taskId: r.id, created: r.created };
    };
    // Two `start` replicas: each has a scheduler, both fire the same minute.
    const a = await Scheduler.create(deps, [job], registrar, dispatch);
    const b = await Scheduler.create(deps, [job], registrar, dispatch);
    const [first, second] = await Promise.all([
      a.trigger(a.plan[0]!, 'schedule'),
      b.trigger(b.plan[0]!, 'schedule'),
    ]);
    expect(first).toMatchObject({ status: 'queued', created: true });
    expect(second).toMatchObject({ status: 'queued', created: false });
    expect(second.status === 'queued' && first.status === 'queued' && second.taskId === first.taskId).toBe(
      true,
    );
    expect(ran).toBe(0);
    expect((await queue.depth()).filter((d) => d.count > 0)).toEqual([
      { kind: 'job', state: 'queued', count: 1 },
    ]);
    // A worker takes it: the run happens once.
    void queue.work(['job'], 1, stop.signal);
    await fanOut(
      queue,
      'job',
      [
        {
          payload: { job: 'uptime', siteId: a.plan[0]!.site!.id, trigger: 'schedule' },
          key: `uptime:${a.plan[0]!.site!.id}:2026-11-23T05:00`,
        },
      ],
      { signal: new AbortController().signal, pollMs: 20 },
    );
    expect(ran).toBe(1);
  });
});
