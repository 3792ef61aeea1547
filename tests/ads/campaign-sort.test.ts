// The campaign table's order: within each currency, by the chosen column, unknown values last.
import { describe, expect, it } from 'vitest';
import { withMetrics } from '../../src/ads/analysis.ts';
import { change, sortCampaigns } from '../../src/ads/campaign-sort.ts';
import type { CampaignRow } from '../../src/ads/report-data.ts';

const totals = (costMicros: number, clicks: number, conversions = 0) =>
  withMetrics({ impressions: clicks * 10, clicks, costMicros, conversions, valueMicros: 0 });

const row = (
  name: string,
  currency: string,
  cost: number,
  clicks: number,
  conversions = 0,
  before = 0,
): CampaignRow => ({
  accountId: 1,
  account: 'Studio',
  platform: 'yandex-direct',
  campaignId: name,
  name,
  currency,
  current: totals(cost, clicks, conversions),
  previous: totals(before, before ? 1 : 0),
});

describe('campaign order', () => {
  const rows = [
    row('Видео', 'RUB', 5_000_000, 10, 2, 10_000_000),
    row('Brand', 'USD', 20_000_000, 4, 0, 1_000_000),
    row('Анимация', 'RUB', 9_000_000, 30, 0),
    row('Дизайн', 'RUB', 1_000_000, 2, 1, 500_000),
  ];
  const names = (rs: CampaignRow[]) => rs.map((r) => `${r.currency} ${r.name}`);

  it('sortCampaigns() sorts by spend within each currency, never across currencies', () => {
    expect(names(sortCampaigns(rows, 'spend', true))).toEqual([
      'RUB Анимация',
      'RUB Видео',
      'RUB Дизайн',
      'USD Brand',
    ]);
  });

  it('sortCampaigns() puts campaigns without a value last either way (no conversions: no CPA)', () => {
    expect(names(sortCampaigns(rows, 'cpa', false))).toEqual([
      'RUB Дизайн',
      'RUB Видео',
      'RUB Анимация',
      'USD Brand',
    ]);
    expect(names(sortCampaigns(rows, 'cpa', true))).toEqual([
      'RUB Видео',
      'RUB Дизайн',
      'RUB Анимация',
      'USD Brand',
    ]);
  });

  it('sortCampaigns() sorts names in Russian alphabetical order, and change() compares with the period before', () => {
    expect(names(sortCampaigns(rows, 'name', false))).toEqual([
      'RUB Анимация',
      'RUB Видео',
      'RUB Дизайн',
      'USD Brand',
    ]);
    expect(change(5_000_000, 10_000_000)).toBe(-0.5);
    expect(change(9_000_000, 0)).toBeNull();
    expect(names(sortCampaigns(rows, 'change', true))).toEqual([
      'RUB Дизайн',
      'RUB Видео',
      'RUB Анимация',
      'USD Brand',
    ]);
  });
});
