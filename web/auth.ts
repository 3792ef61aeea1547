// Dashboard access: open on loopback, password (session cookie) or bearer token elsewhere; CSRF tokens on
// every form; failed logins rate-limited per client address.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { ConfigError } from '../src/config/load.ts';
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

/** Refuses a dashboard reachable from other machines without a password. */
export function assertSafeBinding(host: string, auth: AuthSettings | null): void {
  if (!isLoopbackHost(host) && !auth)
    throw new ConfigError([
      `Config: web.host is ${host}, which other machines can reach; set PROMOWATCH_PASSWORD (or the variable named by web.auth.password) so the dashboard requires a login, or bind to 127.0.0.1`,
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

/** Fixed window per client: `max` failures per `windowMs`; a success does not reset the count. */
export class LoginLimiter {
  #failures = new Map<string, { count: number; resetAt: number }>();
  constructor(
    private readonly now: () => Date,
    readonly max = 5,
    readonly windowMs = 15 * 60_000,
  ) {}
  retryAfterSeconds(client: string): number {
    const f = this.#failures.get(client);
    const t = this.now().getTime();
    if (!f || f.resetAt <= t || f.count < this.max) return 0;
    return Math.ceil((f.resetAt - t) / 1000);
  }
  fail(client: string): void {
    const t = this.now().getTime();
    const f = this.#failures.get(client);
    if (!f || f.resetAt <= t) this.#failures.set(client, { count: 1, resetAt: t + this.windowMs });
    else f.count++;
    if (this.#failures.size > 10_000)
      for (const [k, v] of this.#failures) if (v.resetAt <= t) this.#failures.delete(k);
  }
}

export function clientAddress(c: Context): string {
  // Set by @hono/node-server from the socket; app.request() in tests has none.
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return clientKey(incoming?.socket?.remoteAddress ?? 'local');
}

function isHttps(c: Context): boolean {
  return new URL(c.req.url).protocol === 'https:';
}

/** Issues the CSRF cookie and exposes the matching form token as c.get('csrf'). */
export function csrfIssuer(key: Buffer): MiddlewareHandler<Env> {
  return async (c, next) => {
    let raw = getCookie(c, CSRF_COOKIE);
    if (!raw || !/^[A-Za-z0-9_-]{43}$/.test(raw)) {
      raw = randomBytes(32).toString('base64url');
      setCookie(c, CSRF_COOKIE, raw, { httpOnly: true, sameSite: 'Strict', path: '/', secure: isHttps(c) });
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
    if (origin && origin !== new URL(c.req.url).origin)
      return c.text('Cross-site request refused (Origin does not match)', 403);
    const cookie = getCookie(c, CSRF_COOKIE);
    let sent = c.req.header('x-csrf-token');
    if (!sent && /form/.test(c.req.header('content-type') ?? '')) {
      const body = await c.req.parseBody();
      sent = typeof body._csrf === 'string' ? body._csrf : undefined;
    }
    if (!cookie || !sent || !safeEqual(sent, csrfToken(key, cookie)))
      return c.text(
        'Form expired or forged (CSRF token missing or wrong): reload the page and try again',
        403,
      );
    return next();
  };
}

/** Requires a session cookie (pages) or a bearer token (API) when a password is configured. */
export function authGate(
  auth: AuthSettings | null,
  sessions: SessionStore,
  limiter: LoginLimiter,
): MiddlewareHandler<Env> {
  return async (c, next) => {
    if (!auth) return next();
    const path = c.req.path;
    if (path === '/login' || path === '/lang' || path.startsWith('/static/')) return next();
    const header = c.req.header('authorization');
    if (header?.startsWith('Bearer ')) {
      const token = header.slice(7).trim();
      // Wrong tokens count against the same per-client limit as wrong passwords.
      const client = clientAddress(c);
      const wait = limiter.retryAfterSeconds(client);
      if (wait > 0) {
        c.header('Retry-After', String(wait));
        return c.json({ error: `too many failed attempts; try again in ${wait} s` }, 429);
      }
      if (!safeEqual(token, auth.apiToken ?? auth.password)) {
        limiter.fail(client);
        return c.json({ error: 'invalid bearer token' }, 401);
      }
      c.set('bearer', true);
      return next();
    }
    if (sessions.valid(getCookie(c, SESSION_COOKIE))) return next();
    if (path.startsWith('/api/'))
      return c.json({ error: 'authentication required: log in, or send Authorization: Bearer <token>' }, 401);
    if (c.req.method !== 'GET') return c.text('Authentication required', 401);
    const nextUrl = path + (new URL(c.req.url).search || '');
    return c.redirect(`/login?next=${encodeURIComponent(nextUrl)}`, 303);
  };
}

export function startSession(c: Context, sessions: SessionStore, auth: AuthSettings): void {
  const token = sessions.create(auth.sessionHours);
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'Strict',
    path: '/',
    secure: isHttps(c),
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
    if (!open) return next();
    const host = (c.req.header('host') ?? new URL(c.req.url).host).replace(/:\d+$/, '');
    if (!isLoopbackHost(host))
      return c.text(
        `This dashboard answers only on localhost/127.0.0.1 (got Host "${host.slice(0, 100)}")`,
        421,
      );
    return next();
  };
}

/** Client key for rate limits: an IPv6 address counts by its /64, which one user usually holds whole. */
export function clientKey(address: string): string {
  const a = address.replace(/^::ffff:/, '');
  if (isIP(a) !== 6) return a;
  const full = a.includes('::') ? expandIpv6(a) : a.split(':');
  return `${full.slice(0, 4).join(':')}::/64`;
}

function expandIpv6(a: string): string[] {
  const [head, tail] = a.split('::') as [string, string];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  return [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
}
