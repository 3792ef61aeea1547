// Stored search averages: an import replaces its own period and dimensions only, atomically, and the
// Rankings page reads a period's top rows by clicks a page at a time.
import { afterAll, describe, expect, it } from 'vitest';
import type { AverageRow } from '../../src/rank/import-search-export.ts';
import { averagePeriods, replaceSearchAverages, topAverages } from '../../src/rank/search-averages.ts';
import { BACKENDS, stopPgServer } from '../pg/backends.ts';
import { addSite } from './store-setup.ts';

const row = (key: string, clicks: number, impressions = clicks * 10): AverageRow => ({
  line: 2,
  key,
  clicks,
  impressions,
  ctr: impressions ? clicks / impressions : 0,
  position: 4.2,
});
const Q3 = { from: '2026-06-12', to: '2026-09-11' };
const Q2 = { from: '2026-03-12', to: '2026-06-11' };

afterAll(stopPgServer);

describe.each(BACKENDS)('search averages on $name', (backend) => {
  async function setup() {
    const { sql: db } = await backend.open();
    const site = await addSite(db, 'studio');
    const other = await addSite(db, 'bakery');
    return { db, site, other, now: new Date('2026-09-14T09:00:00Z') };
  }

  describe('replaceSearchAverages()', () => {
    it('replaces the same period and dimension, keeps other periods, dimensions, sources and sites', async () => {
      const { db, site, other, now } = await setup();
      await replaceSearchAverages(
        db,
        site.id,
        'gsc-export',
        Q2,
        [{ dimension: 'query', rows: [row('old', 1)] }],
        now,
      );
      await replaceSearchAverages(
        db,
        other.id,
        'gsc-export',
        Q3,
        [{ dimension: 'query', rows: [row('bread', 9)] }],
        now,
      );
      await replaceSearchAverages(
        db,
        site.id,
        'yandex-webmaster-export',
        Q3,
        [{ dimension: 'query', rows: [row('y', 3)] }],
        now,
      );
      const first = [
        { dimension: 'query' as const, rows: [row('a', 5), row('b', 7)] },
        { dimension: 'device' as const, rows: [row('Mobile', 12)] },
      ];
      expect(await replaceSearchAverages(db, site.id, 'gsc-export', Q3, first, now)).toBe(3);
      // The same export again, with one query fewer: exactly its rows remain, devices untouched.
      await replaceSearchAverages(
        db,
        site.id,
        'gsc-export',
        Q3,
        [{ dimension: 'query', rows: [row('b', 8)] }],
        now,
      );
      const keys = async (
        source: 'gsc-export' | 'yandex-webmaster-export',
        dimension: 'query' | 'device',
        period = Q3,
        siteId = site.id,
      ) =>
        (await topAverages(db, siteId, { source, dimension, period, limit: 10, offset: 0 })).rows.map(
          (r) => `${r.key}:${r.clicks}`,
        );
      expect(await keys('gsc-export', 'query')).toEqual(['b:8']);
      expect(await keys('gsc-export', 'device')).toEqual(['Mobile:12']);
      expect(await keys('gsc-export', 'query', Q2)).toEqual(['old:1']);
      expect(await keys('yandex-webmaster-export', 'query')).toEqual(['y:3']);
      expect(await keys('gsc-export', 'query', Q3, other.id)).toEqual(['bread:9']);
      expect(await averagePeriods(db, site.id, 'gsc-export', 'query')).toEqual([
        { ...Q3, rows: 1 },
        { ...Q2, rows: 1 },
      ]);
    });

    it('writes nothing when a row breaks a rule of the table', async () => {
      const { db, site, now } = await setup();
      await replaceSearchAverages(
        db,
        site.id,
        'gsc-export',
        Q3,
        [{ dimension: 'query', rows: [row('kept', 4)] }],
        now,
      );
      const broken = [
        { dimension: 'query' as const, rows: [row('new', 5), { ...row('bad', 1), position: 0.5 }] },
      ];
      // The table's CHECK on position, reported as such by either database.
      await expect(replaceSearchAverages(db, site.id, 'gsc-export', Q3, broken, now)).rejects.toMatchObject({
        violation: 'check',
      });
      expect(
        (
          await topAverages(db, site.id, {
            source: 'gsc-export',
            dimension: 'query',
            period: Q3,
            limit: 10,
            offset: 0,
          })
        ).rows.map((r) => r.key),
      ).toEqual(['kept']);
    });
  });

  describe('topAverages()', () => {
    it('orders by clicks, then impressions, then key, and pages with a total', async () => {
      const { db, site, now } = await setup();
      const rows = [row('c', 5, 100), row('a', 5, 100), row('b', 5, 200), row('d', 9), row('e', 0, 0)];
      await replaceSearchAverages(db, site.id, 'gsc-export', Q3, [{ dimension: 'query', rows }], now);
      const page = (offset: number) =>
        topAverages(db, site.id, { source: 'gsc-export', dimension: 'query', period: Q3, limit: 2, offset });
      expect(await page(0)).toEqual({
        rows: [expect.objectContaining({ key: 'd' }), expect.objectContaining({ key: 'b' })],
        total: 5,
      });
      expect((await page(2)).rows.map((r) => r.key)).toEqual(['a', 'c']);
      expect((await page(4)).rows).toEqual([{ key: 'e', clicks: 0, impressions: 0, ctr: 0, position: 4.2 }]);
    });
  });
});
