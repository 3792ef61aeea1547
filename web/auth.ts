// Dashboard access: user accounts with database sessions once a user exists; before that, open on
// loopback or the single shared password (session cookie) or bearer token; CSRF tokens on every form;
// failed logins rate-limited per client address under a higher ceiling for the account, in the database
// (src/limits/rate.ts), so every dashboard replica counts against the same limits.
// Just over 400 lines: the three ways in (open, shared password, accounts) share the gate and its limiter;
// sessions, passwords and TOTP already live in src/auth/.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { MIN_PASSWORD_LENGTH } from '../src/auth/password.ts';
import {
  createSession,
  DEFAULT_SESSION_POLICY,
  endSessionByToken,
  resumeSession,
  type SessionPolicy,
  type SessionStage,
} from '../src/auth/sessions.ts';
import { openShareLink } from '../src/auth/share-links.ts';
import { countUsers, type UserRow } from '../src/auth/users.ts';
import { ConfigError } from '../src/config/load.ts';
import type { Sql } from '../src/db/store/types.ts';
import type { SharedKeyRateLimiter, SharedLoginLimiter } from '../src/limits/rate.ts';
import { isV1Path, keyAuth } from './api/v1/common.ts';
import { clientOf } from './client.ts';
import type { AuthSettings, Env } from './types.ts';

export const SESSION_COOKIE = 'pw_session';
export const CSRF_COOKIE = 'pw_csrf';

export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h === '::1') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (h.startsWith('::ffff:')) return isLoopbackHost(h.slice(7));
  return false;
}

// The floor for the shared password and for every account's password (src/auth/password.ts says why).
export { MIN_PASSWORD_LENGTH };

/** Refuses a dashboard reachable from other machines without a password, or with a weak one, unless user
 * accounts exist (then everyone logs in as themselves). */
export function assertSafeBinding(host: string, auth: AuthSettings | null, accounts = false): void {
  if (isLoopbackHost(host)) return;
  // With user accounts every request needs a login (each person's own password), loopback or not.
  if (accounts) return;
  if (!auth)
    throw new ConfigError([
      `Config: web.host is ${host}, which other machines can reach; set PROMOWATCH_PASSWORD (or the variable named by web.auth.password) so the dashboard requires a login, or bind to 127.0.0.1`,
    ]);
  // The message names the variable and never the value.
  const weakness = /^\s*$/u.test(auth.password)
    ? 'is only whitespace'
    : [...auth.password].length < MIN_PASSWORD_LENGTH
      ? `is shorter than ${MIN_PASSWORD_LENGTH} characters`
      : null;
  if (weakness)
    throw new ConfigError([
      `Config: web.host is ${host}, which other machines can reach, and ${auth.passwordEnv ?? 'PROMOWATCH_PASSWORD'} ${weakness}; set a password of at least ${MIN_PASSWORD_LENGTH} characters, or bind to 127.0.0.1`,
    ]);
}

export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  // Compare fixed-length digests so the length of the secret does not leak either.
  const ha = createHmac('sha256', 'cmp').update(ab).digest();
  const hb = createHmac('sha256', 'cmp').update(bb).digest();
  return timingSafeEqual(ha, hb) && ab.length === bb.length;
}

export class SessionStore {
  #sessions = new Map<string, number>();
  constructor(private readonly now: () => Date) {}
  create(hours: number): string {
    const now = this.now().getTime();
    for (const [t, exp] of this.#sessions) if (exp < now) this.#sessions.delete(t);
    const token = randomBytes(32).toString('base64url');
    this.#sessions.set(token, this.now().getTime() + hours * 3_600_000);
    return token;
  }
  valid(token: string | undefined): boolean {
    if (!token) return false;
    const exp = this.#sessions.get(token);
    if (exp === undefined) return false;
    if (exp < this.now().getTime()) {
      this.#sessions.delete(token);
      return false;
    }
    return true;
  }
  destroy(token: string | undefined): void {
    if (token) this.#sessions.delete(token);
  }
}

/** Issues the CSRF cookie and exposes the matching form token as c.get('csrf'). */
export function csrfIssuer(key: Buffer): MiddlewareHandler<Env> {
  return async (c, next) => {
    let raw = getCookie(c, CSRF_COOKIE);
    if (!raw || !/^[A-Za-z0-9_-]{43}$/.test(raw)) {
      raw = randomBytes(32).toString('base64url');
      setCookie(c, CSRF_COOKIE, raw, {
        httpOnly: true,
        sameSite: 'Strict',
        path: '/',
        secure: clientOf(c).https,
      });
    }
    c.set('csrf', csrfToken(key, raw));
    await next();
  };
}

/** The form token is an HMAC of the cookie, so a cookie planted by a sibling subdomain is not enough. */
export function csrfToken(key: Buffer, cookie: string): string {
  return createHmac('sha256', key).update(cookie).digest('base64url');
}

/** For unsafe methods: the form field _csrf (or X-CSRF-Token header) must match the cookie, and a
 * present Origin header must be our own. Bearer-token API calls carry no cookie and are exempt. */
export function csrfGuard(key: Buffer): MiddlewareHandler<Env> {
  return async (c, next) => {
    if (['GET', 'HEAD', 'OPTIONS'].includes(c.req.method) || c.get('bearer')) return next();
    const origin = c.req.header('origin');
    if (origin && origin !== clientOf(c).origin) return c.text(c.get('t').overview.access.crossSite, 403);
    const cookie = getCookie(c, CSRF_COOKIE);
    let sent = c.req.header('x-csrf-token');
    if (!sent && /form/.test(c.req.header('content-type') ?? '')) {
      const body = await c.req.parseBody();
      sent = typeof body._csrf === 'string' ? body._csrf : undefined;
    }
    if (!cookie || !sent || !safeEqual(sent, csrfToken(key, cookie)))
      return c.text(c.get('t').common.errors.csrf, 403);
    return next();
  };
}

/** Requires a session cookie (pages) or a bearer token (API) when a password is configured. Bearer
 * takes PROMOWATCH_API_TOKEN when one is set, and the password only when none is. /api/v1 takes per-user
 * API keys only. Who may do what is then judged by the authorisation check (web/access.ts). */
export function authGate(
  auth: AuthSettings | null,
  sessions: SessionStore,
  bearerLimiter: SharedLoginLimiter,
  keyLimiter: SharedKeyRateLimiter,
): MiddlewareHandler<Env> {
  return async (c, next) => {
    c.set('user', null);
    c.set('session', null);
    c.set('share', null);
    c.set('apiKey', null);
    // /api/v1 reads no cookie, so it is marked bearer (no CSRF check for a request a browser cannot
    // forge with cookies); the key, if any, becomes `apiKey` (web/api/v1/common.ts keyAuth).
    if (isV1Path(c.req.path)) {
      c.set('bearer', true);
      return keyAuth(c, next, keyLimiter);
    }
    if (await usersExist(c.get('deps').sql)) return userGate(c, next, auth, bearerLimiter);
    if (!auth) {
      // Open dashboard: whoever asks is its owner, unless this browser holds a share link.
      await shared(c);
      return next();
    }
    const path = c.req.path;
    if (path === '/login' || path === '/lang' || path.startsWith('/static/') || path.startsWith('/s/'))
      return next();
    const header = c.req.header('authorization');
    if (header?.startsWith('Bearer ')) {
      // Wrong tokens have their own limiter: a script with a stale token must not lock out the login form.
      const token = header.slice(7).trim();
      return bearer(c, next, bearerLimiter, () => safeEqual(token, auth.apiToken ?? auth.password));
    }
    if (sessions.valid(getCookie(c, SESSION_COOKIE))) return next();
    if (await shared(c)) return next();
    return refuse(c);
  };
}

/** A bearer token under its limiter: the try is counted before the token is compared (src/limits/rate.ts
 * countAttempt says why), and a right token takes the count back. */
async function bearer(
  c: Context<Env>,
  next: () => Promise<void>,
  limiter: SharedLoginLimiter,
  right: () => boolean,
) {
  const attempt = await limiter.attempt(clientOf(c).address);
  if (attempt.wait > 0) {
    c.header('Retry-After', String(attempt.wait));
    return c.json({ error: `too many failed attempts; try again in ${attempt.wait} s` }, 429);
  }
  if (!right()) return c.json({ error: 'invalid bearer token' }, 401);
  await attempt.succeeded();
  c.set('bearer', true);
  return next();
}

export const SHARE_COOKIE = 'pw_share';

/** A share link opened in this browser earlier (/s/:token in web/pages/share.ts sets the cookie): a read-only
 * principal for one site or one report. A revoked or expired link is forgotten and opens nothing. */
async function shared(c: Context<Env>): Promise<boolean> {
  const token = getCookie(c, SHARE_COOKIE);
  if (!token) return false;
  const { sql, now } = c.get('deps');
  const view = await openShareLink(sql, token, now());
  if (!view) {
    deleteCookie(c, SHARE_COOKIE, { path: '/' });
    return false;
  }
  c.set('share', view);
  return true;
}

function refuse(c: Context<Env>) {
  const path = c.req.path;
  if (path.startsWith('/api/'))
    return c.json({ error: 'authentication required: log in, or send Authorization: Bearer <token>' }, 401);
  if (c.req.method !== 'GET') return c.text(c.get('t').overview.access.loginRequired, 401);
  const nextUrl = path + (new URL(c.req.url).search || '');
  return c.redirect(`/login?next=${encodeURIComponent(nextUrl)}`, 303);
}

/** Once a user exists, logins are per user everywhere, loopback included (the shared password then
 * opens nothing: it became the first admin's password at start). Checked per request, so the first
 * user added switches the dashboard over at once. */
export async function usersExist(sql: Sql): Promise<boolean> {
  return (await countUsers(sql)) > 0;
}

/** Who is logged in, as pages and the authorisation check see it. */
export interface CurrentUser {
  id: number;
  email: string;
  displayName: string;
  role: UserRow['role'];
  language: string | null;
  /** The sites this user may see: null for an admin (all of them), else the ids granted. */
  siteIds: number[] | null;
}

export function currentUser(u: UserRow): CurrentUser {
  return {
    id: u.id,
    email: u.email,
    displayName: u.displayName,
    role: u.role,
    language: u.language,
    siteIds: u.role === 'admin' ? null : u.siteIds,
  };
}

export function sessionPolicy(auth: AuthSettings | null, policy?: SessionPolicy): SessionPolicy {
  return (
    policy ?? {
      idleMinutes: auth?.idleMinutes ?? DEFAULT_SESSION_POLICY.idleMinutes,
      absoluteHours: auth?.absoluteHours ?? DEFAULT_SESSION_POLICY.absoluteHours,
    }
  );
}

async function userGate(
  c: Context<Env>,
  next: () => Promise<void>,
  auth: AuthSettings | null,
  bearerLimiter: SharedLoginLimiter,
) {
  const path = c.req.path;
  if (
    path === '/login' ||
    path === '/login/code' ||
    path === '/lang' ||
    path.startsWith('/static/') ||
    path.startsWith('/s/')
  )
    return next();
  const header = c.req.header('authorization');
  if (header?.startsWith('Bearer ')) {
    // Per-user API keys (/api/v1) have their own check; on the rest of /api only PROMOWATCH_API_TOKEN opens.
    const token = header.slice(7).trim();
    return bearer(c, next, bearerLimiter, () => !!auth?.apiToken && safeEqual(token, auth.apiToken));
  }
  const { sql, now } = c.get('deps');
  const found = await resumeSession(
    sql,
    getCookie(c, SESSION_COOKIE),
    now(),
    sessionPolicy(auth, c.get('deps').sessionPolicy),
  );
  if (!found || found.session.stage !== 'full') return (await shared(c)) ? next() : refuse(c);
  c.set('user', currentUser(found.user));
  c.set('session', found.session);
  return next();
}

const PENDING_COOKIE = 'pw_login';

/** A fresh session for a user who has just logged in; the token the browser had before, if any,
 * is ended first, so a cookie planted before login never becomes the session (rotation). */
export async function startUserSession(
  c: Context<Env>,
  userId: number,
  stage: SessionStage = 'full',
): Promise<void> {
  const { sql, now, auth, sessionPolicy: configured } = c.get('deps');
  const policy = sessionPolicy(auth, configured);
  await endSessionByToken(sql, getCookie(c, SESSION_COOKIE));
  await endSessionByToken(sql, getCookie(c, PENDING_COOKIE));
  const client = clientOf(c);
  const token = await createSession(sql, userId, {
    now: now(),
    policy,
    stage,
    ip: client.address,
    userAgent: c.req.header('user-agent') ?? null,
  });
  // Lax, not Strict: a link to a report from an e-mail or a chat opens logged in; forms are covered by
  // the CSRF token, which stays Strict.
  const cookie = { httpOnly: true, sameSite: 'Lax' as const, path: '/', secure: client.https };
  if (stage === 'totp') {
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    setCookie(c, PENDING_COOKIE, token, { ...cookie, maxAge: 5 * 60 });
  } else {
    deleteCookie(c, PENDING_COOKIE, { path: '/' });
    setCookie(c, SESSION_COOKIE, token, { ...cookie, maxAge: Math.round(policy.absoluteHours * 3600) });
  }
}

/** The user waiting to give their second factor (a 'totp' stage session), or null. */
export async function pendingLogin(c: Context<Env>): Promise<{ sessionId: number; user: UserRow } | null> {
  const { sql, now, auth, sessionPolicy: configured } = c.get('deps');
  const found = await resumeSession(
    sql,
    getCookie(c, PENDING_COOKIE),
    now(),
    sessionPolicy(auth, configured),
  );
  return found && found.session.stage === 'totp' ? { sessionId: found.session.id, user: found.user } : null;
}

export async function endUserSession(c: Context<Env>): Promise<void> {
  const { sql } = c.get('deps');
  await endSessionByToken(sql, getCookie(c, SESSION_COOKIE));
  await endSessionByToken(sql, getCookie(c, PENDING_COOKIE));
  deleteCookie(c, SESSION_COOKIE, { path: '/' });
  deleteCookie(c, PENDING_COOKIE, { path: '/' });
}

export function startSession(c: Context<Env>, sessions: SessionStore, auth: AuthSettings): void {
  const token = sessions.create(auth.sessionHours);
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'Strict',
    path: '/',
    secure: clientOf(c).https,
    maxAge: Math.round(auth.sessionHours * 3600),
  });
}

export function endSession(c: Context, sessions: SessionStore): void {
  sessions.destroy(getCookie(c, SESSION_COOKIE));
  deleteCookie(c, SESSION_COOKIE, { path: '/' });
}

/** Only a path on this site is followed after login (no open redirect): the value is resolved the way a
 * browser would (which drops tabs and newlines, and reads "\" as "/") and must stay on our origin. */
export function safeNext(next: string | undefined): string {
  if (!next || /[\u0000-\u001f\u007f\\]/.test(next) || !next.startsWith('/')) return '/';
  try {
    const u = new URL(next, 'http://promowatch.invalid/');
    return u.origin === 'http://promowatch.invalid' ? `${u.pathname}${u.search}` : '/';
  } catch {
    return '/';
  }
}

/** An open (password-less) dashboard answers only to loopback names: a DNS-rebinding page on another
 * name cannot then drive it from the user's browser. */
export function hostGuard(open: boolean): MiddlewareHandler<Env> {
  return async (c, next) => {
    if (!open || (await usersExist(c.get('deps').sql))) return next();
    const host = (c.req.header('host') ?? new URL(c.req.url).host).replace(/:\d+$/, '');
    if (!isLoopbackHost(host)) return c.text(c.get('t').overview.access.hostOnly(host.slice(0, 100)), 421);
    return next();
  };
}
