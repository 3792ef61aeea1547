// Search Console and Yandex Webmaster exports read into period averages: each file recognised by its
// header (English and Russian interface), the period taken only from what the files or the user state,
// and every unusable file or row named with what it is.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  readSearchExport,
  type SearchExport,
  type SearchExportFile,
} from '../../src/rank/import-search-export.ts';
import { findDays } from '../../src/rank/search-export-cells.ts';
import { writeZip } from '../../src/util/zip.ts';

const path = (name: string) => new URL(`../fixtures/${name}`, import.meta.url);
const file = (name: string): SearchExportFile => ({
  name: name.split('/').pop()!,
  bytes: readFileSync(path(name)),
});
const text = (name: string) => readFileSync(path(name), 'utf8');
const EN_ZIP = 'rank/studio.example-Performance-on-Search-2026-09-14.zip';
const RU_ZIP = 'rank/studio.example-Performance-on-Search-2026-09-02-ru.zip';

function ok(r: ReturnType<typeof readSearchExport>): SearchExport {
  if (r === null || 'errors' in r) throw new Error(`expected an export, got ${JSON.stringify(r)}`);
  return r;
}
function errors(r: ReturnType<typeof readSearchExport>): string[] {
  if (r === null || !('errors' in r)) throw new Error(`expected errors, got ${JSON.stringify(r)}`);
  return r.errors;
}
/** A ZIP of the English export's CSVs, some replaced or left out. */
function enZip(
  replace: Record<string, string | null>,
  name = 'studio.example-Performance-on-Search-2026-09-14.zip',
) {
  const names = ['Queries.csv', 'Pages.csv', 'Countries.csv', 'Devices.csv', 'Dates.csv', 'Filters.csv'];
  const entries = names
    .filter((n) => replace[n] !== null)
    .map((n) => ({ name: n, data: replace[n] ?? text(`rank/gsc-export-en/${n}`) }));
  return { name, bytes: writeZip(entries) };
}

describe('readSearchExport() on Search Console exports', () => {
  it('reads the English ZIP: every tab by its header, the period from the Dates tab, CTR as a fraction', () => {
    const r = ok(readSearchExport([file(EN_ZIP)]));
    expect(r.source).toBe('gsc-export');
    expect(r.period).toEqual({
      from: '2026-06-12',
      to: '2026-09-11',
      basis: expect.stringMatching(
        /Dates\.csv: its first and last day \(.*Filters\.csv says Date "Last 3 months"\)/,
      ),
    });
    expect(r.tables.map((t) => [t.dimension, t.rows.length])).toEqual([
      ['query', 7],
      ['page', 4],
      ['country', 3],
      ['device', 3],
    ]);
    const queries = r.tables[0]!.rows;
    expect(queries[0]).toEqual({
      line: 2,
      key: 'кадр студия',
      clicks: 1533,
      impressions: 10873,
      ctr: 0.141,
      position: 1.04,
    });
    // A quoted query with a comma stays one query; 0% and no clicks are a real row.
    expect(queries.find((q) => q.key === 'video production, moscow')?.ctr).toBe(0.0073);
    expect(queries.at(-1)).toMatchObject({ key: '2d animation studio', clicks: 0, ctr: 0, position: 41.7 });
    expect(r.tables[1]!.rows[0]!.key).toBe('https://studio.example/ru/');
    expect(r.notes.map((n) => [n.file.split('/').pop(), n.outcome])).toEqual([
      ['Queries.csv', 'imported'],
      ['Pages.csv', 'imported'],
      ['Countries.csv', 'imported'],
      ['Devices.csv', 'imported'],
      ['Search appearance.csv', 'skipped'],
      ['Dates.csv', 'skipped'],
      ['Filters.csv', 'read'],
    ]);
    expect(r.notes[5]!.text).toMatch(/site totals per day.*give the period/);
  });

  it('reads the Russian interface: Cyrillic names and headers, decimal commas, exact dates in Filters', () => {
    const r = ok(readSearchExport([file(RU_ZIP)]));
    // Filters.csv names the days: it wins over the chart's first and last day (which agree here).
    expect(r.period).toMatchObject({ from: '2026-06-01', to: '2026-08-31' });
    expect(r.period.basis).toMatch(/Фильтры\.csv: Date "1 июн\. 2026 г\. – 31 авг\. 2026 г\."/);
    expect(r.tables.map((t) => t.dimension)).toEqual(['query', 'page', 'device']);
    expect(r.tables[0]!.rows[0]).toMatchObject({
      key: 'кадр студия',
      clicks: 1412,
      ctr: 0.1431,
      position: 1.05,
    });
    expect(r.tables[2]!.rows.map((d) => d.key)).toEqual(['Мобильные телефоны', 'Компьютеры']);
    expect(r.notes.find((n) => n.file.endsWith('Chart.csv'))?.text).toMatch(/site totals per day/);
  });

  it('asks for --from/--to when nothing states the period, and says the ZIP name is the download day', () => {
    const lone = errors(readSearchExport([file('rank/gsc-export-en/Queries.csv')]));
    expect(lone).toEqual([
      expect.stringMatching(/Queries\.csv: .*does not say which days.*--from YYYY-MM-DD --to YYYY-MM-DD/),
    ]);
    const zipped = errors(readSearchExport([enZip({ 'Dates.csv': null })]));
    expect(zipped[0]).toMatch(/Filters\.csv says Date "Last 3 months", and no Dates\.csv or Chart\.csv/);
    expect(zipped[0]).toMatch(/the date in the ZIP's name is the day it was downloaded/);

    const given = ok(
      readSearchExport([file('rank/gsc-export-en/Queries.csv')], { from: '2026-06-12', to: '2026-09-11' }),
    );
    expect(given.period).toEqual({ from: '2026-06-12', to: '2026-09-11', basis: '--from/--to' });
  });

  it('refuses --from/--to that contradict the period the files state, and malformed ones', () => {
    const r = errors(readSearchExport([file(EN_ZIP)], { from: '2026-06-01', to: '2026-08-31' }));
    expect(r[0]).toMatch(
      /--from\/--to \(2026-06-01 – 2026-08-31\) disagree with .*Dates\.csv.* \(2026-06-12 – 2026-09-11\)/,
    );
    const q = [file('rank/gsc-export-en/Queries.csv')];
    expect(errors(readSearchExport(q, { from: '2026-06-01' }))).toEqual([
      'give both --from and --to, or neither',
    ]);
    expect(errors(readSearchExport(q, { from: '01.06.2026', to: '2026-02-30' }))).toEqual([
      '--from "01.06.2026" is not a date like 2026-06-01',
      '--to "2026-02-30" is not a date like 2026-06-01',
    ]);
    expect(errors(readSearchExport(q, { from: '2026-09-01', to: '2026-08-01' }))).toEqual([
      '--from is after --to',
    ]);
  });

  it('refuses a Dates tab that runs outside the exact period Filters.csv states', () => {
    const filters = 'Filter,Value\nSearch type,Web\nDate,"Jul 1, 2026 - Sep 11, 2026"\n';
    const r = errors(readSearchExport([enZip({ 'Filters.csv': filters })]));
    expect(r[0]).toMatch(/Dates\.csv runs from 2026-06-12 to 2026-09-11, outside the period .*Jul 1, 2026/);
  });

  it('refuses filtered, non-web and comparison exports, saying why and where', () => {
    const country = 'Filter,Value\nSearch type,Web\nDate,Last 3 months\nCountry,Russia\n';
    expect(errors(readSearchExport([enZip({ 'Filters.csv': country })]))).toEqual([
      expect.stringMatching(
        /Filters\.csv line 4: the export is filtered \(Country: Russia\).*without that filter/,
      ),
    ]);
    const images = 'Filter,Value\nSearch type,Image\nDate,Last 3 months\n';
    expect(errors(readSearchExport([enZip({ 'Filters.csv': images })]))[0]).toMatch(
      /Filters\.csv line 2: the export is of "Image" search/,
    );
    const compareDate = 'Filter,Value\nSearch type,Web\nDate,Compare last 28 days to previous period\n';
    expect(errors(readSearchExport([enZip({ 'Filters.csv': compareDate })]))[0]).toMatch(
      /line 3: Date .* compares two ranges/,
    );
    expect(errors(readSearchExport([file('rank/gsc-queries-compare.csv')]))).toEqual([
      expect.stringMatching(/gsc-queries-compare\.csv line 1: a comparison of two date ranges/),
    ]);
  });

  it('says what a file that cannot be used is: the daily chart alone, an Excel workbook, a broken ZIP', () => {
    expect(errors(readSearchExport([file('rank/gsc-export-en/Dates.csv')]))[0]).toMatch(
      /nothing to import \(Dates\.csv: site totals per day, not per query or page\)/,
    );
    const xlsx = writeZip([
      { name: '[Content_Types].xml', data: '<Types/>' },
      { name: 'xl/workbook.xml', data: '<workbook/>' },
    ]);
    expect(errors(readSearchExport([{ name: 'export.xlsx', bytes: xlsx }]))[0]).toMatch(
      /export\.xlsx is an Excel workbook: .*Download CSV/,
    );
    const cut = readFileSync(path(EN_ZIP)).subarray(0, 300);
    expect(errors(readSearchExport([{ name: 'export.zip', bytes: cut }]))[0]).toMatch(
      /export\.zip is not a readable ZIP file: it has no end-of-central-directory record/,
    );
  });

  it('checks every row and returns nothing to import when any is wrong', () => {
    const r = errors(
      readSearchExport([file('rank/gsc-queries-bad.csv')], { from: '2026-08-01', to: '2026-08-31' }),
    );
    expect(r).toEqual([
      'gsc-queries-bad.csv line 3: column "Top queries" is empty',
      'gsc-queries-bad.csv line 4: column "Impressions": "many" is not a whole number',
      'gsc-queries-bad.csv line 5: column "CTR": "125%" is not a percentage between 0% and 100%',
      'gsc-queries-bad.csv line 6: column "Position": "0.4" is not an average position: positions start at 1',
    ]);
    const repeated =
      'Top queries,Clicks,Impressions,CTR,Position\nkadr studio,5,10,50%,1.2\nkadr studio,1,20,5%,3\nx,30,20,150%,2\n';
    expect(
      errors(
        readSearchExport([{ name: 'Queries.csv', bytes: Buffer.from(repeated) }], {
          from: '2026-08-01',
          to: '2026-08-31',
        }),
      ),
    ).toEqual([
      'Queries.csv line 3: repeats "kadr studio" of line 2',
      'Queries.csv line 4: column "CTR": "150%" is not a percentage between 0% and 100%',
    ]);
    const pages = 'Top pages,Clicks,Impressions,CTR,Position\n/ru/,5,10,50%,1.2\n';
    expect(
      errors(
        readSearchExport([{ name: 'Pages.csv', bytes: Buffer.from(pages) }], {
          from: '2026-08-01',
          to: '2026-08-31',
        }),
      ),
    ).toEqual(['Pages.csv line 2: column "Top pages": "/ru/" is not an absolute http(s) URL']);
  });

  it('leaves files that are no search export to the positions import', () => {
    expect(readSearchExport([file('imports/positions-long.csv')])).toBeNull();
    expect(readSearchExport([file('imports/positions-wide.csv')])).toBeNull();
    // Among an export's files, one that is none is an error, not a silent skip.
    expect(
      errors(readSearchExport([file('rank/gsc-export-en/Queries.csv'), file('imports/positions-long.csv')])),
    ).toEqual([
      expect.stringMatching(/positions-long\.csv is not a Search Console or Yandex Webmaster export/),
    ]);
  });
});

describe('readSearchExport() on Yandex Webmaster exports', () => {
  it('reads the query table: CTR in percent without the sign, no position without impressions', () => {
    const r = ok(
      readSearchExport([file('rank/yandex-webmaster-queries.csv')], { from: '2026-08-01', to: '2026-08-31' }),
    );
    expect(r.source).toBe('yandex-webmaster-export');
    expect(r.tables).toHaveLength(1);
    expect(r.tables[0]!.rows).toEqual([
      { line: 2, key: 'видеопродакшн москва', clicks: 61, impressions: 1840, ctr: 0.0332, position: 7.4 },
      { line: 3, key: 'моушн дизайн студия', clicks: 48, impressions: 1122, ctr: 0.0428, position: 5.9 },
      { line: 4, key: 'студия кадр видеопродакшн', clicks: 87, impressions: 131, ctr: 0.6641, position: 1 },
      { line: 5, key: 'съёмка рекламного ролика', clicks: 2, impressions: 402, ctr: 0.005, position: 33.8 },
      { line: 6, key: 'анимационный логотип', clicks: 0, impressions: 0, ctr: 0, position: null },
    ]);
  });

  it('takes the period from a period column, and refuses rows of two periods', () => {
    const csv =
      'Query,Dates range,Shows,Clicks,CTR %,Avg. position\nmotion design studio,2026-08-01 - 2026-08-31,"1,204",33,2.74,6.1\n';
    const r = ok(readSearchExport([{ name: 'queries.csv', bytes: Buffer.from(csv) }]));
    expect(r.period).toEqual({
      from: '2026-08-01',
      to: '2026-08-31',
      basis: 'queries.csv: column "Dates range"',
    });
    expect(r.tables[0]!.rows[0]).toMatchObject({ impressions: 1204, clicks: 33, ctr: 0.0274, position: 6.1 });
    const two = `${csv}kadr studio,01.07.2026 - 31.07.2026,10,5,50,1\n`;
    expect(errors(readSearchExport([{ name: 'queries.csv', bytes: Buffer.from(two) }]))).toEqual([
      'queries.csv line 3: column "Dates range" gives another period than line 2: export one period at a time',
    ]);
  });

  it('names the per-period table of one indicator instead of reading its numbers as positions', () => {
    expect(errors(readSearchExport([file('rank/yandex-webmaster-per-period.csv')]))).toEqual([
      expect.stringMatching(
        /yandex-webmaster-per-period\.csv line 1: a Yandex Webmaster table of one indicator per period \(columns like "2026-08-31 - 2026-09-06"\)/,
      ),
    ]);
  });

  it('refuses Search Console and Yandex Webmaster files given together', () => {
    expect(
      errors(
        readSearchExport([file('rank/gsc-export-en/Queries.csv'), file('rank/yandex-webmaster-queries.csv')]),
      ),
    ).toEqual(['mixes Search Console and Yandex Webmaster files: import each on its own']);
  });
});

describe('findDays()', () => {
  it('reads the date ranges the English and Russian interfaces write, and no relative or slashed dates', () => {
    expect(findDays('Jun 1, 2026 – Aug 31, 2026')).toEqual(['2026-06-01', '2026-08-31']);
    expect(findDays('1 June 2026 - 31 August 2026')).toEqual(['2026-06-01', '2026-08-31']);
    expect(findDays('1 июн. 2026 г. – 31 авг. 2026 г.')).toEqual(['2026-06-01', '2026-08-31']);
    expect(findDays('1 мая 2026 – 31 мая 2026')).toEqual(['2026-05-01', '2026-05-31']);
    expect(findDays('3 марта 2026 — 2 апреля 2026')).toEqual(['2026-03-03', '2026-04-02']);
    expect(findDays('01.06.2026 - 31.08.2026')).toEqual(['2026-06-01', '2026-08-31']);
    expect(findDays('2026-06-01 - 2026-08-31')).toEqual(['2026-06-01', '2026-08-31']);
    expect(findDays('Last 3 months')).toEqual([]);
    expect(findDays('Последние 3 месяца')).toEqual([]);
    expect(findDays('06/08/2026 - 07/08/2026')).toEqual([]);
    expect(findDays('Feb 30, 2026')).toEqual([]);
  });
});
