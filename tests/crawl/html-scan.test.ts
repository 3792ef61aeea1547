import { describe, expect, it } from 'vitest';
import { scanHtml, type TagAttrs } from '../../src/crawl/html-scan.ts';

function events(html: string, attrTags: string[] = ['a', 'img', 'meta']): string[] {
  const out: string[] = [];
  scanHtml(
    html,
    html.length,
    {
      text: (data) => out.push(`text ${JSON.stringify(data)}`),
      open: (name, a: TagAttrs | null) =>
        out.push(
          `open ${name}${a ? ` ${JSON.stringify(Object.fromEntries(Object.entries(a).filter(([, v]) => v !== undefined)))}` : ''}`,
        ),
      close: (name) => out.push(`close ${name}`),
    },
    new Set(attrTags),
  );
  return out;
}

describe('scanHtml()', () => {
  it('gives text, tags with the first of duplicate attributes, decoded values, and implied closes', () => {
    expect(events('<p>a &amp; b<A HREF="/x?a=1&amp;b" href=/y rel=next>c</a><p>d')).toEqual([
      'open p',
      'text "a & b"',
      'open a {"rel":"next","href":"/x?a=1&b"}',
      'text "c"',
      'close a',
      'close p',
      'open p',
      'text "d"',
      'close p',
    ]);
  });

  it('reads script and style as raw text up to their end tag, in any case', () => {
    expect(events('<script>if (a<b) "</scr"+"ipt>"</SCRIPT ><b>x</b>')).toEqual([
      'open script',
      'text "if (a<b) \\"</scr\\"+\\"ipt>\\""',
      'close script',
      'open b',
      'text "x"',
      'close b',
    ]);
  });

  it('skips comments, declarations, processing instructions and CDATA, and keeps a stray < as text', () => {
    expect(events('<!doctype html><!-- <a href=x> -->a<?x ?>b<![CDATA[<a>]]>c < d <3')).toEqual([
      'text "a"',
      'text "b"',
      'text "c < d <3"',
    ]);
  });

  it('stays linear on deep unclosed nesting with end tags that close nothing', () => {
    // A per-name count of open elements answers "is it open?" at once; a stack search would take
    // 100,000 × 100,000 steps here and time the test out.
    const html = '<div>'.repeat(100_000) + '</span>'.repeat(100_000);
    let closes = 0;
    scanHtml(html, html.length, { text() {}, open() {}, close: () => void closes++ }, new Set());
    expect(closes).toBe(100_000);
  });

  it('decodes a <title> of a million & in linear time', () => {
    const html = `<title>${'&amp'.repeat(1_000_000)}`;
    let text = '';
    scanHtml(html, html.length, { text: (data) => void (text += data), open() {}, close() {} }, new Set());
    expect(text).toBe('&'.repeat(1_000_000));
  });

  it('reads a 5 MB page in one pass', () => {
    const html = `<title>big</title>${'<p>filler text <a href="/x">x</a> '.repeat(150_000)}`;
    let opens = 0;
    scanHtml(html, html.length, { text() {}, open: () => void opens++, close() {} }, new Set(['a']));
    expect(html.length).toBeGreaterThan(5_000_000);
    expect(opens).toBe(300_001);
  });
});
