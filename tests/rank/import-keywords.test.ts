import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseKeywordsCsv, validateKeywordInput } from '../../src/rank/import-keywords.ts';

const fixture = (name: string) =>
  new Uint8Array(readFileSync(new URL(`../fixtures/imports/${name}`, import.meta.url)));
const utf8 = (s: string) => new TextEncoder().encode(s);
const errorsByLine = (errors: { line: number; message: string }[]) =>
  Object.fromEntries(
    [...new Set(errors.map((e) => e.line))].map((l) => [
      l,
      errors
        .filter((e) => e.line === l)
        .map((e) => e.message)
        .join(' | '),
    ]),
  );

describe('parseKeywordsCsv()', () => {
  it('reads a semicolon-separated file with Russian headers, Cyrillic, emoji and quotes', () => {
    const r = parseKeywordsCsv(fixture('keywords-ok.csv'));
    expect(r.errors).toEqual([]);
    expect(r.rows.map((k) => k.line)).toEqual([2, 3, 4, 5, 6, 7]);
    expect(r.rows[0]).toEqual({
      line: 2,
      query: 'видеостудия москва',
      engine: 'yandex',
      device: 'desktop',
      gl: null,
      hl: null,
      location: null,
      lr: 213,
      targetUrl: 'https://studio.example/',
      volume: 1200,
      tags: ['видео', 'москва'],
    });
    expect(r.rows[1]).toMatchObject({
      query: 'motion design "studio"',
      engine: 'google',
      device: 'mobile',
      gl: 'ru',
      hl: 'ru',
      lr: null,
      volume: 1200,
      tags: ['design', 'en'],
    });
    expect(r.rows[3]).toMatchObject({
      query: 'промо-ролик на заказ',
      gl: 'ru',
      hl: 'ru',
      volume: null,
      tags: [],
    });
    expect(r.rows[4]).toMatchObject({ engine: 'bing', gl: 'us', hl: 'en', volume: 880 });
  });

  it('stores queries NFC-normalised, so a decomposed ё matches the composed one', () => {
    const raw = readFileSync(new URL('../fixtures/imports/keywords-ok.csv', import.meta.url), 'utf8');
    expect(raw).toContain('е\u0308'); // the fixture really holds the decomposed form
    const r = parseKeywordsCsv(fixture('keywords-ok.csv'));
    expect(r.rows[2]).toMatchObject({
      query: 'съёмка 🎬 рекламы',
      engine: 'yandex',
      device: 'mobile',
      lr: 2,
    });
    expect(r.rows[2]!.query).toBe('съёмка 🎬 рекламы'.normalize('NFC'));
  });

  it('reports a repeat of the same query, engine, region and device, ignoring case', () => {
    const r = parseKeywordsCsv(fixture('keywords-ok.csv'));
    // Line 7 says 213 where line 2 said "Москва": the same Yandex region.
    expect(r.duplicates).toEqual([{ line: 7, firstLine: 2, query: 'Видеостудия Москва' }]);
  });

  it('does not call keywords duplicates when device or region differ', () => {
    const r = parseKeywordsCsv(
      utf8(
        'keyword,engine,device,country,language,location\n' +
          'SEO,google,desktop,ru,ru,\n' +
          'seo,google,mobile,ru,ru,\n' +
          'seo,google,desktop,ru,ru,"Moscow,Moscow,Russia"\n' +
          'seo,google,desktop,ru,en,\n' +
          'Seo,google,desktop,ru,ru,\n',
      ),
    );
    expect(r.errors).toEqual([]);
    expect(r.duplicates).toEqual([{ line: 6, firstLine: 2, query: 'Seo' }]);
  });

  it('reads the comma-separated variant with quoted delimiters inside cells', () => {
    const r = parseKeywordsCsv(
      utf8(
        'Query,Engine,Country,Language,Location,Volume,Tags\n' +
          '"купить ""iPhone"", недорого 📱",Google,ru,ru,"Moscow,Moscow,Russia","1,200","a;b|c,a"\n',
      ),
    );
    expect(r.errors).toEqual([]);
    expect(r.rows).toEqual([
      {
        line: 2,
        query: 'купить "iPhone", недорого 📱',
        engine: 'google',
        device: 'desktop',
        gl: 'ru',
        hl: 'ru',
        location: 'Moscow,Moscow,Russia',
        lr: null,
        targetUrl: null,
        volume: 1200,
        tags: ['a', 'b', 'c'],
      },
    ]);
  });

  it('reads a UTF-16LE tab-separated file as Excel saves "Unicode text"', () => {
    const r = parseKeywordsCsv(fixture('keywords-utf16.tsv'));
    expect(r.errors).toEqual([]);
    expect(r.rows).toEqual([
      expect.objectContaining({
        line: 2,
        query: 'видеостудия в москве',
        location: 'Moscow,Moscow,Russia',
        volume: 2400,
        tags: ['видео', 'москва'],
      }),
      expect.objectContaining({
        line: 3,
        query: 'motion design',
        device: 'mobile',
        gl: 'us',
        hl: 'en',
        volume: 1900,
      }),
    ]);
  });

  it('reports every bad line by its physical line number and names the column as the file does', () => {
    const r = parseKeywordsCsv(fixture('keywords-bad.csv'));
    const byLine = errorsByLine(r.errors);
    expect(Object.keys(byLine).map(Number)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    expect(byLine[2]).toBe('keyword is empty');
    expect(byLine[3]).toBe('engine "yahoo" is not one of google, yandex, bing');
    expect(byLine[4]).toBe('device "tablet" is not one of desktop, mobile');
    expect(byLine[5]).toBe('country "russia" is not a two-letter country code like ru or us');
    expect(byLine[6]).toMatch(/^language is missing: Google keywords need a language/);
    expect(byLine[7]).toMatch(/^country "ru" is set, but Yandex keywords take a region id \(lr\)/);
    expect(byLine[8]).toMatch(/^lr "Тверь" is an unknown Yandex region/);
    expect(byLine[9]).toMatch(/^lr is missing: Yandex keywords need a region id/);
    expect(byLine[10]).toBe('target url "studio.example/page" is not an absolute http(s) URL');
    expect(byLine[11]).toBe('volume "12.5" is not a whole number like 1200 or 1 200');
    expect(byLine[12]).toMatch(/is 209 characters long; at most 200 are allowed$/);
    // A quoted line break: the record starts on line 13, and the next one on 15.
    expect(byLine[13]).toMatch(/^has 10 cells but the header names 9 columns/);
    expect(r.rows.map((k) => [k.line, k.query])).toEqual([[15, 'ok keyword']]);
  });

  it('fills missing columns from the defaults, but only with region fields that fit the engine', () => {
    const r = parseKeywordsCsv(
      utf8('keyword;engine;country;language\nвидеостудия;;;\nvideo studio;google;us;en\n'),
      { engine: 'yandex', lr: 213, device: 'mobile', tags: ['import'] },
    );
    expect(r.errors).toEqual([]);
    expect(r.rows[0]).toMatchObject({
      engine: 'yandex',
      lr: 213,
      gl: null,
      device: 'mobile',
      tags: ['import'],
    });
    expect(r.rows[1]).toMatchObject({ engine: 'google', gl: 'us', hl: 'en', lr: null, device: 'mobile' });
  });

  it('asks for an engine when neither the file nor the defaults give one', () => {
    const r = parseKeywordsCsv(utf8('keyword\nвидеостудия\n'));
    expect(r.rows).toEqual([]);
    expect(r.errors).toEqual([
      { line: 2, message: 'engine is missing: give google, yandex or bing, or choose a default engine' },
    ]);
  });

  it('accepts a whole region key in a region column', () => {
    const r = parseKeywordsCsv(
      utf8(
        'keyword,engine,country,region\na,google,,"gl=RU;hl=ru;loc=Moscow,Moscow,Russia"\nb,yandex,,lr=2\nc,yandex,,gl=ru\n',
      ),
    );
    expect(r.rows.map((k) => [k.gl, k.hl, k.location, k.lr])).toEqual([
      ['ru', 'ru', 'Moscow,Moscow,Russia', null],
      [null, null, null, 2],
    ]);
    expect(r.errors).toEqual([{ line: 4, message: expect.stringMatching(/^region "gl=ru" needs hl=/) }]);
  });

  it('refuses a file without a keyword column, naming the header line', () => {
    const r = parseKeywordsCsv(utf8('\n\nphrase,engine\nseo,google\n'));
    expect(r.rows).toEqual([]);
    expect(r.errors).toEqual([{ line: 3, message: expect.stringMatching(/^no keyword column/) }]);
  });

  it('refuses two columns that give the same field', () => {
    const r = parseKeywordsCsv(utf8('Keyword,Запрос,engine\na,b,google\n'));
    expect(r.errors).toEqual([
      { line: 1, message: 'columns "Keyword" and "Запрос" both give the keyword: keep one' },
    ]);
  });

  it('reports an unterminated quote at the line where it opened', () => {
    const r = parseKeywordsCsv(utf8('keyword,engine\nok,google\n"broken,google\n'));
    expect(r.errors).toEqual([{ line: 3, message: 'unterminated quoted field' }]);
    expect(r.rows).toEqual([]);
  });

  it('refuses an empty file', () => {
    expect(parseKeywordsCsv(new Uint8Array()).errors).toEqual([
      { line: 1, message: expect.stringMatching(/^the file is empty/) },
    ]);
  });
});

describe('validateKeywordInput()', () => {
  it('returns a ready keyword from loosely typed fields', () => {
    expect(
      validateKeywordInput({
        query: '  видеостудия\u00A0 москва ',
        engine: 'Яндекс',
        device: 'мобильные',
        lr: 'Санкт-Петербург',
        volume: '1\u00A0200',
        tags: ['a', ' b ', 'a', ''],
        targetUrl: 'https://Studio.Example/Page#top',
      }),
    ).toEqual({
      query: 'видеостудия москва',
      engine: 'yandex',
      device: 'mobile',
      gl: null,
      hl: null,
      location: null,
      lr: 2,
      targetUrl: 'https://studio.example/Page',
      volume: 1200,
      tags: ['a', 'b'],
    });
  });

  it('names every problem, with the labels the caller uses', () => {
    const v = validateKeywordInput(
      { query: 'seo', engine: 'google', gl: 'Russia', targetUrl: 'ftp://x.example/' },
      { labels: { gl: '--gl', hl: '--hl', targetUrl: '--target' } },
    );
    expect(v).toBe(
      '--gl "Russia" is not a two-letter country code like ru or us; ' +
        '--hl is missing: Google keywords need a language like ru or en; ' +
        '--target "ftp://x.example/" is not an absolute http(s) URL',
    );
  });

  it('refuses a Yandex region id on a Google keyword', () => {
    expect(validateKeywordInput({ query: 'seo', engine: 'google', gl: 'ru', hl: 'ru', lr: 213 })).toMatch(
      /^Yandex region \(lr\) "213" is set, but Google keywords take a country/,
    );
  });

  it('reads volumes with spaces, commas or dots grouping thousands, and nothing else', () => {
    const volume = (v: string) => {
      const r = validateKeywordInput({ query: 'q', engine: 'yandex', lr: 213, volume: v });
      return typeof r === 'string' ? r : r.volume;
    };
    expect(['1200', '1 200', '1,200', '1.200', '1\u202F200', '12 345 678', ''].map(volume)).toEqual([
      1200,
      1200,
      1200,
      1200,
      1200,
      12345678,
      null,
    ]);
    for (const bad of ['1,20', '1 2000', '-5', '1.5', 'много', '1,200.5'])
      expect(volume(bad)).toMatch(/^volume ".*" is not a whole number/);
  });

  it('allows 200 characters, emoji counting as one each, and refuses 201', () => {
    const q199 = 'я'.repeat(199);
    expect(validateKeywordInput({ query: `${q199}🎬`, engine: 'bing', gl: 'us', hl: 'en' })).toMatchObject({
      query: `${q199}🎬`,
    });
    expect(validateKeywordInput({ query: `${q199}🎬!`, engine: 'bing', gl: 'us', hl: 'en' })).toMatch(
      /is 201 characters long; at most 200 are allowed$/,
    );
  });

  it('knows Moscow by its Russian and English names and refuses cities not in its table', () => {
    const lr = (name: string) => {
      const r = validateKeywordInput({ query: 'q', engine: 'yandex', lr: name });
      return typeof r === 'string' ? r : r.lr;
    };
    expect(['Москва', 'moscow', 'г. Москва', 'Екатеринбург', 'Saint Petersburg', '213'].map(lr)).toEqual([
      213, 213, 213, 54, 2, 213,
    ]);
    expect(lr('Урюпинск')).toMatch(/unknown Yandex region/);
    expect(lr('0')).toMatch(/is not a Yandex region id/);
  });
});
