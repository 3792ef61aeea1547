// The Ads view model the page and its JSON share: a view read from the query string (?days= or ?from=&to=,
// ?period=&group=&platform=&currency=&convert=), the campaign table's order, and a campaign as JSON.
import type { Context } from 'hono';
import { conversionFrom, siteCurrencies, type Period } from '../../src/ads/analysis.ts';
import { change, CAMPAIGN_SORTS, type CampaignSort } from '../../src/ads/campaign-sort.ts';
import type { CampaignRow } from '../../src/ads/report-data.ts';
import { GRANULARITIES, GROUPS, periodLabels, type AdsView, type Group } from '../../src/ads/report-view.ts';
import { platformById, platformIds } from '../../src/ads/registry.ts';
import type { Platform } from '../../src/ads/types.ts';
import type { SiteRow } from '../../src/db/sites.ts';
import { addDays, dayIn } from '../../src/util/days.ts';
import type { Env } from '../types.ts';

export const PERIOD_DAYS = [30, 90, 365] as const;
/** Three years and a little: the longest range a page or chart is asked for. */
export const MAX_DAYS = 1100;

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const isDay = (s: string) =>
  DAY.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && addDays(s, 0) === s;
const dayCount = (from: string, to: string) =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;

/** Reads ?days= (or ?from=&to=), ?period=&group=&platform=&currency=&convert=; a string says what is wrong. */
export async function adsView(c: Context<Env>, site: SiteRow): Promise<AdsView | string> {
  const { sql, config, now } = c.get('deps');
  const say = c.get('t').ads.view;
  const q = (k: string) => c.req.query(k) || undefined;
  const today = dayIn(now(), site.timeZone);
  let from: string;
  let to: string;
  let days: number | null;
  const fromQ = q('from');
  const toQ = q('to');
  // A preset (?days=) wins over dates left in the form from an earlier custom range.
  if (q('days') === undefined && (fromQ !== undefined || toQ !== undefined)) {
    if (fromQ === undefined || toQ === undefined) return say.fromToTogether;
    if (!isDay(fromQ) || !isDay(toQ) || fromQ > toQ) return say.badRange(fromQ, toQ);
    if (dayCount(fromQ, toQ) > MAX_DAYS) return say.tooLong(fromQ, toQ, MAX_DAYS);
    [from, to, days] = [fromQ, toQ, null];
  } else {
    const raw = q('days') ?? '30';
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || n < 1 || n > MAX_DAYS) return say.badDays(raw, MAX_DAYS);
    [from, to, days] = [addDays(today, -(n - 1)), today, n];
  }
  const length = dayCount(from, to);
  const periodQ = q('period');
  if (periodQ !== undefined && !(GRANULARITIES as readonly string[]).includes(periodQ))
    return say.notOneOf('period', periodQ, GRANULARITIES.join(', '));
  // A bar per day reads well up to a quarter; a year is clearer by week, three years by month.
  const period = (periodQ as Period | undefined) ?? (length <= 92 ? 'day' : length <= 400 ? 'week' : 'month');
  const group = q('group') ?? 'platform';
  if (!(GROUPS as readonly string[]).includes(group)) return say.notOneOf('group', group, GROUPS.join(', '));
  const platform = q('platform');
  if (platform !== undefined && !platformById(platform))
    return say.notOneOf('platform', platform, platformIds().join(', '));
  const currency = q('currency');
  if (currency !== undefined && !/^[A-Z]{3}$/.test(currency)) return say.badCurrency(currency);
  const convert = q('convert');
  if (convert !== undefined && convert !== '0' && convert !== '1') return say.badConvert(convert);

  // Converted whenever the config has rates for every currency in use, unless ?convert=0.
  const conv = conversionFrom(config);
  const missing = conv
    ? (await siteCurrencies(sql, site.id)).filter((x) => x !== conv.base && conv.rates[x] === undefined)
    : [];
  if (convert === '1') {
    if (!conv) return say.convertNeedsRates;
    if (missing.length) return say.noRate(missing.join(', '), conv.base);
  }
  const converting = conv !== null && convert !== '0' && missing.length === 0;
  return {
    site,
    days,
    from,
    to,
    prevTo: addDays(from, -1),
    prevFrom: addDays(from, -length),
    period,
    group: group as Group,
    platform: platform as Platform | undefined,
    currency,
    conversion: converting ? conv : null,
    conversionNote:
      conv && convert !== '0' && missing.length ? say.totalsApart(missing.join(', '), conv.base) : null,
    canConvert: conv !== null,
    today,
    labels: periodLabels(from, to, period),
  };
}

export function campaignOrder(c: Context<Env>): { sort: CampaignSort; desc: boolean; page: number } {
  const s = c.req.query('sort');
  const sort: CampaignSort = (CAMPAIGN_SORTS as readonly string[]).includes(s ?? '')
    ? (s as CampaignSort)
    : 'spend';
  const desc = (c.req.query('dir') ?? (sort === 'name' ? 'asc' : 'desc')) === 'desc';
  const page = Math.max(1, Math.floor(Number(c.req.query('page')) || 1));
  return { sort, desc, page };
}

export function campaignJson(r: CampaignRow) {
  const ch = (k: 'costMicros' | 'clicks' | 'ctr' | 'cpcMicros' | 'conversions' | 'cpaMicros' | 'roas') =>
    change(r.current[k], r.previous[k]);
  return {
    ...r,
    change: {
      spend: ch('costMicros'),
      clicks: ch('clicks'),
      ctr: ch('ctr'),
      cpc: ch('cpcMicros'),
      conversions: ch('conversions'),
      cpa: ch('cpaMicros'),
      roas: ch('roas'),
    },
  };
}
