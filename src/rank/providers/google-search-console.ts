// Google Search Console: pulls Search Analytics rows (day × query × page × device × country) for one property.
// API: https://developers.google.com/webmaster-tools/v1/searchanalytics/query
// OAuth: https://developers.google.com/identity/protocols/oauth2/web-server#offline (refresh token) and
// https://developers.google.com/identity/protocols/oauth2/service-account#authorizingrequests (signed JWT).
import { z } from 'zod';
import { httpUrl, obj, secretRef } from '../../config/fields.ts';
import { endpoints, quotas } from '../../config/example-parts.ts';
import { off } from '../../config/jsonc.ts';
import { quotaFields } from '../quota.ts';
import { createHash, sign } from 'node:crypto';
import { apiRequest, TransportError, type ApiAnswer } from '../../fetch/api-request.ts';
import { bodyExcerpt, retryAfterMs, scrub } from '../../notify/http.ts';
import { ProviderError, type ProviderDeps, type QueryStat, type StatsProvider } from '../types.ts';

const ID = 'gsc';
export const GSC_DEFAULT_BASE_URL = 'https://www.googleapis.com';
export const GSC_DEFAULT_TOKEN_URL = 'https://oauth2.googleapis.com/token';
export const GSC_SCOPE = 'https://www.googleapis.com/auth/webmasters.readonly';
export const GSC_DIMENSIONS = ['date', 'query', 'page', 'device', 'country'] as const;
/** The API's largest page; a page shorter than the asked rowLimit is the last one. */
export const GSC_MAX_ROW_LIMIT = 25_000;
const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
// Google hands out 1-hour tokens; one is reused until 5 minutes before it runs out.
const TOKEN_MARGIN_MS = 5 * 60_000;
const TIMEOUT_MS = 60_000;
const MAX_BODY_BYTES = 32 * 1024 * 1024;
const SETTINGS = 'providers.googleSearchConsole';

/** The fields of a service-account key file (the JSON downloaded from Google Cloud) that signing needs. */
export interface ServiceAccountKey {
  client_email: string;
  private_key: string;
  private_key_id?: string;
  token_uri?: string;
}

type Credentials =
  | { kind: 'refresh-token'; tokenUrl: string; clientId: string; clientSecret: string; refreshToken: string }
  | { kind: 'service-account'; tokenUrl: string; key: ServiceAccountKey };

/** Reads a service-account key file's text. Never echoes the text: it holds the private key. */
export function parseServiceAccountKey(text: string): ServiceAccountKey {
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
    throw new ProviderError(
      ID,
      'auth',
      `${SETTINGS}.serviceAccountKey does not hold a service-account key file (JSON with client_email and private_key); put the whole downloaded JSON file in that variable`,
    );
  return {
    client_email: o.client_email,
    private_key: o.private_key,
    ...(typeof o.private_key_id === 'string' ? { private_key_id: o.private_key_id } : {}),
    ...(typeof o.token_uri === 'string' ? { token_uri: o.token_uri } : {}),
  };
}

/** The RS256-signed assertion a service account trades for an access token; valid for the maximum hour. */
export function signServiceAccountJwt(key: ServiceAccountKey, audience: string, now: Date): string {
  const iat = Math.floor(now.getTime() / 1000);
  const header = { alg: 'RS256', typ: 'JWT', ...(key.private_key_id ? { kid: key.private_key_id } : {}) };
  const claims = { iss: key.client_email, scope: GSC_SCOPE, aud: audience, iat, exp: iat + 3600 };
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  let signature: Buffer;
  try {
    signature = sign('sha256', Buffer.from(input), key.private_key);
  } catch {
    throw new ProviderError(
      ID,
      'auth',
      `the private_key in ${SETTINGS}.serviceAccountKey is not a readable RSA key; download a new JSON key for ${key.client_email}`,
    );
  }
  return `${input}.${signature.toString('base64url')}`;
}

/** `{"access_token","expires_in","token_type"}` from the token endpoint. */
export function parseTokenResponse(body: string): { accessToken: string; expiresInS: number } {
  const o = parseJsonObject(body);
  if (!o || typeof o.access_token !== 'string' || o.access_token === '')
    throw new ProviderError(
      ID,
      'malformed',
      `the token endpoint answered without an access_token: ${bodyExcerpt(body, [])}`,
    );
  const expiresInS = typeof o.expires_in === 'number' && o.expires_in > 0 ? o.expires_in : 3600;
  return { accessToken: o.access_token, expiresInS };
}

/** One page of searchAnalytics/query rows, keyed in GSC_DIMENSIONS order; no `rows` key means no data. */
export function parseSearchAnalytics(body: string): QueryStat[] {
  const o = parseJsonObject(body);
  if (!o)
    throw new ProviderError(
      ID,
      'malformed',
      `Search Console answered with something that is not JSON: ${bodyExcerpt(body, [])}`,
    );
  if (o.rows === undefined) return [];
  if (!Array.isArray(o.rows))
    throw new ProviderError(ID, 'malformed', 'Search Console answered with "rows" that is not a list');
  return o.rows.map((r: unknown, i: number) => {
    const row = (r ?? {}) as Record<string, unknown>;
    const keys = row.keys;
    const ok =
      Array.isArray(keys) &&
      keys.length === GSC_DIMENSIONS.length &&
      keys.every((k) => typeof k === 'string') &&
      /^\d{4}-\d{2}-\d{2}$/.test(keys[0] as string) &&
      typeof row.clicks === 'number' &&
      typeof row.impressions === 'number';
    if (!ok)
      throw new ProviderError(
        ID,
        'malformed',
        `Search Console row ${i} does not have ${GSC_DIMENSIONS.length} keys, clicks and impressions`,
      );
    const [day, query, page, device, country] = keys as string[];
    return {
      day: day!,
      query: query!,
      page: page!,
      // The API says DESKTOP / MOBILE / TABLET; keywords say desktop / mobile.
      device: device!.toLowerCase(),
      // ISO 3166-1 alpha-3 in lower case ("rus", "usa"), as the API gives it.
      country: country!,
      clicks: row.clicks as number,
      impressions: row.impressions as number,
      position: typeof row.position === 'number' ? row.position : null,
    };
  });
}

/** A Google API error: `{"error":{"code","message","status","errors":[{"reason"}]}}`. */
export function parseGoogleError(body: string): { message?: string; status?: string; reason?: string } {
  const e = parseJsonObject(body)?.error;
  if (!e || typeof e !== 'object') return {};
  const o = e as Record<string, unknown>;
  const first = Array.isArray(o.errors) ? ((o.errors[0] ?? {}) as Record<string, unknown>) : {};
  return {
    ...(typeof o.message === 'string' ? { message: o.message } : {}),
    ...(typeof o.status === 'string' ? { status: o.status } : {}),
    ...(typeof first.reason === 'string' ? { reason: first.reason } : {}),
  };
}

/**
 * A Search Console provider with its own access-token cache (tokens are kept per credentials until five
 * minutes before they expire, and concurrent pulls share one token request). The module's
 * `googleSearchConsole` is one such provider; tests make fresh ones.
 */
/** The `providers.googleSearchConsole` block: an OAuth client with a refresh token, or a service account. */
export const searchConsoleSettingsSchema = obj({
  baseUrl: httpUrl.optional(),
  tokenUrl: httpUrl.optional(),
  clientId: z.string().optional(),
  clientSecret: secretRef.optional(),
  refreshToken: secretRef.optional(),
  serviceAccountKey: secretRef.optional(),
  ...quotaFields,
});

export function createSearchConsoleProvider(): StatsProvider<
  z.output<typeof searchConsoleSettingsSchema>,
  'googleSearchConsole'
> {
  const tokens = new Map<string, Promise<{ token: string; expiresAt: number }>>();

  async function accessToken(
    cred: Credentials,
    deps: ProviderDeps,
    secrets: string[],
    fresh: boolean,
  ): Promise<string> {
    const key = cacheKey(cred);
    const cached = tokens.get(key);
    if (cached && !fresh) {
      const t = await cached;
      if (deps.now().getTime() < t.expiresAt - TOKEN_MARGIN_MS) return t.token;
    }
    const pending = requestToken(cred, deps, secrets);
    tokens.set(key, pending);
    pending.catch(() => {
      if (tokens.get(key) === pending) tokens.delete(key);
    });
    return (await pending).token;
  }

  return {
    kind: 'stats',
    id: ID,
    label: { en: 'Search Console', ru: 'Search Console' },
    configKey: 'googleSearchConsole',
    settings: searchConsoleSettingsSchema,
    secrets: ['clientSecret', 'refreshToken', 'serviceAccountKey'],
    example: {
      ...endpoints({ baseUrl: GSC_DEFAULT_BASE_URL, tokenUrl: GSC_DEFAULT_TOKEN_URL }, true),
      clientId: 'your-client-id.apps.googleusercontent.com',
      clientSecret: { env: 'GSC_CLIENT_SECRET' },
      refreshToken: { env: 'GSC_REFRESH_TOKEN' },
      serviceAccountKey: off(
        'Or a service account instead of the OAuth client (its JSON key in the variable):',
        {
          env: 'GSC_SERVICE_ACCOUNT_KEY',
        },
      ),
      ...quotas({}, true),
    },
    colour: '#7c3aed',
    capabilities: {
      engines: ['google'],
      devices: ['desktop', 'mobile'],
      countries: true,
      maxDepth: null,
      fullSerp: false,
      quotaUnit: 'request',
      needsBrowser: false,
      optIn: false,
      pause: null,
      priority: 10,
    },
    // A URL-prefix property; a domain property ("sc-domain:example.com") is set in the config.
    property: (u) => `${u.origin}/`,
    propertySetting: 'searchConsoleProperty',
    async fetchPositions(req, deps) {
      const cred = credentials(deps.settings);
      const secrets =
        cred.kind === 'refresh-token' ? [cred.clientSecret, cred.refreshToken] : [cred.key.private_key];
      const base = withSlash(setting(deps.settings, 'baseUrl') ?? GSC_DEFAULT_BASE_URL);
      const url = new URL(
        `webmasters/v3/sites/${encodeURIComponent(req.property)}/searchAnalytics/query`,
        base,
      );
      const rowLimit = rowLimitSetting(deps.settings);
      // The API serves at most 50,000 rows a day; more than that means it is paging wrongly.
      const days = Math.round((Date.parse(req.to) - Date.parse(req.from)) / 86_400_000) + 1;
      const maxRows = 50_000 * (days > 1 ? days : 1);
      const post = async (body: string, fresh: boolean) => {
        const token = await accessToken(cred, deps, secrets, fresh);
        // Each query (every startRow page, and a retry with a fresh token) counts against the quota.
        deps.onRequest?.();
        const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
        const answer = await send(deps, url, { method: 'POST', headers, body }, [...secrets, token]);
        return { token, answer };
      };
      const out: QueryStat[] = [];
      for (let startRow = 0; startRow <= maxRows; startRow += rowLimit) {
        // dataState "all" includes the fresh, not yet final days, which later pulls re-read and replace.
        const body = JSON.stringify({
          startDate: req.from,
          endDate: req.to,
          dimensions: GSC_DIMENSIONS,
          type: 'web',
          dataState: 'all',
          rowLimit,
          startRow,
        });
        let { token, answer } = await post(body, false);
        // A token revoked or expired early: drop it and try once with a new one.
        if (answer.status === 401) ({ token, answer } = await post(body, true));
        if (answer.status !== 200)
          throw apiError(answer, req.property, cred, deps.now(), [...secrets, token]);
        const rows = parseSearchAnalytics(answer.body);
        for (const r of rows) out.push(r);
        if (rows.length < rowLimit) return out;
      }
      throw new ProviderError(ID, 'malformed', `Search Console kept sending full pages past row ${maxRows}`);
    },
  };
}

export const googleSearchConsole = createSearchConsoleProvider();

/** A service-account key wins when both it and a refresh token are set. */
function credentials(settings: Record<string, unknown>): Credentials {
  const keyText = setting(settings, 'serviceAccountKey');
  if (keyText) {
    const key = parseServiceAccountKey(keyText);
    return {
      kind: 'service-account',
      key,
      tokenUrl: setting(settings, 'tokenUrl') ?? key.token_uri ?? GSC_DEFAULT_TOKEN_URL,
    };
  }
  const clientId = setting(settings, 'clientId');
  const clientSecret = setting(settings, 'clientSecret');
  const refreshToken = setting(settings, 'refreshToken');
  if (clientId && clientSecret && refreshToken)
    return {
      kind: 'refresh-token',
      tokenUrl: setting(settings, 'tokenUrl') ?? GSC_DEFAULT_TOKEN_URL,
      clientId,
      clientSecret,
      refreshToken,
    };
  throw new ProviderError(
    ID,
    'auth',
    `no credentials: set ${SETTINGS}.serviceAccountKey, or clientId, clientSecret and refreshToken together`,
  );
}

async function requestToken(cred: Credentials, deps: ProviderDeps, secrets: string[]) {
  const form: Record<string, string> =
    cred.kind === 'refresh-token'
      ? {
          grant_type: 'refresh_token',
          refresh_token: cred.refreshToken,
          client_id: cred.clientId,
          client_secret: cred.clientSecret,
        }
      : { grant_type: JWT_BEARER, assertion: signServiceAccountJwt(cred.key, cred.tokenUrl, deps.now()) };
  const url = new URL(cred.tokenUrl);
  const answer = await send(
    deps,
    url,
    {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams(form).toString(),
    },
    secrets,
  );
  if (answer.status !== 200) throw tokenError(answer, url, cred, deps.now(), secrets);
  const t = parseTokenResponse(answer.body);
  return { token: t.accessToken, expiresAt: deps.now().getTime() + t.expiresInS * 1000 };
}

/** Token endpoint errors are `{"error":"invalid_grant","error_description":"…"}` (RFC 6749 §5.2). */
function tokenError(
  answer: ApiAnswer,
  url: URL,
  cred: Credentials,
  now: Date,
  secrets: string[],
): ProviderError {
  const o = parseJsonObject(answer.body);
  const code = typeof o?.error === 'string' ? o.error : undefined;
  const text =
    typeof o?.error_description === 'string'
      ? o.error_description
      : code
        ? ''
        : bodyExcerpt(answer.body, secrets);
  const what = `the token endpoint ${url.origin} answered HTTP ${answer.status}${code ? ` ${code}` : ''}${text ? `: ${text}` : ''}`;
  if (answer.status === 429)
    return new ProviderError(
      ID,
      'rate-limit',
      scrub(what, secrets),
      retryAfterMs(answer.headers.get('retry-after'), now) ?? 60_000,
    );
  if (answer.status >= 500)
    return new ProviderError(ID, 'http', scrub(`${what} (Google's side; the next pull retries)`, secrets));
  const hint =
    cred.kind === 'service-account'
      ? `check the key of ${cred.key.client_email} in ${SETTINGS}.serviceAccountKey and that this machine's clock is right`
      : code === 'invalid_grant'
        ? `the refresh token was revoked or has expired: authorize again and put the new token in ${SETTINGS}.refreshToken`
        : `check ${SETTINGS}.clientId and clientSecret`;
  return new ProviderError(ID, 'auth', scrub(`${what} (${hint})`, secrets));
}

function apiError(
  answer: ApiAnswer,
  property: string,
  cred: Credentials,
  now: Date,
  secrets: string[],
): ProviderError {
  const e = parseGoogleError(answer.body);
  const what = `Search Console answered HTTP ${answer.status}${e.status ? ` ${e.status}` : ''}: ${e.message ?? bodyExcerpt(answer.body, secrets)}`;
  const say = (kind: ConstructorParameters<typeof ProviderError>[1], hint?: string, retry?: number) =>
    new ProviderError(ID, kind, scrub(hint ? `${what} (${hint})` : what, secrets), retry);
  const reason = e.reason ?? '';
  if (answer.status === 401 || e.status === 'UNAUTHENTICATED')
    return say('auth', 'a freshly issued access token was refused too; check the credentials');
  if (
    answer.status === 429 ||
    e.status === 'RESOURCE_EXHAUSTED' ||
    /limitexceeded|quotaexceeded/i.test(reason)
  ) {
    // With a Retry-After it is a short burst limit; without one, the daily / per-property quota is spent.
    const retry = retryAfterMs(answer.headers.get('retry-after'), now);
    return retry !== undefined
      ? say('rate-limit', undefined, retry)
      : say('quota', 'the Search Console quota is spent; the next pull retries');
  }
  if (answer.status === 403) {
    const who = cred.kind === 'service-account' ? cred.key.client_email : 'the authorized account';
    return say(
      'auth',
      `add ${who} as a user of "${property}" in Search Console, or fix rankings.searchConsoleProperty`,
    );
  }
  if (answer.status === 404)
    return say(
      'http',
      `check rankings.searchConsoleProperty ("${property}"): "sc-domain:example.com" or the exact URL prefix`,
    );
  return say('http');
}

async function send(deps: ProviderDeps, url: URL, init: RequestInit, secrets: string[]): Promise<ApiAnswer> {
  const limits = { signal: deps.signal, timeoutMs: TIMEOUT_MS, maxBytes: MAX_BODY_BYTES };
  try {
    return await apiRequest(deps.fetch, url, init, limits);
  } catch (err) {
    if (!(err instanceof TransportError)) throw err;
    if (err.kind === 'too-large')
      throw new ProviderError(
        ID,
        'malformed',
        `Search Console sent more than ${MAX_BODY_BYTES >> 20} MiB in one answer`,
      );
    throw new ProviderError(ID, 'network', scrub(err.message, secrets));
  }
}

function rowLimitSetting(settings: Record<string, unknown>): number {
  const v = Number(settings.rowLimit ?? GSC_MAX_ROW_LIMIT);
  return Number.isInteger(v) && v >= 1 && v <= GSC_MAX_ROW_LIMIT ? v : GSC_MAX_ROW_LIMIT;
}

function cacheKey(cred: Credentials): string {
  const parts =
    cred.kind === 'refresh-token'
      ? [cred.tokenUrl, cred.clientId, cred.refreshToken]
      : [cred.tokenUrl, cred.key.client_email, cred.key.private_key];
  return createHash('sha256').update(parts.join('\u0000')).digest('hex');
}

function setting(settings: Record<string, unknown>, key: string): string | undefined {
  const v = settings[key];
  return typeof v === 'string' && v.trim() !== '' ? v : undefined;
}

function withSlash(base: string): string {
  return base.endsWith('/') ? base : `${base}/`;
}

function b64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

function parseJsonObject(body: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(body);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
