// SerpApi rank provider: reads Google, Yandex and Bing organic results through serpapi.com/search.json.
import { apiRequestBytes, TransportError, type ApiAnswer } from '../../fetch/api-request.ts';
import { retryAfterMs, scrub } from '../../notify/http.ts';
import type {
  Engine,
  Keyword,
  ProviderDeps,
  ProviderErrorKind,
  SerpItem,
  SerpPage,
  SerpProvider,
} from '../types.ts';
import { ProviderError } from '../types.ts';

const ID = 'serpapi';
const DEFAULT_BASE = 'https://serpapi.com';
const DEFAULT_DEPTH = 100;
// SerpApi's own client waits 60 s; a search that has to page through a slow engine can take longer.
const TIMEOUT_MS = 90_000;
// A result page is some hundreds of kB of JSON; anything past this is not a result page.
const MAX_BODY_BYTES = 8 * 1024 * 1024;
const SHOWN_CHARS = 300;
// The tracker waits this long once when a 429 carries no Retry-After (SerpApi's limit is hourly throughput).
const DEFAULT_RETRY_MS = 60_000;

export interface SerpApiSettings {
  baseUrl: string;
  apiKey: string;
  depth: number;
}

/** One parsed response: the organic results in page order, and whether SerpApi offers a next page. */
export interface SerpApiPageResult {
  items: SerpItem[];
  hasNext: boolean;
  /** How many organic entries the page had (before dropping entries without a link); the next offset. */
  organicCount: number;
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
    if (error !== null && /hasn't returned any results/i.test(error))
      return { items: [], hasNext: false, organicCount: 0 };
    if (error !== null) return { kind: 'http', problem: `the search failed: ${shorten(error)}` };
    // SerpApi may omit organic_results on a page without any, saying so in organic_results_state.
    const info = isObject(json.search_information) ? json.search_information : null;
    if (meta?.status === 'Success' && typeof info?.organic_results_state === 'string')
      return { items: [], hasNext: false, organicCount: 0 };
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
  const pagination = isObject(json.serpapi_pagination) ? json.serpapi_pagination : null;
  const hasNext = typeof pagination?.next === 'string' && pagination.next !== '';
  return { items, hasNext, organicCount: organic.length };
}

/**
 * The query string for one page. Parameters per engine, from SerpApi's engine docs
 * (https://serpapi.com/search-api, /yandex-search-api, /bing-search-api):
 * - google: `q`, `gl`, `hl`, `location`, offset `start`. `num` is not sent: since September 2025 Google
 *   ignores it and serves about 10 results a page, so we page with `start`, advancing it by the number of
 *   organic results received, as SerpApi's own `serpapi_pagination.next` link does.
 * - yandex: `text`, region `lr` (honoured on yandex.ru only, hence `yandex_domain`), `lang`, page `p` from 0.
 * - bing: `q`, `mkt` = hl-GL when both are known, else `cc` = gl (Bing forbids sending both), `location`,
 *   `count` (at most 50; Bing may return fewer) and 1-based offset `first`.
 * `device` is common to all engines.
 */
export function serpApiParams(keyword: Keyword, page: { index: number; offset: number }): URLSearchParams {
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
    if (page.offset > 0) p.set('start', String(page.offset));
  } else if (keyword.engine === 'yandex') {
    p.set('text', keyword.query);
    p.set('yandex_domain', 'yandex.ru');
    if (keyword.lr != null) p.set('lr', String(keyword.lr));
    if (hl) p.set('lang', hl);
    p.set('p', String(page.index));
  } else {
    p.set('q', keyword.query);
    if (location) p.set('location', location);
    if (gl && hl) p.set('mkt', `${hl.toLowerCase()}-${gl.toUpperCase()}`);
    else if (gl) p.set('cc', gl.toLowerCase());
    p.set('count', '50');
    p.set('first', String(page.offset + 1));
  }
  p.set('device', keyword.device);
  return p;
}

export function serpApiSettings(raw: Record<string, unknown>): SerpApiSettings {
  const apiKey = raw.apiKey;
  if (typeof apiKey !== 'string' || apiKey.trim() === '')
    throw new ProviderError(
      ID,
      'auth',
      'no API key: set providers.serpApi.apiKey to {"env": "SERPAPI_KEY"} and put the key in that variable',
    );
  const depth = raw.depth ?? DEFAULT_DEPTH;
  if (typeof depth !== 'number' || !Number.isInteger(depth) || depth < 1 || depth > 700)
    throw new ProviderError(ID, 'http', `depth must be a whole number from 1 to 700, got ${String(depth)}`);
  const baseUrl = raw.baseUrl ?? DEFAULT_BASE;
  if (typeof baseUrl !== 'string') throw new ProviderError(ID, 'http', 'baseUrl must be a URL string');
  return { baseUrl, apiKey, depth };
}

async function fetchSerp(keyword: Keyword, deps: ProviderDeps): Promise<SerpPage> {
  const settings = serpApiSettings(deps.settings);
  const endpoint = new URL(
    'search.json',
    settings.baseUrl.endsWith('/') ? settings.baseUrl : `${settings.baseUrl}/`,
  );
  const what = `SerpApi (${keyword.engine}, "${keyword.query}")`;
  const secrets = [settings.apiKey, encodeURIComponent(settings.apiKey)];
  // A bound on requests (each one costs a search) in case the API keeps offering a next page.
  const maxPages = Math.ceil(settings.depth / 10) + 2;
  const bodies: string[] = [];
  const items: SerpItem[] = [];
  const seen = new Set<string>();
  let offset = 0;
  for (let index = 0; index < maxPages && items.length < settings.depth; index++) {
    const url = new URL(endpoint);
    url.search = serpApiParams(keyword, { index, offset }).toString();
    url.searchParams.set('api_key', settings.apiKey);
    const answer = await get(url, deps, what, secrets);
    if (answer.status !== 200) throw statusError(what, answer, deps.now(), secrets);
    let json: unknown;
    try {
      json = JSON.parse(answer.body);
    } catch {
      throw new ProviderError(
        ID,
        'malformed',
        `${what} answered with something that is not JSON: ${excerpt(answer.body, secrets)}`,
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
    if (!page.hasNext || page.organicCount === 0 || added === 0) break;
    offset += page.organicCount;
  }
  return { items: items.slice(0, settings.depth), depth: settings.depth, raw: `[${bodies.join(',')}]` };
}

export const serpApi: SerpProvider = {
  kind: 'serp',
  id: ID,
  label: 'SerpApi',
  engines: ['google', 'yandex', 'bing'] satisfies Engine[],
  fetchSerp,
};

// ---- HTTP plumbing ----

async function get(url: URL, deps: ProviderDeps, what: string, secrets: string[]): Promise<ApiAnswer> {
  const limits = { signal: deps.signal, timeoutMs: TIMEOUT_MS, maxBytes: MAX_BODY_BYTES };
  const headers = { accept: 'application/json', 'user-agent': 'promowatch' };
  // A GET: a redirect (SerpApi moving an endpoint) is followed, as fetch does by default.
  let answer: ApiAnswer<Buffer>;
  try {
    answer = await apiRequestBytes(deps.fetch, url, { headers, redirect: 'follow' }, limits);
  } catch (err) {
    if (err instanceof TransportError && err.kind === 'too-large')
      throw new ProviderError(
        ID,
        'malformed',
        `${what} sent more than ${MAX_BODY_BYTES / 1024 / 1024} MB; not a result page`,
      );
    const reason = deps.signal?.aborted
      ? 'the request was cancelled'
      : err instanceof TransportError && err.kind === 'timeout'
        ? err.detail
        : `${networkReason(err instanceof TransportError ? err.cause : err)}; check providers.serpApi.baseUrl and the network`;
    throw new ProviderError(
      ID,
      'network',
      scrub(`${what} could not be reached at ${url.origin}: ${reason}`, secrets),
    );
  }
  // TextDecoder drops a leading byte-order mark, so a JSON body that starts with one still parses.
  return { ...answer, body: new TextDecoder('utf-8').decode(answer.body) };
}

/** Maps SerpApi's HTTP statuses (https://serpapi.com/api-status-and-error-codes) to what the tracker does next. */
function statusError(what: string, answer: ApiAnswer, now: Date, secrets: string[]): ProviderError {
  const text = apiErrorText(answer.body) ?? excerpt(answer.body, secrets);
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

function networkReason(err: unknown): string {
  // undici says "fetch failed" and keeps the useful part (ECONNREFUSED, ENOTFOUND…) in `cause`.
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause : undefined;
  return cause?.message || (err instanceof Error ? err.message : String(err));
}

function excerpt(body: string, secrets: readonly string[]): string {
  const folded = scrub(body, secrets).replace(/\s+/g, ' ').trim();
  return folded === '' ? '(empty body)' : shorten(folded);
}

function shorten(text: string): string {
  return text.length > SHOWN_CHARS ? `${text.slice(0, SHOWN_CHARS)}…` : text;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
