// What the money bought: spend, impressions, clicks, CTR, CPC, conversions, CPA, value and ROAS by day,
// week or month and by platform, account or campaign — per currency, never summed across currencies
// unless converted with the config's rates (and then the result says so).
import type { Config } from '../config/schema.ts';
import type { Dialect, Sql } from '../db/store/types.ts';

export type Period = 'day' | 'week' | 'month';
export type GroupBy = 'platform' | 'account' | 'campaign' | 'total';

export interface Totals {
  impressions: number;
  clicks: number;
  costMicros: number;
  conversions: number;
  valueMicros: number;
}

export interface Metrics extends Totals {
  ctr: number | null;
  cpcMicros: number | null;
  cpaMicros: number | null;
  roas: number | null;
}

export interface AdsRow extends Metrics {
  /** Day, Monday of the ISO week, or YYYY-MM. */
  period: string;
  /** Platform id, account id, "accountId/campaignId", or "" for the total. */
  key: string;
  label: string;
  currency: string;
}

export function withMetrics(t: Totals): Metrics {
  return {
    ...t,
    ctr: t.impressions > 0 ? t.clicks / t.impressions : null,
    cpcMicros: t.clicks > 0 ? Math.round(t.costMicros / t.clicks) : null,
    cpaMicros: t.conversions > 0 ? Math.round(t.costMicros / t.conversions) : null,
    roas: t.costMicros > 0 ? t.valueMicros / t.costMicros : null,
  };
}

/**
 * A day column's period: the day, Monday of its ISO week, or YYYY-MM. Days are ISO text on both backends.
 * SQLite: 'weekday 0' moves forward to Sunday; six days back is that week's Monday. PostgreSQL:
 * date_trunc('week') is the ISO week's Monday (https://www.postgresql.org/docs/15/functions-datetime.html).
 */
export function periodSql(dialect: Dialect, period: Period, col: string): string {
  if (period === 'day') return col;
  if (period === 'month') return `substr(${col}, 1, 7)`;
  return dialect === 'postgres'
    ? `to_char(date_trunc('week', CAST(${col} AS date)), 'YYYY-MM-DD')`
    : `date(${col}, 'weekday 0', '-6 days')`;
}

const GROUP_SQL: Record<GroupBy, { key: string; label: string }> = {
  platform: { key: 'a.platform', label: 'a.platform' },
  account: { key: 'CAST(a.id AS TEXT)', label: 'a.name' },
  campaign: {
    key: "a.id || '/' || s.campaign_id",
    label: "coalesce(c.name, s.campaign_id) || ' · ' || a.name",
  },
  total: { key: "''", label: "CAST('All accounts' AS TEXT)" },
};

/** Rows per period, group and currency for a site's accounts between two days (inclusive). */
export async function adsTable(
  sql: Sql,
  siteId: number,
  from: string,
  to: string,
  period: Period,
  groupBy: GroupBy,
  filter: { platform?: string; accountId?: number } = {},
): Promise<AdsRow[]> {
  const g = GROUP_SQL[groupBy];
  // The label is one per key (an account's name, a campaign's); max() says so to PostgreSQL, which
  // wants every selected column grouped or aggregated.
  const rows = await sql.all<Totals & { period: string; key: string; label: string; currency: string }>(
    `SELECT ${periodSql(sql.dialect, period, 's.day')} AS period, ${g.key} AS key, max(${g.label}) AS label,
            a.currency AS currency,
            sum(s.impressions) AS impressions, sum(s.clicks) AS clicks, sum(s.cost_micros) AS costMicros,
            sum(s.conversions) AS conversions, sum(s.conversion_value_micros) AS valueMicros
     FROM ad_stats s JOIN ad_accounts a ON a.id = s.account_id
     LEFT JOIN ad_campaigns c ON c.account_id = s.account_id AND c.campaign_id = s.campaign_id
     WHERE a.site_id = ? AND s.day BETWEEN ? AND ? AND (? IS NULL OR a.platform = ?) AND (? IS NULL OR a.id = ?)
     GROUP BY 1, 2, a.currency ORDER BY 1, 3, 4`,
    [
      siteId,
      from,
      to,
      filter.platform ?? null,
      filter.platform ?? null,
      filter.accountId ?? null,
      filter.accountId ?? null,
    ],
  );
  return rows.map((r) => ({ ...r, ...withMetrics(r) }));
}

export interface Conversion {
  base: string;
  /** Units of base per one unit of each currency. */
  rates: Record<string, number>;
  asOf?: string;
}

export function conversionFrom(config: Config): Conversion | null {
  return config.currency
    ? { base: config.currency.base, rates: config.currency.rates, asOf: config.currency.asOf }
    : null;
}

/**
 * Rows of several currencies as one, converted to the base currency with the config's rates. A
 * currency without a rate is refused by name, never summed as if it were the base.
 */
export function convertRows(rows: readonly AdsRow[], conv: Conversion): AdsRow[] {
  const merged = new Map<string, AdsRow>();
  for (const r of rows) {
    const rate = r.currency === conv.base ? 1 : conv.rates[r.currency];
    if (rate === undefined)
      throw new Error(
        `no exchange rate for ${r.currency} to ${conv.base}: add currency.rates.${r.currency} to the config to see totals in ${conv.base}`,
      );
    const k = `${r.period}\u0000${r.key}`;
    const m = merged.get(k) ?? {
      ...r,
      impressions: 0,
      clicks: 0,
      costMicros: 0,
      conversions: 0,
      valueMicros: 0,
      currency: conv.base,
    };
    m.impressions += r.impressions;
    m.clicks += r.clicks;
    m.costMicros += Math.round(r.costMicros * rate);
    m.conversions += r.conversions;
    m.valueMicros += Math.round(r.valueMicros * rate);
    merged.set(k, m);
  }
  return [...merged.values()].map((r) => ({ ...r, ...withMetrics(r) }));
}

/** Currencies among a site's accounts: more than one means totals need rates or stay apart. */
export async function siteCurrencies(sql: Sql, siteId: number): Promise<string[]> {
  const rows = await sql.all<{ currency: string }>(
    'SELECT DISTINCT currency FROM ad_accounts WHERE site_id = ? ORDER BY currency',
    [siteId],
  );
  return rows.map((r) => r.currency);
}

const DAILY_SPEND =
  'SELECT day, sum(cost_micros) AS cost FROM ad_stats WHERE account_id = ? AND day BETWEEN ? AND ? GROUP BY day';

/** Spend per day of one account (micros), for pacing. */
export async function dailySpend(
  sql: Sql,
  accountId: number,
  from: string,
  to: string,
): Promise<Map<string, number>> {
  const rows = await sql.all<{ day: string; cost: number }>(DAILY_SPEND, [accountId, from, to]);
  return new Map(rows.map((r) => [r.day, r.cost]));
}

/** Each campaign's daily stats of one account between two days, for anomaly checks. */
export async function campaignSeries(
  sql: Sql,
  accountId: number,
  from: string,
  to: string,
): Promise<
  Map<string, Map<string, { impressions: number; clicks: number; costMicros: number; conversions: number }>>
> {
  const out = new Map<
    string,
    Map<string, { impressions: number; clicks: number; costMicros: number; conversions: number }>
  >();
  const rows = await sql.all<{
    campaignId: string;
    day: string;
    impressions: number;
    clicks: number;
    costMicros: number;
    conversions: number;
  }>(
    `SELECT campaign_id AS campaignId, day, impressions, clicks, cost_micros AS costMicros, conversions
     FROM ad_stats WHERE account_id = ? AND day BETWEEN ? AND ? ORDER BY day, campaign_id`,
    [accountId, from, to],
  );
  for (const r of rows) {
    let m = out.get(r.campaignId);
    if (!m) out.set(r.campaignId, (m = new Map()));
    m.set(r.day, r);
  }
  return out;
}
