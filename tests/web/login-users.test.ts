// Logins once user accounts exist: e-mail and password, rotation, expiry, revocation, the TOTP step.
import { describe, expect, it } from 'vitest';
import { ensureFirstAdmin } from '../../src/auth/first-admin.ts';
import { hashPassword, verifyPassword } from '../../src/auth/password.ts';
import { beginTotp, confirmTotp } from '../../src/auth/second-factor.ts';
import { hotp, base32Decode, stepAt, totp } from '../../src/auth/totp.ts';
import { addUser, countUsers, findUserByEmail, removeUser, setDisabled } from '../../src/auth/users.ts';
import { memoryLogger } from '../../src/util/log.ts';
import { JOBS } from '../../jobs/index.ts';
import { createApp } from '../../web/app.ts';
import type { AppDeps } from '../../web/types.ts';
import { FakeClock, testConfig, testStore, testStoreDeps } from '../helpers.ts';

const CHEAP = { N: 2 ** 10, r: 8, p: 1 };
const FORM = 'application/x-www-form-urlencoded';
const from = (address: string) => ({ incoming: { socket: { remoteAddress: address } } });

async function setup(extra: Partial<AppDeps> = {}) {
  const clock = new FakeClock(Date.parse('2026-11-27T09:00:00Z'));
  const config = testConfig();
  const { db, sql } = await testStoreDeps(config, clock);
  const owner = await addUser(
    sql,
    {
      email: 'owner@studio.example',
      role: 'admin',
      passwordHash: await hashPassword('owner password 1', CHEAP),
    },
    clock.now(),
  );
  const client = await addUser(
    sql,
    {
      email: 'client@bakery.example',
      role: 'viewer',
      siteIds: [2],
      passwordHash: await hashPassword('client password 1', CHEAP),
    },
    clock.now(),
  );
  const app = createApp({
    db,
    sql,
    config,
    jobs: JOBS,
    now: clock.now,
    log: memoryLogger(),
    auth: null,
    sessionPolicy: { idleMinutes: 30, absoluteHours: 8 },
    ...extra,
  });
  return { app, sql, clock, owner, client };
}

type App = Awaited<ReturnType<typeof setup>>['app'];

const cookiesOf = (res: Response) => res.headers.getSetCookie().map((c) => c.split(';')[0]!);

/** The login form's cookies and CSRF token (with `cookie` sent along, as a browser would). */
async function loginPage(app: App, cookie = '', address = '192.0.2.10') {
  const res = await app.request('/login', { headers: cookie ? { cookie } : {} }, from(address));
  const html = await res.text();
  const token = /name="_csrf" value="([^"]+)"/.exec(html)![1]!;
  return { cookie: [cookie, ...cookiesOf(res)].filter(Boolean).join('; '), token, html };
}

async function logIn(
  app: App,
  email: string,
  password: string,
  opts: { cookie?: string; address?: string } = {},
) {
  const address = opts.address ?? '192.0.2.10';
  const page = await loginPage(app, opts.cookie, address);
  const res = await app.request(
    '/login',
    {
      method: 'POST',
      headers: { cookie: page.cookie, 'content-type': FORM },
      body: new URLSearchParams({ _csrf: page.token, email, password, next: '/jobs' }).toString(),
    },
    from(address),
  );
  const session = cookiesOf(res).find((c) => c.startsWith('pw_session=') && c !== 'pw_session=');
  return { res, page, session, cookie: [page.cookie, ...cookiesOf(res)].join('; ') };
}

const get = (app: App, path: string, cookie: string) => app.request(path, { headers: { cookie } });

describe('login with user accounts', () => {
  it('asks for e-mail and password, and starts an HttpOnly, SameSite=Lax session', async () => {
    const { app } = await setup();
    expect((await loginPage(app)).html).toMatch(/<input type="email" name="email"/);
    const { res, session } = await logIn(app, 'Owner@Studio.example', 'owner password 1');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/jobs');
    const set = res.headers.getSetCookie().find((c) => c.startsWith('pw_session='))!;
    expect(set).toMatch(/HttpOnly/);
    expect(set).toMatch(/SameSite=Lax/);
    expect((await get(app, '/jobs', session!)).status).toBe(200);
  });

  it('speaks the language the user chose on any browser they log in from', async () => {
    const { app, sql, client } = await setup();
    await sql.run(`UPDATE users SET language = 'ru' WHERE id = ?`, [client.id]);
    const { res, session } = await logIn(app, 'client@bakery.example', 'client password 1');
    expect(res.headers.getSetCookie().find((c) => c.startsWith('promowatch_lang='))).toMatch(
      /^promowatch_lang=ru;/,
    );
    const page = await get(app, '/jobs', `${session}; promowatch_lang=ru`);
    expect(await page.text()).toContain('<html lang="ru">');
    expect(cookiesOf((await logIn(app, 'owner@studio.example', 'owner password 1')).res)).not.toContainEqual(
      expect.stringMatching(/^promowatch_lang=/),
    );
  });

  it('marks the session cookie Secure on a request that came over https', async () => {
    const { app } = await setup();
    const page = await app.request('https://promo.studio.example/login');
    const cookie = cookiesOf(page).join('; ');
    const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!;
    const res = await app.request('https://promo.studio.example/login', {
      method: 'POST',
      headers: { cookie, 'content-type': FORM, origin: 'https://promo.studio.example' },
      body: new URLSearchParams({
        _csrf: token,
        email: 'owner@studio.example',
        password: 'owner password 1',
      }).toString(),
    });
    expect(res.status).toBe(303);
    expect(res.headers.getSetCookie().find((c) => c.startsWith('pw_session='))).toMatch(/; Secure/);
  });

  it('requires a login on loopback once a user exists, even with no password configured', async () => {
    const { app } = await setup();
    const res = await app.request('http://127.0.0.1/jobs');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/login?next=%2Fjobs');
    expect((await app.request('/api/sites')).status).toBe(401);
  });

  it('refuses a wrong password, an unknown e-mail and a disabled user alike', async () => {
    const { app, sql, client, clock } = await setup();
    expect((await logIn(app, 'owner@studio.example', 'owner password 2')).res.status).toBe(401);
    expect(
      (await logIn(app, 'nobody@studio.example', 'owner password 1', { address: '192.0.2.11' })).res.status,
    ).toBe(401);
    await setDisabled(sql, client.id, true, clock.now());
    const disabled = await logIn(app, 'client@bakery.example', 'client password 1', {
      address: '192.0.2.12',
    });
    expect(disabled.res.status).toBe(401);
    expect(await disabled.res.text()).toContain('Wrong e-mail or password.');
  });

  it('rotates the session on login: a cookie from before login never becomes the session', async () => {
    const { app } = await setup();
    const planted = 'pw_session=' + 'A'.repeat(43);
    const first = await logIn(app, 'owner@studio.example', 'owner password 1', { cookie: planted });
    expect(first.session).toBeDefined();
    expect(first.session).not.toBe(planted);
    expect((await get(app, '/jobs', planted)).status).toBe(303);
    // Logging in again from the same browser ends the session it had.
    const second = await logIn(app, 'owner@studio.example', 'owner password 1', { cookie: first.session });
    expect(second.session).not.toBe(first.session);
    expect((await get(app, '/jobs', first.session!)).status).toBe(303);
    expect((await get(app, '/jobs', second.session!)).status).toBe(200);
  });

  it('refuses the session of a removed or disabled user on the next request', async () => {
    const { app, sql, client, clock } = await setup();
    const a = (await logIn(app, 'client@bakery.example', 'client password 1')).session!;
    expect((await get(app, '/jobs', a)).status).toBe(200);
    await setDisabled(sql, client.id, true, clock.now());
    expect((await get(app, '/jobs', a)).status).toBe(303);
    await setDisabled(sql, client.id, false, clock.now());
    const b = (await logIn(app, 'client@bakery.example', 'client password 1')).session!;
    expect((await get(app, '/jobs', b)).status).toBe(200);
    await removeUser(sql, client.id);
    expect((await get(app, '/jobs', b)).status).toBe(303);
  });

  it('ends a session after the idle time, and after the absolute time however busy', async () => {
    const { app, clock } = await setup();
    const idle = (await logIn(app, 'owner@studio.example', 'owner password 1')).session!;
    clock.advance(31 * 60_000);
    expect((await get(app, '/jobs', idle)).status).toBe(303);
    const busy = (await logIn(app, 'owner@studio.example', 'owner password 1')).session!;
    for (let h = 0; h < 16; h++) {
      clock.advance(29 * 60_000);
      expect((await get(app, '/jobs', busy)).status).toBe(200);
    }
    clock.advance(29 * 60_000);
    expect((await get(app, '/jobs', busy)).status).toBe(303);
  });

  it('logs out: the session is gone from the server, not only from the browser', async () => {
    const { app } = await setup();
    const { session, cookie } = await logIn(app, 'owner@studio.example', 'owner password 1');
    const page = await (await get(app, '/jobs', cookie)).text();
    const token = /name="_csrf" value="([^"]+)"/.exec(page)![1]!;
    const out = await app.request('/logout', {
      method: 'POST',
      headers: { cookie, 'content-type': FORM },
      body: new URLSearchParams({ _csrf: token }).toString(),
    });
    expect(out.status).toBe(303);
    expect((await get(app, '/jobs', session!)).status).toBe(303);
  });

  it('still limits wrong passwords per client, counting before the answer', async () => {
    const { app } = await setup();
    for (let i = 0; i < 5; i++)
      expect(
        (await logIn(app, 'owner@studio.example', `guess number ${i}`, { address: '203.0.113.5' })).res
          .status,
      ).toBe(401);
    expect(
      (await logIn(app, 'owner@studio.example', 'owner password 1', { address: '203.0.113.5' })).res.status,
    ).toBe(429);
    expect(
      (await logIn(app, 'owner@studio.example', 'owner password 1', { address: '198.51.100.7' })).res.status,
    ).toBe(303);
  });
});

describe('the second step (TOTP)', () => {
  async function withTotp() {
    const s = await setup();
    const secret = await beginTotp(s.sql, s.owner.id, s.clock.now());
    // Enrolled a minute earlier, so the step now is a fresh one.
    const codes = (await confirmTotp(
      s.sql,
      s.owner.id,
      hotp(base32Decode(secret), stepAt(s.clock.now()) - 2),
      new Date(s.clock.t - 60_000),
    ))!;
    return { ...s, secret, codes };
  }

  async function postCode(app: App, cookie: string, code: string, address = '192.0.2.10') {
    const page = await app.request('/login/code', { headers: { cookie } }, from(address));
    const html = await page.text();
    const token = /name="_csrf" value="([^"]+)"/.exec(html)![1]!;
    return app.request(
      '/login/code',
      {
        method: 'POST',
        headers: { cookie, 'content-type': FORM },
        body: new URLSearchParams({ _csrf: token, code, next: '/jobs' }).toString(),
      },
      from(address),
    );
  }

  it('asks for the code after the password; the password alone opens nothing', async () => {
    const { app, secret, clock } = await withTotp();
    const first = await logIn(app, 'owner@studio.example', 'owner password 1');
    expect(first.res.status).toBe(200);
    expect(await first.res.text()).toContain('name="code"');
    expect(first.session).toBeUndefined();
    expect((await get(app, '/jobs', first.cookie)).status).toBe(303);
    const res = await postCode(app, first.cookie, totp(base32Decode(secret), clock.now()));
    expect(res.status).toBe(303);
    const session = cookiesOf(res).find((c) => c.startsWith('pw_session=') && c !== 'pw_session=')!;
    expect((await get(app, '/jobs', session)).status).toBe(200);
    // The half-way cookie is spent: it leads back to the password, not to a second code.
    const again = await app.request('/login/code', { headers: { cookie: first.cookie } });
    expect(again.status).toBe(303);
    expect(again.headers.get('location')).toMatch(/^\/login\?/);
  });

  it('refuses a wrong or replayed code, and takes a recovery code once', async () => {
    const { app, secret, clock, codes } = await withTotp();
    const code = totp(base32Decode(secret), clock.now());
    const a = await logIn(app, 'owner@studio.example', 'owner password 1');
    expect((await postCode(app, a.cookie, '000000')).status).toBe(401);
    expect((await postCode(app, a.cookie, code)).status).toBe(303);
    const b = await logIn(app, 'owner@studio.example', 'owner password 1');
    expect((await postCode(app, b.cookie, code)).status).toBe(401);
    expect((await postCode(app, b.cookie, codes[3]!.toLowerCase())).status).toBe(303);
    const c = await logIn(app, 'owner@studio.example', 'owner password 1');
    expect((await postCode(app, c.cookie, codes[3]!)).status).toBe(401);
  });

  it('sends a slow second step back to the password', async () => {
    const { app, clock } = await withTotp();
    const a = await logIn(app, 'owner@studio.example', 'owner password 1');
    clock.advance(6 * 60_000);
    const res = await app.request('/login/code', { headers: { cookie: a.cookie } });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toMatch(/^\/login\?/);
  });
});

describe('the upgrade from the shared password', () => {
  it('makes one admin with that password on the first start, and never again', async () => {
    const sql = await testStore();
    const now = new Date('2026-11-27T09:00:00Z');
    expect(await ensureFirstAdmin(sql, { password: undefined, email: undefined, now })).toBeNull();
    expect(await countUsers(sql)).toBe(0);
    // Too short for an account: stays the shared password (else it would open 0.0.0.0 as an admin's).
    expect(await ensureFirstAdmin(sql, { password: 'letmein-99', email: undefined, now })).toBeNull();
    expect(await countUsers(sql)).toBe(0);
    expect(await ensureFirstAdmin(sql, { password: 'the shared password', email: undefined, now })).toBe(
      'admin@localhost',
    );
    const admin = (await findUserByEmail(sql, 'admin@localhost'))!;
    expect(admin.role).toBe('admin');
    expect(await verifyPassword('the shared password', admin.passwordHash)).toBe(true);
    expect(
      await ensureFirstAdmin(sql, {
        password: 'another password',
        email: 'owner@studio.example',
        now,
      }),
    ).toBeNull();
    expect(await countUsers(sql)).toBe(1);
    expect(
      await verifyPassword(
        'the shared password',
        (await findUserByEmail(sql, 'admin@localhost'))!.passwordHash,
      ),
    ).toBe(true);
  });

  it('takes the e-mail from PROMOWATCH_ADMIN_EMAIL, and refuses one that is not an address', async () => {
    const sql = await testStore();
    const now = new Date('2026-11-27T09:00:00Z');
    await expect(
      ensureFirstAdmin(sql, { password: 'the shared password', email: 'owner', now }),
    ).rejects.toThrow(/PROMOWATCH_ADMIN_EMAIL is "owner"/);
    expect(
      await ensureFirstAdmin(sql, {
        password: 'the shared password',
        email: ' Owner@Studio.example ',
        now,
      }),
    ).toBe('owner@studio.example');
  });

  it('switches the dashboard from the shared password to per-user logins', async () => {
    const clock = new FakeClock(Date.parse('2026-11-27T09:00:00Z'));
    const config = testConfig();
    const { db, sql } = await testStoreDeps(config, clock);
    const auth = { password: 'the shared password', sessionHours: 12 };
    const app = createApp({ db, sql, config, jobs: JOBS, now: clock.now, log: memoryLogger(), auth });
    expect((await loginPage(app)).html).not.toContain('name="email"');
    await ensureFirstAdmin(sql, {
      password: auth.password,
      email: undefined,
      now: clock.now(),
    });
    expect((await loginPage(app)).html).toContain('name="email"');
    expect((await logIn(app, 'admin@localhost', auth.password)).res.status).toBe(303);
    expect(
      (await app.request('/api/sites', { headers: { authorization: `Bearer ${auth.password}` } })).status,
    ).toBe(401);
  });
});
