// Local stand-in for the Bing Webmaster API's JSON GetQueryStats: the key rides in the query string, rows
// carry WCF /Date(ms-0800)/ dates, and faults come back as ApiFault JSON ({"ErrorCode","Message"}).
// https://learn.microsoft.com/en-us/dotnet/api/microsoft.bing.webmaster.api.interfaces.iwebmasterapi.getquerystats
// https://learn.microsoft.com/en-us/dotnet/api/microsoft.bing.webmaster.api.interfaces.apierrorcode
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { QueryStat } from '../../src/rank/types.ts';

export type BingFault =
  'throttle' | 'rate-limit' | 'unauthorized' | 'fault-as-200' | 'malformed' | 'server-error';

export interface BingWebmasterServerOptions {
  /** The site's rows; Bing has no paging for GetQueryStats and answers everything it keeps. */
  rows: QueryStat[] | (() => QueryStat[]);
  apiKey: string;
  /** Sites verified for the key (default: any). */
  sites?: string[];
  /** Echo the request line in fault messages, as some API gateways do (tests that keys get scrubbed). */
  echoRequest?: boolean;
}

export type BingHandler = ((req: IncomingMessage, res: ServerResponse) => void) & {
  requests: { path: string; params: URLSearchParams }[];
  faults: BingFault[];
};

/** The day as Bing writes it: midnight Pacific time, as epoch ms with the -0800 offset. */
export function bingDate(day: string): string {
  return `/Date(${Date.parse(`${day}T08:00:00Z`)}-0800)/`;
}

export function bingWebmasterHandler(opts: BingWebmasterServerOptions): BingHandler {
  const handler = ((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const params = url.searchParams;
    handler.requests.push({ path: url.pathname, params });
    const line = opts.echoRequest ? ` (GET ${req.url})` : '';
    if (req.method !== 'GET' || url.pathname !== '/webmaster/api.svc/json/GetQueryStats')
      return json(res, 404, { ErrorCode: 11, Message: `ERROR!!! NotFound${line}` });
    if (params.get('apikey') !== opts.apiKey)
      return json(res, 400, { ErrorCode: 3, Message: `ERROR!!! InvalidApiKey${line}` });
    const fault = handler.faults.shift();
    if (fault === 'throttle') return json(res, 400, { ErrorCode: 4, Message: 'ERROR!!! ThrottleUser' });
    if (fault === 'rate-limit')
      return json(res, 429, { Message: 'Too many requests' }, { 'retry-after': '12' });
    if (fault === 'unauthorized') {
      res.writeHead(401, { 'content-type': 'text/html' });
      return res.end('<html><body><h1>401 - Unauthorized</h1></body></html>');
    }
    if (fault === 'fault-as-200')
      return json(res, 200, { ErrorCode: 3, Message: `ERROR!!! InvalidApiKey${line}` });
    if (fault === 'server-error') return json(res, 500, { ErrorCode: 1, Message: 'ERROR!!! InternalError' });
    if (fault === 'malformed') {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      return res.end('{"d":[{"__type":"QueryStats:#Microsoft.Bing.Webmaster.Api","AvgClick');
    }
    const site = params.get('siteUrl') ?? '';
    if (opts.sites && !opts.sites.includes(site))
      return json(res, 400, { ErrorCode: 14, Message: 'ERROR!!! NotAuthorized' });
    const rows = typeof opts.rows === 'function' ? opts.rows() : opts.rows;
    const d = rows.map((r) => ({
      __type: 'QueryStats:#Microsoft.Bing.Webmaster.Api',
      AvgClickPosition: r.clicks > 0 && r.position !== null ? r.position : -1,
      AvgImpressionPosition: r.position ?? -1,
      Clicks: r.clicks,
      Date: bingDate(r.day),
      Impressions: r.impressions,
      Query: r.query,
    }));
    json(res, 200, { d });
  }) as BingHandler;
  handler.requests = [];
  handler.faults = [];
  return handler;
}

function json(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  // WCF's serializer escapes "/" as "\/", which is what puts "\/Date(…)\/" on the wire.
  res.end(JSON.stringify(value).replace(/\//g, '\\/'));
}
