// What an ad account looks like right now (src/ads/current.ts), on both backends: this month's pacing per
// account in its own time zone, and the latest anomalies newest first, filtered by platform.
import { afterAll, describe, expect, it } from 'vitest';
import { anomalyRows, pacingRows } from '../../src/ads/current.ts';
import { insertAccount, replaceWindow } from '../../src/ads/store.ts';
import { syncSites } from '../../src/db/sites.ts';
import { BACKENDS, stopPgServer } from '../pg/backends.ts';
import { testConfig } from '../helpers.ts';
import { account, row } from './accounts.ts';

afterAll(stopPgServer);

const NOW = new Date('2026-11-20T22:30:00Z'); // Moscow is already on the 21st, UTC still on the 20th

describe.each(BACKENDS)('ads right now on $name', (backend) => {
  it('paces each account in its own time zone and lists anomalies newest first, by platform', async () => {
    const { sql } = await backend.open();
    try {
      const config = testConfig({
        sites: [{ name: 'studio', baseUrl: 'https://studio.example/', timeZone: 'Europe/Moscow' }],
      });
      const [site] = await syncSites(sql, config.sites, NOW);
      const direct = await insertAccount(
        sql,
        site!.id,
        account({ monthlyBudgetMicros: 30_000_000_000 }),
        NOW,
      );
      const google = await insertAccount(
        sql,
        site!.id,
        account({
          platform: 'google-ads',
          externalId: '123-456-7890',
          name: 'Google · studio',
          timeZone: 'UTC',
        }),
        NOW,
      );
      await replaceWindow(
        sql,
        direct,
        '2026-11-01',
        '2026-11-21',
        [row('2026-11-01', '1', 1000), row('2026-11-20', '1', 1500), row('2026-11-21', '1', 200)],
        'api',
      );
      await replaceWindow(sql, google, '2026-11-20', '2026-11-20', [row('2026-11-20', 'g', 300)], 'api');

      const rows = await pacingRows(sql, config, site!, NOW);
      expect(rows.map((r) => [r.account.name, r.today, r.pacing.monthToDateMicros, r.marginPercent])).toEqual(
        [
          ['Google · studio', '2026-11-20', 300_000_000, 10],
          ['Direct · studio', '2026-11-21', 2_700_000_000, 10],
        ],
      );
      expect((await pacingRows(sql, config, site!, NOW, 'google-ads')).map((r) => r.account.id)).toEqual([
        google,
      ]);

      const anomaly = (accountId: number, day: string, kind: string) =>
        sql.run(
          `INSERT INTO ad_anomalies (account_id, campaign_id, day, kind, value, baseline, score, message, raised_at)
           VALUES (?, '1', ?, ?, 10, 5, 3.5, 'm', ?)`,
          [accountId, day, kind, NOW.toISOString()],
        );
      await anomaly(direct, '2026-11-18', 'spend-spike');
      await anomaly(google, '2026-11-19', 'cpa-jump');
      await anomaly(direct, '2026-11-19', 'ctr-drop');
      const all = await anomalyRows(sql, site!.id, 10);
      expect(all.map((a) => [a.day, a.kind, a.campaign, a.platform])).toEqual([
        ['2026-11-19', 'ctr-drop', 'Campaign 1', 'yandex-direct'],
        ['2026-11-19', 'cpa-jump', '1', 'google-ads'],
        ['2026-11-18', 'spend-spike', 'Campaign 1', 'yandex-direct'],
      ]);
      expect(all[0]).toMatchObject({ value: 10, baseline: 5, score: 3.5, currency: 'RUB' });
      expect((await anomalyRows(sql, site!.id, 1, 'yandex-direct')).map((a) => a.kind)).toEqual(['ctr-drop']);
    } finally {
      await sql.close();
    }
  });
});
