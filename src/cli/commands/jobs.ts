// `promowatch jobs`: every job with its schedule, last run and next run.
import { JOBS } from '../../../jobs/index.ts';
import { sweepOrphans } from '../../../jobs/runner.ts';
import { describeNextRun, planRuns } from '../../../jobs/scheduler.ts';
import { lastRun } from '../../db/job-runs.ts';
import { COMMON_HELP, COMMON_OPTIONS, EXIT, type Command } from '../command.ts';
import { openRuntime } from '../runtime.ts';

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) =>
    r
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join('  ')
      .trimEnd(),
  );
}

export const jobsCommand: Command = {
  name: 'jobs',
  summary: 'list jobs with their schedule, last run and next run',
  usage: 'promowatch jobs [--config FILE] [--db FILE]',
  help: COMMON_HELP,
  options: COMMON_OPTIONS,
  async run(values, _pos, io) {
    const rt = openRuntime({
      config: values.config as string | undefined,
      db: values.db as string | undefined,
      env: io.env,
    });
    try {
      // So that a run killed with -9 shows as interrupted, not as running forever.
      sweepOrphans(rt.deps);
      const now = rt.deps.now();
      const rows = [['JOB', 'SITE', 'SCHEDULE', 'TIME ZONE', 'LAST RUN', 'STATUS', 'NEXT RUN']];
      for (const p of planRuns(rt.deps, JOBS)) {
        const last = lastRun(rt.db, p.job.name, p.site?.id ?? null);
        const next = describeNextRun(p, now);
        rows.push([
          p.job.name,
          p.site?.name ?? '(all)',
          p.schedule,
          p.timeZone,
          last?.startedAt ?? 'never',
          last?.status ?? '-',
          p.enabled ? (next?.toISOString() ?? '-') : 'disabled',
        ]);
      }
      table(rows).forEach((l) => io.out(l));
      return EXIT.ok;
    } finally {
      await rt.close();
    }
  },
};
