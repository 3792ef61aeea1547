// The bounded parse all three result-page parsers share (page.ts), on hostile input: huge pages, endless
// nesting, tag soup, pages cut off mid-attribute, markup and script links in titles.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseBingSerp } from '../../../src/rank/serp-html/bing.ts';
import type { SerpParse } from '../../../src/rank/serp-html/blocked.ts';
import { parseGoogleSerp } from '../../../src/rank/serp-html/google.ts';
import { parseYandexSerp } from '../../../src/rank/serp-html/yandex.ts';

const fixture = (name: string) =>
  readFileSync(new URL(`../../fixtures/serp/${name}`, import.meta.url), 'utf8');

function results(parse: SerpParse) {
  if (parse.kind !== 'results') throw new Error(`expected results, got ${parse.kind}: ${parse.reason}`);
  return parse;
}
const urls = (parse: SerpParse) => results(parse).items.map((i) => i.url);

const GOOGLE = 'https://www.google.com/search';

describe('hostile input', () => {
  it('reads a 5 MB page in about a second, with the same results', () => {
    const base = fixture('serpparser-2023-hotels-desktop-ads.html');
    // Inline scripts (one pretending to open a result list), styles and 20,000 more elements.
    const padding =
      `<script>${'var x = "</div><div id=rso>";'.repeat(100_000)}</script>` +
      `<style>${'.a{b:c}'.repeat(150_000)}</style>` +
      '<div class="footer-links"><span>More from us</span></div>'.repeat(20_000);
    const html = base.replace('</body>', `${padding}</body>`);
    expect(html.length).toBeGreaterThan(5_000_000);
    const t = performance.now();
    const parse = parseGoogleSerp(html, `${GOOGLE}?q=hotels+nyc`);
    expect(performance.now() - t).toBeLessThan(5000);
    expect(urls(parse)).toEqual(urls(parseGoogleSerp(base, `${GOOGLE}?q=hotels+nyc`)));
  });

  it.each([
    ['a million unclosed <div>s', `<div id="rso">${'<div>'.repeat(1_000_000)}`],
    [
      '120,000 nested result links',
      `<div id="rso">${'<div class="g"><a href="https://e.example/"><h3>t'.repeat(120_000)}`,
    ],
    ['300,000 unclosed tables', `<div id="rso">${'<table><tr><td>'.repeat(300_000)}`],
  ])('gets through %s (5 MB) in bounded time', (_name, html) => {
    const t = performance.now();
    for (const parse of [parseGoogleSerp, parseYandexSerp, parseBingSerp]) parse(html, GOOGLE);
    expect(performance.now() - t).toBeLessThan(15_000);
  });

  it('reads tag soup: unquoted attributes, unclosed elements, stray end tags', () => {
    const html = `<div id=rso><div class=g><div class=yuRUbf><a href=https://one.example/><h3>One</h3></a></span></div>
      <div class=g><div class=yuRUbf><a href="https://two.example/"><h3>Two</h3></a>
      <div class=g><p>snippet<div class=yuRUbf><a href='https://three.example/'><h3>Three &amp; more</h3></a>`;
    expect(results(parseGoogleSerp(html, GOOGLE)).items).toEqual([
      { url: 'https://one.example/', title: 'One' },
      { url: 'https://two.example/', title: 'Two' },
      { url: 'https://three.example/', title: 'Three & more' },
    ]);
  });

  it('reads the results before the point where a page was cut off mid-attribute', () => {
    const full = fixture('serpspider-2016-simpsons-poster-desktop-ads.html');
    const cut = full.slice(0, full.indexOf('http://www.simpsoncrazy.com/characters/poster') + 10);
    expect(urls(parseGoogleSerp(cut, `${GOOGLE}?q=simpsons+poster`))).toEqual([
      'http://www.allposters.com.au/-st/Simpsons-posters_c7902_.htm',
      'http://www.bluedogposters.com.au/shopdisplayproducts.asp?id=54&cat=The+Simpsons',
      'http://www.amazon.com/Simpsons-Full-Cast-Poster-Print/dp/B002SRNDCU',
      'http://www.ebay.co.uk/bhp/simpsons-poster',
    ]);
  });

  it('returns a title with markup in it as plain text, and drops script links', () => {
    const html = `<div id="rso">
      <div class="g"><a href="https://x.example/"><h3>&lt;script&gt;alert(1)&lt;/script&gt; Studio<script>document.title = 'owned'</script><img src=x onerror="alert(2)"></h3></a></div>
      <div class="g"><a href="javascript:alert(3)"><h3>Click me</h3></a></div>
      <div class="g"><a href="https://y.example/"><h3>${'Long '.repeat(200)}</h3></a></div></div>`;
    const items = results(parseGoogleSerp(html, GOOGLE)).items;
    expect(items[0]).toEqual({ url: 'https://x.example/', title: '<script>alert(1)</script> Studio' });
    expect(items.map((i) => i.url)).toEqual(['https://x.example/', 'https://y.example/']);
    expect(items[1]!.title!.length).toBeLessThanOrEqual(300);
  });
});
