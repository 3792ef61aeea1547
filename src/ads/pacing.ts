// Budget pacing: month-to-date spend against the monthly budget and a forecast to the month's end.
import { addDays } from '../util/days.ts';

export interface Pacing {
  month: string;
  budgetMicros: number | null;
  /** Spend from the 1st through today (today may be incomplete). */
  monthToDateMicros: number;
  /** Spend through yesterday, and the days it covers. */
  completeMicros: number;
  completeDays: number;
  daysInMonth: number;
  /** Average daily spend over the last 7 complete days (into the previous month if need be). */
  recentDailyMicros: number;
  /** The complete days that pace is taken from: 7, or 0 when none of them had spend (see pacing()). */
  paceDays: 7 | 0;
  /** completeMicros + recentDailyMicros × the days left after yesterday. */
  forecastMicros: number;
  /** forecast / budget − 1 (0.15 = 15 % over); null without a budget. */
  overBy: number | null;
  /** The forecast exceeds the budget by more than the margin (what the pages show, from the 1st on). */
  alert: boolean;
  /**
   * What a budget alert may say (see budgetWarning()): `over` when the month's spend already exceeds
   * the budget, `heading-over` when a forecast with enough behind it runs past the margin, else null.
   */
  warning: BudgetWarning | null;
}

export type BudgetWarning = 'over' | 'heading-over';

/**
 * Before a "heading over" alert, the month must have this many complete days of its own and have
 * spent this share of the budget. On the 1st–3rd the forecast is mostly last month's pace (or today's
 * few hours stretched over thirty days), and an account that has barely spent this month is not yet
 * overspending whatever last week did: a bid cut or a paused campaign on the 1st would still be warned
 * about. By the 4th an account really heading 10 % over has spent about 3/30 × 1.1 ≈ 11 % of its
 * budget, so the share does not delay a real warning; it holds back one that rests on a few roubles.
 * The pages still show the forecast from the 1st (`alert`): a projection to read, not a message sent.
 */
export const HEADING_OVER_MIN_COMPLETE_DAYS = 3;
export const HEADING_OVER_MIN_SHARE = 0.1;

/** The alert level for a pacing, by the rules above; pure, for pacing() and the tests. */
export function budgetWarning(
  p: Pick<Pacing, 'budgetMicros' | 'monthToDateMicros' | 'completeDays' | 'paceDays' | 'alert'>,
): BudgetWarning | null {
  if (!p.budgetMicros) return null;
  // Money already spent past the budget is a fact, not a forecast: no waiting for days or a margin.
  if (p.monthToDateMicros > p.budgetMicros) return 'over';
  const enough =
    p.completeDays >= HEADING_OVER_MIN_COMPLETE_DAYS &&
    // A pace from today's partial hours alone (no spend in the last week) is no pace.
    p.paceDays > 0 &&
    p.monthToDateMicros >= p.budgetMicros * HEADING_OVER_MIN_SHARE;
  return p.alert && enough ? 'heading-over' : null;
}

export function daysInMonth(month: string): number {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** The first day `daily` must cover for pacing(): the month's 1st or a week back, whichever is earlier. */
export function pacingFrom(today: string): string {
  const first = `${today.slice(0, 7)}-01`;
  const weekBack = addDays(today, -7);
  return weekBack < first ? weekBack : first;
}

/**
 * `daily` maps day → spend in micros (days with none may be absent) from pacingFrom(today) on; `today`
 * is the account's today.
 * The forecast leans on the last week's pace rather than the month's average, so a campaign whose
 * bids were raised mid-month shows the overspend it is heading for. Today's partial spend is left out
 * of the pace and counted again as a full day at that pace.
 */
export function pacing(
  daily: ReadonlyMap<string, number>,
  today: string,
  budgetMicros: number | null,
  marginPercent = 10,
): Pacing {
  const month = today.slice(0, 7);
  const dim = daysInMonth(month);
  const dayOfMonth = Number(today.slice(8, 10));
  let mtd = 0;
  let complete = 0;
  for (let d = 1; d <= dayOfMonth; d++) {
    const day = `${month}-${String(d).padStart(2, '0')}`;
    const v = daily.get(day) ?? 0;
    mtd += v;
    if (d < dayOfMonth) complete += v;
  }
  const completeDays = dayOfMonth - 1;
  // The pace is the last seven complete days, reaching into the previous month early in a month (the
  // caller passes those days too): on the 1st, today's few hours of spend would be no pace at all.
  let recent = 0;
  let known = 0;
  for (let i = 1; i <= 7; i++) {
    const v = daily.get(addDays(today, -i));
    if (v !== undefined) known++;
    recent += v ?? 0;
  }
  // An account with no spend at all in the last week: today's spend is all there is to go on.
  const recentDaily = known > 0 ? recent / 7 : mtd;
  const forecast = Math.round(complete + recentDaily * (dim - completeDays));
  const overBy = budgetMicros ? forecast / budgetMicros - 1 : null;
  const p: Omit<Pacing, 'warning'> = {
    month,
    budgetMicros,
    monthToDateMicros: mtd,
    completeMicros: complete,
    completeDays,
    daysInMonth: dim,
    recentDailyMicros: Math.round(recentDaily),
    paceDays: known > 0 ? 7 : 0,
    forecastMicros: forecast,
    overBy,
    alert: overBy !== null && overBy > marginPercent / 100,
  };
  return { ...p, warning: budgetWarning(p) };
}
