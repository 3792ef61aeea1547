// Google Ads: pulls daily campaign metrics and the account's currency, time zone and name through the REST API.
// searchStream: https://developers.google.com/google-ads/api/rest/reference/rest/v26/customers.googleAds/searchStream
// JSON mapping (int64 as strings, zero values omitted): https://developers.google.com/google-ads/api/rest/design/json-mappings
// Errors: https://developers.google.com/google-ads/api/docs/get-started/common-errors and
// https://developers.google.com/google-ads/api/reference/rpc/v26/QuotaErrorDetails
// OAuth (refresh token): https://developers.google.com/identity/protocols/oauth2/web-server#offline
import { createHash } from 'node:crypto';
import { apiRequest, TransportError, type ApiAnswer } from '../../fetch/api-request.ts';
import { z } from 'zod';
import { note, off } from '../../config/jsonc.ts';
import { bodyExcerpt, retryAfterMs, scrub } from '../../notify/http.ts';
import { googleAdsCsv } from '../imports/google-ads-csv.ts';
import {
  AdsError,
  decimalToMicros,
  type AdPlatform,
  type PlatformName,
  type AdsErrorKind,
  type DailyRow,
  type PlatformDeps,
} from '../types.ts';

const SELF: PlatformName = {
  id: 'google-ads',
  name: 'Google Ads',
  label: { en: 'Google Ads', ru: 'Google Ads' },
};
export const GOOGLE_ADS_DEFAULT_BASE_URL = 'https://googleads.googleapis.com';
export const GOOGLE_ADS_DEFAULT_TOKEN_URL = 'https://oauth2.googleapis.com/token';
// v21 and v22 were sunset in August and October 2026; v26 is the version Google recommends starting with
// (https://developers.google.com/google-ads/api/docs/sunset-dates).
export const GOOGLE_ADS_DEFAULT_API_VERSION = 'v26';
export const CUSTOMER_QUERY =
  'SELECT customer.currency_code, customer.time_zone, customer.descriptive_name FROM customer';
const SETTINGS = 'providers.googleAds';
// Google hands out 1-hour tokens; one is reused until shortly before it runs out.
const TOKEN_MARGIN_MS = 5 * 60_000;
const TIMEOUT_MS = 120_000;
const MAX_BODY_BYTES = 64 * 1024 * 1024;
/** Rate limits: at most this many waits per pull, together no longer than MAX_WAIT_MS. */
const MAX_WAITS = 2;
const MAX_WAIT_MS = 60_000;
const DEFAULT_BACKOFF_MS = 10_000;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Daily campaign metrics between two days (inclusive), in the account's time zone. */
export function campaignDailyQuery(from: string, to: string): string {
  if (!DAY.test(from) || !DAY.test(to))
    throw new AdsError(SELF, 'http', `days must be YYYY-MM-DD, got "${from}" and "${to}"`);
  return (
    'SELECT segments.date, campaign.id, campaign.name, metrics.impressions, metrics.clicks, ' +
    'metrics.cost_micros, metrics.conversions, metrics.conversions_value FROM campaign ' +
    `WHERE segments.date BETWEEN '${from}' AND '${to}'`
  );
}

/** One error of a GoogleAdsFailure, its code named like the client libraries do: `QueryError.BAD_FIELD_NAME`. */
export interface GoogleAdsFailureItem {
  errorCode: string;
  message: string;
  retryDelayMs?: number;
}

export interface GoogleAdsErrorInfo {
  code?: number;
  status?: string;
  message?: string;
  failures: GoogleAdsFailureItem[];
  /** google.rpc.ErrorInfo's reason, when Google's front end answered rather than Google Ads itself. */
  reason?: string;
  requestId?: string;
  /** The longest wait any part of the error asks for (QuotaErrorDetails.retryDelay, google.rpc.RetryInfo). */
  retryDelayMs?: number;
}

/**
 * A Google Ads error body: `{"error":{…}}`, or the same object as an element of a searchStream array (a
 * stream can fail after its first batches). Undefined when the body holds no error.
 */
export function parseGoogleAdsError(body: string): GoogleAdsErrorInfo | undefined {
  const v = parseJson(body);
  const holder = Array.isArray(v) ? v.find((x) => isObject(x) && isObject(x.error)) : v;
  if (!isObject(holder) || !isObject(holder.error)) return undefined;
  const e = holder.error;
  const info: GoogleAdsErrorInfo = { failures: [] };
  if (typeof e.code === 'number') info.code = e.code;
  if (typeof e.status === 'string') info.status = e.status;
  if (typeof e.message === 'string') info.message = e.message;
  const delays: number[] = [];
  for (const d of Array.isArray(e.details) ? e.details : []) {
    if (!isObject(d)) continue;
    const type = typeof d['@type'] === 'string' ? d['@type'] : '';
    if (type.endsWith('.errors.GoogleAdsFailure')) {
      if (typeof d.requestId === 'string') info.requestId = d.requestId;
      for (const f of Array.isArray(d.errors) ? d.errors : []) {
        if (!isObject(f)) continue;
        const item: GoogleAdsFailureItem = {
          errorCode: errorCodeName(f.errorCode),
          message: typeof f.message === 'string' ? f.message : '',
        };
        const quota =
          isObject(f.details) && isObject(f.details.quotaErrorDetails) ? f.details.quotaErrorDetails : {};
        const delay = durationMs(quota.retryDelay);
        if (delay !== undefined) delays.push((item.retryDelayMs = delay));
        info.failures.push(item);
      }
    } else if (type.endsWith('google.rpc.RetryInfo')) {
      const delay = durationMs(d.retryDelay);
      if (delay !== undefined) delays.push(delay);
    } else if (type.endsWith('google.rpc.ErrorInfo') && typeof d.reason === 'string') {
      info.reason = d.reason;
    }
  }
  if (delays.length) info.retryDelayMs = Math.max(...delays);
  return info;
}

/** Daily rows from a `FROM campaign` searchStream answer; a metric that is absent is 0 (proto3 JSON). */
export function parseSearchStream(body: string): DailyRow[] {
  return streamResults(body).map((r, i) => {
    const campaign = isObject(r.campaign) ? r.campaign : {};
    const segments = isObject(r.segments) ? r.segments : {};
    const m = isObject(r.metrics) ? r.metrics : {};
    const day = segments.date;
    const id = campaign.id;
    if (typeof day !== 'string' || !DAY.test(day) || (typeof id !== 'string' && typeof id !== 'number'))
      throw malformed(`row ${i} has no segments.date (YYYY-MM-DD) or campaign.id`);
    const campaignId = String(id);
    const field = (name: string) => `row ${i} (campaign ${campaignId}, ${day}) metrics.${name}`;
    const conversions = m.conversions ?? 0;
    if (typeof conversions !== 'number' || !Number.isFinite(conversions))
      throw malformed(`${field('conversions')} is not a number`);
    return {
      day,
      campaignId,
      campaignName: typeof campaign.name === 'string' && campaign.name !== '' ? campaign.name : campaignId,
      impressions: int64(m.impressions, field('impressions')),
      clicks: int64(m.clicks, field('clicks')),
      costMicros: int64(m.costMicros, field('costMicros')),
      conversions,
      conversionValueMicros: moneyMicros(m.conversionsValue, field('conversionsValue')),
    };
  });
}

/** The account facts from the `FROM customer` query. */
export function parseCustomer(body: string): { currency?: string; timeZone?: string; name?: string } {
  const c = streamResults(body)[0]?.customer;
  if (!isObject(c)) return {};
  return {
    ...(typeof c.currencyCode === 'string' && c.currencyCode ? { currency: c.currencyCode } : {}),
    ...(typeof c.timeZone === 'string' && c.timeZone ? { timeZone: c.timeZone } : {}),
    ...(typeof c.descriptiveName === 'string' && c.descriptiveName ? { name: c.descriptiveName } : {}),
  };
}

/** Every row of every batch; a stream that ends in an error element throws that error. */
function streamResults(body: string): Record<string, unknown>[] {
  const v = parseJson(body);
  if (!Array.isArray(v))
    throw malformed(
      `searchStream answered with something that is not a JSON array: ${bodyExcerpt(body, [])}`,
    );
  const error = parseGoogleAdsError(body);
  if (error)
    throw new AdsError(SELF, errorKind(error.code ?? 500, error), describe(error, error.code ?? 500, ''));
  const out: Record<string, unknown>[] = [];
  for (const batch of v) {
    if (!isObject(batch)) throw malformed('searchStream answered with a batch that is not an object');
    if (batch.results === undefined) continue;
    if (!Array.isArray(batch.results))
      throw malformed('searchStream answered with "results" that is not a list');
    for (const r of batch.results) {
      if (!isObject(r)) throw malformed('searchStream answered with a row that is not an object');
      out.push(r);
    }
  }
  return out;
}

/** int64 fields come as JSON strings ("1000"); absent means 0. */
function int64(v: unknown, what: string): number {
  if (v === undefined) return 0;
  const n = typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : typeof v === 'number' ? v : NaN;
  if (!Number.isSafeInteger(n)) throw malformed(`${what} is not a whole number: ${JSON.stringify(v)}`);
  return n;
}

/**
 * conversions_value is a double in currency units. toFixed(6) rounds the double's exact value to the
 * nearest micro (1234.56 → "1234.560000"), so no float multiplication touches the money.
 */
function moneyMicros(v: unknown, what: string): number {
  if (v === undefined) return 0;
  const micros =
    typeof v === 'number' && Number.isFinite(v)
      ? decimalToMicros(v.toFixed(6))
      : typeof v === 'string'
        ? decimalToMicros(v)
        : null;
  if (micros === null || !Number.isSafeInteger(micros))
    throw malformed(`${what} is not an amount: ${JSON.stringify(v)}`);
  return micros;
}

/** `{"queryError":"BAD_FIELD_NAME"}` → "QueryError.BAD_FIELD_NAME". */
function errorCodeName(code: unknown): string {
  if (!isObject(code)) return 'UnknownError';
  const [key, value] = Object.entries(code)[0] ?? ['unknownError', 'UNKNOWN'];
  return `${key.charAt(0).toUpperCase()}${key.slice(1)}.${String(value)}`;
}

/** A protobuf Duration in JSON: "30s", "1.5s". */
function durationMs(v: unknown): number | undefined {
  const m = typeof v === 'string' ? /^(\d+)(?:\.(\d{1,9}))?s$/.exec(v) : null;
  if (!m) return undefined;
  return Number(m[1]) * 1000 + Math.round(Number(`0.${m[2] ?? '0'}`) * 1000);
}

const AUTH_STATUSES = new Set(['UNAUTHENTICATED', 'PERMISSION_DENIED']);

function errorKind(httpStatus: number, e: GoogleAdsErrorInfo): AdsErrorKind {
  const codes = e.failures.map((f) => f.errorCode);
  if (
    httpStatus === 429 ||
    e.status === 'RESOURCE_EXHAUSTED' ||
    codes.some((c) => c.startsWith('QuotaError.'))
  )
    return 'quota';
  if (
    httpStatus === 401 ||
    httpStatus === 403 ||
    AUTH_STATUSES.has(e.status ?? '') ||
    codes.some((c) => c.startsWith('AuthenticationError.') || c.startsWith('AuthorizationError.'))
  )
    return 'auth';
  return 'http';
}

/** "answered HTTP 400 INVALID_ARGUMENT: QueryError.BAD_FIELD_NAME: … (request id …)", with a hint. */
function describe(e: GoogleAdsErrorInfo, httpStatus: number, hint: string): string {
  const detail = e.failures.length
    ? e.failures.map((f) => `${f.errorCode}: ${f.message}`).join('; ')
    : `${e.reason ? `${e.reason}: ` : ''}${e.message ?? ''}`;
  const id = e.requestId ? ` (request id ${e.requestId})` : '';
  return `searchStream answered HTTP ${httpStatus}${e.status ? ` ${e.status}` : ''}: ${detail}${id}${hint ? ` — ${hint}` : ''}`;
}

function hintFor(e: GoogleAdsErrorInfo, httpStatus: number, cfg: Settings, customer: string): string {
  const codes = new Set(e.failures.map((f) => f.errorCode));
  if (codes.has('AuthorizationError.USER_PERMISSION_DENIED'))
    return cfg.loginCustomerId
      ? `check that manager account ${dashed(cfg.loginCustomerId)} (${SETTINGS}.loginCustomerId) manages ${customer}, and that the authorised Google account can open it`
      : `the authorised Google account cannot open ${customer}; if it reaches it through a manager account, set ${SETTINGS}.loginCustomerId to the manager's 10-digit id`;
  if (
    codes.has('AuthorizationError.CLOUD_PROJECT_NOT_APPROVED_FOR_PRODUCTION') ||
    codes.has('AuthorizationError.DEVELOPER_TOKEN_NOT_APPROVED')
  )
    return 'the Google Cloud project of the OAuth client only has Test access; apply for Explorer or Basic access on its Google Ads API overview page in the Cloud console';
  if (codes.has('RequestError.DEVELOPER_TOKEN_PARAMETER_MISSING'))
    return `set ${SETTINGS}.developerToken, or use a current ${SETTINGS}.apiVersion`;
  if (codes.has('AuthorizationError.CUSTOMER_NOT_ENABLED'))
    return `${customer} is not enabled or was cancelled in Google Ads`;
  if (httpStatus === 401 || e.status === 'UNAUTHENTICATED')
    return `a freshly issued access token was refused too; check that ${SETTINGS}.clientId, clientSecret and refreshToken belong together and the Google Ads API is enabled in that Cloud project`;
  if (httpStatus >= 500) return "Google's side; the next run retries";
  return '';
}

interface Settings {
  baseUrl: string;
  tokenUrl: string;
  apiVersion: string;
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  developerToken?: string;
  loginCustomerId?: string;
}

function readSettings(s: Record<string, unknown>): Settings {
  const get = (k: string) => {
    const v = s[k];
    return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
  };
  const clientId = get('clientId');
  const clientSecret = get('clientSecret');
  const refreshToken = get('refreshToken');
  if (!clientId || !clientSecret || !refreshToken)
    throw new AdsError(
      SELF,
      'auth',
      `no credentials: set ${SETTINGS}.clientId, clientSecret and refreshToken`,
    );
  const apiVersion = get('apiVersion') ?? GOOGLE_ADS_DEFAULT_API_VERSION;
  if (!/^v\d+$/.test(apiVersion))
    throw new AdsError(
      SELF,
      'http',
      `${SETTINGS}.apiVersion must look like "${GOOGLE_ADS_DEFAULT_API_VERSION}", got "${apiVersion}"`,
    );
  const login = get('loginCustomerId')?.replace(/-/g, '');
  const developerToken = get('developerToken');
  return {
    baseUrl: get('baseUrl') ?? GOOGLE_ADS_DEFAULT_BASE_URL,
    tokenUrl: get('tokenUrl') ?? GOOGLE_ADS_DEFAULT_TOKEN_URL,
    apiVersion,
    clientId,
    clientSecret,
    refreshToken,
    ...(developerToken ? { developerToken } : {}),
    ...(login ? { loginCustomerId: login } : {}),
  };
}

interface Budget {
  waits: number;
  waitedMs: number;
}

/**
 * A Google Ads platform with its own access-token cache (per credentials, until shortly before expiry;
 * concurrent pulls share one token request). `googleAds` is one; tests make fresh ones.
 */
export function createGoogleAds(): AdPlatform {
  const tokens = new Map<string, Promise<{ token: string; expiresAt: number }>>();

  async function accessToken(cfg: Settings, deps: PlatformDeps, secrets: string[], fresh: boolean) {
    const key = createHash('sha256')
      .update([cfg.tokenUrl, cfg.clientId, cfg.refreshToken].join('\u0000'))
      .digest('hex');
    const cached = tokens.get(key);
    if (cached && !fresh) {
      const t = await cached;
      if (deps.now().getTime() < t.expiresAt) return t.token;
    }
    const pending = requestToken(cfg, deps, secrets);
    tokens.set(key, pending);
    pending.catch(() => {
      if (tokens.get(key) === pending) tokens.delete(key);
    });
    return (await pending).token;
  }

  /** One searchStream call: a refused token is renewed once; rate limits are waited out within the budget. */
  async function search(
    query: string,
    customerId: string,
    cfg: Settings,
    deps: PlatformDeps,
    budget: Budget,
  ) {
    const url = new URL(
      `${cfg.apiVersion}/customers/${customerId}/googleAds:searchStream`,
      withSlash(cfg.baseUrl),
    );
    const secrets = [cfg.clientSecret, cfg.refreshToken, ...(cfg.developerToken ? [cfg.developerToken] : [])];
    const customer = `customer ${dashed(customerId)}`;
    let refreshed = false;
    let fresh = false;
    for (;;) {
      const token = await accessToken(cfg, deps, secrets, fresh);
      fresh = false;
      const headers: Record<string, string> = {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        accept: 'application/json',
      };
      // Developer tokens were sunset in September 2026 and are ignored when sent; older setups may still
      // need one, so it goes out only when configured.
      if (cfg.developerToken) headers['developer-token'] = cfg.developerToken;
      if (cfg.loginCustomerId) headers['login-customer-id'] = cfg.loginCustomerId;
      const all = [...secrets, token];
      const answer = await send(deps, url, { method: 'POST', headers, body: JSON.stringify({ query }) }, all);
      // A stream can also fail after it started: HTTP 200 with an error element at the end.
      const e = parseGoogleAdsError(answer.body);
      if (answer.status === 200 && !e) return answer.body;
      const status = answer.status === 200 ? (e?.code ?? 500) : answer.status;
      const info: GoogleAdsErrorInfo = e ?? { failures: [] };
      if ((status === 401 || info.status === 'UNAUTHENTICATED') && !refreshed) {
        // The token was revoked or expired early: drop it and try once with a new one.
        refreshed = fresh = true;
        continue;
      }
      const kind = errorKind(status, info);
      const what = e
        ? describe(info, status, hintFor(info, status, cfg, customer))
        : `searchStream answered HTTP ${status}: ${bodyExcerpt(answer.body, all)}${
            status === 404
              ? ` — check ${SETTINGS}.apiVersion ("${cfg.apiVersion}"; ${GOOGLE_ADS_DEFAULT_API_VERSION} is current) and baseUrl`
              : status >= 500
                ? " — Google's side; the next run retries"
                : ''
          }`;
      const message = scrub(`${customer}: ${what}`, all);
      if (kind !== 'quota') throw new AdsError(SELF, kind, message);
      const wait =
        retryAfterMs(answer.headers.get('retry-after'), deps.now()) ??
        info.retryDelayMs ??
        DEFAULT_BACKOFF_MS * 2 ** budget.waits;
      if (budget.waits >= MAX_WAITS || budget.waitedMs + wait > MAX_WAIT_MS)
        throw new AdsError(SELF, 'quota', `${message} — the next run retries`, wait);
      budget.waits++;
      budget.waitedMs += wait;
      await deps.sleep(wait, deps.signal);
      deps.signal?.throwIfAborted();
    }
  }

  return {
    ...DESCRIPTION,
    async pullDaily(req, deps) {
      deps.signal?.throwIfAborted();
      const cfg = readSettings(deps.settings);
      const customerId = req.account.externalId.replace(/-/g, '');
      if (!/^\d{10}$/.test(customerId))
        throw new AdsError(
          SELF,
          'http',
          `the account's external id "${req.account.externalId}" is not a 10-digit Google Ads customer id`,
        );
      const budget: Budget = { waits: 0, waitedMs: 0 };
      const query = campaignDailyQuery(req.from, req.to);
      const account = parseCustomer(await search(CUSTOMER_QUERY, customerId, cfg, deps, budget));
      const rows = parseSearchStream(await search(query, customerId, cfg, deps, budget));
      const outside = rows.find((r) => r.day < req.from || r.day > req.to);
      if (outside)
        throw malformed(`searchStream answered a row for ${outside.day}, outside ${req.from}…${req.to}`);
      return { status: 'ok', rows, account };
    },
  };
}

/** Everything about Google Ads but the pull (createGoogleAds adds it, with its own token cache). */
const DESCRIPTION: Omit<AdPlatform, 'pullDaily'> = {
  ...SELF,
  configKey: 'googleAds',
  settings: ({ obj, secretRef, httpUrl }) =>
    obj({
      baseUrl: httpUrl.optional(),
      tokenUrl: httpUrl.optional(),
      clientId: z.string().min(1),
      clientSecret: secretRef,
      refreshToken: secretRef,
      developerToken: secretRef.optional(),
      loginCustomerId: z
        .string()
        .regex(/^\d{10}$/, { error: 'must be 10 digits without dashes' })
        .optional(),
      // The REST API version in the path (https://developers.google.com/google-ads/api/rest/overview).
      apiVersion: z
        .string()
        .regex(/^v\d+$/, { error: 'must look like "v26"' })
        .optional(),
    }),
  secrets: ['clientSecret', 'refreshToken', 'developerToken'],
  secretExamples: {
    clientSecret: 'GOOGLE_ADS_CLIENT_SECRET',
    refreshToken: 'ADS_REFRESH_TOKEN',
    developerToken: 'ADS_DEVELOPER_TOKEN',
  },
  colour: '#4285f4',
  defaultLookbackDays: 14,
  endpoints: { baseUrl: GOOGLE_ADS_DEFAULT_BASE_URL, tokenUrl: GOOGLE_ADS_DEFAULT_TOKEN_URL },
  example: {
    clientId: 'your-client-id.apps.googleusercontent.com',
    clientSecret: { env: 'GOOGLE_ADS_CLIENT_SECRET' },
    refreshToken: { env: 'GOOGLE_ADS_REFRESH_TOKEN' },
    developerToken: { env: 'GOOGLE_ADS_DEVELOPER_TOKEN' },
    loginCustomerId: note(
      'The manager account (10 digits, no dashes), when accounts are reached through one.',
      '1234567890',
    ),
    apiVersion: off('The REST API version in the path (a recent one is built in).', 'v21'),
  },
  // Customer ids are shown "123-456-7890" in Google's interface; the API wants the ten digits.
  externalId: {
    normalise: (typed) => typed.trim().replace(/-/g, ''),
    valid: (id) => /^\d{10}$/.test(id),
    rule: { en: '10 digits (dashes allowed)', ru: 'состоять из 10 цифр (дефисы допустимы)' },
  },
  exportFormat: googleAdsCsv,
};

export const googleAds: AdPlatform = createGoogleAds();

async function requestToken(cfg: Settings, deps: PlatformDeps, secrets: string[]) {
  const url = new URL(cfg.tokenUrl);
  const answer = await send(
    deps,
    url,
    {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: cfg.refreshToken,
        client_id: cfg.clientId,
        client_secret: cfg.clientSecret,
      }).toString(),
    },
    secrets,
  );
  const o = parseJson(answer.body);
  if (answer.status !== 200) throw tokenError(answer, isObject(o) ? o : {}, url, deps.now(), secrets);
  if (!isObject(o) || typeof o.access_token !== 'string' || o.access_token === '')
    throw malformed(
      `the token endpoint answered without an access_token: ${bodyExcerpt(answer.body, secrets)}`,
    );
  const ttlMs = (typeof o.expires_in === 'number' && o.expires_in > 0 ? o.expires_in : 3600) * 1000;
  return {
    token: o.access_token,
    expiresAt: deps.now().getTime() + ttlMs - Math.min(TOKEN_MARGIN_MS, ttlMs / 2),
  };
}

/** Token endpoint errors are `{"error":"invalid_grant","error_description":"…"}` (RFC 6749 §5.2). */
function tokenError(answer: ApiAnswer, o: Record<string, unknown>, url: URL, now: Date, secrets: string[]) {
  const code = typeof o.error === 'string' ? o.error : undefined;
  const text =
    typeof o.error_description === 'string'
      ? o.error_description
      : code
        ? ''
        : bodyExcerpt(answer.body, secrets);
  const what = `the token endpoint ${url.origin} answered HTTP ${answer.status}${code ? ` ${code}` : ''}${text ? `: ${text}` : ''}`;
  if (answer.status === 429)
    return new AdsError(
      SELF,
      'quota',
      scrub(what, secrets),
      retryAfterMs(answer.headers.get('retry-after'), now),
    );
  if (answer.status >= 500)
    return new AdsError(SELF, 'http', scrub(`${what} — Google's side; the next run retries`, secrets));
  const hint =
    code === 'invalid_grant'
      ? `the refresh token was revoked or has expired (tokens of a Cloud project left in "Testing" last 7 days): authorise promowatch again and put the new refresh token in ${SETTINGS}.refreshToken`
      : `check ${SETTINGS}.clientId and clientSecret`;
  return new AdsError(SELF, 'auth', scrub(`${what} — ${hint}`, secrets));
}

async function send(deps: PlatformDeps, url: URL, init: RequestInit, secrets: string[]): Promise<ApiAnswer> {
  const limits = { signal: deps.signal, timeoutMs: TIMEOUT_MS, maxBytes: MAX_BODY_BYTES };
  try {
    return await apiRequest(deps.fetch, url, init, limits);
  } catch (err) {
    if (!(err instanceof TransportError)) throw err;
    if (err.kind === 'too-large') throw malformed(`an answer was larger than ${MAX_BODY_BYTES >> 20} MiB`);
    throw new AdsError(SELF, 'network', scrub(err.message, secrets));
  }
}

function malformed(message: string): AdsError {
  return new AdsError(SELF, 'malformed', message);
}

/** 1234567890 → 123-456-7890, as the Google Ads interface shows it. */
function dashed(id: string): string {
  return /^\d{10}$/.test(id) ? `${id.slice(0, 3)}-${id.slice(3, 6)}-${id.slice(6)}` : id;
}

function withSlash(base: string): string {
  return base.endsWith('/') ? base : `${base}/`;
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
