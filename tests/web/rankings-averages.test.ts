// The Rankings page's tables of imported search averages: labelled with source and period, the position
// called an average, top queries by clicks a page at a time, text escaped, nothing shown when none.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readSearchExport, type AverageRow } from '../../src/rank/import-search-export.ts';
import { replaceSearchAverages } from '../../src/rank/search-averages.ts';
import { memoryLogger } from '../../src/util/log.ts';
import { createApp } from '../../web/app.ts';
import { FakeClock, siteByName, testConfig, testStoreDeps } from '../helpers.ts';

const ZIP = new URL('../fixtures/rank/studio.example-Performance-on-Search-2026-09-14.zip', import.meta.url);

async function setup() {
  const clock = new FakeClock(Date.parse('2026-09-14T09:00:00Z'));
  const config = testConfig({
    sites: [{ name: 'studio', baseUrl: 'https://studio.example/', timeZone: 'Europe/Moscow' }],
  });
  const { db, sql } = await testStoreDeps(config, clock);
  const site = (await siteByName(sql, 'studio'))!;
  const app = createApp({ db, sql, config, jobs: [], now: clock.now, log: memoryLogger(), auth: null });
  const page = async (query = '') => {
    const res = await app.request(`/rankings?site=studio${query}`);
    expect(res.status).toBe(200);
    return res.text();
  };
  return { sql, site, now: clock.now(), page };
}

/** Intl separates range dashes and groups with thin and no-break spaces; compare with plain ones. */
const plain = (s: string) => s.replace(/[\u00a0\u2009\u202f]/g, ' ');

/** The section's table rows as text cells. */
function rows(html: string, id: string): string[][] {
  const section = html.slice(html.indexOf(`id="${id}"`));
  const table = section.slice(0, section.indexOf('</table>'));
  return [...table.matchAll(/<tr>(.*?)<\/tr>/gs)].map((m) =>
    [...m[1]!.matchAll(/<t[dh][^>]*>(.*?)<\/t[dh]>/gs)].map((c) => c[1]!.replace(/<[^>]+>/g, '').trim()),
  );
}

describe('Rankings page: search averages', () => {
  it('shows an imported Search Console export as labelled averages over its period, most clicks first', async () => {
    const { sql, site, now, page } = await setup();
    const r = readSearchExport([{ name: 'export.zip', bytes: readFileSync(ZIP) }]);
    if (!r || 'errors' in r) throw new Error('fixture did not import');
    await replaceSearchAverages(sql, site.id, r.source, r.period, r.tables, now);
    const html = await page();
    expect(plain(html)).toContain('Search Console averages, 12 Jun – 11 Sept 2026');
    expect(html).toMatch(/not a daily position/);
    const table = rows(html, 'search-averages-gsc-export');
    expect(table[0]).toEqual(['Query', 'Clicks', 'Impressions', 'CTR', 'Average position']);
    expect(table[1]).toEqual(['кадр студия', '1,533', '10,873', '14.1%', '1.04']);
    expect(table[2]).toEqual(['kadr studio', '412', '2,980', '13.83%', '1.12']);
    expect(table.at(-1)).toEqual(['2d animation studio', '0', '233', '0%', '41.7']);
    expect(html).not.toContain('Yandex Webmaster averages');
  });

  it('pages through a long period, shows the latest period and Yandex Webmaster apart, escapes text', async () => {
    const { sql, site, now, page } = await setup();
    const many: AverageRow[] = Array.from({ length: 30 }, (_, i) => ({
      line: i + 2,
      key: i === 0 ? '<script>alert(1)</script>' : `query ${String(i).padStart(2, '0')}`,
      clicks: 100 - i,
      impressions: 1000,
      ctr: (100 - i) / 1000,
      position: 3.5,
    }));
    const q = (rows: AverageRow[]) => [{ dimension: 'query' as const, rows }];
    await replaceSearchAverages(
      sql,
      site.id,
      'gsc-export',
      { from: '2026-03-01', to: '2026-05-31' },
      q(many.slice(0, 1)),
      now,
    );
    await replaceSearchAverages(
      sql,
      site.id,
      'gsc-export',
      { from: '2026-06-01', to: '2026-08-31' },
      q(many),
      now,
    );
    const ya = [{ ...many[5]!, key: 'видеопродакшн москва', position: null, ctr: null }];
    await replaceSearchAverages(
      sql,
      site.id,
      'yandex-webmaster-export',
      { from: '2026-08-01', to: '2026-08-31' },
      q(ya),
      now,
    );

    const first = await page();
    expect(plain(first)).toContain('Search Console averages, 1 Jun – 31 Aug 2026');
    expect(first).toMatch(/1 earlier period/);
    expect(first).not.toContain('<script>alert(1)</script>');
    expect(first).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    const gsc = rows(first, 'search-averages-gsc-export');
    expect(gsc).toHaveLength(26);
    expect(gsc[25]![0]).toBe('query 24');
    expect(first).toMatch(/1–25 of 30 queries/);
    expect(first).toMatch(/href="[^"]*gsc-export-page=2[^"]*">next/);

    const second = await page('&gsc-export-page=2');
    const rest = rows(second, 'search-averages-gsc-export');
    expect(rest.slice(1).map((r) => r[0])).toEqual([
      'query 25',
      'query 26',
      'query 27',
      'query 28',
      'query 29',
    ]);
    expect(second).toMatch(/26–30 of 30 queries/);

    expect(plain(first)).toContain('Yandex Webmaster averages, 1 – 31 Aug 2026');
    expect(rows(first, 'search-averages-yandex-webmaster-export')[1]).toEqual([
      'видеопродакшн москва',
      '95',
      '1,000',
      '—',
      '—',
    ]);
  });

  it('shows no averages section when nothing was imported', async () => {
    const { page } = await setup();
    const html = await page();
    expect(html).not.toContain('averages, ');
    expect(html).not.toContain('search-averages-');
  });
});
