// The API client against local servers: base URL joining, bodies in and out, typed errors, the time
// limit and the caller's abort, the size cap, Retry-After and the retry budget, and scrubbed messages.
import { describe, expect, it } from 'vitest';
import {
  ApiError,
  apiClient,
  retryBudget,
  scrub,
  shownUrl,
  withSlash,
  type ApiDeps,
} from '../../src/fetch/index.ts';
import { closedPortUrl, FakeClock, localServer } from '../helpers.ts';

const clock = new FakeClock(Date.parse('2026-11-01T09:00:00Z'));
const deps: ApiDeps = { fetch, now: clock.now };

async function failure(p: Promise<unknown>): Promise<ApiError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiError);
  return err as ApiError;
}

/** A server that records each request (method, url, content type, body) and answers with `answer`. */
async function recordingServer(answer: (n: number, res: import('node:http').ServerResponse) => void) {
  const seen: {
    method: string;
    url: string;
    type: string | undefined;
    auth: string | undefined;
    body: string;
  }[] = [];
  const base = await localServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      seen.push({
        method: req.method!,
        url: req.url!,
        type: req.headers['content-type'],
        auth: req.headers.authorization,
        body,
      });
      answer(seen.length, res);
    });
  });
  return { base, seen };
}

describe('apiClient().request()', () => {
  it('joins a relative path to a base URL with one slash and adds the query', async () => {
    const { base, seen } = await recordingServer((_n, res) => res.writeHead(200).end('{"ok":1}'));
    const api = apiClient(deps, { service: 'Test API', baseUrl: `${base}v2` });
    const a = await api.request('/report', { query: { q: 'дизайн студия', skip: undefined, n: 3 } });
    expect(a.body).toEqual({ ok: 1 });
    expect(seen[0]!.url).toBe(
      '/v2/report?q=%D0%B4%D0%B8%D0%B7%D0%B0%D0%B9%D0%BD+%D1%81%D1%82%D1%83%D0%B4%D0%B8%D1%8F&n=3',
    );
    expect(withSlash('https://x/api')).toBe('https://x/api/');
    expect(withSlash('https://x/api/')).toBe('https://x/api/');
  });

  it('sends json, form and raw bodies, and reads text and bytes', async () => {
    const { base, seen } = await recordingServer((_n, res) => res.writeHead(200).end('a,b\n1,2'));
    const api = apiClient(deps, { service: 'Test API', baseUrl: base });
    expect((await api.request('j', { json: { a: 1 }, expect: 'text' })).body).toBe('a,b\n1,2');
    expect((await api.request('f', { form: { grant_type: 'x y' }, expect: 'bytes' })).body).toEqual(
      Buffer.from('a,b\n1,2'),
    );
    await api.request('r', {
      method: 'PUT',
      body: '<xml/>',
      headers: { 'content-type': 'text/xml' },
      expect: 'text',
    });
    expect(seen.map((s) => [s.method, s.type, s.body])).toEqual([
      ['POST', 'application/json; charset=utf-8', '{"a":1}'],
      ['POST', 'application/x-www-form-urlencoded', 'grant_type=x+y'],
      ['PUT', 'text/xml', '<xml/>'],
    ]);
  });

  it('does not follow a redirect, and says where it points without its path', async () => {
    const base = await localServer((_req, res) =>
      res.writeHead(302, { location: 'https://elsewhere.example/hook/SECRETPATH' }).end(),
    );
    const err = await failure(
      apiClient(deps, { service: 'Hook' }).request(base, { method: 'POST', json: {} }),
    );
    expect([err.kind, err.status]).toEqual(['http', 302]);
    expect(err.message).toContain('redirects to https://elsewhere.example;');
    expect(err.message).not.toContain('SECRETPATH');
  });

  it('types the failures by status: auth, rate-limit with Retry-After in seconds, http', async () => {
    const base = await localServer((req, res) => {
      if (req.url === '/401') return void res.writeHead(401).end('{"error":"bad key"}');
      if (req.url === '/429') return void res.writeHead(429, { 'retry-after': '7' }).end('slow down');
      res.writeHead(500).end('  oops \n\n  broken ');
    });
    const api = apiClient(deps, { service: 'Test API', baseUrl: base });
    const auth = await failure(api.request('401'));
    expect([auth.kind, auth.status, auth.body]).toEqual(['auth', 401, '{"error":"bad key"}']);
    expect(auth.message).toMatch(/^Test API answered HTTP 401: \{"error":"bad key"\}/);
    const rate = await failure(api.request('429'));
    expect([rate.kind, rate.retryAfterMs, rate.transient]).toEqual(['rate-limit', 7000, true]);
    const http = await failure(api.request('500'));
    expect([http.kind, http.excerpt, http.transient]).toEqual(['http', 'oops broken', true]);
  });

  it('reads a Retry-After HTTP date against the injected clock', async () => {
    const at = new Date(clock.t + 90_000).toUTCString();
    const base = await localServer((_req, res) => res.writeHead(503, { 'retry-after': at }).end());
    const err = await failure(apiClient(deps, { service: 'Test API' }).request(base));
    expect([err.kind, err.retryAfterMs]).toEqual(['http', 90_000]);
  });

  it('returns a non-2xx answer for the caller to read when asked', async () => {
    const base = await localServer((_req, res) => res.writeHead(400).end('{"ok":false,"error_code":400}'));
    const a = await apiClient(deps, { service: 'Test API' }).request(base, { statuses: 'any' });
    expect([a.status, a.body]).toEqual([400, { ok: false, error_code: 400 }]);
  });

  it('says a 2xx body that is not JSON is unreadable', async () => {
    const base = await localServer((_req, res) => res.writeHead(200).end('<html>login</html>'));
    const err = await failure(apiClient(deps, { service: 'Test API' }).request(base));
    expect(err.kind).toBe('parse');
    expect(err.message).toBe('Test API answered with something that is not JSON: <html>login</html>');
  });

  it('stops reading past the size cap', async () => {
    const base = await localServer((_req, res) => res.writeHead(200).end('x'.repeat(5000)));
    const err = await failure(apiClient(deps, { service: 'Test API', maxBytes: 1024 }).request(base));
    expect(err.kind).toBe('too-large');
    expect(err.message).toMatch(/^Test API \(http:\/\/127\.0\.0\.1:\d+\) sent more than 1024 bytes/);
  });

  it('gives up on a server that never answers, saying how long it waited', async () => {
    const base = await localServer(() => {});
    const err = await failure(apiClient(deps, { service: 'Test API', timeoutMs: 200 }).request(base));
    expect(err.kind).toBe('timeout');
    expect(err.message).toMatch(/could not be reached: no answer within 0\.2 s/);
  });

  it('names the service and origin when nothing listens, never the query', async () => {
    const base = await closedPortUrl();
    const api = apiClient(deps, { service: 'SerpApi', baseUrl: base });
    const err = await failure(api.request('search', { query: { api_key: 'k-123456' } }));
    expect(err.kind).toBe('unreachable');
    expect(err.message).toContain(`SerpApi (${new URL(base).origin}) could not be reached`);
    expect(err.message).not.toContain('k-123456');
  });

  it("rethrows the caller's abort reason as it is, during a request and during a retry wait", async () => {
    const hanging = await localServer(() => {});
    const stop = new AbortController();
    const reason = new Error('shutting down');
    setTimeout(() => stop.abort(reason), 50);
    const api = apiClient({ ...deps, signal: stop.signal }, { service: 'Test API' });
    await expect(api.request(hanging)).rejects.toBe(reason);

    const limited = await localServer((_req, res) => res.writeHead(429, { 'retry-after': '30' }).end());
    const stop2 = new AbortController();
    setTimeout(() => stop2.abort(reason), 50);
    const started = Date.now();
    const api2 = apiClient({ ...deps, signal: stop2.signal }, { service: 'Test API' });
    await expect(api2.request(limited, { retry: retryBudget({ maxTotalWaitMs: 60_000 }) })).rejects.toBe(
      reason,
    );
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe('retries within a budget', () => {
  it('waits what Retry-After asks and then succeeds', async () => {
    const { base, seen } = await recordingServer((n, res) =>
      n < 3 ? res.writeHead(429, { 'retry-after': '0' }).end() : res.writeHead(200).end('{"done":true}'),
    );
    const waits: number[] = [];
    const budget = retryBudget({ sleep: async (ms) => void waits.push(ms) });
    const a = await apiClient(deps, { service: 'Test API' }).request(base, { retry: budget });
    expect(a.body).toEqual({ done: true });
    expect([seen.length, waits, budget.retries]).toEqual([3, [0, 0], 2]);
  });

  it('backs off exponentially when no wait is named, and gives up when the attempts run out', async () => {
    const { base, seen } = await recordingServer((_n, res) => res.writeHead(503).end('down'));
    const waits: number[] = [];
    const budget = retryBudget({ retries: 3, baseMs: 100, sleep: async (ms) => void waits.push(ms) });
    const err = await failure(apiClient(deps, { service: 'Test API' }).request(base, { retry: budget }));
    expect([err.kind, err.status]).toEqual(['http', 503]);
    expect(waits).toEqual([100, 200, 400]);
    expect(seen.length).toBe(4);
  });

  it('does not wait past the total budget, and hands the asked wait on to the caller', async () => {
    const { base, seen } = await recordingServer((_n, res) =>
      res.writeHead(429, { 'retry-after': '120' }).end(),
    );
    const waits: number[] = [];
    const budget = retryBudget({ maxTotalWaitMs: 60_000, sleep: async (ms) => void waits.push(ms) });
    const err = await failure(apiClient(deps, { service: 'Test API' }).request(base, { retry: budget }));
    expect([err.kind, err.retryAfterMs, waits, seen.length]).toEqual(['rate-limit', 120_000, [], 1]);
  });

  it('does not retry what cannot get better (a 400, a refused key)', async () => {
    const { base, seen } = await recordingServer((_n, res) => res.writeHead(400).end('bad request'));
    const budget = retryBudget({ sleep: async () => {} });
    await failure(apiClient(deps, { service: 'Test API' }).request(base, { retry: budget }));
    expect(seen.length).toBe(1);
  });
});

describe('secret scrubbing', () => {
  it('keeps configured secrets and bearer tokens out of messages, excerpts and bodies', async () => {
    const base = await localServer((req, res) =>
      res
        .writeHead(403)
        .end(
          `{"error":"key sk-live-123456 is not allowed","echo":"${req.headers.authorization}","token":"access_token=ya29.abcdefghij"}`,
        ),
    );
    const api = apiClient(deps, {
      service: 'Test API',
      secrets: ['sk-live-123456'],
      headers: { authorization: 'Bearer opaque-bearer-token-xyz' },
    });
    const err = await failure(
      api.request(`${base}bot987654:SECRETTOKEN/send`, { secrets: ['987654:SECRETTOKEN'] }),
    );
    for (const text of [err.message, err.excerpt!, err.body!]) {
      expect(text).not.toMatch(/sk-live-123456|opaque-bearer-token-xyz|ya29\.abcdefghij|SECRETTOKEN/);
      expect(text).toContain('***');
    }
  });

  it('scrub() replaces secrets, tokens in a query or JSON, and leaves the text around them', () => {
    expect(scrub('GET /q?apikey=k-1234567 (check it)', ['k-1234567'])).toBe('GET /q?apikey=*** (check it)');
    expect(scrub('{"access_token":"ya29.a0AfB_byC","x":1}', [])).toBe('{"access_token":"***","x":1}');
    expect(scrub('Authorization: Bearer eyJhbGciOi.xyz', [])).toBe('Authorization: Bearer ***');
    expect(scrub('short ab stays', ['ab'])).toBe('short ab stays');
    expect(shownUrl(new URL('https://api.telegram.org/bot123:ABCDEF/sendMessage?x=1'), ['123:ABCDEF'])).toBe(
      'https://api.telegram.org/bot***/sendMessage',
    );
  });
});
