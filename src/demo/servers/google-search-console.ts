// Local stand-in for Google's token endpoint and the Search Console searchAnalytics/query API: issues
// expiring tokens (refresh token or service-account JWT, signature checked), pages rows with startRow, and
// answers with the documented errors when a test queues a fault.
// https://developers.google.com/webmaster-tools/v1/searchanalytics/query
// https://developers.google.com/identity/protocols/oauth2/service-account#authorizingrequests
import { verify, type KeyObject } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { QueryStat } from '../../rank/types.ts';

/** One-shot faults for the next query request. */
export type GscFault = 'expired-token' | 'quota' | 'rate-limit' | 'permission' | 'malformed' | 'server-error';
/** One-shot faults for the next token request. */
export type GscTokenFault = 'invalid-grant' | 'server-error';

export interface GscServerOptions {
  /** The property's data; rows of other days than asked are left out. */
  rows: QueryStat[] | ((range: { startDate: string; endDate: string }) => QueryStat[]);
  /** Properties the credentials may read (default: any). */
  properties?: string[];
  oauth?: { clientId: string; clientSecret: string; refreshToken: string };
  serviceAccount?: { clientEmail: string; publicKey: KeyObject | string };
  /** expires_in of issued tokens (Google's: 3599). */
  tokenTtlS?: number;
  /** The server's clock, ms since the epoch (token expiry, JWT iat/exp checks). */
  now?: () => number;
}

export interface GscTokenRequest {
  grantType: string;
  /** The JWT's claims, for the service-account grant. */
  claims?: Record<string, unknown>;
}

export interface GscQueryRequest {
  property: string;
  authorization: string;
  body: Record<string, unknown>;
}

export type GscHandler = ((req: IncomingMessage, res: ServerResponse) => void) & {
  tokenRequests: GscTokenRequest[];
  queries: GscQueryRequest[];
  faults: GscFault[];
  tokenFaults: GscTokenFault[];
};

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const SCOPE = 'https://www.googleapis.com/auth/webmasters.readonly';
const QUERY_PATH = /^\/webmasters\/v3\/sites\/([^/]+)\/searchAnalytics\/query$/;
const DIMENSIONS = ['date', 'query', 'page', 'device', 'country'];

export function searchConsoleHandler(opts: GscServerOptions): GscHandler {
  const now = opts.now ?? Date.now;
  const ttl = opts.tokenTtlS ?? 3599;
  const tokens = new Map<string, number>();
  let issued = 0;

  const handler = ((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const path = (req.url ?? '').split('?')[0] ?? '';
      if (req.method === 'POST' && path === '/token') return token(req, body, res);
      const m = QUERY_PATH.exec(path);
      if (req.method === 'POST' && m) return query(decodeURIComponent(m[1]!), req, body, res);
      googleError(res, 404, 'NOT_FOUND', `The requested URL ${path} was not found on this server.`);
    });
  }) as GscHandler;
  handler.tokenRequests = [];
  handler.queries = [];
  handler.faults = [];
  handler.tokenFaults = [];

  function token(req: IncomingMessage, raw: string, res: ServerResponse) {
    const form = new URLSearchParams(raw);
    const grantType = form.get('grant_type') ?? '';
    const logged: GscTokenRequest = { grantType };
    handler.tokenRequests.push(logged);
    const fault = handler.tokenFaults.shift();
    if (fault === 'server-error') return json(res, 500, { error: 'internal_failure' });
    if (fault === 'invalid-grant' && grantType === 'refresh_token')
      return json(res, 400, {
        error: 'invalid_grant',
        error_description: 'Token has been expired or revoked.',
      });
    if (grantType === 'refresh_token') {
      const o = opts.oauth;
      if (!o || form.get('client_id') !== o.clientId || form.get('client_secret') !== o.clientSecret)
        return json(res, 401, { error: 'invalid_client', error_description: 'Unauthorized' });
      if (form.get('refresh_token') !== o.refreshToken)
        return json(res, 400, { error: 'invalid_grant', error_description: 'Bad Request' });
    } else if (grantType === JWT_BEARER) {
      const problem = checkJwt(form.get('assertion') ?? '', `http://${req.headers.host}/token`, logged);
      if (problem || fault === 'invalid-grant')
        return json(res, 400, {
          error: 'invalid_grant',
          error_description: problem ?? 'Invalid grant: account not found',
        });
    } else {
      return json(res, 400, {
        error: 'unsupported_grant_type',
        error_description: `Invalid grant_type: ${grantType}`,
      });
    }
    const accessToken = `ya29.fake-${++issued}-${Math.random().toString(36).slice(2)}`;
    tokens.set(accessToken, now() + ttl * 1000);
    json(res, 200, { access_token: accessToken, expires_in: ttl, token_type: 'Bearer', scope: SCOPE });
  }

  /** The checks Google makes on a service-account assertion, with its error texts. */
  function checkJwt(assertion: string, audience: string, logged: GscTokenRequest): string | null {
    const sa = opts.serviceAccount;
    const parts = assertion.split('.');
    if (!sa || parts.length !== 3) return 'Invalid JWT: bad format';
    const [h, c, s] = parts as [string, string, string];
    let header: Record<string, unknown>, claims: Record<string, unknown>;
    try {
      header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as Record<string, unknown>;
      claims = JSON.parse(Buffer.from(c, 'base64url').toString('utf8')) as Record<string, unknown>;
    } catch {
      return 'Invalid JWT: bad format';
    }
    logged.claims = claims;
    if (header.alg !== 'RS256') return 'Invalid JWT: alg must be RS256';
    if (!verify('sha256', Buffer.from(`${h}.${c}`), sa.publicKey, Buffer.from(s, 'base64url')))
      return 'Invalid JWT Signature.';
    if (claims.iss !== sa.clientEmail) return 'Invalid grant: account not found';
    if (claims.aud !== audience) return 'Invalid JWT: Failed audience check.';
    if (typeof claims.scope !== 'string' || !claims.scope.split(' ').includes(SCOPE)) return 'Invalid scope';
    const t = now() / 1000;
    const iat = Number(claims.iat);
    const exp = Number(claims.exp);
    if (!(exp - iat <= 3600 && iat <= t + 300 && exp > t))
      return 'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.';
    return null;
  }

  function query(property: string, req: IncomingMessage, raw: string, res: ServerResponse) {
    const authorization = req.headers.authorization ?? '';
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      // answered below as an invalid argument
    }
    handler.queries.push({ property, authorization, body });
    const presented = authorization.replace(/^Bearer /, '');
    const expiry = tokens.get(presented);
    const fault = handler.faults.shift();
    if (fault === 'expired-token') tokens.delete(presented);
    if (expiry === undefined || expiry <= now() || fault === 'expired-token')
      return googleError(
        res,
        401,
        'UNAUTHENTICATED',
        'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
      );
    if (fault === 'quota')
      return googleError(
        res,
        429,
        'RESOURCE_EXHAUSTED',
        'Search Analytics load quota exceeded for this property.',
      );
    if (fault === 'rate-limit')
      return googleError(res, 429, 'RESOURCE_EXHAUSTED', "Quota exceeded for quota metric 'Queries'.", {
        'retry-after': '30',
      });
    if (fault === 'server-error') return googleError(res, 500, 'INTERNAL', 'Internal error encountered.');
    if (fault === 'malformed') {
      res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' });
      return res.end('{\n  "rows": [\n    {\n      "keys": [\n        "2026-');
    }
    if (fault === 'permission' || (opts.properties && !opts.properties.includes(property)))
      return googleError(
        res,
        403,
        'PERMISSION_DENIED',
        `User does not have sufficient permission for site '${property}'. See also: https://support.google.com/webmasters/answer/2451999.`,
        {},
        'forbidden',
      );
    const startDate = String(body.startDate ?? '');
    const endDate = String(body.endDate ?? '');
    const rowLimit = body.rowLimit === undefined ? 1000 : Number(body.rowLimit);
    const startRow = Number(body.startRow ?? 0);
    const dims = Array.isArray(body.dimensions) ? (body.dimensions as unknown[]) : [];
    const day = /^\d{4}-\d{2}-\d{2}$/;
    if (!day.test(startDate) || !day.test(endDate))
      return googleError(res, 400, 'INVALID_ARGUMENT', 'Invalid value at startDate / endDate (YYYY-MM-DD).');
    if (
      !Number.isInteger(rowLimit) ||
      rowLimit < 1 ||
      rowLimit > 25000 ||
      !Number.isInteger(startRow) ||
      startRow < 0
    )
      return googleError(res, 400, 'INVALID_ARGUMENT', 'rowLimit must be 1–25000 and startRow at least 0.');
    if (dims.length !== DIMENSIONS.length || !DIMENSIONS.every((d) => dims.includes(d)))
      return googleError(
        res,
        400,
        'INVALID_ARGUMENT',
        'This stand-in serves the five dimensions date, query, page, device, country.',
      );
    const all = typeof opts.rows === 'function' ? opts.rows({ startDate, endDate }) : opts.rows;
    const rows = all
      .filter((r) => r.day >= startDate && r.day <= endDate)
      .map((r, i) => ({ r, i }))
      // Documented order: by clicks, highest first (ties kept in a stable order so pages never overlap).
      .sort((a, b) => b.r.clicks - a.r.clicks || b.r.impressions - a.r.impressions || a.i - b.i)
      .slice(startRow, startRow + rowLimit)
      .map(({ r }) => {
        const values: Record<string, string> = {
          date: r.day,
          query: r.query,
          page: r.page,
          device: r.device.toUpperCase(),
          country: r.country,
        };
        return {
          keys: dims.map((d) => values[String(d)]),
          clicks: r.clicks,
          impressions: r.impressions,
          ctr: r.impressions ? r.clicks / r.impressions : 0,
          position: r.position ?? 0,
        };
      });
    // An empty answer has no "rows" key at all.
    json(
      res,
      200,
      rows.length ? { rows, responseAggregationType: 'byPage' } : { responseAggregationType: 'byPage' },
    );
  }

  return handler;
}

function googleError(
  res: ServerResponse,
  code: number,
  status: string,
  message: string,
  headers: Record<string, string> = {},
  reason?: string,
) {
  const errors = reason ? { errors: [{ message, domain: 'global', reason }] } : {};
  json(res, code, { error: { code, message, ...errors, status } }, headers);
}

function json(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', ...headers });
  res.end(JSON.stringify(value, null, 2));
}
