// Registers every enabled (job, site) pair with node-cron, catches up on runs missed while the process
// was down, never lets two runs of the same pair overlap, and shuts down within a bounded time.
import cron from 'node-cron';
import { firstFireBetween, nextFireAfter } from '../src/config/cron.ts';
import { markOrphanedCrawls } from '../src/crawl/orphans.ts';
import { lastRun, markInterrupted } from '../src/db/job-runs.ts';
import { setMetaIfAbsent } from '../src/db/meta.ts';
import { configuredSites, type SiteRow } from '../src/db/sites.ts';
import { startHeartbeat } from '../src/ops/heartbeat.ts';
import {
  isOwnRun,
  runJob,
  runLiveness,
  sqlOf,
  sweepOrphans,
  type RunOutcome,
  type RunnerDeps,
} from './runner.ts';
import type { Job } from './types.ts';
import type { RunTrigger } from '../src/db/job-runs.ts';
import type { Config } from '../src/config/schema.ts';
import type { Sql } from '../src/db/store/types.ts';

export interface PlannedRun {
  job: Job;
  site: SiteRow | null;
  schedule: string;
  timeZone: string;
  enabled: boolean;
}

/** Registers a callback for a cron expression; node-cron in production, a manual trigger in tests. */
export type CronRegistrar = (
  expression: string,
  timeZone: string,
  name: string,
  fn: () => void,
) => { stop(): void };

export const nodeCronRegistrar: CronRegistrar = (expression, timeZone, name, fn) => {
  // noOverlap is node-cron's own guard; ours (in runJob) also covers runs started by other processes.
  // A tick that comes late (the event loop was busy, e.g. a long SQLite write) still runs: node-cron's
  // default tolerance is one second, after which it only logs a missed execution.
  const task = cron.schedule(expression, fn, {
    timezone: timeZone,
    name,
    noOverlap: true,
    missedExecutionTolerance: 10 * 60_000,
  });
  return { stop: () => void task.destroy() };
};

/** Every (job, site) pair the config asks for, with its effective schedule and time zone. */
export async function planRuns(
  deps: { sql: Sql; config: Config } | Pick<RunnerDeps, 'db' | 'sql' | 'config'>,
  jobs: readonly Job[],
): Promise<PlannedRun[]> {
  const sites = await configuredSites(
    deps.sql ?? sqlOf(deps as Pick<RunnerDeps, 'db'>),
    deps.config.sites.map((s) => s.name),
  );
  return jobs.flatMap((job): PlannedRun[] => {
    const settings = deps.config.jobs[job.name];
    const schedule = settings?.schedule ?? job.defaultSchedule;
    const enabled = settings?.enabled ?? true;
    if (job.scope === 'global')
      return [{ job, site: null, schedule, timeZone: deps.config.timeZone, enabled }];
    return sites.map((site) => ({ job, site, schedule, timeZone: site.timeZone, enabled }));
  });
}

export function describeNextRun(p: PlannedRun, now: Date): Date | null {
  return p.enabled ? nextFireAfter(p.schedule, p.timeZone, now) : null;
}

/**
 * Hands a run to something else instead of running it here: `promowatch start` on PostgreSQL enqueues
 * it as a `job` task (jobs/job-task.ts) for `promowatch worker` processes. `due` is when it fired.
 */
export type Dispatch = (p: PlannedRun, trigger: RunTrigger, due: Date) => Promise<TriggerOutcome>;

/** What a trigger led to: a run here, or a run handed to the queue for a worker. */
export type TriggerOutcome = RunOutcome | { status: 'queued'; taskId: string; created: boolean };

export class Scheduler {
  readonly plan: PlannedRun[];
  #tasks: { stop(): void }[] = [];
  #running = new Map<string, Promise<TriggerOutcome>>();
  #stopping = false;
  #abort = new AbortController();
  #heartbeat: { first: Promise<void>; stop: () => Promise<void> } | null = null;

  /** The scheduler of `jobs` for the sites in the config (read from the database, hence async). */
  static async create(
    deps: RunnerDeps,
    jobs: readonly Job[],
    registrar: CronRegistrar = nodeCronRegistrar,
    dispatch?: Dispatch,
  ): Promise<Scheduler> {
    return new Scheduler(deps, await planRuns(deps, jobs), registrar, dispatch);
  }

  private constructor(
    private readonly deps: RunnerDeps,
    plan: PlannedRun[],
    private readonly registrar: CronRegistrar,
    private readonly dispatch?: Dispatch,
  ) {
    this.plan = plan;
  }

  /** Marks runs orphaned by a killed process, registers the schedules, and returns the catch-up work. */
  start(): Promise<TriggerOutcome[]> {
    // The schedules are registered at once (synchronously); the bookkeeping that needs the database
    // runs before the catch-up, which reads it.
    // /healthz and /metrics (src/ops) read it from any process on this database.
    this.#heartbeat ??= startHeartbeat(sqlOf(this.deps), this.deps.now, (err) =>
      this.deps.log.warn(`scheduler: could not record its heartbeat: ${err.message}`),
    );
    const firstBeat = this.#heartbeat.first;
    for (const p of this.plan) {
      if (!p.enabled) continue;
      const name = p.site ? `${p.job.name}@${p.site.name}` : p.job.name;
      this.#tasks.push(this.registrar(p.schedule, p.timeZone, name, () => void this.trigger(p, 'schedule')));
    }
    const now = this.deps.now();
    return (async () => {
      // Started means visible: /healthz on another process sees the beat once start() settles.
      await firstBeat;
      await sweepOrphans(this.deps);
      await setMetaIfAbsent(sqlOf(this.deps), 'scheduler.first_started_at', now.toISOString());
      return this.catchUp();
    })();
  }

  /** Runs once each pair whose scheduled time passed since its last run (or since promowatch was first started). */
  async catchUp(): Promise<TriggerOutcome[]> {
    const now = this.deps.now();
    const firstStart = await setMetaIfAbsent(
      sqlOf(this.deps),
      'scheduler.first_started_at',
      now.toISOString(),
    );
    const missedSince = async (p: PlannedRun): Promise<Date | null> => {
      const last = await lastRun(sqlOf(this.deps), p.job.name, p.site?.id ?? null);
      const since = new Date(Math.max(Date.parse(firstStart), last ? Date.parse(last.startedAt) : 0));
      return firstFireBetween(p.schedule, p.timeZone, since, now);
    };
    const outcomes: TriggerOutcome[] = [];
    for (const p of this.plan) {
      if (!p.enabled || this.#stopping) continue;
      // Asked again right before each run: a scheduled run may have happened during an earlier catch-up.
      const missed = await missedSince(p);
      if (!missed) continue;
      this.deps.log.info(
        `${p.job.name}${p.site ? ` site=${p.site.name}` : ''}: missed ${missed.toISOString()} while down; running it now`,
      );
      outcomes.push(await this.trigger(p, 'catch-up'));
    }
    return outcomes;
  }

  /** Starts a run now unless the same pair is already running here (other processes: see runJob). */
  trigger(p: PlannedRun, trigger: RunTrigger): Promise<TriggerOutcome> {
    const key = `${p.job.name}\u0000${p.site?.name ?? ''}`;
    if (this.#stopping) return Promise.resolve({ status: 'skipped', reason: 'shutting down' });
    const current = this.#running.get(key);
    if (current) {
      this.deps.log.warn(`${key.replace('\u0000', ' site=')}: skipped, the previous run is still going`);
      return Promise.resolve({ status: 'skipped', reason: 'the previous run is still going' });
    }
    // On PostgreSQL the run goes to the queue and a worker runs it (its run lock keeps runs apart).
    if (this.dispatch) return this.dispatch(p, trigger, this.deps.now());
    // runJob never rejects: a failing job is recorded as failed and the scheduler carries on.
    const run = runJob(this.deps, p.job, p.site, trigger, this.#abort.signal).finally(() =>
      this.#running.delete(key),
    );
    this.#running.set(key, run);
    return run;
  }

  isRunning(p: PlannedRun): boolean {
    return this.#running.has(`${p.job.name}\u0000${p.site?.name ?? ''}`);
  }

  find(jobName: string, siteName: string | null): PlannedRun | undefined {
    return this.plan.find((p) => p.job.name === jobName && (p.site?.name ?? null) === siteName);
  }

  get runningCount(): number {
    return this.#running.size;
  }

  /**
   * Stops taking new runs, waits up to `graceMs` for current runs to finish, then aborts their signal
   * and gives them `checkpointMs` more to save what they have. Whatever is still running after that
   * is recorded as interrupted. The caller closes the database afterwards.
   */
  async stop(graceMs: number, checkpointMs = 5000, sleep = defaultSleep): Promise<{ interrupted: number }> {
    this.#stopping = true;
    const heartbeatStopped = this.#heartbeat?.stop();
    this.#heartbeat = null;
    for (const t of this.#tasks) t.stop();
    this.#tasks = [];
    await heartbeatStopped;
    const all = () => Promise.allSettled([...this.#running.values()]);
    if (this.#running.size === 0) return { interrupted: 0 };
    this.deps.log.info(
      `waiting up to ${Math.round(graceMs / 1000)} s for ${this.#running.size} running job(s)`,
    );
    await Promise.race([all(), sleep(graceMs)]);
    if (this.#running.size > 0) {
      this.#abort.abort(new Error('promowatch is shutting down'));
      await Promise.race([all(), sleep(checkpointMs)]);
      // A run that did stop still records its end (finishRun, a few awaits): let that land first.
      await Promise.race([all(), new Promise((resolve) => setImmediate(resolve))]);
    }
    const left = this.#running.size;
    if (left > 0) {
      // Those runs' rows stay "running" with our pid; mark them now rather than at the next start.
      const now = this.deps.now();
      const live = await runLiveness(this.deps, now);
      await markInterrupted(sqlOf(this.deps), (row) => !isOwnRun(row.id) && live(row), now);
      await markOrphanedCrawls(sqlOf(this.deps), now);
    }
    return { interrupted: left };
  }
}

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
