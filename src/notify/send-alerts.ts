// The one alerting entry point every area's job calls (links, crawl, ads…): each message goes to the
// channels meant for its site and kind, or is kept for the dashboard when none is.
import type { Config } from '../config/schema.ts';
import { recordAlert } from '../db/alerts.ts';
import type { Db } from '../db/open.ts';
import type { Logger } from '../util/log.ts';
import { alertLocale, channelsFor, notify, storedMessage } from './index.ts';
import type { AlertKind, AlertMessage, ChannelDeps } from './types.ts';

/**
 * Kinds that repeat every run while their cause lasts, and how long one of them keeps the next quiet:
 * a renewal reminder goes out once a day, not at every backlink check.
 */
const QUIET_HOURS: Partial<Record<AlertKind, number>> = { 'renewal-due': 20 };

export interface SendAlertsContext {
  db: Db;
  config: Config;
  now: () => Date;
  log: Logger;
  fetch: typeof fetch;
  secret: ChannelDeps['secret'];
  /** The run's signal: a shutdown stops the waits between delivery retries. */
  signal?: AbortSignal;
}

/**
 * Sends each message through every configured channel that takes it (recorded in `alerts` by
 * notify()); with no such channel it is still recorded, for the dashboard. Returns how many messages
 * went out (or were kept), leaving out those a recent one of the same kind kept quiet.
 */
export async function sendAlerts(
  ctx: SendAlertsContext,
  siteId: number,
  messages: AlertMessage[],
): Promise<number> {
  let sent = 0;
  for (const m of messages) {
    const quietHours = QUIET_HOURS[m.kind];
    if (quietHours !== undefined) {
      const since = new Date(ctx.now().getTime() - quietHours * 3_600_000).toISOString();
      const recent = ctx.db
        .prepare(`SELECT 1 FROM alerts WHERE site_id = ? AND kind = ? AND raised_at >= ?`)
        .get(siteId, m.kind, since);
      if (recent) continue;
    }
    // Only the channels meant for this site and kind; with none, the alert is still kept for the dashboard.
    const channels = channelsFor(ctx.config.notifications.channels, m.siteName, m.kind);
    const locale = alertLocale(ctx.config, m.siteName);
    if (channels.length === 0) {
      recordAlert(
        ctx.db,
        {
          siteId,
          kind: m.kind,
          severity: m.severity,
          message: storedMessage(m, locale),
          channel: 'dashboard',
          recipient: 'dashboard',
          facts: m.facts,
        },
        ctx.now(),
      );
    } else {
      await notify(
        ctx.db,
        channels,
        siteId,
        m,
        { fetch: ctx.fetch, secret: ctx.secret, now: ctx.now, log: ctx.log, locale },
        { signal: ctx.signal },
      );
    }
    sent++;
  }
  return sent;
}
