// The one place dashboard and API writes are logged: after every successful POST/PUT/PATCH/DELETE, one
// audit_log row with who (user, API key, the shared password), a stable action name from the route, the
// site, the target from the route's parameters and the scrubbed form or JSON fields.
import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import { recordAudit, type Actor } from '../src/audit-log/store.ts';
import type { Env } from './types.ts';

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

// Logging in and out, and the language switch, change no data: the sessions table already says who
// is logged in, and logging every failed guess here would let anyone fill the log.
const NOT_LOGGED = new Set(['/login', '/login/code', '/logout', '/lang']);

/**
 * Dashboard routes whose name does not say what they do. `from` names the form field that holds the
 * verb (the Users page posts role/password/disable/… to one address). API routes need no entry: their
 * REST shape is read by `actionOf` (POST /api/v1/sites/:site/keywords = keyword.add).
 */
const NAMED: Record<string, { action: string; target?: string; from?: string }> = {
  'POST /users': { action: 'user.add', target: 'user' },
  'POST /users/:id': { action: 'user', target: 'user', from: 'action' },
  'POST /backlinks': { action: 'backlink.add', target: 'backlink' },
  'POST /backlinks/selected': { action: 'backlink', target: 'backlink', from: 'action' },
  'POST /backlinks/:id/delete': { action: 'backlink.remove', target: 'backlink' },
  'POST /rankings/keywords': { action: 'keyword.add', target: 'keyword' },
  'POST /rankings/competitors': { action: 'competitor.add', target: 'competitor' },
  'POST /rankings/competitors/:id/delete': { action: 'competitor.remove', target: 'competitor' },
  'POST /events': { action: 'event.add', target: 'event' },
  'POST /ads/accounts': { action: 'ad-account.add', target: 'ad-account' },
  'POST /ads/accounts/:id/budget': { action: 'ad-account.budget', target: 'ad-account' },
  'POST /alerts/state': { action: 'alert', target: 'alert', from: 'do' },
  'POST /jobs/run': { action: 'job.run', target: 'job' },
  'POST /api/jobs/run': { action: 'job.run', target: 'job' },
  'POST /account/password': { action: 'account.password', target: 'user' },
  'POST /account/totp/begin': { action: 'account.two-step-begin', target: 'user' },
  'POST /account/totp/confirm': { action: 'account.two-step-on', target: 'user' },
  'POST /account/totp/disable': { action: 'account.two-step-off', target: 'user' },
  'POST /account/sessions/end-others': { action: 'account.end-other-sessions', target: 'user' },
};

const VERB: Record<string, string> = { POST: 'add', PUT: 'edit', PATCH: 'edit', DELETE: 'remove' };
const singular = (s: string) =>
  s.endsWith('ies') ? `${s.slice(0, -3)}y` : s.endsWith('s') && !s.endsWith('ss') ? s.slice(0, -1) : s;

/** The route's pattern without parameter regexps ("/backlinks/:id{[0-9]+}/edit" → "/backlinks/:id/edit"). */
export function plainPattern(path: string): string {
  return path.replace(/\{[^}]*\}/g, '');
}

/**
 * A stable name for a write from its method and route pattern: REST collections are "<thing>.add",
 * items "<thing>.edit" / "<thing>.remove", and a verb after an item is kept
 * ("/backlinks/:id/archive" → "backlink.archive").
 */
export function actionOf(method: string, pattern: string): { action: string; targetType: string | null } {
  const segs = plainPattern(pattern)
    .split('/')
    .filter(Boolean)
    .filter((s, i) => !(i === 0 && s === 'api') && !/^v\d+$/.test(s) && s !== ':site');
  const last = segs.at(-1) ?? 'dashboard';
  const before = segs.at(-2);
  if (last.startsWith(':')) {
    const thing = singular(before ?? 'item');
    return { action: `${thing}.${VERB[method] ?? 'edit'}`, targetType: thing };
  }
  if (before?.startsWith(':')) {
    const thing = singular(segs.at(-3) ?? 'item');
    return { action: `${thing}.${last === 'delete' ? 'remove' : last}`, targetType: thing };
  }
  if (before && method === 'POST' && segs.length >= 2 && !['sites'].includes(before))
    return { action: `${singular(before)}.${last}`, targetType: singular(before) };
  const thing = singular(last);
  return { action: `${thing}.${VERB[method] ?? 'edit'}`, targetType: thing };
}

// Who made a request, when someone other than the logged-in user's browser did (an API key, the REST
// API's authentication marks it here). A WeakMap keeps the per-request value off the shared Env type.
const actors = new WeakMap<Context, Actor>();

/** For authentication that is not a dashboard session: an API key says "key pw_ab12…" here. */
export function setAuditActor(c: Context, actor: Actor): void {
  actors.set(c, actor);
}

function actorOf(c: Context<Env>): Actor {
  const marked = actors.get(c);
  if (marked) return marked;
  const user = c.get('user');
  if (user) return { label: user.email, userId: user.id };
  // No accounts yet: the shared bearer token, or whoever holds the shared password / the open loopback.
  return { label: c.get('bearer') ? 'api token' : 'dashboard' };
}

type Fields = Record<string, unknown>;

/** The fields sent, read from a copy of the request so the handler still reads the original. */
async function fieldsOf(copy: Request | null): Promise<Fields> {
  if (!copy) return {};
  const type = copy.headers.get('content-type') ?? '';
  try {
    if (type.includes('application/json')) {
      const v: unknown = await copy.json();
      return v && typeof v === 'object' && !Array.isArray(v) ? (v as Fields) : { body: v };
    }
    if (type.includes('form')) {
      const out: Fields = {};
      const form = (await copy.formData()) as unknown as Iterable<[string, string | File]>;
      for (const [k, v] of form) {
        const value = typeof v === 'string' ? v : `(file ${v.name}, ${v.size} bytes)`;
        const had = out[k];
        out[k] = had === undefined ? value : Array.isArray(had) ? [...had, value] : [had, value];
      }
      return out;
    }
  } catch {
    // A body the handler refused is a failed request and not logged; one it accepted but we cannot
    // read is logged without details.
  }
  return {};
}

const first = (v: unknown) => (Array.isArray(v) ? v[0] : v);

export const auditTrail: MiddlewareHandler<Env> = async (c, next) => {
  if (!WRITES.has(c.req.method) || NOT_LOGGED.has(c.req.path)) return next();
  const copy = c.req.raw.body ? c.req.raw.clone() : null;
  await next();
  if (c.res.status >= 400) return;
  // The handler's route is the last one matched for this method (middleware is registered as ALL).
  const routes = matchedRoutes(c);
  const index = routes.findLastIndex((r) => r.method === c.req.method);
  if (index < 0) return;
  const pattern = plainPattern(routes[index]!.path);
  const saved = c.req.routeIndex;
  c.req.routeIndex = index;
  const params = c.req.param() as Record<string, string>;
  c.req.routeIndex = saved;

  const fields = await fieldsOf(copy);
  const named = NAMED[`${c.req.method} ${pattern}`];
  let { action, targetType } = named
    ? { action: named.action, targetType: named.target ?? null }
    : actionOf(c.req.method, pattern);
  let targetId: string | null = params.id ?? null;
  if (named?.from) {
    // "ack:12" (one alert's button) or "archive" (the chosen verb); only a plain word becomes a name.
    const [verb, one] = String(first(fields[named.from]) ?? '').split(':');
    action = `${action}.${/^[a-z][a-z-]{0,30}$/.test(verb ?? '') ? verb : 'change'}`;
    if (one && /^\d+$/.test(one)) targetId = one;
  }
  if (targetType === 'user' && pattern.startsWith('/account'))
    targetId = String(c.get('user')?.id ?? '') || null;
  if (targetType === 'job')
    targetId = typeof first(fields.job) === 'string' ? String(first(fields.job)) : null;

  // On the Users page `site` is the list of sites granted (ids), which stays in the details; elsewhere
  // it names the site the change is about and goes to its own column.
  const grants = pattern === '/users' || pattern === '/users/:id';
  const sites = c.get('sites') ?? [];
  const byName = (name: unknown) =>
    typeof name === 'string' ? sites.find((s) => s.name === name) : undefined;
  const site =
    (params.site === undefined
      ? undefined
      : (byName(params.site) ?? sites.find((s) => String(s.id) === params.site))) ??
    (grants ? undefined : byName(first(fields.site))) ??
    byName(c.req.query('site'));
  const details: Fields = {};
  for (const [k, v] of Object.entries(fields)) {
    // The CSRF token, the site (its own column) and the verb (in the action) would only repeat.
    if (k.startsWith('_') || k === 'back' || (k === 'site' && !grants) || named?.from === k) continue;
    details[k] = v;
  }
  const { sql, now, log } = c.get('deps');
  try {
    await recordAudit(
      sql,
      actorOf(c),
      { action, siteId: site?.id ?? null, targetType, targetId, details },
      now(),
    );
  } catch (err) {
    // The change itself is done: answering 500 now would tell the client it failed and invite a retry.
    log.error(
      `audit log: could not record ${action} (${c.req.method} ${c.req.path}): ${(err as Error).message}`,
    );
  }
};
