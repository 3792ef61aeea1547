// Turns a run's confirmed changes and upcoming renewals into alert messages (one message per kind, not
// one per link); the job sends them with sendAlerts() from src/notify/send-alerts.ts.
import type { AlertFacts, AlertMessage } from '../notify/types.ts';
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
