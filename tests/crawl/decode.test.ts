import { describe, expect, it } from 'vitest';
import { charsetFromContentType, decodeBody, prescanMetaCharset } from '../../src/crawl/decode.ts';
import { encodeCp1251 } from '../../src/demo/cp1251.ts';

const utf8 = (s: string) => new TextEncoder().encode(s);
const concat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => [...p]));

// KOI8-R puts Cyrillic at 0xC0–0xFF in the order of the Latin letters they sound like:
// https://www.rfc-editor.org/rfc/rfc1489
const KOI8_LOWER = 'юабцдефгхийклмнопярстужвьызшэщчъ';
function encodeKoi8r(text: string): Uint8Array {
  return Uint8Array.from([...text], (ch) => {
    const lower = KOI8_LOWER.indexOf(ch);
    const upper = KOI8_LOWER.toUpperCase().indexOf(ch);
    return lower >= 0 ? 0xc0 + lower : upper >= 0 ? 0xe0 + upper : ch.charCodeAt(0);
  });
}

const PAGE = '<title>Привет, мир</title><p>Цены — «ниже рынка» №1…</p>';

describe('charsetFromContentType()', () => {
  it('reads the charset parameter however it is written', () => {
    expect(charsetFromContentType('text/html; charset=windows-1251')).toBe('windows-1251');
    expect(charsetFromContentType('text/html;CHARSET="KOI8-R"')).toBe('KOI8-R');
    expect(charsetFromContentType('text/html ; foo=bar ;  charset = utf-8 ')).toBe('utf-8');
    expect(charsetFromContentType('text/html; charset=; charset=cp1251')).toBe('cp1251');
  });

  it('gives undefined when there is no charset', () => {
    expect(charsetFromContentType(undefined)).toBeUndefined();
    expect(charsetFromContentType('text/html')).toBeUndefined();
    expect(charsetFromContentType('text/html; charset=""')).toBeUndefined();
    expect(charsetFromContentType('charset=utf-8')).toBeUndefined(); // that is the type, not a parameter
  });
});

describe('prescanMetaCharset()', () => {
  const scan = (html: string) => prescanMetaCharset(utf8(html));

  it('finds <meta charset> and normalises the label', () => {
    expect(scan('<!doctype html><html><head><meta charset="cp1251">')).toBe('windows-1251');
    expect(scan("<META CHARSET='KOI8-R'/>")).toBe('koi8-r');
    expect(scan('<meta charset=utf-8>')).toBe('utf-8');
  });

  it('finds the charset in <meta http-equiv="Content-Type" content>, in any attribute order', () => {
    expect(scan('<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">')).toBe(
      'windows-1251',
    );
    expect(scan('<meta content=\'text/html;charset="koi8-r"\' http-equiv=content-type>')).toBe('koi8-r');
  });

  it('ignores a content charset without the http-equiv pragma', () => {
    expect(scan('<meta name="description" content="charset=koi8-r"><meta charset="windows-1251">')).toBe(
      'windows-1251',
    );
  });

  it('skips comments and quoted attribute values of other tags', () => {
    const html =
      '<!-- <meta charset="koi8-r"> --><div title="<meta charset=koi8-r>"><meta charset="windows-1251">';
    expect(scan(html)).toBe('windows-1251');
  });

  it('reads utf-16 as utf-8 and x-user-defined as windows-1252, as the spec says', () => {
    expect(scan('<meta charset="utf-16">')).toBe('utf-8');
    expect(scan('<meta charset="UTF-16BE">')).toBe('utf-8');
    expect(scan('<meta charset="x-user-defined">')).toBe('windows-1252');
  });

  it('moves past an unknown label to a later meta', () => {
    expect(scan('<meta charset="klingon"><meta charset="koi8-r">')).toBe('koi8-r');
    expect(scan('<meta charset="klingon">')).toBeUndefined();
  });

  it('looks only at the first 1024 bytes', () => {
    const pad = (n: number) => `<!--${'x'.repeat(n - 7)}-->`;
    const meta = '<meta charset="koi8-r">';
    expect(scan(pad(1000) + meta)).toBe('koi8-r'); // ends at byte 1023
    expect(scan(pad(1024) + meta)).toBeUndefined();
    expect(scan(pad(1010) + meta)).toBeUndefined(); // cut in half by the limit
  });
});

describe('decodeBody()', () => {
  it('decodes a windows-1251 page declared only in the Content-Type header', () => {
    const bytes = encodeCp1251(`<html><head></head><body>${PAGE}</body></html>`);
    expect(decodeBody(bytes, 'text/html; charset=windows-1251')).toEqual({
      text: `<html><head></head><body>${PAGE}</body></html>`,
      charset: 'windows-1251',
      source: 'header',
      problems: [],
    });
  });

  it('decodes a windows-1251 page declared only in <meta charset>', () => {
    const html = `<html><head><meta charset="cp1251"></head><body>${PAGE}</body></html>`;
    expect(decodeBody(encodeCp1251(html), 'text/html')).toEqual({
      text: html,
      charset: 'windows-1251',
      source: 'meta',
      problems: [],
    });
  });

  it('decodes a windows-1251 page declared only in <meta http-equiv>', () => {
    const html = `<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1251"></head>${PAGE}`;
    const decoded = decodeBody(encodeCp1251(html), undefined);
    expect(decoded).toMatchObject({ text: html, charset: 'windows-1251', source: 'meta', problems: [] });
  });

  it('decodes a koi8-r page', () => {
    const html = '<meta charset="koi8-r"><h1>Привет, мир</h1>';
    const bytes = encodeKoi8r(html);
    expect(new TextDecoder('koi8-r').decode(bytes)).toBe(html); // the hand table above is right
    expect(decodeBody(bytes, 'text/html')).toMatchObject({ text: html, charset: 'koi8-r', source: 'meta' });
    expect(decodeBody(encodeKoi8r('Привет, мир'), 'text/plain; charset=KOI8-R').text).toBe('Привет, мир');
  });

  it('lets a UTF-8 BOM override a wrong header, and strips the BOM', () => {
    const bytes = concat(Uint8Array.of(0xef, 0xbb, 0xbf), utf8(PAGE));
    expect(decodeBody(bytes, 'text/html; charset=windows-1251')).toEqual({
      text: PAGE,
      charset: 'utf-8',
      source: 'bom',
      problems: [],
    });
  });

  it('decodes UTF-16LE and UTF-16BE pages by their BOM', () => {
    const le = concat(Uint8Array.of(0xff, 0xfe), Buffer.from(PAGE, 'utf16le'));
    expect(decodeBody(le, 'text/html; charset=utf-8')).toEqual({
      text: PAGE,
      charset: 'utf-16le',
      source: 'bom',
      problems: [],
    });
    const be = concat(Uint8Array.of(0xfe, 0xff), Buffer.from(PAGE, 'utf16le').swap16());
    expect(decodeBody(be, undefined)).toMatchObject({ text: PAGE, charset: 'utf-16be', source: 'bom' });
  });

  it('honours a utf-16le header without a BOM, but not a utf-16 <meta>', () => {
    expect(decodeBody(Buffer.from('Привет', 'utf16le'), 'text/html; charset=utf-16le').text).toBe('Привет');
    expect(decodeBody(utf8('<meta charset="utf-16">Привет'), undefined)).toMatchObject({
      text: '<meta charset="utf-16">Привет',
      charset: 'utf-8',
      source: 'meta',
    });
  });

  it('skips an unknown header charset, going on to the meta', () => {
    const html = `<meta charset="windows-1251">${PAGE}`;
    expect(decodeBody(encodeCp1251(html), 'text/html; charset=foo')).toEqual({
      text: html,
      charset: 'windows-1251',
      source: 'meta',
      problems: ['unknown charset "foo" in Content-Type'],
    });
  });

  it('falls back when every declared charset is unknown', () => {
    const html = `<meta charset="bar">${PAGE}`;
    expect(decodeBody(encodeCp1251(html), 'text/html; charset=foo', 'cp1251')).toEqual({
      text: html,
      charset: 'windows-1251',
      source: 'fallback',
      problems: ['unknown charset "foo" in Content-Type', 'unknown charset "bar" in <meta>'],
    });
  });

  it('uses utf-8 when nothing is declared', () => {
    expect(decodeBody(utf8(PAGE), undefined)).toEqual({
      text: PAGE,
      charset: 'utf-8',
      source: 'fallback',
      problems: [],
    });
  });

  it('reports a header that claims utf-8 for windows-1251 bytes, and still decodes', () => {
    const decoded = decodeBody(encodeCp1251(`<p>${PAGE}</p>`), 'text/html; charset=UTF-8');
    expect(decoded.charset).toBe('utf-8');
    expect(decoded.source).toBe('header');
    expect(decoded.problems).toEqual(['bytes are not valid utf-8 as declared']);
    expect(decoded.text).toMatch(/^<p><title>\uFFFD+, \uFFFD+<\/title>/);
  });

  it('ignores a meta tag after the first 1024 bytes', () => {
    const html = `<html><head><!--${' '.repeat(1100)}--><meta charset="windows-1251"></head>${PAGE}`;
    const decoded = decodeBody(encodeCp1251(html), 'text/html');
    expect(decoded).toMatchObject({ charset: 'utf-8', source: 'fallback' });
    expect(decoded.problems).toEqual(['bytes are not valid utf-8 (no charset was declared)']);
    expect(decodeBody(encodeCp1251(html), 'text/html', 'windows-1251').text).toBe(html);
  });

  it('refuses an unknown fallback charset with a message saying what to use', () => {
    expect(() => decodeBody(utf8('x'), undefined, 'nonsense')).toThrow(
      'decodeBody: unknown fallback charset "nonsense"; use a label like "utf-8" or "windows-1251"',
    );
  });

  it('decodes an empty body', () => {
    expect(decodeBody(new Uint8Array(0), undefined)).toEqual({
      text: '',
      charset: 'utf-8',
      source: 'fallback',
      problems: [],
    });
  });
});
