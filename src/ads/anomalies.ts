// Flags days that look wrong: each campaign's day against the same weekday over the previous weeks, with
// a robust score (median and MAD, so one earlier spike does not hide the next): spend spikes, CTR drops,
// an active campaign with no impressions, CPA jumps. Pure: takes the series, returns findings.
import { addDays } from '../util/days.ts';

export type AnomalyKind = 'spend-spike' | 'ctr-drop' | 'zero-impressions' | 'cpa-jump';

export interface DayStats {
  impressions: number;
  clicks: number;
  costMicros: number;
  conversions: number;
}

export interface Anomaly {
  campaignId: string;
  day: string;
  kind: AnomalyKind;
  /** The day's value and the weekday median (spend in micros, CTR and CPA as ratios / micros). */
  value: number;
  baseline: number;
  /** Robust z-score; null for zero impressions (no spread to measure against). */
  score: number | null;
}

export interface AnomalyOptions {
  /** Same weekdays looked back on (default 8). */
  weeks: number;
  /** At least this many of them must have data (default 8: "the previous 8+ weeks"). */
  minWeeks: number;
  /** Robust z beyond which a day is flagged (default 3.5, the usual cut for the modified z-score). */
  threshold: number;
}

export const DEFAULT_ANOMALY_OPTIONS: AnomalyOptions = { weeks: 8, minWeeks: 8, threshold: 3.5 };

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * The modified z-score of Iglewicz and Hoaglin: 0.6745 (x − median) / MAD. A MAD of 0 (the same value
 * every week) would make any change infinite; a floor of 5 % of the median (or of 1 unit) keeps a
 * steady series from flagging noise.
 */
export function robustScore(x: number, history: readonly number[]): { score: number; median: number } {
  const m = median(history);
  const mad = median(history.map((h) => Math.abs(h - m)));
  const floor = Math.max(Math.abs(m) * 0.05, 1e-9);
  return { score: (0.6745 * (x - m)) / Math.max(mad, floor), median: m };
}

/**
 * Findings for `days` (usually the last complete days) of one campaign. `series` maps day → stats for
 * days with activity; a day missing from it had none.
 */
export function findAnomalies(
  campaignId: string,
  series: ReadonlyMap<string, DayStats>,
  days: readonly string[],
  opts: AnomalyOptions = DEFAULT_ANOMALY_OPTIONS,
): Anomaly[] {
  const out: Anomaly[] = [];
  const zero: DayStats = { impressions: 0, clicks: 0, costMicros: 0, conversions: 0 };
  for (const day of days) {
    const today = series.get(day) ?? zero;
    const weeks = Array.from({ length: opts.weeks }, (_, i) => addDays(day, -7 * (i + 1)));
    const history = weeks.map((d) => series.get(d)).filter((s): s is DayStats => s !== undefined);
    if (history.length < opts.minWeeks) continue; // not enough history to judge yet

    // An active campaign: impressions on each of the previous seven days and on the same weekdays.
    const lastWeek = Array.from({ length: 7 }, (_, i) => series.get(addDays(day, -(i + 1))));
    const active = lastWeek.every((s) => (s?.impressions ?? 0) > 0);
    if (active && today.impressions === 0) {
      out.push({
        campaignId,
        day,
        kind: 'zero-impressions',
        value: 0,
        baseline: median(history.map((h) => h.impressions)),
        score: null,
      });
      continue; // CTR and CPA of a day without impressions mean nothing
    }

    const spend = robustScore(
      today.costMicros,
      history.map((h) => h.costMicros),
    );
    // A spike must also be material: half again the usual spend, not a 10-kopeck wobble.
    if (spend.score > opts.threshold && today.costMicros > spend.median * 1.5)
      out.push({
        campaignId,
        day,
        kind: 'spend-spike',
        value: today.costMicros,
        baseline: spend.median,
        score: round(spend.score),
      });

    const withImpr = history.filter((h) => h.impressions > 0);
    if (today.impressions >= 100 && withImpr.length >= opts.minWeeks) {
      const ctr = robustScore(
        today.clicks / today.impressions,
        withImpr.map((h) => h.clicks / h.impressions),
      );
      if (ctr.score < -opts.threshold && today.clicks / today.impressions < ctr.median * 0.7)
        out.push({
          campaignId,
          day,
          kind: 'ctr-drop',
          value: today.clicks / today.impressions,
          baseline: ctr.median,
          score: round(ctr.score),
        });
    }

    const withConv = history.filter((h) => h.conversions > 0);
    if (today.costMicros > 0 && withConv.length >= opts.minWeeks) {
      // No conversion at all on a day with spend counts as the whole spend per (less than one) conversion.
      const cpa = today.costMicros / Math.max(today.conversions, 1);
      const s = robustScore(
        cpa,
        withConv.map((h) => h.costMicros / h.conversions),
      );
      if (s.score > opts.threshold && cpa > s.median * 1.5)
        out.push({
          campaignId,
          day,
          kind: 'cpa-jump',
          value: cpa,
          baseline: s.median,
          score: round(s.score),
        });
    }
  }
  return out;
}

const round = (x: number) => Math.round(x * 100) / 100;
