// The one API client every connector uses (ad platforms, rank providers, notification channels):
// time limit joined to the run's abort signal, capped body, typed errors, retries within a budget,
// OAuth bearer tokens, and secrets kept out of every message.
//
// Usage — one example per feature (deps = { fetch, now, signal } that the job hands a connector).
// Import everything from '../../fetch/index.ts' (client, errors, retry, OAuth). A connector keeps only its
// request shapes, its pure parsers, and the mapping of ApiError onto its area's error (ProviderError,
// AdsError, ChannelError: `kind`, `retryAfterMs` and the already-scrubbed `message` carry over).
//
//   // A client per call: the service name starts every error message; base URL joined with one slash.
//   const api = apiClient(deps, { service: 'SerpApi', baseUrl: settings.baseUrl ?? 'https://serpapi.com',
//                                 secrets: [apiKey] });
//
//   // JSON in, JSON out (expect defaults to 'json'); query values are encoded; non-2xx throws ApiError.
//   const { body } = await api.request('search.json', { query: { q: 'дизайн студия', api_key: apiKey } });
//   await api.request('v1/report', { method: 'POST', json: { from, to } });
//   await api.request(tokenUrl, { method: 'POST', form: { grant_type: 'refresh_token' } });  // absolute URL
//   const csv = await api.request(link, { expect: 'text' });  const zip = await api.request(link, { expect: 'bytes' });
//
//   // Typed errors: kind 'timeout'|'aborted'|'unreachable'|'too-large'|'http'|'auth'|'rate-limit'|'parse',
//   // with status, retryAfterMs, excerpt (scrubbed start of the body) and body (scrubbed, for the
//   // service's own error JSON). A stopped run rethrows deps.signal.reason as it is, never an ApiError.
//   try { … } catch (e) { if (e instanceof ApiError && e.kind === 'rate-limit') return later(e.retryAfterMs); throw e; }
//
//   // Read error answers yourself instead (Google Ads streams an error inside HTTP 200, Telegram has its own):
//   const answer = await api.request('bot/sendMessage', { method: 'POST', json, statuses: 'any' });
//
//   // Retries: pass one budget per pull; 429/5xx/timeouts wait Retry-After (seconds or HTTP date, read
//   // against deps.now()) or 1 s, 2 s, 4 s…, and a stop ends the wait at once.
//   const budget = retryBudget({ retries: 3, maxTotalWaitMs: 120_000 });
//   await api.request('reports', { retry: budget });
//
//   // OAuth: a token cache per connector (module level), a grant per credentials; the client sends
//   // "Authorization: Bearer …", renews a refused (401) token once, and scrubs the token from messages.
//   const tokens = tokenCache();
//   const grant = refreshTokenGrant({ service: 'Google', tokenUrl, clientId, clientSecret, refreshToken,
//                                     settings: 'ads.googleAds' });       // or serviceAccountGrant({ key, scope, … })
//   const api = apiClient(deps, { service: 'Google Ads', baseUrl, auth: tokens.source(grant) });
//
//   // Secrets: every string in `secrets`, the grant's secrets and the bearer token become *** in
//   // messages, excerpts and shown URLs; the query string is never shown. scrub()/bodyExcerpt() for your own.
import { apiRequestBytes, TransportError } from './api-request.ts';
import { ApiError, type ApiErrorKind } from './api-error.ts';
import { retryAfterMs, type RetryBudget } from './retry.ts';
import { bodyExcerpt, scrub, shownUrl } from './secrets.ts';

export { ApiError, type ApiErrorKind } from './api-error.ts';
export { retryAfterMs, retryBudget, isTransientStatus, type RetryBudget } from './retry.ts';
export { bodyExcerpt, scrub, shownUrl } from './secrets.ts';

const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_MAX_BYTES = 32 * 2 ** 20;
/** How much of an error body an ApiError keeps for the connector to read. */
const ERROR_BODY_KEPT = 64 * 1024;

/** What a job hands a connector: the network, the clock, and the run's stop signal. */
export interface ApiDeps {
  fetch: typeof fetch;
  now: () => Date;
  signal?: AbortSignal;
}

/** Bearer tokens for a client (tokenCache().source(grant) makes one). */
export interface TokenSource {
  /** A valid token; `refused` is a token the API just refused, which must not be handed out again. */
  token(deps: ApiDeps, refused?: string): Promise<string>;
  /** The credentials behind it, scrubbed from every message. */
  readonly secrets: readonly string[];
}

export interface ApiClientOptions {
  /** Named at the start of every message: "Search Console", "Telegram Bot API". */
  service: string;
  /** Relative request paths are joined to it ("https://api.example/v2" + "report" = ".../v2/report"). */
  baseUrl?: string | URL;
  secrets?: readonly string[];
  headers?: Record<string, string>;
  timeoutMs?: number;
  maxBytes?: number;
  auth?: TokenSource;
}

interface Bodies {
  json: unknown;
  text: string;
  bytes: Buffer;
}
export type Expect = keyof Bodies;

export interface RequestOptions<E extends Expect = 'json'> {
  method?: string;
  /** Added to the URL's query; undefined values are left out. */
  query?: Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string>;
  /** One of json (sent as application/json), form (application/x-www-form-urlencoded) or body. */
  json?: unknown;
  form?: Record<string, string>;
  body?: string | Uint8Array;
  expect?: E;
  /** 'ok' (default): a non-2xx answer throws an ApiError. 'any': it is returned for the caller to read. */
  statuses?: 'ok' | 'any';
  /** Retry rate limits, server errors and network trouble within this budget. */
  retry?: RetryBudget;
  /** Redirects are not followed unless asked: a followed 302 turns a POST into a GET and carries our headers. */
  redirect?: 'manual' | 'follow';
  timeoutMs?: number;
  maxBytes?: number;
  /** More secrets for this request only. */
  secrets?: readonly string[];
}

export interface ApiAnswer<Body> {
  status: number;
  headers: Headers;
  url: URL;
  /** Parsed as `expect` says; for 'json', undefined when a non-2xx answer (statuses 'any') is not JSON. */
  body: Body;
  raw: Buffer;
}

export interface ApiClient {
  request<E extends Expect = 'json'>(
    target: string | URL,
    opts?: RequestOptions<E>,
  ): Promise<ApiAnswer<Bodies[E]>>;
  /** The URL a request to `target` goes to (base joined, query added). */
  url(target: string | URL, query?: RequestOptions['query']): URL;
}

/** "https://x/api" → "https://x/api/": without the slash, new URL('v1', base) would drop "api". */
export function withSlash(base: string | URL): string {
  const s = String(base);
  return s.endsWith('/') ? s : `${s}/`;
}

export function apiClient(deps: ApiDeps, options: ApiClientOptions): ApiClient {
  const { service } = options;

  function url(target: string | URL, query?: RequestOptions['query']): URL {
    let u: URL;
    if (target instanceof URL) u = new URL(target);
    else if (/^[a-z][a-z0-9+.-]*:/i.test(target) || !options.baseUrl) u = new URL(target);
    else u = new URL(target.replace(/^\/+/, ''), withSlash(options.baseUrl));
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) u.searchParams.set(k, String(v));
    return u;
  }

  async function request<E extends Expect = 'json'>(
    target: string | URL,
    opts: RequestOptions<E> = {},
  ): Promise<ApiAnswer<Bodies[E]>> {
    const to = url(target, opts.query);
    const expect = (opts.expect ?? 'json') as Expect;
    const baseSecrets = [
      ...(options.secrets ?? []),
      ...(options.auth?.secrets ?? []),
      ...(opts.secrets ?? []),
    ];
    const headers: Record<string, string> = {
      'user-agent': 'promowatch',
      ...(expect === 'json' ? { accept: 'application/json' } : {}),
      ...options.headers,
      ...opts.headers,
    };
    let body: string | Uint8Array | undefined = opts.body;
    if (opts.json !== undefined) {
      body = JSON.stringify(opts.json);
      headers['content-type'] ??= 'application/json; charset=utf-8';
    } else if (opts.form) {
      body = new URLSearchParams(opts.form).toString();
      headers['content-type'] ??= 'application/x-www-form-urlencoded';
    }
    const limits = {
      ...(deps.signal ? { signal: deps.signal } : {}),
      timeoutMs: opts.timeoutMs ?? options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      maxBytes: opts.maxBytes ?? options.maxBytes ?? DEFAULT_MAX_BYTES,
    };
    let refused: string | undefined;
    let renewed = false;
    for (;;) {
      const secrets = [...baseSecrets];
      if (options.auth) {
        const token = await options.auth.token(deps, refused);
        headers.authorization = `Bearer ${token}`;
        secrets.push(token);
        refused = token;
      }
      let failure: ApiError;
      try {
        const init: RequestInit = {
          method: opts.method ?? (body === undefined ? 'GET' : 'POST'),
          headers,
          redirect: opts.redirect ?? 'manual',
          ...(body === undefined ? {} : { body: body as BodyInit }),
        };
        const answer = await apiRequestBytes(deps.fetch, to, init, limits);
        const ok = answer.status >= 200 && answer.status < 300;
        // A token revoked or expired early: drop it and try once with a new one.
        if (answer.status === 401 && options.auth && !renewed) {
          renewed = true;
          continue;
        }
        if (ok || opts.statuses === 'any')
          return {
            status: answer.status,
            headers: answer.headers,
            url: to,
            body: decode(answer.body, expect, ok, service, secrets) as Bodies[E],
            raw: answer.body,
          };
        failure = statusError(service, to, answer, deps.now(), secrets);
      } catch (err) {
        if (!(err instanceof TransportError)) throw err;
        failure = transportError(service, to, err, secrets);
      }
      const wait = opts.retry && failure.transient ? opts.retry.take(failure.retryAfterMs) : undefined;
      if (wait === undefined) throw failure;
      await opts.retry!.wait(wait, deps.signal);
      refused = undefined;
    }
  }

  return { request, url };
}

function decode(raw: Buffer, expect: Expect, ok: boolean, service: string, secrets: string[]): unknown {
  if (expect === 'bytes') return raw;
  const text = raw.toString('utf8');
  if (expect === 'text') return text;
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    if (!ok) return undefined;
    const excerpt = bodyExcerpt(text, secrets);
    throw new ApiError('parse', `${service} answered with something that is not JSON: ${excerpt}`, {
      service,
      excerpt,
    });
  }
}

function statusError(
  service: string,
  url: URL,
  answer: { status: number; headers: Headers; body: Buffer },
  now: Date,
  secrets: string[],
): ApiError {
  const { status, headers } = answer;
  const text = answer.body.toString('utf8');
  const excerpt = bodyExcerpt(text, secrets);
  const retry = retryAfterMs(headers.get('retry-after'), now);
  const kind: ApiErrorKind =
    status === 401 || status === 403 ? 'auth' : status === 429 ? 'rate-limit' : 'http';
  const location = headers.get('location');
  const hint =
    status >= 300 && status < 400 && location
      ? `it redirects to ${originOf(location, url)}; configure the final URL instead`
      : status === 401 || status === 403
        ? 'check the credentials and their permissions'
        : status === 404
          ? `check the address ${shownUrl(url, secrets)}`
          : status === 429
            ? `too many requests${retry !== undefined ? `; it asks to wait ${Math.ceil(retry / 1000)} s` : ''}`
            : status >= 500
              ? "the service's side; trying later can help"
              : undefined;
  const message = `${service} answered HTTP ${status}: ${excerpt}${hint ? ` (${hint})` : ''}`;
  return new ApiError(kind, scrub(message, secrets), {
    service,
    status,
    excerpt,
    body: scrub(text.slice(0, ERROR_BODY_KEPT), secrets),
    headers,
    ...(retry !== undefined ? { retryAfterMs: retry } : {}),
  });
}

function transportError(service: string, url: URL, err: TransportError, secrets: string[]): ApiError {
  const kind: ApiErrorKind = err.kind;
  // "Webhook https://hooks.example" already says where; "SerpApi" gets its origin added.
  const who = service.includes(url.origin) ? service : `${service} (${url.origin})`;
  const message =
    kind === 'too-large'
      ? `${who} sent ${err.detail}`
      : `${who} could not be reached: ${err.detail}${
          kind === 'unreachable' ? '; check the address and that the service is up' : ''
        }`;
  return new ApiError(kind, scrub(message, secrets), { service, cause: err });
}

/** Where a redirect points, reduced to its origin: its path may carry the same secret as ours. */
function originOf(location: string, base: URL): string {
  try {
    return new URL(location, base).origin;
  } catch {
    return 'another address';
  }
}
