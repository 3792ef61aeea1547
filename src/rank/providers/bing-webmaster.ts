// Bing Webmaster Tools: pulls a site's query statistics (clicks, impressions, average position) via GetQueryStats.
// Method: https://learn.microsoft.com/en-us/dotnet/api/microsoft.bing.webmaster.api.interfaces.iwebmasterapi.getquerystats
// Row shape: https://learn.microsoft.com/en-us/dotnet/api/microsoft.bing.webmaster.api.interfaces.querystats
// Error codes: https://learn.microsoft.com/en-us/dotnet/api/microsoft.bing.webmaster.api.interfaces.apierrorcode
import type { z } from 'zod';
import { httpUrl, obj, secretRef } from '../../config/fields.ts';
import { endpoints, quotas } from '../../config/example-parts.ts';
import { quotaFields } from '../quota.ts';
import { apiClient, bodyExcerpt, retryAfterMs, scrub } from '../../fetch/index.ts';
import { asProviderError } from '../provider-errors.ts';
import { ProviderError, type ProviderDeps, type QueryStat, type StatsProvider } from '../types.ts';

const ID = 'bing-webmaster';
export const BING_WEBMASTER_DEFAULT_BASE_URL = 'https://ssl.bing.com';
const TIMEOUT_MS = 60_000;
const MAX_BODY_BYTES = 16 * 1024 * 1024;
const SETTINGS = 'providers.bingWebmaster';

/** ApiErrorCode values that say something the user can act on. */
const ERROR_NAMES: Record<number, string> = {
  1: 'InternalError',
  2: 'UnknownError',
  3: 'InvalidApiKey',
  4: 'ThrottleUser',
  5: 'ThrottleHost',
  6: 'UserBlocked',
  7: 'InvalidUrl',
  8: 'InvalidParameter',
  10: 'UserNotFound',
  11: 'NotFound',
  13: 'NotAllowed',
  14: 'NotAuthorized',
  16: 'Deprecated',
};

/**
 * The WCF JSON date `/Date(1700000000000-0800)/` as the calendar day it names: milliseconds since the epoch
 * (UTC), shifted by the optional offset, which is the zone the server meant the day in. Null if unreadable.
 */
export function parseMsDate(value: string): string | null {
  const m = /^\/Date\((-?\d+)(?:([+-])(\d{2})(\d{2}))?\)\/$/.exec(value);
  if (!m) return null;
  const offsetMs = m[2] ? (m[2] === '-' ? -1 : 1) * (Number(m[3]) * 60 + Number(m[4])) * 60_000 : 0;
  const t = new Date(Number(m[1]) + offsetMs);
  return Number.isNaN(t.getTime()) ? null : t.toISOString().slice(0, 10);
}

/** `{"d":[{"Query","Date","Clicks","Impressions","AvgImpressionPosition","AvgClickPosition"}]}`, rows in [from, to]. */
export function parseQueryStats(body: string, from: string, to: string): QueryStat[] {
  const o = parseJsonObject(body);
  if (!o || !Array.isArray(o.d))
    throw new ProviderError(
      ID,
      'malformed',
      `GetQueryStats answered without a "d" list: ${bodyExcerpt(body, [])}`,
    );
  const out: QueryStat[] = [];
  o.d.forEach((r: unknown, i: number) => {
    const row = (r ?? {}) as Record<string, unknown>;
    const day = typeof row.Date === 'string' ? parseMsDate(row.Date) : null;
    if (
      day === null ||
      typeof row.Query !== 'string' ||
      typeof row.Clicks !== 'number' ||
      typeof row.Impressions !== 'number'
    )
      throw new ProviderError(
        ID,
        'malformed',
        `GetQueryStats row ${i} lacks a Query, a /Date(…)/, Clicks or Impressions`,
      );
    if (day < from || day > to) return;
    const position = row.AvgImpressionPosition;
    out.push({
      day,
      query: row.Query,
      page: '',
      device: '',
      country: '',
      clicks: row.Clicks,
      impressions: row.Impressions,
      // Bing writes -1 (or 0) when it has no average.
      position: typeof position === 'number' && position > 0 ? position : null,
    });
  });
  return out;
}

/** An ApiFault as JSON: `{"ErrorCode":3,"Message":"ERROR!!! InvalidApiKey"}`. */
export function parseBingError(body: string): { code: number; message: string } | null {
  const o = parseJsonObject(body);
  if (!o || typeof o.ErrorCode !== 'number') return null;
  return { code: o.ErrorCode, message: typeof o.Message === 'string' ? o.Message : '' };
}

/** The `providers.bingWebmaster` block. */
export const bingWebmasterSettingsSchema = obj({
  baseUrl: httpUrl.optional(),
  apiKey: secretRef,
  ...quotaFields,
});

export const bingWebmaster: StatsProvider<z.output<typeof bingWebmasterSettingsSchema>, 'bingWebmaster'> = {
  kind: 'stats',
  id: ID,
  label: { en: 'Bing Webmaster', ru: 'Bing Webmaster' },
  configKey: 'bingWebmaster',
  settings: bingWebmasterSettingsSchema,
  secrets: ['apiKey'],
  example: {
    ...endpoints({ baseUrl: BING_WEBMASTER_DEFAULT_BASE_URL }),
    apiKey: { env: 'BING_WEBMASTER_API_KEY' },
    ...quotas(),
  },
  colour: '#0891b2',
  capabilities: {
    engines: ['bing'],
    devices: ['desktop', 'mobile'],
    countries: false,
    maxDepth: null,
    fullSerp: false,
    quotaUnit: 'request',
    needsBrowser: false,
    optIn: false,
    pause: null,
    priority: 10,
  },
  // GetQueryStats takes the site URL as verified in Bing Webmaster Tools.
  property: (u) => `${u.origin}/`,
  propertySetting: 'bingSiteUrl',
  async fetchPositions(req, deps) {
    const { apiKey } = deps.settings;
    // The key rides in the URL, so its encoded forms (as sent, and as a server may echo it) are secrets too.
    const secrets = [
      new URLSearchParams({ k: apiKey }).toString().slice(2),
      encodeURIComponent(apiKey),
      apiKey,
    ];
    const api = apiClient(deps, {
      service: 'Bing Webmaster',
      baseUrl: deps.settings.baseUrl ?? BING_WEBMASTER_DEFAULT_BASE_URL,
      secrets,
      timeoutMs: TIMEOUT_MS,
      maxBytes: MAX_BODY_BYTES,
    });
    await deps.onRequest?.();
    let answer: Answer;
    try {
      const a = await api.request('webmaster/api.svc/json/GetQueryStats', {
        query: { siteUrl: req.property, apikey: apiKey },
        expect: 'text',
        statuses: 'any',
      });
      answer = { status: a.status, headers: a.headers, body: a.body };
    } catch (err) {
      throw asProviderError(ID, err);
    }
    // Bing has been seen answering a fault with HTTP 200, so the body decides, not only the status.
    const fault = parseBingError(answer.body);
    if (answer.status !== 200 || fault) throw apiError(answer, fault, req.property, deps.now(), secrets);
    return parseQueryStats(answer.body, req.from, req.to);
  },
};

interface Answer {
  status: number;
  headers: Headers;
  body: string;
}

function apiError(
  answer: Answer,
  fault: { code: number; message: string } | null,
  siteUrl: string,
  now: Date,
  secrets: string[],
): ProviderError {
  const name = fault ? (ERROR_NAMES[fault.code] ?? `ErrorCode ${fault.code}`) : '';
  const text = fault ? fault.message || name : bodyExcerpt(answer.body, secrets);
  const what = `Bing Webmaster answered HTTP ${answer.status}${name ? ` ${name}` : ''}: ${text}`;
  const say = (kind: ConstructorParameters<typeof ProviderError>[1], hint?: string, retry?: number) =>
    new ProviderError(ID, kind, scrub(hint ? `${what} (${hint})` : what, secrets), retry);
  switch (fault?.code) {
    case 3:
      return say(
        'auth',
        `check the API key in ${SETTINGS}.apiKey (Bing Webmaster Tools → Settings → API access)`,
      );
    case 6:
    case 10:
      return say('auth', 'the account behind the API key cannot use the API');
    case 13:
    case 14:
      return say(
        'auth',
        `check that rankings.bingSiteUrl ("${siteUrl}") is a site verified for this API key's account`,
      );
    case 4:
    case 5:
      return say('quota', 'Bing is throttling this key; the next pull retries');
    case 7:
    case 8:
    case 11:
      return say(
        'http',
        `check rankings.bingSiteUrl ("${siteUrl}"): the site URL exactly as Bing Webmaster Tools lists it`,
      );
  }
  if (answer.status === 429)
    return say('rate-limit', undefined, retryAfterMs(answer.headers.get('retry-after'), now) ?? 60_000);
  if (answer.status === 401 || answer.status === 403)
    return say('auth', `check the API key in ${SETTINGS}.apiKey`);
  return say('http');
}

function parseJsonObject(body: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(body);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
