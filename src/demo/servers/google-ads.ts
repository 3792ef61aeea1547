// Local stand-in for Google's token endpoint and the Google Ads REST searchStream method: issues expiring
// tokens for a refresh token, checks the developer-token and login-customer-id headers, reads just enough
// GAQL to answer the customer query and daily campaign metrics for a date range, streams the rows in
// batches in proto3 JSON (int64 as strings, zero values left out), and answers with the documented errors
// when a test queues a fault.
// https://developers.google.com/google-ads/api/rest/reference/rest/v26/customers.googleAds/searchStream
// https://developers.google.com/google-ads/api/rest/design/json-mappings
import type { IncomingMessage, ServerResponse } from 'node:http';
import { answerQuery, type FakeCampaignDay, type FakeCustomer } from './google-ads-query.ts';
// The fake's data types live with its query answering; re-exported for the demo and tests.
export type { FakeCampaignDay, FakeCustomer } from './google-ads-query.ts';

/** One-shot faults for the next searchStream request. */
export type GoogleAdsFault =
  | 'expired-token'
  | 'permission'
  | 'not-approved'
  | 'query-error'
  | 'malformed'
  | 'server-error'
  | 'fail-mid-stream'
  /** 429 RESOURCE_TEMPORARILY_EXHAUSTED; Retry-After and/or the retryDelay in the failure details. */
  | { kind: 'rate-limit'; retryAfterS?: number; retryDelayS?: number }
  /** 429 RESOURCE_EXHAUSTED: the day's operations are spent (Google asks to wait hours). */
  | 'daily-quota';
/** One-shot faults for the next token request. */
export type GoogleAdsTokenFault = 'invalid-grant' | 'server-error';

export interface GoogleAdsServerOptions {
  oauth: { clientId: string; clientSecret: string; refreshToken: string };
  customers: Record<string, FakeCustomer>;
  /** The campaigns' activity; days with no entry (or an empty list) had none. */
  rows: (customerId: string, day: string) => FakeCampaignDay[];
  /** When set, requests must carry this developer-token (as before the September 2026 sunset). */
  developerToken?: string;
  /** Rows per streamed batch (Google's: 10,000). */
  batchSize?: number;
  /** API versions served (a sunset one answers 404). */
  versions?: string[];
  /** expires_in of issued tokens (Google's: 3599). */
  tokenTtlS?: number;
  /** The server's clock, ms since the epoch. */
  now?: () => number;
}

export interface GoogleAdsRequest {
  version: string;
  customerId: string;
  headers: IncomingMessage['headers'];
  query: string;
}

export type GoogleAdsHandler = ((req: IncomingMessage, res: ServerResponse) => void) & {
  tokenRequests: URLSearchParams[];
  requests: GoogleAdsRequest[];
  faults: GoogleAdsFault[];
  tokenFaults: GoogleAdsTokenFault[];
};

const STREAM_PATH = /^\/(v\d+)\/customers\/([^/]+)\/googleAds:searchStream$/;

export function googleAdsHandler(opts: GoogleAdsServerOptions): GoogleAdsHandler {
  const now = opts.now ?? Date.now;
  const ttl = opts.tokenTtlS ?? 3599;
  const versions = opts.versions ?? ['v24', 'v25', 'v26'];
  const tokens = new Map<string, number>();
  let issued = 0;
  let requestNo = 0;

  const handler = ((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const path = (req.url ?? '').split('?')[0] ?? '';
      if (req.method === 'POST' && path === '/token') return token(body, res);
      const m = STREAM_PATH.exec(path);
      if (req.method === 'POST' && m && versions.includes(m[1]!))
        return stream(m[1]!, decodeURIComponent(m[2]!), req, body, res);
      // Google's front end answers unknown paths (and sunset versions) with an HTML page.
      res.writeHead(404, { 'content-type': 'text/html; charset=UTF-8' });
      res.end(
        `<!DOCTYPE html><html lang=en><title>Error 404 (Not Found)!!1</title><p><b>404.</b> <ins>That’s an error.</ins><p>The requested URL <code>${path}</code> was not found on this server.  <ins>That’s all we know.</ins>`,
      );
    });
  }) as GoogleAdsHandler;
  handler.tokenRequests = [];
  handler.requests = [];
  handler.faults = [];
  handler.tokenFaults = [];

  function token(raw: string, res: ServerResponse) {
    const form = new URLSearchParams(raw);
    handler.tokenRequests.push(form);
    const fault = handler.tokenFaults.shift();
    if (fault === 'server-error') return json(res, 500, { error: 'internal_failure' });
    if (form.get('grant_type') !== 'refresh_token')
      return json(res, 400, {
        error: 'unsupported_grant_type',
        error_description: `Invalid grant_type: ${form.get('grant_type') ?? ''}`,
      });
    const o = opts.oauth;
    if (form.get('client_id') !== o.clientId || form.get('client_secret') !== o.clientSecret)
      return json(res, 401, { error: 'invalid_client', error_description: 'Unauthorized' });
    if (fault === 'invalid-grant' || form.get('refresh_token') !== o.refreshToken)
      return json(res, 400, {
        error: 'invalid_grant',
        error_description: 'Token has been expired or revoked.',
      });
    const accessToken = `ya29.a0-fake-${++issued}-${Math.random().toString(36).slice(2)}`;
    tokens.set(accessToken, now() + ttl * 1000);
    json(res, 200, {
      access_token: accessToken,
      expires_in: ttl,
      scope: 'https://www.googleapis.com/auth/adwords',
      token_type: 'Bearer',
    });
  }

  function stream(
    version: string,
    customerId: string,
    req: IncomingMessage,
    raw: string,
    res: ServerResponse,
  ) {
    const requestId = `fakeReq${++requestNo}-${Math.random().toString(36).slice(2, 10)}`;
    let query = '';
    try {
      const body = JSON.parse(raw) as { query?: unknown };
      query = typeof body.query === 'string' ? body.query : '';
    } catch {
      // answered below as a query error
    }
    handler.requests.push({ version, customerId, headers: req.headers, query });
    const fail = (
      code: number,
      status: string,
      message: string,
      errors: object[],
      headers: Record<string, string> = {},
    ) => adsError(res, version, requestId, code, status, message, errors, headers);

    const presented = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    const expiry = tokens.get(presented);
    const fault = handler.faults.shift();
    if (fault === 'expired-token') tokens.delete(presented);
    if (expiry === undefined || expiry <= now() || fault === 'expired-token')
      return fail(
        401,
        'UNAUTHENTICATED',
        `${presented ? 'Request had invalid authentication credentials' : 'Request is missing required authentication credential'}. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.`,
        [
          {
            errorCode: { authenticationError: 'OAUTH_TOKEN_EXPIRED' },
            message: 'OAuth token in the header has expired.',
          },
        ],
      );
    if (opts.developerToken !== undefined) {
      const sent = req.headers['developer-token'];
      if (sent === undefined)
        return fail(400, 'INVALID_ARGUMENT', 'Request contains an invalid argument.', [
          {
            errorCode: { requestError: 'DEVELOPER_TOKEN_PARAMETER_MISSING' },
            message: 'The developer-token parameter is required for all requests.',
          },
        ]);
      if (sent !== opts.developerToken)
        return fail(401, 'UNAUTHENTICATED', 'Request is missing required authentication credential.', [
          {
            errorCode: { authenticationError: 'DEVELOPER_TOKEN_INVALID' },
            message: 'The developer token is not valid.',
          },
        ]);
    }
    const customer = opts.customers[customerId];
    const login = req.headers['login-customer-id'];
    if (
      fault === 'permission' ||
      !customer ||
      (customer.manager !== undefined && login !== customer.manager) ||
      (login !== undefined && login !== customer.manager && login !== customerId)
    )
      return fail(403, 'PERMISSION_DENIED', 'The caller does not have permission', [
        {
          errorCode: { authorizationError: 'USER_PERMISSION_DENIED' },
          message:
            "User doesn't have permission to access customer. Note: If you're accessing a client customer, the manager's customer ID must be set in the 'login-customer-id' header. See https://developers.google.com/google-ads/api/docs/concepts/call-structure#cid",
        },
      ]);
    if (fault === 'not-approved')
      return fail(403, 'PERMISSION_DENIED', 'The caller does not have permission', [
        {
          errorCode: { authorizationError: 'CLOUD_PROJECT_NOT_APPROVED_FOR_PRODUCTION' },
          message:
            'The Google Cloud project is only approved for use with test accounts. To access non-test accounts, apply for Explorer, Basic or Standard access.',
        },
      ]);
    if (typeof fault === 'object') {
      const delay = fault.retryDelayS;
      return fail(
        429,
        'RESOURCE_EXHAUSTED',
        'Resource has been exhausted (e.g. check quota).',
        [
          {
            errorCode: { quotaError: 'RESOURCE_TEMPORARILY_EXHAUSTED' },
            message: `Too many requests in a short amount of time.${delay !== undefined ? ` Retry in ${delay} seconds.` : ''}`,
            ...(delay !== undefined
              ? {
                  details: {
                    quotaErrorDetails: {
                      rateScope: 'ACCOUNT',
                      rateName: 'Requests per account',
                      retryDelay: `${delay}s`,
                    },
                  },
                }
              : {}),
          },
        ],
        fault.retryAfterS !== undefined ? { 'retry-after': String(fault.retryAfterS) } : {},
      );
    }
    if (fault === 'daily-quota')
      return fail(429, 'RESOURCE_EXHAUSTED', 'Resource has been exhausted (e.g. check quota).', [
        {
          errorCode: { quotaError: 'RESOURCE_EXHAUSTED' },
          message: 'Too many requests. Retry in 40591 seconds.',
          details: {
            quotaErrorDetails: {
              rateScope: 'DEVELOPER',
              rateName: 'Number of operations for explorer access',
              retryDelay: '40591s',
            },
          },
        },
      ]);
    if (fault === 'server-error')
      return fail(500, 'INTERNAL', 'Internal error encountered.', [
        { errorCode: { internalError: 'INTERNAL_ERROR' }, message: 'An internal error has occurred.' },
      ]);
    if (fault === 'malformed') {
      res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' });
      return res.end('[{\n  "results": [\n    {\n      "campaign": {\n        "resourceName": "customers/');
    }

    const answer = answerQuery(customerId, customer, query, fault === 'query-error', opts.rows);
    if ('error' in answer)
      return fail(400, 'INVALID_ARGUMENT', 'Request contains an invalid argument.', [answer.error]);
    const size = opts.batchSize ?? 10_000;
    const batches: object[] = [];
    for (let i = 0; i < answer.rows.length || i === 0; i += size)
      batches.push({
        ...(answer.rows.length ? { results: answer.rows.slice(i, i + size) } : {}),
        fieldMask: answer.fieldMask,
        requestId,
      });
    if (fault === 'fail-mid-stream') {
      // The stream started (HTTP 200) and broke off with an error element after the first batch.
      res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' });
      return res.end(
        JSON.stringify([
          batches[0],
          errorBody(version, requestId, 503, 'UNAVAILABLE', 'The service is currently unavailable.', [
            {
              errorCode: { internalError: 'TRANSIENT_ERROR' },
              message: 'The request failed due to a transient error. Please retry.',
            },
          ]),
        ]),
      );
    }
    json(res, 200, batches);
  }

  return handler;
}

function errorBody(
  version: string,
  requestId: string,
  code: number,
  status: string,
  message: string,
  errors: object[],
) {
  return {
    error: {
      code,
      message,
      status,
      details: [
        {
          '@type': `type.googleapis.com/google.ads.googleads.${version}.errors.GoogleAdsFailure`,
          errors,
          requestId,
        },
      ],
    },
  };
}

function adsError(
  res: ServerResponse,
  version: string,
  requestId: string,
  code: number,
  status: string,
  message: string,
  errors: object[],
  headers: Record<string, string>,
) {
  json(res, code, errorBody(version, requestId, code, status, message, errors), headers);
}

function json(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', ...headers });
  res.end(JSON.stringify(value, null, 2));
}
