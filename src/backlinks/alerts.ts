// Turns a run's confirmed changes and upcoming renewals into alert messages, and sends them through the
// site's notification channels (one message per kind, not one per link).
import type { Config } from '../config/schema.ts';
import { recordAlert } from '../db/alerts.ts';
import type { Db } from '../db/open.ts';
import { alertLocale, channelsFor, notify, storedMessage } from '../notify/index.ts';
import type { AlertFacts, AlertMessage, ChannelDeps } from '../notify/types.ts';
import type { Logger } from '../util/log.ts';
import type { MonitorSummary } from './monitor.ts';
import type { BacklinkRow } from './store.ts';

/** A renewal reminder warns this many days before a payment ends (money.ts's renewalsDue window). */
export const RENEWAL_NOTICE_DAYS = 14;

export function alertsForRun(
  siteName: string,
  summary: MonitorSummary,
  renewals: { id: number; paidUntil: string; vendor: string | null }[],
  links: BacklinkRow[],
): AlertMessage[] {
  const out: AlertMessage[] = [];
  const group = (
    to: 'lost' | 'devalued' | 'live',
    kind: AlertMessage['kind'],
    severity: AlertMessage['severity'],
    filter?: (from: string) => boolean,
  ) => {
    const items = summary.changes.filter((c) => c.change.to === to && (!filter || filter(c.change.from)));
    if (items.length) {
      const facts: AlertFacts = {
        type: 'links',
        to: to === 'live' ? 'recovered' : to,
        links: items.map((c) => ({
          donorUrl: c.link.donorUrl,
          target: c.link.target,
          vendor: c.link.vendor,
          reasons: c.change.reasons,
        })),
      };
      out.push({ siteName, kind, severity, facts });
    }
  };
  group('lost', 'lost-backlink', 'critical');
  group('devalued', 'devalued-backlink', 'warning');
  group('live', 'recovered-backlink', 'info', (from) => from === 'lost' || from === 'devalued');
  if (renewals.length) {
    const byId = new Map(links.map((l) => [l.id, l]));
    out.push({
      siteName,
      kind: 'renewal-due',
      severity: 'info',
      facts: {
        type: 'renewals',
        withinDays: RENEWAL_NOTICE_DAYS,
        renewals: renewals.map((r) => ({
          donor: byId.get(r.id)?.donorUrl ?? String(r.id),
          paidUntil: r.paidUntil,
          vendor: r.vendor,
        })),
      },
    });
  }
  return out;
}

/**
 * Sends each message through every configured channel (recorded in `alerts` by notify()); with no
 * channel configured it is still recorded, for the dashboard. A renewal reminder goes out once a day.
 * Returns how many messages went out.
 */
export async function sendAlerts(
  ctx: {
    db: Db;
    config: Config;
    now: () => Date;
    log: Logger;
    fetch: typeof fetch;
    secret: ChannelDeps['secret'];
    /** The run's signal: a shutdown stops the waits between delivery retries. */
    signal?: AbortSignal;
  },
  siteId: number,
  messages: AlertMessage[],
): Promise<number> {
  let sent = 0;
  for (const m of messages) {
    if (m.kind === 'renewal-due') {
      const since = new Date(ctx.now().getTime() - 20 * 3_600_000).toISOString();
      const recent = ctx.db
        .prepare(`SELECT 1 FROM alerts WHERE site_id = ? AND kind = 'renewal-due' AND raised_at >= ?`)
        .get(siteId, since);
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
        {
          fetch: ctx.fetch,
          secret: ctx.secret,
          now: ctx.now,
          log: ctx.log,
          locale,
        },
        { signal: ctx.signal },
      );
    }
    sent++;
  }
  return sent;
}
