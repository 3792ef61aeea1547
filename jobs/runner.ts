// Runs one job for one site and records it in job_runs; the one place that decides a run's status.
import { markOrphanedCrawls } from '../src/crawl/orphans.ts';
import {
  finishRun,
  markInterrupted,
  recordHeartbeat,
  tryStartRun,
  type RunningRun,
  type RunTrigger,
} from '../src/db/job-runs.ts';
import type { SiteRow } from '../src/db/sites.ts';
import type { AlertMessage, DeliverOptions } from '../src/notify/index.ts';
import { sendAlerts } from '../src/notify/send-alerts.ts';
import { pidIsAlive, processStartTime } from '../src/util/process.ts';
import { createProgress } from '../src/util/progress.ts';
import { storeOf } from '../src/db/store/sqlite.ts';
import {
  acquireRunLock,
  releaseRunLock,
  renewRunLock,
  runLockName,
  type RunLock,
} from '../src/limits/run-lock.ts';
import type { Job, JobContext } from './types.ts';

export type RunnerDeps = Omit<
  JobContext,
  'site' | 'siteConfig' | 'runId' | 'signal' | 'progress' | 'log' | 'trigger' | 'sql'
> & {
  log: JobContext['log'];
  /** The data layer; by default the store over `db` (storeOf). */
  sql?: JobContext['sql'];
  pid?: number;
  isAlive?: (pid: number) => boolean;
  /** When process `pid` started (tests fake another process's); default: /proc on Linux. */
  processStartTime?: (pid: number) => string | null;
  /** How often a running job refreshes its heartbeat (tests shorten it). */
  heartbeatMs?: number;
  progress?: JobContext['progress'];
  /** Retry settings for the job-failure alert (tests shorten the waits). */
  alertOptions?: DeliverOptions;
};

/** The data layer of a runner: its own, or the store over its SQLite connection. */
export function sqlOf(deps: Pick<RunnerDeps, 'db' | 'sql'>): JobContext['sql'] {
  return deps.sql ?? storeOf(deps.db);
}

export type RunOutcome =
  | { status: 'ok'; runId: number; counts: Record<string, number>; ms: number }
  | { status: 'failed' | 'interrupted'; runId: number; error: string; ms: number }
  | { status: 'skipped'; reason: string };

/** Runs this process has started and not finished. A row carrying our pid but not listed here was
 * left by an earlier process that had the same pid (containers often run as pid 1). */
const OWN_RUNS = new Set<number>();

/** Whether this process started run `id` and has not finished it (by id, not pid: on PostgreSQL
 * another machine's process may have the same pid). */
export function isOwnRun(id: number): boolean {
  return OWN_RUNS.has(id);
}

/** A running job refreshes its heartbeat this often (an unref'd timer, so it never keeps a process up). */
export const HEARTBEAT_MS = 30_000;
/**
 * A run whose heartbeat is older than this is taken for dead even if its pid exists: the pid may have
 * been given to another process (where /proc cannot tell), or the process hangs. Ten beats, so a
 * busy event loop (a long SQLite write at the end of a big crawl) is not mistaken for death.
 */
export const HEARTBEAT_STALE_MS = 10 * HEARTBEAT_MS;

type LivenessDeps = Pick<RunnerDeps, 'pid' | 'isAlive' | 'processStartTime'>;

/**
 * Whether the process behind a running row is still at it: ours if we started it; another process's
 * while its pid exists, that pid still belongs to the process that started the run (same start time,
 * where the OS tells), and its heartbeat is fresh.
 */
export function liveCheck(deps: LivenessDeps, now: Date) {
  const own = deps.pid ?? process.pid;
  const isAlive = deps.isAlive ?? pidIsAlive;
  const startTime = deps.processStartTime ?? processStartTime;
  return (row: RunningRun): boolean => {
    if (row.pid === own) return OWN_RUNS.has(row.id);
    if (!isAlive(row.pid)) return false;
    if (row.processStartedAt !== null) {
      const current = startTime(row.pid);
      if (current !== null && current !== row.processStartedAt) return false;
    }
    const lastSign = Date.parse(row.heartbeatAt ?? row.startedAt);
    return now.getTime() - lastSign <= HEARTBEAT_STALE_MS;
  };
}

/**
 * How long a run's lock lasts without renewal (PostgreSQL): as long as a heartbeat may stay silent, and
 * at least three beats, so a renewal every beat keeps it well inside its lease.
 */
export function runLockLeaseMs(deps: Pick<RunnerDeps, 'heartbeatMs'>): number {
  return Math.max(HEARTBEAT_STALE_MS, 3 * (deps.heartbeatMs ?? HEARTBEAT_MS));
}

/**
 * The liveness judge for this database. SQLite is one machine: the pid, its start time and the
 * heartbeat tell (liveCheck). On PostgreSQL, processes on other machines share the table and a pid
 * means nothing there: a running row is live while its job's run lock is held (a lease not yet run out).
 */
export async function runLiveness(
  deps: Pick<RunnerDeps, 'db' | 'sql'> & LivenessDeps,
  now: Date,
): Promise<(row: RunningRun) => boolean> {
  const sql = sqlOf(deps);
  if (sql.dialect !== 'postgres') return liveCheck(deps, now);
  const held = new Set(
    (
      await sql.all<{ name: string }>('SELECT name FROM run_locks WHERE lease_until_ms > ?', [now.getTime()])
    ).map((r) => r.name),
  );
  return (row) => held.has(runLockName(row.job, row.siteId));
}

/**
 * Marks runs whose process is gone (killed with -9, out of memory, a power cut) as interrupted, and the
 * crawls they left "running" too. Every entry point (start, serve, run, jobs) calls it before acting,
 * so no single long-lived process is needed to clean up. Returns how many runs it marked; a failure
 * (database locked for long) is logged, never thrown: the next entry point tries again.
 */
export async function sweepOrphans(
  deps: Pick<RunnerDeps, 'db' | 'sql' | 'now' | 'log'> & LivenessDeps,
): Promise<number> {
  try {
    const now = deps.now();
    // The runs in one transaction (IMMEDIATE on SQLite: it reads then writes); their crawls right after.
    const ids = await markInterrupted(sqlOf(deps), await runLiveness(deps, now), now);
    await markOrphanedCrawls(sqlOf(deps), now, {
      isAlive: deps.isAlive,
      processStartTime: deps.processStartTime,
    });
    if (ids.length > 0)
      deps.log.warn(
        `marked ${ids.length} run(s) left running by a stopped process as interrupted (#${ids.join(', #')})`,
      );
    return ids.length;
  } catch (err) {
    deps.log.error(`could not check for runs left by a stopped process: ${errorMessage(err)}`);
    return 0;
  }
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) {
    const cause = err.cause instanceof Error ? ` (${err.cause.message})` : '';
    return `${err.message}${cause}`;
  }
  return String(err);
}

export async function runJob(
  deps: RunnerDeps,
  job: Job,
  site: SiteRow | null,
  trigger: RunTrigger,
  signal: AbortSignal = new AbortController().signal,
): Promise<RunOutcome> {
  const pid = deps.pid ?? process.pid;
  const label = site ? `${job.name} site=${site.name}` : job.name;
  const sql = sqlOf(deps);
  const skipped = (reason: string, level: 'warn' | 'error' = 'error'): RunOutcome => {
    deps.log[level](`${label}: ${level === 'warn' ? 'skipped, ' : ''}${reason}`);
    return { status: 'skipped', reason };
  };
  // PostgreSQL: processes on several machines share the database, so the run lock (a lease row) is
  // what keeps two runs of a pair apart; holding it, any "running" row of the pair is a dead run's.
  let lock: RunLock | null = null;
  if (sql.dialect === 'postgres') {
    try {
      const got = await acquireRunLock(
        sql,
        runLockName(job.name, site?.id ?? null),
        runLockLeaseMs(deps),
        deps.now(),
      );
      if (!got.lock)
        return skipped(
          `previous run (held by ${got.heldBy.holder} since ${got.heldBy.acquiredAt}) is still running`,
          'warn',
        );
      lock = got.lock;
    } catch (err) {
      return skipped(`could not take the run lock: ${errorMessage(err)}`);
    }
  }
  const release = async () => {
    if (!lock) return;
    await releaseRunLock(sql, lock).catch((err: unknown) =>
      deps.log.warn(`${label}: could not release the run lock: ${errorMessage(err)}`),
    );
  };
  let start: Awaited<ReturnType<typeof tryStartRun>>;
  try {
    start = await tryStartRun(
      sql,
      {
        job: job.name,
        siteId: site?.id ?? null,
        trigger,
        pid,
        processStartedAt: (deps.processStartTime ?? processStartTime)(pid),
        isLive: lock ? () => false : liveCheck(deps, deps.now()),
      },
      deps.now(),
    );
  } catch (err) {
    // e.g. "database is locked" past busy_timeout: report it as a skipped run, never as a crash.
    await release();
    return skipped(`could not record the start of the run: ${errorMessage(err)}`);
  }
  if (!start.started) {
    await release();
    const b = start.blockedBy;
    return skipped(
      `previous run #${b.id} (started ${b.startedAt} by process ${b.pid}, last heartbeat ${b.heartbeatAt ?? b.startedAt}) is still running`,
      'warn',
    );
  }
  const runId = start.id;
  OWN_RUNS.add(runId);
  const log = deps.log.child(label);
  // A run whose lock was taken over (it stalled past its lease) stops: two runs of the pair now overlap.
  const lockLost = new AbortController();
  const runSignal = AbortSignal.any([signal, lockLost.signal]);
  const heartbeat = setInterval(() => {
    recordHeartbeat(sql, runId, deps.now()).catch((err: unknown) => {
      // A missed beat or two is harmless; only HEARTBEAT_STALE_MS of silence marks the run dead.
      log.warn(`run #${runId}: could not record its heartbeat: ${errorMessage(err)}`);
    });
    if (lock && !lockLost.signal.aborted)
      renewRunLock(sql, lock, runLockLeaseMs(deps), deps.now())
        .then((held) => {
          if (held) return;
          log.error(`run #${runId}: lost its run lock to another run; stopping`);
          lockLost.abort(new Error('another run took over the run lock'));
        })
        .catch((err: unknown) =>
          log.warn(`run #${runId}: could not renew its run lock: ${errorMessage(err)}`),
        );
  }, deps.heartbeatMs ?? HEARTBEAT_MS);
  heartbeat.unref();
  const t0 = performance.now();
  const siteConfig = site ? (deps.config.sites.find((s) => s.name === site.name) ?? null) : null;
  log.info(`run #${runId} started (${trigger})`);
  try {
    const counts = await job.run({
      ...deps,
      sql: sqlOf(deps),
      site,
      siteConfig,
      runId,
      trigger,
      signal: runSignal,
      log,
      progress:
        deps.progress ??
        ((l, total) => createProgress({ label: `${label} ${l}`, total, log: (line) => log.info(line) })),
    });
    const ms = performance.now() - t0;
    await safeFinish(deps, runId, { status: 'ok', counts });
    log.info(`run #${runId} ok in ${Math.round(ms)} ms ${JSON.stringify(counts)}`);
    return { status: 'ok', runId, counts, ms };
  } catch (err) {
    const ms = performance.now() - t0;
    const status = runSignal.aborted ? 'interrupted' : 'failed';
    const error = errorMessage(err);
    await safeFinish(deps, runId, { status, error });
    log.error(`run #${runId} ${status} after ${Math.round(ms)} ms: ${error}`);
    // An interrupted run was stopped on purpose (shutdown); only a failure is news.
    if (status === 'failed') await alertJobFailure(deps, job, site, runId, error, signal);
    return { status, runId, error, ms };
  } finally {
    clearInterval(heartbeat);
    OWN_RUNS.delete(runId);
    await release();
  }
}

/** Records the end of a run; if even that fails (database locked for long), says so in the log. The
 * row then stays "running" and the next entry point's sweep marks it interrupted. */
async function safeFinish(
  deps: RunnerDeps,
  runId: number,
  outcome: Parameters<typeof finishRun>[2],
): Promise<void> {
  try {
    await finishRun(sqlOf(deps), runId, outcome, deps.now());
  } catch (err) {
    deps.log.error(`run #${runId}: could not record its end (${outcome.status}): ${errorMessage(err)}`);
  }
}

/**
 * Sends a 'job-failure' alert through the channels that take it, unless one for the same job and site
 * was raised in the last six hours (a job failing every 15 minutes alerts once, not 24 times). With no such channel nothing is recorded: the
 * Jobs page shows the failed run already. Never throws: alerting must not change the run's outcome.
 */
async function alertJobFailure(
  deps: RunnerDeps,
  job: Job,
  site: SiteRow | null,
  runId: number,
  error: string,
  signal: AbortSignal,
): Promise<void> {
  try {
    const message: AlertMessage = {
      siteName: site?.name ?? null,
      kind: 'job-failure',
      severity: 'critical',
      facts: { type: 'job-failed', job: job.name, runId, error },
    };
    // Quiet for six hours per job and site, and stored only when a channel takes it (sendAlerts' rules).
    await sendAlerts(
      {
        sql: sqlOf(deps),
        config: deps.config,
        now: deps.now,
        log: deps.log,
        fetch: deps.fetch,
        secret: deps.secret,
        signal,
        deliver: deps.alertOptions,
      },
      site?.id ?? null,
      [message],
    );
  } catch (err) {
    deps.log.error(`run #${runId}: could not send the job-failure alert: ${errorMessage(err)}`);
  }
}
