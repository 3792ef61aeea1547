// After a pull: records new anomalies and budget warnings (each raised once) and turns them into alerts
// (facts; src/notify/text.ts words them in each channel's language).
import type { Sql } from '../db/store/types.ts';
import { formatter, messages, type Lang } from '../i18n/index.ts';
import type { AlertMessage, AnomalyFact } from '../notify/types.ts';
import { addDays, dayIn } from '../util/days.ts';
import { campaignSeries, dailySpend } from './analysis.ts';
import { DEFAULT_ANOMALY_OPTIONS, findAnomalies, type Anomaly, type AnomalyOptions } from './anomalies.ts';
import { pacing, pacingFrom, type Pacing } from './pacing.ts';
import type { AdsSettings } from './sync.ts';
import type { AdAccount } from './types.ts';

function anomalyFact(a: Anomaly, campaignName: string): AnomalyFact {
  return { day: a.day, campaign: campaignName, kind: a.kind, value: a.value, baseline: a.baseline };
}

/**
 * One anomaly as a sentence, as an alert line words it. `ad_anomalies.message` keeps the English one
 * (a record for whoever reads the database); pages and alerts word the stored values in their own language.
 */
export function describeAnomaly(
  a: Anomaly,
  account: AdAccount,
  campaignName: string,
  lang: Lang = 'en',
): string {
  const t = messages(lang).alerts.ads;
  const f = formatter(lang);
  const money = (x: number) => f.money(x, account.currency);
  const detail =
    a.kind === 'spend-spike' || a.kind === 'cpa-jump'
      ? t.against(money(a.value), money(a.baseline))
      : a.kind === 'ctr-drop'
        ? t.against(f.percent(a.value, 2), f.percent(a.baseline, 2))
        : t.usualImpressions(f, Math.round(a.baseline));
  return t.anomalyLine(f.day(a.day), campaignName, account.name, t.anomalyKinds[a.kind], detail);
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
 * alert when the spend is over the budget or a forecast with enough behind it runs over (pacing.ts
 * budgetWarning()), each level once per month.
 * Everything found is stored; the returned messages are what to send.
 */
export async function accountAlerts(
  sql: Sql,
  siteName: string,
  account: AdAccount,
  settings: AdsSettings,
  now: Date,
  days = judgedDays(account, now),
): Promise<{ messages: AlertMessage[]; anomalies: Anomaly[]; pacing: Pacing }> {
  const opts = anomalyOptions(settings);
  const from = addDays(days[0]!, -7 * opts.weeks);
  const series = await campaignSeries(sql, account.id, from, days[days.length - 1]!);
  const names = new Map(
    (
      await sql.all<{ id: string; name: string }>(
        'SELECT campaign_id AS id, name FROM ad_campaigns WHERE account_id = ?',
        [account.id],
      )
    ).map((c) => [c.id, c.name]),
  );
  // An anomaly already stored (the same campaign, day and kind) is not news: the insert does nothing.
  const insert = `INSERT INTO ad_anomalies (account_id, campaign_id, day, kind, value, baseline, score, message, raised_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`;
  const fresh: Anomaly[] = [];
  const facts: AnomalyFact[] = [];
  for (const [campaignId, s] of series) {
    for (const a of findAnomalies(campaignId, s, days, opts)) {
      const name = names.get(campaignId) ?? campaignId;
      const message = describeAnomaly(a, account, name);
      const r = await sql.run(insert, [
        account.id,
        campaignId,
        a.day,
        a.kind,
        a.value,
        a.baseline,
        a.score,
        message,
        now.toISOString(),
      ]);
      if (r.changes > 0) {
        fresh.push(a);
        facts.push(anomalyFact(a, name));
      }
    }
  }
  const alerts: AlertMessage[] = [];
  if (facts.length)
    alerts.push({
      siteName,
      kind: 'anomaly',
      severity: 'warning',
      facts: {
        type: 'ad-anomalies',
        platform: account.platform,
        account: account.name,
        currency: account.currency,
        anomalies: facts,
      },
    });

  const today = dayIn(now, account.timeZone);
  const p = pacing(
    await dailySpend(sql, account.id, pacingFrom(today), today),
    today,
    account.monthlyBudgetMicros,
    settings.budgetMarginPercent ?? 10,
  );
  // Each level once per account and month (migration 013): "heading over" early, and "over budget"
  // still when the spend gets there, since that is news even to someone who was warned.
  if (p.warning && p.budgetMicros) {
    const raised = await sql.run(
      `INSERT INTO ad_budget_warnings (account_id, month, level, forecast_micros, budget_micros, raised_at)
       VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      [account.id, p.month, p.warning, p.forecastMicros, p.budgetMicros, now.toISOString()],
    );
    if (raised.changes > 0)
      alerts.push({
        siteName,
        kind: 'budget',
        severity: p.warning === 'over' ? 'critical' : 'warning',
        facts: {
          type: 'budget',
          level: p.warning,
          platform: account.platform,
          account: account.name,
          currency: account.currency,
          day: today,
          spentMicros: p.monthToDateMicros,
          budgetMicros: p.budgetMicros,
          // The pace is always the last seven complete days (on the 1st–7th partly last month's); 0: none had spend.
          paceDays: p.paceDays,
          dailyMicros: p.recentDailyMicros,
          forecastMicros: p.forecastMicros,
          overBy: p.overBy!,
        },
      });
  }
  return { messages: alerts, anomalies: fresh, pacing: p };
}
