import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSerpApiPage, serpApi } from '../../src/rank/providers/serpapi.ts';
import { ProviderError, type Keyword, type ProviderDeps } from '../../src/rank/types.ts';
import { closedPortUrl, localServer } from '../helpers.ts';
import {
  numberedResults,
  serpApiHandler,
  type SerpApiQuery,
  type SerpApiRequestLog,
  type SerpApiServerOptions,
} from '../servers/serpapi.ts';

const KEY = 'sk_live_9f8e7d6c5b4a3f2e1d0c';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../fixtures/rank/${name}`, import.meta.url), 'utf8'));

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

function deps(base: string, settings: Record<string, unknown> = {}): ProviderDeps {
  return {
    fetch: globalThis.fetch,
    now: () => new Date('2026-11-27T06:00:00Z'),
    settings: { baseUrl: base, apiKey: KEY, ...settings },
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
    expect(page.hasNext).toBe(true);
    expect(page.organicCount).toBe(5);
  });

  it('numbers a later page from 1 whatever positions SerpApi gave, and sees no next page when none is offered', () => {
    const page = parseSerpApiPage(fixture('serpapi-bing-page.json'));
    expect(page.items.map((i) => [i.position, i.url])).toEqual([
      [1, 'https://lastingfilms.example/london'],
      [2, 'https://weddingguide.example/costs/videographer'],
    ]);
    expect(page.hasNext).toBe(false);
  });

  it('reads a Yandex page with emoji in titles', () => {
    const page = parseSerpApiPage(fixture('serpapi-yandex-page.json'));
    expect(page.items).toHaveLength(3);
    expect(page.items[2]).toEqual({
      position: 3,
      url: 'https://loft-photo.example/ru/',
      title: 'Фотостудия 🌿 «Лофт» — уютно и недорого',
    });
    expect(page.hasNext).toBe(true);
  });

  it('treats "hasn\'t returned any results" as an empty page, not an error', () => {
    expect(parseSerpApiPage(fixture('serpapi-google-empty.json'))).toEqual({
      items: [],
      hasNext: false,
      organicCount: 0,
    });
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
});

describe('serpApi.fetchSerp()', () => {
  it('pages Google with start until depth 100, numbering organic results 1..100 past the ads and AI blocks', async () => {
    const srv = await server();
    const page = await serpApi.fetchSerp(keyword(), deps(srv.base));
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

  it('stops when the results run out before the depth and honours a smaller depth setting', async () => {
    const short = await server({ results: () => numberedResults(23) });
    const page = await serpApi.fetchSerp(keyword(), deps(short.base));
    expect(short.log).toHaveLength(3);
    expect(page.items).toHaveLength(23);
    expect(page.depth).toBe(100);

    const shallow = await server();
    const top30 = await serpApi.fetchSerp(keyword(), deps(shallow.base, { depth: 30 }));
    expect(shallow.log).toHaveLength(3);
    expect(top30).toMatchObject({ depth: 30 });
    expect(top30.items).toHaveLength(30);
  });

  it('keeps the first of a URL seen twice and renumbers the rest without gaps', async () => {
    const list = numberedResults(25);
    list[14] = { url: list[3]!.url, title: 'Same page again on page 2' };
    const srv = await server({ results: () => list });
    const page = await serpApi.fetchSerp(keyword(), deps(srv.base));
    expect(page.items).toHaveLength(24);
    expect(page.items.map((i) => i.position)).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
    expect(page.items[3]).toEqual({ position: 4, url: list[3]!.url, title: 'Result 4' });
    expect(page.items[14]).toEqual({ position: 15, url: list[15]!.url, title: 'Result 16' });
  });

  it('sends gl, hl, location and device for Google', async () => {
    const srv = await server();
    await serpApi.fetchSerp(
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
    await serpApi.fetchSerp(keyword({ gl: null, hl: null }), deps(desktop.base, { depth: 10 }));
    expect(desktop.log[0]!.params).toEqual({
      engine: 'google',
      q: 'видеостудия москва',
      device: 'desktop',
      api_key: KEY,
    });
  });

  it('asks Yandex on yandex.ru with lr=213 and pages with p from 0', async () => {
    const srv = await server();
    const page = await serpApi.fetchSerp(
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
    const page = await serpApi.fetchSerp(
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
    await serpApi.fetchSerp(
      keyword({ engine: 'bing', gl: 'de', hl: null }),
      deps(ccOnly.base, { depth: 10 }),
    );
    expect(ccOnly.log[0]!.params).toMatchObject({ cc: 'de', device: 'desktop' });
    expect(ccOnly.log[0]!.params.mkt).toBeUndefined();
  });

  it('returns no items for a query the engine finds nothing for, keeping the page as evidence', async () => {
    const srv = await server({ results: () => 'empty' });
    const page = await serpApi.fetchSerp(keyword({ query: 'zqxwv plorbnik' }), deps(srv.base));
    expect(page.items).toEqual([]);
    expect(page.depth).toBe(100);
    expect(srv.log).toHaveLength(1);
    const raw = JSON.parse(page.raw!) as Array<{ error: string }>;
    expect(raw[0]!.error).toBe("Google hasn't returned any results for this query.");
  });

  it('sends Cyrillic, emoji, quotes, & and + in the query intact', async () => {
    const query = '"купить диван" 🛋️ & co+1 %20 #1';
    const srv = await server();
    await serpApi.fetchSerp(keyword({ query }), deps(srv.base, { depth: 10 }));
    await serpApi.fetchSerp(keyword({ query, engine: 'yandex', lr: 2 }), deps(srv.base, { depth: 10 }));
    expect(srv.queries.map((q) => q.q)).toEqual([query, query]);
  });

  it("reports a rejected key as auth with SerpApi's words and without the key", async () => {
    const srv = await server();
    const err = await failure(
      serpApi.fetchSerp(keyword(), deps(srv.base, { apiKey: 'sk_wrong_0000111122223333' })),
    );
    expect(err.kind).toBe('auth');
    expect(err.message).toBe(
      'serpapi: SerpApi (google, "видеостудия москва") answered HTTP 401: Invalid API key. Your API key should be here: https://serpapi.com/manage-api-key; check the key in providers.serpApi.apiKey',
    );
    expect(err.message).not.toContain('sk_wrong_0000111122223333');
  });

  it('stops for the run when the plan has run out of searches', async () => {
    const srv = await server({ fault: (n) => (n === 1 ? 'out-of-searches' : null) });
    const err = await failure(serpApi.fetchSerp(keyword(), deps(srv.base)));
    expect(err.kind).toBe('quota');
    expect(err.message).toContain('HTTP 429: Your account has run out of searches.');
    expect(err.retryAfterMs).toBeUndefined();
    expect(srv.log).toHaveLength(2);
  });

  it('reports the hourly throughput limit as a rate limit with the Retry-After wait', async () => {
    const srv = await server({ fault: () => 'throughput', retryAfter: 90 });
    const err = await failure(serpApi.fetchSerp(keyword(), deps(srv.base)));
    expect(err.kind).toBe('rate-limit');
    expect(err.retryAfterMs).toBe(90_000);
    const noHeader = await server({ fault: () => 'throughput' });
    expect((await failure(serpApi.fetchSerp(keyword(), deps(noHeader.base)))).retryAfterMs).toBe(60_000);
  });

  it('calls a cut-off JSON body malformed', async () => {
    const srv = await server({ fault: () => 'malformed' });
    const err = await failure(serpApi.fetchSerp(keyword(), deps(srv.base)));
    expect(err.kind).toBe('malformed');
    expect(err.message).toMatch(
      /^serpapi: SerpApi \(google, "видеостудия москва"\) answered with something that is not JSON: \{"search_metadata"/,
    );
  });

  it('reports a failed search (status Error, HTTP 503) as an http error of one keyword', async () => {
    const srv = await server({ fault: () => 'search-error' });
    const err = await failure(serpApi.fetchSerp(keyword(), deps(srv.base)));
    expect(err.kind).toBe('http');
    expect(err.message).toContain("answered HTTP 503: We couldn't get valid results for this search.");
  });

  it('reports an unreachable API as a network error naming the origin but not the key', async () => {
    const base = await closedPortUrl();
    const err = await failure(serpApi.fetchSerp(keyword(), deps(base)));
    expect(err.kind).toBe('network');
    expect(err.message).toMatch(/could not be reached at http:\/\/127\.0\.0\.1:\d+: .*ECONNREFUSED/);
    expect(err.message).not.toContain(KEY);
  });

  it('never puts the API key in any error message', async () => {
    const faults = ['invalid-key', 'out-of-searches', 'throughput', 'search-error', 'malformed'] as const;
    for (const f of faults) {
      const srv = await server({ fault: () => f });
      const err = await failure(serpApi.fetchSerp(keyword(), deps(srv.base)));
      expect(err.message).not.toContain(KEY);
      expect(err.message).not.toContain('api_key');
    }
  });

  it('hides the key even when a wrongly configured base URL echoes the request back', async () => {
    const base = await localServer((req, res) => {
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`Cannot GET ${req.url ?? ''}`);
    });
    const err = await failure(serpApi.fetchSerp(keyword(), deps(base)));
    expect(err.kind).toBe('http');
    expect(err.message).toContain('answered HTTP 404: Cannot GET /search.json?engine=google');
    expect(err.message).toContain('api_key=***');
    expect(err.message).not.toContain(KEY);
  });

  it('refuses to run without an API key', async () => {
    const err = await failure(serpApi.fetchSerp(keyword(), deps('http://127.0.0.1:9/', { apiKey: '' })));
    expect(err.kind).toBe('auth');
    expect(err.message).toContain('providers.serpApi.apiKey');
  });

  it('gives up when the run is cancelled', async () => {
    const srv = await server();
    const ctl = new AbortController();
    ctl.abort();
    const err = await failure(serpApi.fetchSerp(keyword(), { ...deps(srv.base), signal: ctl.signal }));
    expect(err.kind).toBe('network');
    expect(err.message).toContain('the request was cancelled');
  });
});
