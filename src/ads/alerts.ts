// After a pull: records new anomalies and budget warnings (each raised once) and words them as alerts.
import type { Db } from '../db/open.ts';
import type { AlertMessage } from '../notify/types.ts';
import { addDays, dayIn } from '../util/days.ts';
import { campaignSeries, dailySpend } from './analysis.ts';
import { DEFAULT_ANOMALY_OPTIONS, findAnomalies, type Anomaly, type AnomalyOptions } from './anomalies.ts';
import { pacing, pacingFrom, type Pacing } from './pacing.ts';
import type { AdsSettings } from './sync.ts';
import { PLATFORM_LABELS, type AdAccount } from './types.ts';

export const fmtMoney = (micros: number, currency: string) =>
  `${(micros / 1e6).toLocaleString('en-US', { maximumFractionDigits: 0 })} ${currency}`;

const KIND_WORDS: Record<Anomaly['kind'], string> = {
  'spend-spike': 'spend spike',
  'ctr-drop': 'CTR drop',
  'zero-impressions': 'no impressions on an active campaign',
  'cpa-jump': 'cost per conversion jump',
};

export function describeAnomaly(a: Anomaly, account: AdAccount, campaignName: string): string {
  const money = (x: number) => fmtMoney(x, account.currency);
  const pct = (x: number) => `${(x * 100).toFixed(2)} %`;
  const what =
    a.kind === 'spend-spike' || a.kind === 'cpa-jump'
      ? `${money(a.value)} against a usual ${money(a.baseline)}`
      : a.kind === 'ctr-drop'
        ? `${pct(a.value)} against a usual ${pct(a.baseline)}`
        : `usually ${Math.round(a.baseline)} impressions on this weekday`;
  return `${a.day} ${campaignName} (${account.name}): ${KIND_WORDS[a.kind]} — ${what}`;
}

/** Days judged after a pull: the complete days (through yesterday) of the last `days`. */
export function judgedDays(account: AdAccount, now: Date, days = 3): string[] {
  const today = dayIn(now, account.timeZone);
  return Array.from({ length: days }, (_, i) => addDays(today, -days + i));
}

export function anomalyOptions(settings: AdsSettings): AnomalyOptions {
  return {
    weeks: settings.anomalies?.weeks ?? DEFAULT_ANOMALY_OPTIONS.weeks,
    minWeeks: settings.anomalies?.minWeeks ?? DEFAULT_ANOMALY_OPTIONS.minWeeks,
    threshold: settings.anomalies?.threshold ?? DEFAULT_ANOMALY_OPTIONS.threshold,
  };
}

/**
 * Looks at an account after a pull: anomalies on the judged days not raised before, and a budget
 * warning when the forecast runs over (once per month, again only if the forecast grew another 10 %).
 * Everything found is stored; the returned messages are what to send.
 */
export function accountAlerts(
  db: Db,
  siteName: string,
  account: AdAccount,
  settings: AdsSettings,
  now: Date,
  days = judgedDays(account, now),
): { messages: AlertMessage[]; anomalies: Anomaly[]; pacing: Pacing } {
  const opts = anomalyOptions(settings);
  const from = addDays(days[0]!, -7 * opts.weeks);
  const series = campaignSeries(db, account.id, from, days[days.length - 1]!);
  const names = new Map(
    (
      db.prepare('SELECT campaign_id AS id, name FROM ad_campaigns WHERE account_id = ?').all(account.id) as {
        id: string;
        name: string;
      }[]
    ).map((c) => [c.id, c.name]),
  );
  const insert = db.prepare(
    `INSERT OR IGNORE INTO ad_anomalies (account_id, campaign_id, day, kind, value, baseline, score, message, raised_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const fresh: Anomaly[] = [];
  const lines: string[] = [];
  for (const [campaignId, s] of series) {
    for (const a of findAnomalies(campaignId, s, days, opts)) {
      const message = describeAnomaly(a, account, names.get(campaignId) ?? campaignId);
      const r = insert.run(
        account.id,
        campaignId,
        a.day,
        a.kind,
        a.value,
        a.baseline,
        a.score,
        message,
        now.toISOString(),
      );
      if (r.changes > 0) {
        fresh.push(a);
        lines.push(message);
      }
    }
  }
  const messages: AlertMessage[] = [];
  if (lines.length)
    messages.push({
      siteName,
      kind: 'anomaly',
      severity: 'warning',
      title: `${lines.length} unusual day(s) in ${PLATFORM_LABELS[account.platform]} account ${account.name}`,
      lines,
    });

  const today = dayIn(now, account.timeZone);
  const p = pacing(
    dailySpend(db, account.id, pacingFrom(today), today),
    today,
    account.monthlyBudgetMicros,
    settings.budgetMarginPercent ?? 10,
  );
  if (p.alert && p.budgetMicros) {
    const prev = db
      .prepare('SELECT forecast_micros FROM ad_budget_warnings WHERE account_id = ? AND month = ?')
      .pluck()
      .get(account.id, p.month) as number | undefined;
    if (prev === undefined || p.forecastMicros > prev * 1.1) {
      db.prepare(
        `INSERT OR REPLACE INTO ad_budget_warnings (account_id, month, forecast_micros, budget_micros, raised_at)
         VALUES (?, ?, ?, ?, ?)`,
      ).run(account.id, p.month, p.forecastMicros, p.budgetMicros, now.toISOString());
      messages.push({
        siteName,
        kind: 'budget',
        severity: 'critical',
        title: `${account.name} (${PLATFORM_LABELS[account.platform]}) is heading over its monthly budget`,
        lines: [
          `Spent ${fmtMoney(p.monthToDateMicros, account.currency)} of ${fmtMoney(p.budgetMicros, account.currency)} by ${today}.`,
          // The pace is always the last seven complete days, on the 1st–7th partly last month's.
          `At ${p.paceDays ? "the last 7 days'" : "today's"} pace (${fmtMoney(p.recentDailyMicros, account.currency)} a day) the month ends at ${fmtMoney(p.forecastMicros, account.currency)}: ${Math.round(p.overBy! * 100)} % over.`,
        ],
      });
    }
  }
  return { messages, anomalies: fresh, pacing: p };
}
