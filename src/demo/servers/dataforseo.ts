// A local stand-in for DataForSEO's live SERP endpoints: Basic auth, one task per call, typed SERP items.
import type { IncomingMessage, ServerResponse } from 'node:http';

/** The task as the fake understood it (keyword already %##-decoded, as DataForSEO does). */
export interface DataForSeoQuery {
  engine: string;
  q: string;
  /** DataForSEO has no gl or lr: the region arrives as `location`. */
  gl: string | null;
  hl: string | null;
  lr: string | null;
  device: string | null;
  /** location_name, or `code:NNNN` for a location_code. */
  location: string | null;
}

/** The organic list (rank order) for a query, or 'empty' when the engine finds nothing. */
export type DataForSeoResults = (query: DataForSeoQuery) => Array<{ url: string; title: string }> | 'empty';

export type DataForSeoFault =
  | 'unauthorized' // HTTP 401, as for a wrong login or password
  | 'payment' // HTTP 402 with task status 40200
  | 'funds' // 200 with task status 40210, the balance is used up
  | 'rate-limit' // 200 with status 40202 (and Retry-After when `retryAfter` is set)
  | 'se-error' // 200 with task status 40101, the search engine failed
  | 'no-results' // 200 with task status 40102
  | 'internal' // HTTP 500 with status 50000
  | 'malformed' // 200 with a body cut off mid-JSON
  | 'empty'; // 200 with items: null

export interface DataForSeoRequestLog {
  path: string;
  authorization: string | undefined;
  contentType: string | undefined;
  /** The POST body as received (undecoded). */
  body: string;
}

export interface DataForSeoServerOptions {
  login: string;
  password: string;
  results: DataForSeoResults;
  fault?: (n: number, request: DataForSeoRequestLog) => DataForSeoFault | null;
  /** Seconds for Retry-After on a 'rate-limit' fault. */
  retryAfter?: number;
  log?: DataForSeoRequestLog[];
}

const PATH = /^\/v3\/serp\/(google|bing|yandex)\/organic\/live\/advanced$/;

/**
 * A node:http handler for POST /v3/serp/{se}/organic/live/advanced
 * (https://docs.dataforseo.com/v3/serp/google/organic/live/advanced/).
 */
export function dataForSeoHandler(
  opts: DataForSeoServerOptions,
): (req: IncomingMessage, res: ServerResponse) => void {
  let n = 0;
  return (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://localhost').pathname;
      const logged: DataForSeoRequestLog = {
        path,
        authorization: req.headers.authorization,
        contentType: req.headers['content-type'],
        body: Buffer.concat(chunks).toString('utf8'),
      };
      opts.log?.push(logged);
      const fault = opts.fault?.(n++, logged) ?? null;
      answer(opts, logged, fault, req.method ?? '', res);
    });
  };
}

function answer(
  opts: DataForSeoServerOptions,
  request: DataForSeoRequestLog,
  fault: DataForSeoFault | null,
  method: string,
  res: ServerResponse,
): void {
  const send = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
    res
      .writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers })
      .end(typeof body === 'string' ? body : JSON.stringify(body));
  };
  const envelope = (code: number, message: string, tasks: unknown[] | null) => ({
    version: '0.1.20261120',
    status_code: code,
    status_message: message,
    time: '2.1034 sec.',
    cost: tasks ? 0.002 : 0,
    tasks_count: tasks?.length ?? 0,
    tasks_error: tasks?.filter((t) => (t as { status_code: number }).status_code !== 20000).length ?? 0,
    tasks,
  });
  const taskShell = (code: number, message: string, data: unknown, path: string[], result: unknown) => ({
    id: '11271200-1234-0139-0000-5a1f0c1e2d3b',
    status_code: code,
    status_message: message,
    time: '2.0521 sec.',
    cost: code === 20000 ? 0.002 : 0,
    result_count: Array.isArray(result) ? result.length : 0,
    path,
    data,
    result,
  });

  const match = PATH.exec(request.path);
  if (!match) return send(404, envelope(40400, 'Not Found.', null));
  const expected = `Basic ${Buffer.from(`${opts.login}:${opts.password}`).toString('base64')}`;
  if (request.authorization !== expected || fault === 'unauthorized')
    return send(
      401,
      envelope(
        40100,
        'You are not authorized to access this resource. See your login details here: https://app.dataforseo.com/api-access',
        null,
      ),
    );
  if (method !== 'POST') return send(405, envelope(40500, 'Method Not Allowed.', null));
  if (fault === 'rate-limit')
    return send(
      200,
      envelope(40202, 'Rate-limit exceeded. Please contact support.', null),
      opts.retryAfter !== undefined ? { 'retry-after': String(opts.retryAfter) } : {},
    );
  if (fault === 'internal')
    return send(
      500,
      envelope(
        50000,
        'Internal Server Error. Sorry, we could not process your request, try again later.',
        null,
      ),
    );
  if (fault === 'malformed')
    return send(200, '{"version":"0.1.20261120","status_code":20000,"tasks":[{"id":');

  let tasks: unknown;
  try {
    tasks = JSON.parse(request.body);
  } catch {
    return send(200, envelope(40501, 'Invalid Field: POST Data Is Invalid.', null));
  }
  if (!Array.isArray(tasks) || tasks.length !== 1)
    return send(200, envelope(40000, 'You can set only one task at a time.', null));
  const task = tasks[0] as Record<string, unknown>;
  const engine = match[1]!;
  const path = ['v3', 'serp', engine, 'organic', 'live', 'advanced'];
  const fail = (code: number, message: string, httpStatus = 200) =>
    send(httpStatus, envelope(20000, 'Ok.', [taskShell(code, message, task, path, null)]));

  if (fault === 'payment') return fail(40200, 'Payment Required.', 402);
  if (fault === 'funds') return fail(40210, 'You don’t have enough funds in your account.');
  if (typeof task.keyword !== 'string' || task.keyword === '')
    return fail(40501, "Invalid Field: 'keyword'.");
  if (task.location_name === undefined && task.location_code === undefined)
    return fail(40501, "Invalid Field: 'location_name' or 'location_code' is required.");
  if (task.language_name === undefined && task.language_code === undefined)
    return fail(40501, "Invalid Field: 'language_name' or 'language_code' is required.");
  if (task.device !== undefined && task.device !== 'desktop' && task.device !== 'mobile')
    return fail(40501, "Invalid Field: 'device'.");
  if (fault === 'se-error') return fail(40101, 'Internal SE Server Error.');
  if (fault === 'no-results') return fail(40102, 'No Search Results.');

  const keyword = decodeKeyword(task.keyword);
  const query: DataForSeoQuery = {
    engine,
    q: keyword,
    gl: null,
    hl: typeof task.language_code === 'string' ? task.language_code : null,
    lr: null,
    device: typeof task.device === 'string' ? task.device : null,
    location:
      typeof task.location_name === 'string'
        ? task.location_name
        : task.location_code !== undefined
          ? `code:${String(task.location_code)}`
          : null,
  };
  const depth = typeof task.depth === 'number' ? Math.min(task.depth, 700) : 100;
  const list = fault === 'empty' ? 'empty' : opts.results(query);
  const organic = list === 'empty' ? [] : list.slice(0, depth);
  const items = list === 'empty' ? null : serpItems(keyword, organic);
  const result = {
    keyword,
    type: 'organic',
    se_domain: engine === 'google' ? 'google.com' : engine === 'yandex' ? 'yandex.ru' : 'bing.com',
    location_code: typeof task.location_code === 'number' ? task.location_code : 2643,
    language_code: query.hl,
    check_url: `https://www.${engine}.com/search?q=${encodeURIComponent(keyword)}`,
    datetime: '2026-11-27 06:00:00 +00:00',
    spell: null,
    refinement_chips: null,
    item_types: items ? [...new Set(items.map((i) => i.type))] : [],
    se_results_count: organic.length * 1000,
    items_count: items?.length ?? 0,
    items,
  };
  send(200, envelope(20000, 'Ok.', [taskShell(20000, 'Ok.', task, path, [result])]));
}

/** Organic results interleaved with a paid ad, a featured snippet and "people also ask", as DataForSEO types them. */
function serpItems(keyword: string, organic: Array<{ url: string; title: string }>) {
  const items: Array<Record<string, unknown> & { type: string }> = [];
  let absolute = 0;
  const push = (item: Record<string, unknown> & { type: string }, group: number) =>
    items.push({ ...item, rank_group: group, rank_absolute: ++absolute, position: 'left' });
  push(
    { type: 'paid', domain: 'ads.example', title: 'Sponsored offer', url: 'https://ads.example/landing' },
    1,
  );
  push(
    {
      type: 'featured_snippet',
      domain: 'snippet.example',
      title: `All about ${keyword}`,
      url: 'https://snippet.example/answer',
    },
    1,
  );
  organic.forEach((r, i) => {
    if (i === 2)
      push(
        {
          type: 'people_also_ask',
          title: 'People also ask',
          items: [{ type: 'people_also_ask_element', title: `Why ${keyword}?` }],
        },
        1,
      );
    push(
      {
        type: 'organic',
        domain: hostOf(r.url),
        title: r.title,
        url: r.url,
        breadcrumb: hostOf(r.url),
        description: `A page about ${keyword}.`,
      },
      i + 1,
    );
  });
  return items;
}

/** DataForSEO decodes %## in the keyword and turns "+" into a space. */
export function decodeKeyword(raw: string): string {
  return raw.replace(/\+/g, ' ').replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return url;
  }
}
