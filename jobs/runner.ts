// Runs one job for one site and records it in job_runs; the one place that decides a run's status.
import { finishRun, tryStartRun, type RunTrigger } from '../src/db/job-runs.ts';
import type { SiteRow } from '../src/db/sites.ts';
import {
  alertLocale,
  alertText,
  channelsFor,
  notify,
  type AlertMessage,
  type DeliverOptions,
} from '../src/notify/index.ts';
import { createProgress } from '../src/util/progress.ts';
import type { Job, JobContext } from './types.ts';

export type RunnerDeps = Omit<
  JobContext,
  'site' | 'siteConfig' | 'runId' | 'signal' | 'progress' | 'log' | 'trigger'
> & {
  log: JobContext['log'];
  pid?: number;
  isAlive?: (pid: number) => boolean;
  progress?: JobContext['progress'];
  /** Retry settings for the job-failure alert (tests shorten the waits). */
  alertOptions?: DeliverOptions;
};

/** A job failing every 15 minutes alerts once in this window, not 24 times. */
export const JOB_FAILURE_ALERT_QUIET_MS = 6 * 3_600_000;

export type RunOutcome =
  | { status: 'ok'; runId: number; counts: Record<string, number>; ms: number }
  | { status: 'failed' | 'interrupted'; runId: number; error: string; ms: number }
  | { status: 'skipped'; reason: string };

/** Runs this process has started and not finished. A row carrying our pid but not listed here was
 * left by an earlier process that had the same pid (containers often run as pid 1). */
const OWN_RUNS = new Set<number>();

/** Liveness of a running row: ours if we started it, else whether its process still exists. */
export function liveCheck(deps: Pick<RunnerDeps, 'pid' | 'isAlive'>) {
  const own = deps.pid ?? process.pid;
  const isAlive = deps.isAlive ?? pidIsAlive;
  return (row: { id: number; pid: number }) => (row.pid === own ? OWN_RUNS.has(row.id) : isAlive(row.pid));
}

export function pidIsAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
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
  let start: ReturnType<typeof tryStartRun>;
  try {
    start = tryStartRun(
      deps.db,
      { job: job.name, siteId: site?.id ?? null, trigger, pid, isLive: liveCheck(deps) },
      deps.now(),
    );
  } catch (err) {
    // e.g. "database is locked" past busy_timeout: report it as a skipped run, never as a crash.
    const reason = `could not record the start of the run: ${errorMessage(err)}`;
    deps.log.error(`${label}: ${reason}`);
    return { status: 'skipped', reason };
  }
  if (!start.started) {
    const reason = `previous run #${start.blockedBy.id} (started ${start.blockedBy.startedAt} by process ${start.blockedBy.pid}) is still running`;
    deps.log.warn(`${label}: skipped, ${reason}`);
    return { status: 'skipped', reason };
  }
  const runId = start.id;
  OWN_RUNS.add(runId);
  const log = deps.log.child(label);
  const t0 = performance.now();
  const siteConfig = site ? (deps.config.sites.find((s) => s.name === site.name) ?? null) : null;
  log.info(`run #${runId} started (${trigger})`);
  try {
    const counts = await job.run({
      ...deps,
      site,
      siteConfig,
      runId,
      trigger,
      signal,
      log,
      progress:
        deps.progress ??
        ((l, total) => createProgress({ label: `${label} ${l}`, total, log: (line) => log.info(line) })),
    });
    const ms = performance.now() - t0;
    safeFinish(deps, runId, { status: 'ok', counts });
    log.info(`run #${runId} ok in ${Math.round(ms)} ms ${JSON.stringify(counts)}`);
    return { status: 'ok', runId, counts, ms };
  } catch (err) {
    const ms = performance.now() - t0;
    const status = signal.aborted ? 'interrupted' : 'failed';
    const error = errorMessage(err);
    safeFinish(deps, runId, { status, error });
    log.error(`run #${runId} ${status} after ${Math.round(ms)} ms: ${error}`);
    // An interrupted run was stopped on purpose (shutdown); only a failure is news.
    if (status === 'failed') await alertJobFailure(deps, job, site, runId, error);
    return { status, runId, error, ms };
  } finally {
    OWN_RUNS.delete(runId);
  }
}

/** Records the end of a run; if even that fails (database locked for long), says so in the log. The
 * row then stays "running" and is marked interrupted at the next start. */
function safeFinish(deps: RunnerDeps, runId: number, outcome: Parameters<typeof finishRun>[2]): void {
  try {
    finishRun(deps.db, runId, outcome, deps.now());
  } catch (err) {
    deps.log.error(`run #${runId}: could not record its end (${outcome.status}): ${errorMessage(err)}`);
  }
}

/**
 * Sends a 'job-failure' alert through the channels that take it, unless one for the same job and site
 * was raised in the last JOB_FAILURE_ALERT_QUIET_MS. With no such channel nothing is recorded: the
 * Jobs page shows the failed run already. Never throws: alerting must not change the run's outcome.
 */
async function alertJobFailure(
  deps: RunnerDeps,
  job: Job,
  site: SiteRow | null,
  runId: number,
  error: string,
): Promise<void> {
  try {
    const message: AlertMessage = {
      siteName: site?.name ?? null,
      kind: 'job-failure',
      severity: 'critical',
      facts: { type: 'job-failed', job: job.name, runId, error },
    };
    const channels = deps.config.notifications.channels;
    if (channelsFor(channels, message.siteName, 'job-failure').length === 0) return;
    // The stored message (in the site's language) starts with the title line, which names the job and
    // the site; a change of the site's language lets one repeat through, which is harmless.
    const locale = alertLocale(deps.config, message.siteName);
    const title = alertText(message, locale).title;
    const since = new Date(deps.now().getTime() - JOB_FAILURE_ALERT_QUIET_MS).toISOString();
    const recent = deps.db
      .prepare(
        `SELECT raised_at FROM alerts WHERE kind = 'job-failure' AND site_id IS ? AND raised_at >= ?
           AND substr(message, 1, ?) = ? LIMIT 1`,
      )
      .get(site?.id ?? null, since, title.length + 1, `${title}\n`) as { raised_at: string } | undefined;
    if (recent) {
      deps.log.info(`run #${runId}: no failure alert, one went out at ${recent.raised_at}`);
      return;
    }
    await notify(deps.db, channels, site?.id ?? null, message, { ...deps, locale }, deps.alertOptions);
  } catch (err) {
    deps.log.error(`run #${runId}: could not send the job-failure alert: ${errorMessage(err)}`);
  }
}
