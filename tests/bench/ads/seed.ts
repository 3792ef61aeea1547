// Seeds the load test's database: one site with a Yandex Direct account in RUB and a Google Ads account in USD,
// 3 years × 200 campaigns of daily rows stored through replaceWindow, a few anomalies and events.
import { accountAlerts } from '../../../src/ads/alerts.ts';
import { storeOf } from '../../../src/db/store/sqlite.ts';
import { getAccount, insertAccount, replaceWindow, type AccountInput } from '../../../src/ads/store.ts';
import type { DailyRow } from '../../../src/ads/types.ts';
import type { Config } from '../../../src/config/schema.ts';
import type { Db } from '../../../src/db/open.ts';
import { syncSites } from '../../../src/db/sites.ts';
import { addDays } from '../../../src/util/days.ts';
import { seedRows, type CampaignNaming } from './direct-tsv.ts';

const M = 1_000_000;

interface Seeded {
  accounts: number;
  campaigns: number;
  rows: number;
  anomalies: number;
}

const GOOGLE_NAMING: CampaignNaming = {
  id: (c) => String(21_000_000_000 + c),
  name: (c) => `${['Search', 'PMax', 'Brand', 'Display'][c % 4]} — video production ${c + 1}`,
};

/**
 * `campaigns` split 60/40 between the RUB and the USD account, `days` days ending today. Every tenth
 * campaign spends six times its usual on one of the last days, so the anomaly check has findings.
 */
export async function seedDashboard(
  db: Db,
  config: Config,
  campaigns: number,
  days: number,
  now: Date,
): Promise<Seeded> {
  const [site] = await syncSites(storeOf(db), config.sites, now);
  const today = now.toISOString().slice(0, 10);
  const base: Omit<AccountInput, 'platform' | 'externalId' | 'name' | 'currency' | 'timeZone'> = {
    costIncludesVat: false,
    monthlyBudgetMicros: null,
    credentials: {},
    lookbackDays: null,
  };
  const rub = Math.round(campaigns * 0.6);
  const plan = [
    {
      input: {
        ...base,
        platform: 'yandex-direct',
        externalId: 'studio-direct',
        name: 'Директ — студия',
        currency: 'RUB',
        timeZone: 'Europe/Moscow',
        monthlyBudgetMicros: 4_000_000 * M,
      } satisfies AccountInput,
      rows: seedRows(rub, days, today, 5),
    },
    {
      input: {
        ...base,
        platform: 'google-ads',
        externalId: '1234567890',
        name: 'Google Ads · studio',
        currency: 'USD',
        timeZone: 'America/New_York',
        monthlyBudgetMicros: 40_000 * M,
      } satisfies AccountInput,
      rows: seedRows(campaigns - rub, days, today, 9, GOOGLE_NAMING),
    },
  ];
  let rows = 0;
  let anomalies = 0;
  for (const { input, rows: daily } of plan) {
    const id = await insertAccount(storeOf(db), site!.id, input, now);
    spike(daily, addDays(today, -2));
    await replaceWindow(storeOf(db), id, daily[0]!.day, today, daily, 'api');
    rows += daily.length;
    const judged = Array.from({ length: 14 }, (_, i) => addDays(today, i - 14));
    anomalies += (
      await accountAlerts(
        storeOf(db),
        site!.name,
        (await getAccount(storeOf(db), id))!,
        config.sites[0]!.ads,
        now,
        judged,
      )
    ).anomalies.length;
  }
  // A plain insert (addEvent is async now) keeps the seed synchronous.
  const event = db.prepare('INSERT INTO events (site_id, day, title, created_at) VALUES (?, ?, ?, ?)');
  for (let d = days - 1; d >= 0; d -= 45)
    event.run(site!.id, addDays(today, -d), `Site release ${days - d}`, now.toISOString());
  return { accounts: plan.length, campaigns, rows, anomalies };
}

function spike(rows: DailyRow[], day: string): void {
  const ids = [...new Set(rows.map((r) => r.campaignId))].filter((_, i) => i % 10 === 0);
  for (const r of rows) if (r.day === day && ids.includes(r.campaignId)) r.costMicros *= 6;
}
