// The one alerting entry point every area's job calls (links, crawl, ads…): each message goes to the
// channels meant for its site and kind, or is kept for the dashboard when none is.
import type { Config } from '../config/schema.ts';
import { recordAlert } from '../db/alerts.ts';
import type { Sql } from '../db/store/types.ts';
import type { Logger } from '../util/log.ts';
import { alertLocale, alertText, channelsFor, notify, storedMessage, type DeliverOptions } from './index.ts';
import type { AlertKind, AlertMessage, ChannelDeps } from './types.ts';

/**
 * Kinds that repeat every run while their cause lasts, and how long one of them keeps the next quiet:
 * a renewal reminder goes out once a day, not at every backlink check; a job that fails at every run
 * alerts once in six hours (per job: its title names the job and the site).
 */
const QUIET: Partial<Record<AlertKind, { hours: number; sameTitle: boolean }>> = {
  'renewal-due': { hours: 20, sameTitle: false },
  'job-failure': { hours: 6, sameTitle: true },
};

/**
 * Kinds recorded only when a channel takes them: a failed run is on the Jobs page already, so with no
 * channel for it nothing is stored (the inbox is for what the jobs found, not for their own health).
 */
const CHANNEL_ONLY: ReadonlySet<AlertKind> = new Set(['job-failure']);

export interface SendAlertsContext {
  sql: Sql;
  config: Config;
  now: () => Date;
  log: Logger;
  fetch: typeof fetch;
  secret: ChannelDeps['secret'];
  /** The run's signal: a shutdown stops the waits between delivery retries. */
  signal?: AbortSignal;
  /** Retry tuning for the deliveries (tests shorten the waits); the signal above always applies. */
  deliver?: Omit<DeliverOptions, 'signal'>;
}

/**
 * Sends each message through every configured channel that takes it (recorded in `alerts` by
 * notify()); with no such channel it is still recorded, for the dashboard (except CHANNEL_ONLY kinds).
 * `siteId` is null for an alert about no site (a global job). Returns how many messages went out (or
 * were kept), leaving out those a recent one of the same kind kept quiet.
 */
export async function sendAlerts(
  ctx: SendAlertsContext,
  siteId: number | null,
  messages: AlertMessage[],
): Promise<number> {
  let sent = 0;
  for (const m of messages) {
    const channels = channelsFor(ctx.config.notifications.channels, m.siteName, m.kind);
    if (channels.length === 0 && CHANNEL_ONLY.has(m.kind)) continue;
    const locale = alertLocale(ctx.config, m.siteName);
    const quiet = QUIET[m.kind];
    if (quiet !== undefined) {
      const since = new Date(ctx.now().getTime() - quiet.hours * 3_600_000).toISOString();
      // The stored message starts with the title line (storedMessage), in the site's language; a change
      // of language lets one repeat through, which is harmless.
      const title = quiet.sameTitle ? `${alertText(m, locale).title}\n` : '';
      const recent = await raisedSince(ctx.sql, siteId, m.kind, since, title);
      if (recent) {
        ctx.log.info(`no ${m.kind} alert: one went out at ${recent}`);
        continue;
      }
    }
    if (channels.length === 0) {
      await recordAlert(
        ctx.sql,
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
        ctx.sql,
        channels,
        siteId,
        m,
        { fetch: ctx.fetch, secret: ctx.secret, now: ctx.now, log: ctx.log, locale },
        { ...ctx.deliver, signal: ctx.signal },
      );
    }
    sent++;
  }
  return sent;
}

/**
 * When an alert of this kind for this site (null: no site) whose stored message starts with `prefix` was
 * raised at or after `since`; undefined if none. IS NOT DISTINCT FROM: an alert about no site matches null.
 */
export async function raisedSince(
  sql: Sql,
  siteId: number | null,
  kind: AlertKind,
  since: string,
  prefix: string,
): Promise<string | undefined> {
  const row = await sql.get<{ raised_at: string }>(
    `SELECT raised_at FROM alerts WHERE site_id IS NOT DISTINCT FROM ? AND kind = ? AND raised_at >= ?
       AND substr(message, 1, ?) = ? ORDER BY raised_at DESC LIMIT 1`,
    [siteId, kind, since, prefix.length, prefix],
  );
  return row?.raised_at;
}
