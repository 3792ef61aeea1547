// The browser rank provider in real Chromium against local stand-ins for Google, Yandex and Bing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrowserNotFoundError, BrowserPool } from '../../../src/browser/launcher.ts';
import {
  browserSerp,
  browserSerpSettings,
  firstPageUrl,
  politePause,
} from '../../../src/rank/providers/browser.ts';
import { ProviderError, type DepsOf, type Keyword } from '../../../src/rank/types.ts';
import { insertKeywords } from '../../../src/rank/store.ts';
import { trackSite } from '../../../src/rank/track.ts';
import { FakeClock, localServer, siteByName, suiteSetup, testConfig, testStoreDeps } from '../../helpers.ts';
import {
  numberedResults,
  serpPagesHandler,
  type FakeEngine,
  type SerpPageRequest,
  type SerpPagesOptions,
} from '../../servers/serp-pages.ts';

let browser: BrowserPool;
beforeAll(() =>
  suiteSetup(async () => {
    browser = new BrowserPool();
  }),
);
afterAll(() => browser.close());

const ADS = [
  { url: 'https://ads-first.example/landing', title: 'Motion design — 20% off' },
  { url: 'https://ads-second.example/', title: 'Studio for rent' },
];

function keyword(over: Partial<Keyword> = {}): Keyword {
  return {
    id: 1,
    siteId: 1,
    query: 'motion design studio',
    engine: 'google',
    device: 'desktop',
    gl: 'ru',
    hl: 'ru',
    location: null,
    lr: null,
    region: 'gl=ru;hl=ru',
    targetUrl: null,
    volume: null,
    tags: [],
    ...over,
  };
}

async function engine(name: FakeEngine, opts: Partial<SerpPagesOptions> = {}) {
  const log: SerpPageRequest[] = [];
  const base = await localServer(
    serpPagesHandler({ engine: name, results: () => numberedResults(25), ads: ADS, log, ...opts }),
  );
  return { base, log, searches: () => log.filter((r) => /\/search\/?$/.test(r.path)) };
}

// timeoutMs: a shorter wait for a page than the built-in 30 s (a test knob, not a config option).
type Deps = DepsOf<typeof browserSerp>;
function deps(
  base: string,
  settings: Partial<Deps['settings']> & { timeoutMs?: number } = {},
  signal?: AbortSignal,
): Deps {
  return {
    fetch: () => Promise.reject(new Error('the browser provider must not use fetch')),
    now: () => new Date('2026-11-27T06:00:00Z'),
    signal,
    settings: {
      enabled: true,
      browser,
      googleUrl: base,
      yandexUrl: base,
      bingUrl: base,
      depth: 20,
      delayMs: 0,
      jitterMs: 0,
      timeoutMs: 10_000,
      ...settings,
    },
  };
}

async function failure(p: Promise<unknown>): Promise<ProviderError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ProviderError);
  return err as ProviderError;
}

describe('browser provider', () => {
  it('reads Google positions past the ads and "People also ask", following the next page to the depth', async () => {
    const g = await engine('google');
    const page = await browserSerp.fetchPositions(keyword(), deps(g.base));
    expect(page.depth).toBe(20);
    expect(page.items).toHaveLength(20);
    expect(page.items[0]).toEqual({
      position: 1,
      url: 'https://site-1.example/page',
      title: 'Result 1 — site',
    });
    expect(page.items[19]).toMatchObject({ position: 20, url: 'https://site-20.example/page' });
    const all = page.items.map((i) => i.url).join(' ');
    expect(all).not.toMatch(/ads-first|ads-second|answers\.example/);
    expect(page.raw).toContain('<div id="rso"');
    expect(g.searches().map((r) => r.params)).toEqual([
      { q: 'motion design studio', gl: 'ru', hl: 'ru', num: '20', pws: '0' },
      { q: 'motion design studio', gl: 'ru', hl: 'ru', num: '20', pws: '0', start: '10' },
    ]);
    // A desktop Chrome, not "HeadlessChrome".
    expect(g.log[0]!.userAgent).toMatch(/^Mozilla\/5\.0 \(X11; Linux x86_64\).* Chrome\/\d+\.0\.0\.0 Safari/);
    expect(g.log[0]!.mobile).toBe(false);
  });

  it("reads Yandex for the keyword's region, leaving out Direct ads and the companies wizard", async () => {
    const y = await engine('yandex', { results: () => numberedResults(8) });
    const page = await browserSerp.fetchPositions(
      keyword({ engine: 'yandex', query: 'видеостудия москва', lr: 213, gl: null, hl: null }),
      deps(y.base),
    );
    expect(page.items.map((i) => i.url)).toEqual(numberedResults(8).map((r) => r.url));
    expect(page.depth).toBe(20);
    expect(y.searches()).toHaveLength(1);
    expect(y.searches()[0]!.path).toBe('/search/');
    expect(y.searches()[0]!.params).toEqual({ text: 'видеостудия москва', lr: '213' });
  });

  it('reads Bing through its click-tracking links, with the country and language asked for', async () => {
    const b = await engine('bing');
    const page = await browserSerp.fetchPositions(
      keyword({ engine: 'bing', gl: 'US', hl: 'en' }),
      deps(b.base, { depth: 15 }),
    );
    expect(page.items.map((i) => i.url)).toEqual(numberedResults(15).map((r) => r.url));
    expect(page.items.map((i) => i.url).join(' ')).not.toMatch(/ads-first|videos\.example|bing\.com/);
    expect(b.searches().map((r) => r.params)).toEqual([
      { q: 'motion design studio', cc: 'us', setlang: 'en' },
      { q: 'motion design studio', cc: 'us', setlang: 'en', first: '11' },
    ]);
  });

  it('searches as a phone for device "mobile" and reads the mobile layout', async () => {
    const g = await engine('google');
    const page = await browserSerp.fetchPositions(keyword({ device: 'mobile' }), deps(g.base, { depth: 10 }));
    expect(page.items.map((i) => i.url)).toEqual(numberedResults(10).map((r) => r.url));
    expect(g.log[0]!.mobile).toBe(true);
    expect(g.log[0]!.userAgent).toMatch(/Android .* Mobile Safari/);
    // The fake serves its mobile markup only to phones.
    expect(page.raw).toContain('role="heading"');
  });

  it('keeps the asked depth when the engine has fewer results, without asking for a page that is not there', async () => {
    const g = await engine('google', { results: () => numberedResults(12) });
    const page = await browserSerp.fetchPositions(keyword(), deps(g.base, { depth: 30 }));
    expect(page.items).toHaveLength(12);
    expect(page.depth).toBe(30);
    expect(g.searches()).toHaveLength(2);
  });

  it('throws "blocked", naming Google and the unusual-traffic page, when Google sends it to /sorry/', async () => {
    const g = await engine('google', { fault: () => 'captcha' });
    const err = await failure(browserSerp.fetchPositions(keyword(), deps(g.base)));
    expect(err.kind).toBe('blocked');
    expect(err.message).toMatch(
      /^browser: Google blocked the check of "motion design studio": .*unusual traffic/,
    );
    expect(g.log.map((r) => r.path)).toEqual(['/search', '/sorry/index']);
  });

  it('throws "blocked" for the Yandex SmartCaptcha and the Bing challenge', async () => {
    const y = await engine('yandex', { fault: () => 'captcha' });
    const yErr = await failure(
      browserSerp.fetchPositions(keyword({ engine: 'yandex', lr: 213 }), deps(y.base)),
    );
    expect(yErr.kind).toBe('blocked');
    expect(yErr.message).toMatch(/Yandex .*SmartCaptcha/);
    const b = await engine('bing', { fault: () => 'captcha' });
    const bErr = await failure(browserSerp.fetchPositions(keyword({ engine: 'bing' }), deps(b.base)));
    expect(bErr.kind).toBe('blocked');
    expect(bErr.message).toMatch(/Bing .*verify you are human/);
  });

  it('throws "blocked" when the captcha comes on a later page too', async () => {
    const g = await engine('google', { fault: (n) => (n === 1 ? 'captcha' : null) });
    const err = await failure(browserSerp.fetchPositions(keyword(), deps(g.base)));
    expect(err.kind).toBe('blocked');
  });

  it('calls a page that is neither results nor a known block malformed, never "not in the top"', async () => {
    const g = await engine('google', { fault: () => 'not-a-result-page' });
    const err = await failure(browserSerp.fetchPositions(keyword(), deps(g.base)));
    expect(err.kind).toBe('malformed');
    expect(err.message).toMatch(/Google .*could not read the result page/);
  });

  it('reports an error status as "http"', async () => {
    const g = await engine('bing', { fault: () => 'unavailable' });
    const err = await failure(browserSerp.fetchPositions(keyword({ engine: 'bing' }), deps(g.base)));
    expect(err.kind).toBe('http');
    expect(err.message).toContain('HTTP 503');
  });

  it('keeps the pages already read when a later one fails, and says how deep it looked', async () => {
    const g = await engine('google', { fault: (n) => (n === 1 ? 'unavailable' : null) });
    const page = await browserSerp.fetchPositions(keyword(), deps(g.base, { depth: 30 }));
    expect(page.items).toHaveLength(10);
    expect(page.depth).toBe(10);
  });

  it('reports each result page it loads through onRequest and keeps the pages read when the limit runs out', async () => {
    const g = await engine('google');
    let requests = 0;
    const page = await browserSerp.fetchPositions(keyword(), {
      ...deps(g.base, { depth: 30 }),
      onRequest: () => {
        if (requests >= 2) throw new ProviderError('browser', 'quota', 'the request limit is used up');
        requests++;
      },
    });
    expect(requests).toBe(2);
    expect(g.searches()).toHaveLength(2);
    expect(page.items).toHaveLength(20);
    expect(page.depth).toBe(20);
  });

  it('gives up on a page that never loads after timeoutMs', async () => {
    const g = await engine('google', { fault: () => 'hang' });
    const t = Date.now();
    const err = await failure(browserSerp.fetchPositions(keyword(), deps(g.base, { timeoutMs: 1500 })));
    expect(err.kind).toBe('network');
    expect(err.message).toMatch(/did not load within 2 s/);
    expect(Date.now() - t).toBeLessThan(10_000);
  });

  it('stops at once when the run is aborted', async () => {
    const g = await engine('google', { fault: () => 'hang' });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const t = Date.now();
    const err = await failure(
      browserSerp.fetchPositions(keyword(), deps(g.base, { timeoutMs: 20_000 }, controller.signal)),
    );
    expect(err.message).toMatch(/stopped/);
    expect(Date.now() - t).toBeLessThan(5000);
  });

  it('says how to install Chromium when there is none, as an error that stops the provider', async () => {
    const none = new BrowserPool(() => Promise.reject(new BrowserNotFoundError(['chromium on PATH'])));
    const err = await failure(
      browserSerp.fetchPositions(keyword(), {
        ...deps('http://127.0.0.1:9/'),
        settings: { ...deps('http://127.0.0.1:9/').settings, browser: none },
      }),
    );
    expect(err.kind).toBe('auth');
    expect(err.message).toMatch(/No Chromium found/);
  });
});

describe('firstPageUrl()', () => {
  const settings = (over: Partial<Deps['settings']> = {}) =>
    browserSerpSettings({ browser, depth: 100, ...over });

  it("builds each engine's documented search address from the configured base", () => {
    expect(firstPageUrl(keyword(), settings())).toBe(
      'https://www.google.com/search?q=motion+design+studio&gl=ru&hl=ru&num=100&pws=0',
    );
    expect(firstPageUrl(keyword({ engine: 'yandex', lr: 2 }), settings())).toBe(
      'https://yandex.ru/search/?text=motion+design+studio&lr=2',
    );
    expect(firstPageUrl(keyword({ engine: 'bing', gl: 'DE', hl: 'de' }), settings())).toBe(
      'https://www.bing.com/search?q=motion+design+studio&cc=de&setlang=de',
    );
    expect(firstPageUrl(keyword(), settings({ googleUrl: 'https://www.google.de' }))).toMatch(
      /^https:\/\/www\.google\.de\/search\?q=/,
    );
    expect(firstPageUrl(keyword(), settings({ googleUrl: 'https://www.google.de/search' }))).toMatch(
      /^https:\/\/www\.google\.de\/search\?q=/,
    );
    expect(
      firstPageUrl(keyword({ engine: 'yandex' }), settings({ yandexUrl: 'https://yandex.com.tr/' })),
    ).toMatch(/^https:\/\/yandex\.com\.tr\/search\/\?text=/);
  });

  it('rejects a base that is not an http(s) URL, naming the setting (its config block does)', () => {
    expect(() => testConfig({ providers: { browserSerp: { bingUrl: 'bing.com' } } })).toThrow(
      /providers\.browserSerp\.bingUrl must be an absolute http\(s\) URL/,
    );
  });
});

describe('politePause()', () => {
  it('waits the delay plus a random share of the jitter', async () => {
    const t = performance.now();
    await politePause(100, 200, undefined, () => 0.5);
    expect(performance.now() - t).toBeGreaterThanOrEqual(195);
  });

  it('returns early when the signal aborts', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const t = performance.now();
    await politePause(60_000, 0, controller.signal);
    expect(performance.now() - t).toBeLessThan(5000);
  });
});

describe('browser provider in the tracker', () => {
  it('records the captcha as a failure for that keyword, asks for no more pages, and stores no position', async () => {
    const { base, searches } = await engine('google', { fault: () => 'captcha' });
    const config = testConfig({
      sites: [{ name: 'studio', baseUrl: 'https://studio.example/', timeZone: 'Europe/Moscow' }],
      providers: { browserSerp: { enabled: true, googleUrl: base, delayMs: 0, jitterMs: 0 } },
    });
    const clock = new FakeClock(Date.parse('2026-11-27T06:00:00Z'));
    const d = await testStoreDeps(config, clock);
    const { sql } = d;
    const site = (await siteByName(sql, 'studio'))!;
    await insertKeywords(
      sql,
      site.id,
      ['motion design studio', 'explainer video', '2d animation'].map((query) => ({
        query,
        engine: 'google' as const,
        device: 'desktop' as const,
        gl: 'us',
        hl: 'en',
      })),
      clock.now(),
    );
    const [out] = await trackSite(
      {
        ...d,
        runId: null,
        browser,
        providers: [browserSerp],
        browserPause: async () => {},
      },
      site,
      { providers: [{ use: 'browser', schedule: '0 6 * * *' }], depth: 10 } as never,
    );
    expect(out).toMatchObject({ status: 'failed', failed: 1, deferred: 2, ranked: 0, notInTop: 0 });
    expect(out!.error).toMatch(/blocked|unusual traffic|captcha/i);
    expect(searches()).toHaveLength(1);
    const rows = await sql.all<{ state: string; position: number | null; error: string }>(
      'SELECT state, position, error FROM rank_observations',
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ state: 'failed', position: null });
  });
});
