// parseGoogleSerp() on saved Google pages and on pages that are not results (consent, captcha), and googleTarget().
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { SerpParse } from '../../../src/rank/serp-html/blocked.ts';
import { googleTarget, parseGoogleSerp } from '../../../src/rank/serp-html/google.ts';

const fixture = (name: string) =>
  readFileSync(new URL(`../../fixtures/serp/${name}`, import.meta.url), 'utf8');

function results(parse: SerpParse) {
  if (parse.kind !== 'results') throw new Error(`expected results, got ${parse.kind}: ${parse.reason}`);
  return parse;
}
const urls = (parse: SerpParse) => results(parse).items.map((i) => i.url);

const GOOGLE = 'https://www.google.com/search';

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
