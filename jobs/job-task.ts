// A job run as a queued task (kind `job`): on PostgreSQL the scheduler of `promowatch start` enqueues its
// runs and any `promowatch worker` runs them — so a run survives the machine that scheduled it, and two
// `start` replicas firing the same schedule give one run. The run itself is today's runJob: the run lock
// keeps one run of a job and site at a time, the Jobs page records it, and its heavy work fans out as
// tasks of the other kinds (src/queue/fan-out.ts).
import { sqliteOnly } from '../src/db/open.ts';
import type { RunTrigger } from '../src/db/job-runs.ts';
import type { SiteRow } from '../src/db/sites.ts';
import type { Sql } from '../src/db/store/types.ts';
import type { TaskRegistry } from '../src/queue/registry.ts';
import type { Enqueued, TaskContext, TaskKind, TaskQueue } from '../src/queue/types.ts';
import { runJob, type RunOutcome, type RunnerDeps } from './runner.ts';
import { JOBS } from './index.ts';
import type { Job } from './types.ts';

export interface JobRunPayload {
  job: string;
  /** null for a job with scope "global". */
  siteId: number | null;
  trigger: RunTrigger;
}

export const JOB_TASK = 'job';

async function siteById(sql: Sql, id: number): Promise<SiteRow | undefined> {
  return sql.get<SiteRow>(
    'SELECT id, name, base_url AS baseUrl, time_zone AS timeZone FROM sites WHERE id = ?',
    [id],
  );
}

/**
 * The `job` kind. `deps` builds a runner's dependencies from the worker's (its data layer, config,
 * secrets, browser and queue — the run fans out through the same queue).
 *
 * One try only: a run that fails is recorded as failed on the Jobs page (and alerts) like any run, and
 * runs again at its next schedule. A worker killed mid-run leaves its run lock to expire; the run is then
 * marked interrupted and the next scheduled run goes ahead. The lease is long because pg-boss cannot
 * extend one while a task runs and a crawl of a large site takes hours; nothing waits on it, since the
 * run lock (renewed every heartbeat) is what decides whether the run is alive.
 */
export function jobRunTask(o: {
  jobs: readonly Job[];
  deps: (ctx: TaskContext) => RunnerDeps;
}): TaskKind<JobRunPayload> {
  return {
    kind: JOB_TASK,
    retryLimit: 0,
    leaseSeconds: 23 * 3600,
    async handler(task, ctx): Promise<RunOutcome> {
      const { job: name, siteId, trigger } = task.payload;
      const job = o.jobs.find((j) => j.name === name);
      if (!job) throw new Error(`No job named "${name}" in this version of promowatch`);
      const site = siteId === null ? null : await siteById(ctx.sql, siteId);
      if (siteId !== null && !site)
        throw new Error(`Site #${siteId} for ${name} is no longer in the database`);
      return runJob(o.deps(ctx), job, site ?? null, trigger, ctx.signal);
    },
  };
}

/**
 * Enqueues one run of a job for a site. The key names the moment it was due, to the minute: the same
 * schedule firing in two `start` replicas (or twice in one) gives one task, while the next firing and a
 * person's "Run now" are tasks of their own (the run lock then skips one that would overlap).
 */
export function enqueueJobRun(
  queue: TaskQueue,
  job: Job,
  site: SiteRow | null,
  trigger: RunTrigger,
  due: Date,
): Promise<Enqueued> {
  const minute = due.toISOString().slice(0, 16);
  const key =
    trigger === 'schedule' || trigger === 'catch-up'
      ? `${job.name}:${site?.id ?? 'all'}:${minute}`
      : `${job.name}:${site?.id ?? 'all'}:${trigger}:${due.toISOString()}`;
  const payload: JobRunPayload = { job: job.name, siteId: site?.id ?? null, trigger };
  return queue.enqueue(JOB_TASK, payload, { key });
}

/** A runner's dependencies from what a worker hands its tasks (jobs it runs on PostgreSQL). */
export function runnerDepsOf(ctx: TaskContext): RunnerDeps {
  if (!ctx.config || !ctx.browser || !ctx.secret)
    throw new Error(
      "A job run needs the worker's config, browser and secrets (promowatch worker gives them)",
    );
  return {
    // Modules still on the SQLite connection say so if a job reaches them (issue 17: few are left).
    db: sqliteOnly('A job run by a worker on PostgreSQL'),
    sql: ctx.sql,
    config: ctx.config,
    now: ctx.now,
    fetch: ctx.fetch,
    log: ctx.log,
    browser: ctx.browser,
    secret: ctx.secret,
    ...(ctx.queue ? { queue: ctx.queue } : {}),
    ...(ctx.evidenceDir ? { evidenceDir: ctx.evidenceDir } : {}),
  };
}

/** Adds the `job` kind (the program's jobs) to a registry, once; `start` and `worker` on PostgreSQL. */
export function registerJobKind(registry: TaskRegistry): void {
  if (!registry.has(JOB_TASK)) registry.register(jobRunTask({ jobs: JOBS, deps: runnerDepsOf }));
}
