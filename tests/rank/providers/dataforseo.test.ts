import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  dataForSeo,
  dataForSeoTask,
  encodeKeyword,
  parseDataForSeo,
} from '../../../src/rank/providers/dataforseo.ts';
import { ProviderError, type DepsOf, type Keyword } from '../../../src/rank/types.ts';
import { closedPortUrl, localServer, testConfig } from '../../helpers.ts';
import {
  dataForSeoHandler,
  decodeKeyword,
  type DataForSeoQuery,
  type DataForSeoRequestLog,
  type DataForSeoServerOptions,
} from '../../../src/demo/servers/dataforseo.ts';
import { numberedResults } from '../../servers/serpapi.ts';

const LOGIN = 'seo@studio.example';
const PASSWORD = 'dfs-pa55-9f8e7d6c5b';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../fixtures/rank/${name}`, import.meta.url), 'utf8'));

function keyword(over: Partial<Keyword> = {}): Keyword {
  return {
    id: 1,
    siteId: 1,
    query: 'motion design studio',
    engine: 'google',
    device: 'desktop',
    gl: 'us',
    hl: 'en',
    location: null,
    lr: null,
    region: 'gl=us;hl=en',
    targetUrl: null,
    volume: null,
    tags: [],
    ...over,
  };
}

async function server(opts: Partial<DataForSeoServerOptions> = {}) {
  const log: DataForSeoRequestLog[] = [];
  const queries: DataForSeoQuery[] = [];
  const base = await localServer(
    dataForSeoHandler({
      login: LOGIN,
      password: PASSWORD,
      results: (q) => {
        queries.push(q);
        return numberedResults(150);
      },
      log,
      ...opts,
    }),
  );
  return { base, log, queries, task: (i = 0) => (JSON.parse(log[i]!.body) as Record<string, unknown>[])[0] };
}

function deps(
  base: string,
  settings: Partial<DepsOf<typeof dataForSeo>['settings']> = {},
): DepsOf<typeof dataForSeo> {
  return {
    fetch: globalThis.fetch,
    now: () => new Date('2026-11-27T06:00:00Z'),
    settings: { depth: 100, baseUrl: base, login: LOGIN, password: PASSWORD, ...settings },
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

function thrown(fn: () => unknown): ProviderError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ProviderError);
    return e as ProviderError;
  }
  throw new Error('expected a ProviderError');
}

describe('parseDataForSeo()', () => {
  it('keeps only organic items at their rank_group, whatever paid, AI, question and map blocks come first', () => {
    expect(parseDataForSeo(fixture('dataforseo-google.json'))).toEqual([
      { position: 1, url: 'https://buck.example/', title: 'BUCK — Motion design & animation studio' },
      {
        position: 2,
        url: 'https://ordinary.example/blog/best-motion-studios',
        title: 'The 25 best motion design studios in 2026',
      },
      {
        position: 3,
        url: 'https://xn--studio--u2a.example/ru/',
        title: 'Студия моушн-дизайна 🎬 — портфолио',
      },
      { position: 4, url: 'https://noname.example/motion', title: null },
    ]);
  });

  it('orders organic items by rank_group, not by where they sit in the list', () => {
    expect(parseDataForSeo(fixture('dataforseo-yandex.json')).map((i) => [i.position, i.url])).toEqual([
      [1, 'https://svet-photo.example/'],
      [2, 'https://photohall.example/halls'],
      [3, 'https://catalog.example/msk/photostudii'],
    ]);
  });

  it('reads "No Search Results." and items: null as an empty page', () => {
    expect(parseDataForSeo(fixture('dataforseo-no-results.json'))).toEqual([]);
    const google = fixture('dataforseo-google.json') as { tasks: [{ result: [{ items: unknown }] }] };
    google.tasks[0].result[0].items = null;
    expect(parseDataForSeo(google)).toEqual([]);
  });

  it('maps status codes on the envelope and the task to what the tracker does next', () => {
    const auth = thrown(() => parseDataForSeo(fixture('dataforseo-unauthorized.json')));
    expect(auth.kind).toBe('auth');
    expect(auth.message).toContain('status 40100 "You are not authorized to access this resource.');
    const payment = thrown(() => parseDataForSeo(fixture('dataforseo-payment.json')));
    expect(payment.kind).toBe('quota');
    expect(payment.message).toBe(
      'dataforseo: status 40200 "Payment Required."; top up the DataForSEO balance or raise the account\'s limits',
    );
    const env = (status_code: number, status_message: string) => ({
      status_code,
      status_message,
      tasks: null,
    });
    const rate = thrown(() => parseDataForSeo(env(40202, 'Rate-limit exceeded.'), { retryAfterMs: 5000 }));
    expect([rate.kind, rate.retryAfterMs]).toEqual(['rate-limit', 5000]);
    expect(thrown(() => parseDataForSeo(env(40210, 'Not enough funds.'))).kind).toBe('quota');
    expect(thrown(() => parseDataForSeo(env(50000, 'Internal Server Error.'))).kind).toBe('http');
    const task = {
      status_code: 20000,
      tasks: [{ status_code: 40101, status_message: 'Internal SE Server Error.' }],
    };
    expect(thrown(() => parseDataForSeo(task)).kind).toBe('http');
  });

  it('calls shapes it cannot read malformed', () => {
    expect(thrown(() => parseDataForSeo('ok')).kind).toBe('malformed');
    expect(thrown(() => parseDataForSeo({ status_code: 20000, tasks: [] })).kind).toBe('malformed');
    expect(
      thrown(() =>
        parseDataForSeo({ status_code: 20000, tasks: [{ status_code: 20000, result: [{ items: {} }] }] }),
      ).kind,
    ).toBe('malformed');
  });
});

describe('dataForSeoTask()', () => {
  it('escapes only % and + in the keyword, which DataForSEO would otherwise decode', () => {
    expect(encodeKeyword('100% cotton + linen "шторы" 🧵')).toBe('100%25 cotton %2B linen "шторы" 🧵');
    expect(decodeKeyword(encodeKeyword('a+b %2B 50% "ё" 🎬'))).toBe('a+b %2B 50% "ё" 🎬');
  });

  it('turns a country into its geotarget code, a location into a DataForSEO location name', () => {
    expect(dataForSeoTask(keyword({ gl: 'RU', hl: null }), 100)).toEqual({
      keyword: 'motion design studio',
      location_code: 2643,
      language_code: 'ru',
      device: 'desktop',
      depth: 100,
    });
    expect(dataForSeoTask(keyword({ gl: 'uk' }), 50)).toMatchObject({ location_code: 2826, depth: 50 });
    expect(dataForSeoTask(keyword({ location: 'Austin, Texas, United States' }), 100)).toMatchObject({
      location_name: 'Austin,Texas,United States',
      language_code: 'en',
    });
  });

  it('maps Yandex lr 213 and 2 to Moscow and Saint Petersburg', () => {
    const yandex = (lr: number) => keyword({ engine: 'yandex', lr, gl: null, hl: null });
    expect(dataForSeoTask(yandex(213), 100)).toMatchObject({
      location_name: 'Moscow,Moscow,Russia',
      language_code: 'ru',
    });
    expect(dataForSeoTask(yandex(2), 100)).toMatchObject({
      location_name: 'Saint Petersburg,Saint Petersburg,Russia',
    });
  });

  it('names an unknown Yandex region instead of guessing', () => {
    const err = thrown(() => dataForSeoTask(keyword({ engine: 'yandex', lr: 10995, gl: null }), 100));
    expect(err.kind).toBe('http');
    expect(err.message).toMatch(
      /^dataforseo: no DataForSEO location is known for Yandex region lr=10995 \(known: /,
    );
    expect(err.message).toContain('213 Moscow');
  });

  it('asks for a region when the keyword has none', () => {
    const err = thrown(() => dataForSeoTask(keyword({ gl: null, hl: null }), 100));
    expect(err.message).toContain('give the keyword a country (gl)');
  });
});

describe('dataForSeo.fetchPositions()', () => {
  it('POSTs one task with Basic auth and reads 100 organic positions past the ad and the featured snippet', async () => {
    const srv = await server();
    const page = await dataForSeo.fetchPositions(keyword(), deps(srv.base));
    expect(srv.log).toHaveLength(1);
    const req = srv.log[0]!;
    expect(req.path).toBe('/v3/serp/google/organic/live/advanced');
    expect(req.authorization).toBe(`Basic ${Buffer.from(`${LOGIN}:${PASSWORD}`).toString('base64')}`);
    expect(req.contentType).toBe('application/json; charset=utf-8');
    expect(JSON.parse(req.body)).toEqual([
      {
        keyword: 'motion design studio',
        location_code: 2840,
        language_code: 'en',
        device: 'desktop',
        depth: 100,
      },
    ]);
    expect(page.depth).toBe(100);
    expect(page.items).toHaveLength(100);
    expect(page.items.map((i) => i.position)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(page.items[0]).toEqual({ position: 1, url: 'https://site1.example/page', title: 'Result 1' });
    const raw = JSON.parse(page.raw!) as {
      tasks: [{ result: [{ items: { type: string; rank_absolute: number }[] }] }];
    };
    const first = raw.tasks[0].result[0].items.find((i) => i.type === 'organic')!;
    expect(first.rank_absolute).toBe(3);
  });

  it('uses the engine in the path and sends the mobile device and a Yandex region', async () => {
    const srv = await server();
    await dataForSeo.fetchPositions(
      keyword({
        engine: 'yandex',
        lr: 213,
        gl: null,
        hl: null,
        device: 'mobile',
        query: 'аренда фотостудии',
      }),
      deps(srv.base, { depth: 30 }),
    );
    await dataForSeo.fetchPositions(keyword({ engine: 'bing', gl: 'gb', hl: 'en' }), deps(srv.base));
    expect(srv.log.map((r) => r.path)).toEqual([
      '/v3/serp/yandex/organic/live/advanced',
      '/v3/serp/bing/organic/live/advanced',
    ]);
    expect(srv.task(0)).toEqual({
      keyword: 'аренда фотостудии',
      location_name: 'Moscow,Moscow,Russia',
      language_code: 'ru',
      device: 'mobile',
      depth: 30,
    });
    expect(srv.queries.map((q) => [q.engine, q.location, q.device])).toEqual([
      ['yandex', 'Moscow,Moscow,Russia', 'mobile'],
      ['bing', 'code:2826', 'desktop'],
    ]);
  });

  it('reports its one task a keyword through onRequest, and sends nothing when onRequest refuses', async () => {
    const srv = await server();
    let requests = 0;
    await dataForSeo.fetchPositions(keyword(), { ...deps(srv.base), onRequest: () => void requests++ });
    expect(requests).toBe(1);
    expect(srv.log).toHaveLength(1);
    const refused = await failure(
      dataForSeo.fetchPositions(keyword(), {
        ...deps(srv.base),
        onRequest: () => {
          throw new ProviderError('dataforseo', 'quota', 'the request limit is used up');
        },
      }),
    );
    expect(refused.kind).toBe('quota');
    expect(srv.log).toHaveLength(1);
  });

  it('does not spend a request on a Yandex region it cannot name', async () => {
    const srv = await server();
    const err = await failure(
      dataForSeo.fetchPositions(keyword({ engine: 'yandex', lr: 999, gl: null }), deps(srv.base)),
    );
    expect(err.message).toContain('lr=999');
    expect(srv.log).toHaveLength(0);
  });

  it('gets Cyrillic, emoji, quotes, % and + through to the search engine intact', async () => {
    const query = '"шторы блэкаут" 100% лён + хлопок 🪟 & co';
    const srv = await server();
    await dataForSeo.fetchPositions(keyword({ query }), deps(srv.base));
    expect(srv.queries[0]!.q).toBe(query);
  });

  it('returns no items when the engine finds nothing', async () => {
    const empty = await server({ results: () => 'empty' });
    expect((await dataForSeo.fetchPositions(keyword(), deps(empty.base))).items).toEqual([]);
    const none = await server({ fault: () => 'no-results' });
    const page = await dataForSeo.fetchPositions(keyword(), deps(none.base));
    expect(page).toMatchObject({ items: [], depth: 100 });
    expect(page.raw).toContain('No Search Results.');
  });

  it('reports wrong credentials as auth without the password', async () => {
    const srv = await server();
    const err = await failure(
      dataForSeo.fetchPositions(keyword(), deps(srv.base, { password: 'not-the-pa55word' })),
    );
    expect(err.kind).toBe('auth');
    expect(err.message).toBe(
      'dataforseo: DataForSEO (google, "motion design studio") answered HTTP 401: status 40100 "You are not authorized to access this resource. See your login details here: https://app.dataforseo.com/api-access"; check providers.dataForSeo.login and its password',
    );
    expect(err.message).not.toContain('not-the-pa55word');
  });

  it('stops for the run when the balance is used up (HTTP 402 or task 40210)', async () => {
    const payment = await server({ fault: () => 'payment' });
    const err = await failure(dataForSeo.fetchPositions(keyword(), deps(payment.base)));
    expect(err.kind).toBe('quota');
    expect(err.message).toContain('answered HTTP 402: status 40200 "Payment Required."');
    const funds = await server({ fault: () => 'funds' });
    expect((await failure(dataForSeo.fetchPositions(keyword(), deps(funds.base)))).kind).toBe('quota');
  });

  it('waits as long as Retry-After says on 40202, a minute without it', async () => {
    const srv = await server({ fault: () => 'rate-limit', retryAfter: 12 });
    const err = await failure(dataForSeo.fetchPositions(keyword(), deps(srv.base)));
    expect([err.kind, err.retryAfterMs]).toEqual(['rate-limit', 12_000]);
    expect(err.message).toContain('status 40202 "Rate-limit exceeded.');
    const bare = await server({ fault: () => 'rate-limit' });
    expect((await failure(dataForSeo.fetchPositions(keyword(), deps(bare.base)))).retryAfterMs).toBe(60_000);
  });

  it('reports a search engine failure and an internal error as http errors of one keyword', async () => {
    const se = await server({ fault: () => 'se-error' });
    const seErr = await failure(dataForSeo.fetchPositions(keyword(), deps(se.base)));
    expect([seErr.kind, seErr.message]).toEqual([
      'http',
      'dataforseo: DataForSEO (google, "motion design studio"): status 40101 "Internal SE Server Error."',
    ]);
    const internal = await server({ fault: () => 'internal' });
    const err = await failure(dataForSeo.fetchPositions(keyword(), deps(internal.base)));
    expect(err.kind).toBe('http');
    expect(err.message).toContain('answered HTTP 500: status 50000');
  });

  it('calls a cut-off JSON body malformed', async () => {
    const srv = await server({ fault: () => 'malformed' });
    const err = await failure(dataForSeo.fetchPositions(keyword(), deps(srv.base)));
    expect(err.kind).toBe('malformed');
    expect(err.message).toContain('answered with something that is not JSON: {"version"');
  });

  it('never puts the password or the Basic credential in any error message', async () => {
    const credential = Buffer.from(`${LOGIN}:${PASSWORD}`).toString('base64');
    const faults = [
      'unauthorized',
      'payment',
      'funds',
      'rate-limit',
      'se-error',
      'internal',
      'malformed',
    ] as const;
    for (const f of faults) {
      const srv = await server({ fault: () => f });
      const err = await failure(dataForSeo.fetchPositions(keyword(), deps(srv.base)));
      expect(err.message).not.toContain(PASSWORD);
      expect(err.message).not.toContain(credential);
    }
    const closed = await failure(dataForSeo.fetchPositions(keyword(), deps(await closedPortUrl())));
    expect(closed.kind).toBe('network');
    expect(closed.message).toMatch(/could not be reached at http:\/\/127\.0\.0\.1:\d+: .*ECONNREFUSED/);
    expect(closed.message).not.toContain(PASSWORD);
  });

  it('hides the password even when a wrongly configured base URL echoes the request headers', async () => {
    const base = await localServer((req, res) => {
      res
        .writeHead(502, { 'content-type': 'text/plain' })
        .end(`Bad gateway for ${req.headers.authorization ?? ''}`);
    });
    const err = await failure(dataForSeo.fetchPositions(keyword(), deps(base)));
    expect(err.kind).toBe('http');
    expect(err.message).toContain('answered HTTP 502: Bad gateway for Basic ***');
    expect(err.message).not.toContain(Buffer.from(`${LOGIN}:${PASSWORD}`).toString('base64'));
  });

  it('refuses to run without a password (its config block requires one)', () => {
    expect(() => testConfig({ providers: { dataForSeo: { login: LOGIN } } })).toThrow(
      /providers\.dataForSeo\.password/,
    );
  });
});
