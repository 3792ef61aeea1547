// The demo's generated Search Console export: the ZIP the report would give for "Last 3 months", read by
// the same importer as a user's, with every tab adding up to the same totals.
import { describe, expect, it } from 'vitest';
import { getSiteByName } from '../../src/db/sites.ts';
import { demoSearchExport, importDemoSearchExport } from '../../src/demo/search-export.ts';
import { searchWorld } from '../../src/demo/search-world.ts';
import { readSearchExport } from '../../src/rank/import-search-export.ts';
import { averagePeriods, topAverages } from '../../src/rank/search-averages.ts';
import { readZipEntries } from '../../src/util/zip.ts';
import { FakeClock, testConfig, testStoreDeps } from '../helpers.ts';

const TODAY = '2026-09-14';
const URL_ = 'https://studio.example/';

describe('demoSearchExport()', () => {
  it('writes the report ZIP whose Dates tab gives three months ending two days back', () => {
    const search = searchWorld({ studioUrl: URL_, today: TODAY });
    const zip = demoSearchExport(search, URL_, TODAY);
    expect(zip.name).toBe('studio.example-Performance-on-Search-2026-09-14.zip');
    expect(readZipEntries(zip.bytes).map((e) => e.name)).toEqual([
      'Queries.csv',
      'Pages.csv',
      'Countries.csv',
      'Devices.csv',
      'Search appearance.csv',
      'Dates.csv',
      'Filters.csv',
    ]);
    const r = readSearchExport([zip]);
    if (!r || 'errors' in r) throw new Error(JSON.stringify(r));
    expect(r.period).toMatchObject({ from: '2026-06-13', to: '2026-09-12' });
    expect(r.period.basis).toMatch(/Dates\.csv/);
    // Every tab splits the same clicks: queries, pages, countries and devices add up alike.
    const totals = r.tables.map((t) => t.rows.reduce((n, x) => n + x.clicks, 0));
    expect(new Set(totals).size).toBe(1);
    expect(totals[0]).toBeGreaterThan(0);
    const queries = r.tables.find((t) => t.dimension === 'query')!.rows;
    expect(queries[0]!.key).toBe('кадр студия');
    expect(
      r.tables
        .find((t) => t.dimension === 'country')!
        .rows.map((x) => x.key)
        .sort(),
    ).toEqual(['Russia', 'United States']);
  });
});

describe('importDemoSearchExport()', () => {
  it('stores the export as the site’s Search Console averages', async () => {
    const clock = new FakeClock(Date.parse(`${TODAY}T06:00:00Z`));
    const { sql } = await testStoreDeps(testConfig(), clock);
    const site = (await getSiteByName(sql, 'studio'))!;
    await importDemoSearchExport(sql, site, searchWorld({ studioUrl: URL_, today: TODAY }), clock.now());
    const [period] = await averagePeriods(sql, site.id, 'gsc-export', 'query');
    expect(period).toMatchObject({ from: '2026-06-13', to: '2026-09-12' });
    const top = await topAverages(sql, site.id, {
      source: 'gsc-export',
      dimension: 'query',
      period: period!,
      limit: 3,
      offset: 0,
    });
    // The studio's own name: most clicks, and first in the results on average.
    expect(top.rows[0]!.key).toBe('кадр студия');
    expect(top.rows[0]!.position).toBeLessThan(2);
    expect(await sql.get('SELECT count(*) AS n FROM rank_observations')).toEqual({ n: 0 });
  });
});
