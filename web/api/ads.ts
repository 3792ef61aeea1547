// Ads JSON API, and the reads the Ads page shares with it: one view of a site's ad spend (range, granularity,
// grouping, platform, currency), totals against the previous period, charts, the campaign table, pacing,
// anomalies. Money of different currencies is never added up unless converted with the config's rates.
import type { Context } from 'hono';
import { Hono } from 'hono';
import {
  conversionFrom,
  convertRows,
  siteCurrencies,
  withMetrics,
  type AdsRow,
  type Conversion,
  type Metrics,
  type Period,
  type Totals,
} from '../../src/ads/analysis.ts';
import { PLATFORMS, type Platform } from '../../src/ads/types.ts';
import type { Config } from '../../src/config/schema.ts';
import type { Messages } from '../../src/i18n/index.ts';
import type { Db } from '../../src/db/open.ts';
import { listEvents } from '../../src/db/events.ts';
import { cachedRead } from '../../src/db/read-cache.ts';
import type { SiteRow } from '../../src/db/sites.ts';
import { addDays, dayIn } from '../../src/util/days.ts';
import type { Env } from '../types.ts';

export const PERIOD_DAYS = [30, 90, 365] as const;
export const GRANULARITIES = ['day', 'week', 'month'] as const satisfies readonly Period[];
export const GROUPS = ['platform', 'campaign', 'account'] as const;
export type Group = (typeof GROUPS)[number];
/** Three years and a little: the longest range a page or chart is asked for. */
export const MAX_DAYS = 1100;
/** The spend chart stacks this many platforms, accounts or campaigns per currency; the rest is "other". */
const TOP = 8;

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

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const isDay = (s: string) =>
  DAY.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && addDays(s, 0) === s;
const dayCount = (from: string, to: string) =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;

/** Monday of the ISO week a day falls in (what analysis.ts groups weeks by). */
function monday(day: string): string {
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

/** Reads ?days= (or ?from=&to=), ?period=&group=&platform=&currency=&convert=; a string says what is wrong. */
export function adsView(c: Context<Env>, site: SiteRow): AdsView | string {
  const { db, config, now } = c.get('deps');
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
  if (platform !== undefined && !(PLATFORMS as readonly string[]).includes(platform))
    return say.notOneOf('platform', platform, PLATFORMS.join(', '));
  const currency = q('currency');
  if (currency !== undefined && !/^[A-Z]{3}$/.test(currency)) return say.badCurrency(currency);
  const convert = q('convert');
  if (convert !== undefined && convert !== '0' && convert !== '1') return say.badConvert(convert);

  // Converted whenever the config has rates for every currency in use, unless ?convert=0.
  const conv = conversionFrom(config);
  const missing = conv
    ? siteCurrencies(db, site.id).filter((x) => x !== conv.base && conv.rates[x] === undefined)
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
const viewKey = (v: AdsView) => `${viewQuery(v)}:${v.today}`;

/**
 * The rows of ad_stats a view reads: the site's accounts (of the platform and currency asked for). An IN
 * rather than a join keeps the scan in primary-key order (account, day), so grouping by account and day
 * needs no sort: three years of 200 campaigns aggregate in tens of milliseconds.
 */
const IN_ACCOUNTS =
  's.account_id IN (SELECT a.id FROM ad_accounts a WHERE a.site_id = ? AND (? IS NULL OR a.platform = ?) AND (? IS NULL OR a.currency = ?))';
const filterArgs = (v: AdsView) => [
  v.site.id,
  v.platform ?? null,
  v.platform ?? null,
  v.currency ?? null,
  v.currency ?? null,
];
const SUMS = `sum(s.impressions) AS impressions, sum(s.clicks) AS clicks, sum(s.cost_micros) AS costMicros,
  sum(s.conversions) AS conversions, sum(s.conversion_value_micros) AS valueMicros`;
const OUTER_SUMS = `sum(d.impressions) AS impressions, sum(d.clicks) AS clicks, sum(d.costMicros) AS costMicros,
  sum(d.conversions) AS conversions, sum(d.valueMicros) AS valueMicros`;
/** Each account's totals per day between two days (inclusive), as a subquery named d. */
const ACCOUNT_DAYS = `(SELECT s.account_id, s.day, ${SUMS} FROM ad_stats s
  WHERE ${IN_ACCOUNTS} AND s.day BETWEEN ? AND ? GROUP BY s.account_id, s.day) d
  JOIN ad_accounts a ON a.id = d.account_id`;

const rateOf = (conv: Conversion, currency: string) => {
  const rate = currency === conv.base ? 1 : conv.rates[currency];
  if (rate === undefined) throw new Error(`no exchange rate for ${currency} to ${conv.base}`);
  return rate;
};

type Grouped = Totals & { period: string; key: string; label: string; currency: string };
const asRows = (rows: readonly Grouped[]): AdsRow[] => rows.map((r) => ({ ...r, ...withMetrics(r) }));

export interface CurrencyTotals {
  /** The account currency, or the base currency when converted. */
  currency: string;
  current: Metrics;
  /**
   * The range less today, which is not over yet: cost comes in through the day while conversions (and
   * their value) arrive later, so CTR, CPA and ROAS over a half day read as a collapse. Equal to `current`
   * when the range ends before today.
   */
  complete: Metrics;
  previous: Metrics;
}

/** The day ratios stop at: the day before today when the range reaches today, else the range's end. */
export const completeTo = (v: AdsView) => (v.to >= v.today ? addDays(v.today, -1) : v.to);

/** The label (day, Monday or month) that holds today, when the range reaches it: drawn as partial. */
export function partialIndex(v: AdsView): number | null {
  if (v.to < v.today || v.from > v.today) return null;
  const key = v.period === 'day' ? v.today : v.period === 'week' ? monday(v.today) : v.today.slice(0, 7);
  const i = v.labels.indexOf(key);
  return i < 0 ? null : i;
}

const ZERO: Totals = { impressions: 0, clicks: 0, costMicros: 0, conversions: 0, valueMicros: 0 };
const TOTAL_FIELDS = ['impressions', 'clicks', 'costMicros', 'conversions', 'valueMicros'] as const;

/** Totals of the range and of the previous equal-length range, per currency (one when converted). */
export function periodTotals(db: Db, v: AdsView): CurrencyTotals[] {
  let rows = asRows(
    db
      .prepare(
        `SELECT CASE WHEN d.day > ? THEN 'today' WHEN d.day >= ? THEN 'current' ELSE 'previous' END AS period,
                '' AS key, '' AS label, a.currency AS currency, ${OUTER_SUMS}
         FROM ${ACCOUNT_DAYS} GROUP BY 1, a.currency`,
      )
      .all(completeTo(v), v.from, ...filterArgs(v), v.prevFrom, v.to) as Grouped[],
  );
  if (v.conversion) rows = convertRows(rows, v.conversion);
  const currencies = [...new Set(rows.map((r) => r.currency))].sort();
  const pick = (cur: string, period: string) =>
    rows.find((r) => r.currency === cur && r.period === period) ?? ZERO;
  const add = (a: Totals, b: Totals): Totals => ({
    impressions: a.impressions + b.impressions,
    clicks: a.clicks + b.clicks,
    costMicros: a.costMicros + b.costMicros,
    conversions: a.conversions + b.conversions,
    valueMicros: a.valueMicros + b.valueMicros,
  });
  return currencies.map((currency) => ({
    currency,
    current: withMetrics(add(pick(currency, 'current'), pick(currency, 'today'))),
    complete: withMetrics(pick(currency, 'current')),
    previous: withMetrics(pick(currency, 'previous')),
  }));
}

/** SQLite's period of a day column: the day, Monday of its ISO week, or YYYY-MM (as analysis.ts). */
const periodSql = (period: Period, col: string) =>
  period === 'day'
    ? col
    : period === 'week'
      ? `date(${col}, 'weekday 0', '-6 days')`
      : `substr(${col}, 1, 7)`;

/** The key of the campaigns outside the top few (web/public/app.js greys it out by this name). */
const OTHER_CAMPAIGNS = 'other campaigns';

/**
 * Totals per period, group and currency, in one statement. Campaigns: the biggest few of each currency
 * (by spend in the range, from the campaign table) and the rest summed as "other" (OTHER_CAMPAIGNS): 200
 * campaigns stacked in one bar would say nothing.
 */
export function groupedRows(db: Db, v: AdsView): AdsRow[] {
  if (v.group !== 'campaign') {
    const [key, label] =
      v.group === 'platform' ? ['a.platform', 'a.platform'] : ['CAST(a.id AS TEXT)', 'a.name'];
    return asRows(
      db
        .prepare(
          `SELECT ${periodSql(v.period, 'd.day')} AS period, ${key} AS key, max(${label}) AS label,
                  a.currency AS currency, ${OUTER_SUMS}
           FROM ${ACCOUNT_DAYS} GROUP BY 1, 2, a.currency`,
        )
        .all(...filterArgs(v), v.from, v.to) as Grouped[],
    );
  }
  const top = new Map<string, string>();
  const taken = new Map<string, number>();
  const spent = cachedCampaigns(db, v).filter((r) => r.current.costMicros > 0);
  for (const r of spent.sort((a, b) => b.current.costMicros - a.current.costMicros)) {
    const n = taken.get(r.currency) ?? 0;
    if (n >= TOP) continue;
    taken.set(r.currency, n + 1);
    top.set(`${r.accountId}/${r.campaignId}`, `${r.name} · ${r.account}`);
  }
  // The top campaigns' own rows, and every account's day in total (read in key order, no sort); "other"
  // is the total less the top. Only the few thousand rows left are grouped — not every campaign's day.
  const rows = db
    .prepare(
      `SELECT ${periodSql(v.period, 'd.day')} AS period, d.key, a.currency AS currency, ${OUTER_SUMS}
       FROM (SELECT s.account_id, s.day, s.account_id || '/' || s.campaign_id AS key, s.impressions, s.clicks,
                    s.cost_micros AS costMicros, s.conversions, s.conversion_value_micros AS valueMicros
             FROM ad_stats s WHERE ${IN_ACCOUNTS} AND s.day BETWEEN ? AND ?
               AND (s.account_id || '/' || s.campaign_id) IN (SELECT value FROM json_each(?))
             UNION ALL
             SELECT s.account_id, s.day, '' AS key, ${SUMS}
             FROM ad_stats s WHERE ${IN_ACCOUNTS} AND s.day BETWEEN ? AND ? GROUP BY s.account_id, s.day) d
       JOIN ad_accounts a ON a.id = d.account_id
       GROUP BY 1, 2, a.currency`,
    )
    .all(
      ...filterArgs(v),
      v.from,
      v.to,
      JSON.stringify([...top.keys()]),
      ...filterArgs(v),
      v.from,
      v.to,
    ) as Omit<Grouped, 'label'>[];
  const other = new Map<string, Omit<Grouped, 'label'>>();
  for (const r of rows) if (r.key === '') other.set(`${r.period}\u0000${r.currency}`, { ...r });
  for (const r of rows) {
    if (r.key === '') continue;
    const o = other.get(`${r.period}\u0000${r.currency}`)!;
    for (const f of TOTAL_FIELDS) o[f] -= r[f];
  }
  return asRows([
    ...rows.filter((r) => r.key !== '').map((r) => ({ ...r, label: top.get(r.key)! })),
    // An account whose every campaign made the top leaves no "other".
    ...[...other.values()]
      .filter((r) => r.impressions > 0 || r.clicks > 0 || r.costMicros > 0)
      .map((r) => ({
        ...r,
        key: OTHER_CAMPAIGNS,
        conversions: Math.round(r.conversions * 1e6) / 1e6,
        label: OTHER_CAMPAIGNS,
      })),
  ]);
}

const round2 = (x: number) => Math.round(x * 100) / 100;
const units = (micros: number | null) => (micros === null ? null : round2(micros / 1e6));

/**
 * The Ads charts in the shape web/public/app.js draws; periods without statistics stay null. Each dataset
 * has a stable `key` (platform id, account id, "accountId/campaignId", currency, metric) for its colour
 * and a `label` in the reader's language; account and campaign names are shown as typed.
 */
export function trendJson(db: Db, v: AdsView, t: Messages['ads']) {
  let grouped = groupedRows(db, v);
  if (v.conversion) grouped = convertRows(grouped, v.conversion);
  // The trend lines are the groups added up per period — within one currency only.
  const periodSums = (rows: readonly AdsRow[]) => {
    const sums = new Map<string, AdsRow>();
    for (const r of rows) {
      const k = `${r.period}\u0000${r.currency}`;
      const m = sums.get(k) ?? { ...r, ...ZERO, key: '', label: '' };
      for (const f of TOTAL_FIELDS) m[f] += r[f];
      sums.set(k, m);
    }
    return [...sums.values()].map((r) => ({ ...r, ...withMetrics(r) }));
  };
  const totals = periodSums(grouped);
  // CPA and ROAS leave today out (see CurrencyTotals.complete): today's point is missing, and the period
  // holding today (a week, a month) counts its complete days only.
  const lastComplete = completeTo(v);
  let complete = totals;
  if (lastComplete !== v.to) {
    complete = [];
    if (lastComplete >= v.from) {
      let rows = groupedRows(db, { ...v, to: lastComplete, group: 'platform' });
      if (v.conversion) rows = convertRows(rows, v.conversion);
      complete = periodSums(rows);
    }
  }
  const partial = partialIndex(v);
  const index = new Map(v.labels.map((l, i) => [l, i]));
  const currencies = [...new Set(totals.map((r) => r.currency))].sort();
  const perCurrency = currencies.length > 1;
  const named = (label: string, cur: string) => (perCurrency ? `${label} (${cur})` : label);
  const series = (rows: readonly AdsRow[], value: (r: AdsRow) => number | null) => {
    const data = new Array<number | null>(v.labels.length).fill(null);
    for (const r of rows) {
      const i = index.get(r.period);
      if (i !== undefined) data[i] = value(r);
    }
    return data;
  };
  const spendSets = currencies.flatMap((cur) => {
    const byKey = new Map<string, AdsRow[]>();
    for (const r of grouped)
      if (r.currency === cur) {
        const rs = byKey.get(r.key);
        if (rs) rs.push(r);
        else byKey.set(r.key, [r]);
      }
    const total = (rs: AdsRow[]) => rs.reduce((s, r) => s + r.costMicros, 0);
    // Biggest first, "other" last: the stack reads from the bottom up.
    const keys = [...byKey.keys()].sort((a, b) =>
      a === OTHER_CAMPAIGNS ? 1 : b === OTHER_CAMPAIGNS ? -1 : total(byKey.get(b)!) - total(byKey.get(a)!),
    );
    const label = (k: string) =>
      v.group === 'platform'
        ? (t.platforms[k as Platform] ?? k)
        : k === OTHER_CAMPAIGNS
          ? t.axis.otherCampaigns
          : byKey.get(k)![0]!.label;
    return keys.map((k) => ({
      key: k,
      label: named(label(k), cur),
      ...(perCurrency ? { stack: cur, currency: cur } : {}),
      data: series(byKey.get(k)!, (r) => units(r.costMicros)),
    }));
  });
  const metric = (label: string, value: (r: AdsRow) => number | null, rows = totals) =>
    currencies.map((cur) => ({
      key: perCurrency ? cur : label,
      label: perCurrency ? cur : label,
      ...(perCurrency ? { currency: cur } : {}),
      data: series(
        rows.filter((r) => r.currency === cur),
        value,
      ),
    }));
  const unit = currencies[0] ?? v.currency ?? '';
  return {
    site: v.site.name,
    from: v.from,
    to: v.to,
    period: v.period,
    group: v.group,
    labels: v.labels,
    events: listEvents(db, v.site.id, v.from, v.to).map((e) => ({ day: e.day, title: e.title })),
    /** The one currency every amount is in; null when the accounts have several and nothing converts them. */
    currency: perCurrency ? null : (currencies[0] ?? v.conversion?.base ?? v.currency ?? null),
    currencies,
    /** Datasets come per currency (labelled and stacked apart); they are never added together. */
    perCurrency,
    converted: v.conversion !== null,
    ...(v.conversion
      ? {
          conversion: { base: v.conversion.base, rates: v.conversion.rates, asOf: v.conversion.asOf ?? null },
        }
      : {}),
    /** The label holding today, not over yet: app.js draws it dashed and says "partial day". */
    partialIndex: partial,
    charts: {
      spend: {
        type: 'bar',
        stacked: true,
        format: 'money',
        yTitle: perCurrency ? t.axis.spendPerCurrency : t.axis.spend(unit),
        datasets: spendSets,
      },
      cpc: {
        type: 'line',
        format: 'money',
        yTitle: perCurrency ? t.axis.cpcPerCurrency : t.axis.cpc(unit),
        datasets: metric('CPC', (r) => units(r.cpcMicros)),
      },
      cpa: {
        type: 'line',
        format: 'money',
        yTitle: perCurrency ? t.axis.cpaPerCurrency : t.axis.cpa(unit),
        datasets: metric('CPA', (r) => units(r.cpaMicros), complete),
        ...(partial === null ? {} : { note: t.charts.todayLeftOut }),
      },
      roas: {
        type: 'line',
        format: 'ratio',
        yTitle: t.charts.roas,
        datasets: metric('ROAS', (r) => (r.roas === null ? null : round2(r.roas)), complete),
        ...(partial === null ? {} : { note: t.charts.todayLeftOut }),
      },
    },
  };
}

export interface CampaignRow {
  accountId: number;
  account: string;
  platform: Platform;
  campaignId: string;
  name: string;
  /** The account's currency, or the base currency when converted. */
  currency: string;
  current: Metrics;
  previous: Metrics;
}

/** Every campaign with statistics in the range or the previous one, both ranges' totals, one statement. */
export function campaignRows(db: Db, v: AdsView): CampaignRow[] {
  const rows = db
    .prepare(
      `SELECT g.account_id AS accountId, a.name AS account, a.platform AS platform, g.campaign_id AS campaignId,
              coalesce(c.name, g.campaign_id) AS name, a.currency AS currency, g.current,
              g.impressions, g.clicks, g.costMicros, g.conversions, g.valueMicros
       FROM (SELECT s.account_id, s.campaign_id, s.day >= ? AS current, ${SUMS}
             FROM ad_stats s WHERE ${IN_ACCOUNTS} AND s.day BETWEEN ? AND ? GROUP BY 1, 2, 3) g
       JOIN ad_accounts a ON a.id = g.account_id
       LEFT JOIN ad_campaigns c ON c.account_id = g.account_id AND c.campaign_id = g.campaign_id`,
    )
    .all(v.from, ...filterArgs(v), v.prevFrom, v.to) as (Omit<CampaignRow, 'current' | 'previous'> &
    Totals & { current: 0 | 1 })[];
  const out = new Map<
    string,
    Omit<CampaignRow, 'current' | 'previous'> & Record<'current' | 'previous', Totals>
  >();
  for (const r of rows) {
    const key = `${r.accountId}/${r.campaignId}`;
    let c = out.get(key);
    if (!c) {
      const { accountId, account, platform, campaignId, name, currency } = r;
      c = { accountId, account, platform, campaignId, name, currency, current: ZERO, previous: ZERO };
      out.set(key, c);
    }
    const rate = v.conversion ? rateOf(v.conversion, r.currency) : 1;
    c[r.current ? 'current' : 'previous'] = {
      impressions: r.impressions,
      clicks: r.clicks,
      costMicros: Math.round(r.costMicros * rate),
      conversions: r.conversions,
      valueMicros: Math.round(r.valueMicros * rate),
    };
  }
  return [...out.values()].map((c) => ({
    ...c,
    currency: v.conversion ? v.conversion.base : c.currency,
    current: withMetrics(c.current),
    previous: withMetrics(c.previous),
  }));
}

/** now / before − 1 (0.12 = 12 % more); null when there is nothing to compare with. */
export function change(now: number | null, before: number | null): number | null {
  if (now === null || before === null || before === 0) return null;
  return now / before - 1;
}

export const CAMPAIGN_SORTS = [
  'spend',
  'change',
  'clicks',
  'ctr',
  'cpc',
  'conversions',
  'cpa',
  'roas',
  'name',
] as const;
export type CampaignSort = (typeof CAMPAIGN_SORTS)[number];

const SORT_VALUE: Record<CampaignSort, (r: CampaignRow) => number | string | null> = {
  spend: (r) => r.current.costMicros,
  change: (r) => change(r.current.costMicros, r.previous.costMicros),
  clicks: (r) => r.current.clicks,
  ctr: (r) => r.current.ctr,
  cpc: (r) => r.current.cpcMicros,
  conversions: (r) => r.current.conversions,
  cpa: (r) => r.current.cpaMicros,
  roas: (r) => r.current.roas,
  name: (r) => r.name.toLocaleLowerCase(),
};

/** Sorted within each currency (amounts of two currencies do not compare); unknown values last. */
export function sortCampaigns(
  rows: readonly CampaignRow[],
  sort: CampaignSort,
  desc: boolean,
): CampaignRow[] {
  const collator = new Intl.Collator('ru');
  const key = SORT_VALUE[sort];
  return [...rows].sort((a, b) => {
    if (a.currency !== b.currency) return a.currency < b.currency ? -1 : 1;
    const ka = key(a);
    const kb = key(b);
    if (ka === null || kb === null) return ka === kb ? 0 : ka === null ? 1 : -1;
    const d = typeof ka === 'string' ? collator.compare(ka, kb as string) : ka - (kb as number);
    return (desc ? -d : d) || collator.compare(a.name, b.name);
  });
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

// Pacing and anomalies live in src/ads/current.ts (the Overview reads them too); re-exported for the Ads page.
import { anomalyRows, pacingRows } from '../../src/ads/current.ts';
export { anomalyRows, pacingRows, type AnomalyRow, type PacingRow } from '../../src/ads/current.ts';

/** Cached reads the page and the API share. */
export const cachedTotals = (db: Db, v: AdsView) =>
  cachedRead(db, `ads-totals:${viewKey(v)}`, () => periodTotals(db, v));
export const cachedCampaigns = (db: Db, v: AdsView) =>
  cachedRead(db, `ads-campaigns:${viewKey(v)}`, () => campaignRows(db, v));

const PAGE_MAX = 1000;

function siteAndView(c: Context<Env>): { v: AdsView } | { error: string; status: 400 | 404 } {
  const site = c.get('site');
  if (!site) return { error: c.get('t').common.noSite, status: 404 };
  const v = adsView(c, site);
  return typeof v === 'string' ? { error: v, status: 400 } : { v };
}

export const adsApi = new Hono<Env>()
  .get('/trend', (c) => {
    const r = siteAndView(c);
    if ('error' in r) return c.json({ error: r.error }, r.status);
    const db = c.get('deps').db;
    const lang = c.get('lang');
    return c.json(
      cachedRead(db, `ads-trend:${lang}:${viewKey(r.v)}`, () => trendJson(db, r.v, c.get('t').ads)),
    );
  })
  .get('/campaigns', (c) => {
    const r = siteAndView(c);
    if ('error' in r) return c.json({ error: r.error }, r.status);
    const { v } = r;
    const { sort, desc, page } = campaignOrder(c);
    const size = Math.min(PAGE_MAX, Math.max(1, Math.floor(Number(c.req.query('pageSize')) || 100)));
    const all = sortCampaigns(cachedCampaigns(c.get('deps').db, v), sort, desc);
    return c.json({
      site: v.site.name,
      from: v.from,
      to: v.to,
      previous: { from: v.prevFrom, to: v.prevTo },
      converted: v.conversion !== null,
      sort,
      dir: desc ? 'desc' : 'asc',
      total: all.length,
      page,
      pageSize: size,
      pages: Math.max(1, Math.ceil(all.length / size)),
      campaigns: all.slice((page - 1) * size, page * size).map(campaignJson),
    });
  })
  .get('/pacing', (c) => {
    const site = c.get('site');
    if (!site) return c.json({ error: c.get('t').common.noSite }, 404);
    const platform = c.req.query('platform') || undefined;
    if (platform !== undefined && !(PLATFORMS as readonly string[]).includes(platform))
      return c.json({ error: c.get('t').ads.view.notOneOf('platform', platform, PLATFORMS.join(', ')) }, 400);
    const { db, config, now } = c.get('deps');
    return c.json({
      site: site.name,
      accounts: pacingRows(db, config, site, now(), platform as Platform | undefined).map((p) => ({
        id: p.account.id,
        name: p.account.name,
        platform: p.account.platform,
        currency: p.account.currency,
        timeZone: p.account.timeZone,
        today: p.today,
        marginPercent: p.marginPercent,
        ...p.pacing,
      })),
    });
  })
  .get('/anomalies', (c) => {
    const site = c.get('site');
    if (!site) return c.json({ error: c.get('t').common.noSite }, 404);
    const platform = c.req.query('platform') || undefined;
    if (platform !== undefined && !(PLATFORMS as readonly string[]).includes(platform))
      return c.json({ error: c.get('t').ads.view.notOneOf('platform', platform, PLATFORMS.join(', ')) }, 400);
    const limit = Math.min(PAGE_MAX, Math.max(1, Math.floor(Number(c.req.query('limit')) || 100)));
    return c.json({
      site: site.name,
      anomalies: anomalyRows(c.get('deps').db, site.id, limit, platform as Platform | undefined),
    });
  });
