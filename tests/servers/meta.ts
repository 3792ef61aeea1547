// Local stand-in for the Meta Marketing API insights edge: checks the token (bearer header or access_token=),
// filters campaign rows by time_range, pages them with cursors and absolute paging.next links back to itself,
// and answers with Graph API error objects when a test queues a fault.
// https://developers.facebook.com/docs/marketing-api/reference/ad-account/insights
// https://developers.facebook.com/docs/graph-api/results
// https://developers.facebook.com/docs/graph-api/guides/error-handling
import type { IncomingMessage, ServerResponse } from 'node:http';

/** One insights row as the API prints it: numbers as strings. */
export type MetaInsightRow = Record<string, unknown> & { campaign_id: string; date_start: string };

/** One-shot faults for the next insights request. */
export type MetaFault =
  /** Answer normally: lets a test place a fault on a later request. */
  | 'none'
  | 'expired-token'
  | 'rate-limit'
  | 'rate-limit-long'
  | 'account-rate-limit'
  | 'permission'
  | 'server-error'
  | 'malformed'
  | 'foreign-next';

export interface MetaServerOptions {
  accessToken: string;
  /** Rows per ad account id (digits, without act_). */
  accounts: Record<string, MetaInsightRow[]>;
  /** The most rows one page holds, whatever limit asks (the real API caps it too). */
  maxPageSize?: number;
  /** Put the presented token into paging.next links even when it came in a header. */
  tokenInNext?: boolean;
}

export interface MetaRequest {
  path: string;
  query: URLSearchParams;
  authorization: string;
}

export type MetaHandler = ((req: IncomingMessage, res: ServerResponse) => void) & {
  requests: MetaRequest[];
  faults: MetaFault[];
};

const INSIGHTS = /^\/(v\d+\.\d+)\/act_(\d+)\/insights$/;
const REQUIRED_FIELDS = ['campaign_id', 'spend'];

export function metaHandler(opts: MetaServerOptions): MetaHandler {
  const handler = ((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    const authorization = req.headers.authorization ?? '';
    handler.requests.push({ path: url.pathname, query: url.searchParams, authorization });
    const m = INSIGHTS.exec(url.pathname);
    if (req.method !== 'GET' || !m)
      return graphError(
        res,
        400,
        'GraphMethodException',
        100,
        `Unsupported ${req.method?.toLowerCase()} request.`,
        33,
      );
    const presented =
      /^(?:Bearer|OAuth) (.+)$/.exec(authorization)?.[1] ?? url.searchParams.get('access_token');
    if (!presented)
      return graphError(
        res,
        400,
        'OAuthException',
        104,
        'An access token is required to request this resource.',
      );
    const fault = handler.faults.shift();
    if (fault === 'expired-token')
      return graphError(
        res,
        400,
        'OAuthException',
        190,
        'Error validating access token: Session has expired on Friday, 27-Nov-26 05:00:00 PST. The current time is Friday, 27-Nov-26 06:00:00 PST.',
        463,
      );
    // Graph echoes a token that does not look like one back in its message.
    if (!presented.startsWith('EAA'))
      return graphError(res, 400, 'OAuthException', 190, `Malformed access token ${presented}`);
    if (presented !== opts.accessToken)
      return graphError(
        res,
        400,
        'OAuthException',
        190,
        'Invalid OAuth access token - Cannot parse access token',
      );
    const act = m[2]!;
    if (fault === 'rate-limit' || fault === 'rate-limit-long')
      return graphError(res, 400, 'OAuthException', 17, '(#17) User request limit reached', 2446079, {
        'x-business-use-case-usage': JSON.stringify({
          [act]: [
            {
              type: 'ads_insights',
              call_count: 100,
              total_cputime: 34,
              total_time: 41,
              estimated_time_to_regain_access: fault === 'rate-limit' ? 1 : 30,
              ads_api_access_tier: 'standard_access',
            },
          ],
        }),
      });
    if (fault === 'account-rate-limit')
      return graphError(
        res,
        400,
        'OAuthException',
        80000,
        'There have been too many calls from this ad-account. Wait a bit and try again. For more info, please refer to https://developers.facebook.com/docs/graph-api/overview/rate-limiting.',
        2446079,
      );
    if (fault === 'permission')
      return graphError(
        res,
        403,
        'OAuthException',
        200,
        '(#200) Ad account owner has NOT grant ads_management or ads_read permission',
      );
    if (fault === 'server-error')
      return graphError(res, 500, 'OAuthException', 1, 'An unknown error occurred', 99);
    if (fault === 'malformed') {
      res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' });
      return res.end('{"data":[{"campaign_id":"238500","impressions":"36');
    }
    const rows = opts.accounts[act];
    if (!rows)
      return graphError(
        res,
        400,
        'GraphMethodException',
        100,
        `Unsupported get request. Object with ID 'act_${act}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`,
        33,
      );
    const q = url.searchParams;
    let range: { since?: unknown; until?: unknown } = {};
    try {
      range = JSON.parse(q.get('time_range') ?? '{}') as typeof range;
    } catch {
      // answered below
    }
    const fields = (q.get('fields') ?? '').split(',');
    if (typeof range.since !== 'string' || typeof range.until !== 'string')
      return graphError(
        res,
        400,
        'OAuthException',
        100,
        '(#100) Param time_range must be a JSON object with since and until',
      );
    if (
      q.get('level') !== 'campaign' ||
      q.get('time_increment') !== '1' ||
      !REQUIRED_FIELDS.every((f) => fields.includes(f))
    )
      return graphError(
        res,
        400,
        'OAuthException',
        100,
        '(#100) This stand-in serves level=campaign, time_increment=1 with campaign fields',
      );
    const { since, until } = range as { since: string; until: string };
    const limit = Math.min(Number(q.get('limit') ?? 25) || 25, opts.maxPageSize ?? 5000);
    const after = q.get('after');
    const offset = after ? Number(Buffer.from(after, 'base64url').toString('utf8')) : 0;
    const matching = rows.filter((r) => r.date_start >= since && r.date_start <= until);
    const page = matching.slice(offset, offset + limit).map((r) => {
      // Only the asked fields come back, plus the day the row covers.
      const out: Record<string, unknown> = {};
      for (const f of fields) if (r[f] !== undefined) out[f] = r[f];
      return { ...out, date_start: r.date_start, date_stop: r.date_stop ?? r.date_start };
    });
    const cursor = (n: number) => Buffer.from(String(n)).toString('base64url');
    const paging: Record<string, unknown> = {
      cursors: { before: cursor(offset), after: cursor(offset + page.length) },
    };
    if (offset + limit < matching.length) {
      // Graph builds next from the request's own query, access_token too when it came that way.
      const next = new URL(
        url.pathname,
        fault === 'foreign-next' ? 'https://graph.evil.example' : `http://${req.headers.host}`,
      );
      for (const [k, v] of q) if (k !== 'after') next.searchParams.set(k, v);
      next.searchParams.set('after', cursor(offset + limit));
      if (opts.tokenInNext) next.searchParams.set('access_token', presented);
      paging.next = next.toString();
    }
    json(res, 200, page.length ? { data: page, paging } : { data: [] });
  }) as MetaHandler;
  handler.requests = [];
  handler.faults = [];
  return handler;
}

function graphError(
  res: ServerResponse,
  status: number,
  type: string,
  code: number,
  message: string,
  subcode?: number,
  headers: Record<string, string> = {},
) {
  json(
    res,
    status,
    {
      error: {
        message,
        type,
        code,
        ...(subcode !== undefined ? { error_subcode: subcode } : {}),
        ...(code === 1 || code === 17 || code === 80000 ? { is_transient: true } : {}),
        fbtrace_id: 'AbCdEfGh12-fake',
      },
    },
    headers,
  );
}

function json(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', ...headers });
  res.end(JSON.stringify(value));
}
