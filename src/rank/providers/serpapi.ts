// SerpApi rank provider: reads Google, Yandex and Bing organic results through serpapi.com/search.json.
import type { z } from 'zod';
import { httpUrl, obj, secretRef } from '../../config/fields.ts';
import { endpoints, quotas } from '../../config/example-parts.ts';
import { quotaFields } from '../quota.ts';
import { apiClient, bodyExcerpt, retryAfterMs, scrub, type ApiClient } from '../../fetch/index.ts';
import { transportFailure } from '../provider-errors.ts';
import type {
  Engine,
  Keyword,
  KeywordSettings,
  ProviderDeps,
  Resolved,
  ProviderErrorKind,
  SerpItem,
  SerpPage,
  SerpProvider,
} from '../types.ts';
import { ProviderError } from '../types.ts';

const ID = 'serpapi';
const DEFAULT_BASE = 'https://serpapi.com';
// SerpApi's own client waits 60 s; a search that has to page through a slow engine can take longer.
const TIMEOUT_MS = 90_000;
// A result page is some hundreds of kB of JSON; anything past this is not a result page.
const MAX_BODY_BYTES = 8 * 1024 * 1024;
const SHOWN_CHARS = 300;
// The tracker waits this long once when a 429 carries no Retry-After (SerpApi's limit is hourly throughput).
const DEFAULT_RETRY_MS = 60_000;

/** One parsed response: the organic results in page order, and the page SerpApi offers next. */
export interface SerpApiPageResult {
  items: SerpItem[];
  /** `serpapi_pagination.next`: SerpApi's link to the next page, or null on the last one. */
  next: string | null;
}

/**
 * Reads one SerpApi search response. Only `organic_results` count: `ads`, `ai_overview`,
 * `related_questions`, `local_results` and the other blocks are not positions. Positions are numbered
 * 1..n within this page; `fetchSerp` renumbers across pages.
 * Errors follow https://serpapi.com/search-errors: `search_metadata.status: "Error"` is a failed search,
 * while "… hasn't returned any results for this query." with status Success is a genuinely empty page.
 */
export function parseSerpApiPage(json: unknown): SerpApiPageResult {
  const page = readPage(json);
  if ('problem' in page) throw new ProviderError(ID, page.kind, page.problem);
  return page;
}

type Problem = { kind: ProviderErrorKind; problem: string };

function readPage(json: unknown): SerpApiPageResult | Problem {
  if (!isObject(json)) return { kind: 'malformed', problem: 'the answer is not a JSON object' };
  const error = typeof json.error === 'string' ? json.error : null;
  const meta = isObject(json.search_metadata) ? json.search_metadata : null;
  if (meta?.status === 'Error')
    return { kind: 'http', problem: `the search failed: ${shorten(error ?? 'no reason given')}` };
  const organic = json.organic_results;
  if (organic === undefined) {
    if (error !== null && /hasn't returned any results/i.test(error)) return { items: [], next: null };
    if (error !== null) return { kind: 'http', problem: `the search failed: ${shorten(error)}` };
    // SerpApi may omit organic_results on a page without any, saying so in organic_results_state.
    const info = isObject(json.search_information) ? json.search_information : null;
    if (meta?.status === 'Success' && typeof info?.organic_results_state === 'string')
      return { items: [], next: null };
    return { kind: 'malformed', problem: 'the answer has neither organic_results nor an error' };
  }
  if (!Array.isArray(organic)) return { kind: 'malformed', problem: 'organic_results is not a list' };
  const items: SerpItem[] = [];
  for (const r of organic) {
    if (!isObject(r) || typeof r.link !== 'string' || r.link === '') continue;
    items.push({
      position: items.length + 1,
      url: r.link,
      title: typeof r.title === 'string' ? r.title : null,
    });
  }
  // `pagination` holds the engine's own links; `serpapi_pagination` SerpApi's (`next_link` is its old name).
  const pagination = isObject(json.serpapi_pagination) ? json.serpapi_pagination : null;
  const link = [pagination?.next, pagination?.next_link].find((l) => typeof l === 'string' && l !== '');
  return { items, next: typeof link === 'string' ? link : null };
}

/**
 * The query string for the first page. Parameters per engine, from SerpApi's engine docs
 * (https://serpapi.com/search-api, /yandex-search-api, /bing-search-api):
 * - google: `q`, `gl`, `hl`, `location`. `num` is not sent: since September 2025 Google ignores it and
 *   serves about 10 results a page.
 * - yandex: `text`, region `lr` (honoured on yandex.ru only, hence `yandex_domain`), `lang`, page `p` from 0.
 * - bing: `q`, `mkt` = hl-GL when both are known, else `cc` = gl (Bing forbids sending both), `location`,
 *   `count` (at most 50; Bing may return fewer) and 1-based offset `first`.
 * `device` is common to all engines. Later pages are the ones SerpApi's answers name (serpApiNextQuery).
 */
export function serpApiParams(keyword: Keyword): URLSearchParams {
  const p = new URLSearchParams();
  const gl = keyword.gl?.trim() || null;
  const hl = keyword.hl?.trim() || null;
  const location = keyword.location?.trim() || null;
  p.set('engine', keyword.engine);
  if (keyword.engine === 'google') {
    p.set('q', keyword.query);
    if (location) p.set('location', location);
    if (gl) p.set('gl', gl.toLowerCase());
    if (hl) p.set('hl', hl);
  } else if (keyword.engine === 'yandex') {
    p.set('text', keyword.query);
    p.set('yandex_domain', 'yandex.ru');
    if (keyword.lr != null) p.set('lr', String(keyword.lr));
    if (hl) p.set('lang', hl);
    p.set('p', '0');
  } else {
    p.set('q', keyword.query);
    if (location) p.set('location', location);
    if (gl && hl) p.set('mkt', `${hl.toLowerCase()}-${gl.toUpperCase()}`);
    else if (gl) p.set('cc', gl.toLowerCase());
    p.set('count', '50');
    p.set('first', '1');
  }
  p.set('device', keyword.device);
  return p;
}

// Each engine's offset parameter on SerpApi and its value on the first page.
const PAGE_KEY: Record<Engine, [name: string, first: number]> = {
  google: ['start', 0],
  yandex: ['p', 0],
  bing: ['first', 1],
};
// Parameters that make a search what it is: a next link that changes them is not our search's next page.
const SEARCH_KEYS = ['engine', 'q', 'text'];

/**
 * The query for the page a `serpapi_pagination.next` link names, or null when that link is not to be
 * followed. SerpApi decides where the next page starts (https://serpapi.com/pagination): Google's `start`
 * counts places on the result page, and a page whose places went to videos or news has fewer than 10
 * organic results, so counting them would ask for a page that overlaps this one. The link's parameters
 * (minus any `api_key`) go onto our own query, which is sent to the configured endpoint: the link itself
 * is never requested. Refused: a host other than serpapi.com or the configured one, another path than
 * search.json, another engine or query, an offset that does not move forward.
 */
export function serpApiNextQuery(
  link: string,
  current: URLSearchParams,
  baseUrl: URL,
): URLSearchParams | null {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return null;
  }
  if (!['serpapi.com', baseUrl.host].includes(url.host) || !url.pathname.endsWith('/search.json'))
    return null;
  for (const key of SEARCH_KEYS) {
    const v = url.searchParams.get(key);
    if (v !== null && v !== current.get(key)) return null;
  }
  const next = new URLSearchParams(current);
  for (const [k, v] of url.searchParams) if (k !== 'api_key') next.set(k, v);
  const engine = current.get('engine') as Engine;
  const [key, first] = PAGE_KEY[engine] ?? PAGE_KEY.google;
  const offset = (q: URLSearchParams) => (q.has(key) ? Number(q.get(key)) : first);
  if (!Number.isInteger(offset(next)) || !(offset(next) > offset(current))) return null;
  return next;
}

type Settings = Resolved<z.output<typeof serpApiSettingsSchema>> & KeywordSettings;

async function fetchSerp(keyword: Keyword, deps: ProviderDeps<Settings>): Promise<SerpPage> {
  const settings = deps.settings;
  const what = `SerpApi (${keyword.engine}, "${keyword.query}")`;
  const api = apiClient(deps, {
    service: what,
    baseUrl: settings.baseUrl ?? DEFAULT_BASE,
    secrets: [settings.apiKey, encodeURIComponent(settings.apiKey)],
    headers: { accept: 'application/json' },
    timeoutMs: TIMEOUT_MS,
    maxBytes: MAX_BODY_BYTES,
  });
  const endpoint = api.url('search.json');
  // A bound on requests (each one costs a search) in case the API keeps offering a next page; pages with
  // fewer than 10 organic results are common, so it allows for about five a page.
  const maxPages = 2 * Math.ceil(settings.depth / 10) + 2;
  const bodies: string[] = [];
  const items: SerpItem[] = [];
  const seen = new Set<string>();
  let query: URLSearchParams | null = serpApiParams(keyword);
  // Set when the engine has nothing past what was read; otherwise only `items.length` results were seen.
  let exhausted = false;
  while (query && bodies.length < maxPages && items.length < settings.depth) {
    const url = new URL(endpoint);
    url.search = query.toString();
    url.searchParams.set('api_key', settings.apiKey);
    try {
      await deps.onRequest?.();
    } catch (err) {
      // The configured request limit ran out mid-keyword: the pages already paid for still stand.
      if (bodies.length > 0 && err instanceof ProviderError && err.kind === 'quota') break;
      throw err;
    }
    const answer = await get(api, url, what, deps.signal);
    const secrets = [settings.apiKey, encodeURIComponent(settings.apiKey)];
    if (answer.status !== 200) throw statusError(what, answer, deps.now(), secrets);
    let json: unknown;
    try {
      json = JSON.parse(answer.body);
    } catch {
      throw new ProviderError(
        ID,
        'malformed',
        `${what} answered with something that is not JSON: ${bodyExcerpt(answer.body, secrets)}`,
      );
    }
    bodies.push(answer.body);
    const page = readPage(json);
    if ('problem' in page) throw new ProviderError(ID, page.kind, scrub(`${what}: ${page.problem}`, secrets));
    let added = 0;
    for (const item of page.items) {
      if (seen.has(item.url)) continue;
      seen.add(item.url);
      items.push({ ...item, position: items.length + 1 });
      added++;
    }
    // No next page, an empty page, or a page that only repeated what we had: the list is complete.
    if (page.next === null || added === 0) {
      exhausted = true;
      break;
    }
    query = serpApiNextQuery(page.next, query, endpoint);
  }
  const depth = exhausted || items.length >= settings.depth ? settings.depth : items.length;
  return { items: items.slice(0, settings.depth), depth, raw: `[${bodies.join(',')}]` };
}

/** The `providers.serpApi` block. */
export const serpApiSettingsSchema = obj({ baseUrl: httpUrl.optional(), apiKey: secretRef, ...quotaFields });

export const serpApi: SerpProvider<z.output<typeof serpApiSettingsSchema>, 'serpApi'> = {
  kind: 'serp',
  id: ID,
  label: { en: 'SerpApi', ru: 'SerpApi' },
  configKey: 'serpApi',
  settings: serpApiSettingsSchema,
  secrets: ['apiKey'],
  example: {
    ...endpoints({ baseUrl: DEFAULT_BASE }),
    apiKey: { env: 'SERPAPI_KEY' },
    ...quotas({ monthlyQuota: 5000 }),
  },
  colour: '#2563eb',
  capabilities: {
    engines: ['google', 'yandex', 'bing'],
    devices: ['desktop', 'mobile'],
    countries: true,
    maxDepth: 700,
    fullSerp: true,
    // Each result page is a search billed by SerpApi.
    quotaUnit: 'request',
    needsBrowser: false,
    optIn: false,
    pause: null,
    priority: 30,
  },
  fetchPositions: fetchSerp,
};

// ---- HTTP plumbing ----

interface Answer {
  status: number;
  headers: Headers;
  body: string;
}

/** One GET through the API client; any status comes back for statusError to read. */
async function get(api: ApiClient, url: URL, what: string, signal?: AbortSignal): Promise<Answer> {
  try {
    // A GET: a redirect (SerpApi moving an endpoint) is followed, as fetch does by default.
    const a = await api.request(url, { expect: 'bytes', statuses: 'any', redirect: 'follow' });
    // TextDecoder drops a leading byte-order mark, so a JSON body that starts with one still parses.
    return { status: a.status, headers: a.headers, body: new TextDecoder('utf-8').decode(a.body) };
  } catch (err) {
    transportFailure(
      ID,
      err,
      {
        what,
        origin: url.origin,
        check: 'providers.serpApi.baseUrl and the network',
      },
      signal,
    );
  }
}

/** Maps SerpApi's HTTP statuses (https://serpapi.com/api-status-and-error-codes) to what the tracker does next. */
function statusError(what: string, answer: Answer, now: Date, secrets: string[]): ProviderError {
  const text = apiErrorText(answer.body) ?? bodyExcerpt(answer.body, secrets);
  const head = `${what} answered HTTP ${answer.status}: ${text}`;
  const s = answer.status;
  if (s === 401 || s === 403)
    return new ProviderError(
      ID,
      'auth',
      scrub(`${head}; check the key in providers.serpApi.apiKey`, secrets),
    );
  if (s === 429) {
    // One status for two conditions: an exhausted plan (stop for the run) or the hourly throughput limit.
    if (/run out|searches for the month|upgrade/i.test(text))
      return new ProviderError(
        ID,
        'quota',
        scrub(`${head}; add searches to the plan or wait for it to renew`, secrets),
      );
    const wait = retryAfterMs(answer.headers.get('retry-after'), now) ?? DEFAULT_RETRY_MS;
    return new ProviderError(ID, 'rate-limit', scrub(head, secrets), wait);
  }
  return new ProviderError(ID, 'http', scrub(head, secrets));
}

function apiErrorText(body: string): string | null {
  try {
    const json: unknown = JSON.parse(body);
    if (isObject(json) && typeof json.error === 'string') return shorten(json.error);
  } catch {
    // not JSON: the caller shows the start of the body instead
  }
  return null;
}

function shorten(text: string): string {
  return text.length > SHOWN_CHARS ? `${text.slice(0, SHOWN_CHARS)}…` : text;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
