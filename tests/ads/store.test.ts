// replaceWindow(): a pull's window of daily rows replaces what was stored for it, in one go.
import { describe, expect, it } from 'vitest';
import { insertAccount, replaceWindow } from '../../src/ads/store.ts';
import { account, row, setupStore } from './accounts.ts';

describe('replaceWindow()', () => {
  it('replaces the window in one go: rows that vanished upstream vanish here', async () => {
    const { sql, site, clock } = await setupStore();
    const id = await insertAccount(sql, site.id, account(), clock.now());
    await replaceWindow(
      sql,
      id,
      '2026-11-01',
      '2026-11-03',
      [row('2026-11-01', '1', 100), row('2026-11-02', '1', 200), row('2026-11-03', '2', 50)],
      'api',
    );
    await replaceWindow(sql, id, '2026-11-02', '2026-11-03', [row('2026-11-02', '1', 210)], 'api');
    const rows = await sql.all('SELECT day, campaign_id, cost_micros FROM ad_stats ORDER BY day');
    expect(rows).toEqual([
      { day: '2026-11-01', campaign_id: '1', cost_micros: 100_000_000 },
      { day: '2026-11-02', campaign_id: '1', cost_micros: 210_000_000 },
    ]);
  });

  it('writes nothing when a row falls outside the window', async () => {
    const { sql, site, clock } = await setupStore();
    const id = await insertAccount(sql, site.id, account(), clock.now());
    await replaceWindow(sql, id, '2026-11-01', '2026-11-01', [row('2026-11-01', '1', 100)], 'api');
    await expect(
      replaceWindow(
        sql,
        id,
        '2026-11-01',
        '2026-11-01',
        [row('2026-11-01', '1', 5), row('2026-11-09', '1', 5)],
        'api',
      ),
    ).rejects.toThrow(/outside the window/);
    expect(
      (await sql.all<{ cost_micros: number }>('SELECT cost_micros FROM ad_stats')).map((r) => r.cost_micros),
    ).toEqual([100_000_000]);
  });
});
