// Job: check every bought link of a site (src/backlinks) and alert on confirmed losses, devaluations,
// recoveries and renewals due, grouped into one message per kind and run.
import { checkSiteBacklinks } from '../src/backlinks/monitor.ts';
import { moneyReport } from '../src/backlinks/money.ts';
import { listBacklinks, statusEvents } from '../src/backlinks/store.ts';
import { alertsForRun, sendAlerts } from '../src/backlinks/alerts.ts';
import { dayIn } from '../src/util/days.ts';
import type { Job } from './types.ts';

export const checkBacklinksJob: Job = {
  name: 'check-backlinks',
  description:
    'Checks each bought link (HTTP, robots.txt, noindex, rel, <noindex>, JavaScript, CSS hiding); confirms losses before alerting',
  scope: 'site',
  defaultSchedule: '0 */6 * * *',
  async run(ctx) {
    const site = ctx.site!;
    const settings = ctx.siteConfig?.backlinks ?? {};
    // On a schedule, start at a random moment within jitterSeconds so donors do not see a fixed rhythm.
    const jitter = ctx.trigger === 'schedule' ? Math.random() * (settings.jitterSeconds ?? 300) * 1000 : 0;
    if (jitter > 0) await new Promise((r) => setTimeout(r, jitter));
    const summary = await checkSiteBacklinks(
      {
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
    );
    const today = dayIn(ctx.now(), site.timeZone);
    const money = moneyReport(
      listBacklinks(ctx.db, site.id),
      statusEvents(ctx.db, site.id).map((e) => ({ backlinkId: e.backlinkId, at: e.at, to: e.to })),
      today,
      today,
    );
    const messages = alertsForRun(site.name, summary, money.renewalsDue, listBacklinks(ctx.db, site.id));
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
  },
};
