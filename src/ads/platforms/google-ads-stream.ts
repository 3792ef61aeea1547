// Google Ads' searchStream answers, read: daily campaign rows, the account's facts, and the error body
// (GoogleAdsFailure). Pure: google-ads.ts sends the requests.
// searchStream: https://developers.google.com/google-ads/api/rest/reference/rest/v26/customers.googleAds/searchStream
// JSON mapping (int64 as strings, zero values omitted): https://developers.google.com/google-ads/api/rest/design/json-mappings
// Errors: https://developers.google.com/google-ads/api/docs/get-started/common-errors and
// https://developers.google.com/google-ads/api/reference/rpc/v26/QuotaErrorDetails
import { bodyExcerpt } from '../../fetch/index.ts';
import { AdsError, decimalToMicros, type AdsErrorKind, type DailyRow, type PlatformName } from '../types.ts';

/** Who Google Ads is, for its messages (the platform object in google-ads.ts spreads it). */
export const GOOGLE_ADS_NAME: PlatformName = {
  id: 'google-ads',
  name: 'Google Ads',
  label: { en: 'Google Ads', ru: 'Google Ads' },
};
const SELF = GOOGLE_ADS_NAME;
export const CUSTOMER_QUERY =
  'SELECT customer.currency_code, customer.time_zone, customer.descriptive_name FROM customer';
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

export function errorKind(httpStatus: number, e: GoogleAdsErrorInfo): AdsErrorKind {
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
export function describe(e: GoogleAdsErrorInfo, httpStatus: number, hint: string): string {
  const detail = e.failures.length
    ? e.failures.map((f) => `${f.errorCode}: ${f.message}`).join('; ')
    : `${e.reason ? `${e.reason}: ` : ''}${e.message ?? ''}`;
  const id = e.requestId ? ` (request id ${e.requestId})` : '';
  return `searchStream answered HTTP ${httpStatus}${e.status ? ` ${e.status}` : ''}: ${detail}${id}${hint ? ` — ${hint}` : ''}`;
}

export function malformed(message: string): AdsError {
  return new AdsError(SELF, 'malformed', message);
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
