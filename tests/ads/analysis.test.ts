// The ads table keeps currencies apart and converts only with the config's rates.
import { describe, expect, it } from 'vitest';
import { adsTable, convertRows } from '../../src/ads/analysis.ts';
import { insertAccount, replaceWindow } from '../../src/ads/store.ts';
import { account, row, setupStore } from './accounts.ts';

describe('currencies', () => {
  it('keeps accounts in different currencies apart, and converts only with rates from the config', async () => {
    const { sql, site, clock } = await setupStore();
    const rub = await insertAccount(sql, site.id, account(), clock.now());
    const usd = await insertAccount(
      sql,
      site.id,
      account({ platform: 'google-ads', externalId: '1234567890', currency: 'USD' }),
      clock.now(),
    );
    await replaceWindow(sql, rub, '2026-11-01', '2026-11-01', [row('2026-11-01', '1', 9000)], 'api');
    await replaceWindow(sql, usd, '2026-11-01', '2026-11-01', [row('2026-11-01', '5', 100)], 'api');
    const rows = await adsTable(sql, site.id, '2026-11-01', '2026-11-30', 'month', 'total');
    expect(rows.map((r) => [r.currency, r.costMicros])).toEqual([
      ['RUB', 9_000_000_000],
      ['USD', 100_000_000],
    ]);
    expect(() => convertRows(rows, { base: 'RUB', rates: {} })).toThrow(/no exchange rate for USD/);
    const converted = convertRows(rows, { base: 'RUB', rates: { USD: 90 } });
    expect(converted).toHaveLength(1);
    expect(converted[0]).toMatchObject({ currency: 'RUB', costMicros: 18_000_000_000, clicks: 100 });
  });
});

describe('periods and groups', () => {
  it('groups a week from its Monday and names campaigns by their stored name and account', async () => {
    const { sql, site, clock } = await setupStore();
    const rub = await insertAccount(sql, site.id, account(), clock.now());
    // Sunday 1 November closes the week of 26 October; Monday 2 and Sunday 8 November are one week.
    await replaceWindow(
      sql,
      rub,
      '2026-11-01',
      '2026-11-08',
      [row('2026-11-01', '1', 100), row('2026-11-02', '1', 200), row('2026-11-08', '2', 400)],
      'api',
    );
    const weeks = await adsTable(sql, site.id, '2026-10-26', '2026-11-08', 'week', 'total');
    expect(weeks.map((r) => [r.period, r.key, r.label, r.costMicros])).toEqual([
      ['2026-10-26', '', 'All accounts', 100_000_000],
      ['2026-11-02', '', 'All accounts', 600_000_000],
    ]);
    const campaigns = await adsTable(sql, site.id, '2026-10-26', '2026-11-08', 'week', 'campaign');
    expect(campaigns.map((r) => [r.period, r.key, r.label, r.costMicros])).toEqual([
      ['2026-10-26', `${rub}/1`, 'Campaign 1 · Direct · studio', 100_000_000],
      ['2026-11-02', `${rub}/1`, 'Campaign 1 · Direct · studio', 200_000_000],
      ['2026-11-02', `${rub}/2`, 'Campaign 2 · Direct · studio', 400_000_000],
    ]);
    const months = await adsTable(sql, site.id, '2026-10-26', '2026-11-08', 'month', 'account', {
      accountId: rub,
    });
    expect(months.map((r) => [r.period, r.key, r.label, r.clicks])).toEqual([
      ['2026-11', String(rub), 'Direct · studio', 150],
    ]);
  });
});
