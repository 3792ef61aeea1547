// OAuth 2.0 access tokens for API clients: a cache per connector, and the two grants our connectors use —
// a refresh token (RFC 6749 §6; Google, Microsoft) and a Google service account's signed JWT
// (RFC 7523; https://developers.google.com/identity/protocols/oauth2/service-account#authorizingrequests).
import { createHash, sign } from 'node:crypto';
import { ApiError } from './api-error.ts';
import { apiClient, type ApiDeps, type TokenSource } from './client.ts';
import { retryAfterMs } from './retry.ts';
import { bodyExcerpt, scrub } from './secrets.ts';

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
/** Tokens are renewed this long before they run out (or at half their life, if that is sooner). */
const DEFAULT_MARGIN_MS = 5 * 60_000;

/** How to obtain a token from one token endpoint with one set of credentials. */
export interface OAuthGrant {
  /** Whose token endpoint, for messages: "Google", "Microsoft". */
  service: string;
  tokenUrl: string;
  /** The form posted to the token endpoint; `now` dates a signed assertion. */
  form(now: Date): Record<string, string>;
  /** Scrubbed from every message; also what the cache keys on (hashed). */
  secrets: readonly string[];
  /** What a person should do when the endpoint refuses the grant (RFC 6749 §5.2 `code`). */
  refusedHint(code: string | undefined): string;
  /** Called with a new refresh token when the endpoint rotates it (Microsoft does). */
  onRefreshToken?: (refreshToken: string) => void;
  /** Cache key parts besides the URL and secrets (a client id). */
  keyParts?: readonly string[];
}

export interface RefreshTokenGrantOptions {
  service: string;
  tokenUrl: string;
  clientId: string;
  /** Public clients (Microsoft's desktop flow) have none. */
  clientSecret?: string;
  refreshToken: string;
  scope?: string;
  /** The config path of these settings, for messages: "ads.googleAds". */
  settings: string;
  /** Overrides the "authorise again" advice for invalid_grant (a provider's own words). */
  invalidGrantHint?: string;
  onRefreshToken?: (refreshToken: string) => void;
}

export function refreshTokenGrant(o: RefreshTokenGrantOptions): OAuthGrant {
  return {
    service: o.service,
    tokenUrl: o.tokenUrl,
    keyParts: [o.clientId],
    secrets: [o.refreshToken, ...(o.clientSecret ? [o.clientSecret] : [])],
    form: () => ({
      grant_type: 'refresh_token',
      refresh_token: o.refreshToken,
      client_id: o.clientId,
      ...(o.clientSecret ? { client_secret: o.clientSecret } : {}),
      ...(o.scope ? { scope: o.scope } : {}),
    }),
    refusedHint: (code) =>
      code === 'invalid_grant'
        ? (o.invalidGrantHint ??
          `the refresh token was revoked or has expired: authorise promowatch again and put the new refresh token in ${o.settings}.refreshToken`)
        : `check ${o.settings}.clientId${o.clientSecret ? ' and clientSecret' : ''}`,
    ...(o.onRefreshToken ? { onRefreshToken: o.onRefreshToken } : {}),
  };
}

/** The fields of a service-account key file (the JSON downloaded from Google Cloud) that signing needs. */
export interface ServiceAccountKey {
  client_email: string;
  private_key: string;
  private_key_id?: string;
  token_uri?: string;
}

/** Reads a service-account key file's text. Never echoes the text: it holds the private key. */
export function parseServiceAccountKey(text: string, setting: string): ServiceAccountKey {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    v = undefined;
  }
  const o = (v ?? {}) as Record<string, unknown>;
  if (
    typeof o.client_email !== 'string' ||
    typeof o.private_key !== 'string' ||
    !o.private_key.includes('PRIVATE KEY')
  )
    throw new ApiError(
      'auth',
      `${setting} does not hold a service-account key file (JSON with client_email and private_key); put the whole downloaded JSON file in that variable`,
      { service: 'Google' },
    );
  return {
    client_email: o.client_email,
    private_key: o.private_key,
    ...(typeof o.private_key_id === 'string' ? { private_key_id: o.private_key_id } : {}),
    ...(typeof o.token_uri === 'string' ? { token_uri: o.token_uri } : {}),
  };
}

/** The RS256-signed assertion a service account trades for an access token; valid for the maximum hour. */
export function signServiceAccountJwt(
  key: ServiceAccountKey,
  scope: string,
  audience: string,
  now: Date,
  setting = 'the service-account key',
): string {
  const iat = Math.floor(now.getTime() / 1000);
  const header = { alg: 'RS256', typ: 'JWT', ...(key.private_key_id ? { kid: key.private_key_id } : {}) };
  const claims = { iss: key.client_email, scope, aud: audience, iat, exp: iat + 3600 };
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  let signature: Buffer;
  try {
    signature = sign('sha256', Buffer.from(input), key.private_key);
  } catch {
    throw new ApiError(
      'auth',
      `the private_key in ${setting} is not a readable RSA key; download a new JSON key for ${key.client_email}`,
      { service: 'Google' },
    );
  }
  return `${input}.${signature.toString('base64url')}`;
}

export interface ServiceAccountGrantOptions {
  key: ServiceAccountKey;
  scope: string;
  /** Default: the key file's token_uri, else Google's. */
  tokenUrl?: string;
  /** The config path of the key, for messages: "providers.googleSearchConsole.serviceAccountKey". */
  setting: string;
}

export function serviceAccountGrant(o: ServiceAccountGrantOptions): OAuthGrant {
  const tokenUrl = o.tokenUrl ?? o.key.token_uri ?? 'https://oauth2.googleapis.com/token';
  return {
    service: 'Google',
    tokenUrl,
    keyParts: [o.key.client_email, o.scope],
    secrets: [o.key.private_key],
    form: (now) => ({
      grant_type: JWT_BEARER,
      assertion: signServiceAccountJwt(o.key, o.scope, tokenUrl, now, o.setting),
    }),
    refusedHint: () =>
      `check the key of ${o.key.client_email} in ${o.setting} and that this machine's clock is right`,
  };
}

interface Held {
  token: string;
  expiresAt: number;
}

export interface TokenCache {
  /** A TokenSource for apiClient({ auth }). */
  source(grant: OAuthGrant): TokenSource;
  /** A valid token for `grant`; `refused` is one the API just refused (renewed unless already renewed). */
  token(grant: OAuthGrant, deps: ApiDeps, refused?: string): Promise<string>;
}

/**
 * Access tokens per credentials, kept until shortly before they expire. Callers at the same moment share
 * one token request, and a token refused by several concurrent requests is renewed once.
 */
export function tokenCache(opts: { marginMs?: number } = {}): TokenCache {
  const margin = opts.marginMs ?? DEFAULT_MARGIN_MS;
  const held = new Map<string, Promise<Held>>();

  async function token(grant: OAuthGrant, deps: ApiDeps, refused?: string): Promise<string> {
    const key = cacheKey(grant);
    const cached = held.get(key);
    if (cached) {
      const t = await cached.catch(() => undefined);
      if (t && t.token !== refused && deps.now().getTime() < t.expiresAt) return t.token;
      // Another caller may have started the renewal while we waited.
      const now = held.get(key);
      if (now && now !== cached) return token(grant, deps, refused);
    }
    const pending = requestToken(grant, deps, margin);
    held.set(key, pending);
    pending.catch(() => {
      if (held.get(key) === pending) held.delete(key);
    });
    return (await pending).token;
  }

  return {
    token,
    source: (grant) => ({ secrets: grant.secrets, token: (deps, refused) => token(grant, deps, refused) }),
  };
}

async function requestToken(grant: OAuthGrant, deps: ApiDeps, margin: number): Promise<Held> {
  const url = new URL(grant.tokenUrl);
  const service = `the ${grant.service} token endpoint ${url.origin}`;
  const secrets = [...grant.secrets];
  const api = apiClient(deps, { service, secrets, timeoutMs: 30_000, maxBytes: 1 << 20 });
  const answer = await api.request(url, { method: 'POST', form: grant.form(deps.now()), statuses: 'any' });
  const o = isObject(answer.body) ? answer.body : undefined;
  const text = answer.raw.toString('utf8');
  if (answer.status !== 200) {
    // {"error":"invalid_grant","error_description":"…"} (RFC 6749 §5.2)
    const code = typeof o?.error === 'string' ? o.error : undefined;
    const about =
      typeof o?.error_description === 'string'
        ? o.error_description.split(/\r?\n/)[0]!
        : code
          ? ''
          : bodyExcerpt(text, secrets);
    const what = `${service} answered HTTP ${answer.status}${code ? ` ${code}` : ''}${about ? `: ${about}` : ''}`;
    const details = {
      service,
      status: answer.status,
      excerpt: bodyExcerpt(text, secrets),
      headers: answer.headers,
      ...(code ? { code } : {}),
    };
    if (answer.status === 429) {
      const retry = retryAfterMs(answer.headers.get('retry-after'), deps.now());
      throw new ApiError('rate-limit', scrub(what, secrets), {
        ...details,
        ...(retry !== undefined ? { retryAfterMs: retry } : {}),
      });
    }
    if (answer.status >= 500)
      throw new ApiError(
        'http',
        scrub(`${what} (${grant.service}'s side; trying later can help)`, secrets),
        details,
      );
    throw new ApiError('auth', scrub(`${what} (${grant.refusedHint(code)})`, secrets), details);
  }
  if (!o || typeof o.access_token !== 'string' || o.access_token === '')
    throw new ApiError(
      'parse',
      `${service} answered without an access_token: ${bodyExcerpt(text, secrets)}`,
      {
        service,
        status: answer.status,
      },
    );
  if (typeof o.refresh_token === 'string' && o.refresh_token !== '') grant.onRefreshToken?.(o.refresh_token);
  const ttlMs = (typeof o.expires_in === 'number' && o.expires_in > 0 ? o.expires_in : 3600) * 1000;
  return { token: o.access_token, expiresAt: deps.now().getTime() + ttlMs - Math.min(margin, ttlMs / 2) };
}

function cacheKey(grant: OAuthGrant): string {
  const parts = [grant.tokenUrl, ...(grant.keyParts ?? []), ...grant.secrets];
  return createHash('sha256').update(parts.join('\u0000')).digest('hex');
}

function b64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
