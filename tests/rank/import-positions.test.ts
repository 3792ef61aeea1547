import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePositionsCsv } from '../../src/rank/import-positions.ts';

const fixture = (name: string) =>
  new Uint8Array(readFileSync(new URL(`../fixtures/imports/${name}`, import.meta.url)));
const utf8 = (s: string) => new TextEncoder().encode(s);
/** [line, day, state, position] of each row, the part most tests care about. */
const brief = (rows: { line: number; day: string; state: string; position: number | null }[]) =>
  rows.map((r) => [r.line, r.day, r.state, r.position]);

describe('parsePositionsCsv() with our own long format', () => {
  it('reads ranked, not-in-top and averaged positions with their keyword, engine, device and region', () => {
    const r = parsePositionsCsv(fixture('positions-long.csv'));
    expect(r.format).toBe('promowatch');
    expect(r.errors).toEqual([]);
    expect(r.rows).toEqual([
      {
        line: 2,
        query: 'видеостудия москва',
        engine: 'yandex',
        device: 'desktop',
        region: 'lr=213',
        day: '2026-09-01',
        state: 'ranked',
        position: 3,
        url: 'https://studio.example/',
      },
      expect.objectContaining({ line: 3, day: '2026-09-02', state: 'not-in-top', position: null, url: null }),
      expect.objectContaining({
        line: 5,
        engine: 'google',
        device: 'mobile',
        region: 'gl=ru;hl=ru',
        state: 'ranked',
        position: 12,
        url: 'https://studio.example/motion',
      }),
      expect.objectContaining({ line: 6, state: 'not-in-top', position: null, depth: 100 }),
      expect.objectContaining({
        line: 7,
        region: 'gl=ru;hl=ru;loc=Moscow,Moscow,Russia',
        state: 'ranked',
        position: 4.5,
      }),
    ]);
  });

  it('turns an empty position cell into no row at all, never into a position', () => {
    const r = parsePositionsCsv(fixture('positions-long.csv'));
    expect(r.rows.find((row) => row.line === 4)).toBeUndefined();
  });

  it('reports each bad line by its physical line and names the column', () => {
    const r = parsePositionsCsv(fixture('positions-bad.csv'));
    expect(r.errors).toEqual([
      { line: 2, message: 'column "date": "2026-02-30" is not a real calendar date' },
      { line: 3, message: expect.stringMatching(/^column "position": "0" is not a position: 0 could mean/) },
      { line: 4, message: expect.stringMatching(/^column "position": "abc" is not a position/) },
      { line: 5, message: 'column "engine": "altavista" is not google, yandex or bing' },
      { line: 6, message: expect.stringMatching(/^column "region": "gl=ru;hl=ru" does not fit yandex/) },
      { line: 7, message: expect.stringMatching(/^column "region": "ru" is not a region like/) },
      { line: 8, message: 'column "url": "studio.example/g" is not an absolute http(s) URL' },
      { line: 10, message: 'gives "h" on 2026-09-01 a different position than line 9' },
      { line: 11, message: 'column "date": is empty: every row needs a date' },
      { line: 12, message: 'column "position": "0,5" is not a position: positions start at 1' },
    ]);
    expect(brief(r.rows)).toEqual([
      [9, '2026-09-01', 'ranked', 3],
      [13, '2026-09-01', 'ranked', 2],
    ]);
  });

  it('keeps one row when a line repeats another with the same value', () => {
    const r = parsePositionsCsv(
      utf8('keyword,date,position\nseo,2026-09-01,3\nSEO,2026-09-01,3\nseo,2026-09-02,3\n'),
    );
    expect(r.errors).toEqual([]);
    expect(brief(r.rows)).toEqual([
      [2, '2026-09-01', 'ranked', 3],
      [4, '2026-09-02', 'ranked', 3],
    ]);
  });

  it('reads the words and signs trackers use for "not in the top", keeping the depth they state', () => {
    const cells = [
      '-',
      '—',
      '>100',
      '> 50',
      '100+',
      '101',
      '150',
      'not in top 100',
      'Not in top',
      'не в топ-100',
      '0',
    ];
    const r = parsePositionsCsv(
      utf8(`keyword,date,position\n${cells.map((c, i) => `q${i},2026-09-01,${c}`).join('\n')}\n`),
    );
    expect(r.rows.map((row) => [row.state, row.depth])).toEqual([
      ['not-in-top', undefined],
      ['not-in-top', undefined],
      ['not-in-top', 100],
      ['not-in-top', 50],
      ['not-in-top', 100],
      ['not-in-top', 100],
      ['not-in-top', 100],
      ['not-in-top', 100],
      ['not-in-top', undefined],
      ['not-in-top', 100],
    ]);
    // 0 is refused outside SerpBear: it could as well mean "not checked".
    expect(r.errors).toEqual([{ line: 12, message: expect.stringMatching(/^column "position": "0"/) }]);
  });
});

describe('parsePositionsCsv() with a wide table', () => {
  it('reads one column per DD.MM.YYYY date, skipping empty cells', () => {
    const r = parsePositionsCsv(fixture('positions-wide.csv'));
    expect(r.format).toBe('wide');
    expect(r.errors).toEqual([]);
    expect(r.rows.map((row) => [row.line, row.query, row.day, row.state, row.position, row.url])).toEqual([
      [2, 'видеостудия москва', '2026-09-01', 'ranked', 3, 'https://studio.example/'],
      [2, 'видеостудия москва', '2026-09-02', 'ranked', 5, 'https://studio.example/'],
      [2, 'видеостудия москва', '2026-09-03', 'not-in-top', null, null],
      [3, 'съёмка рекламы', '2026-09-01', 'not-in-top', null, null],
      [3, 'съёмка рекламы', '2026-09-03', 'not-in-top', null, null],
      [4, 'промо-ролик', '2026-09-01', 'ranked', 7.5, 'https://studio.example/promo'],
      [4, 'промо-ролик', '2026-09-02', 'ranked', 8, 'https://studio.example/promo'],
      [4, 'промо-ролик', '2026-09-03', 'not-in-top', null, null],
    ]);
    expect(r.rows[0]).toMatchObject({ engine: 'yandex', region: 'lr=213' });
  });

  it('reads slashed dates month-first when one date can only be month-first', () => {
    const r = parsePositionsCsv(utf8('Keyword,09/12/2026,09/13/2026\nseo,4,5\n'));
    expect(r.errors).toEqual([]);
    expect(brief(r.rows)).toEqual([
      [2, '2026-09-12', 'ranked', 4],
      [2, '2026-09-13', 'ranked', 5],
    ]);
  });

  it('reads slashed dates day-first when one date can only be day-first', () => {
    const r = parsePositionsCsv(utf8('Keyword,12/09/2026,13/09/2026\nseo,4,5\n'));
    expect(r.errors).toEqual([]);
    expect(r.rows.map((row) => row.day)).toEqual(['2026-09-12', '2026-09-13']);
  });

  it('refuses slashed dates that no date in the file disambiguates', () => {
    const r = parsePositionsCsv(utf8('Keyword,01/09/2026,02/09/2026\nseo,4,5\n'));
    expect(r.rows).toEqual([]);
    expect(r.errors).toEqual([
      {
        line: 1,
        message: expect.stringMatching(
          /^date columns: dates like "01\/09\/2026" read both as MM\/DD\/YYYY and DD\/MM\/YYYY.*YYYY-MM-DD/,
        ),
      },
    ]);
  });

  it('refuses a date column that is not a real calendar date', () => {
    const r = parsePositionsCsv(utf8('keyword,2026-02-28,2026-02-29\nseo,4,5\n'));
    expect(r.rows).toEqual([]);
    expect(r.errors).toEqual([{ line: 1, message: 'date column "2026-02-29" is not a real calendar date' }]);
  });

  it('names the date column of a bad cell', () => {
    const r = parsePositionsCsv(utf8('keyword;01.09.2026;02.09.2026\nseo;4;n/a\n'));
    expect(brief(r.rows)).toEqual([[2, '2026-09-01', 'ranked', 4]]);
    expect(r.errors).toEqual([
      { line: 2, message: expect.stringMatching(/^column "02.09.2026": "n\/a" is not a position/) },
    ]);
  });
});

describe('parsePositionsCsv() with a SerpBear export', () => {
  it('reads its unquoted ", "-separated rows, "-" and 0 as not in the top 100', () => {
    const r = parsePositionsCsv(fixture('positions-serpbear.csv'));
    expect(r.format).toBe('serpbear');
    expect(r.errors).toEqual([]);
    expect(r.rows).toEqual([
      {
        line: 2,
        query: 'motion design studio',
        engine: 'google',
        device: 'desktop',
        country: 'ru',
        day: '2026-09-01',
        state: 'ranked',
        position: 4,
        url: 'https://studio.example/motion',
      },
      expect.objectContaining({ line: 3, device: 'mobile', state: 'not-in-top', position: null, url: null }),
      // Line 4 was never checked (Updated equals Added): no data, so no row.
      expect.objectContaining({ line: 5, country: 'cz', day: '2026-08-31', state: 'not-in-top' }),
    ]);
  });

  it('points at the unquoted comma when a keyword shifts the columns', () => {
    const r = parsePositionsCsv(
      utf8(
        'ID,Keyword,Position,URL,Country,Device,Updated,Added,Tags\r\n' +
          '7, buy, sell, 3, https://studio.example/, Russia, desktop, 2026-09-01T06:00:00.000Z, 2026-08-01T06:00:00.000Z, \r\n',
      ),
    );
    expect(r.rows).toEqual([]);
    expect(r.errors).toEqual([
      { line: 2, message: expect.stringMatching(/a comma inside a keyword shifts the columns/) },
    ]);
  });
});

describe('parsePositionsCsv() with a Serposcope export', () => {
  const SERPOSCOPE =
    '\uFEFFdate,rank,url,target,keyword,device,country,local,custom\n' +
    '2026/09/01,1,"https://rival.example/","","видеостудия","PC","RU","null","null"\n' +
    '2026/09/01,3,"https://studio.example/a","studio","видеостудия","PC","RU","null","null"\n' +
    '2026/09/01,7,"https://studio.example/b","studio","видеостудия","PC","RU","null","null"\n' +
    '2026/09/01,-,,rival,"видеостудия","PC","RU","null","null"\n' +
    '2026/09/01,-,,studio,"видеостудия","SP","RU","Moscow","null"\n' +
    '2026/09/02,2,"https://rival.example/","rival","видеостудия","PC","RU","null","null"\n';

  it('asks which target is the site when the file holds several', () => {
    const r = parsePositionsCsv(utf8(SERPOSCOPE));
    expect(r.format).toBe('serposcope');
    expect(r.rows).toEqual([]);
    expect(r.errors).toEqual([
      { line: 1, message: expect.stringMatching(/several Serposcope targets \("studio", "rival"\)/) },
    ]);
  });

  it("reads the chosen target's best URL per search and day, and its not-found rows", () => {
    const r = parsePositionsCsv(utf8(SERPOSCOPE), { serposcopeTarget: 'studio' });
    expect(r.errors).toEqual([]);
    expect(r.rows).toEqual([
      {
        line: 3,
        query: 'видеостудия',
        engine: 'google',
        device: 'desktop',
        country: 'ru',
        day: '2026-09-01',
        state: 'ranked',
        position: 3,
        url: 'https://studio.example/a',
      },
      expect.objectContaining({ line: 6, device: 'mobile', location: 'Moscow', state: 'not-in-top' }),
    ]);
  });

  it('refuses a target name the file does not hold', () => {
    const r = parsePositionsCsv(utf8(SERPOSCOPE), { serposcopeTarget: 'bakery' });
    expect(r.errors).toEqual([
      { line: 1, message: expect.stringMatching(/no Serposcope target named "bakery"/) },
    ]);
  });
});

describe('parsePositionsCsv() with an unknown file', () => {
  it('says which shapes it reads', () => {
    const r = parsePositionsCsv(utf8('foo,bar\n1,2\n'));
    expect(r.rows).toEqual([]);
    expect(r.errors).toEqual([{ line: 1, message: expect.stringMatching(/^unrecognised header: expected/) }]);
  });

  it('reads a UTF-16 export like a UTF-8 one', () => {
    const text = 'keyword\t2026-09-01\nseo\t4\n';
    const bytes = new Uint8Array([0xff, 0xfe, ...new Uint8Array(Buffer.from(text, 'utf16le'))]);
    expect(brief(parsePositionsCsv(bytes).rows)).toEqual([[2, '2026-09-01', 'ranked', 4]]);
  });
});
