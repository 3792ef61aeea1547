// Local stand-in for Microsoft's token endpoint and the Advertising Reporting REST API: issues expiring
// (and rotating) tokens, queues report requests through Pending polls, serves each report as a ZIP holding
// one CSV, and answers with the documented REST faults when a test queues one.
// https://learn.microsoft.com/en-us/advertising/reporting-service/submitgeneratereport
// https://learn.microsoft.com/en-us/advertising/reporting-service/pollgeneratereport
// https://learn.microsoft.com/en-us/advertising/guides/operation-error-codes
import type { IncomingMessage, ServerResponse } from 'node:http';
import { writeZip as buildZip } from '../../src/util/zip.ts';

/** One campaign on one day as the fake account holds it; money as the report prints it. */
export interface MsReportRow {
  day: string;
  campaignId: string;
  campaignName: string;
  impressions: number;
  clicks: number;
  spend: string;
  conversions: string;
  revenue: string;
  currency?: string;
}

/** One-shot faults for the next Submit or Poll call. */
export type MsAdsFault =
  | 'expired-token'
  | 'invalid-credentials'
  | 'not-authorized'
  | 'call-rate'
  | 'server-error'
  | 'malformed-json'
  | 'report-error';
/** One-shot faults for the next report download. */
export type MsAdsDownloadFault = 'malformed-csv' | 'bad-zip' | 'expired-link';
/** One-shot faults for the next token request. */
export type MsAdsTokenFault = 'invalid-grant' | 'server-error';

export interface MsAdsServerOptions {
  rows: MsReportRow[] | ((accountId: string) => MsReportRow[]);
  clientId: string;
  refreshToken: string;
  developerToken: string;
  /** The manager account the user signs in under; when set, the CustomerId header must match. */
  customerId?: string;
  /** Accounts the user may read (default: any). */
  accountIds?: string[];
  /** How many polls answer Pending before a report is ready (default 1). */
  pendingPolls?: number;
  /** TimePeriod as 2026-11-20 (default) or as 11/20/2026. */
  dateFormat?: 'iso' | 'us';
  tokenTtlS?: number;
  now?: () => number;
}

export interface MsSubmit {
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
}

export type MsAdsHandler = ((req: IncomingMessage, res: ServerResponse) => void) & {
  tokenRequests: URLSearchParams[];
  submits: MsSubmit[];
  polls: string[];
  downloads: string[];
  faults: MsAdsFault[];
  downloadFaults: MsAdsDownloadFault[];
  tokenFaults: MsAdsTokenFault[];
  /** Changes how many Pending answers reports submitted from now on get. */
  setPendingPolls(n: number): void;
};

const SCOPE = 'https://ads.microsoft.com/msads.manage';
const API = '/Reporting/v13/GenerateReport/';

export function microsoftAdsHandler(opts: MsAdsServerOptions): MsAdsHandler {
  const now = opts.now ?? Date.now;
  const ttl = opts.tokenTtlS ?? 3600;
  const tokens = new Map<string, number>();
  const refreshTokens = new Set([opts.refreshToken]);
  const reports = new Map<string, { pending: number; csv: string | null; failed: boolean }>();
  let pendingPolls = opts.pendingPolls ?? 1;
  let issued = 0;

  const handler = ((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url ?? '/', 'http://fake');
      if (req.method === 'POST' && url.pathname === '/token') return token(raw, res);
      if (req.method === 'POST' && url.pathname === `${API}Submit`) return api('Submit', req, raw, res);
      if (req.method === 'POST' && url.pathname === `${API}Poll`) return api('Poll', req, raw, res);
      const m = /^\/download\/([^/]+)\.zip$/.exec(url.pathname);
      if (req.method === 'GET' && m) return download(decodeURIComponent(m[1]!), url, res);
      res.writeHead(404, { 'content-type': 'text/html' });
      res.end('<h1>404 - File or directory not found.</h1>');
    });
  }) as MsAdsHandler;
  handler.tokenRequests = [];
  handler.submits = [];
  handler.polls = [];
  handler.downloads = [];
  handler.faults = [];
  handler.downloadFaults = [];
  handler.tokenFaults = [];
  handler.setPendingPolls = (n) => {
    pendingPolls = n;
  };

  function token(raw: string, res: ServerResponse) {
    const form = new URLSearchParams(raw);
    handler.tokenRequests.push(form);
    const fault = handler.tokenFaults.shift();
    if (fault === 'server-error') return json(res, 503, { error: 'temporarily_unavailable' });
    if (form.get('grant_type') !== 'refresh_token')
      return json(res, 400, { error: 'unsupported_grant_type', error_description: 'AADSTS70003: …' });
    if (form.get('client_id') !== opts.clientId)
      return json(res, 400, {
        error: 'unauthorized_client',
        error_description: `AADSTS700016: Application with identifier '${form.get('client_id')}' was not found in the directory.`,
      });
    if (!(form.get('scope') ?? '').split(' ').includes(SCOPE))
      return json(res, 400, {
        error: 'invalid_scope',
        error_description: 'AADSTS70011: The provided value for scope is not valid.',
      });
    if (fault === 'invalid-grant' || !refreshTokens.has(form.get('refresh_token') ?? ''))
      return json(res, 400, {
        error: 'invalid_grant',
        error_description:
          'AADSTS70000: The provided authorization code or refresh token has expired due to inactivity.\r\nTrace ID: 5d1c…\r\nTimestamp: 2026-11-27 06:00:00Z',
        error_codes: [70000],
      });
    const accessToken = `EwB4A8l6BAAU-fake-${++issued}-${Math.random().toString(36).slice(2)}`;
    const refreshToken = `M.C5-rotated-${issued}-${Math.random().toString(36).slice(2)}`;
    tokens.set(accessToken, now() + ttl * 1000);
    // Microsoft hands out a new refresh token with each refresh; older ones keep working until they expire.
    refreshTokens.add(refreshToken);
    json(res, 200, {
      token_type: 'Bearer',
      scope: `${SCOPE} offline_access`,
      expires_in: ttl,
      ext_expires_in: ttl,
      access_token: accessToken,
      refresh_token: refreshToken,
    });
  }

  function api(op: 'Submit' | 'Poll', req: IncomingMessage, raw: string, res: ServerResponse) {
    const presented = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    const expiry = tokens.get(presented);
    // A queued report failure waits for the Poll it is about.
    const fault =
      op === 'Submit' && handler.faults[0] === 'report-error' ? undefined : handler.faults.shift();
    if (fault === 'expired-token') tokens.delete(presented);
    if (expiry === undefined || expiry <= now() || fault === 'expired-token')
      return adApiFault(
        res,
        401,
        109,
        'AuthenticationTokenExpired',
        'Authentication token expired. Please renew it or obtain a new token.',
      );
    if (fault === 'invalid-credentials' || req.headers.developertoken !== opts.developerToken)
      return adApiFault(
        res,
        401,
        105,
        'InvalidCredentials',
        'Authentication failed. Either supplied credentials are invalid or the account is inactive',
      );
    const accountId = String(req.headers.customeraccountid ?? '');
    if (
      fault === 'not-authorized' ||
      (opts.customerId && req.headers.customerid !== opts.customerId) ||
      (opts.accountIds && !opts.accountIds.includes(accountId))
    )
      return apiFault(
        res,
        400,
        106,
        'UserIsNotAuthorized',
        'The user does not represent a authorized developer.',
      );
    if (fault === 'call-rate')
      return apiFault(
        res,
        400,
        117,
        'CallRateExceeded',
        'You have exceeded the number of calls that you are allowed to make in a minute. Please reduce the number of calls that you make per minute.',
      );
    if (fault === 'server-error')
      return apiFault(res, 500, 0, 'InternalError', 'An internal error has occurred.');
    if (fault === 'malformed-json') {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      return res.end('{"ReportRequestStatus":{"ReportDownloadUrl":"https://');
    }
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return apiFault(res, 400, 100, 'NullRequest', 'The request message is null.');
    }
    return op === 'Submit' ? submit(req, accountId, body, res) : poll(body, fault, req, res);
  }

  function submit(
    req: IncomingMessage,
    accountId: string,
    body: Record<string, unknown>,
    res: ServerResponse,
  ) {
    handler.submits.push({ headers: req.headers, body });
    const r = (body.ReportRequest ?? {}) as Record<string, unknown>;
    const time = (r.Time ?? {}) as Record<string, Record<string, number> | undefined>;
    const columns = Array.isArray(r.Columns) ? (r.Columns as string[]) : [];
    const scope = ((r.Scope ?? {}) as { AccountIds?: unknown[] }).AccountIds ?? [];
    const start = dateOf(time.CustomDateRangeStart);
    const end = dateOf(time.CustomDateRangeEnd);
    if (r.Type !== 'CampaignPerformanceReportRequest' || r.Format !== 'Csv')
      return apiFault(
        res,
        400,
        2001,
        'ReportingServiceInvalidReportType',
        'This stand-in serves Csv campaign performance reports.',
      );
    if (r.Aggregation !== 'Daily' || !columns.includes('TimePeriod'))
      return apiFault(
        res,
        400,
        2034,
        'ReportingServiceInvalidReportAggregation',
        'Daily aggregation with a TimePeriod column is served here.',
      );
    if (!start || !end || start > end)
      return apiFault(
        res,
        400,
        2014,
        'ReportingServiceInvalidCustomDateRangeStartEnd',
        'The custom date range start must be before or the same as the end.',
      );
    if (scope.length !== 1 || String(scope[0]) !== accountId)
      return apiFault(
        res,
        400,
        2008,
        'ReportingServiceInvalidAccountIdInScope',
        'Scope.AccountIds must name the CustomerAccountId account.',
      );
    const all = typeof opts.rows === 'function' ? opts.rows(accountId) : opts.rows;
    const rows = all.filter((x) => x.day >= start && x.day <= end);
    const id = `${30000000000 + reports.size + 1}_${Math.random().toString(16).slice(2, 10)}`;
    reports.set(id, {
      pending: pendingPolls,
      csv: rows.length
        ? buildMsCsv(rows, columns, { dateFormat: opts.dateFormat, headerRow: !r.ExcludeColumnHeaders })
        : null,
      failed: false,
    });
    json(res, 200, { ReportRequestId: id });
  }

  function poll(
    body: Record<string, unknown>,
    fault: MsAdsFault | undefined,
    req: IncomingMessage,
    res: ServerResponse,
  ) {
    const id = String(body.ReportRequestId ?? '');
    handler.polls.push(id);
    const report = reports.get(id);
    if (!report)
      return apiFault(
        res,
        400,
        2100,
        'ReportingServiceInvalidReportId',
        'The report identifier is not valid.',
      );
    if (fault === 'report-error') report.failed = true;
    if (report.failed)
      return json(res, 200, { ReportRequestStatus: { ReportDownloadUrl: null, Status: 'Error' } });
    if (report.pending > 0) {
      report.pending--;
      return json(res, 200, { ReportRequestStatus: { ReportDownloadUrl: null, Status: 'Pending' } });
    }
    // No rows in the range: Success without a download URL.
    const link = report.csv
      ? `http://${req.headers.host}/download/${encodeURIComponent(id)}.zip?sv=2020-08-04&se=2026-11-27T06%3A05%3A00Z&sr=b&sp=r&sig=fAkEsIgNaTuRe%2B%3D`
      : null;
    json(res, 200, { ReportRequestStatus: { ReportDownloadUrl: link, Status: 'Success' } });
  }

  function download(id: string, url: URL, res: ServerResponse) {
    handler.downloads.push(id);
    const report = reports.get(id);
    const fault = handler.downloadFaults.shift();
    if (!report?.csv || url.searchParams.get('sig') === null || fault === 'expired-link') {
      res.writeHead(403, { 'content-type': 'application/xml' });
      return res.end(
        '<?xml version="1.0" encoding="utf-8"?><Error><Code>AuthenticationFailed</Code><Message>Server failed to authenticate the request. Signed expiry time has to be after signed start time.</Message></Error>',
      );
    }
    let zip = buildZip([
      {
        name: `${id}.csv`,
        data: fault === 'malformed-csv' ? `\uFEFF"TimePeriod","CampaignId"\r\n"2026-1` : report.csv,
      },
    ]);
    if (fault === 'bad-zip') zip = zip.subarray(0, zip.length - 30);
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(zip.length) });
    res.end(zip);
  }

  return handler;
}

/** The report's CSV as Microsoft writes it: UTF-8 with a BOM, every cell quoted, CRLF line ends. */
export function buildMsCsv(
  rows: MsReportRow[],
  columns: readonly string[],
  opts: { dateFormat?: 'iso' | 'us'; headerRow?: boolean } = {},
): string {
  const value = (r: MsReportRow, c: string): string => {
    switch (c) {
      case 'TimePeriod':
        return opts.dateFormat === 'us'
          ? `${Number(r.day.slice(5, 7))}/${Number(r.day.slice(8, 10))}/${r.day.slice(0, 4)}`
          : r.day;
      case 'CampaignId':
        return r.campaignId;
      case 'CampaignName':
        return r.campaignName;
      case 'Impressions':
        return String(r.impressions);
      case 'Clicks':
        return String(r.clicks);
      case 'Spend':
        return r.spend;
      case 'Conversions':
        return r.conversions;
      case 'Revenue':
        return r.revenue;
      case 'CurrencyCode':
        return r.currency ?? 'USD';
      default:
        return '';
    }
  };
  const line = (cells: string[]) => cells.map((c) => `"${c.replace(/"/g, '""')}"`).join(',');
  const lines = [
    ...(opts.headerRow === false ? [] : [line([...columns])]),
    ...rows.map((r) => line(columns.map((c) => value(r, c)))),
  ];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** Reports go out as ZIP archives written by the same code the demo uses. */
export { buildZip };

function dateOf(d: Record<string, number> | undefined): string | null {
  if (!d || !Number.isInteger(d.Year) || !Number.isInteger(d.Month) || !Number.isInteger(d.Day)) return null;
  return `${d.Year}-${String(d.Month).padStart(2, '0')}-${String(d.Day).padStart(2, '0')}`;
}

/** AdApiFaultDetail: authentication and header problems. */
function adApiFault(res: ServerResponse, status: number, code: number, errorCode: string, message: string) {
  json(res, status, {
    Errors: [{ Code: code, Detail: null, ErrorCode: errorCode, Message: message }],
    TrackingId: 'e6a7c414-4695-4eae-967d-808dc876ba3c',
    Type: 'AdApiFaultDetail',
  });
}

/** ApiFaultDetail: operation errors, with an (empty here) list of batch errors. */
function apiFault(res: ServerResponse, status: number, code: number, errorCode: string, message: string) {
  json(res, status, {
    BatchErrors: [],
    OperationErrors: [{ Code: code, Details: null, ErrorCode: errorCode, Message: message }],
    TrackingId: '91726173-6464-4ba1-9d6f-6c125241396f',
    Type: 'ApiFaultDetail',
  });
}

function json(res: ServerResponse, status: number, value: unknown) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(value));
}
