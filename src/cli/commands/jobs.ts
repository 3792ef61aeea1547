// `promowatch jobs`: every job with its schedule, last run and next run, in the time zone it runs in.
import { JOBS } from '../../../jobs/index.ts';
import { sweepOrphans } from '../../../jobs/runner.ts';
import { describeNextRun, planRuns, type PlannedRun } from '../../../jobs/scheduler.ts';
import { lastRun, type JobRunRow } from '../../db/job-runs.ts';
import { formatter } from '../../i18n/index.ts';
import { COMMON_HELP, COMMON_OPTIONS, EXIT, type Command } from '../command.ts';
import { openRuntime } from '../runtime.ts';
import { wallClock } from '../wall-clock.ts';

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) =>
    r
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join('  ')
      .trimEnd(),
  );
}

export interface JobLine {
  plan: PlannedRun;
  last: JobRunRow | undefined;
}

/**
 * The jobs table, one block per time zone (a single-site install has one): the zone is named once
 * above its block and every time in it is that zone's wall clock, so no column repeats it.
 */
export function jobsTable(lines: readonly JobLine[], now: Date): string[] {
  const zones = [...new Set(lines.map((l) => l.plan.timeZone))];
  const out: string[] = [];
  for (const zone of zones) {
    const fmt = formatter('en', zone);
    if (out.length) out.push('');
    out.push(`Times in ${zone}`);
    const rows = [['JOB', 'SITE', 'SCHEDULE', 'LAST RUN', 'TOOK', 'STATUS', 'NEXT RUN']];
    for (const { plan: p, last } of lines.filter((l) => l.plan.timeZone === zone)) {
      const next = describeNextRun(p, now);
      rows.push([
        p.job.name,
        p.site?.name ?? '(all sites)',
        p.schedule,
        last ? `${wallClock(last.startedAt, zone)} (${fmt.relative(last.startedAt, now)})` : 'never',
        last?.finishedAt ? fmt.duration(Date.parse(last.finishedAt) - Date.parse(last.startedAt)) : '-',
        last?.status ?? '-',
        !p.enabled
          ? 'disabled'
          : next
            ? `${wallClock(next, zone)} (${fmt.relative(next.toISOString(), now)})`
            : '-',
      ]);
    }
    out.push(...table(rows));
  }
  if (lines.length && lines.every((l) => !l.last))
    out.push(
      '',
      'No job has run yet — start the scheduler with `promowatch start`, or run one now with `promowatch run JOB`.',
    );
  return out;
}

/** The same for scripts: times as UTC ISO strings, the zone given per job. */
export function jobsJson(lines: readonly JobLine[], now: Date) {
  return lines.map(({ plan: p, last }) => ({
    job: p.job.name,
    site: p.site?.name ?? null,
    schedule: p.schedule,
    timeZone: p.timeZone,
    enabled: p.enabled,
    lastRun: last
      ? { startedAt: last.startedAt, finishedAt: last.finishedAt, status: last.status, error: last.error }
      : null,
    nextRun: describeNextRun(p, now)?.toISOString() ?? null,
  }));
}

export const jobsCommand: Command = {
  name: 'jobs',
  summary: 'list jobs with their schedule, last run and next run',
  usage: 'promowatch jobs [--json] [--config FILE] [--db FILE]',
  help: `  --json          print JSON (times in UTC, ISO 8601, with each job's time zone)
${COMMON_HELP}

Times are shown in the zone each job runs in: the site's timeZone, or the config's timeZone for
jobs that cover all sites.`,
  options: { ...COMMON_OPTIONS, json: { type: 'boolean' } },
  async run(values, _pos, io) {
    const rt = await openRuntime({
      config: values.config as string | undefined,
      db: values.db as string | undefined,
      env: io.env,
    });
    try {
      // So that a run killed with -9 shows as interrupted, not as running forever.
      await sweepOrphans(rt.deps);
      const now = rt.deps.now();
      const lines = await Promise.all(
        (await planRuns(rt.deps, JOBS)).map(async (plan) => ({
          plan,
          last: await lastRun(rt.sql, plan.job.name, plan.site?.id ?? null),
        })),
      );
      if (values.json) io.out(JSON.stringify(jobsJson(lines, now)));
      else jobsTable(lines, now).forEach((l) => io.out(l));
      return EXIT.ok;
    } finally {
      await rt.close();
    }
  },
};
