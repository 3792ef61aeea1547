// The Users page (admins) and the Account page (everyone), in English and Russian.
import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from '../../src/auth/password.ts';
import { totpEnabled } from '../../src/auth/second-factor.ts';
import { base32Decode, totp } from '../../src/auth/totp.ts';
import { addUser, findUserByEmail } from '../../src/auth/users.ts';
import { memoryLogger } from '../../src/util/log.ts';
import { JOBS } from '../../jobs/index.ts';
import { createApp } from '../../web/app.ts';
import { englishIn, readable } from '../i18n/english-left.ts';
import { FakeClock, testConfig, testStoreDeps } from '../helpers.ts';

const CHEAP = { N: 2 ** 10, r: 8, p: 1 };
const FORM = 'application/x-www-form-urlencoded';

async function setup(withUsers = true) {
  const clock = new FakeClock(Date.parse('2026-11-27T09:00:00Z'));
  const config = testConfig();
  const { db, sql } = await testStoreDeps(config, clock);
  if (withUsers) {
    await addUser(
      sql,
      {
        email: 'owner@studio.example',
        role: 'admin',
        passwordHash: await hashPassword('owner password 1', CHEAP),
      },
      clock.now(),
    );
    await addUser(
      sql,
      {
        email: 'client@bakery.example',
        role: 'viewer',
        siteIds: [2],
        passwordHash: await hashPassword('client password 1', CHEAP),
      },
      clock.now(),
    );
  }
  const app = createApp({ db, sql, config, jobs: JOBS, now: clock.now, log: memoryLogger(), auth: null });
  return { app, sql, clock };
}
type App = Awaited<ReturnType<typeof setup>>['app'];

const cookiesOf = (res: Response) => res.headers.getSetCookie().map((c) => c.split(';')[0]!);
const tokenIn = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1]!;

/** A browser: keeps cookies, logs in, gets pages and posts forms with the CSRF token. */
async function browser(app: App, email?: string, password?: string, lang = 'en') {
  const jar = new Map<string, string>();
  const keep = (res: Response) => {
    for (const c of cookiesOf(res)) {
      const [k, v] = c.split('=') as [string, string];
      if (v) jar.set(k, v);
      else jar.delete(k);
    }
    return res;
  };
  const headers = () => ({
    cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
    'accept-language': lang,
  });
  const get = async (path: string) => keep(await app.request(path, { headers: headers() }));
  const post = async (path: string, fields: Record<string, string | string[]>, from = path) => {
    const token = tokenIn(await (await get(from)).text());
    const body = new URLSearchParams();
    body.append('_csrf', token);
    for (const [k, v] of Object.entries(fields)) for (const x of [v].flat()) body.append(k, x);
    return keep(
      await app.request(path, {
        method: 'POST',
        headers: { ...headers(), 'content-type': FORM },
        body: body.toString(),
      }),
    );
  };
  if (email) expect((await post('/login', { email, password: password! }, '/login')).status).toBe(303);
  return { get, post, jar };
}

describe('the Users page', () => {
  it('lets an admin add a user with a role and sites, who can then log in', async () => {
    const { app, sql } = await setup();
    const admin = await browser(app, 'owner@studio.example', 'owner password 1');
    const page = await (await admin.get('/users')).text();
    expect(page).toContain('client@bakery.example');
    expect(page).toContain('<a href="/users" aria-current="page">Users</a>');
    const res = await admin.post(
      '/users',
      {
        email: 'Anna@Studio.example',
        name: 'Анна',
        role: 'editor',
        site: ['1', '2'],
        password: 'anna password 12',
        lang: 'ru',
      },
      '/users',
    );
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Added anna@studio.example.');
    expect(await findUserByEmail(sql, 'anna@studio.example')).toMatchObject({
      role: 'editor',
      siteIds: [1, 2],
      language: 'ru',
    });
    await browser(app, 'anna@studio.example', 'anna password 12');
  });

  it('refuses a short password and a viewer without sites, and keeps the last admin', async () => {
    const { app, sql } = await setup();
    const admin = await browser(app, 'owner@studio.example', 'owner password 1');
    const short = await admin.post(
      '/users',
      { email: 'a@b.example', role: 'admin', password: 'short' },
      '/users',
    );
    expect(short.status).toBe(400);
    expect(await short.text()).toContain('at least 12 characters');
    const noSites = await admin.post(
      '/users',
      { email: 'a@b.example', role: 'viewer', password: 'long enough password' },
      '/users',
    );
    expect(await noSites.text()).toContain('needs at least one site');
    const me = (await findUserByEmail(sql, 'owner@studio.example'))!;
    const demote = await admin.post(
      `/users/${me.id}`,
      { action: 'role', role: 'viewer', site: '1' },
      '/users',
    );
    expect(demote.status).toBe(400);
    expect(await demote.text()).toContain('last active admin');
  });

  it('disabling a user logs them out at once; removing needs the confirmation box', async () => {
    const { app, sql } = await setup();
    const admin = await browser(app, 'owner@studio.example', 'owner password 1');
    const client = await browser(app, 'client@bakery.example', 'client password 1');
    expect((await client.get('/jobs')).status).toBe(200);
    const id = (await findUserByEmail(sql, 'client@bakery.example'))!.id;
    await admin.post(`/users/${id}`, { action: 'disable' }, '/users');
    expect((await client.get('/jobs')).status).toBe(303);
    await admin.post(`/users/${id}`, { action: 'remove' }, '/users');
    expect(await findUserByEmail(sql, 'client@bakery.example')).not.toBeNull();
    await admin.post(`/users/${id}`, { action: 'remove', confirm: 'yes' }, '/users');
    expect(await findUserByEmail(sql, 'client@bakery.example')).toBeNull();
  });

  it('is refused to anyone but an admin', async () => {
    const { app, sql } = await setup();
    const client = await browser(app, 'client@bakery.example', 'client password 1');
    expect((await client.get('/users')).status).toBe(403);
    expect(await (await client.get('/jobs')).text()).not.toContain('href="/users"');
    const id = (await findUserByEmail(sql, 'owner@studio.example'))!.id;
    const page = await client.get('/jobs');
    const res = await app.request(`/users/${id}`, {
      method: 'POST',
      headers: { cookie: [...client.jar].map(([k, v]) => `${k}=${v}`).join('; '), 'content-type': FORM },
      body: new URLSearchParams({
        _csrf: tokenIn(await page.text()),
        action: 'password',
        password: 'taken over 123',
      }).toString(),
    });
    expect(res.status).toBe(403);
    expect(
      await verifyPassword(
        'owner password 1',
        (await findUserByEmail(sql, 'owner@studio.example'))!.passwordHash,
      ),
    ).toBe(true);
  });

  it('lets the owner of an install with no user yet add the first one', async () => {
    const { app, sql } = await setup(false);
    const owner = await browser(app);
    expect((await owner.get('/account')).status).toBe(200);
    await owner.post(
      '/users',
      { email: 'owner@studio.example', role: 'admin', password: 'owner password 1' },
      '/users',
    );
    expect((await findUserByEmail(sql, 'owner@studio.example'))?.role).toBe('admin');
    // From now on the dashboard asks for a login.
    expect((await owner.get('/users')).status).toBe(303);
  });
});

describe('the Account page', () => {
  it('changes the password with the current one, and logs out the other sessions', async () => {
    const { app, sql } = await setup();
    const laptop = await browser(app, 'client@bakery.example', 'client password 1');
    const phone = await browser(app, 'client@bakery.example', 'client password 1');
    const wrong = await laptop.post(
      '/account/password',
      { current: 'nope', password: 'new password 123', repeat: 'new password 123' },
      '/account',
    );
    expect(wrong.status).toBe(400);
    const ok = await laptop.post(
      '/account/password',
      { current: 'client password 1', password: 'new password 123', repeat: 'new password 123' },
      '/account',
    );
    expect(await ok.text()).toContain('Password changed');
    expect(
      await verifyPassword(
        'new password 123',
        (await findUserByEmail(sql, 'client@bakery.example'))!.passwordHash,
      ),
    ).toBe(true);
    expect((await laptop.get('/jobs')).status).toBe(200);
    expect((await phone.get('/jobs')).status).toBe(303);
  });

  it('turns two-step login on with a code, shows ten recovery codes once, and off with the password', async () => {
    const { app, sql, clock } = await setup();
    const user = await browser(app, 'client@bakery.example', 'client password 1');
    const begin = await (await user.post('/account/totp/begin', {}, '/account')).text();
    const uri = /href="(otpauth:\/\/totp\/[^"]+)"/.exec(begin)![1]!.replace(/&amp;/g, '&');
    const secret = new URL(uri).searchParams.get('secret')!;
    expect(begin).toContain(secret.slice(0, 4) + ' ');
    const id = (await findUserByEmail(sql, 'client@bakery.example'))!.id;
    expect((await user.post('/account/totp/confirm', { code: '000000' }, '/account')).status).toBe(400);
    expect(await totpEnabled(sql, id)).toBe(false);
    const done = await (
      await user.post('/account/totp/confirm', { code: totp(base32Decode(secret), clock.now()) }, '/account')
    ).text();
    expect(done.match(/<li><code>[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}<\/code><\/li>/g)).toHaveLength(10);
    expect(await totpEnabled(sql, id)).toBe(true);
    expect(await (await user.get('/account')).text()).not.toMatch(/<li><code>[0-9A-Z]{4}-/);
    await user.post('/account/totp/disable', { password: 'client password 1' }, '/account');
    expect(await totpEnabled(sql, id)).toBe(false);
  });

  it('lists where one is logged in and logs out everywhere else', async () => {
    const { app } = await setup();
    const here = await browser(app, 'owner@studio.example', 'owner password 1');
    const there = await browser(app, 'owner@studio.example', 'owner password 1');
    const page = await (await here.get('/account')).text();
    expect(page.match(/<tr( aria-current="true")?><td>/g)).toHaveLength(2);
    expect(page).toContain('(this browser)');
    const res = await here.post('/account/sessions/end-others', {}, '/account');
    expect(await res.text()).toContain('Logged out 1 other session.');
    expect((await there.get('/jobs')).status).toBe(303);
    expect((await here.get('/jobs')).status).toBe(200);
  });

  it('speaks Russian throughout, as does the Users page', async () => {
    const { app } = await setup();
    const admin = await browser(app, 'owner@studio.example', 'owner password 1', 'ru');
    for (const path of ['/account', '/users']) {
      const html = await (await admin.get(path)).text();
      expect(html).toContain('<html lang="ru">');
      expect([path, englishIn(readable(html))]).toEqual([path, []]);
    }
    const enrol = await (await admin.post('/account/totp/begin', {}, '/account')).text();
    expect(englishIn(readable(enrol))).toEqual([]);
    const login = await app.request('/login', { headers: { 'accept-language': 'ru' } });
    expect(englishIn(readable(await login.text()))).toEqual([]);
  });
});
