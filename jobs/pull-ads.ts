// Job: pull each ad account of a site (src/ads/sync.ts), then raise anomaly and budget alerts.
import { accountAlerts } from '../src/ads/alerts.ts';
import { AD_PLATFORMS } from '../src/ads/platforms/index.ts';
import { getAccount } from '../src/ads/store.ts';
import { syncSiteAds } from '../src/ads/sync.ts';
import { sendAlerts } from '../src/notify/send-alerts.ts';
import type { Job } from './types.ts';

/** "A, B and C". */
const names = (list: string[]) =>
  list.length > 1 ? `${list.slice(0, -1).join(', ')} and ${list[list.length - 1]}` : (list[0] ?? '');

export const pullAdsJob: Job = {
  name: 'pull-ads',
  description: `Pulls daily campaign statistics from ${names(AD_PLATFORMS.map((p) => p.name))}; budget pacing and anomaly alerts`,
  scope: 'site',
  // Every 3 hours: spend moves during the day, and Yandex Direct may need a later run for a queued report.
  defaultSchedule: '10 */3 * * *',
  async run(ctx) {
    const site = ctx.site!;
    const settings = ctx.siteConfig?.ads ?? {};
    const outcomes = await syncSiteAds(
      {
        sql: ctx.sql,
        config: ctx.config,
        now: ctx.now,
        fetch: ctx.fetch,
        log: ctx.log,
        signal: ctx.signal,
        runId: ctx.runId,
        secret: ctx.secret,
        platforms: AD_PLATFORMS,
      },
      site,
      settings,
    );
    let alerts = 0;
    let anomalies = 0;
    for (const o of outcomes) {
      if (o.status !== 'ok') continue;
      const account = (await getAccount(ctx.sql, o.account.id))!;
      const found = await accountAlerts(ctx.sql, site.name, account, settings, ctx.now());
      anomalies += found.anomalies.length;
      alerts += await sendAlerts(ctx, site.id, found.messages);
    }
    const failed = outcomes.filter((o) => o.status === 'failed');
    // Everything pulled is saved; the run still shows as failed so an expired token gets noticed.
    if (failed.length) throw new Error(failed.map((o) => o.error).join('; '));
    return {
      accounts: outcomes.length,
      rows: outcomes.reduce((s, o) => s + o.rows, 0),
      pending: outcomes.filter((o) => o.status === 'pending').length,
      anomalies,
      alerts,
    };
  },
};
