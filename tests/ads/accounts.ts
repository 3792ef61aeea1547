// An ad account and its daily rows as the ads tests store them, on a fresh store of the run's backend
// (PROMOWATCH_TEST_BACKEND) with the studio.
import type { AccountInput } from '../../src/ads/store.ts';
import type { DailyRow } from '../../src/ads/types.ts';
import { FakeClock, siteByName, testConfig, testStoreDeps } from '../helpers.ts';

export const account = (over: Partial<AccountInput> = {}): AccountInput => ({
  platform: 'yandex-direct',
  externalId: 'studio-direct',
  name: 'Direct · studio',
  currency: 'RUB',
  timeZone: 'Europe/Moscow',
  costIncludesVat: false,
  monthlyBudgetMicros: null,
  credentials: {},
  lookbackDays: null,
  ...over,
});

export const row = (
  day: string,
  campaignId: string,
  costRub: number,
  over: Partial<DailyRow> = {},
): DailyRow => ({
  day,
  campaignId,
  campaignName: `Campaign ${campaignId}`,
  impressions: 1000,
  clicks: 50,
  costMicros: costRub * 1_000_000,
  conversions: 2,
  conversionValueMicros: costRub * 3_000_000,
  ...over,
});

/** The studio on a fresh store of the run's backend: `sql` is the store, `deps.db` SQLite's or a stand-in. */
export async function setupStore() {
  const config = testConfig({
    sites: [{ name: 'studio', baseUrl: 'https://studio.example/', timeZone: 'Europe/Moscow' }],
  });
  const clock = new FakeClock(Date.parse('2026-11-20T09:00:00Z'));
  const deps = await testStoreDeps(config, clock);
  const site = (await siteByName(deps.sql, 'studio'))!;
  return { sql: deps.sql, config, clock, deps, site };
}
