// Meta (Facebook and Instagram ads): pulls one ad account's daily campaign insights from the Marketing API.
// Insights: https://developers.facebook.com/docs/marketing-api/reference/ad-account/insights (level, time_range,
// time_increment; numbers arrive as strings, days in the ad account's time zone, money in its currency).
// Actions: https://developers.facebook.com/docs/marketing-api/reference/ads-action-stats
// Paging: https://developers.facebook.com/docs/graph-api/results (cursor pages, follow paging.next to the end)
// Errors: https://developers.facebook.com/docs/graph-api/guides/error-handling and
// https://developers.facebook.com/docs/marketing-api/error-reference
// Rate limits: https://developers.facebook.com/docs/graph-api/overview/rate-limiting (X-Business-Use-Case-Usage)
import { z } from 'zod';
import { off } from '../../config/jsonc.ts';
import type { SettingsKit } from '../../config/schema.ts';
import { bodyExcerpt, retryAfterMs, scrub, type ApiAnswer } from '../../fetch/index.ts';
import { metaCsv } from '../imports/meta-csv.ts';
import { asAds, platformClient } from './api.ts';
import {
  AdsError,
  decimalToMicros,
  type AdPlatform,
  type PlatformName,
  type ResolvedSettings,
  type DailyRow,
  type PlatformDeps,
  type PullRequest,
  type PullResult,
} from '../types.ts';

const SELF: PlatformName = {
  id: 'meta',
  name: 'Meta',
  label: { en: 'Meta Ads', ru: 'Meta Ads' },
};
export const META_DEFAULT_BASE_URL = 'https://graph.facebook.com';
export const META_DEFAULT_API_VERSION = 'v21.0';
export const META_FIELDS = [
  'campaign_id',
  'campaign_name',
  'impressions',
  'clicks',
  'spend',
  'actions',
  'action_values',
] as const;
/**
 * What counts as a conversion by default: purchases and leads. Meta reports each both as an aggregate
 * (`omni_purchase`, `purchase`, `lead`) and as its parts (`offsite_conversion.fb_pixel_purchase`, …), so
 * summing every type would count one purchase two or three times. Each group takes only the first type the
 * row has. settings.conversionActionTypes replaces this with a plain list whose types are summed as given.
 */
export const META_CONVERSION_GROUPS: readonly (readonly string[])[] = [
  ['omni_purchase', 'purchase', 'offsite_conversion.fb_pixel_purchase'],
  ['lead', 'offsite_conversion.fb_pixel_lead', 'onsite_conversion.lead_grouped'],
];
const SETTINGS = 'providers.meta';
const TIMEOUT_MS = 60_000;
const MAX_BODY_BYTES = 16 << 20;

/** providers.meta: the token, and what a pull may be tuned with. */
const settingsSchema = ({ obj, secretRef, httpUrl }: SettingsKit) =>
  obj({
    baseUrl: httpUrl.optional(),
    accessToken: secretRef,
    apiVersion: z
      .string()
      .regex(/^v\d+\.\d+$/, { error: 'must look like "v21.0"' })
      .optional(),
    // Action types summed as conversions instead of META_CONVERSION_GROUPS (summed as given).
    conversionActionTypes: z.array(z.string().min(1)).min(1).optional(),
    maxRateLimitWaitSeconds: z.number().min(0).max(3600).optional(),
    pageSize: z.number().int().min(1).max(5000).optional(),
  });
type MetaSettings = ResolvedSettings<z.output<ReturnType<typeof settingsSchema>>>;
const DEFAULT_PAGE_SIZE = 500;
const MAX_PAGES = 200;
// One wait for a rate limit per pull, at most this long unless settings.maxRateLimitWaitSeconds says otherwise;
// without a hint from Meta the wait is DEFAULT_RATE_WAIT_MS.
const DEFAULT_MAX_RATE_WAIT_S = 60;
const DEFAULT_RATE_WAIT_MS = 30_000;
// Throttling codes: 4 app, 17 user, 32 page, 613 calls per hour, 80000–80014 business use case limits.
const RATE_CODES = new Set([4, 17, 32, 613]);
const isRateCode = (code: number | undefined) =>
  code !== undefined && (RATE_CODES.has(code) || (code >= 80000 && code <= 80014));

export interface InsightsPage {
  rows: DailyRow[];
  /** paging.next as Meta sent it, or null on the last page. */
  next: string | null;
}

/** The Graph API error object: `{"error":{"message","type","code","error_subcode","fbtrace_id",…}}`. */
export interface MetaError {
  message?: string;
  type?: string;
  code?: number;
  subcode?: number;
  userMessage?: string;
  fbtraceId?: string;
}

/**
 * One page of insights (level=campaign, time_increment=1): the parsed JSON or its text. `conversionTypes`
 * lists action types summed as conversions; by default META_CONVERSION_GROUPS decide.
 */
export function parseInsightsPage(json: unknown, conversionTypes?: readonly string[]): InsightsPage {
  const bad = (why: string) => new AdsError(SELF, 'malformed', `insights ${why}`);
  let v = json;
  if (typeof v === 'string')
    try {
      v = JSON.parse(v);
    } catch {
      throw bad(`answer is not JSON: ${bodyExcerpt(json as string, [])}`);
    }
  const o = v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  if (!o || !Array.isArray(o.data)) throw bad('answer has no "data" list');
  const groups = conversionTypes ? conversionTypes.map((t) => [t]) : META_CONVERSION_GROUPS;
  const rows = o.data.map((item: unknown, i: number): DailyRow => {
    const at = `row ${i + 1}`;
    const r = (item && typeof item === 'object' ? item : {}) as Record<string, unknown>;
    const campaignId = textOf(r.campaign_id);
    if (!campaignId) throw bad(`${at} has no campaign_id`);
    const day = typeof r.date_start === 'string' ? r.date_start : '';
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw bad(`${at} has no date_start like 2026-11-20`);
    if (r.date_stop !== undefined && r.date_stop !== day)
      throw bad(`${at} covers ${day}…${String(r.date_stop)}, not one day (time_increment=1 was asked)`);
    const spend = textOf(r.spend) || '0';
    const costMicros = decimalToMicros(spend);
    if (costMicros === null || costMicros < 0) throw bad(`${at}: spend "${spend}" is not an amount of money`);
    const conversions = pickActions(r.actions, groups, at, bad);
    const values = pickActions(r.action_values, groups, at, bad);
    let conversionValueMicros = 0;
    for (const value of values) {
      const micros = decimalToMicros(value);
      if (micros === null) throw bad(`${at}: action value "${value}" is not an amount of money`);
      conversionValueMicros += micros;
    }
    return {
      day,
      campaignId,
      campaignName: textOf(r.campaign_name),
      impressions: wholeNumber(r.impressions, 'impressions', at, bad),
      clicks: wholeNumber(r.clicks, 'clicks', at, bad),
      costMicros,
      conversions: conversions.reduce((sum, c) => {
        const n = Number(c);
        if (!Number.isFinite(n)) throw bad(`${at}: action count "${c}" is not a number`);
        return sum + n;
      }, 0),
      conversionValueMicros,
    };
  });
  const paging = (o.paging ?? {}) as Record<string, unknown>;
  return { rows, next: typeof paging.next === 'string' && paging.next !== '' ? paging.next : null };
}

/** The values of the chosen action types: per group, those of the first type the row reports. */
function pickActions(
  list: unknown,
  groups: readonly (readonly string[])[],
  at: string,
  bad: (why: string) => AdsError,
): string[] {
  if (list === undefined) return [];
  if (!Array.isArray(list)) throw bad(`${at}: actions is not a list`);
  const stats = list.map((a: unknown) => {
    const s = (a ?? {}) as Record<string, unknown>;
    return { type: textOf(s.action_type), value: textOf(s.value) };
  });
  const out: string[] = [];
  for (const group of groups) {
    const type = group.find((t) => stats.some((s) => s.type === t));
    if (type) for (const s of stats) if (s.type === type) out.push(s.value || '0');
  }
  return out;
}

function wholeNumber(v: unknown, field: string, at: string, bad: (why: string) => AdsError): number {
  const t = textOf(v) || '0';
  if (!/^\d+$/.test(t)) throw bad(`${at}: ${field} "${t}" is not a whole number`);
  return Number(t);
}

function textOf(v: unknown): string {
  return typeof v === 'string' ? v.trim() : typeof v === 'number' && Number.isFinite(v) ? String(v) : '';
}

/** The error object of a Graph API answer, when it has one. */
export function parseMetaError(body: string): MetaError {
  let e: unknown;
  try {
    e = (JSON.parse(body) as { error?: unknown }).error;
  } catch {
    return {};
  }
  if (!e || typeof e !== 'object') return {};
  const o = e as Record<string, unknown>;
  const str = (k: string) => (typeof o[k] === 'string' && o[k] !== '' ? (o[k] as string) : undefined);
  const num = (k: string) => (typeof o[k] === 'number' ? (o[k] as number) : undefined);
  const out: MetaError = {};
  if (str('message')) out.message = str('message');
  if (str('type')) out.type = str('type');
  if (num('code') !== undefined) out.code = num('code');
  if (num('error_subcode') !== undefined) out.subcode = num('error_subcode');
  if (str('error_user_msg')) out.userMessage = str('error_user_msg');
  if (str('fbtrace_id')) out.fbtraceId = str('fbtrace_id');
  return out;
}

/**
 * How long Meta asks us to stay away: Retry-After, else the longest estimated_time_to_regain_access (minutes)
 * in X-Business-Use-Case-Usage (`{"<business id>":[{"type":"ads_insights","call_count":…,
 * "estimated_time_to_regain_access":19}]}`).
 */
export function rateLimitWaitMs(headers: Headers, now: Date): number | undefined {
  const retry = retryAfterMs(headers.get('retry-after'), now);
  if (retry !== undefined) return retry;
  let minutes = 0;
  try {
    const usage = JSON.parse(headers.get('x-business-use-case-usage') ?? '{}') as Record<string, unknown>;
    for (const list of Object.values(usage))
      for (const u of Array.isArray(list) ? list : []) {
        const m = (u as Record<string, unknown>)?.estimated_time_to_regain_access;
        if (typeof m === 'number' && m > minutes) minutes = m;
      }
  } catch {
    return undefined;
  }
  return minutes > 0 ? minutes * 60_000 : undefined;
}

async function pullDaily(req: PullRequest, deps: PlatformDeps<MetaSettings>): Promise<PullResult> {
  const settings = deps.settings;
  const token = settings.accessToken?.trim();
  if (!token)
    throw new AdsError(
      SELF,
      'auth',
      `no access token: set ${SETTINGS}.accessToken (a system-user token with ads_read)`,
    );
  const secrets = [token];
  const version = settings.apiVersion ?? META_DEFAULT_API_VERSION;
  const act = req.account.externalId.trim().replace(/^act_/, '');
  if (!/^\d+$/.test(act))
    throw new AdsError(
      SELF,
      'http',
      `ad account id "${req.account.externalId}" must be digits, with or without "act_"`,
    );
  const api = platformClient(SELF, deps, {
    baseUrl: settings.baseUrl ?? META_DEFAULT_BASE_URL,
    secrets,
    timeoutMs: TIMEOUT_MS,
    maxBytes: MAX_BODY_BYTES,
    // The Graph API takes the token as an OAuth 2 bearer header (RFC 6750 §2.1) as well as access_token=;
    // the header keeps it out of URLs, logs and the paging.next links Meta builds from our query.
    headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
  });
  const base = new URL(api.url('').href);
  const conversionTypes = settings.conversionActionTypes;
  const maxWaitMs = (settings.maxRateLimitWaitSeconds ?? DEFAULT_MAX_RATE_WAIT_S) * 1000;
  const limit = settings.pageSize ?? DEFAULT_PAGE_SIZE;

  let url = new URL(`${version}/act_${act}/insights`, base);
  url.searchParams.set('level', 'campaign');
  url.searchParams.set('time_increment', '1');
  url.searchParams.set('time_range', JSON.stringify({ since: req.from, until: req.to }));
  url.searchParams.set('fields', META_FIELDS.join(','));
  url.searchParams.set('limit', String(limit));

  const rows: DailyRow[] = [];
  let waited = false;
  for (let page = 1; ; page++) {
    if (page > MAX_PAGES)
      throw new AdsError(
        SELF,
        'malformed',
        `Meta kept sending pages past ${MAX_PAGES} (${rows.length} rows so far)`,
      );
    let answer = await get(api, url);
    if (answer.status !== 200) {
      const err = apiError(answer, act, deps.now(), secrets);
      const wait = err.retryAfterMs ?? DEFAULT_RATE_WAIT_MS;
      if (err.kind !== 'quota' || waited || wait > maxWaitMs) throw err;
      // A short throttle: wait it out once, then ask the same page again.
      waited = true;
      await deps.sleep(wait, deps.signal);
      if (deps.signal?.aborted) throw deps.signal.reason;
      answer = await get(api, url);
      if (answer.status !== 200) throw apiError(answer, act, deps.now(), secrets);
    }
    const parsed = parseInsightsPage(answer.body, conversionTypes);
    for (const r of parsed.rows) rows.push(r);
    if (!parsed.next) return { status: 'ok', rows };
    url = nextPage(parsed.next, base);
  }
}

/**
 * paging.next is absolute and may repeat the request's query, access_token included: it is followed only on
 * the configured host, and without the token in it (ours travels in the header).
 */
function nextPage(next: string, base: URL): URL {
  let url: URL;
  try {
    url = new URL(next);
  } catch {
    throw new AdsError(SELF, 'malformed', 'insights paging.next is not a URL');
  }
  if (url.origin !== base.origin)
    throw new AdsError(
      SELF,
      'malformed',
      `insights paging.next leads to ${url.origin}, not ${base.origin}; not following it`,
    );
  url.searchParams.delete('access_token');
  return url;
}

function apiError(answer: ApiAnswer<string>, act: string, now: Date, secrets: string[]): AdsError {
  const e = parseMetaError(answer.body);
  const details = [
    e.code !== undefined ? `code ${e.code}` : '',
    e.subcode !== undefined ? `subcode ${e.subcode}` : '',
    e.fbtraceId ? `fbtrace_id ${e.fbtraceId}` : '',
  ].filter(Boolean);
  const text = e.message ?? bodyExcerpt(answer.body, secrets);
  const what = `Graph API answered HTTP ${answer.status}: ${text}${e.userMessage ? ` — ${e.userMessage}` : ''}${details.length ? ` (${details.join(', ')})` : ''}`;
  const say = (kind: AdsError['kind'], hint?: string, retry?: number) =>
    new AdsError(SELF, kind, scrub(hint ? `${what}; ${hint}` : what, secrets), retry);
  if (answer.status === 429 || isRateCode(e.code))
    return say(
      'quota',
      'Meta is throttling this app or ad account; the next pull retries',
      rateLimitWaitMs(answer.headers, now),
    );
  if (e.code === 190 || e.code === 102 || answer.status === 401) {
    const hint =
      e.subcode === 463
        ? `the access token has expired: create a new one (a system-user token does not expire) and put it in ${SETTINGS}.accessToken`
        : `the access token is invalid or was revoked: put a new one in ${SETTINGS}.accessToken`;
    return say('auth', hint);
  }
  if (e.code === 10 || (e.code !== undefined && e.code >= 200 && e.code <= 299) || answer.status === 403)
    return say('auth', `the token's user needs ads_read on ad account act_${act}`);
  if (answer.status >= 500 || e.code === 1 || e.code === 2)
    return say('http', "Meta's side; the next pull retries");
  return say('http');
}

/** One page, whatever its status: apiError() reads Meta's own error object. */
function get(api: ReturnType<typeof platformClient>, url: URL): Promise<ApiAnswer<string>> {
  return asAds(SELF, () => api.request(url, { expect: 'text', statuses: 'any' }));
}

export const meta: AdPlatform = {
  ...SELF,
  configKey: 'meta',
  settings: settingsSchema,
  secrets: ['accessToken'],
  secretExamples: { accessToken: 'META_ACCESS_TOKEN' },
  colour: '#a855f7',
  defaultLookbackDays: 14,
  endpoints: { baseUrl: META_DEFAULT_BASE_URL },
  example: {
    accessToken: { env: 'META_ACCESS_TOKEN' },
    apiVersion: off('The Graph API version (a recent one is built in).', 'v21.0'),
    conversionActionTypes: off(
      'Action types counted as conversions, instead of purchases and leads (each counted once):',
      ['lead', 'contact'],
    ),
    maxRateLimitWaitSeconds: off('How long one pull may wait out a throttle:', DEFAULT_MAX_RATE_WAIT_S),
    pageSize: off('Rows per page of insights:', DEFAULT_PAGE_SIZE),
  },
  exportFormat: metaCsv,
  pullDaily,
};
