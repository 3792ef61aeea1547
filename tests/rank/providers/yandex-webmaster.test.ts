import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  parsePopularQueries,
  parseQueryHistory,
  parseUserId,
  parseYandexError,
  yandexWebmaster,
} from '../../../src/rank/providers/yandex-webmaster.ts';
import { ProviderError, type DepsOf, type QueryStat } from '../../../src/rank/types.ts';
import { localServer, testConfig } from '../../helpers.ts';
import {
  yandexQueryId,
  yandexWebmasterHandler,
  type YandexWebmasterServerOptions,
} from '../../servers/yandex-webmaster.ts';

const fixture = (name: string) =>
  readFileSync(new URL(`../../fixtures/rank/${name}`, import.meta.url), 'utf8');

const TOKEN = 'y0_AgAAAABsecret-oauth-token';
const HOST = 'https:studio.example:443';
const range = { property: HOST, from: '2026-11-20', to: '2026-11-22' };

function stat(
  day: string,
  query: string,
  impressions: number,
  clicks: number,
  position: number | null,
): QueryStat {
  return { day, query, page: '', device: '', country: '', clicks, impressions, position };
}

/** Five queries over three days (one day without shows for "motion design"). */
const rows: QueryStat[] = [
  stat('2026-11-20', 'видеостудия москва', 200, 9, 4.5),
  stat('2026-11-21', 'видеостудия москва', 180, 6, 4.75),
  stat('2026-11-22', 'видеостудия москва', 210, 8, 4.25),
  stat('2026-11-20', 'студия "Луч" 📸', 40, 1, 8),
  stat('2026-11-22', 'студия "Луч" 📸', 35, 0, 9.5),
  stat('2026-11-21', "it's a 'quoted' query", 30, 2, 2),
  stat('2026-11-20', 'motion design', 20, 0, 15),
  stat('2026-11-22', 'motion design', 12, 0, 17),
  stat('2026-11-21', 'видеосъёмка/монтаж?', 10, 1, 6),
  // Outside the range: must neither rank nor come back.
  stat('2026-11-19', 'видеостудия москва', 999, 99, 1),
];

async function yandex(opts: Partial<YandexWebmasterServerOptions> = {}) {
  const server = yandexWebmasterHandler({ rows, token: TOKEN, hosts: [HOST], ...opts });
  const base = await localServer(server);
  // rowLimit: smaller pages than the API's 500 (a test knob, not a config option).
  const deps = (
    settings: Partial<DepsOf<typeof yandexWebmaster>['settings']> & { rowLimit?: number } = {},
  ): DepsOf<typeof yandexWebmaster> => ({
    fetch: globalThis.fetch,
    now: () => new Date('2026-11-27T06:00:00Z'),
    settings: { baseUrl: base, oauthToken: TOKEN, ...settings },
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

const sorted = (list: QueryStat[]) =>
  [...list].sort((a, b) =>
    a.query + a.day < b.query + b.day ? -1 : a.query + a.day > b.query + b.day ? 1 : 0,
  );

describe('Yandex Webmaster parsers', () => {
  it('parseUserId() reads the numeric user_id as text', () => {
    expect(parseUserId('{"user_id":1130000012345678}')).toBe('1130000012345678');
    expect(() => parseUserId('{}')).toThrow(ProviderError);
  });

  it('parsePopularQueries() reads ids, texts and the total count', () => {
    expect(parsePopularQueries(fixture('yandex-webmaster-popular.json'))).toEqual({
      queries: [
        { id: '5f1c0a7e9b2d4c11', text: 'видеостудия москва' },
        { id: 'a08b', text: 'студия "Луч" 📸' },
      ],
      count: 2,
    });
  });

  it('parseQueryHistory() makes one row per day with shows or clicks inside the range, in Moscow days', () => {
    const history = fixture('yandex-webmaster-history.json');
    const expected = [
      stat('2026-11-19', 'видеостудия москва', 180, 6, 4.9),
      stat('2026-11-20', 'видеостудия москва', 210, 9, 4.4),
    ];
    expect(parseQueryHistory(history, 'видеостудия москва', '2026-11-18', '2026-11-20')).toEqual(expected);
    // The documentation's example wraps the same object in "queries": […].
    const wrapped = `{"queries":[${history}]}`;
    expect(parseQueryHistory(wrapped, 'видеостудия москва', '2026-11-18', '2026-11-20')).toEqual(expected);
  });

  it('parseQueryHistory() leaves the position empty on a day without an AVG_SHOW_POSITION point', () => {
    const body = JSON.stringify({
      indicators: {
        TOTAL_SHOWS: [{ date: '2026-11-20T00:00:00.000+03:00', value: 3 }],
        TOTAL_CLICKS: [{ date: '2026-11-20T00:00:00.000+03:00', value: 1 }],
      },
    });
    expect(parseQueryHistory(body, 'q', '2026-11-20', '2026-11-20')).toEqual([
      stat('2026-11-20', 'q', 3, 1, null),
    ]);
  });

  it('parseQueryHistory() calls a point without a date malformed', () => {
    const body = '{"indicators":{"TOTAL_SHOWS":[{"value":3}]}}';
    expect(() => parseQueryHistory(body, 'q', '2026-11-20', '2026-11-20')).toThrow(/malformed|date/);
  });

  it('parseYandexError() reads error_code and error_message', () => {
    expect(
      parseYandexError('{"error_code":"HOST_NOT_VERIFIED","host_id":"http:ya.ru:80","error_message":"x"}'),
    ).toEqual({ code: 'HOST_NOT_VERIFIED', message: 'x' });
  });
});

describe('yandexWebmaster.fetchPositions()', () => {
  it('is the "yandex-webmaster" stats provider for Yandex', () => {
    expect(yandexWebmaster).toMatchObject({
      kind: 'stats',
      id: 'yandex-webmaster',
      capabilities: { engines: ['yandex'] },
    });
  });

  it("reads the user id, pages popular queries by offset and reads each query's daily history", async () => {
    const t = await yandex();
    const got = await yandexWebmaster.fetchPositions(range, t.deps({ rowLimit: 2 }));
    expect(sorted(got)).toEqual(sorted(rows.filter((r) => r.day >= range.from)));
    const kinds = t.server.requests.map((r) => r.endpoint);
    expect(kinds).toEqual(['user', 'popular', 'popular', 'popular', ...Array<string>(5).fill('history')]);
    const popular = t.server.requests.filter((r) => r.endpoint === 'popular');
    expect(popular.map((r) => r.params.get('offset'))).toEqual(['0', '2', '4']);
    expect(popular[0]!.path).toBe(
      '/v4/user/1130000012345678/hosts/https%3Astudio.example%3A443/search-queries/popular',
    );
    expect([...popular[0]!.params.entries()]).toEqual([
      ['order_by', 'TOTAL_SHOWS'],
      ['query_indicator', 'TOTAL_SHOWS'],
      ['query_indicator', 'TOTAL_CLICKS'],
      ['query_indicator', 'AVG_SHOW_POSITION'],
      ['query_indicator', 'AVG_CLICK_POSITION'],
      ['date_from', '2026-11-20'],
      ['date_to', '2026-11-22'],
      ['offset', '0'],
      ['limit', '2'],
    ]);
    const history = t.server.requests.find((r) => r.endpoint === 'history')!;
    expect(history.path).toBe(
      `/v4/user/1130000012345678/hosts/https%3Astudio.example%3A443/search-queries/${yandexQueryId('видеостудия москва')}/history`,
    );
    expect(history.params.getAll('query_indicator')).toEqual([
      'TOTAL_SHOWS',
      'TOTAL_CLICKS',
      'AVG_SHOW_POSITION',
    ]);
    expect(t.server.requests.every((r) => r.authorization === `OAuth ${TOKEN}`)).toBe(true);
  });

  it('reports every call (user, each page of popular queries, each history) through onRequest', async () => {
    const t = await yandex();
    let requests = 0;
    await yandexWebmaster.fetchPositions(range, {
      ...t.deps({ rowLimit: 2 }),
      onRequest: () => void requests++,
    });
    expect(requests).toBe(9);
    expect(t.server.requests).toHaveLength(9);
  });

  it('asks for 500 queries a page unless told otherwise', async () => {
    const t = await yandex();
    await yandexWebmaster.fetchPositions(range, t.deps());
    expect(
      t.server.requests.filter((r) => r.endpoint === 'popular').map((r) => r.params.get('limit')),
    ).toEqual(['500']);
  });

  it('stops paging at the top 3,000 queries even when the count says more', async () => {
    const offsets: string[] = [];
    let histories = 0;
    const base = await localServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      res.writeHead(200, { 'content-type': 'application/json' });
      if (url.pathname === '/v4/user') return res.end('{"user_id":1}');
      if (url.pathname.endsWith('/history')) {
        histories++;
        return res.end('{"indicators":{}}');
      }
      const offset = Number(url.searchParams.get('offset'));
      offsets.push(String(offset));
      const queries = Array.from({ length: 500 }, (_, i) => ({
        query_id: `q${offset + i}`,
        query_text: `q${offset + i}`,
      }));
      res.end(JSON.stringify({ queries, count: 10_000 }));
    });
    const deps = {
      fetch: globalThis.fetch,
      now: () => new Date('2026-11-23T06:00:00Z'),
      settings: { baseUrl: base, oauthToken: TOKEN },
    };
    expect(await yandexWebmaster.fetchPositions(range, deps)).toEqual([]);
    expect(offsets).toEqual(['0', '500', '1000', '1500', '2000', '2500']);
    expect(histories).toBe(3000);
  });

  it('returns nothing for a host without queries', async () => {
    const t = await yandex({ rows: [] });
    expect(await yandexWebmaster.fetchPositions(range, t.deps())).toEqual([]);
    expect(t.server.requests.map((r) => r.endpoint)).toEqual(['user', 'popular']);
  });

  it('reports a token the API refuses (403 INVALID_OAUTH_TOKEN) as an auth error without the token', async () => {
    const t = await yandex({ token: 'another-token' });
    const err = await failure(yandexWebmaster.fetchPositions(range, t.deps()));
    expect(err.kind).toBe('auth');
    expect(err.message).toBe(
      'yandex-webmaster: Yandex Webmaster answered HTTP 403 INVALID_OAUTH_TOKEN: OAuth token is missing or invalid (get a new OAuth token with Webmaster access and put it in providers.yandexWebmaster.oauthToken)',
    );
  });

  it('reports an expired token (401) as an auth error', async () => {
    const t = await yandex();
    t.server.faults.push('expired-token');
    expect((await failure(yandexWebmaster.fetchPositions(range, t.deps()))).kind).toBe('auth');
  });

  it('reports a host not verified for the account as an auth error naming rankings.yandexHostId', async () => {
    const t = await yandex({ hosts: ['https:other.example:443'] });
    const err = await failure(yandexWebmaster.fetchPositions(range, t.deps()));
    expect(err.kind).toBe('auth');
    expect(err.message).toContain('HTTP 404 HOST_NOT_VERIFIED');
    expect(err.message).toContain('rankings.yandexHostId ("https:studio.example:443"');
  });

  it('calls QUOTA_EXCEEDED a quota error and a 429 with Retry-After a rate limit, even midway', async () => {
    const t = await yandex();
    t.server.faults.push({ on: 'history', fault: 'quota' });
    const quota = await failure(yandexWebmaster.fetchPositions(range, t.deps()));
    expect(quota.kind).toBe('quota');
    expect(quota.message).toContain('HTTP 429 QUOTA_EXCEEDED: Daily request quota exceeded');
    t.server.faults.push({ on: 'popular', fault: 'rate-limit' });
    const limited = await failure(yandexWebmaster.fetchPositions(range, t.deps()));
    expect(limited.kind).toBe('rate-limit');
    expect(limited.retryAfterMs).toBe(5000);
  });

  it('calls a cut-off answer malformed and a 500 an http error', async () => {
    const t = await yandex();
    t.server.faults.push({ on: 'popular', fault: 'malformed' });
    expect((await failure(yandexWebmaster.fetchPositions(range, t.deps()))).kind).toBe('malformed');
    t.server.faults.push('server-error');
    const err = await failure(yandexWebmaster.fetchPositions(range, t.deps()));
    expect(err.kind).toBe('http');
    expect(err.message).toBe(
      'yandex-webmaster: Yandex Webmaster answered HTTP 500 INTERNAL_ERROR: Internal error',
    );
  });

  it('says which setting to set when there is no token (its config block requires one)', () => {
    expect(() => testConfig({ providers: { yandexWebmaster: {} } })).toThrow(
      /providers\.yandexWebmaster\.oauthToken/,
    );
  });

  it('keeps the token out of messages even when a server echoes it', async () => {
    const base = await localServer((req, res) => {
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`upstream refused ${req.headers.authorization}`);
    });
    const err = await failure(
      yandexWebmaster.fetchPositions(range, {
        fetch: globalThis.fetch,
        now: () => new Date('2026-11-23T06:00:00Z'),
        settings: { baseUrl: base, oauthToken: TOKEN },
      }),
    );
    expect(err.message).toBe(
      'yandex-webmaster: Yandex Webmaster answered HTTP 502: upstream refused OAuth ***',
    );
  });
});
