import { describe, expect, it } from 'vitest';
import { decodeText, detectDelimiter, parseCsv } from '../../src/util/csv.ts';
import { encodeCp1251 } from '../../src/demo/cp1251.ts';

const utf8 = (s: string) => new TextEncoder().encode(s);
const utf16le = (s: string) => new Uint8Array(Buffer.from(s, 'utf16le'));
const utf16be = (s: string) => new Uint8Array(Buffer.from(s, 'utf16le').swap16());
const bytes = (...parts: (number[] | Uint8Array)[]) => Uint8Array.from(parts.flatMap((p) => [...p]));

const TEXT = 'Anchor\tTarget URL\r\nдизайн-студия\thttps://studio.example/\r\n';

describe('decodeText()', () => {
  it('reads UTF-8 with and without a BOM, dropping the BOM', () => {
    expect(decodeText(utf8(TEXT))).toBe(TEXT);
    expect(decodeText(bytes([0xef, 0xbb, 0xbf], utf8(TEXT)))).toBe(TEXT);
  });

  it('reads UTF-16LE and UTF-16BE after their BOMs', () => {
    expect(decodeText(bytes([0xff, 0xfe], utf16le(TEXT)))).toBe(TEXT);
    expect(decodeText(bytes([0xfe, 0xff], utf16be(TEXT)))).toBe(TEXT);
  });

  it('recognises UTF-16LE without a BOM by the NULs in odd positions, even with Cyrillic rows', () => {
    expect(decodeText(utf16le(TEXT))).toBe(TEXT);
    const mostlyCyrillic = 'Anchor,Title\n' + 'ремонт квартир под ключ,Как выбрать студию\n'.repeat(20);
    expect(decodeText(utf16le(mostlyCyrillic))).toBe(mostlyCyrillic);
  });

  it('refuses bytes that are neither UTF-8 nor UTF-16', () => {
    expect(() => decodeText(encodeCp1251('Привет,мир\n'))).toThrow('file is not valid UTF-8 or UTF-16');
    expect(() => decodeText(bytes([0xff, 0xfe], utf16le('abc'), [0x41]))).toThrow(
      'file is not valid UTF-8 or UTF-16',
    );
    // A lone surrogate: the first half of an emoji with nothing after it.
    expect(() => decodeText(bytes([0xff, 0xfe, 0x3d, 0xd8]))).toThrow('file is not valid UTF-8 or UTF-16');
  });

  it('gives an empty string for an empty file', () => {
    expect(decodeText(new Uint8Array())).toBe('');
  });
});

describe('detectDelimiter()', () => {
  it('picks the delimiter of the header line', () => {
    expect(detectDelimiter('donor_url,target,anchor\nhttps://a.example/,b.example,x')).toBe(',');
    expect(detectDelimiter('Referring page URL\tTarget URL\tAnchor')).toBe('\t');
    expect(detectDelimiter('site_url;page_uri;price;date\nhttp://a.example;/p;1 250,50;15.01.2026')).toBe(
      ';',
    );
  });

  it('is not fooled by decimal commas, quoted delimiters or a title line', () => {
    expect(detectDelimiter('price;date\n"1,5";1,5')).toBe(';');
    expect(detectDelimiter('"a,b,c,d";x;y')).toBe(';');
    expect(
      detectDelimiter('Backlinks report, studio.example\nSource url\tTarget url\tAnchor\tNofollow'),
    ).toBe('\t');
  });

  it('falls back to a comma when there is nothing to go on', () => {
    expect(detectDelimiter('')).toBe(',');
    expect(detectDelimiter('donor_url')).toBe(',');
  });
});

describe('parseCsv()', () => {
  it('splits records and fields, numbering the lines they start on', () => {
    expect(parseCsv('a,b,c\n1,2,3\n')).toEqual([
      { line: 1, cells: ['a', 'b', 'c'] },
      { line: 2, cells: ['1', '2', '3'] },
    ]);
  });

  it('unquotes fields that hold the delimiter, doubled quotes and line breaks', () => {
    const rows = parseCsv('x,"a, b","say ""hi""","one\ntwo",""\n');
    expect(rows).toEqual([{ line: 1, cells: ['x', 'a, b', 'say "hi"', 'one\ntwo', ''] }]);
  });

  it('counts the physical lines a quoted field spans', () => {
    const rows = parseCsv('h1,h2\r\n1,"first\r\nsecond\r\nthird"\r\n2,x\r\n\r\n3,y\r\n');
    expect(rows.map((r) => r.line)).toEqual([1, 2, 5, 7]);
    expect(rows[1]!.cells[1]).toBe('first\nsecond\nthird');
  });

  it('takes CRLF, LF and lone CR as line ends and ignores the trailing empty line', () => {
    expect(parseCsv('a\r\nb\nc\rd')).toEqual([
      { line: 1, cells: ['a'] },
      { line: 2, cells: ['b'] },
      { line: 3, cells: ['c'] },
      { line: 4, cells: ['d'] },
    ]);
    expect(parseCsv('a,b\r\n')).toHaveLength(1);
    expect(parseCsv('')).toEqual([]);
  });

  it('keeps empty cells, including a trailing one', () => {
    expect(parseCsv('a,,c,\n,\n')).toEqual([
      { line: 1, cells: ['a', '', 'c', ''] },
      { line: 2, cells: ['', ''] },
    ]);
  });

  it('uses the delimiter given, or detects it', () => {
    expect(parseCsv('a;b,c\n', ';')[0]!.cells).toEqual(['a', 'b,c']);
    expect(parseCsv('a\tb,c\n', '\t')[0]!.cells).toEqual(['a', 'b,c']);
    expect(parseCsv('site_url;price\nhttp://a.example;1 250,50\n')[1]!.cells).toEqual([
      'http://a.example',
      '1 250,50',
    ]);
  });

  it('drops a leading BOM so the first header cell matches', () => {
    expect(parseCsv('\uFEFFdonor_url,target\n')[0]!.cells[0]).toBe('donor_url');
  });

  it('keeps quotes inside an unquoted field and text after a closing quote, as Excel does', () => {
    expect(parseCsv('5" screen,"abc"def\n')[0]!.cells).toEqual(['5" screen', 'abcdef']);
  });

  it('names the line where an unclosed quote opened', () => {
    expect(() => parseCsv('a,b\n1,2\n3,"never closed\n4,5\n')).toThrow('line 3: unterminated quoted field');
    expect(() => parseCsv('a,"ok\nstill ok",c\nd,"oops')).toThrow('line 3: unterminated quoted field');
  });
});
