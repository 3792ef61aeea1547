// Result-page parsers on saved Google and Bing pages, our Yandex pages, captcha pages and hostile input.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bingTarget, parseBingSerp } from '../../src/rank/serp-html/bing.ts';
import type { SerpParse } from '../../src/rank/serp-html/blocked.ts';
import { googleTarget, parseGoogleSerp } from '../../src/rank/serp-html/google.ts';
import { parseYandexSerp, yandexTarget } from '../../src/rank/serp-html/yandex.ts';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/serp/${name}`, import.meta.url), 'utf8');

function results(parse: SerpParse) {
  if (parse.kind !== 'results') throw new Error(`expected results, got ${parse.kind}: ${parse.reason}`);
  return parse;
}
const urls = (parse: SerpParse) => results(parse).items.map((i) => i.url);

const GOOGLE = 'https://www.google.com/search';
const YANDEX_PAGE =
  'https://yandex.ru/search/?text=%D0%B2%D0%B8%D0%B4%D0%B5%D0%BE%D1%81%D1%82%D1%83%D0%B4%D0%B8%D1%8F+%D0%BC%D0%BE%D1%81%D0%BA%D0%B2%D0%B0&lr=213';

describe('parseGoogleSerp() on saved Google pages', () => {
  it('reads the 2023 desktop layout in order, keeping Google\'s own sites that rank for "google"', () => {
    const parse = results(
      parseGoogleSerp(fixture('serpparser-2023-google-desktop.html'), `${GOOGLE}?q=google`),
    );
    expect(parse.items.map((i) => i.url)).toEqual([
      'https://google.com/',
      'https://www.google.com/',
      'https://www.google.com/account/about/',
      'https://www.google.com/maps',
      'https://www.google.com/business/',
      'https://www.google.com/imghp?hl=EN',
      'https://www.google.com/docs/about/',
      'https://maps.google.com/',
      'https://images.google.com/',
    ]);
    expect(parse.items[6]!.title).toBe('Google Docs: Online Document Editor | Google Workspace');
    expect(parse.nextUrl).toMatch(/^https:\/\/www\.google\.com\/search\?q=google&.*start=10/);
  });

  it('leaves out the "Sponsored" ads above the 2023 desktop results', () => {
    const parse = results(
      parseGoogleSerp(fixture('serpparser-2023-hotels-desktop-ads.html'), `${GOOGLE}?q=hotels+nyc`),
    );
    expect(parse.items).toHaveLength(9);
    // Hotels.com's indented results each have their own title and snippet: each holds a position.
    expect(parse.items.slice(0, 5).map((i) => i.url)).toEqual([
      'https://www.hotels.com/de1506246/hotels-new-york-new-york/',
      'https://www.hotels.com/de1506246-qu0/cheap-hotels-new-york-new-york/',
      'https://www.hotels.com/sa10233226/hotels-in-new-york-united-states-of-america/',
      'https://www.hotels.com/nh1535616/hotels-in-manhattan-new-york-new-york/',
      'https://www.expedia.com/New-York-Hotels.d178293.Travel-Guide-Hotels',
    ]);
    expect(parse.items[6]).toEqual({
      url: 'https://www.booking.com/city/us/new-york.html',
      title: 'The 10 Best New York Hotels (From $98)',
    });
    expect(parse.items.map((i) => i.title).join(' ')).not.toMatch(/Sponsored|Hotels in New York, NY -/);
    expect(parse.items.some((i) => i.url.includes('/aclk'))).toBe(false);
  });

  it('reads the 2023 mobile layout and skips its ads, even one linking to the same page as result 1', () => {
    const parse = results(
      parseGoogleSerp(fixture('serpparser-2023-hotels-mobile-ads.html'), `${GOOGLE}?q=hotels+nyc`),
    );
    expect(parse.items[0]).toEqual({
      url: 'https://www.hotels.com/de1506246/hotels-new-york-new-york/',
      title: 'Best New York Hotels',
    });
    expect(parse.items.map((i) => i.url)).toEqual([
      'https://www.hotels.com/de1506246/hotels-new-york-new-york/',
      'https://www.hotels.com/de1506246-qu0/cheap-hotels-new-york-new-york/',
      'https://www.hotels.com/sa10233226/hotels-in-new-york-united-states-of-america/',
      'https://www.hotels.com/nh1535616/hotels-in-manhattan-new-york-new-york/',
    ]);
    expect(parse.items.some((i) => i.url.includes('booking.com'))).toBe(false);
    expect(parse.nextUrl).toContain('start=10');
  });

  it('unwraps the /url?q= links of the no-JavaScript page', () => {
    const list = urls(parseGoogleSerp(fixture('serpparser-2023-google-nojs.html'), `${GOOGLE}?q=google`));
    expect(list).toHaveLength(10);
    expect(list[0]).toBe('https://www.google.com/');
    expect(list[4]).toBe('https://www.google.com/imghp?hl=EN');
    expect(list[9]).toBe('https://edu.google.com/workspace-for-education/classroom/');
    expect(list.some((u) => u.includes('/url?'))).toBe(false);
  });

  it('leaves out the top and bottom ads of a 2016 desktop page', () => {
    const parse = results(
      parseGoogleSerp(
        fixture('serpspider-2016-simpsons-poster-desktop-ads.html'),
        `${GOOGLE}?q=simpsons+poster`,
      ),
    );
    expect(parse.items).toHaveLength(9);
    // AllPosters also bought the top ad ("Art Posters On Sale Today"); position 1 is its organic result.
    expect(parse.items[0]).toEqual({
      url: 'http://www.allposters.com.au/-st/Simpsons-posters_c7902_.htm',
      title: 'Simpsons Poster - at AllPosters.com.au',
    });
    expect(parse.items[3]!.url).toBe('http://www.ebay.co.uk/bhp/simpsons-poster');
    expect(parse.items[8]!.url).toBe(
      'http://io9.gizmodo.com/these-minimalist-simpsons-posters-are-absolutely-perf-1696655191',
    );
    expect(parse.items.map((i) => i.title).join(' ')).not.toContain('Votre Simpsons Poster');
    expect(parse.nextUrl).toBe(
      'https://www.google.com/search?q=simpsons+poster&biw=1920&bih=961&ei=jlP5Vr6EFIaqa-KwiqAL&start=10&sa=N',
    );
  });

  it('does not count the image block of a 2016 French no-JavaScript page as a result', () => {
    const list = urls(
      parseGoogleSerp(
        fixture('serpspider-2016-simpsons-fr-raw-nojs.html'),
        'https://www.google.fr/search?q=simpsons',
      ),
    );
    expect(list).toHaveLength(9);
    expect(list.slice(0, 3)).toEqual([
      'https://www.simpsonsworld.com/',
      'https://fr.wikipedia.org/wiki/Les_Simpson',
      'http://simpson-en-streaming.com/',
    ]);
    expect(list.some((u) => u.includes('tbm=isch'))).toBe(false);
  });

  it('counts a mobile 2018 site once for its organic result, not for its ad', () => {
    const list = urls(
      parseGoogleSerp(
        fixture('serpspider-2018-new-construction-ct-mobile-ad.html'),
        `${GOOGLE}?q=new+construction+ct`,
      ),
    );
    expect(list).toHaveLength(10);
    expect(list[0]).toBe('https://www.zillow.com/ct/new-homes/');
    expect(list[9]).toBe('https://www.tollbrothers.com/luxury-homes/Connecticut?amp=true');
    // The ad pointed at the same page without ?amp=true.
    expect(list).not.toContain('https://www.tollbrothers.com/luxury-homes/Connecticut');
  });

  it('gives a featured snippet and the same page below it one position, and skips shopping and videos', () => {
    const list = urls(
      parseGoogleSerp(
        fixture('serpspider-2019-cheap-video-editing-mac-desktop-shopping.html'),
        `${GOOGLE}?q=cheap+video+editing+software+mac`,
      ),
    );
    expect(list).toHaveLength(9);
    expect(list[0]).toBe('https://macpaw.com/how-to/best-video-editing-software');
    expect(list[1]).toBe('https://www.macworld.co.uk/feature/mac-software/mac-video-editors-3697211/');
    expect(list[8]).toBe('https://setapp.com/how-to/best-video-editing-software-for-mac');
    expect(list.some((u) => u.includes('/search?'))).toBe(false);
  });
});

describe('parseGoogleSerp() on pages that are not results', () => {
  it.each(['google-sorry-recaptcha-2018-serpspider.html', 'google-sorry-recaptcha-2020-serpparser.html'])(
    'recognises the "unusual traffic" reCAPTCHA page %s as blocked',
    (name) => {
      const parse = parseGoogleSerp(fixture(name), 'https://www.google.com/search?q=x');
      expect(parse).toMatchObject({ kind: 'blocked', reason: expect.stringMatching(/unusual traffic/) });
    },
  );

  it('recognises any page served under /sorry/ as blocked', () => {
    const parse = parseGoogleSerp(
      '<html><body>Error 429</body></html>',
      'https://www.google.com/sorry/index?continue=x',
    );
    expect(parse.kind).toBe('blocked');
  });

  it('recognises the cookie consent page, on consent.google.com and as a form on www.google.com', () => {
    const consent = `<html><head><title>Before you continue to Google</title></head><body><h1>Before you continue to Google</h1>
      <form action="https://consent.google.com/save" method="POST"><input type="hidden" name="set_eom" value="true"><button>Reject all</button></form></body></html>`;
    expect(
      parseGoogleSerp(consent, 'https://consent.google.com/ml?continue=https://www.google.com/search?q=x'),
    ).toMatchObject({
      kind: 'blocked',
      reason: expect.stringMatching(/consent/),
    });
    expect(parseGoogleSerp(consent, 'https://www.google.com/search?q=x')).toMatchObject({ kind: 'blocked' });
  });

  it('reads results whose snippet happens to quote the captcha wording', () => {
    const html = fixture('serpparser-2023-google-desktop.html').replace(
      'Google Account',
      'Our systems have detected unusual traffic from your computer network — Google Account',
    );
    expect(parseGoogleSerp(html, `${GOOGLE}?q=google`).kind).toBe('results');
  });

  it('returns an empty list for a page that says nothing matched', () => {
    const html = `<html><body><div id="main"><div id="center_col"><div id="topstuff"><div class="card-section"><p role="heading" aria-level="3">Your search - <em>zqxw motion studio</em> - did not match any documents.</p></div></div>
      <div id="res"><div id="search"><div id="rso"></div></div></div></div></div></body></html>`;
    expect(parseGoogleSerp(html, `${GOOGLE}?q=zqxw`)).toEqual({ kind: 'results', items: [], nextUrl: null });
  });

  it('calls a result list with nothing readable in it unrecognised, not "zero results"', () => {
    const html =
      '<html><body><div id="search"><div id="rso"><div class="new-layout"><a href="https://a.example/"><span>A</span></a></div></div></div></body></html>';
    expect(parseGoogleSerp(html, GOOGLE).kind).toBe('unrecognised');
  });

  it.each([
    ['an empty body', ''],
    [
      'a login page',
      '<html><head><title>Sign in</title></head><body><form action="/login"><input name="user"></form></body></html>',
    ],
    ['a JSON error', '{"error":"backend unavailable"}'],
  ])('calls %s unrecognised', (_name, html) => {
    expect(parseGoogleSerp(html, GOOGLE).kind).toBe('unrecognised');
  });
});

describe('googleTarget()', () => {
  it("unwraps /url?q= and /url?url=, and drops ads and Google's own search pages", () => {
    expect(googleTarget('/url?q=https://studio.example/a%3Fb%3D1&sa=U', GOOGLE)).toBe(
      'https://studio.example/a?b=1',
    );
    expect(googleTarget('https://www.google.de/url?sa=t&url=https%3A%2F%2Fstudio.example%2F', GOOGLE)).toBe(
      'https://studio.example/',
    );
    expect(googleTarget('/aclk?sa=l&ai=x&adurl=https://ad.example/', GOOGLE)).toBeNull();
    expect(googleTarget('https://www.googleadservices.com/pagead/aclk?sa=L', GOOGLE)).toBeNull();
    expect(googleTarget('/search?q=other&tbm=isch', GOOGLE)).toBeNull();
    expect(googleTarget('javascript:void(0)', GOOGLE)).toBeNull();
    expect(googleTarget('https://www.google.com/maps', GOOGLE)).toBe('https://www.google.com/maps');
  });
});

describe('parseYandexSerp() on our Yandex pages', () => {
  it('reads the organic results, leaving out ads marked three different ways and both wizards', () => {
    const parse = results(parseYandexSerp(fixture('yandex-2024-desktop-ads-wizards.html'), YANDEX_PAGE));
    expect(parse.items.map((i) => i.url)).toEqual([
      'https://motion-studio.example/',
      'https://ru.wikipedia.org/wiki/%D0%92%D0%B8%D0%B4%D0%B5%D0%BE%D1%81%D1%82%D1%83%D0%B4%D0%B8%D1%8F',
      'https://videoprod.example/studio/',
      'https://profi.example/moskva/videostudii/',
      'https://studio-na-taganke.example/',
      'https://www.youtube.com/@motionstudio',
      'https://yandex.ru/uslugi/213-moscow/category/foto-i-video/videosemka--1014',
      'https://vk.com/videostudio_msk',
      'https://2gis.ru/moscow/search/%D0%B2%D0%B8%D0%B4%D0%B5%D0%BE%D1%81%D1%82%D1%83%D0%B4%D0%B8%D1%8F',
      'https://www.avito.ru/moskva/predlozheniya_uslug/videostudiya',
    ]);
    expect(parse.items[0]!.title).toBe('Motion Studio — видеостудия полного цикла в Москве');
    // A title that starts with the word "Реклама" is not an ad label.
    expect(parse.items[4]!.title).toBe('Реклама и видео — Студия на Таганке');
    const all = parse.items.map((i) => i.url).join(' ');
    expect(all).not.toMatch(/yabs|promo-studio|studia-zvuk|kinoplenka|rutube/);
    expect(parse.nextUrl).toBe(`${YANDEX_PAGE}&p=1`);
  });

  it('recognises the SmartCaptcha page as blocked, by its markup and by its /showcaptcha address', () => {
    const html = fixture('yandex-2024-smartcaptcha.html');
    expect(parseYandexSerp(html, YANDEX_PAGE)).toMatchObject({
      kind: 'blocked',
      reason: expect.stringMatching(/SmartCaptcha/),
    });
    expect(
      parseYandexSerp('<html><body></body></html>', 'https://yandex.ru/showcaptcha?cc=1&retpath=x').kind,
    ).toBe('blocked');
  });

  it('returns an empty list when Yandex says nothing was found', () => {
    const html = `<html><body><div class="content__left"><ul id="search-result" class="serp-list"></ul>
      <div class="EmptySearchResults"><h1>По вашему запросу ничего не нашлось</h1></div></div></body></html>`;
    expect(parseYandexSerp(html, YANDEX_PAGE)).toEqual({ kind: 'results', items: [], nextUrl: null });
  });

  it('calls a page without a result list unrecognised', () => {
    expect(parseYandexSerp('<html><body><h1>Яндекс</h1></body></html>', YANDEX_PAGE).kind).toBe(
      'unrecognised',
    );
  });
});

describe('yandexTarget()', () => {
  it('unwraps /clck/ redirects that carry the address and drops Direct click links', () => {
    expect(
      yandexTarget(
        'https://yandex.ru/clck/jsredir?from=yandex.ru&url=https%3A%2F%2Fstudio.example%2F',
        YANDEX_PAGE,
      ),
    ).toBe('https://studio.example/');
    expect(
      yandexTarget(
        'https://yandex.ru/clck/redir/dtype=stred/pid=7/cid=2508/*https://studio.example/a',
        YANDEX_PAGE,
      ),
    ).toBe('https://studio.example/a');
    expect(
      yandexTarget('https://yandex.ru/clck/jsredir?data=UlNrNmk5WktYejR0&b64e=2', YANDEX_PAGE),
    ).toBeNull();
    expect(yandexTarget('https://yabs.yandex.ru/count/WZ0ejI_z', YANDEX_PAGE)).toBeNull();
    expect(yandexTarget('/search/?text=other', YANDEX_PAGE)).toBeNull();
  });
});

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
