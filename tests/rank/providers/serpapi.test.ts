import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSerpApiPage, serpApi, serpApiNextQuery } from '../../../src/rank/providers/serpapi.ts';
import { ProviderError, type DepsOf, type Keyword } from '../../../src/rank/types.ts';
import { closedPortUrl, localServer, testConfig } from '../../helpers.ts';
import {
  numberedResults,
  serpApiHandler,
  type SerpApiQuery,
  type SerpApiRequestLog,
  type SerpApiServerOptions,
} from '../../servers/serpapi.ts';

const KEY = 'sk_live_9f8e7d6c5b4a3f2e1d0c';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../fixtures/rank/${name}`, import.meta.url), 'utf8'));

function keyword(over: Partial<Keyword> = {}): Keyword {
  return {
    id: 1,
    siteId: 1,
    query: 'видеостудия москва',
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

async function server(opts: Partial<SerpApiServerOptions> = {}) {
  const log: SerpApiRequestLog[] = [];
  const queries: SerpApiQuery[] = [];
  const base = await localServer(
    serpApiHandler({
      apiKey: KEY,
      results: (q) => {
        queries.push(q);
        return numberedResults(150);
      },
      log,
      ...opts,
    }),
  );
  return { base, log, queries };
}

function deps(
  base: string,
  settings: Partial<DepsOf<typeof serpApi>['settings']> = {},
): DepsOf<typeof serpApi> {
  return {
    fetch: globalThis.fetch,
    now: () => new Date('2026-11-27T06:00:00Z'),
    settings: { depth: 100, baseUrl: base, apiKey: KEY, ...settings },
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

describe('parseSerpApiPage()', () => {
  it('reads organic results in page order and skips ads, AI overview, questions, local results and link-less entries', () => {
    const page = parseSerpApiPage(fixture('serpapi-google-page.json'));
    expect(page.items).toEqual([
      {
        position: 1,
        url: 'https://kadr-studio.example/',
        title: 'Видеостудия «Кадр» — съёмка и монтаж в Москве',
      },
      {
        position: 2,
        url: 'https://studio-rent.example/moscow/video',
        title: 'Аренда видеостудии — 45 залов в Москве',
      },
      {
        position: 3,
        url: 'https://rakurs.example/uslugi/video?ref=serp&lang=ru',
        title: 'Видеопродакшн "Ракурс" & Co',
      },
      {
        position: 4,
        url: 'https://rating.example/top-video-studios',
        title: 'Топ-10 видеостудий Москвы 2026',
      },
    ]);
    expect(page.next).toBe(
      'https://serpapi.com/search.json?device=desktop&engine=google&gl=ru&google_domain=google.com&hl=ru&q=%D0%B2%D0%B8%D0%B4%D0%B5%D0%BE%D1%81%D1%82%D1%83%D0%B4%D0%B8%D1%8F+%D0%BC%D0%BE%D1%81%D0%BA%D0%B2%D0%B0&start=10',
    );
  });

  it('numbers a later page from 1 whatever positions SerpApi gave, and sees no next page when none is offered', () => {
    const page = parseSerpApiPage(fixture('serpapi-bing-page.json'));
    expect(page.items.map((i) => [i.position, i.url])).toEqual([
      [1, 'https://lastingfilms.example/london'],
      [2, 'https://weddingguide.example/costs/videographer'],
    ]);
    expect(page.next).toBeNull();
  });

  it('reads a Yandex page with emoji in titles', () => {
    const page = parseSerpApiPage(fixture('serpapi-yandex-page.json'));
    expect(page.items).toHaveLength(3);
    expect(page.items[2]).toEqual({
      position: 3,
      url: 'https://loft-photo.example/ru/',
      title: 'Фотостудия 🌿 «Лофт» — уютно и недорого',
    });
    expect(page.next).toContain('p=1');
  });

  it('treats "hasn\'t returned any results" as an empty page, not an error', () => {
    expect(parseSerpApiPage(fixture('serpapi-google-empty.json'))).toEqual({ items: [], next: null });
  });

  it('turns search_metadata.status "Error" into an http error carrying SerpApi\'s reason', () => {
    expect(() => parseSerpApiPage(fixture('serpapi-google-error.json'))).toThrow(
      "serpapi: the search failed: We couldn't get valid results for this search. Please try again later.",
    );
  });

  it('calls an answer without organic_results or an error malformed', () => {
    const err = (() => {
      try {
        parseSerpApiPage({ search_metadata: { status: 'Success' }, ads: [] });
      } catch (e) {
        return e as ProviderError;
      }
    })();
    expect(err?.kind).toBe('malformed');
    expect(() => parseSerpApiPage({ organic_results: { position: 1 } })).toThrow(/not a list/);
    expect(() => parseSerpApiPage([1, 2])).toThrow(/not a JSON object/);
  });

  it("takes the next page from serpapi_pagination.next, not from Google's own pagination or a count of results", () => {
    const page = parseSerpApiPage(fixture('serpapi-google-short-page.json'));
    // Videos and a news block took two of the ten places: eight organic results, and the next page is start=10.
    expect(page.items).toHaveLength(8);
    expect(page.items[5]).toEqual({
      position: 6,
      url: 'https://www.studio.example/motion/',
      title: 'Studio Kadr — motion & video',
    });
    expect(new URL(page.next!).origin).toBe('https://serpapi.com');
    expect(new URL(page.next!).searchParams.get('start')).toBe('10');
  });
});

describe('serpApiNextQuery()', () => {
  const current = new URLSearchParams({
    engine: 'google',
    q: 'motion design studio',
    location: 'Austin, Texas, United States',
    gl: 'us',
    hl: 'en',
    device: 'desktop',
  });
  const base = new URL('http://127.0.0.1:8765/');
  const next = () => parseSerpApiPage(fixture('serpapi-google-short-page.json')).next!;

  it("takes start and the link's other parameters onto our own search, never an api_key", () => {
    const q = serpApiNextQuery(`${next()}&api_key=someone-elses-key`, current, base)!;
    expect(Object.fromEntries(q)).toEqual({
      engine: 'google',
      q: 'motion design studio',
      location: 'Austin, Texas, United States',
      gl: 'us',
      hl: 'en',
      device: 'desktop',
      google_domain: 'google.com',
      start: '10',
    });
  });

  it('keeps our parameters the link leaves out', () => {
    const q = serpApiNextQuery(
      'https://serpapi.com/search.json?engine=google&q=motion+design+studio&start=10',
      current,
      base,
    )!;
    expect(q.get('location')).toBe('Austin, Texas, United States');
    expect(q.get('device')).toBe('desktop');
    expect(q.get('start')).toBe('10');
  });

  it('accepts a link on the configured host (a proxy in front of SerpApi)', () => {
    const q = serpApiNextQuery(next().replace('https://serpapi.com', 'http://127.0.0.1:8765'), current, base);
    expect(q?.get('start')).toBe('10');
  });

  it('refuses a link to another host, to another search, that does not move forward, or that is no URL at all', () => {
    expect(
      serpApiNextQuery(next().replace('serpapi.com', 'serpapi.com.evil.example'), current, base),
    ).toBeNull();
    expect(
      serpApiNextQuery(next().replace('https://serpapi.com', 'https://www.google.com'), current, base),
    ).toBeNull();
    expect(serpApiNextQuery(next().replace('q=motion+design+studio', 'q=casino'), current, base)).toBeNull();
    expect(serpApiNextQuery(next().replace('engine=google', 'engine=bing'), current, base)).toBeNull();
    expect(serpApiNextQuery(next().replace('/search.json', '/account.json'), current, base)).toBeNull();
    expect(serpApiNextQuery('not a url', current, base)).toBeNull();
    // A link back to this page or before it would go round in circles.
    expect(serpApiNextQuery(next().replace('start=10', 'start=0'), current, base)).toBeNull();
    const onPage2 = new URLSearchParams({ ...Object.fromEntries(current), start: '10' });
    expect(serpApiNextQuery(next(), onPage2, base)).toBeNull();
    expect(serpApiNextQuery(next().replace('start=10', 'start=ten'), current, base)).toBeNull();
  });
});

describe('serpApi.fetchPositions()', () => {
  it('pages Google with start until depth 100, numbering organic results 1..100 past the ads and AI blocks', async () => {
    const srv = await server();
    const page = await serpApi.fetchPositions(keyword(), deps(srv.base));
    expect(srv.log.map((r) => r.params.start ?? '0')).toEqual([
      '0',
      '10',
      '20',
      '30',
      '40',
      '50',
      '60',
      '70',
      '80',
      '90',
    ]);
    expect(srv.log.every((r) => r.path === '/search.json' && r.params.num === undefined)).toBe(true);
    expect(page.depth).toBe(100);
    expect(page.items).toHaveLength(100);
    expect(page.items.map((i) => i.position)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(page.items[0]).toEqual({ position: 1, url: 'https://site1.example/page', title: 'Result 1' });
    expect(page.items[99]!.url).toBe('https://site100.example/page');
    expect(page.items.some((i) => i.url.includes('ads.example') || i.url.includes('answers.example'))).toBe(
      false,
    );
    const raw = JSON.parse(page.raw!) as Array<{ ads: unknown[]; organic_results: unknown[] }>;
    expect(raw).toHaveLength(10);
    expect(raw[0]!.ads).toHaveLength(1);
  });

  it('follows serpapi_pagination.next: after a Google page of 8 organic results it asks start=10, not start=8', async () => {
    const list = numberedResults(150);
    const srv = await server({ results: () => list, organicPerPage: 8 });
    const page = await serpApi.fetchPositions(keyword(), deps(srv.base, { depth: 30 }));
    expect(srv.log.map((r) => r.params.start ?? '0')).toEqual(['0', '10', '20', '30']);
    expect(srv.log.every((r) => r.path === '/search.json' && r.params.api_key === KEY)).toBe(true);
    expect(page.items.map((i) => i.position)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    // Organic results of page 2 follow page 1's eight without a gap or a repeat.
    expect(page.items[7]!.url).toBe(list[7]!.url);
    expect(page.items[8]!.url).toBe(list[10]!.url);
    expect(page.items[29]!.url).toBe(list[35]!.url);
    expect(page.depth).toBe(30);
  });

  it('follows Yandex p and Bing first from the link when pages show fewer results than they cover', async () => {
    const list = numberedResults(300);
    const yandex = await server({ results: () => list, organicPerPage: 7 });
    const y = await serpApi.fetchPositions(
      keyword({ engine: 'yandex', lr: 213, gl: null, hl: null }),
      deps(yandex.base, { depth: 20 }),
    );
    expect(yandex.log.map((r) => r.params.p)).toEqual(['0', '1', '2']);
    expect(y.items).toHaveLength(20);
    expect(y.items[7]!.url).toBe(list[10]!.url);

    const bing = await server({ results: () => list, organicPerPage: 30 });
    const b = await serpApi.fetchPositions(keyword({ engine: 'bing', gl: 'gb', hl: 'en' }), deps(bing.base));
    expect(bing.log.map((r) => [r.params.first, r.params.count])).toEqual([
      ['1', '50'],
      ['51', '50'],
      ['101', '50'],
      ['151', '50'],
    ]);
    expect(bing.log.every((r) => r.params.mkt === 'en-GB')).toBe(true);
    expect(b.items).toHaveLength(100);
    expect(b.items[30]!.url).toBe(list[50]!.url);
  });

  it('never follows a next link to another host and reports the depth it actually read', async () => {
    const srv = await server({
      rewriteNext: (l) => l.replace('https://serpapi.com', 'https://serpapi.evil.example'),
    });
    const page = await serpApi.fetchPositions(keyword(), deps(srv.base));
    expect(srv.log).toHaveLength(1);
    expect(page.items).toHaveLength(10);
    // Only the top 10 was read: "not in the top 100" would be a claim nobody checked.
    expect(page.depth).toBe(10);
  });

  it('stops when the next link names a page already read', async () => {
    const srv = await server({ rewriteNext: (l) => l.replace(/start=\d+/, 'start=0') });
    const page = await serpApi.fetchPositions(keyword(), deps(srv.base));
    expect(srv.log).toHaveLength(1);
    expect(page.depth).toBe(10);
  });

  it('stops at a bound of 22 requests for depth 100 when every page offers a next one', async () => {
    const srv = await server({ results: () => numberedResults(5000), organicPerPage: 1 });
    const page = await serpApi.fetchPositions(keyword(), deps(srv.base));
    expect(srv.log).toHaveLength(22);
    expect(page.items).toHaveLength(22);
    expect(page.depth).toBe(22);
  });

  it('stops when the results run out before the depth and honours a smaller depth setting', async () => {
    const short = await server({ results: () => numberedResults(23) });
    const page = await serpApi.fetchPositions(keyword(), deps(short.base));
    expect(short.log).toHaveLength(3);
    expect(page.items).toHaveLength(23);
    expect(page.depth).toBe(100);

    const shallow = await server();
    const top30 = await serpApi.fetchPositions(keyword(), deps(shallow.base, { depth: 30 }));
    expect(shallow.log).toHaveLength(3);
    expect(top30).toMatchObject({ depth: 30 });
    expect(top30.items).toHaveLength(30);
  });

  it('keeps the first of a URL seen twice and renumbers the rest without gaps', async () => {
    const list = numberedResults(25);
    list[14] = { url: list[3]!.url, title: 'Same page again on page 2' };
    const srv = await server({ results: () => list });
    const page = await serpApi.fetchPositions(keyword(), deps(srv.base));
    expect(page.items).toHaveLength(24);
    expect(page.items.map((i) => i.position)).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
    expect(page.items[3]).toEqual({ position: 4, url: list[3]!.url, title: 'Result 4' });
    expect(page.items[14]).toEqual({ position: 15, url: list[15]!.url, title: 'Result 16' });
  });

  it('sends gl, hl, location and device for Google', async () => {
    const srv = await server();
    await serpApi.fetchPositions(
      keyword({ gl: 'RU', hl: 'ru', location: 'Moscow, Moscow, Russia', device: 'mobile' }),
      deps(srv.base, { depth: 10 }),
    );
    expect(srv.log).toHaveLength(1);
    expect(srv.log[0]!.params).toEqual({
      engine: 'google',
      q: 'видеостудия москва',
      location: 'Moscow, Moscow, Russia',
      gl: 'ru',
      hl: 'ru',
      device: 'mobile',
      api_key: KEY,
    });
    const desktop = await server();
    await serpApi.fetchPositions(keyword({ gl: null, hl: null }), deps(desktop.base, { depth: 10 }));
    expect(desktop.log[0]!.params).toEqual({
      engine: 'google',
      q: 'видеостудия москва',
      device: 'desktop',
      api_key: KEY,
    });
  });

  it('asks Yandex on yandex.ru with lr=213 and pages with p from 0', async () => {
    const srv = await server();
    const page = await serpApi.fetchPositions(
      keyword({ engine: 'yandex', lr: 213, gl: null, hl: null, query: 'фотостудия' }),
      deps(srv.base, { depth: 30 }),
    );
    expect(srv.log.map((r) => r.params.p)).toEqual(['0', '1', '2']);
    expect(srv.log[0]!.params).toEqual({
      engine: 'yandex',
      text: 'фотостудия',
      yandex_domain: 'yandex.ru',
      lr: '213',
      p: '0',
      device: 'desktop',
      api_key: KEY,
    });
    expect(srv.queries[0]).toMatchObject({ engine: 'yandex', q: 'фотостудия', lr: '213' });
    expect(page.items).toHaveLength(30);
  });

  it('asks Bing for 50 a page with mkt when language and country are known, cc when only the country is', async () => {
    const srv = await server();
    const page = await serpApi.fetchPositions(
      keyword({ engine: 'bing', gl: 'gb', hl: 'en', query: 'wedding videographer' }),
      deps(srv.base),
    );
    expect(srv.log.map((r) => [r.params.first, r.params.count])).toEqual([
      ['1', '50'],
      ['51', '50'],
    ]);
    expect(srv.log[0]!.params.mkt).toBe('en-GB');
    expect(srv.log[0]!.params.cc).toBeUndefined();
    expect(page.items).toHaveLength(100);

    const ccOnly = await server();
    await serpApi.fetchPositions(
      keyword({ engine: 'bing', gl: 'de', hl: null }),
      deps(ccOnly.base, { depth: 10 }),
    );
    expect(ccOnly.log[0]!.params).toMatchObject({ cc: 'de', device: 'desktop' });
    expect(ccOnly.log[0]!.params.mkt).toBeUndefined();
  });

  it('returns no items for a query the engine finds nothing for, keeping the page as evidence', async () => {
    const srv = await server({ results: () => 'empty' });
    const page = await serpApi.fetchPositions(keyword({ query: 'zqxwv plorbnik' }), deps(srv.base));
    expect(page.items).toEqual([]);
    expect(page.depth).toBe(100);
    expect(srv.log).toHaveLength(1);
    const raw = JSON.parse(page.raw!) as Array<{ error: string }>;
    expect(raw[0]!.error).toBe("Google hasn't returned any results for this query.");
  });

  it('sends Cyrillic, emoji, quotes, & and + in the query intact', async () => {
    const query = '"купить диван" 🛋️ & co+1 %20 #1';
    const srv = await server();
    await serpApi.fetchPositions(keyword({ query }), deps(srv.base, { depth: 10 }));
    await serpApi.fetchPositions(keyword({ query, engine: 'yandex', lr: 2 }), deps(srv.base, { depth: 10 }));
    expect(srv.queries.map((q) => q.q)).toEqual([query, query]);
  });

  it("reports a rejected key as auth with SerpApi's words and without the key", async () => {
    const srv = await server();
    const err = await failure(
      serpApi.fetchPositions(keyword(), deps(srv.base, { apiKey: 'sk_wrong_0000111122223333' })),
    );
    expect(err.kind).toBe('auth');
    expect(err.message).toBe(
      'serpapi: SerpApi (google, "видеостудия москва") answered HTTP 401: Invalid API key. Your API key should be here: https://serpapi.com/manage-api-key; check the key in providers.serpApi.apiKey',
    );
    expect(err.message).not.toContain('sk_wrong_0000111122223333');
  });

  it('stops for the run when the plan has run out of searches', async () => {
    const srv = await server({ fault: (n) => (n === 1 ? 'out-of-searches' : null) });
    const err = await failure(serpApi.fetchPositions(keyword(), deps(srv.base)));
    expect(err.kind).toBe('quota');
    expect(err.message).toContain('HTTP 429: Your account has run out of searches.');
    expect(err.retryAfterMs).toBeUndefined();
    expect(srv.log).toHaveLength(2);
  });

  it('reports the hourly throughput limit as a rate limit with the Retry-After wait', async () => {
    const srv = await server({ fault: () => 'throughput', retryAfter: 90 });
    const err = await failure(serpApi.fetchPositions(keyword(), deps(srv.base)));
    expect(err.kind).toBe('rate-limit');
    expect(err.retryAfterMs).toBe(90_000);
    const noHeader = await server({ fault: () => 'throughput' });
    expect((await failure(serpApi.fetchPositions(keyword(), deps(noHeader.base)))).retryAfterMs).toBe(60_000);
  });

  it('calls a cut-off JSON body malformed', async () => {
    const srv = await server({ fault: () => 'malformed' });
    const err = await failure(serpApi.fetchPositions(keyword(), deps(srv.base)));
    expect(err.kind).toBe('malformed');
    expect(err.message).toMatch(
      /^serpapi: SerpApi \(google, "видеостудия москва"\) answered with something that is not JSON: \{"search_metadata"/,
    );
  });

  it('reports a failed search (status Error, HTTP 503) as an http error of one keyword', async () => {
    const srv = await server({ fault: () => 'search-error' });
    const err = await failure(serpApi.fetchPositions(keyword(), deps(srv.base)));
    expect(err.kind).toBe('http');
    expect(err.message).toContain("answered HTTP 503: We couldn't get valid results for this search.");
  });

  it('reports an unreachable API as a network error naming the origin but not the key', async () => {
    const base = await closedPortUrl();
    const err = await failure(serpApi.fetchPositions(keyword(), deps(base)));
    expect(err.kind).toBe('network');
    expect(err.message).toMatch(/could not be reached at http:\/\/127\.0\.0\.1:\d+: .*ECONNREFUSED/);
    expect(err.message).not.toContain(KEY);
  });

  it('never puts the API key in any error message', async () => {
    const faults = ['invalid-key', 'out-of-searches', 'throughput', 'search-error', 'malformed'] as const;
    for (const f of faults) {
      const srv = await server({ fault: () => f });
      const err = await failure(serpApi.fetchPositions(keyword(), deps(srv.base)));
      expect(err.message).not.toContain(KEY);
      expect(err.message).not.toContain('api_key');
    }
  });

  it('hides the key even when a wrongly configured base URL echoes the request back', async () => {
    const base = await localServer((req, res) => {
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`Cannot GET ${req.url ?? ''}`);
    });
    const err = await failure(serpApi.fetchPositions(keyword(), deps(base)));
    expect(err.kind).toBe('http');
    expect(err.message).toContain('answered HTTP 404: Cannot GET /search.json?engine=google');
    expect(err.message).toContain('api_key=***');
    expect(err.message).not.toContain(KEY);
  });

  it('refuses to run without an API key (its config block requires one)', () => {
    expect(() => testConfig({ providers: { serpApi: {} } })).toThrow(/providers\.serpApi\.apiKey/);
  });

  it('gives up when the run is cancelled', async () => {
    const srv = await server();
    const ctl = new AbortController();
    ctl.abort();
    const err = await failure(serpApi.fetchPositions(keyword(), { ...deps(srv.base), signal: ctl.signal }));
    expect(err.kind).toBe('network');
    expect(err.message).toContain('the request was cancelled');
  });
});
