// What every /api/v1 resource shares: key authentication and rate limit, the one error shape, cursor
// paging, and the helper that registers each route together with its declaration for the one
// authorisation check (web/access.ts), which judges scope and site before any handler runs.
import { OpenAPIHono, z, type RouteConfig, type RouteHandler } from '@hono/zod-openapi';
import type { Context, Next } from 'hono';
import { authenticateKey, type KeyPrincipal } from '../../../src/auth/api-keys.ts';
import type { SharedKeyRateLimiter } from '../../../src/limits/rate.ts';
import type { SiteRow } from '../../../src/db/sites.ts';
import type { RouteRule, SiteFrom } from '../../access.ts';
import { setAuditActor } from '../../audit-log.ts';
import type { Env } from '../../types.ts';

/** On /api/v1 a handler runs only for a key (the authorisation check refuses anyone else first). */
export type V1Env = { Variables: Env['Variables'] & { apiKey: KeyPrincipal } };

export const isV1Path = (path: string) => path === '/api/v1' || path.startsWith('/api/v1/');

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

/**
 * Authentication only, run by the login middleware (web/auth.ts) for /api/v1: a Bearer key becomes the
 * request's key (`apiKey`), within its rate limit (429 with Retry-After), named in the audit log. No key,
 * or one that is unknown, revoked or expired, leaves `apiKey` unset: the authorisation check then answers
 * 401 on every route but the public ones (the document and its docs page).
 */
export async function keyAuth(c: Context<Env>, next: Next, limiter: SharedKeyRateLimiter) {
  const header = c.req.header('authorization') ?? '';
  const { sql, now } = c.get('deps');
  const key = header.startsWith('Bearer ') ? await authenticateKey(sql, header.slice(7).trim(), now()) : null;
  if (!key) return next();
  const wait = await limiter.take(key.key.id);
  if (wait > 0) {
    c.header('Retry-After', String(wait));
    return errorResponse(c, new ApiError('rate_limited', c.get('t').api.errors.rateLimited(wait)));
  }
  c.set('apiKey', key);
  // The audit log names the key (and whose it is), not only its user.
  setAuditActor(c, {
    label: `key ${key.key.prefix}… (${key.user.email})`,
    userId: key.user.id,
    apiKeyId: key.key.id,
  });
  return next();
}

/** What a REST API route needs of the key: to read, to write, or nothing (the document, the docs page). */
export type V1Need = 'read' | 'write' | 'public';

/**
 * One resource's router and the declarations of its routes. `route()` is the only way a resource
 * registers a route, and it declares the route (method, path, need, where its site comes from) in the
 * same call, so no route exists without its line in the authorisation table.
 */
export function v1Resource() {
  const router = v1Router();
  const routes: RouteRule[] = [];
  return {
    router,
    routes: routes as readonly RouteRule[],
    route<R extends RouteConfig>(need: V1Need, site: SiteFrom, config: R, handler: RouteHandler<R, V1Env>) {
      // The OpenAPI path "/sites/{site}" is Hono's "/sites/:site".
      const path = config.path.replace(/\{(\w+)\}/g, ':$1');
      routes.push({ method: config.method.toUpperCase() as RouteRule['method'], path, need, site });
      // The handler is already typed for this route (input, responses); openapi() re-derives the same
      // types through generics TypeScript cannot relate to RouteHandler<R>, hence the cast.
      router.openapi(config, handler as never);
    },
  };
}
export type V1Resource = ReturnType<typeof v1Resource>;

/** The site named in the path. The authorisation check has already answered 404 for a site the key
 * does not reach, and chose this one (`site`); the 404 here only keeps a misdeclared route safe. */
export function pathSite(c: Context<V1Env>): SiteRow {
  const site = c.get('site');
  if (!site) throw new ApiError('not_found', c.get('t').api.errors.unknownSite(c.req.param('site') ?? ''));
  return site;
}

/** A site by name among those the key reaches (`sites`, as the authorisation check narrowed them). */
export function siteNamed(c: Context<V1Env>, name: string): SiteRow {
  const site = c.get('sites').find((s) => s.name === name);
  if (!site) throw new ApiError('not_found', c.get('t').api.errors.unknownSite(name));
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
