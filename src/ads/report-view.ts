// One view of a site's ad spend as the Ads page, its charts and exports read it: the range and the equal
// range before it, the granularity and its labels, the grouping, platform and currency, and the conversion.
// Pure: the dashboard reads a view from a query string (web/views/ads.ts), src/ads/report-data.ts reads it.
import type { SiteRow } from '../db/sites.ts';
import { addDays } from '../util/days.ts';
import type { Conversion, Period } from './analysis.ts';
import type { Platform } from './types.ts';

export const GRANULARITIES = ['day', 'week', 'month'] as const satisfies readonly Period[];
export const GROUPS = ['platform', 'campaign', 'account'] as const;
export type Group = (typeof GROUPS)[number];

/** What the Ads page, its charts and exports show: one site, one range, filtered the same way everywhere. */
export interface AdsView {
  site: SiteRow;
  /** A preset range ending today, or null for from/to given by hand. */
  days: number | null;
  from: string;
  to: string;
  /** The equal-length range just before, for period-over-period changes. */
  prevFrom: string;
  prevTo: string;
  period: Period;
  group: Group;
  platform?: Platform;
  /** Only accounts in this currency (the page asks for one currency's charts at a time). */
  currency?: string;
  /** Set: every amount is converted to conversion.base. */
  conversion: Conversion | null;
  /** The config has rates, yet totals stay per currency: why (a currency without a rate), or null. */
  conversionNote: string | null;
  /** The config has rates at all (the page then offers the choice). */
  canConvert: boolean;
  today: string;
  labels: string[];
}

/** Monday of the ISO week a day falls in (what analysis.ts groups weeks by). */
export function monday(day: string): string {
  const dow = new Date(`${day}T00:00:00Z`).getUTCDay();
  return addDays(day, -((dow + 6) % 7));
}

/** The x axis: every day, every Monday, or every YYYY-MM from `from` to `to` (the keys SQL groups by). */
export function periodLabels(from: string, to: string, period: Period): string[] {
  const out: string[] = [];
  if (period === 'day') for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  else if (period === 'week') for (let d = monday(from); d <= to; d = addDays(d, 7)) out.push(d);
  else {
    let [y, m] = from.split('-').map(Number) as [number, number];
    for (let key = from.slice(0, 7); key <= to.slice(0, 7);) {
      out.push(key);
      if (++m > 12) {
        m = 1;
        y++;
      }
      key = `${y}-${String(m).padStart(2, '0')}`;
    }
  }
  return out;
}

/** The query string that reproduces a view (chart sources, paging links, the CSV link). */
export function viewQuery(v: AdsView, extra: Record<string, string | number | undefined> = {}): string {
  const p = new URLSearchParams({ site: v.site.name });
  if (v.days === null) {
    p.set('from', v.from);
    p.set('to', v.to);
  } else p.set('days', String(v.days));
  p.set('period', v.period);
  p.set('group', v.group);
  if (v.platform) p.set('platform', v.platform);
  if (v.currency) p.set('currency', v.currency);
  if (v.canConvert) p.set('convert', v.conversion ? '1' : '0');
  for (const [k, x] of Object.entries(extra)) if (x !== undefined && x !== '') p.set(k, String(x));
  return p.toString();
}

/** The cache key of a view: its query and the day it was read on (preset ranges move with today). */
export const viewKey = (v: AdsView) => `${viewQuery(v)}:${v.today}`;

/** The day ratios stop at: the day before today when the range reaches today, else the range's end. */
export const completeTo = (v: AdsView) => (v.to >= v.today ? addDays(v.today, -1) : v.to);

/** The label (day, Monday or month) that holds today, when the range reaches it: drawn as partial. */
export function partialIndex(v: AdsView): number | null {
  if (v.to < v.today || v.from > v.today) return null;
  const key = v.period === 'day' ? v.today : v.period === 'week' ? monday(v.today) : v.today.slice(0, 7);
  const i = v.labels.indexOf(key);
  return i < 0 ? null : i;
}
