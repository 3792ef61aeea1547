// accountAlerts() and the spend reads under it (dailySpend, campaignSeries) give the same answers on SQLite
// and PostgreSQL: sums of bigint micros as numbers, campaigns by day, each anomaly and budget level stored once.
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { accountAlerts } from '../../src/ads/alerts.ts';
import { campaignSeries, dailySpend } from '../../src/ads/analysis.ts';
import type { AdAccount } from '../../src/ads/types.ts';
import type { Sql } from '../../src/db/store/types.ts';
import { addDays } from '../../src/util/days.ts';
import { BACKENDS, stopPgServer } from '../pg/backends.ts';

afterAll(stopPgServer);

const NOW = new Date('2026-11-20T09:00:00Z'); // noon in Moscow, the day after the spike
const M = 1_000_000;

async function seed(sql: Sql): Promise<AdAccount> {
  const site = (await sql.get<{ id: number }>(
    `INSERT INTO sites (name, base_url, time_zone, created_at) VALUES ('studio', 'https://studio.example/', 'Europe/Moscow', ?) RETURNING id`,
    [NOW.toISOString()],
  ))!.id;
  const id = (await sql.get<{ id: number }>(
    `INSERT INTO ad_accounts (site_id, platform, external_id, name, currency, time_zone, monthly_budget_micros, created_at)
     VALUES (?, 'yandex-direct', 'studio-direct', 'Studio Direct', 'RUB', 'Europe/Moscow', ?, ?) RETURNING id`,
    [site, 100_000 * M, NOW.toISOString()],
  ))!.id;
  await sql.run(
    `INSERT INTO ad_campaigns (account_id, campaign_id, name) VALUES (?, '1', 'Motion design'), (?, '2', 'Video')`,
    [id, id],
  );
  // 80 days of 5,000 ₽ a day on campaign 1, 30,000 ₽ on the last day; campaign 2 spends 1,000 ₽ on 3 days.
  for (let i = 1; i <= 80; i++) {
    const day = addDays('2026-11-19', -i + 1);
    const cost = (i === 1 ? 30_000 : 5000) * M;
    await sql.run(
      `INSERT INTO ad_stats (account_id, day, campaign_id, impressions, clicks, cost_micros, conversions, source)
       VALUES (?, ?, '1', 1000, 50, ?, 2, 'api')`,
      [id, day, cost],
    );
    if (i <= 3)
      await sql.run(
        `INSERT INTO ad_stats (account_id, day, campaign_id, impressions, clicks, cost_micros, conversions, source)
         VALUES (?, ?, '2', 100, 5, ?, 0.5, 'api')`,
        [id, day, 1000 * M],
      );
  }
  return {
    id,
    siteId: site,
    platform: 'yandex-direct',
    externalId: 'studio-direct',
    name: 'Studio Direct',
    currency: 'RUB',
    timeZone: 'Europe/Moscow',
    costIncludesVat: false,
    monthlyBudgetMicros: 100_000 * M,
    credentials: {},
    lookbackDays: null,
  };
}

describe.each(BACKENDS)('ads alerts on $name', (backend) => {
  let sql: Sql;
  beforeEach(async () => {
    sql = (await backend.open()).sql;
  });
  afterEach(async () => {
    await sql.close();
  });

  it('sums spend per day and reads each campaign by day', async () => {
    const account = await seed(sql);
    expect([...(await dailySpend(sql, account.id, '2026-11-17', '2026-11-19')).entries()].sort()).toEqual([
      ['2026-11-17', 6000 * M],
      ['2026-11-18', 6000 * M],
      ['2026-11-19', 31_000 * M],
    ]);
    const series = await campaignSeries(sql, account.id, '2026-11-18', '2026-11-19');
    expect([...series.keys()]).toEqual(['1', '2']);
    expect([...series.get('2')!.entries()]).toEqual([
      [
        '2026-11-18',
        {
          campaignId: '2',
          day: '2026-11-18',
          impressions: 100,
          clicks: 5,
          costMicros: 1000 * M,
          conversions: 0.5,
        },
      ],
      [
        '2026-11-19',
        {
          campaignId: '2',
          day: '2026-11-19',
          impressions: 100,
          clicks: 5,
          costMicros: 1000 * M,
          conversions: 0.5,
        },
      ],
    ]);
  });

  it('stores an anomaly and a budget level once, and says nothing the second time', async () => {
    const account = await seed(sql);
    const first = await accountAlerts(sql, 'studio', account, {}, NOW);
    expect(first.messages.map((m) => m.kind)).toEqual(['anomaly', 'budget']);
    expect(first.anomalies.map((a) => [a.campaignId, a.day, a.kind])).toContainEqual([
      '1',
      '2026-11-19',
      'spend-spike',
    ]);
    const again = await accountAlerts(sql, 'studio', account, {}, NOW);
    expect(again.messages).toEqual([]);
    expect(again.anomalies).toEqual([]);
    const stored = await sql.all<{ campaignId: string; kind: string; message: string }>(
      `SELECT campaign_id AS campaignId, kind, message FROM ad_anomalies ORDER BY id`,
    );
    expect(stored.length).toBe(first.anomalies.length);
    expect(stored.find((a) => a.kind === 'spend-spike')!.message).toContain('Motion design');
    expect(await sql.all(`SELECT month, level FROM ad_budget_warnings`)).toEqual([
      {
        month: '2026-11',
        level: first.messages[1]!.facts && (first.messages[1]!.facts as { level: string }).level,
      },
    ]);
  });
});
