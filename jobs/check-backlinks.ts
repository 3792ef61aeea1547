// Job: check every bought link of a site (src/backlinks) and alert on confirmed losses, devaluations,
// recoveries and renewals due, grouped into one message per kind and run.
import { checkSiteBacklinks } from '../src/backlinks/monitor.ts';
import { moneyReport } from '../src/backlinks/money.ts';
import { listBacklinks, statusEvents } from '../src/backlinks/store.ts';
import { alertsForRun } from '../src/backlinks/alerts.ts';
import { sendAlerts } from '../src/notify/send-alerts.ts';
import { dayIn } from '../src/util/days.ts';
import { sleep } from '../src/util/sleep.ts';
import type { Job, JobContext } from './types.ts';

export const checkBacklinksJob: Job = {
  name: 'check-backlinks',
  description:
    'Checks each bought link (HTTP, robots.txt, noindex, rel, <noindex>, JavaScript, CSS hiding); confirms losses before alerting',
  scope: 'site',
  defaultSchedule: '0 */6 * * *',
  run: (ctx) => checkAndAlert(ctx),
};

/**
 * The same job for some links only: "re-check now" from the dashboard runs it through the job runner, so
 * the check is recorded as a manual run and its confirmed changes alert like a scheduled run's.
 */
export function checkSomeBacklinksJob(ids: number[]): Job {
  return { ...checkBacklinksJob, run: (ctx) => checkAndAlert(ctx, ids) };
}

async function checkAndAlert(ctx: JobContext, only?: number[]): Promise<Record<string, number>> {
  const site = ctx.site!;
  const settings = ctx.siteConfig?.backlinks ?? {};
  // On a schedule, start at a random moment within jitterSeconds so donors do not see a fixed rhythm.
  const jitter = ctx.trigger === 'schedule' ? Math.random() * (settings.jitterSeconds ?? 300) * 1000 : 0;
  if (jitter > 0) {
    await sleep(jitter, ctx.signal);
    // Stopped during the wait: end as interrupted rather than start checking donors.
    ctx.signal.throwIfAborted();
  }
  const summary = await checkSiteBacklinks(
    {
      sql: ctx.sql,
      db: ctx.db,
      now: ctx.now,
      log: ctx.log,
      signal: ctx.signal,
      browser: ctx.browser,
      progress: ctx.progress,
      runId: ctx.runId,
    },
    site,
    settings,
    only,
  );
  const today = dayIn(ctx.now(), site.timeZone);
  const money = moneyReport(
    await listBacklinks(ctx.sql, site.id),
    (await statusEvents(ctx.sql, site.id)).map((e) => ({ backlinkId: e.backlinkId, at: e.at, to: e.to })),
    today,
    today,
  );
  const messages = alertsForRun(site.name, summary, money.renewalsDue, await listBacklinks(ctx.sql, site.id));
  const delivered = await sendAlerts(ctx, site.id, messages);
  return {
    checked: summary.checked,
    rendered: summary.rendered,
    live: summary.byOutcome.live ?? 0,
    devalued: summary.byOutcome.devalued ?? 0,
    failing: (summary.byOutcome.missing ?? 0) + (summary.byOutcome.gone ?? 0),
    inconclusive: summary.byOutcome.inconclusive ?? 0,
    changes: summary.changes.length,
    alerts: delivered,
  };
}
