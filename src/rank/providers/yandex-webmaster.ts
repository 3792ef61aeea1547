// Yandex Webmaster: pulls per-day shows, clicks and average position of a host's popular queries (API v4).
// Popular queries: https://yandex.com/dev/webmaster/doc/en/reference/host-search-queries-popular
// One query's history: https://yandex.com/dev/webmaster/doc/en/reference/host-search-queries-history
// Errors: https://yandex.com/dev/webmaster/doc/dg/reference/errors.html
import type { z } from 'zod';
import { httpUrl, obj, secretRef } from '../../config/fields.ts';
import { endpoints, quotas } from '../../config/example-parts.ts';
import { quotaFields } from '../quota.ts';
import { apiClient, bodyExcerpt, retryAfterMs, scrub } from '../../fetch/index.ts';
import { asProviderError } from '../provider-errors.ts';
import { ProviderError, type ProviderDeps, type QueryStat, type StatsProvider } from '../types.ts';

const ID = 'yandex-webmaster';
export const YANDEX_WEBMASTER_DEFAULT_BASE_URL = 'https://api.webmaster.yandex.net';
/** The API's largest page of popular queries. */
export const YANDEX_MAX_LIMIT = 500;
const YANDEX_TOP = 3000;
const POPULAR_INDICATORS = ['TOTAL_SHOWS', 'TOTAL_CLICKS', 'AVG_SHOW_POSITION', 'AVG_CLICK_POSITION'];
const HISTORY_INDICATORS = ['TOTAL_SHOWS', 'TOTAL_CLICKS', 'AVG_SHOW_POSITION'];
const TIMEOUT_MS = 60_000;
const MAX_BODY_BYTES = 16 * 1024 * 1024;
const SETTINGS = 'providers.yandexWebmaster';

export interface PopularQuery {
  id: string;
  text: string;
}

/** GET /v4/user → `{"user_id": 12345}`. */
export function parseUserId(body: string): string {
  const id = parseJsonObject(body)?.user_id;
  if (typeof id !== 'number' && typeof id !== 'string')
    throw new ProviderError(ID, 'malformed', `/v4/user answered without a user_id: ${bodyExcerpt(body, [])}`);
  return String(id);
}

/** `{"queries":[{"query_id","query_text","indicators":{…}}],"date_from","date_to","count"}`. */
export function parsePopularQueries(body: string): { queries: PopularQuery[]; count: number } {
  const o = parseJsonObject(body);
  if (!o || !Array.isArray(o.queries))
    throw new ProviderError(
      ID,
      'malformed',
      `the popular queries answer has no "queries" list: ${bodyExcerpt(body, [])}`,
    );
  const queries = o.queries.map((q: unknown, i: number) => {
    const r = (q ?? {}) as Record<string, unknown>;
    if (typeof r.query_id !== 'string' || typeof r.query_text !== 'string')
      throw new ProviderError(ID, 'malformed', `popular query ${i} has no query_id or query_text`);
    return { id: r.query_id, text: r.query_text };
  });
  return { queries, count: typeof o.count === 'number' ? o.count : queries.length };
}

/**
 * One query's history, `{"query_id","query_text","indicators":{"TOTAL_SHOWS":[{"date":"2026-11-20T00:00:00.000+03:00","value":2.0}],…}}`,
 * as one QueryStat per day with shows or clicks in [from, to]. The date is read as written: Yandex counts days
 * in Moscow time. (The documentation's example wraps the object in `"queries":[…]`; both forms are read.)
 */
export function parseQueryHistory(body: string, query: string, from: string, to: string): QueryStat[] {
  const o = parseJsonObject(body);
  const wrapped = Array.isArray(o?.queries) ? ((o.queries[0] ?? {}) as Record<string, unknown>) : undefined;
  const indicators = (wrapped ?? o)?.indicators;
  if (!indicators || typeof indicators !== 'object')
    throw new ProviderError(
      ID,
      'malformed',
      `the history of "${query}" has no "indicators": ${bodyExcerpt(body, [])}`,
    );
  const days = new Map<string, { shows: number; clicks: number; position: number | null }>();
  for (const [name, points] of Object.entries(indicators as Record<string, unknown>)) {
    if (!Array.isArray(points))
      throw new ProviderError(ID, 'malformed', `the history of "${query}" has ${name} that is not a list`);
    for (const p of points as unknown[]) {
      const point = (p ?? {}) as Record<string, unknown>;
      const day = typeof point.date === 'string' ? point.date.slice(0, 10) : '';
      if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || typeof point.value !== 'number')
        throw new ProviderError(
          ID,
          'malformed',
          `the history of "${query}" has a ${name} point without a date and a number`,
        );
      if (day < from || day > to) continue;
      const d = days.get(day) ?? { shows: 0, clicks: 0, position: null };
      if (name === 'TOTAL_SHOWS') d.shows = point.value;
      else if (name === 'TOTAL_CLICKS') d.clicks = point.value;
      else if (name === 'AVG_SHOW_POSITION' && point.value > 0) d.position = point.value;
      days.set(day, d);
    }
  }
  return [...days.entries()]
    .filter(([, d]) => d.shows > 0 || d.clicks > 0)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([day, d]) => ({
      day,
      query,
      page: '',
      device: '',
      country: '',
      clicks: d.clicks,
      impressions: d.shows,
      position: d.position,
    }));
}

/** `{"error_code":"HOST_NOT_VERIFIED","error_message":"…"}`. */
export function parseYandexError(body: string): { code?: string; message?: string } {
  const o = parseJsonObject(body);
  return {
    ...(typeof o?.error_code === 'string' ? { code: o.error_code } : {}),
    ...(typeof o?.error_message === 'string' ? { message: o.error_message } : {}),
  };
}

/** The `providers.yandexWebmaster` block. */
export const yandexWebmasterSettingsSchema = obj({
  baseUrl: httpUrl.optional(),
  oauthToken: secretRef,
  ...quotaFields,
});

export const yandexWebmaster: StatsProvider<
  z.output<typeof yandexWebmasterSettingsSchema>,
  'yandexWebmaster'
> = {
  kind: 'stats',
  id: ID,
  label: { en: 'Yandex Webmaster', ru: 'Яндекс Вебмастер' },
  configKey: 'yandexWebmaster',
  settings: yandexWebmasterSettingsSchema,
  secrets: ['oauthToken'],
  example: {
    ...endpoints({ baseUrl: YANDEX_WEBMASTER_DEFAULT_BASE_URL }),
    oauthToken: { env: 'YANDEX_WEBMASTER_TOKEN' },
    ...quotas(),
  },
  colour: '#dc2626',
  capabilities: {
    engines: ['yandex'],
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
  // The host id as the API spells it: "https:example.com:443".
  property: (u) =>
    `${u.protocol.replace(':', '')}:${u.hostname}:${u.port || (u.protocol === 'https:' ? 443 : 80)}`,
  propertySetting: 'yandexHostId',
  async fetchPositions(req, deps) {
    const token = deps.settings.oauthToken;
    const limit = pageSize(deps.settings);
    const api = apiClient(deps, {
      service: 'Yandex Webmaster',
      baseUrl: deps.settings.baseUrl ?? YANDEX_WEBMASTER_DEFAULT_BASE_URL,
      secrets: [token],
      headers: { authorization: `OAuth ${token}`, accept: 'application/json' },
      timeoutMs: TIMEOUT_MS,
      maxBytes: MAX_BODY_BYTES,
    });
    const get = async (path: string, params: [string, string][] = []) => {
      // Repeated parameters (query_indicator) are appended, not set.
      const url = api.url(path);
      for (const [k, v] of params) url.searchParams.append(k, v);
      // Every call counts against the quota: the user id, each page of popular queries, each history.
      await deps.onRequest?.();
      let answer: Answer;
      try {
        const a = await api.request(url, { expect: 'text', statuses: 'any' });
        answer = { status: a.status, headers: a.headers, body: a.body };
      } catch (err) {
        throw asProviderError(ID, err);
      }
      if (answer.status !== 200) throw apiError(answer, req.property, deps.now(), [token]);
      return answer.body;
    };
    const dates: [string, string][] = [
      ['date_from', req.from],
      ['date_to', req.to],
    ];

    const userId = parseUserId(await get('v4/user'));
    const host = `v4/user/${encodeURIComponent(userId)}/hosts/${encodeURIComponent(req.property)}/search-queries/`;
    const queries = new Map<string, string>();
    for (let offset = 0; ; offset += limit) {
      const page = parsePopularQueries(
        await get(`${host}popular`, [
          ['order_by', 'TOTAL_SHOWS'],
          ...POPULAR_INDICATORS.map((i): [string, string] => ['query_indicator', i]),
          ...dates,
          ['offset', String(offset)],
          ['limit', String(limit)],
        ]),
      );
      // Ranks can shift between pages; a query seen twice is read once.
      for (const q of page.queries) if (!queries.has(q.id)) queries.set(q.id, q.text);
      // The API serves the top 3,000 queries at most, whatever `count` says.
      if (page.queries.length < limit || offset + limit >= Math.min(page.count, YANDEX_TOP)) break;
    }

    // One request per query, one after another: the API has per-user rate limits and this runs once a day.
    const out: QueryStat[] = [];
    for (const [id, text] of queries) {
      const body = await get(`${host}${encodeURIComponent(id)}/history`, [
        ...HISTORY_INDICATORS.map((i): [string, string] => ['query_indicator', i]),
        ...dates,
      ]);
      for (const s of parseQueryHistory(body, text, req.from, req.to)) out.push(s);
    }
    return out;
  },
};

interface Answer {
  status: number;
  headers: Headers;
  body: string;
}

function apiError(answer: Answer, hostId: string, now: Date, secrets: string[]): ProviderError {
  const e = parseYandexError(answer.body);
  const what = `Yandex Webmaster answered HTTP ${answer.status}${e.code ? ` ${e.code}` : ''}: ${e.message ?? bodyExcerpt(answer.body, secrets)}`;
  const say = (kind: ConstructorParameters<typeof ProviderError>[1], hint?: string, retry?: number) =>
    new ProviderError(ID, kind, scrub(hint ? `${what} (${hint})` : what, secrets), retry);
  const code = e.code ?? '';
  if (answer.status === 429) {
    if (/QUOTA/.test(code)) return say('quota', 'the daily API quota is spent; the next pull retries');
    return say('rate-limit', undefined, retryAfterMs(answer.headers.get('retry-after'), now) ?? 60_000);
  }
  if (code.startsWith('HOST_NOT'))
    return say(
      'auth',
      `check rankings.yandexHostId ("${hostId}", written like https:example.com:443) and that the site is verified for this token's account`,
    );
  if (answer.status === 401 || answer.status === 403)
    return say('auth', `get a new OAuth token with Webmaster access and put it in ${SETTINGS}.oauthToken`);
  return say('http');
}

/** Queries a page: the API's largest unless a test asks for smaller pages (not a config option). */
function pageSize(settings: object): number {
  const v = Number((settings as { rowLimit?: number }).rowLimit ?? YANDEX_MAX_LIMIT);
  return Number.isInteger(v) && v >= 1 && v <= YANDEX_MAX_LIMIT ? v : YANDEX_MAX_LIMIT;
}

function parseJsonObject(body: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(body);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
