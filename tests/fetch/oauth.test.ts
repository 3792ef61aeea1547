// OAuth tokens for the API client against a local token endpoint: a token kept until shortly before it
// expires, renewed after a 401, one request for concurrent callers, a refused grant that says what to
// do, a rotated refresh token, and a service-account JWT that verifies with the key's public half.
import { generateKeyPairSync, verify } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import {
  ApiError,
  apiClient,
  refreshTokenGrant,
  serviceAccountGrant,
  signServiceAccountJwt,
  parseServiceAccountKey,
  tokenCache,
  type ApiDeps,
} from '../../src/fetch/index.ts';
import { FakeClock, localServer } from '../helpers.ts';

/** A token endpoint that hands out tok-1, tok-2, … and records each form it was posted. */
async function tokenEndpoint(answer?: (n: number, res: ServerResponse) => boolean, delayMs = 0) {
  const forms: URLSearchParams[] = [];
  const base = await localServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      forms.push(new URLSearchParams(body));
      const n = forms.length;
      setTimeout(() => {
        if (answer?.(n, res)) return;
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ access_token: `tok-${n}`, expires_in: 3600, token_type: 'Bearer' }));
      }, delayMs);
    });
  });
  return { url: `${base}token`, forms };
}

function grantFor(tokenUrl: string, refreshToken = 'refresh-secret-1') {
  return refreshTokenGrant({
    service: 'Google',
    tokenUrl,
    clientId: 'client-1',
    clientSecret: 'client-secret-1',
    refreshToken,
    settings: 'ads.googleAds',
  });
}

describe('tokenCache()', () => {
  it('keeps a token until five minutes before it expires, then asks for a new one', async () => {
    const clock = new FakeClock(Date.parse('2026-11-01T09:00:00Z'));
    const deps: ApiDeps = { fetch, now: clock.now };
    const ep = await tokenEndpoint();
    const cache = tokenCache();
    const grant = grantFor(ep.url);
    expect(await cache.token(grant, deps)).toBe('tok-1');
    clock.advance(54 * 60_000);
    expect(await cache.token(grant, deps)).toBe('tok-1');
    clock.advance(2 * 60_000);
    expect(await cache.token(grant, deps)).toBe('tok-2');
    expect(Object.fromEntries(ep.forms[0]!)).toEqual({
      grant_type: 'refresh_token',
      refresh_token: 'refresh-secret-1',
      client_id: 'client-1',
      client_secret: 'client-secret-1',
    });
  });

  it('makes one token request for callers at the same moment, and renews a refused token once', async () => {
    const deps: ApiDeps = { fetch, now: () => new Date('2026-11-01T09:00:00Z') };
    const ep = await tokenEndpoint(undefined, 50);
    const cache = tokenCache();
    const grant = grantFor(ep.url);
    const first = await Promise.all([1, 2, 3].map(() => cache.token(grant, deps)));
    expect(first).toEqual(['tok-1', 'tok-1', 'tok-1']);
    // Three requests saw tok-1 refused at once: one renewal serves them all.
    const renewed = await Promise.all([1, 2, 3].map(() => cache.token(grant, deps, 'tok-1')));
    expect(renewed).toEqual(['tok-2', 'tok-2', 'tok-2']);
    expect(ep.forms.length).toBe(2);
  });

  it('keeps separate tokens for separate credentials', async () => {
    const deps: ApiDeps = { fetch, now: () => new Date('2026-11-01T09:00:00Z') };
    const ep = await tokenEndpoint();
    const cache = tokenCache();
    expect(await cache.token(grantFor(ep.url, 'refresh-a-1234'), deps)).toBe('tok-1');
    expect(await cache.token(grantFor(ep.url, 'refresh-b-1234'), deps)).toBe('tok-2');
    expect(await cache.token(grantFor(ep.url, 'refresh-a-1234'), deps)).toBe('tok-1');
  });

  it('turns invalid_grant into an auth error that says what to do, without the secrets', async () => {
    const deps: ApiDeps = { fetch, now: () => new Date('2026-11-01T09:00:00Z') };
    const ep = await tokenEndpoint((_n, res) => {
      res
        .writeHead(400, { 'content-type': 'application/json' })
        .end(
          '{"error":"invalid_grant","error_description":"Token has been expired or revoked: refresh-secret-1"}',
        );
      return true;
    });
    const err = await tokenCache()
      .token(grantFor(ep.url), deps)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    const e = err as ApiError;
    expect([e.kind, e.status, e.code]).toEqual(['auth', 400, 'invalid_grant']);
    expect(e.message).toMatch(
      /^the Google token endpoint http:\/\/127\.0\.0\.1:\d+ answered HTTP 400 invalid_grant: Token has been expired or revoked: \*\*\* \(the refresh token was revoked or has expired: authorise promowatch again and put the new refresh token in ads\.googleAds\.refreshToken\)$/,
    );
  });

  it('does not keep a failed token request: the next call asks again', async () => {
    const deps: ApiDeps = { fetch, now: () => new Date('2026-11-01T09:00:00Z') };
    const ep = await tokenEndpoint((n, res) => (n === 1 ? (res.writeHead(503).end('busy'), true) : false));
    const cache = tokenCache();
    const err = (await cache.token(grantFor(ep.url), deps).catch((e: unknown) => e)) as ApiError;
    expect([err.kind, err.status]).toEqual(['http', 503]);
    expect(await cache.token(grantFor(ep.url), deps)).toBe('tok-2');
  });

  it('hands a rotated refresh token to the grant', async () => {
    const deps: ApiDeps = { fetch, now: () => new Date('2026-11-01T09:00:00Z') };
    const ep = await tokenEndpoint((_n, res) => {
      res.writeHead(200).end('{"access_token":"a-1","refresh_token":"rotated-2","expires_in":3600}');
      return true;
    });
    const rotated: string[] = [];
    const grant = refreshTokenGrant({
      service: 'Microsoft',
      tokenUrl: ep.url,
      clientId: 'c',
      refreshToken: 'r-1234',
      scope: 'https://ads.microsoft.com/msads.manage offline_access',
      settings: 'ads.microsoftAds',
      onRefreshToken: (t) => rotated.push(t),
    });
    expect(await tokenCache().token(grant, deps)).toBe('a-1');
    expect(rotated).toEqual(['rotated-2']);
    expect(ep.forms[0]!.get('scope')).toBe('https://ads.microsoft.com/msads.manage offline_access');
    expect(ep.forms[0]!.has('client_secret')).toBe(false);
  });
});

describe('apiClient() with a token source', () => {
  it('sends the bearer token, renews it once after a 401, and scrubs it from errors', async () => {
    const deps: ApiDeps = { fetch, now: () => new Date('2026-11-01T09:00:00Z') };
    const ep = await tokenEndpoint();
    const auths: string[] = [];
    const api = await localServer((req, res) => {
      auths.push(req.headers.authorization ?? '');
      if (req.headers.authorization === 'Bearer tok-1') return void res.writeHead(401).end('expired');
      res.writeHead(403).end(`forbidden for ${req.headers.authorization}`);
    });
    const client = apiClient(deps, { service: 'Google Ads', auth: tokenCache().source(grantFor(ep.url)) });
    const err = (await client.request(api).catch((e: unknown) => e)) as ApiError;
    expect(auths).toEqual(['Bearer tok-1', 'Bearer tok-2']);
    expect([err.kind, err.status]).toEqual(['auth', 403]);
    expect(err.message).not.toContain('tok-2');
  });
});

describe('service-account JWT', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const keyFile = JSON.stringify({
    type: 'service_account',
    client_email: 'watch@studio.iam.gserviceaccount.com',
    private_key: pem,
    private_key_id: 'kid-1',
  });

  it('signs an RS256 assertion that verifies with the public key and carries the claims', () => {
    const key = parseServiceAccountKey(keyFile, 'providers.googleSearchConsole.serviceAccountKey');
    const now = new Date('2026-11-01T09:00:00Z');
    const jwt = signServiceAccountJwt(key, 'scope-a', 'https://oauth2.example/token', now);
    const [h, c, s] = jwt.split('.');
    expect(verify('sha256', Buffer.from(`${h}.${c}`), publicKey, Buffer.from(s!, 'base64url'))).toBe(true);
    expect(JSON.parse(Buffer.from(h!, 'base64url').toString())).toEqual({
      alg: 'RS256',
      typ: 'JWT',
      kid: 'kid-1',
    });
    const iat = now.getTime() / 1000;
    expect(JSON.parse(Buffer.from(c!, 'base64url').toString())).toEqual({
      iss: 'watch@studio.iam.gserviceaccount.com',
      scope: 'scope-a',
      aud: 'https://oauth2.example/token',
      iat,
      exp: iat + 3600,
    });
  });

  it('trades the assertion for a token at the configured endpoint', async () => {
    const deps: ApiDeps = { fetch, now: () => new Date('2026-11-01T09:00:00Z') };
    const ep = await tokenEndpoint();
    const grant = serviceAccountGrant({
      key: parseServiceAccountKey(keyFile, 'k'),
      scope: 'https://www.googleapis.com/auth/webmasters.readonly',
      tokenUrl: ep.url,
      setting: 'providers.googleSearchConsole.serviceAccountKey',
    });
    expect(await tokenCache().token(grant, deps)).toBe('tok-1');
    const form = ep.forms[0]!;
    expect(form.get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
    const [h, c, s] = form.get('assertion')!.split('.');
    expect(verify('sha256', Buffer.from(`${h}.${c}`), publicKey, Buffer.from(s!, 'base64url'))).toBe(true);
  });

  it('refuses a key file without a private key, never echoing the file', () => {
    const bad = '{"client_email":"x@y","private_key":"not-a-key-but-secret"}';
    expect(() => parseServiceAccountKey(bad, 'providers.googleSearchConsole.serviceAccountKey')).toThrow(
      /^providers\.googleSearchConsole\.serviceAccountKey does not hold a service-account key file/,
    );
    try {
      parseServiceAccountKey(bad, 's');
    } catch (e) {
      expect((e as Error).message).not.toContain('not-a-key-but-secret');
    }
  });
});
