// The ads table keeps currencies apart and converts only with the config's rates.
import { describe, expect, it } from 'vitest';
import { adsTable, convertRows } from '../../src/ads/analysis.ts';
import { storeOf } from '../../src/db/store/sqlite.ts';
import { insertAccount, replaceWindow } from '../../src/ads/store.ts';
import { account, row, setup } from './accounts.ts';

describe('currencies', () => {
  it('keeps accounts in different currencies apart, and converts only with rates from the config', async () => {
    const { db, site, clock } = setup();
    const rub = await insertAccount(storeOf(db), site.id, account(), clock.now());
    const usd = await insertAccount(
      storeOf(db),
      site.id,
      account({ platform: 'google-ads', externalId: '1234567890', currency: 'USD' }),
      clock.now(),
    );
    await replaceWindow(storeOf(db), rub, '2026-11-01', '2026-11-01', [row('2026-11-01', '1', 9000)], 'api');
    await replaceWindow(storeOf(db), usd, '2026-11-01', '2026-11-01', [row('2026-11-01', '5', 100)], 'api');
    const rows = adsTable(db, site.id, '2026-11-01', '2026-11-30', 'month', 'total');
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
