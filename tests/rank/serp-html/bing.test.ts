// parseBingSerp() on saved Bing pages, and bingTarget().
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bingTarget, parseBingSerp } from '../../../src/rank/serp-html/bing.ts';
import type { SerpParse } from '../../../src/rank/serp-html/blocked.ts';

const fixture = (name: string) =>
  readFileSync(new URL(`../../fixtures/serp/${name}`, import.meta.url), 'utf8');

function results(parse: SerpParse) {
  if (parse.kind !== 'results') throw new Error(`expected results, got ${parse.kind}: ${parse.reason}`);
  return parse;
}

describe('parseBingSerp() on saved Bing pages', () => {
  it('reads ten results and the next page', () => {
    const parse = results(
      parseBingSerp(fixture('serpparser-2021-bing-nojs.html'), 'https://www.bing.com/search?q=bing'),
    );
    expect(parse.items).toHaveLength(10);
    expect(parse.items[0]).toEqual({ url: 'https://www.bing.com/', title: 'Bing' });
    expect(parse.items[1]!.url).toBe('https://www.malavida.com/es/soft/bing/');
    expect(parse.items[6]!.url).toBe('https://es.wikipedia.org/wiki/Bing');
    expect(parse.nextUrl).toBe('https://www.bing.com/search?q=bing&go=Search&qs=ds&first=10&FORM=PERE');
  });

  it('leaves out the top and bottom ads and the local, image and question answers', () => {
    const parse = results(
      parseBingSerp(fixture('serpparser-2021-coffee-nojs.html'), 'https://www.bing.com/search?q=coffee'),
    );
    expect(parse.items.map((i) => i.url)).toEqual([
      'http://www.wordreference.com/es/translation.asp?tranword=coffee',
      'https://en.wikipedia.org/wiki/Coffee_(drink)',
      'https://www.medicalnewstoday.com/articles/270202',
      'https://www.timeout.com/barcelona/restaurants/the-best-cafes-in-barcelona',
    ]);
    expect(parse.items.map((i) => i.title).join(' ')).not.toContain('Coffee Capsule');
  });

  it('recognises the "verify you are human" challenge as blocked', () => {
    const challenge =
      '<html><body><h1>One last step</h1><p>Please solve the challenge below to continue.</p></body></html>';
    expect(parseBingSerp(challenge, 'https://www.bing.com/search?q=x').kind).toBe('blocked');
    expect(parseBingSerp('<html></html>', 'https://www.bing.com/turing/captcha/challenge?q=x').kind).toBe(
      'blocked',
    );
  });

  it('returns an empty list for Bing\'s "no results" notice', () => {
    const html =
      '<html><body><ol id="b_results"><li class="b_no"><h1>There are no results for <strong>zqxw</strong></h1></li></ol></body></html>';
    expect(parseBingSerp(html, 'https://www.bing.com/search?q=zqxw')).toEqual({
      kind: 'results',
      items: [],
      nextUrl: null,
    });
  });
});

describe('bingTarget()', () => {
  it('decodes the address from /ck/a click links and drops ad clicks', () => {
    const u = Buffer.from('https://studio.example/путь?a=1').toString('base64url');
    expect(
      bingTarget(
        `https://www.bing.com/ck/a?!&&p=abc&ptn=3&u=a1${u}&ntb=1`,
        'https://www.bing.com/search?q=x',
      ),
    ).toBe('https://studio.example/%D0%BF%D1%83%D1%82%D1%8C?a=1');
    expect(
      bingTarget('https://www.bing.com/ck/a?!&&p=abc&u=zz&ntb=1', 'https://www.bing.com/search?q=x'),
    ).toBeNull();
    expect(bingTarget('https://www.bing.com/aclick?ld=e8&u=x', 'https://www.bing.com/search?q=x')).toBeNull();
  });
});
