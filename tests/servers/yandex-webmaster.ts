// Local stand-in for the Yandex Webmaster API v4 as the stats provider reads it: /user, popular queries
// (paged with offset/limit, top 3,000) and one query's daily history, with the documented error bodies and
// faults a test can queue.
// https://yandex.com/dev/webmaster/doc/en/reference/host-search-queries-popular
// https://yandex.com/dev/webmaster/doc/en/reference/host-search-queries-history
// https://yandex.com/dev/webmaster/doc/dg/reference/errors.html
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { QueryStat } from '../../src/rank/types.ts';

export type YandexFault =
  'expired-token' | 'quota' | 'rate-limit' | 'host-not-verified' | 'malformed' | 'server-error';
export type YandexEndpoint = 'user' | 'popular' | 'history';

export interface YandexWebmasterServerOptions {
  /** Per-day statistics of each query (page, device and country are not used). */
  rows: QueryStat[] | (() => QueryStat[]);
  /** The OAuth token the server accepts. */
  token: string;
  userId?: number;
  /** Host ids verified for the user (default: any). */
  hosts?: string[];
}

export interface YandexRequest {
  endpoint: YandexEndpoint | 'other';
  path: string;
  params: URLSearchParams;
  authorization: string;
}

export type YandexHandler = ((req: IncomingMessage, res: ServerResponse) => void) & {
  requests: YandexRequest[];
  /** One-shot faults: a bare fault hits the next request, `{ on, fault }` the next request to that endpoint. */
  faults: (YandexFault | { on: YandexEndpoint; fault: YandexFault })[];
};

const TOP = 3000;

/** The query_id the stand-in gives a query: stable, opaque, hex like the real ones. */
export function yandexQueryId(text: string): string {
  return createHash('md5').update(text).digest('hex').slice(0, 16);
}

export function yandexWebmasterHandler(opts: YandexWebmasterServerOptions): YandexHandler {
  const userId = opts.userId ?? 1130000012345678;
  const rows = () => (typeof opts.rows === 'function' ? opts.rows() : opts.rows);

  const handler = ((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const authorization = req.headers.authorization ?? '';
    const m = /^\/v4\/user\/([^/]+)\/hosts\/([^/]+)\/search-queries\/(?:(popular)|([^/]+)\/history)\/?$/.exec(
      url.pathname,
    );
    const endpoint: YandexRequest['endpoint'] = /^\/v4\/user\/?$/.test(url.pathname)
      ? 'user'
      : m?.[3]
        ? 'popular'
        : m
          ? 'history'
          : 'other';
    handler.requests.push({ endpoint, path: url.pathname, params: url.searchParams, authorization });

    if (req.method !== 'GET' || endpoint === 'other')
      return error(res, 404, 'RESOURCE_NOT_FOUND', `No resource at ${url.pathname}`);
    if (authorization !== `OAuth ${opts.token}`)
      return error(res, 403, 'INVALID_OAUTH_TOKEN', 'OAuth token is missing or invalid');
    const i = handler.faults.findIndex((f) => typeof f === 'string' || f.on === endpoint);
    const queued = i < 0 ? undefined : handler.faults.splice(i, 1)[0];
    const fault = typeof queued === 'object' ? queued.fault : queued;
    if (fault === 'expired-token') return error(res, 401, 'INVALID_OAUTH_TOKEN', 'OAuth token expired');
    if (fault === 'quota') return error(res, 429, 'QUOTA_EXCEEDED', 'Daily request quota exceeded');
    if (fault === 'rate-limit')
      return error(res, 429, 'TOO_MANY_REQUESTS_ERROR', 'Too many requests', { 'retry-after': '5' });
    if (fault === 'server-error') return error(res, 500, 'INTERNAL_ERROR', 'Internal error');
    if (fault === 'malformed') {
      res.writeHead(200, { 'content-type': 'application/json;charset=UTF-8' });
      return res.end('{"queries":[{"query_id":"a08b","query_text":"фото');
    }
    if (endpoint === 'user') return json(res, 200, { user_id: userId });

    const [, uid, rawHost] = m!;
    const hostId = decodeURIComponent(rawHost!);
    if (uid !== String(userId))
      return json(res, 403, {
        error_code: 'INVALID_USER_ID',
        available_user_id: userId,
        error_message: `Invalid user id. ${userId} should be used.`,
      });
    if (fault === 'host-not-verified' || (opts.hosts && !opts.hosts.includes(hostId)))
      return json(res, 404, {
        error_code: 'HOST_NOT_VERIFIED',
        host_id: hostId,
        error_message: `Host ${hostId} is not verified by user ${userId}`,
      });
    const from = url.searchParams.get('date_from') ?? '';
    const to = url.searchParams.get('date_to') ?? '';
    if (!/^\d{4}-\d{2}-\d{2}/.test(from) || !/^\d{4}-\d{2}-\d{2}/.test(to))
      return fieldError(res, 'date_from', from, 'date_from and date_to are needed by this stand-in');
    const inRange = rows().filter((r) => r.day >= from.slice(0, 10) && r.day <= to.slice(0, 10));
    const indicators = url.searchParams.getAll('query_indicator');
    if (endpoint === 'popular') return popular(res, url.searchParams, inRange, indicators, from, to);
    return history(res, decodeURIComponent(m![4]!), inRange, indicators, from.slice(0, 10), to.slice(0, 10));
  }) as YandexHandler;
  handler.requests = [];
  handler.faults = [];
  return handler;
}

function popular(
  res: ServerResponse,
  params: URLSearchParams,
  rows: QueryStat[],
  indicators: string[],
  from: string,
  to: string,
) {
  const orderBy = params.get('order_by') ?? '';
  const offset = Number(params.get('offset') ?? 0);
  const limit = Number(params.get('limit') ?? 500);
  if (orderBy !== 'TOTAL_SHOWS' && orderBy !== 'TOTAL_CLICKS')
    return fieldError(res, 'order_by', orderBy, 'order_by must be TOTAL_SHOWS or TOTAL_CLICKS');
  if (!Number.isInteger(limit) || limit < 1 || limit > 500)
    return fieldError(res, 'limit', String(limit), 'limit must be 1-500');
  if (!Number.isInteger(offset) || offset < 0)
    return fieldError(res, 'offset', String(offset), 'offset must be at least 0');
  const byQuery = new Map<string, { shows: number; clicks: number; posSum: number }>();
  for (const r of rows) {
    const q = byQuery.get(r.query) ?? { shows: 0, clicks: 0, posSum: 0 };
    q.shows += r.impressions;
    q.clicks += r.clicks;
    q.posSum += (r.position ?? 0) * r.impressions;
    byQuery.set(r.query, q);
  }
  const key = orderBy === 'TOTAL_SHOWS' ? 'shows' : 'clicks';
  const ranked = [...byQuery.entries()]
    .sort((a, b) => b[1][key] - a[1][key] || (a[0] < b[0] ? -1 : 1))
    .slice(0, TOP);
  const values = (q: { shows: number; clicks: number; posSum: number }): Record<string, number> => ({
    TOTAL_SHOWS: q.shows,
    TOTAL_CLICKS: q.clicks,
    AVG_SHOW_POSITION: q.shows ? q.posSum / q.shows : 0,
    AVG_CLICK_POSITION: q.shows ? q.posSum / q.shows : 0,
  });
  const queries = ranked.slice(offset, offset + limit).map(([text, q]) => ({
    query_id: yandexQueryId(text),
    query_text: text,
    indicators: Object.fromEntries(indicators.map((name) => [name, values(q)[name]])),
  }));
  json(res, 200, { queries, date_from: from, date_to: to, count: ranked.length });
}

function history(
  res: ServerResponse,
  queryId: string,
  rows: QueryStat[],
  indicators: string[],
  from: string,
  to: string,
) {
  const mine = rows.filter((r) => yandexQueryId(r.query) === queryId);
  const text = mine[0]?.query;
  // The error code for an unknown query id is not documented; this one follows the API's naming.
  if (text === undefined) return error(res, 404, 'QUERY_NOT_FOUND', `Query ${queryId} not found`);
  const series: Record<string, { date: string; value: number }[]> = {};
  for (const name of indicators) series[name] = [];
  for (let day = from; day <= to; day = nextDay(day)) {
    const r = mine.find((x) => x.day === day);
    const date = `${day}T00:00:00.000+03:00`;
    for (const name of indicators) {
      // Position points are left out on days without shows ("may be omitted if its value is not defined").
      if (name === 'TOTAL_SHOWS') series[name]!.push({ date, value: r?.impressions ?? 0 });
      else if (name === 'TOTAL_CLICKS') series[name]!.push({ date, value: r?.clicks ?? 0 });
      else if (r?.impressions && r.position !== null) series[name]!.push({ date, value: r.position });
    }
  }
  json(res, 200, { query_id: queryId, query_text: text, indicators: series });
}

function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

function fieldError(res: ServerResponse, field: string, value: string, message: string) {
  json(res, 400, {
    error_code: 'FIELD_VALIDATION_ERROR',
    field_name: field,
    field_value: value,
    error_message: message,
  });
}

function error(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
) {
  json(res, status, { error_code: code, error_message: message }, headers);
}

function json(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json;charset=UTF-8', ...headers });
  res.end(JSON.stringify(value));
}
