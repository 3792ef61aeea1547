// Job: crawl each site and audit it (src/crawl, src/audit); the Site audit page shows the results.
import { diffCrawls, listCrawls } from '../src/audit/queries.ts';
import { RULES } from '../src/audit/rules/index.ts';
import { sendAlerts } from '../src/notify/send-alerts.ts';
import { auditSettingsFrom, auditSite } from '../src/audit/site-audit.ts';
import { auditSiteThroughQueue } from '../src/audit/crawl-task.ts';
import type { AlertMessage } from '../src/notify/types.ts';
import type { Job, JobContext } from './types.ts';

export const crawlSiteJob: Job = {
  name: 'crawl-site',
  description:
    'Crawls the site (robots.txt, sitemaps, redirects, charsets) and runs the audit rules; compares with the last crawl',
  scope: 'site',
  defaultSchedule: '0 4 * * 1',
  async run(ctx) {
    const site = ctx.site!;
    const settings = auditSettingsFrom(ctx.siteConfig?.crawl ?? {});
    // On PostgreSQL the crawl's batches go to the queue's workers; on SQLite (even inside `promowatch
    // start`, which has an in-process queue) the crawl stays the fast in-process one.
    const r =
      ctx.queue && ctx.sql.dialect === 'postgres'
        ? await auditSiteThroughQueue(
            { sql: ctx.sql, now: ctx.now, log: ctx.log, signal: ctx.signal, queue: ctx.queue },
            { siteId: site.id, runId: ctx.runId, startUrl: site.baseUrl, settings },
          )
        : await auditSite(
            {
              db: ctx.db,
              sql: ctx.sql,
              now: ctx.now,
              log: ctx.log,
              signal: ctx.signal,
              browser: ctx.browser,
              progress: ctx.progress,
            },
            { siteId: site.id, runId: ctx.runId, startUrl: site.baseUrl, settings },
          );
    if (r.status === 'interrupted')
      throw new Error(
        `crawl stopped after ${r.pages} pages; what was crawled is saved as crawl #${r.crawlId}`,
      );
    const newErrors = await alertNewErrors(ctx, r.crawlId);
    return {
      newErrors,
      pages: r.pages,
      urls: r.urls,
      errors: r.issues.error,
      warnings: r.issues.warning,
      notices: r.issues.notice,
      health: r.health ?? 0,
    };
  },
};

/** Lines listed in the alert; the Site audit page has the rest. */
const ALERT_LINES = 50;

/**
 * Sends one 'site-issue' alert listing the error-severity issues this crawl found that the previous
 * complete crawl did not (diffCrawls matches them by rule and URL); the first crawl has nothing to
 * compare with and sends none. An interrupted crawl is no baseline: the pages it never reached would
 * make their issues look new. Returns how many new errors there were; a failure to alert is logged,
 * never a failed crawl.
 */
async function alertNewErrors(ctx: JobContext, crawlId: number): Promise<number> {
  const site = ctx.site!;
  try {
    const previous = (await listCrawls(ctx.sql, site.id)).find((c) => c.id !== crawlId && c.status === 'ok');
    if (!previous) return 0;
    const errors = (await diffCrawls(ctx.sql, crawlId, previous.id)).newIssues.filter(
      (i) => i.severity === 'error',
    );
    if (errors.length === 0) return 0;
    const message: AlertMessage = {
      siteName: site.name,
      kind: 'site-issue',
      severity: 'critical',
      facts: {
        type: 'site-issues',
        since: previous.startedAt,
        total: errors.length,
        issues: errors.slice(0, ALERT_LINES).map((i) => ({
          rule: i.rule,
          // The rule's own title and details, as the Site audit page shows them.
          title: RULES.get(i.rule)?.title ?? i.rule,
          url: i.url,
          details: i.details ?? null,
        })),
      },
    };
    await sendAlerts(ctx, site.id, [message]);
    return errors.length;
  } catch (err) {
    ctx.log.error(
      `could not send the new site issues alert: ${err instanceof Error ? err.message : String(err)}`,
    );
    return 0;
  }
}
