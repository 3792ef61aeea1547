// Job: check every bought link of a site (src/backlinks) and alert on confirmed losses, devaluations,
// recoveries and renewals due, grouped into one message per kind and run.
import { dirname, join } from 'node:path';
import { LINK_CHECK_KIND, type LinkCheckPayload } from '../src/backlinks/link-check-task.ts';
import {
  checkOrder,
  checkSiteBacklinks,
  type BacklinkSettings,
  type MonitorSummary,
} from '../src/backlinks/monitor.ts';
import { moneyReport } from '../src/backlinks/money.ts';
import { listBacklinks, runChecks, statusEvents } from '../src/backlinks/store.ts';
import { fanOut, type FanOutResult } from '../src/queue/fan-out.ts';
import type { TaskQueue } from '../src/queue/types.ts';
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
  const { summary, failed } = ctx.queue
    ? await checkThroughQueue(ctx, ctx.queue, settings, only)
    : {
        failed: [],
        summary: await checkSiteBacklinks(
          {
            sql: ctx.sql,
            db: ctx.db,
            now: ctx.now,
            log: ctx.log,
            signal: ctx.signal,
            browser: ctx.browser,
            progress: ctx.progress,
            runId: ctx.runId,
            evidenceDir: ctx.evidenceDir,
          },
          site,
          settings,
          only,
        ),
      };
  const today = dayIn(ctx.now(), site.timeZone);
  const money = moneyReport(
    await listBacklinks(ctx.sql, site.id),
    (await statusEvents(ctx.sql, site.id)).map((e) => ({ backlinkId: e.backlinkId, at: e.at, to: e.to })),
    today,
    today,
  );
  const messages = alertsForRun(site.name, summary, money.renewalsDue, await listBacklinks(ctx.sql, site.id));
  const delivered = await sendAlerts(ctx, site.id, messages);
  if (failed.length)
    // The checks that were stored have alerted above; the run says which links went unchecked and why.
    throw new Error(
      `${failed.length} of ${failed.length + summary.checked} link checks failed after their retries (first: link #${failed[0]!.key.split(':')[1]}: ${failed[0]!.error}); the next run checks them again`,
    );
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

/**
 * The checks as `links` tasks, one per link, that any worker takes (src/backlinks/link-check-task.ts),
 * in the order the inline run checks them; waits for all, then sums up from what they stored — the same
 * summary the inline run returns.
 */
async function checkThroughQueue(
  ctx: JobContext,
  queue: TaskQueue,
  settings: BacklinkSettings,
  only?: number[],
): Promise<{ summary: MonitorSummary; failed: FanOutResult['failed'] }> {
  const site = ctx.site!;
  const links = (await listBacklinks(ctx.sql, site.id)).filter((l) => !only || only.includes(l.id));
  const ordered = await checkOrder(ctx.sql, site.id, links);
  const evidenceDir = ctx.evidenceDir ?? join(dirname(ctx.db.name), 'evidence');
  const progress = ctx.progress('backlinks', ordered.length);
  let ticked = 0;
  const { failed } = await fanOut<LinkCheckPayload>(
    queue,
    LINK_CHECK_KIND,
    ordered.map((l) => ({
      payload: { runId: ctx.runId, linkId: l.id, settings, evidenceDir },
      key: `${ctx.runId}:${l.id}`,
    })),
    {
      signal: ctx.signal,
      onSettled: (done) => {
        for (; ticked < done; ticked++) progress.tick();
      },
    },
  );
  progress.done();
  const byId = new Map(links.map((l) => [l.id, l]));
  const summary: MonitorSummary = { checked: 0, rendered: 0, byOutcome: {}, changes: [] };
  for (const c of await runChecks(ctx.sql, site.id, ctx.runId)) {
    const link = byId.get(c.linkId);
    if (!link) continue;
    summary.checked++;
    if (c.mode === 'rendered') summary.rendered++;
    summary.byOutcome[c.outcome] = (summary.byOutcome[c.outcome] ?? 0) + 1;
    if (c.change) summary.changes.push({ link, change: c.change });
  }
  return { summary, failed };
}
