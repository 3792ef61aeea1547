import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  bingWebmaster,
  parseBingError,
  parseMsDate,
  parseQueryStats,
} from '../../../src/rank/providers/bing-webmaster.ts';
import { ProviderError, type DepsOf, type QueryStat } from '../../../src/rank/types.ts';
import { localServer, testConfig } from '../../helpers.ts';
import { bingWebmasterHandler, type BingWebmasterServerOptions } from '../../servers/bing-webmaster.ts';

const fixture = (name: string) =>
  readFileSync(new URL(`../../fixtures/rank/${name}`, import.meta.url), 'utf8');

// Characters that must survive the query string: the key is sent as it is, never in messages.
const API_KEY = 'a1b2c3+d4/e5=f6&g7';
const SITE = 'https://studio.example/';
const range = { property: SITE, from: '2026-11-13', to: '2026-11-20' };

function stat(
  day: string,
  query: string,
  impressions: number,
  clicks: number,
  position: number | null,
): QueryStat {
  return { day, query, page: '', device: '', country: '', clicks, impressions, position };
}

const rows: QueryStat[] = [
  stat('2026-11-06', 'motion design studio', 80, 3, 4.2),
  stat('2026-11-13', 'motion design studio', 90, 4, 3.9),
  stat('2026-11-13', 'студия "Луч" 📸', 7, 0, 18.5),
  stat('2026-11-20', 'motion design studio', 96, 5, 3.4),
  stat('2026-11-20', "it's a 'quoted' query", 3, 0, null),
  stat('2026-11-27', 'motion design studio', 70, 2, 3.1),
];

async function bing(opts: Partial<BingWebmasterServerOptions> = {}) {
  const server = bingWebmasterHandler({ rows, apiKey: API_KEY, sites: [SITE], ...opts });
  const base = await localServer(server);
  const deps = (
    settings: Partial<DepsOf<typeof bingWebmaster>['settings']> = {},
  ): DepsOf<typeof bingWebmaster> => ({
    fetch: globalThis.fetch,
    now: () => new Date('2026-11-27T06:00:00Z'),
    settings: { baseUrl: base, apiKey: API_KEY, ...settings },
  });
  return { server, base, deps };
}

async function failure(p: Promise<unknown>): Promise<ProviderError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ProviderError);
  return err as ProviderError;
}

describe('Bing Webmaster parsers', () => {
  it('parseMsDate() reads /Date(ms±zone)/ as the day in the zone it was written in', () => {
    expect(parseMsDate('/Date(1795161600000-0800)/')).toBe('2026-11-20');
    // 21:00 UTC on the 19th is midnight of the 20th in Moscow.
    expect(parseMsDate('/Date(1795122000000+0300)/')).toBe('2026-11-20');
    expect(parseMsDate('/Date(1716015600000)/')).toBe('2024-05-18');
    expect(parseMsDate('2026-11-20')).toBeNull();
    expect(parseMsDate('/Date(abc)/')).toBeNull();
  });

  it("parseQueryStats() keeps the days in range and leaves Bing's -1 position empty", () => {
    expect(parseQueryStats(fixture('bing-query-stats.json'), '2026-11-01', '2026-11-30')).toEqual([
      stat('2026-11-20', 'motion design studio', 96, 5, 3.4),
      stat('2026-11-20', 'студия "Луч" 📸', 7, 0, 18.5),
      stat('2026-11-13', 'it\'s a "quoted" query', 3, 0, null),
      stat('2026-11-20', 'видеостудия', 9, 1, 5),
    ]);
  });

  it('parseQueryStats() calls a row without a readable date malformed', () => {
    const body = '{"d":[{"Query":"q","Date":"2026-11-20","Clicks":1,"Impressions":2}]}';
    expect(() => parseQueryStats(body, '2026-11-01', '2026-11-30')).toThrow(/row 0/);
  });

  it('parseBingError() reads an ApiFault and ignores a data answer', () => {
    expect(parseBingError('{"ErrorCode":3,"Message":"ERROR!!! InvalidApiKey"}')).toEqual({
      code: 3,
      message: 'ERROR!!! InvalidApiKey',
    });
    expect(parseBingError('{"d":[]}')).toBeNull();
  });
});

describe('bingWebmaster.fetchPositions()', () => {
  it('is the "bing-webmaster" stats provider for Bing', () => {
    expect(bingWebmaster).toMatchObject({
      kind: 'stats',
      id: 'bing-webmaster',
      capabilities: { engines: ['bing'] },
    });
  });

  it('asks GetQueryStats for the site with the key and keeps only the days asked for', async () => {
    const t = await bing();
    expect(await bingWebmaster.fetchPositions(range, t.deps())).toEqual(rows.slice(1, 5));
    expect(t.server.requests).toHaveLength(1);
    const req = t.server.requests[0]!;
    expect(req.path).toBe('/webmaster/api.svc/json/GetQueryStats');
    expect(Object.fromEntries(req.params)).toEqual({ siteUrl: SITE, apikey: API_KEY });
  });

  it('reports its one GetQueryStats call through onRequest', async () => {
    const t = await bing();
    let requests = 0;
    await bingWebmaster.fetchPositions(range, { ...t.deps(), onRequest: () => void requests++ });
    expect(requests).toBe(1);
    expect(t.server.requests).toHaveLength(1);
  });

  it('returns nothing for a site without statistics', async () => {
    const t = await bing({ rows: [] });
    expect(await bingWebmaster.fetchPositions(range, t.deps())).toEqual([]);
  });

  it('reports a wrong key as an auth error that never shows it, even when the server echoes the URL', async () => {
    const t = await bing({ apiKey: 'the-right-key', echoRequest: true });
    const err = await failure(bingWebmaster.fetchPositions(range, t.deps()));
    expect(err.kind).toBe('auth');
    expect(err.message).toMatch(
      /^bing-webmaster: Bing Webmaster answered HTTP 400 InvalidApiKey: ERROR!!! InvalidApiKey \(GET \/webmaster\/api\.svc\/json\/GetQueryStats\?siteUrl=https%3A%2F%2Fstudio\.example%2F&apikey=\*\*\*\) \(check the API key in providers\.bingWebmaster\.apiKey/,
    );
    expect(err.message).not.toContain(API_KEY);
    expect(err.message).not.toContain(encodeURIComponent(API_KEY));
  });

  it('treats a fault sent with HTTP 200 as the fault it is', async () => {
    const t = await bing();
    t.server.faults.push('fault-as-200');
    const err = await failure(bingWebmaster.fetchPositions(range, t.deps()));
    expect(err.kind).toBe('auth');
    expect(err.message).toContain('HTTP 200 InvalidApiKey');
  });

  it('reports a plain 401 as an auth error', async () => {
    const t = await bing();
    t.server.faults.push('unauthorized');
    const err = await failure(bingWebmaster.fetchPositions(range, t.deps()));
    expect(err.kind).toBe('auth');
    expect(err.message).toContain('HTTP 401: <html><body><h1>401 - Unauthorized</h1></body></html>');
  });

  it('calls ThrottleUser a quota error and a 429 with Retry-After a rate limit', async () => {
    const t = await bing();
    t.server.faults.push('throttle');
    const throttled = await failure(bingWebmaster.fetchPositions(range, t.deps()));
    expect(throttled.kind).toBe('quota');
    expect(throttled.message).toContain('ThrottleUser');
    t.server.faults.push('rate-limit');
    const limited = await failure(bingWebmaster.fetchPositions(range, t.deps()));
    expect(limited.kind).toBe('rate-limit');
    expect(limited.retryAfterMs).toBe(12_000);
  });

  it('reports a site not verified for the key as an auth error naming rankings.bingSiteUrl', async () => {
    const t = await bing({ sites: ['https://other.example/'] });
    const err = await failure(bingWebmaster.fetchPositions(range, t.deps()));
    expect(err.kind).toBe('auth');
    expect(err.message).toContain('NotAuthorized');
    expect(err.message).toContain('rankings.bingSiteUrl ("https://studio.example/")');
  });

  it('calls a cut-off answer malformed and a 500 an http error', async () => {
    const t = await bing();
    t.server.faults.push('malformed');
    expect((await failure(bingWebmaster.fetchPositions(range, t.deps()))).kind).toBe('malformed');
    t.server.faults.push('server-error');
    const err = await failure(bingWebmaster.fetchPositions(range, t.deps()));
    expect(err.kind).toBe('http');
    expect(err.message).toBe(
      'bing-webmaster: Bing Webmaster answered HTTP 500 InternalError: ERROR!!! InternalError',
    );
  });

  it('says which setting to set when there is no key (its config block requires one)', () => {
    expect(() => testConfig({ providers: { bingWebmaster: {} } })).toThrow(
      /providers\.bingWebmaster\.apiKey/,
    );
  });
});
