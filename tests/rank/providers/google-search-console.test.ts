import { generateKeyPairSync, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  createSearchConsoleProvider,
  googleSearchConsole,
  parseGoogleError,
  parseSearchAnalytics,
  parseServiceAccountKey,
  signServiceAccountJwt,
} from '../../../src/rank/providers/google-search-console.ts';
import { ProviderError, type ProviderDeps, type QueryStat } from '../../../src/rank/types.ts';
import { closedPortUrl, FakeClock, localServer } from '../../helpers.ts';
import {
  searchConsoleHandler,
  type GscServerOptions,
} from '../../../src/demo/servers/google-search-console.ts';

const fixture = (name: string) =>
  readFileSync(new URL(`../../fixtures/rank/${name}`, import.meta.url), 'utf8');

const CLIENT_ID = '1234-abc.apps.googleusercontent.com';
const CLIENT_SECRET = 'GOCSPX-client-secret-7f3a';
const REFRESH_TOKEN = '1//0g-refresh-token-9Qx2';
const PROPERTY = 'sc-domain:studio.example';
const range = { property: PROPERTY, from: '2026-11-20', to: '2026-11-26' };

const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PRIVATE_PEM = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const SA_EMAIL = 'rank-reader@promowatch-test.iam.gserviceaccount.com';

function stat(day: string, query: string, clicks: number, extra: Partial<QueryStat> = {}): QueryStat {
  return {
    day,
    query,
    page: 'https://studio.example/',
    device: 'desktop',
    country: 'rus',
    clicks,
    impressions: clicks * 10 + 5,
    position: 4.5,
    ...extra,
  };
}

/** Seven rows over three days, with distinct clicks so the server's order (clicks, highest first) is fixed. */
const seven: QueryStat[] = [
  stat('2026-11-20', 'video studio', 9),
  stat('2026-11-20', 'видеостудия', 8, { device: 'mobile', page: 'https://studio.example/ru/' }),
  stat('2026-11-21', 'video studio', 7),
  stat('2026-11-21', 'motion design', 6, { country: 'usa' }),
  stat('2026-11-22', 'video studio', 5, { device: 'tablet' }),
  stat('2026-11-22', 'видеостудия', 4),
  stat('2026-11-22', 'motion design', 3, { position: 11.25 }),
];

async function gsc(
  opts: Partial<GscServerOptions> = {},
  clock = new FakeClock(Date.parse('2026-11-27T06:00:00Z')),
) {
  const server = searchConsoleHandler({
    rows: seven,
    oauth: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, refreshToken: REFRESH_TOKEN },
    serviceAccount: { clientEmail: SA_EMAIL, publicKey },
    now: () => clock.t,
    ...opts,
  });
  const base = await localServer(server);
  const deps = (settings: Record<string, unknown> = {}): ProviderDeps => ({
    fetch: globalThis.fetch,
    now: clock.now,
    settings: {
      baseUrl: base,
      tokenUrl: `${base}token`,
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      refreshToken: REFRESH_TOKEN,
      ...settings,
    },
  });
  return { server, base, deps, clock, provider: createSearchConsoleProvider() };
}

async function failure(p: Promise<unknown>): Promise<ProviderError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ProviderError);
  return err as ProviderError;
}

const byClicks = (rows: QueryStat[]) => [...rows].sort((a, b) => b.clicks - a.clicks);

describe('Search Console parsers', () => {
  it('parseSearchAnalytics() maps keys in date, query, page, device, country order and lowers the device', () => {
    expect(parseSearchAnalytics(fixture('gsc-search-analytics.json'))).toEqual([
      {
        day: '2026-11-20',
        query: 'видеостудия москва',
        page: 'https://studio.example/ru/',
        device: 'mobile',
        country: 'rus',
        clicks: 14,
        impressions: 310,
        position: 3.2451612903225806,
      },
      {
        day: '2026-11-20',
        query: 'motion design studio',
        page: 'https://studio.example/',
        device: 'desktop',
        country: 'usa',
        clicks: 3,
        impressions: 120,
        position: 7.4,
      },
      {
        day: '2026-11-21',
        query: 'студия "Луч" 📸',
        page: 'https://studio.example/ru/contacts?utm=a&b=c',
        device: 'tablet',
        country: 'kaz',
        clicks: 0,
        impressions: 2,
        position: 41,
      },
    ]);
  });

  it('parseSearchAnalytics() reads an answer without a rows key as no rows', () => {
    expect(parseSearchAnalytics(fixture('gsc-search-analytics-empty.json'))).toEqual([]);
  });

  it('parseSearchAnalytics() calls a cut-off answer and a row with too few keys malformed', () => {
    for (const body of [
      '{"rows":[{"keys":["2026-',
      '{"rows":[{"keys":["2026-11-20","q"],"clicks":1,"impressions":2}]}',
    ]) {
      expect(() => parseSearchAnalytics(body)).toThrow(ProviderError);
      try {
        parseSearchAnalytics(body);
      } catch (e) {
        expect((e as ProviderError).kind).toBe('malformed');
      }
    }
  });

  it('parseGoogleError() reads the status, message and first reason', () => {
    expect(parseGoogleError(fixture('gsc-error-permission.json'))).toEqual({
      status: 'PERMISSION_DENIED',
      reason: 'forbidden',
      message:
        "User does not have sufficient permission for site 'sc-domain:studio.example'. See also: https://support.google.com/webmasters/answer/2451999.",
    });
    expect(parseGoogleError('<html>502</html>')).toEqual({});
  });

  it('signServiceAccountJwt() signs one-hour claims for the read-only scope that verify with the public key', () => {
    const now = new Date('2026-11-27T06:00:00Z');
    const jwt = signServiceAccountJwt(
      { client_email: SA_EMAIL, private_key: PRIVATE_PEM, private_key_id: 'k1' },
      'https://oauth2.googleapis.com/token',
      now,
    );
    const [h, c, s] = jwt.split('.') as [string, string, string];
    expect(JSON.parse(Buffer.from(h, 'base64url').toString())).toEqual({
      alg: 'RS256',
      typ: 'JWT',
      kid: 'k1',
    });
    expect(JSON.parse(Buffer.from(c, 'base64url').toString())).toEqual({
      iss: SA_EMAIL,
      scope: 'https://www.googleapis.com/auth/webmasters.readonly',
      aud: 'https://oauth2.googleapis.com/token',
      iat: now.getTime() / 1000,
      exp: now.getTime() / 1000 + 3600,
    });
    expect(verify('sha256', Buffer.from(`${h}.${c}`), publicKey, Buffer.from(s, 'base64url'))).toBe(true);
  });

  it('parseServiceAccountKey() refuses text that is not a key file without echoing it', () => {
    let err: unknown;
    try {
      parseServiceAccountKey('{"private_key":"-----BEGIN PRIVATE KEY-----SECRETBYTES"}');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as ProviderError).kind).toBe('auth');
    expect((err as ProviderError).message).toContain('providers.googleSearchConsole.serviceAccountKey');
    expect((err as ProviderError).message).not.toContain('SECRETBYTES');
  });
});

describe('googleSearchConsole.fetchPositions()', () => {
  it('is the "gsc" stats provider for Google', () => {
    expect(googleSearchConsole).toMatchObject({
      kind: 'stats',
      id: 'gsc',
      capabilities: { engines: ['google'] },
    });
  });

  it('pages with startRow until a short page and returns every row', async () => {
    const t = await gsc();
    const rows = await t.provider.fetchPositions(range, t.deps({ rowLimit: 3 }));
    expect(rows).toEqual(byClicks(seven));
    expect(t.server.queries.map((q) => q.body.startRow)).toEqual([0, 3, 6]);
    expect(t.server.queries[0]!.property).toBe(PROPERTY);
    expect(t.server.queries[0]!.body).toEqual({
      startDate: '2026-11-20',
      endDate: '2026-11-26',
      dimensions: ['date', 'query', 'page', 'device', 'country'],
      type: 'web',
      dataState: 'all',
      rowLimit: 3,
      startRow: 0,
    });
  });

  it('reports each startRow page, and a retry with a fresh token, through onRequest', async () => {
    const t = await gsc();
    let requests = 0;
    const counted = (settings: Record<string, unknown> = {}) => ({
      ...t.deps(settings),
      onRequest: () => void requests++,
    });
    await t.provider.fetchPositions(range, counted({ rowLimit: 3 }));
    expect(requests).toBe(3);
    t.server.faults.push('expired-token');
    await t.provider.fetchPositions(range, counted());
    expect(requests).toBe(5);
    expect(t.server.queries).toHaveLength(5);
  });

  it('sends no query once onRequest refuses one (the configured limit is used up)', async () => {
    const t = await gsc();
    let left = 1;
    const err = await failure(
      t.provider.fetchPositions(range, {
        ...t.deps({ rowLimit: 3 }),
        onRequest: () => {
          if (left-- <= 0) throw new ProviderError('gsc', 'quota', 'the request limit is used up');
        },
      }),
    );
    expect(err.kind).toBe('quota');
    expect(t.server.queries).toHaveLength(1);
  });

  it('stops at the empty page (no rows key) that follows an exactly full one', async () => {
    const t = await gsc({ rows: seven.slice(0, 6) });
    const rows = await t.provider.fetchPositions(range, t.deps({ rowLimit: 3 }));
    expect(rows).toHaveLength(6);
    expect(t.server.queries.map((q) => q.body.startRow)).toEqual([0, 3, 6]);
  });

  it('asks for 25,000 rows a page unless told otherwise', async () => {
    const t = await gsc();
    await t.provider.fetchPositions(range, t.deps());
    expect(t.server.queries.map((q) => q.body.rowLimit)).toEqual([25000]);
  });

  it('gives up on a server that ignores startRow and sends full pages past 50,000 rows a day', async () => {
    const row = {
      keys: ['2026-11-20', 'q', 'https://studio.example/', 'DESKTOP', 'rus'],
      clicks: 1,
      impressions: 2,
      position: 3,
    };
    const full = JSON.stringify({ rows: Array<typeof row>(25_000).fill(row) });
    let requests = 0;
    const base = await localServer((req, res) => {
      req.resume();
      req.on('end', () => {
        requests++;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(req.url === '/token' ? '{"access_token":"ya29.t","expires_in":3599}' : full);
      });
    });
    const deps: ProviderDeps = {
      fetch: globalThis.fetch,
      now: () => new Date('2026-11-27T06:00:00Z'),
      settings: {
        baseUrl: base,
        tokenUrl: `${base}token`,
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        refreshToken: REFRESH_TOKEN,
      },
    };
    const oneDay = { property: PROPERTY, from: '2026-11-20', to: '2026-11-20' };
    const err = await failure(createSearchConsoleProvider().fetchPositions(oneDay, deps));
    expect(err.kind).toBe('malformed');
    expect(err.message).toBe('gsc: Search Console kept sending full pages past row 50000');
    expect(requests).toBe(1 + 3);
  });

  it('returns no rows for a property without data', async () => {
    const t = await gsc({ rows: [] });
    expect(await t.provider.fetchPositions(range, t.deps())).toEqual([]);
    expect(t.server.queries).toHaveLength(1);
  });

  it('asks for one token and reuses it for a second pull', async () => {
    const t = await gsc();
    await t.provider.fetchPositions(range, t.deps({ rowLimit: 3 }));
    await t.provider.fetchPositions(range, t.deps());
    expect(t.server.tokenRequests).toEqual([{ grantType: 'refresh_token' }]);
    expect(new Set(t.server.queries.map((q) => q.authorization)).size).toBe(1);
  });

  it('asks for a new token once the cached one is within five minutes of its expiry', async () => {
    const t = await gsc();
    await t.provider.fetchPositions(range, t.deps());
    t.clock.advance((3599 - 300 + 1) * 1000);
    await t.provider.fetchPositions(range, t.deps());
    expect(t.server.tokenRequests).toHaveLength(2);
    expect(new Set(t.server.queries.map((q) => q.authorization)).size).toBe(2);
  });

  it('retries once with a new token when the API refuses the cached one', async () => {
    const t = await gsc();
    await t.provider.fetchPositions(range, t.deps());
    t.server.faults.push('expired-token');
    expect(await t.provider.fetchPositions(range, t.deps())).toHaveLength(7);
    expect(t.server.tokenRequests).toHaveLength(2);
  });

  it('gives up with an auth error when a fresh token is refused too', async () => {
    const t = await gsc();
    t.server.faults.push('expired-token', 'expired-token');
    const err = await failure(t.provider.fetchPositions(range, t.deps()));
    expect(err.kind).toBe('auth');
    expect(err.message).toMatch(
      /^gsc: Search Console answered HTTP 401 UNAUTHENTICATED: Request had invalid/,
    );
  });

  it("signs in as a service account with an RS256 JWT that the server verifies, posting to the key's token_uri", async () => {
    const t = await gsc();
    const key = {
      type: 'service_account',
      client_email: SA_EMAIL,
      private_key: PRIVATE_PEM,
      private_key_id: 'abc123',
      token_uri: `${t.base}token`,
    };
    const deps = t.deps({
      serviceAccountKey: JSON.stringify(key),
      tokenUrl: undefined,
      refreshToken: undefined,
    });
    expect(await t.provider.fetchPositions(range, deps)).toHaveLength(7);
    await t.provider.fetchPositions(range, deps);
    expect(t.server.tokenRequests).toHaveLength(1);
    expect(t.server.tokenRequests[0]).toMatchObject({
      grantType: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      claims: { iss: SA_EMAIL, aud: `${t.base}token` },
    });
  });

  it('reports a service-account key the server does not know as an auth error without the private key', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
    const t = await gsc({ serviceAccount: { clientEmail: SA_EMAIL, publicKey: other } });
    const key = JSON.stringify({ client_email: SA_EMAIL, private_key: PRIVATE_PEM });
    const err = await failure(t.provider.fetchPositions(range, t.deps({ serviceAccountKey: key })));
    expect(err.kind).toBe('auth');
    expect(err.message).toContain('answered HTTP 400 invalid_grant: Invalid JWT Signature.');
    expect(err.message).toContain(SA_EMAIL);
    expect(err.message).not.toContain('PRIVATE KEY');
  });

  it('reports a revoked refresh token as an auth error that says what to do', async () => {
    const t = await gsc();
    t.server.tokenFaults.push('invalid-grant');
    const err = await failure(t.provider.fetchPositions(range, t.deps()));
    expect(err.kind).toBe('auth');
    expect(err.message).toBe(
      `gsc: the Google token endpoint ${t.base.replace(/\/$/, '')} answered HTTP 400 invalid_grant: Token has been expired or revoked. (the refresh token was revoked or has expired: authorize again and put the new token in providers.googleSearchConsole.refreshToken)`,
    );
  });

  it('calls a spent quota (429 RESOURCE_EXHAUSTED without Retry-After) a quota error', async () => {
    const t = await gsc();
    t.server.faults.push('quota');
    const err = await failure(t.provider.fetchPositions(range, t.deps()));
    expect(err.kind).toBe('quota');
    expect(err.message).toContain('HTTP 429 RESOURCE_EXHAUSTED: Search Analytics load quota exceeded');
  });

  it('calls a 429 with Retry-After a rate limit with that wait', async () => {
    const t = await gsc();
    t.server.faults.push('rate-limit');
    const err = await failure(t.provider.fetchPositions(range, t.deps()));
    expect(err.kind).toBe('rate-limit');
    expect(err.retryAfterMs).toBe(30_000);
  });

  it('reports a property the account cannot read as an auth error naming the property', async () => {
    const t = await gsc({ properties: ['sc-domain:other.example'] });
    const err = await failure(t.provider.fetchPositions(range, t.deps()));
    expect(err.kind).toBe('auth');
    expect(err.message).toContain(
      "User does not have sufficient permission for site 'sc-domain:studio.example'",
    );
    expect(err.message).toContain('rankings.searchConsoleProperty');
  });

  it('calls a cut-off answer malformed and a 500 an http error', async () => {
    const t = await gsc();
    t.server.faults.push('malformed');
    expect((await failure(t.provider.fetchPositions(range, t.deps()))).kind).toBe('malformed');
    t.server.faults.push('server-error');
    const err = await failure(t.provider.fetchPositions(range, t.deps()));
    expect(err.kind).toBe('http');
    expect(err.message).toBe('gsc: Search Console answered HTTP 500 INTERNAL: Internal error encountered.');
  });

  it('returns Cyrillic, emoji and quotes in queries and pages unchanged, for a URL-prefix property', async () => {
    const odd = [
      stat('2026-11-21', 'фотостудия «Луч» 📸', 2, { page: 'https://studio.example/ru/фото?a="b"&c=1' }),
      stat('2026-11-21', `it's a "quoted" query`, 1),
    ];
    const property = 'https://studio.example/ru/';
    const t = await gsc({ rows: odd, properties: [property] });
    expect(await t.provider.fetchPositions({ ...range, property }, t.deps())).toEqual(odd);
    expect(t.server.queries[0]!.property).toBe(property);
  });

  it('keeps secrets out of messages even when a server echoes them back', async () => {
    const base = await localServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        if (req.url === '/token') {
          res.writeHead(200, { 'content-type': 'application/json' });
          return res.end(JSON.stringify({ access_token: 'ya29.echoed-access-token', expires_in: 3599 }));
        }
        res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(`bad gateway for ${req.headers.authorization} after ${body.length} bytes`);
      });
    });
    const tokenBase = await localServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            error: 'invalid_grant',
            error_description: `no such grant: ${decodeURIComponent(body)}`,
          }),
        );
      });
    });
    const settings = { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, refreshToken: REFRESH_TOKEN };
    const deps = (tokenUrl: string): ProviderDeps => ({
      fetch: globalThis.fetch,
      now: () => new Date('2026-11-27T06:00:00Z'),
      settings: { ...settings, baseUrl: base, tokenUrl },
    });
    const apiErr = await failure(createSearchConsoleProvider().fetchPositions(range, deps(`${base}token`)));
    const tokenErr = await failure(
      createSearchConsoleProvider().fetchPositions(range, deps(`${tokenBase}token`)),
    );
    expect(apiErr.message).toContain('HTTP 502: bad gateway for Bearer ***');
    expect(tokenErr.message).toContain('no such grant: grant_type=refresh_token&refresh_token=***');
    for (const secret of [CLIENT_SECRET, REFRESH_TOKEN, 'ya29.echoed-access-token'])
      expect(`${apiErr.message}\n${tokenErr.message}`).not.toContain(secret);
  });

  it('says which settings to set when there are no credentials', async () => {
    const err = await failure(
      createSearchConsoleProvider().fetchPositions(range, {
        fetch: globalThis.fetch,
        now: () => new Date('2026-11-27T06:00:00Z'),
        settings: {},
      }),
    );
    expect(err.kind).toBe('auth');
    expect(err.message).toBe(
      'gsc: no credentials: set providers.googleSearchConsole.serviceAccountKey, or clientId, clientSecret and refreshToken together',
    );
  });

  it('reports an unreachable token endpoint as a network error', async () => {
    const dead = await closedPortUrl();
    const err = await failure(
      createSearchConsoleProvider().fetchPositions(range, {
        fetch: globalThis.fetch,
        now: () => new Date('2026-11-27T06:00:00Z'),
        settings: {
          clientId: CLIENT_ID,
          clientSecret: CLIENT_SECRET,
          refreshToken: REFRESH_TOKEN,
          tokenUrl: `${dead}token`,
        },
      }),
    );
    expect(err.kind).toBe('network');
    expect(err.message).toMatch(/could not be reached: .*ECONNREFUSED/);
  });

  it("stops when the caller aborts, with the caller's reason", async () => {
    const t = await gsc();
    const controller = new AbortController();
    controller.abort(new Error('shutting down'));
    await expect(
      t.provider.fetchPositions(range, { ...t.deps(), signal: controller.signal }),
    ).rejects.toThrow('shutting down');
    expect(t.server.tokenRequests).toHaveLength(0);
  });
});
