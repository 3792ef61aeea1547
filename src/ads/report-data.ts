// The Ads reads, one statement each: totals of a view's range against the range before, totals per period
// and group for the charts (the biggest campaigns and "other"), and the campaign table. Money of different
// currencies is never added up unless converted with the config's rates. Cached per view (src/db/read-cache.ts).
import { cachedRead } from '../db/read-cache.ts';
import type { Sql } from '../db/store/types.ts';
import {
  convertRows,
  periodSql,
  withMetrics,
  type AdsRow,
  type Conversion,
  type Metrics,
  type Period,
  type Totals,
} from './analysis.ts';
import { completeTo, viewKey, type AdsView } from './report-view.ts';
import type { Platform } from './types.ts';

/** The spend chart stacks this many platforms, accounts or campaigns per currency; the rest is "other". */
const TOP = 8;

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

export const ZERO: Totals = { impressions: 0, clicks: 0, costMicros: 0, conversions: 0, valueMicros: 0 };
export const TOTAL_FIELDS = ['impressions', 'clicks', 'costMicros', 'conversions', 'valueMicros'] as const;

/** Totals of the range and of the previous equal-length range, per currency (one when converted). */
export async function periodTotals(sql: Sql, v: AdsView): Promise<CurrencyTotals[]> {
  let rows = asRows(
    await sql.all<Grouped>(
      `SELECT CASE WHEN d.day > ? THEN 'today' WHEN d.day >= ? THEN 'current' ELSE 'previous' END AS period,
              '' AS key, '' AS label, a.currency AS currency, ${OUTER_SUMS}
       FROM ${ACCOUNT_DAYS} GROUP BY 1, a.currency`,
      [completeTo(v), v.from, ...filterArgs(v), v.prevFrom, v.to],
    ),
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

/** The key of the campaigns outside the top few (web/public/app.js greys it out by this name). */
export const OTHER_CAMPAIGNS = 'other campaigns';

/**
 * Totals per period, group and currency, in one statement. Campaigns: the biggest few of each currency
 * (by spend in the range, from the campaign table) and the rest summed as "other" (OTHER_CAMPAIGNS): 200
 * campaigns stacked in one bar would say nothing.
 */
export async function groupedRows(sql: Sql, v: AdsView): Promise<AdsRow[]> {
  const period = periodSql(sql.dialect, v.period, 'd.day');
  // ORDER BY in full: PostgreSQL may hash the groups and return them in any order, and the chart's
  // stacks (equal totals keep this order) must come out the same on both backends.
  if (v.group !== 'campaign') {
    const [key, label] =
      v.group === 'platform' ? ['a.platform', 'a.platform'] : ['CAST(a.id AS TEXT)', 'a.name'];
    return asRows(
      await sql.all<Grouped>(
        `SELECT ${period} AS period, ${key} AS key, max(${label}) AS label,
                a.currency AS currency, ${OUTER_SUMS}
         FROM ${ACCOUNT_DAYS} GROUP BY 1, 2, a.currency ORDER BY 1, 2, a.currency`,
        [...filterArgs(v), v.from, v.to],
      ),
    );
  }
  const top = new Map<string, string>();
  const taken = new Map<string, number>();
  const spent = (await cachedCampaigns(sql, v)).filter((r) => r.current.costMicros > 0);
  for (const r of spent.sort((a, b) => b.current.costMicros - a.current.costMicros)) {
    const n = taken.get(r.currency) ?? 0;
    if (n >= TOP) continue;
    taken.set(r.currency, n + 1);
    top.set(`${r.accountId}/${r.campaignId}`, `${r.name} · ${r.account}`);
  }
  // The top campaigns' own rows, and every account's day in total (read in key order, no sort); "other"
  // is the total less the top. Only the few thousand rows left are grouped — not every campaign's day.
  // The top keys as one JSON array parameter (an IN list of any length); each dialect reads it its way.
  const topKeys =
    sql.dialect === 'postgres'
      ? 'SELECT json_array_elements_text(CAST(? AS json))'
      : 'SELECT value FROM json_each(?)';
  const rows = await sql.all<Omit<Grouped, 'label'>>(
    `SELECT ${period} AS period, d.key, a.currency AS currency, ${OUTER_SUMS}
     FROM (SELECT s.account_id, s.day, s.account_id || '/' || s.campaign_id AS key, s.impressions, s.clicks,
                  s.cost_micros AS costMicros, s.conversions, s.conversion_value_micros AS valueMicros
           FROM ad_stats s WHERE ${IN_ACCOUNTS} AND s.day BETWEEN ? AND ?
             AND (s.account_id || '/' || s.campaign_id) IN (${topKeys})
           UNION ALL
           SELECT s.account_id, s.day, '' AS key, ${SUMS}
           FROM ad_stats s WHERE ${IN_ACCOUNTS} AND s.day BETWEEN ? AND ? GROUP BY s.account_id, s.day) d
     JOIN ad_accounts a ON a.id = d.account_id
     GROUP BY 1, 2, a.currency ORDER BY 1, 2, a.currency`,
    [...filterArgs(v), v.from, v.to, JSON.stringify([...top.keys()]), ...filterArgs(v), v.from, v.to],
  );
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
export async function campaignRows(sql: Sql, v: AdsView): Promise<CampaignRow[]> {
  const rows = await sql.all<Omit<CampaignRow, 'current' | 'previous'> & Totals & { current: 0 | 1 }>(
    `SELECT g.account_id AS accountId, a.name AS account, a.platform AS platform, g.campaign_id AS campaignId,
            coalesce(c.name, g.campaign_id) AS name, a.currency AS currency, g.current,
            g.impressions, g.clicks, g.costMicros, g.conversions, g.valueMicros
     FROM (SELECT s.account_id, s.campaign_id, s.day >= ? AS current, ${SUMS}
           FROM ad_stats s WHERE ${IN_ACCOUNTS} AND s.day BETWEEN ? AND ? GROUP BY 1, 2, 3) g
     JOIN ad_accounts a ON a.id = g.account_id
     LEFT JOIN ad_campaigns c ON c.account_id = g.account_id AND c.campaign_id = g.campaign_id
     ORDER BY g.account_id, g.campaign_id, g.current`,
    [v.from, ...filterArgs(v), v.prevFrom, v.to],
  );
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

/** Cached reads the page and the API share. */
export const cachedTotals = (sql: Sql, v: AdsView) =>
  cachedRead(sql, `ads-totals:${viewKey(v)}`, () => periodTotals(sql, v));
export const cachedCampaigns = (sql: Sql, v: AdsView) =>
  cachedRead(sql, `ads-campaigns:${viewKey(v)}`, () => campaignRows(sql, v));
