// What every /api/v1 resource shares: key authentication and rate limit, the one error shape, cursor
// paging, site resolution within the key's reach, and the route table the authorisation check reads.
import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { authenticateKey, type KeyPrincipal, type KeyRateLimiter } from '../../../src/auth/api-keys.ts';
import type { SiteRow } from '../../../src/db/sites.ts';
import { setAuditActor } from '../../audit-log.ts';
import type { Env } from '../../types.ts';

export type V1Env = { Variables: Env['Variables'] & { apiKey: KeyPrincipal } };

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.enum([
        'unauthorized',
        'forbidden',
        'not_found',
        'invalid',
        'conflict',
        'rate_limited',
        'internal',
      ]),
      message: z.string(),
      field: z.string().optional(),
    }),
  })
  .openapi('Error');

export type ErrorCode = z.infer<typeof ErrorSchema>['error']['code'];
const STATUS: Record<ErrorCode, 400 | 401 | 403 | 404 | 409 | 429 | 500> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  internal: 500,
};

/** Thrown by handlers; the router turns it into the one error shape (so handlers stay typed by success). */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export function errorBody(code: ErrorCode, message: string, field?: string) {
  return { error: { code, message, ...(field === undefined ? {} : { field }) } };
}

export function errorResponse(c: Context, e: ApiError) {
  return c.json(errorBody(e.code, e.message, e.field), STATUS[e.code]);
}

/** A sub-router whose failed zod validation answers 400 in the one shape, naming the first bad field. */
export function v1Router() {
  return new OpenAPIHono<V1Env>({
    defaultHook: (result, c) => {
      if (result.success) return;
      const issue = result.error.issues[0];
      const field = issue?.path.join('.') || result.target;
      return c.json(
        errorBody('invalid', c.get('t').api.errors.invalid(field, issue?.message ?? 'invalid'), field),
        400,
      );
    },
  });
}

/** Who may call a route: `read` keys read, `write` keys also change. How the route's site is found:
 * a `{site}` name in the path, the site of a backlink / alert id in the path, or none (the key's sites). */
export interface RouteNeed {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Hono path under /api/v1, e.g. "/sites/:site/keywords". */
  path: string;
  scope: 'read' | 'write' | 'public';
  site: 'path-site' | 'path-backlink' | 'path-alert' | 'path-report' | 'path-ad-account' | 'none';
}

/** Bearer key in, principal set; refuses unknown keys (401), exhausted keys (429) and read keys on
 * writes (403). Routes marked public (the document and its docs page) need no key. */
export function keyAuth(
  limiter: KeyRateLimiter,
  table: () => readonly RouteNeed[],
): MiddlewareHandler<V1Env> {
  return async (c, next) => {
    const need = findNeed(table(), c.req.method, c.req.path.replace(/^\/api\/v1/, ''));
    if (need?.scope === 'public') return next();
    const t = c.get('t').api.errors;
    const header = c.req.header('authorization') ?? '';
    const { db, now } = c.get('deps');
    const principal = header.startsWith('Bearer ')
      ? authenticateKey(db, header.slice(7).trim(), now())
      : null;
    if (!principal) return errorResponse(c, new ApiError('unauthorized', t.unauthorized));
    const wait = limiter.take(principal.key.id);
    if (wait > 0) {
      c.header('Retry-After', String(wait));
      return errorResponse(c, new ApiError('rate_limited', t.rateLimited(wait)));
    }
    // Unknown routes fall through to 404; any method but GET/HEAD changes something.
    const writes = need ? need.scope === 'write' : !['GET', 'HEAD'].includes(c.req.method);
    if (writes && principal.scope !== 'write') return errorResponse(c, new ApiError('forbidden', t.readOnly));
    c.set('apiKey', principal);
    // The audit log names the key (and whose it is), not only its user.
    setAuditActor(c, {
      label: `key ${principal.key.prefix}… (${principal.user.email})`,
      userId: principal.user.id,
      apiKeyId: principal.key.id,
    });
    return next();
  };
}

function findNeed(table: readonly RouteNeed[], method: string, path: string): RouteNeed | undefined {
  const m = method === 'HEAD' ? 'GET' : method;
  return table.find((r) => {
    if (r.method !== m) return false;
    const re = new RegExp(`^${r.path.replace(/:[a-zA-Z]+/g, '[^/]+')}/?$`);
    return re.test(path);
  });
}

/** The sites this request's key reaches, in the config's order. */
export function reachableSites(c: Context<V1Env>): SiteRow[] {
  const ids = c.get('apiKey').siteIds;
  return c.get('sites').filter((s) => ids === null || ids.includes(s.id));
}

/** The site named in the path, if the key reaches it; else 404 (never 403: another site's existence is
 * not the caller's business). */
export function siteNamed(c: Context<V1Env>, name: string): SiteRow {
  const site = reachableSites(c).find((s) => s.name === name);
  if (!site) throw new ApiError('not_found', c.get('t').api.errors.unknownSite(name));
  return site;
}

/** The site with this id, if the key reaches it; else 404 (the thing it owns is "not found"). */
export function siteById(c: Context<V1Env>, siteId: number | null): SiteRow {
  const site = reachableSites(c).find((s) => s.id === siteId);
  if (!site) throw new ApiError('not_found', c.get('t').api.errors.notFound);
  return site;
}

// --- Paging --------------------------------------------------------------------------------------
// Lists are ordered by a stable key (usually the id); the cursor is that key of the last item given,
// wrapped so callers treat it as opaque (its form may change).

export const PageQuery = z.object({
  cursor: z.string().optional().openapi({ description: 'The "next" value of the previous page.' }),
  limit: z.coerce.number().int().min(1).max(500).default(100).openapi({ example: 100 }),
});

export function pageSchema<T extends z.ZodType>(item: T, name: string) {
  return z
    .object({
      items: z.array(item),
      next: z.string().nullable().openapi({ description: 'Cursor of the next page; null on the last one.' }),
    })
    .openapi(name);
}

function decodeCursor(c: Context<V1Env>, cursor: string | undefined): string | number | null {
  if (cursor === undefined || cursor === '') return null;
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { k?: unknown };
    if (typeof v.k === 'number' || typeof v.k === 'string') return v.k;
  } catch {
    /* fall through */
  }
  throw new ApiError('invalid', c.get('t').api.errors.badCursor, 'cursor');
}

/** One page of `items` (already in their stable order by `key`), after the cursor. */
export function page<T>(
  c: Context<V1Env>,
  items: readonly T[],
  key: (item: T) => string | number,
  q: { cursor?: string; limit: number },
): { items: T[]; next: string | null } {
  const after = decodeCursor(c, q.cursor);
  const start = after === null ? 0 : items.findIndex((i) => key(i) > after);
  const rest = start < 0 ? [] : items.slice(start);
  const chunk = rest.slice(0, q.limit);
  const more = rest.length > q.limit;
  const next = more
    ? Buffer.from(JSON.stringify({ k: key(chunk[chunk.length - 1]!) })).toString('base64url')
    : null;
  return { items: chunk, next };
}

export const SiteParam = z.object({
  site: z
    .string()
    .openapi({ param: { name: 'site', in: 'path' }, example: 'studio', description: 'Site name' }),
});
export const IdParam = z.object({
  id: z.coerce
    .number()
    .int()
    .positive()
    .openapi({ param: { name: 'id', in: 'path' }, example: 1 }),
});

export const errorResponses = {
  400: { description: 'Invalid input', content: { 'application/json': { schema: ErrorSchema } } },
  401: { description: 'No valid API key', content: { 'application/json': { schema: ErrorSchema } } },
  403: { description: 'The key may only read', content: { 'application/json': { schema: ErrorSchema } } },
  404: {
    description: 'Not found, or not on a site the key reaches',
    content: { 'application/json': { schema: ErrorSchema } },
  },
  429: {
    description: 'Rate limit of the key; see Retry-After',
    content: { 'application/json': { schema: ErrorSchema } },
  },
} as const;

export function json<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { 'application/json': { schema } } };
}
