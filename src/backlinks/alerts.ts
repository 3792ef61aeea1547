// Turns a run's confirmed changes and upcoming renewals into alert messages, and sends them through the
// site's notification channels (one message per kind, not one per link).
import type { Config } from '../config/schema.ts';
import { recordAlert } from '../db/alerts.ts';
import type { Db } from '../db/open.ts';
import { channelsFor, notify } from '../notify/index.ts';
import type { AlertMessage, ChannelDeps } from '../notify/types.ts';
import type { Logger } from '../util/log.ts';
import type { MonitorSummary } from './monitor.ts';
import type { BacklinkRow } from './store.ts';

export function alertsForRun(
  siteName: string,
  summary: MonitorSummary,
  renewals: { id: number; paidUntil: string; vendor: string | null }[],
  links: BacklinkRow[],
): AlertMessage[] {
  const out: AlertMessage[] = [];
  const line = (l: BacklinkRow, reasons: string[]) =>
    `${l.donorUrl} → ${l.target}${l.vendor ? ` (${l.vendor})` : ''}: ${reasons.join('; ') || '—'}`;
  const group = (
    to: string,
    kind: AlertMessage['kind'],
    severity: AlertMessage['severity'],
    title: string,
    filter?: (from: string) => boolean,
  ) => {
    const items = summary.changes.filter((c) => c.change.to === to && (!filter || filter(c.change.from)));
    if (items.length)
      out.push({
        siteName,
        kind,
        severity,
        title: `${items.length} ${title}`,
        lines: items.map((c) => line(c.link, c.change.reasons)),
      });
  };
  group('lost', 'lost-backlink', 'critical', 'bought link(s) confirmed lost');
  group('devalued', 'devalued-backlink', 'warning', 'bought link(s) no longer pass full value');
  group(
    'live',
    'recovered-backlink',
    'info',
    'bought link(s) recovered',
    (from) => from === 'lost' || from === 'devalued',
  );
  if (renewals.length) {
    const byId = new Map(links.map((l) => [l.id, l]));
    out.push({
      siteName,
      kind: 'renewal-due',
      severity: 'info',
      title: `${renewals.length} link payment(s) end within 14 days`,
      lines: renewals.map(
        (r) =>
          `${byId.get(r.id)?.donorUrl ?? r.id}: paid until ${r.paidUntil}${r.vendor ? ` (${r.vendor})` : ''}`,
      ),
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
    if (channels.length === 0) {
      recordAlert(
        ctx.db,
        {
          siteId,
          kind: m.kind,
          severity: m.severity,
          message: `${m.title}\n${m.lines.join('\n')}`,
          channel: 'dashboard',
          recipient: 'dashboard',
        },
        ctx.now(),
      );
    } else {
      await notify(ctx.db, channels, siteId, m, {
        fetch: ctx.fetch,
        secret: ctx.secret,
        now: ctx.now,
        log: ctx.log,
      });
    }
    sent++;
  }
  return sent;
}
