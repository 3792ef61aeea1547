// A local stand-in for serpapi.com/search.json: pages organic results the way SerpApi does, with ads and AI blocks around them.
import type { IncomingMessage, ServerResponse } from 'node:http';

/** The search as the fake understood it; `q` is `text` for Yandex. */
export interface SerpApiQuery {
  engine: string;
  q: string;
  gl: string | null;
  hl: string | null;
  lr: string | null;
  device: string | null;
  location: string | null;
}

/** The organic list (rank order) for a query, or 'empty' when the engine finds nothing. */
export type SerpResults = (query: SerpApiQuery) => Array<{ url: string; title: string }> | 'empty';

export type SerpApiFault =
  | 'invalid-key' // 401, as for a wrong api_key
  | 'out-of-searches' // 429, the plan is used up
  | 'throughput' // 429, hourly throughput limit (with Retry-After when `retryAfter` is set)
  | 'search-error' // 503 with search_metadata.status "Error"
  | 'malformed' // 200 with a body cut off mid-JSON
  | 'empty'; // 200, "Google hasn't returned any results for this query."

export interface SerpApiRequestLog {
  path: string;
  params: Record<string, string>;
}

export interface SerpApiServerOptions {
  apiKey: string;
  results: SerpResults;
  /** A fault to answer the n-th request (0-based) with, or null for a normal answer. */
  fault?: (n: number, request: SerpApiRequestLog) => SerpApiFault | null;
  /** Seconds for Retry-After on a 'throughput' fault. */
  retryAfter?: number;
  /** Every request, with its query parameters, in order. */
  log?: SerpApiRequestLog[];
  /**
   * How many organic results a page shows of the places it covers (Google's and Yandex's ten, Bing's
   * `count`), by page number from 0. Real pages often show fewer: videos, news or a forum block take
   * places, and the next page still starts after all of them. Default: every place is organic.
   */
  organicPerPage?: number | ((page: number) => number);
  /** Rewrites the `serpapi_pagination.next` link a page offers, for links SerpApi should never send. */
  rewriteNext?: (next: string) => string;
}

const PAGE_SIZE = { google: 10, yandex: 10 } as const;
const BING_MAX_COUNT = 50;

/** A node:http handler that answers GET /search.json like SerpApi (https://serpapi.com/search-api). */
export function serpApiHandler(
  opts: SerpApiServerOptions,
): (req: IncomingMessage, res: ServerResponse) => void {
  let n = 0;
  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const params = Object.fromEntries(url.searchParams);
    const logged: SerpApiRequestLog = { path: url.pathname, params };
    opts.log?.push(logged);
    const fault = opts.fault?.(n++, logged) ?? null;
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) =>
      res
        .writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers })
        .end(typeof body === 'string' ? body : JSON.stringify(body, null, 2));

    if (req.method !== 'GET' || url.pathname !== '/search.json') return send(404, { error: 'Not found.' });
    if (params.api_key !== opts.apiKey || fault === 'invalid-key')
      return send(401, {
        error: 'Invalid API key. Your API key should be here: https://serpapi.com/manage-api-key',
      });
    if (fault === 'out-of-searches') return send(429, { error: 'Your account has run out of searches.' });
    if (fault === 'throughput')
      return send(
        429,
        { error: 'You have exceeded the hourly throughput limit for your plan. Please try again later.' },
        opts.retryAfter !== undefined ? { 'retry-after': String(opts.retryAfter) } : {},
      );

    const engine = params.engine ?? 'google';
    if (engine !== 'google' && engine !== 'yandex' && engine !== 'bing')
      return send(400, { error: `Unsupported \`${engine}\` search engine.` });
    const queryParam = engine === 'yandex' ? 'text' : 'q';
    const q = params[queryParam];
    if (!q) return send(400, { error: `Missing query \`${queryParam}\` parameter.` });

    const query: SerpApiQuery = {
      engine,
      q,
      gl: params.gl ?? params.cc ?? (params.mkt ? (params.mkt.split('-')[1] ?? null) : null),
      hl: params.hl ?? params.lang ?? (params.mkt ? (params.mkt.split('-')[0] ?? null) : null),
      lr: params.lr ?? null,
      device: params.device ?? null,
      location: params.location ?? null,
    };
    const id = `fake${String(n).padStart(20, '0')}`;
    const meta = (status: string) => ({
      id,
      status,
      json_endpoint: `https://serpapi.com/searches/0123456789abcdef/${id}.json`,
      created_at: '2026-11-27 06:00:00 UTC',
      processed_at: '2026-11-27 06:00:00 UTC',
      total_time_taken: 1.23,
    });
    const searchParameters = { engine, ...withoutKey(params) };

    if (fault === 'search-error')
      return send(503, {
        search_metadata: meta('Error'),
        search_parameters: searchParameters,
        error: "We couldn't get valid results for this search. Please try again later.",
      });
    if (fault === 'malformed')
      return send(
        200,
        `{"search_metadata":{"id":"${id}","status":"Success"},"organic_results":[{"position":1,"ti`,
      );

    const list = fault === 'empty' ? 'empty' : opts.results(query);
    // Offset and page size per engine: Google `start` (~10 a page whatever `num` says), Yandex page `p`,
    // Bing 1-based `first` and `count` up to 50. A page covers `size` places of the engine's ranking.
    const size =
      engine === 'bing' ? Math.min(Number(params.count ?? 10) || 10, BING_MAX_COUNT) : PAGE_SIZE[engine];
    const offset =
      engine === 'google'
        ? Number(params.start ?? 0)
        : engine === 'yandex'
          ? Number(params.p ?? 0) * size
          : Math.max(0, Number(params.first ?? 1) - 1);
    const pageNumber = Math.floor(offset / size);
    const perPage =
      typeof opts.organicPerPage === 'function'
        ? opts.organicPerPage(pageNumber)
        : (opts.organicPerPage ?? size);
    const shown = Math.max(0, Math.min(size, perPage));
    const page = list === 'empty' ? [] : list.slice(offset, offset + shown);
    if (page.length === 0) {
      const engineName = engine === 'google' ? 'Google' : engine === 'yandex' ? 'Yandex' : 'Bing';
      return send(200, {
        search_metadata: meta('Success'),
        search_parameters: searchParameters,
        search_information: { organic_results_state: 'Fully empty' },
        error: `${engineName} hasn't returned any results for this query.`,
      });
    }
    // The next page starts after every place this one covered, shown as organic or not.
    const more = list !== 'empty' && list.length > offset + size;
    const pageLink = (n: number) => {
      // SerpApi's links carry the search's own parameters (and google_domain) in alphabetical order.
      const p = new URLSearchParams(withoutKey(params));
      if (engine === 'google') {
        p.set('google_domain', params.google_domain ?? 'google.com');
        p.set('start', String(n * size));
      } else if (engine === 'yandex') p.set('p', String(n));
      else p.set('first', String(n * size + 1));
      p.sort();
      return `https://serpapi.com/search.json?${p.toString()}`;
    };
    const next = more ? (opts.rewriteNext ?? ((l: string) => l))(pageLink(pageNumber + 1)) : null;
    const otherPages = Object.fromEntries(
      [1, 2, 3, 4]
        .map((d) => pageNumber + d)
        .filter((n) => list !== 'empty' && list.length > n * size)
        .map((n) => [String(n + 1), pageLink(n)]),
    );
    const body: Record<string, unknown> = {
      search_metadata: meta('Success'),
      search_parameters: searchParameters,
      search_information: { query_displayed: q, total_results: 1234000, time_taken_displayed: 0.31 },
      // Paid and generated blocks come first on the page but are no organic positions.
      ads: [
        {
          position: 1,
          block_position: 'top',
          title: 'Sponsored: everything for your query',
          link: 'https://ads.example/landing?utm=serp',
          displayed_link: 'ads.example',
        },
      ],
      ai_overview: {
        text_blocks: [{ type: 'paragraph', snippet: `What people usually mean by ${q}.` }],
        references: [{ title: 'AI source', link: 'https://ai-source.example/', index: 0 }],
      },
      related_questions: [
        {
          question: `What is ${q}?`,
          snippet: 'An answer box.',
          link: 'https://answers.example/what',
          title: 'Answers',
        },
      ],
      local_results: { places: [{ position: 1, title: 'A local shop', place_id: '1' }] },
      // Places the organic results did not fill: what Google shows there instead.
      ...(shown < size
        ? {
            inline_videos: Array.from({ length: size - shown }, (_, i) => ({
              position: i + 1,
              title: `A video about ${q}`,
              link: `https://video.example/watch?v=${pageNumber}-${i}`,
            })),
          }
        : {}),
      organic_results: page.map((r, i) => ({
        position: offset + i + 1,
        title: r.title,
        link: r.url,
        displayed_link: displayed(r.url),
        snippet: `A page about ${q}.`,
      })),
      related_searches: [{ query: `${q} near me`, link: 'https://www.google.com/search?q=near+me' }],
      // The engine's own links (not to be followed: they go to the engine, not to SerpApi).
      pagination: {
        current: pageNumber + 1,
        ...(next ? { next: `https://www.${engine}.com/search?start=${offset + size}` } : {}),
      },
      // https://serpapi.com/pagination: `next` (and the deprecated `next_link`) only when there is a next page.
      serpapi_pagination: {
        current: pageNumber + 1,
        ...(next ? { next_link: next, next } : {}),
        other_pages: otherPages,
      },
    };
    send(200, body);
  };
}

function withoutKey(params: Record<string, string>): Record<string, string> {
  const { api_key: _, ...rest } = params;
  return rest;
}

function displayed(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin} › ${u.pathname.split('/').filter(Boolean).join(' › ')}`;
  } catch {
    return url;
  }
}

/** `n` organic results on distinct hosts, for tests that only care about counts. */
export function numberedResults(n: number, host = 'site'): Array<{ url: string; title: string }> {
  return Array.from({ length: n }, (_, i) => ({
    url: `https://${host}${i + 1}.example/page`,
    title: `Result ${i + 1}`,
  }));
}
