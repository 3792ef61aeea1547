// Stored search averages: an import replaces its own period and dimensions only, atomically, and the
// Rankings page reads a period's top rows by clicks a page at a time.
import { describe, expect, it } from 'vitest';
import { getSiteByName } from '../../src/db/sites.ts';
import type { AverageRow } from '../../src/rank/import-search-export.ts';
import { averagePeriods, replaceSearchAverages, topAverages } from '../../src/rank/search-averages.ts';
import { FakeClock, tempDb, testConfig, testDeps } from '../helpers.ts';

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

function setup() {
  const { db } = tempDb();
  const clock = new FakeClock(Date.parse('2026-09-14T09:00:00Z'));
  testDeps(db, testConfig(), clock);
  const site = getSiteByName(db, 'studio')!;
  const other = getSiteByName(db, 'bakery')!;
  return { db, site, other, now: clock.now() };
}

describe('replaceSearchAverages()', () => {
  it('replaces the same period and dimension, keeps other periods, dimensions, sources and sites', () => {
    const { db, site, other, now } = setup();
    replaceSearchAverages(
      db,
      site.id,
      'gsc-export',
      Q2,
      [{ dimension: 'query', rows: [row('old', 1)] }],
      now,
    );
    replaceSearchAverages(
      db,
      other.id,
      'gsc-export',
      Q3,
      [{ dimension: 'query', rows: [row('bread', 9)] }],
      now,
    );
    replaceSearchAverages(
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
    expect(replaceSearchAverages(db, site.id, 'gsc-export', Q3, first, now)).toBe(3);
    // The same export again, with one query fewer: exactly its rows remain, devices untouched.
    replaceSearchAverages(db, site.id, 'gsc-export', Q3, [{ dimension: 'query', rows: [row('b', 8)] }], now);
    const keys = (
      source: 'gsc-export' | 'yandex-webmaster-export',
      dimension: 'query' | 'device',
      period = Q3,
      siteId = site.id,
    ) =>
      topAverages(db, siteId, { source, dimension, period, limit: 10, offset: 0 }).rows.map(
        (r) => `${r.key}:${r.clicks}`,
      );
    expect(keys('gsc-export', 'query')).toEqual(['b:8']);
    expect(keys('gsc-export', 'device')).toEqual(['Mobile:12']);
    expect(keys('gsc-export', 'query', Q2)).toEqual(['old:1']);
    expect(keys('yandex-webmaster-export', 'query')).toEqual(['y:3']);
    expect(keys('gsc-export', 'query', Q3, other.id)).toEqual(['bread:9']);
    expect(averagePeriods(db, site.id, 'gsc-export', 'query')).toEqual([
      { ...Q3, rows: 1 },
      { ...Q2, rows: 1 },
    ]);
  });

  it('writes nothing when a row breaks a rule of the table', () => {
    const { db, site, now } = setup();
    replaceSearchAverages(
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
    expect(() => replaceSearchAverages(db, site.id, 'gsc-export', Q3, broken, now)).toThrow(/CHECK/);
    expect(
      topAverages(db, site.id, {
        source: 'gsc-export',
        dimension: 'query',
        period: Q3,
        limit: 10,
        offset: 0,
      }).rows.map((r) => r.key),
    ).toEqual(['kept']);
  });
});

describe('topAverages()', () => {
  it('orders by clicks, then impressions, then key, and pages with a total', () => {
    const { db, site, now } = setup();
    const rows = [row('c', 5, 100), row('a', 5, 100), row('b', 5, 200), row('d', 9), row('e', 0, 0)];
    replaceSearchAverages(db, site.id, 'gsc-export', Q3, [{ dimension: 'query', rows }], now);
    const page = (offset: number) =>
      topAverages(db, site.id, { source: 'gsc-export', dimension: 'query', period: Q3, limit: 2, offset });
    expect(page(0)).toEqual({
      rows: [expect.objectContaining({ key: 'd' }), expect.objectContaining({ key: 'b' })],
      total: 5,
    });
    expect(page(2).rows.map((r) => r.key)).toEqual(['a', 'c']);
    expect(page(4).rows).toEqual([{ key: 'e', clicks: 0, impressions: 0, ctr: 0, position: 4.2 }]);
  });
});
