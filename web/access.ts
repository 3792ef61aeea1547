// The one authorisation check: every route of the app is declared with what it needs (read, write,
// admin) and where its site comes from (the dashboard's routes below, the REST API's by the helper that
// registers them); one middleware judges each request against that table, whoever asks: a user, a share
// link or an API key. A site the asker may not see answers 404 (its existence is not confirmed); a change
// the asker may not make answers 403. Handlers keep their own "no such thing" answers and never decide
// access themselves.
import type { Context, MiddlewareHandler } from 'hono';
import type { KeyPrincipal } from '../src/auth/api-keys.ts';
import { sitesOf, type OwnedKind } from '../src/auth/owners.ts';
import { configuredSites } from '../src/db/sites.ts';
import { formatter } from '../src/i18n/index.ts';
import { usersExist } from './auth.ts';
import type { Role } from '../src/auth/users.ts';
import { API_V1_ROUTES } from './api/v1/index.ts';
import { errorBody, isV1Path } from './api/v1/common.ts';
import { errorPage } from './layout.ts';
import type { Env } from './types.ts';

/**
 * Who is asking, as the check sees it. `owner`: no user account exists yet (an open dashboard on
 * loopback, or the one shared password) or the install's PROMOWATCH_API_TOKEN: everything, as before
 * accounts existed. `user`: a logged-in account. `share`: a read-only share link. `key`: an API key on
 * /api/v1 (the only way in there). `none`: a request to /api/v1 with no valid key.
 */
export interface Principal {
  kind: 'owner' | 'user' | 'share' | 'key' | 'none';
  role: Role;
  /** The sites this principal may see; null = all. */
  siteIds: number[] | null;
  /** A share link to one report: only that report is reachable. */
  reportId: number | null;
}

/** `public`: reachable without a login (the login form, static files). `login`: any logged-in person,
 * about themselves (Account). `read`/`write`: a site's data; `admin`: users and install-wide settings. */
export type Need = 'public' | 'login' | 'read' | 'write' | 'admin';

/**
 * Where the route's site comes from. `query`: `?site=` (or the first site the asker may see).
 * `form`/`json`: the posted `site` field. `path`: the `:site` in the path names it (the REST API). An
 * object kind: the `:id` in the path (or, for `notice`, the posted `ids`/`do` values) is looked up and
 * its site judged. `none`: not about one site.
 */
export type SiteFrom =
  'none' | 'query' | 'form' | 'json' | 'path' | { id: OwnedKind; from?: 'path' | 'notices' };

export interface RouteRule {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  need: Need;
  site: SiteFrom;
  /** Part of one report (the page, its stylesheet, its PDF): what a report share link opens. */
  report?: true;
}

const r = (
  method: RouteRule['method'],
  path: string,
  need: Need,
  site: SiteFrom,
  extra: Partial<RouteRule> = {},
) => ({ method, path, need, site, ...extra }) as RouteRule;
const ID = ':id{[0-9]+}';
const backlink: SiteFrom = { id: 'backlink' };

/** Every route of the dashboard (pages and their /api), which cookie sessions, share links and
 * PROMOWATCH_API_TOKEN open. With the REST API's routes it makes `routeTable()`; a route missing from
 * both answers 404 to everyone (and fails the route test). */
export const ROUTES: readonly RouteRule[] = [
  r('GET', '/static/:name', 'public', 'none'),
  r('POST', '/lang', 'public', 'none'),
  r('GET', '/login', 'public', 'none'),
  r('POST', '/login', 'public', 'none'),
  r('GET', '/login/code', 'public', 'none'),
  r('POST', '/login/code', 'public', 'none'),
  r('POST', '/logout', 'public', 'none'),
  r('GET', '/s/:token', 'public', 'none'),

  r('GET', '/', 'read', 'query'),
  r('GET', '/uptime', 'read', 'query'),
  r('POST', '/events', 'write', 'form'),
  r('GET', '/jobs', 'read', 'query'),
  r('POST', '/jobs/run', 'write', 'form'),
  r('GET', '/alerts', 'read', 'query'),
  r('POST', '/alerts/state', 'write', { id: 'notice', from: 'notices' }),

  r('GET', '/audit', 'read', 'query'),
  r('GET', '/audit/rule', 'read', 'query'),
  r('GET', '/audit/pages', 'read', 'query'),
  r('GET', '/audit/page', 'read', 'query'),
  r('GET', '/audit/export.csv', 'read', 'query'),

  r('GET', '/backlinks', 'read', 'query'),
  r('POST', '/backlinks', 'write', 'form'),
  r('GET', '/backlinks/export.csv', 'read', 'query'),
  r('POST', `/backlinks/${ID}/edit`, 'write', backlink),
  r('POST', `/backlinks/${ID}/archive`, 'write', backlink),
  r('GET', `/backlinks/${ID}/delete`, 'write', backlink),
  r('POST', `/backlinks/${ID}/delete`, 'write', backlink),
  r('POST', `/backlinks/${ID}/recheck`, 'write', backlink),
  r('POST', '/backlinks/selected', 'write', 'form'),
  r('GET', '/backlinks/archived', 'read', 'query'),
  r('GET', `/backlinks/${ID}/evidence.zip`, 'read', backlink),
  r('GET', '/backlinks/evidence.zip', 'read', 'query'),
  r('GET', `/backlinks/${ID}`, 'read', backlink),
  r('GET', `/backlinks/${ID}/evidence/:check{[0-9]+}`, 'read', backlink),

  r('GET', '/rankings', 'read', 'query'),
  r('POST', '/rankings/keywords', 'write', 'form'),
  r('POST', '/rankings/competitors', 'write', 'form'),
  r('POST', `/rankings/competitors/${ID}/delete`, 'write', { id: 'competitor' }),
  r('GET', '/rankings/export.csv', 'read', 'query'),
  r('GET', `/rankings/keywords/${ID}`, 'read', { id: 'keyword' }),

  r('GET', '/ads', 'read', 'query'),
  r('POST', '/ads/accounts', 'write', 'form'),
  r('POST', `/ads/accounts/${ID}/budget`, 'write', { id: 'adAccount' }),
  r('GET', '/ads/export.csv', 'read', 'query'),

  r('GET', '/reports', 'read', 'query'),
  r('GET', '/reports/:id', 'read', { id: 'report' }, { report: true }),
  r('GET', '/reports/:id/report.css', 'read', { id: 'report' }, { report: true }),
  r('GET', '/reports/:id/pdf', 'read', { id: 'report' }, { report: true }),

  r('GET', '/share', 'write', 'query'),
  r('POST', '/share', 'write', 'form'),
  r('POST', `/share/${ID}/revoke`, 'write', { id: 'share' }),

  r('GET', '/account', 'login', 'none'),
  r('POST', '/account/password', 'login', 'none'),
  r('POST', '/account/totp/begin', 'login', 'none'),
  r('POST', '/account/totp/confirm', 'login', 'none'),
  r('POST', '/account/totp/disable', 'login', 'none'),
  r('POST', '/account/sessions/end-others', 'login', 'none'),
  r('GET', '/account/keys', 'login', 'none'),
  r('POST', '/account/keys', 'login', 'none'),
  r('POST', '/account/keys/:id{[0-9]+}/revoke', 'login', 'none'),
  r('GET', '/audit-log', 'admin', 'none'),
  r('GET', '/users', 'admin', 'none'),
  r('POST', '/users', 'admin', 'none'),
  r('POST', '/users/:id', 'admin', 'none'),

  r('GET', '/api/overview', 'read', 'query'),
  r('GET', '/api/jobs', 'read', 'query'),
  r('POST', '/api/jobs/run', 'write', 'json'),
  r('GET', '/api/audit/trend', 'read', 'query'),
  r('GET', '/api/backlinks/trend', 'read', 'query'),
  r('GET', '/api/rankings/trend', 'read', 'query'),
  r('GET', '/api/rankings/keywords', 'read', 'query'),
  r('GET', `/api/rankings/keywords/${ID}/history`, 'read', { id: 'keyword' }),
  r('GET', '/api/ads/trend', 'read', 'query'),
  r('GET', '/api/ads/campaigns', 'read', 'query'),
  r('GET', '/api/ads/pacing', 'read', 'query'),
  r('GET', '/api/ads/anomalies', 'read', 'query'),
  r('GET', '/api/sites', 'read', 'none'),
  // Operations (web/ops.ts): health for load balancers; metrics are install-wide.
  r('GET', '/healthz', 'public', 'none'),
  r('GET', '/metrics', 'admin', 'none'),
];

/** A Hono path ("/backlinks/:id{[0-9]+}/evidence/:check{[0-9]+}") as a regular expression with the
 * parameters as named groups. Only the forms our routes use: `:name` and `:name{regex}`. */
export function pathPattern(path: string): RegExp {
  const source = path
    .split('/')
    .map((seg) => {
      const m = /^:([A-Za-z_]\w*)(?:\{(.+)\})?$/.exec(seg);
      if (!m) return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      return `(?<${m[1]}>${m[2] ?? '[^/]+'})`;
    })
    .join('/');
  return new RegExp(`^${source}$`);
}

/**
 * The one table the check judges by: the dashboard's routes and the REST API's, the latter declared by
 * the helper that registers each of them (`route()` of v1Resource in web/api/v1/common.ts), under
 * /api/v1.
 */
export function routeTable(): readonly RouteRule[] {
  return [...ROUTES, ...API_V1_ROUTES.map((r) => ({ ...r, path: `/api/v1${r.path}` }))];
}

// Compiled on first use, not at import: the REST API's modules import pages that import this module, so
// its table may not be filled yet while this module is being evaluated.
let compiled: { rule: RouteRule; pattern: RegExp }[] | null = null;

/** The rule of a request, with its path parameters; HEAD is judged as GET. */
export function ruleFor(
  method: string,
  path: string,
): { rule: RouteRule; params: Record<string, string> } | null {
  const m = method === 'HEAD' ? 'GET' : method;
  compiled ??= routeTable().map((rule) => ({ rule, pattern: pathPattern(rule.path) }));
  for (const { rule, pattern } of compiled) {
    if (rule.method !== m) continue;
    const found = pattern.exec(path);
    if (found) return { rule, params: { ...found.groups } };
  }
  return null;
}

/** Who is asking, from what the login middleware (web/auth.ts) found. /api/v1 takes API keys only:
 * there no cookie, share link or open dashboard counts. */
export function principalOf(c: Context<Env>): Principal {
  if (isV1Path(c.req.path)) {
    const key = c.get('apiKey');
    return key ? keyPrincipal(key) : { kind: 'none', role: 'viewer', siteIds: [], reportId: null };
  }
  const share = c.get('share');
  if (share) return { kind: 'share', role: 'viewer', siteIds: [share.siteId], reportId: share.reportId };
  const user = c.get('user');
  if (user) return { kind: 'user', role: user.role, siteIds: user.siteIds, reportId: null };
  return { kind: 'owner', role: 'admin', siteIds: null, reportId: null };
}

/**
 * What a key may do: a write key acts as an editor and a read key as a viewer, never beyond its owner's
 * own role (a viewer's write key still only reads); its sites are those of its owner, narrowed by the
 * key's own list (src/auth/api-keys.ts keySites).
 */
export function keyPrincipal(key: KeyPrincipal): Principal {
  const role: Role = key.scope === 'write' && key.user.role !== 'viewer' ? 'editor' : 'viewer';
  return { kind: 'key', role, siteIds: key.siteIds, reportId: null };
}

/** The site ids a page may count over when no one site is chosen (null: every site). */
export function visibleSiteIds(c: Context<Env>): number[] | null {
  const p = c.get('principal');
  return !p || p.siteIds === null ? null : c.get('sites').map((s) => s.id);
}

/** Whether the asker may change things of this site (null: of all sites at once), so a page shows a
 * button only to those whose press would not be refused. */
export function mayWrite(c: Context<Env>, siteId: number | null): boolean {
  const p = c.get('principal');
  if (!p) return true;
  if (p.kind === 'share' || p.role === 'viewer') return false;
  return p.siteIds === null || (siteId !== null && p.siteIds.includes(siteId));
}

const str = (v: unknown) => (Array.isArray(v) ? v[0] : v);

/** The ids an /alerts/state form acts on ("do=acknowledge:12" or ids=…). */
function noticeIds(body: Record<string, unknown>): number[] {
  const single = String(str(body.do) ?? '').split(':')[1];
  const picked = single !== undefined ? [single] : [body.ids ?? []].flat();
  return picked.map((v) => Number(v)).filter((n) => Number.isInteger(n) && n > 0);
}

/**
 * The check. Runs after the login middleware; sets `principal`, the sites the asker may see (`sites`,
 * which the switcher, the overview's "all sites" and every lookup by name or id use), the chosen `site`
 * (`?site=`, or on the REST API the `:site` of the path) and the formatter.
 */
export function accessGuard(siteNames: readonly string[]): MiddlewareHandler<Env> {
  return async (c, next) => {
    const { sql, config } = c.get('deps');
    const principal = principalOf(c);
    c.set('principal', principal);
    const all = await configuredSites(sql, siteNames);
    const v1 = isV1Path(c.req.path);
    const found = ruleFor(c.req.method, c.req.path);
    const rule = found?.rule;
    // On the pages anyone may open (the login form, a share link that opens nothing), someone not yet
    // logged in is shown no site at all, not even the names.
    const stranger =
      rule?.need === 'public' &&
      principal.kind === 'owner' &&
      !c.get('bearer') &&
      (c.get('deps').auth !== null || (await usersExist(c.get('deps').sql)));
    const visible = stranger
      ? []
      : principal.siteIds === null
        ? all
        : all.filter((s) => principal.siteIds!.includes(s.id));
    // `?site=` left empty is the switcher's "All sites": pages that draw it do so from `sites`.
    // The REST API takes its site from the path only (a `?site=` there is a handler's filter).
    const named =
      rule?.site === 'path'
        ? pathName(found!.params.site)
        : v1
          ? undefined
          : c.req.query('site') || undefined;
    const fallback = v1 ? null : (visible[0] ?? null);
    const site = named === undefined ? fallback : (visible.find((s) => s.name === named) ?? null);
    c.set('sites', visible);
    c.set('site', site);
    c.set('fmt', formatter(c.get('lang'), site?.timeZone ?? config.timeZone));
    // The REST API asks for a key before saying whether a route exists, as the pages ask for a login.
    if (v1 && principal.kind !== 'key' && rule?.need !== 'public') return unauthorized(c);
    // A site the asker may not see is answered like one that does not exist.
    if (!rule) return notFound(c);
    if (rule.need === 'public' && stranger) return next();
    if (named !== undefined && !site && rule.site !== 'path') return unknownSite(c, named);
    if (rule.need === 'public') return next();

    if (principal.kind === 'share') {
      // A link is for reading: nothing else exists for it.
      if (rule.need !== 'read') return notFound(c);
      if (principal.reportId !== null) {
        if (!rule.report || Number(found!.params.id) !== principal.reportId) return notFound(c);
      }
    }
    if (rule.need === 'login' && principal.kind !== 'user' && principal.kind !== 'owner') return notFound(c);
    if (rule.need === 'admin' && principal.role !== 'admin') return forbidden(c);
    if (rule.need === 'write' && principal.role === 'viewer') return forbidden(c);
    // The REST API names its site in the path; judged after the role, as a key's scope always was.
    if (rule.site === 'path' && !site) return unknownSite(c, named ?? '');

    if (principal.siteIds !== null) {
      const may = new Set(visible.map((s) => s.id));
      const ids = await siteIdsOf(c, rule.site, found!.params);
      // Something about every site at once (a job run for all sites) is for admins.
      if (ids === 'all') return forbidden(c);
      if (ids.some((id) => id === null || !may.has(id))) return notFound(c);
    }
    return next();
  };
}

/** A site name from the path as its owner typed it (the path keeps it percent-encoded). */
function pathName(raw: string | undefined): string {
  try {
    return decodeURIComponent(raw ?? '');
  } catch {
    return raw ?? '';
  }
}

/** The sites a request is about, by its rule: ids (null = no site), or 'all' for an install-wide act. */
async function siteIdsOf(
  c: Context<Env>,
  from: SiteFrom,
  params: Record<string, string>,
): Promise<(number | null)[] | 'all'> {
  const { sql } = c.get('deps');
  const byName = (name: unknown): (number | null)[] | 'all' => {
    const n = typeof name === 'string' ? name : '';
    if (!n) return 'all';
    // A name the asker may not see is judged like an unknown one: 404 either way.
    return [c.get('sites').find((s) => s.name === n)?.id ?? null];
  };
  // `path`: the site was judged by name above (it is among those the asker sees).
  if (from === 'none' || from === 'query' || from === 'path') return [];
  if (from === 'form') {
    if (!/form/.test(c.req.header('content-type') ?? '')) return 'all';
    return byName(str((await c.req.parseBody({ all: true })).site));
  }
  if (from === 'json') {
    const body = (await c.req.json().catch(() => null)) as { site?: unknown } | null;
    return byName(body?.site);
  }
  if (from.from === 'notices') {
    if (!/form/.test(c.req.header('content-type') ?? '')) return [];
    return sitesOf(sql, 'notice', noticeIds(await c.req.parseBody({ all: true })));
  }
  const id = Number(params.id);
  return Number.isSafeInteger(id) ? sitesOf(sql, from.id, [id]) : [];
}

// Refusals: the REST API answers in its one error shape, the dashboard's /api in its own, pages as pages.

function notFound(c: Context<Env>) {
  if (isV1Path(c.req.path)) return c.json(errorBody('not_found', c.get('t').api.errors.notFound), 404);
  return c.req.path.startsWith('/api/') ? c.json({ error: 'not found' }, 404) : errorPage(c, 404, null);
}

function unknownSite(c: Context<Env>, name: string) {
  if (isV1Path(c.req.path))
    return c.json(errorBody('not_found', c.get('t').api.errors.unknownSite(name)), 404);
  const message = c.get('t').common.errors.unknownSite(name);
  return c.req.path.startsWith('/api/') ? c.json({ error: message }, 404) : errorPage(c, 404, message);
}

function forbidden(c: Context<Env>) {
  const t = c.get('t');
  if (isV1Path(c.req.path)) {
    // A read key is told to make a write key; a write key of someone who may only read, to ask for rights.
    const readKey = c.get('apiKey')?.scope === 'read';
    return c.json(errorBody('forbidden', readKey ? t.api.errors.readOnly : t.access.forbidden), 403);
  }
  const message = t.access.forbidden;
  return c.req.path.startsWith('/api/') ? c.json({ error: message }, 403) : errorPage(c, 403, message);
}

function unauthorized(c: Context<Env>) {
  return c.json(errorBody('unauthorized', c.get('t').api.errors.unauthorized), 401);
}
