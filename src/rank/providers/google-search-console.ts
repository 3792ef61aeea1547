// Google Search Console: pulls Search Analytics rows (day × query × page × device × country) for one property.
// API: https://developers.google.com/webmaster-tools/v1/searchanalytics/query
// OAuth: https://developers.google.com/identity/protocols/oauth2/web-server#offline (refresh token) and
// https://developers.google.com/identity/protocols/oauth2/service-account#authorizingrequests (signed JWT).
import { z } from 'zod';
import { httpUrl, obj, secretRef } from '../../config/fields.ts';
import { endpoints, quotas } from '../../config/example-parts.ts';
import { off } from '../../config/jsonc.ts';
import {
  apiClient,
  bodyExcerpt,
  parseServiceAccountKey as parseKey,
  refreshTokenGrant,
  retryAfterMs,
  scrub,
  serviceAccountGrant,
  signServiceAccountJwt as signJwt,
  tokenCache,
  type OAuthGrant,
  type ServiceAccountKey,
} from '../../fetch/index.ts';
import { asProviderError } from '../provider-errors.ts';
import { quotaFields } from '../quota.ts';
import { ProviderError, type QueryStat, type StatsProvider } from '../types.ts';

export type { ServiceAccountKey } from '../../fetch/index.ts';

const ID = 'gsc';
export const GSC_DEFAULT_BASE_URL = 'https://www.googleapis.com';
export const GSC_DEFAULT_TOKEN_URL = 'https://oauth2.googleapis.com/token';
export const GSC_SCOPE = 'https://www.googleapis.com/auth/webmasters.readonly';
export const GSC_DIMENSIONS = ['date', 'query', 'page', 'device', 'country'] as const;
/** The API's largest page; a page shorter than the asked rowLimit is the last one. */
export const GSC_MAX_ROW_LIMIT = 25_000;
const TIMEOUT_MS = 60_000;
const MAX_BODY_BYTES = 32 * 1024 * 1024;
const SETTINGS = 'providers.googleSearchConsole';

type Credentials =
  | { kind: 'refresh-token'; grant: OAuthGrant }
  | { kind: 'service-account'; grant: OAuthGrant; key: ServiceAccountKey };

/** Reads a service-account key file's text (src/fetch/oauth.ts). Never echoes the text: it holds the private key. */
export function parseServiceAccountKey(text: string): ServiceAccountKey {
  try {
    return parseKey(text, `${SETTINGS}.serviceAccountKey`);
  } catch (err) {
    throw asProviderError(ID, err);
  }
}

/** The RS256-signed assertion for the read-only Search Console scope (src/fetch/oauth.ts signs it). */
export function signServiceAccountJwt(key: ServiceAccountKey, audience: string, now: Date): string {
  try {
    return signJwt(key, GSC_SCOPE, audience, now, `${SETTINGS}.serviceAccountKey`);
  } catch (err) {
    throw asProviderError(ID, err);
  }
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
  // Access tokens per credentials (the shared OAuth cache: kept until five minutes before expiry, one
  // token request for concurrent pulls).
  const tokens = tokenCache();

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
      const api = apiClient(deps, {
        service: 'Search Console',
        baseUrl: deps.settings.baseUrl ?? GSC_DEFAULT_BASE_URL,
        secrets: cred.grant.secrets,
        timeoutMs: TIMEOUT_MS,
        maxBytes: MAX_BODY_BYTES,
      });
      const path = `webmasters/v3/sites/${encodeURIComponent(req.property)}/searchAnalytics/query`;
      const rowLimit = pageSize(deps.settings);
      // The API serves at most 50,000 rows a day; more than that means it is paging wrongly.
      const days = Math.round((Date.parse(req.to) - Date.parse(req.from)) / 86_400_000) + 1;
      const maxRows = 50_000 * (days > 1 ? days : 1);
      // The token is asked for here rather than by the client, so that a retry with a fresh one is a
      // request of its own against the quota.
      const post = async (json: unknown, refused?: string) => {
        let token: string;
        try {
          token = await tokens.token(cred.grant, deps, refused);
        } catch (err) {
          throw asProviderError(ID, err);
        }
        // Each query (every startRow page, and a retry with a fresh token) counts against the quota.
        await deps.onRequest?.();
        try {
          const a = await api.request(path, {
            method: 'POST',
            json,
            headers: { authorization: `Bearer ${token}` },
            secrets: [token],
            expect: 'text',
            statuses: 'any',
          });
          return { token, answer: { status: a.status, headers: a.headers, body: a.body } };
        } catch (err) {
          throw asProviderError(ID, err);
        }
      };
      const out: QueryStat[] = [];
      for (let startRow = 0; startRow <= maxRows; startRow += rowLimit) {
        // dataState "all" includes the fresh, not yet final days, which later pulls re-read and replace.
        const body = {
          startDate: req.from,
          endDate: req.to,
          dimensions: GSC_DIMENSIONS,
          type: 'web',
          dataState: 'all',
          rowLimit,
          startRow,
        };
        let { token, answer } = await post(body);
        // A token revoked or expired early: drop it and try once with a new one.
        if (answer.status === 401) ({ token, answer } = await post(body, token));
        if (answer.status !== 200)
          throw apiError(answer, req.property, cred, deps.now(), [...cred.grant.secrets, token]);
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
function credentials(settings: {
  serviceAccountKey?: string | undefined;
  tokenUrl?: string | undefined;
  clientId?: string | undefined;
  clientSecret?: string | undefined;
  refreshToken?: string | undefined;
}): Credentials {
  if (settings.serviceAccountKey) {
    const key = parseServiceAccountKey(settings.serviceAccountKey);
    const grant = serviceAccountGrant({
      key,
      scope: GSC_SCOPE,
      tokenUrl: settings.tokenUrl ?? key.token_uri ?? GSC_DEFAULT_TOKEN_URL,
      setting: `${SETTINGS}.serviceAccountKey`,
    });
    return { kind: 'service-account', key, grant };
  }
  const { clientId, clientSecret, refreshToken } = settings;
  // Either way of signing in is complete only with all its parts; the schema cannot say "one of two sets".
  if (clientId && clientSecret && refreshToken)
    return {
      kind: 'refresh-token',
      grant: refreshTokenGrant({
        service: 'Google',
        tokenUrl: settings.tokenUrl ?? GSC_DEFAULT_TOKEN_URL,
        clientId,
        clientSecret,
        refreshToken,
        settings: SETTINGS,
        invalidGrantHint: `the refresh token was revoked or has expired: authorize again and put the new token in ${SETTINGS}.refreshToken`,
      }),
    };
  throw new ProviderError(
    ID,
    'auth',
    `no credentials: set ${SETTINGS}.serviceAccountKey, or clientId, clientSecret and refreshToken together`,
  );
}

interface Answer {
  status: number;
  headers: Headers;
  body: string;
}

function apiError(
  answer: Answer,
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

/** Rows a page: the API's largest unless a test asks for smaller pages (not a config option). */
function pageSize(settings: object): number {
  const v = Number((settings as { rowLimit?: number }).rowLimit ?? GSC_MAX_ROW_LIMIT);
  return Number.isInteger(v) && v >= 1 && v <= GSC_MAX_ROW_LIMIT ? v : GSC_MAX_ROW_LIMIT;
}

function parseJsonObject(body: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(body);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
