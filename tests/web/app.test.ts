import { messages } from '../../src/i18n/index.ts';
import { describe, expect, it } from 'vitest';
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
import { FakeClock, tempDb, testConfig, testDeps } from '../helpers.ts';

const XSS = '<script>alert(1)</script>';

function setup(extra: Partial<AppDeps> = {}) {
  const { db } = tempDb();
  const clock = new FakeClock(Date.parse('2026-11-27T09:00:00Z'));
  const config = testConfig();
  testDeps(db, config, clock);
  const runNowCalls: [string, string | null][] = [];
  const app = createApp({
    db,
    config,
    jobs: JOBS,
    now: clock.now,
    log: memoryLogger(),
    auth: null,
    runNow: (job, site) => (runNowCalls.push([job, site]), 'started'),
    ...extra,
  });
  return { app, db, clock, runNowCalls };
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

describe('dashboard pages', () => {
  it('answers 200 for every page in the navigation, the JSON API and the static files', async () => {
    const { app } = setup();
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
    const { app } = setup();
    const html = await (await app.request('/')).text();
    for (const n of NAV) expect(html).toContain(`>${messages('en').common.nav[n.key]}</a>`);
    expect(html).toMatch(/<option value="studio" selected>studio<\/option>\s*<option value="bakery">/);
    expect(html).not.toContain('simulation');
    const demo = setup({ demo: true });
    expect(await (await demo.app.request('/jobs')).text()).toContain(
      'Demo: every site, donor page and API here is a simulation',
    );
  });

  it('answers 404 for a site that is not configured', async () => {
    const { app } = setup();
    expect((await app.request('/?site=nope')).status).toBe(404);
  });

  it('escapes attacker-controlled text from the database', async () => {
    const { app, db, clock } = setup();
    const site = getSiteByName(db, 'studio')!;
    addEvent(db, { siteId: site.id, day: '2026-11-27', title: XSS }, clock.now());
    const run = tryStartRun(
      db,
      { job: 'uptime', siteId: site.id, trigger: 'cli', pid: process.pid, isLive: () => true },
      clock.now(),
    );
    if (!run.started) throw new Error('run not started');
    finishRun(db, run.id, { status: 'failed', error: `title was ${XSS}` }, clock.now());
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
    const { app } = setup();
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
    const { app } = setup();
    for (const p of ['/', '/jobs', '/login']) {
      const html = await (await app.request(p)).text();
      expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
      expect(html).not.toMatch(/\sstyle=|<style|\son[a-z]+=/i);
    }
  });
});

describe('CSRF protection', () => {
  it('adds an event when the form carries the token from the page', async () => {
    const { app, db } = setup();
    const s = await formSession(app);
    const res = await app.request('/events', {
      method: 'POST',
      headers: { cookie: s.cookie, 'content-type': FORM },
      body: form({ _csrf: s.token, site: 'studio', day: '2026-11-20', title: 'Site relaunch' }),
    });
    expect(res.status).toBe(303);
    expect(
      listEvents(db, getSiteByName(db, 'studio')!.id, '2026-11-01', '2026-11-30').map((e) => e.title),
    ).toEqual(['Site relaunch']);
  });

  it('rejects a form post without a token, with a wrong token, or from another origin', async () => {
    const { app, db, runNowCalls } = setup();
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
    expect(listEvents(db, null, '2000-01-01', '2100-01-01')).toEqual([]);
  });

  it('starts a job from the Jobs page "Run now" button', async () => {
    const { app, runNowCalls } = setup();
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
    const { app } = setup();
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
    for (const h of ['127.0.0.1', '127.8.9.10', 'localhost', '::1', '[::1]'])
      expect(isLoopbackHost(h)).toBe(true);
    for (const h of ['0.0.0.0', '::', '10.0.0.1', 'example.com']) expect(isLoopbackHost(h)).toBe(false);
    const { app } = setup();
    await expect(startServer(app, '0.0.0.0', 0, null)).rejects.toThrow(/PROMOWATCH_PASSWORD/);
  });

  it('requires a login for every page and API call when a password is set', async () => {
    const { app } = setup({ auth });
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
    const { app } = setup({ auth });
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
    const { app } = setup({ auth });
    const s = await formSession(app, '/login');
    const res = await app.request('/login', {
      method: 'POST',
      headers: { cookie: s.cookie, 'content-type': FORM },
      body: form({ _csrf: s.token, password: auth.password, next: '//evil.example/' }),
    });
    expect(res.headers.get('location')).toBe('/');
  });

  it('does not follow a login redirect smuggled past the check with a tab or a backslash', async () => {
    const { app } = setup({ auth });
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
    const { app } = setup({ auth });
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

  it('rate-limits wrong bearer tokens like wrong passwords', async () => {
    const { app } = setup({ auth });
    for (let i = 0; i < 5; i++)
      expect(
        (await app.request('/api/sites', { headers: { authorization: `Bearer guess${i}` } })).status,
      ).toBe(401);
    expect(
      (await app.request('/api/sites', { headers: { authorization: `Bearer ${auth.password}` } })).status,
    ).toBe(429);
  });

  it('refuses a request body over 64 KB before reading it', async () => {
    const { app } = setup({ auth });
    const res = await app.request('/login', {
      method: 'POST',
      headers: { 'content-type': FORM },
      body: 'password=' + 'x'.repeat(200_000),
    });
    expect(res.status).toBe(413);
  });

  it('answers an open dashboard only under loopback host names (DNS rebinding)', async () => {
    const { app } = setup();
    expect((await app.request('http://attacker.example:8787/api/sites')).status).toBe(421);
    expect((await app.request('http://127.0.0.1:8787/api/sites')).status).toBe(200);
    expect((await app.request('http://localhost:8787/api/sites')).status).toBe(200);
    // With a password the dashboard may sit behind any name: the login protects it.
    const locked = setup({ auth });
    expect(
      (
        await locked.app.request('http://promo.studio.example/api/sites', {
          headers: { authorization: `Bearer ${auth.password}` },
        })
      ).status,
    ).toBe(200);
  });

  it('accepts a bearer token on the API and refuses a wrong one', async () => {
    const { app } = setup({ auth: { ...auth, apiToken: 'api-token-123' } });
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
    const { app, clock } = setup({ auth });
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
