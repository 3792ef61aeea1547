// What an ad account looks like right now: this month's pacing against its budget and the latest anomalies.
// Shared by the Ads page, its API and the Overview, so the three never compute it differently.
import type { Config } from '../config/schema.ts';
import { cachedRead } from '../db/read-cache.ts';
import type { SiteRow } from '../db/sites.ts';
import type { Sql } from '../db/store/types.ts';
import { dayIn } from '../util/days.ts';
import { dailySpend } from './analysis.ts';
import { pacing, pacingFrom, type Pacing } from './pacing.ts';
import { listAccounts } from './store.ts';
import type { AdAccount, Platform } from './types.ts';

export interface PacingRow {
  account: AdAccount;
  /** The account's today (its own time zone). */
  today: string;
  pacing: Pacing;
  marginPercent: number;
}

/** This month's pacing of every account (of the platform asked for), each in its own time zone. */
export async function pacingRows(
  sql: Sql,
  config: Config,
  site: SiteRow,
  now: Date,
  platform?: Platform,
): Promise<PacingRow[]> {
  const margin = config.sites.find((s) => s.name === site.name)?.ads.budgetMarginPercent ?? 10;
  const accounts = (await listAccounts(sql, site.id)).filter((a) => !platform || a.platform === platform);
  const todays = accounts.map((a) => dayIn(now, a.timeZone));
  return cachedRead(sql, `ads-pacing:${site.id}:${platform ?? ''}:${margin}:${todays.join(',')}`, () =>
    Promise.all(
      accounts.map(async (account, i) => {
        const today = todays[i]!;
        const daily = await dailySpend(sql, account.id, pacingFrom(today), today);
        return {
          account,
          today,
          pacing: pacing(daily, today, account.monthlyBudgetMicros, margin),
          marginPercent: margin,
        };
      }),
    ),
  );
}

export interface AnomalyRow {
  id: number;
  accountId: number;
  account: string;
  platform: Platform;
  currency: string;
  campaignId: string;
  campaign: string;
  day: string;
  kind: string;
  value: number | null;
  baseline: number | null;
  score: number | null;
  message: string;
  raisedAt: string;
}

/** The latest anomalies raised for a site's accounts, newest day first. */
export async function anomalyRows(
  sql: Sql,
  siteId: number,
  limit: number,
  platform?: Platform,
): Promise<AnomalyRow[]> {
  return cachedRead(sql, `ads-anomalies:${siteId}:${platform ?? ''}:${limit}`, () =>
    sql.all<AnomalyRow>(
      `SELECT n.id, n.account_id AS accountId, a.name AS account, a.platform, a.currency, n.campaign_id AS campaignId,
                coalesce(c.name, n.campaign_id) AS campaign, n.day, n.kind, n.value, n.baseline, n.score, n.message,
                n.raised_at AS raisedAt
         FROM ad_anomalies n JOIN ad_accounts a ON a.id = n.account_id
         LEFT JOIN ad_campaigns c ON c.account_id = n.account_id AND c.campaign_id = n.campaign_id
         WHERE a.site_id = ? AND (? IS NULL OR a.platform = ?)
         ORDER BY n.day DESC, n.id DESC LIMIT ?`,
      [siteId, platform ?? null, platform ?? null, limit],
    ),
  );
}
