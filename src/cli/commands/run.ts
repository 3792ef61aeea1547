// `promowatch run <job> [--site NAME]`: one job now, for system cron and for trying things.
import { findJob, JOB_NAMES } from '../../../jobs/index.ts';
import { runJob, sweepOrphans, type RunnerDeps } from '../../../jobs/runner.ts';
import type { Job } from '../../../jobs/types.ts';
import { configuredSites, type SiteRow } from '../../db/sites.ts';
import { formatter, messages } from '../../i18n/index.ts';
import { jobCountsText } from '../../i18n/job-counts.ts';
import { COMMON_HELP, COMMON_OPTIONS, EXIT, UsageError, type Command, type Io } from '../command.ts';
import { openRuntime } from '../runtime.ts';
import { siteOf } from '../site-option.ts';

// The command line speaks English (the catalogue's English, so the Jobs page and the CLI use one set of words).
const EN = messages('en');
const FMT = formatter('en', 'UTC');

export const runCommand: Command = {
  name: 'run',
  summary: 'run one job now (for system cron, or to try it)',
  usage: 'promowatch run <job> [--site NAME] [--config FILE] [--db FILE]',
  help: `  <job>           one of: ${JOB_NAMES.join(', ')}
  --site NAME     only this site (default: every configured site, one after another)
${COMMON_HELP}

Exit code 0 when every run succeeded, 1 when one failed, 2 for a usage or config error.
A run skipped because the same job is already running elsewhere counts as success.`,
  options: { ...COMMON_OPTIONS, site: { type: 'string' } },
  positionals: { min: 1, max: 1 },
  async run(values, [jobName], io) {
    const job = findJob(jobName!);
    if (!job)
      throw new UsageError(
        `No job "${jobName}"; jobs are: ${JOB_NAMES.join(', ')} (see them with \`promowatch jobs\`)`,
      );
    const rt = await openRuntime({
      config: values.config as string | undefined,
      db: values.db as string | undefined,
      env: io.env,
    });
    const abort = new AbortController();
    void io.stopSignal.then(() => abort.abort(new Error('interrupted by signal')));
    try {
      const names = rt.loaded.config.sites.map((s) => s.name);
      let sites = job.scope === 'global' ? [null] : await configuredSites(rt.sql, names);
      if (values.site !== undefined) {
        if (job.scope === 'global')
          throw new UsageError(`${job.name} runs once for the whole install; drop --site`);
        const site = await siteOf(rt, values.site as string);
        sites = [site];
      }
      // Runs killed earlier (kill -9, OOM) would otherwise stay "running" forever under system cron.
      await sweepOrphans(rt.deps);
      return await runNow(rt.deps, job, sites, io, abort.signal);
    } finally {
      await rt.close();
    }
  },
};

/** Runs the job for each site in turn; exit code 1 if any run failed or was interrupted. */
export async function runNow(
  deps: RunnerDeps,
  job: Job,
  sites: (SiteRow | null)[],
  io: Pick<Io, 'out' | 'err'>,
  signal: AbortSignal,
): Promise<number> {
  let failed = 0;
  for (const site of sites) {
    if (signal.aborted) break;
    const r = await runJob(deps, job, site, 'cli', signal);
    const label = site ? `${job.name} ${site.name}` : job.name;
    if (r.status === 'ok') io.out(`${label}: ok (${jobCountsText(EN.jobs, FMT, job.name, r.counts)})`);
    else if (r.status === 'skipped') io.out(`${label}: skipped (${r.reason})`);
    else {
      failed++;
      io.err(`${label}: ${r.status}: ${r.error}`);
    }
  }
  return failed > 0 || signal.aborted ? EXIT.failed : EXIT.ok;
}
