// Runs one job for one site and records it in job_runs; the one place that decides a run's status.
import { finishRun, tryStartRun, type RunTrigger } from '../src/db/job-runs.ts';
import type { SiteRow } from '../src/db/sites.ts';
import { createProgress } from '../src/util/progress.ts';
import type { Job, JobContext } from './types.ts';

export type RunnerDeps = Omit<JobContext, 'site' | 'siteConfig' | 'runId' | 'signal' | 'progress' | 'log'> & {
  log: JobContext['log'];
  pid?: number;
  isAlive?: (pid: number) => boolean;
  progress?: JobContext['progress'];
};

export type RunOutcome =
  | { status: 'ok'; runId: number; counts: Record<string, number>; ms: number }
  | { status: 'failed' | 'interrupted'; runId: number; error: string; ms: number }
  | { status: 'skipped'; reason: string };

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
  const start = tryStartRun(
    deps.db,
    { job: job.name, siteId: site?.id ?? null, trigger, pid, isAlive: deps.isAlive ?? pidIsAlive },
    deps.now(),
  );
  if (!start.started) {
    const reason = `previous run #${start.blockedBy.id} (started ${start.blockedBy.startedAt} by process ${start.blockedBy.pid}) is still running`;
    deps.log.warn(`${label}: skipped, ${reason}`);
    return { status: 'skipped', reason };
  }
  const runId = start.id;
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
      signal,
      log,
      progress:
        deps.progress ??
        ((l, total) => createProgress({ label: `${label} ${l}`, total, log: (line) => log.info(line) })),
    });
    const ms = performance.now() - t0;
    finishRun(deps.db, runId, { status: 'ok', counts }, deps.now());
    log.info(`run #${runId} ok in ${Math.round(ms)} ms ${JSON.stringify(counts)}`);
    return { status: 'ok', runId, counts, ms };
  } catch (err) {
    const ms = performance.now() - t0;
    const status = signal.aborted ? 'interrupted' : 'failed';
    const error = errorMessage(err);
    finishRun(deps.db, runId, { status, error }, deps.now());
    log.error(`run #${runId} ${status} after ${Math.round(ms)} ms: ${error}`);
    return { status, runId, error, ms };
  }
}
