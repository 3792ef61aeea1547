import { messages } from '../../src/i18n/index.ts';
import { describe, expect, it, onTestFinished } from 'vitest';
import { addEvent, listEvents } from '../../src/db/events.ts';
import { finishRun, tryStartRun } from '../../src/db/job-runs.ts';
import { getSiteByName } from '../../src/db/sites.ts';
import { memoryLogger } from '../../src/util/log.ts';
import { JOBS } from '../../jobs/index.ts';
import { createApp } from '../../web/app.ts';
import { assertSafeBinding, isLoopbackHost } from '../../web/auth.ts';
import { NAV } from '../../web/layout.ts';
import { startServer } from '../../web/server.ts';
import type { AppDeps } from '../../web/types.ts';
import { FakeClock, seedSitesIn, testConfig, testStoreAndDb } from '../helpers.ts';

const XSS = '<script>alert(1)</script>';

async function setup(extra: Partial<AppDeps> = {}) {
  const { sql, db } = await testStoreAndDb();
  const clock = new FakeClock(Date.parse('2026-11-27T09:00:00Z'));
  const config = testConfig();
  await seedSitesIn(sql, config.sites, clock.now());
  const runNowCalls: [string, string | null][] = [];
  const app = createApp({
    db,
    sql,
    config,
    jobs: JOBS,
    now: clock.now,
    log: memoryLogger(),
    auth: null,
    runNow: (job, site) => (runNowCalls.push([job, site]), 'started'),
    ...extra,
  });
  return { app, sql, clock, runNowCalls };
}

/** Cookies the app set, as a Cookie header, plus the CSRF form token from the page. */
async function formSession(app: ReturnType<typeof createApp>, path = '/', cookie = '') {
  const res = await app.request(path, { headers: cookie ? { cookie } : {} });
  const set = res.headers.getSetCookie().map((c) => c.split(';')[0]!);
  const html = await res.text();
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  return { cookie: [cookie, ...set].filter(Boolean).join('; '), token: token!, html };
}

function form(fields: Record<string, string>) {
  return new URLSearchParams(fields).toString();
}

const FORM = 'application/x-www-form-urlencoded';

/** The request as if it came over a socket from `address` (app.request() has no socket of its own). */
const from = (address: string) => ({ incoming: { socket: { remoteAddress: address } } });

/** A password login posted by the client at `address`. */
async function loginFrom(app: ReturnType<typeof createApp>, address: string, password: string) {
  const page = await app.request('/login', {}, from(address));
  const cookie = page.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .join('; ');
  const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!;
  return app.request(
    '/login',
    { method: 'POST', headers: { cookie, 'content-type': FORM }, body: form({ _csrf: token, password }) },
    from(address),
  );
}

/** The app listening on 127.0.0.1, closed when the test ends. */
async function listening(extra: Partial<AppDeps>) {
  const s = await setup(extra);
  const server = await startServer(s.app, '127.0.0.1', 0, extra.auth ?? null);
  onTestFinished(() => server.close());
  return { ...s, url: server.url };
}

/** A password login over HTTP, with the headers a reverse proxy would add. */
async function loginOver(url: string, password: string, headers: Record<string, string> = {}) {
  const page = await fetch(`${url}login`, { headers });
  const cookie = page.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .join('; ');
  const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!;
  return fetch(`${url}login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { ...headers, cookie, 'content-type': FORM },
    body: form({ _csrf: token, password }),
  });
}

describe('dashboard pages', () => {
  it('answers 200 for every page in the navigation, the JSON API and the static files', async () => {
    const { app } = await setup();
    const paths = [
      ...NAV.map((n) => n.path),
      '/?site=bakery',
      '/jobs?site=bakery',
      '/api/overview',
      '/api/jobs',
      '/api/sites',
      '/static/app.js',
      '/static/app.css',
      '/static/chart.umd.min.js',
    ];
    for (const p of paths) expect([p, (await app.request(p)).status]).toEqual([p, 200]);
  });

  it('shows the navigation, the site switcher and the demo banner only in the demo', async () => {
    const { app } = await setup();
    const html = await (await app.request('/jobs')).text();
    for (const n of NAV) expect(html).toContain(`>${messages('en').common.nav[n.key]}</a>`);
    // "All sites" (the Overview's agency view) comes first; other pages show the first site.
    expect(html).toMatch(
      /<option value="">All sites<\/option>\s*<option value="studio" selected>studio<\/option>\s*<option value="bakery">/,
    );
    expect(html).not.toContain('simulation');
    const demo = await setup({ demo: true });
    expect(await (await demo.app.request('/jobs')).text()).toContain(
      'Demo: every site, donor page and API here is a simulation',
    );
  });

  it('answers 404 for a site that is not configured', async () => {
    const { app } = await setup();
    expect((await app.request('/?site=nope')).status).toBe(404);
  });

  it('escapes attacker-controlled text from the database', async () => {
    const { app, sql, clock } = await setup();
    const site = (await getSiteByName(sql, 'studio'))!;
    await addEvent(sql, { siteId: site.id, day: '2026-11-27', title: XSS }, clock.now());
    const run = await tryStartRun(
      sql,
      { job: 'uptime', siteId: site.id, trigger: 'cli', pid: process.pid, isLive: () => true },
      clock.now(),
    );
    if (!run.started) throw new Error('run not started');
    await finishRun(sql, run.id, { status: 'failed', error: `title was ${XSS}` }, clock.now());
    for (const p of ['/', '/jobs']) {
      const html = await (await app.request(p)).text();
      expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(html).not.toContain(XSS);
    }
    const login = await (
      await app.request(`/login?next=${encodeURIComponent('/"><script>alert(1)</script>')}`)
    ).text();
    expect(login).not.toContain(XSS);
  });

  it('sends a strict Content-Security-Policy and the usual security headers on pages, API and errors', async () => {
    const { app } = await setup();
    for (const p of ['/', '/api/overview', '/no-such-page']) {
      const res = await app.request(p);
      const csp = res.headers.get('content-security-policy');
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("default-src 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
    }
  });

  it('uses no inline scripts or styles', async () => {
    const { app } = await setup();
    for (const p of ['/', '/jobs', '/login']) {
      const html = await (await app.request(p)).text();
      expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
      expect(html).not.toMatch(/\sstyle=|<style|\son[a-z]+=/i);
    }
  });
});

describe('CSRF protection', () => {
  it('adds an event when the form carries the token from the page', async () => {
    const { app, sql } = await setup();
    const s = await formSession(app);
    const res = await app.request('/events', {
      method: 'POST',
      headers: { cookie: s.cookie, 'content-type': FORM },
      body: form({ _csrf: s.token, site: 'studio', day: '2026-11-20', title: 'Site relaunch' }),
    });
    expect(res.status).toBe(303);
    expect(
      (await listEvents(sql, (await getSiteByName(sql, 'studio'))!.id, '2026-11-01', '2026-11-30')).map(
        (e) => e.title,
      ),
    ).toEqual(['Site relaunch']);
  });

  it('rejects a form post without a token, with a wrong token, or from another origin', async () => {
    const { app, sql, runNowCalls } = await setup();
    const s = await formSession(app);
    const attempts: [Record<string, string>, Record<string, string>][] = [
      [
        { cookie: s.cookie, 'content-type': FORM },
        { site: 'studio', day: '2026-11-20', title: 'x' },
      ],
      [
        { cookie: s.cookie, 'content-type': FORM },
        { _csrf: 'forged', site: 'studio', day: '2026-11-20', title: 'x' },
      ],
      [{ 'content-type': FORM }, { _csrf: s.token, site: 'studio', day: '2026-11-20', title: 'x' }],
      [
        { cookie: s.cookie, 'content-type': FORM, origin: 'https://evil.example' },
        { _csrf: s.token, site: 'studio', day: '2026-11-20', title: 'x' },
      ],
    ];
    for (const [headers, fields] of attempts) {
      const res = await app.request('/events', { method: 'POST', headers, body: form(fields) });
      expect(res.status).toBe(403);
    }
    const run = await app.request('/jobs/run', {
      method: 'POST',
      headers: { cookie: s.cookie, 'content-type': FORM },
      body: form({ job: 'uptime', site: 'studio' }),
    });
    expect(run.status).toBe(403);
    expect(runNowCalls).toEqual([]);
    expect(await listEvents(sql, null, '2000-01-01', '2100-01-01')).toEqual([]);
  });

  it('starts a job from the Jobs page "Run now" button', async () => {
    const { app, runNowCalls } = await setup();
    const s = await formSession(app, '/jobs');
    expect(s.html).toContain('Run now');
    const res = await app.request('/jobs/run', {
      method: 'POST',
      headers: { cookie: s.cookie, 'content-type': FORM },
      body: form({ _csrf: s.token, job: 'uptime', site: 'studio' }),
    });
    expect(res.status).toBe(303);
    expect(runNowCalls).toEqual([['uptime', 'studio']]);
  });

  it('rejects an event with a bad day, saying what is wrong', async () => {
    const { app } = await setup();
    const s = await formSession(app);
    const res = await app.request('/events', {
      method: 'POST',
      headers: { cookie: s.cookie, 'content-type': FORM },
      body: form({ _csrf: s.token, site: 'studio', day: '27.11.2026', title: 'x' }),
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/must be a date like 2026-11-27, got "27.11.2026"/);
  });
});

describe('authentication', () => {
  const auth = { password: 'correct horse battery', sessionHours: 12 };

  it('refuses to listen beyond loopback without a password', async () => {
    expect(() => assertSafeBinding('0.0.0.0', null)).toThrow(
      /web\.host is 0\.0\.0\.0.*set PROMOWATCH_PASSWORD/,
    );
    expect(() => assertSafeBinding('192.168.1.5', null)).toThrow(/PROMOWATCH_PASSWORD/);
    expect(() => assertSafeBinding('0.0.0.0', auth)).not.toThrow();
    // With user accounts everyone logs in as themselves: no shared password needed on 0.0.0.0.
    expect(() => assertSafeBinding('0.0.0.0', null, true)).not.toThrow();
    for (const h of ['127.0.0.1', '127.8.9.10', 'localhost', '::1', '[::1]'])
      expect(isLoopbackHost(h)).toBe(true);
    for (const h of ['0.0.0.0', '::', '10.0.0.1', 'example.com']) expect(isLoopbackHost(h)).toBe(false);
    const { app } = await setup();
    await expect(startServer(app, '0.0.0.0', 0, null)).rejects.toThrow(/PROMOWATCH_PASSWORD/);
  });

  it('refuses a short or blank password on an address other machines reach, without echoing it', async () => {
    const short = { password: 'hunter2-abc', sessionHours: 12 };
    expect(() => assertSafeBinding('0.0.0.0', short)).toThrow(
      /^Config: web\.host is 0\.0\.0\.0, which other machines can reach, and PROMOWATCH_PASSWORD is shorter than 12 characters/,
    );
    expect(() => assertSafeBinding('0.0.0.0', short)).not.toThrow(/hunter2/);
    expect(() => assertSafeBinding('10.0.0.5', { ...short, passwordEnv: 'DASHBOARD_PASS' })).toThrow(
      /DASHBOARD_PASS is shorter than 12 characters/,
    );
    expect(() => assertSafeBinding('0.0.0.0', { password: ' \t'.repeat(8), sessionHours: 12 })).toThrow(
      /PROMOWATCH_PASSWORD is only whitespace/,
    );
    expect(() => assertSafeBinding('0.0.0.0', { password: 'пароль-длинн', sessionHours: 12 })).not.toThrow();
    expect(() => assertSafeBinding('127.0.0.1', short)).not.toThrow();
    const { app } = await setup({ auth: short });
    await expect(startServer(app, '0.0.0.0', 0, short)).rejects.toThrow(/at least 12/);
  });

  it('requires a login for every page and API call when a password is set', async () => {
    const { app } = await setup({ auth });
    for (const p of NAV.map((n) => n.path)) {
      const res = await app.request(p);
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe(`/login?next=${encodeURIComponent(p)}`);
    }
    for (const p of ['/api/overview', '/api/jobs', '/api/sites'])
      expect((await app.request(p)).status).toBe(401);
    expect((await app.request('/static/app.css')).status).toBe(200);
  });

  it('logs in with the password and keeps the session in a cookie', async () => {
    const { app } = await setup({ auth });
    const s = await formSession(app, '/login');
    const res = await app.request('/login', {
      method: 'POST',
      headers: { cookie: s.cookie, 'content-type': FORM },
      body: form({ _csrf: s.token, password: auth.password, next: '/jobs' }),
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/jobs');
    const session = res.headers.getSetCookie().find((c) => c.startsWith('pw_session='))!;
    expect(session).toMatch(/HttpOnly/);
    expect(session).toMatch(/SameSite=Strict/);
    const cookie = `${s.cookie}; ${session.split(';')[0]}`;
    expect((await app.request('/jobs', { headers: { cookie } })).status).toBe(200);
    expect((await app.request('/api/sites', { headers: { cookie } })).status).toBe(200);
  });

  it('does not follow a login redirect to another site', async () => {
    const { app } = await setup({ auth });
    const s = await formSession(app, '/login');
    const res = await app.request('/login', {
      method: 'POST',
      headers: { cookie: s.cookie, 'content-type': FORM },
      body: form({ _csrf: s.token, password: auth.password, next: '//evil.example/' }),
    });
    expect(res.headers.get('location')).toBe('/');
  });

  it('does not follow a login redirect smuggled past the check with a tab or a backslash', async () => {
    const { app } = await setup({ auth });
    for (const next of [
      '/\t/evil.example',
      '/\\evil.example',
      '/%09/evil.example',
      'https://evil.example/',
    ]) {
      const s = await formSession(app, '/login');
      const res = await app.request('/login', {
        method: 'POST',
        headers: { cookie: s.cookie, 'content-type': FORM },
        body: form({ _csrf: s.token, password: auth.password, next }),
      });
      const location = res.headers.get('location')!;
      expect(new URL(location, 'http://127.0.0.1:8787/').host).toBe('127.0.0.1:8787');
    }
  });

  it('counts concurrent wrong passwords before answering any of them', async () => {
    const { app } = await setup({ auth });
    const s = await formSession(app, '/login');
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        app.request('/login', {
          method: 'POST',
          headers: { cookie: s.cookie, 'content-type': FORM },
          body: form({ _csrf: s.token, password: `guess${i}` }),
        }),
      ),
    );
    expect(answers.filter((r) => r.status === 401)).toHaveLength(5);
    expect(answers.filter((r) => r.status === 429)).toHaveLength(7);
  });

  it('limits wrong bearer tokens on their own, so they never lock out a password login', async () => {
    const { app } = await setup({ auth: { ...auth, apiToken: 'api-token-123456' } });
    const bearer = (token: string) =>
      app.request('/api/sites', { headers: { authorization: `Bearer ${token}` } }, from('203.0.113.5'));
    for (let i = 0; i < 5; i++) expect((await bearer(`guess${i}`)).status).toBe(401);
    expect((await bearer('api-token-123456')).status).toBe(429);
    expect((await loginFrom(app, '203.0.113.5', auth.password)).status).toBe(303);
    for (let i = 0; i < 5; i++) expect((await loginFrom(app, '198.51.100.7', `guess${i}`)).status).toBe(401);
    expect(
      (
        await app.request(
          '/api/sites',
          { headers: { authorization: 'Bearer api-token-123456' } },
          from('198.51.100.7'),
        )
      ).status,
    ).toBe(200);
  });

  it('takes the password as a bearer token only while no API token is set', async () => {
    const bearer = (app: ReturnType<typeof createApp>, token: string) =>
      app.request('/api/sites', { headers: { authorization: `Bearer ${token}` } });
    const passwordOnly = await setup({ auth });
    expect((await bearer(passwordOnly.app, auth.password)).status).toBe(200);
    const withToken = await setup({ auth: { ...auth, apiToken: 'api-token-123456' } });
    expect((await bearer(withToken.app, auth.password)).status).toBe(401);
    expect((await bearer(withToken.app, 'api-token-123456')).status).toBe(200);
  });

  it('keeps logging in other clients while one client is locked out', async () => {
    const { app } = await setup({ auth });
    for (let i = 0; i < 5; i++) expect((await loginFrom(app, '203.0.113.5', `guess${i}`)).status).toBe(401);
    expect((await loginFrom(app, '203.0.113.5', auth.password)).status).toBe(429);
    expect((await loginFrom(app, '198.51.100.7', auth.password)).status).toBe(303);
    expect((await loginFrom(app, '2001:db8:1:2::9', auth.password)).status).toBe(303);
  });

  it('allows one guess per client once guesses from many addresses pass the account ceiling', async () => {
    const { app, clock } = await setup({ auth });
    for (let n = 0; n < 25; n++)
      for (let i = 0; i < 2; i++)
        expect((await loginFrom(app, `203.0.113.${n}`, `guess${i}`)).status).toBe(401);
    // 50 failures for the one account: a client that has failed once waits, a fresh one still gets in.
    expect((await loginFrom(app, '203.0.113.0', auth.password)).status).toBe(429);
    expect((await loginFrom(app, '198.51.100.7', auth.password)).status).toBe(303);
    expect((await loginFrom(app, '198.51.100.8', 'guess')).status).toBe(401);
    expect((await loginFrom(app, '198.51.100.8', auth.password)).status).toBe(429);
    clock.advance(16 * 60_000);
    expect((await loginFrom(app, '203.0.113.0', auth.password)).status).toBe(303);
  });

  it('refuses a request body over 64 KB before reading it', async () => {
    const { app } = await setup({ auth });
    const res = await app.request('/login', {
      method: 'POST',
      headers: { 'content-type': FORM },
      body: 'password=' + 'x'.repeat(200_000),
    });
    expect(res.status).toBe(413);
  });

  it('answers an open dashboard only under loopback host names (DNS rebinding)', async () => {
    const { app } = await setup();
    expect((await app.request('http://attacker.example:8787/api/sites')).status).toBe(421);
    expect((await app.request('http://127.0.0.1:8787/api/sites')).status).toBe(200);
    expect((await app.request('http://localhost:8787/api/sites')).status).toBe(200);
    // With a password the dashboard may sit behind any name: the login protects it.
    const locked = await setup({ auth });
    expect(
      (
        await locked.app.request('http://promo.studio.example/api/sites', {
          headers: { authorization: `Bearer ${auth.password}` },
        })
      ).status,
    ).toBe(200);
  });

  it('accepts a bearer token on the API and refuses a wrong one', async () => {
    const { app } = await setup({ auth: { ...auth, apiToken: 'api-token-123' } });
    expect(
      (await app.request('/api/sites', { headers: { authorization: 'Bearer api-token-123' } })).status,
    ).toBe(200);
    expect((await app.request('/api/sites', { headers: { authorization: 'Bearer nope' } })).status).toBe(401);
    const run = await app.request('/api/jobs/run', {
      method: 'POST',
      headers: { authorization: 'Bearer api-token-123', 'content-type': 'application/json' },
      body: JSON.stringify({ job: 'uptime', site: 'studio' }),
    });
    expect(run.status).toBe(202);
  });

  it('rate-limits failed logins per client, even for the right password, until the window passes', async () => {
    const { app, clock } = await setup({ auth });
    const s = await formSession(app, '/login');
    const attempt = (password: string) =>
      app.request('/login', {
        method: 'POST',
        headers: { cookie: s.cookie, 'content-type': FORM },
        body: form({ _csrf: s.token, password }),
      });
    for (let i = 0; i < 5; i++) expect((await attempt('guess' + i)).status).toBe(401);
    const blocked = await attempt(auth.password);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    clock.advance(16 * 60_000);
    expect((await attempt(auth.password)).status).toBe(303);
  });
});

describe('behind a reverse proxy', () => {
  const auth = { password: 'correct horse battery', sessionHours: 12 };
  const viaProxy = (proxies: string[]) => ({ auth, config: testConfig({ web: { trustProxy: proxies } }) });

  it('locks out only the client a trusted proxy names in X-Forwarded-For', async () => {
    const { url } = await listening(viaProxy(['127.0.0.1']));
    const guesser = { 'x-forwarded-for': '203.0.113.5' };
    for (let i = 0; i < 5; i++) expect((await loginOver(url, `guess${i}`, guesser)).status).toBe(401);
    expect((await loginOver(url, auth.password, guesser)).status).toBe(429);
    expect((await loginOver(url, auth.password, { 'x-forwarded-for': '198.51.100.7' })).status).toBe(303);
  });

  it('reads X-Forwarded-For right to left past trusted proxies, so a client cannot spoof its way out', async () => {
    const { url } = await listening(viaProxy(['127.0.0.1', '10.0.0.0/8']));
    const spoofing = (i: number) => ({ 'x-forwarded-for': `192.0.2.${i}, 203.0.113.5, 10.1.2.3` });
    for (let i = 0; i < 5; i++) expect((await loginOver(url, `guess${i}`, spoofing(i))).status).toBe(401);
    expect((await loginOver(url, auth.password, spoofing(9))).status).toBe(429);
    expect((await loginOver(url, auth.password, { 'x-forwarded-for': '203.0.113.6, 10.1.2.3' })).status).toBe(
      303,
    );
  });

  it('ignores X-Forwarded-For and X-Forwarded-Proto from a peer that is not a trusted proxy', async () => {
    const { url } = await listening(viaProxy(['10.0.0.0/8']));
    const spoofing = (i: number) => ({ 'x-forwarded-for': `192.0.2.${i}`, 'x-forwarded-proto': 'https' });
    for (let i = 0; i < 5; i++) expect((await loginOver(url, `guess${i}`, spoofing(i))).status).toBe(401);
    expect((await loginOver(url, auth.password, spoofing(9))).status).toBe(429);
    const page = await fetch(`${url}login`, { headers: spoofing(10) });
    expect(page.headers.getSetCookie().join('\n')).not.toMatch(/Secure/i);
  });

  it('marks cookies Secure and accepts the https Origin when a trusted proxy says https', async () => {
    const { url } = await listening(viaProxy(['127.0.0.1']));
    const origin = `https://${new URL(url).host}`;
    const res = await loginOver(url, auth.password, { 'x-forwarded-proto': 'https', origin });
    expect(res.status).toBe(303);
    const session = res.headers.getSetCookie().find((c) => c.startsWith('pw_session='))!;
    expect(session).toMatch(/; Secure/);
    const page = await fetch(`${url}login`, { headers: { 'x-forwarded-proto': 'https' } });
    expect(page.headers.getSetCookie().find((c) => c.startsWith('pw_csrf='))).toMatch(/; Secure/);
    const plain = await fetch(`${url}login`);
    expect(plain.headers.getSetCookie().find((c) => c.startsWith('pw_csrf='))).not.toMatch(/Secure/);
  });

  it('marks cookies Secure on a request that came over https directly', async () => {
    const { app } = await setup({ auth });
    const page = await app.request('https://promo.studio.example/login');
    expect(page.headers.getSetCookie().find((c) => c.startsWith('pw_csrf='))).toMatch(/; Secure/);
  });
});
