// Writes through the dashboard land in the audit log with who, what and where, never with a password;
// the Audit log page is for admins only.
import { describe, expect, it } from 'vitest';
import { listAudit } from '../../src/audit-log/store.ts';
import type { Sql } from '../../src/db/store/types.ts';
import { hashPassword } from '../../src/auth/password.ts';
import { addUser, findUserByEmail } from '../../src/auth/users.ts';
import { memoryLogger } from '../../src/util/log.ts';
import { JOBS } from '../../jobs/index.ts';
import { actionOf } from '../../web/audit-log.ts';
import { createApp } from '../../web/app.ts';
import { englishIn, visibleText } from '../i18n/english-left.ts';
import { FakeClock, testConfig, testStoreDeps } from '../helpers.ts';
import { storedAnywhere } from '../web/app-setup.ts';

const CHEAP = { N: 2 ** 10, r: 8, p: 1 };
const FORM = 'application/x-www-form-urlencoded';

async function setup() {
  const clock = new FakeClock(Date.parse('2026-11-27T09:00:00Z'));
  const config = testConfig();
  const { db, sql } = await testStoreDeps(config, clock);
  for (const [email, role, siteIds] of [
    ['owner@studio.example', 'admin', []],
    ['marketer@studio.example', 'editor', [1]],
    ['client@bakery.example', 'viewer', [2]],
  ] as const)
    await addUser(
      sql,
      { email, role, siteIds: [...siteIds], passwordHash: await hashPassword(`${role} password 1`, CHEAP) },
      clock.now(),
    );
  const app = createApp({ db, sql, config, jobs: JOBS, now: clock.now, log: memoryLogger(), auth: null });
  return { app, db, sql, clock };
}
type App = Awaited<ReturnType<typeof setup>>['app'];

const tokenIn = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1]!;

async function browser(app: App, email: string, password: string, lang = 'en') {
  const jar = new Map<string, string>();
  const keep = (res: Response) => {
    for (const c of res.headers.getSetCookie().map((x) => x.split(';')[0]!)) {
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
    const body = new URLSearchParams({ _csrf: tokenIn(await (await get(from)).text()) });
    for (const [k, v] of Object.entries(fields)) for (const x of [v].flat()) body.append(k, x);
    return keep(
      await app.request(path, {
        method: 'POST',
        headers: { ...headers(), 'content-type': FORM },
        body: body.toString(),
      }),
    );
  };
  expect((await post('/login', { email, password }, '/login')).status).toBe(303);
  return { get, post };
}

const entries = async (sql: Sql) => (await listAudit(sql, {}, { limit: 100, offset: 0 })).rows.reverse();

describe('the audit log of dashboard writes', () => {
  it('records a write with its actor, action, site and target, and the fields sent', async () => {
    const { app, sql, clock } = await setup();
    const marketer = await browser(app, 'marketer@studio.example', 'editor password 1');
    clock.advance(60_000);
    const res = await marketer.post(
      '/events',
      { site: 'studio', day: '2026-11-20', title: 'New price list' },
      '/uptime?site=studio',
    );
    expect(res.status).toBe(303);
    const [row] = await entries(sql);
    expect(row).toMatchObject({
      actor: 'marketer@studio.example',
      userId: (await findUserByEmail(sql, 'marketer@studio.example'))!.id,
      action: 'event.add',
      siteId: 1,
      targetType: 'event',
      details: { day: '2026-11-20', title: 'New price list' },
    });
    expect(row!.details).not.toHaveProperty('_csrf');
  });

  it('names the action and target of a route with an id and a verb in the form', async () => {
    const { app, sql } = await setup();
    const owner = await browser(app, 'owner@studio.example', 'admin password 1');
    const client = (await findUserByEmail(sql, 'client@bakery.example'))!;
    const res = await owner.post(
      `/users/${client.id}`,
      { action: 'role', role: 'viewer', site: ['1', '2'] },
      '/users',
    );
    expect(res.status).toBe(200);
    expect(await entries(sql)).toMatchObject([
      {
        actor: 'owner@studio.example',
        action: 'user.role',
        siteId: null,
        targetType: 'user',
        targetId: String(client.id),
      },
    ]);
    expect((await entries(sql))[0]!.details).toEqual({ role: 'viewer', site: ['1', '2'] });
  });

  it('logs a password change without the password, anywhere in the database', async () => {
    const { app, db, sql } = await setup();
    const owner = await browser(app, 'owner@studio.example', 'admin password 1');
    const client = (await findUserByEmail(sql, 'client@bakery.example'))!;
    const secret = 'Fresh-bakery-secret-2026';
    expect(
      (await owner.post(`/users/${client.id}`, { action: 'password', password: secret }, '/users')).status,
    ).toBe(200);
    const mine = 'Owners-new-secret-2026';
    const res = await owner.post(
      '/account/password',
      { current: 'admin password 1', password: mine, repeat: mine },
      '/account',
    );
    expect(res.status).toBe(200);
    const rows = await entries(sql);
    expect(rows.map((r) => r.action)).toEqual(['user.password', 'account.password']);
    expect(rows[0]!.details).toEqual({ password: '[hidden]' });
    expect(rows[1]!.details).toEqual({ current: '[hidden]', password: '[hidden]', repeat: '[hidden]' });
    // The search finds what is stored (the e-mail), and none of the passwords.
    expect(await storedAnywhere(sql, db, 'client@bakery.example')).toBe(true);
    for (const s of [secret, mine, 'admin password 1'])
      expect(await storedAnywhere(sql, db, s), s).toBe(false);
  });

  it('does not log a write that was refused or failed', async () => {
    const { app, sql } = await setup();
    const marketer = await browser(app, 'marketer@studio.example', 'editor password 1');
    const res = await marketer.post(
      '/events',
      { site: 'studio', day: 'tomorrow', title: 'x' },
      '/uptime?site=studio',
    );
    expect(res.status).toBe(400);
    // No CSRF token: refused before any handler.
    const forged = await app.request('/events', {
      method: 'POST',
      headers: { 'content-type': FORM },
      body: 'site=studio&day=2026-11-20&title=forged',
    });
    expect(forged.status).toBeGreaterThanOrEqual(400);
    expect(await entries(sql)).toEqual([]);
  });
});

describe('the Audit log page', () => {
  it('shows admins the entries, filtered by person, site, action and period', async () => {
    const { app, sql } = await setup();
    const marketer = await browser(app, 'marketer@studio.example', 'editor password 1');
    await marketer.post(
      '/events',
      { site: 'studio', day: '2026-11-20', title: 'New price list' },
      '/uptime?site=studio',
    );
    const owner = await browser(app, 'owner@studio.example', 'admin password 1');
    const client = (await findUserByEmail(sql, 'client@bakery.example'))!;
    await owner.post(`/users/${client.id}`, { action: 'disable' }, '/users');
    const all = await (await owner.get('/audit-log')).text();
    expect(all).toContain('<code>event.add</code>');
    expect(all).toContain('<code>user.disable</code>');
    expect(all).toContain('<a href="/audit-log" aria-current="page">Audit log</a>');
    const byPerson = await (await owner.get('/audit-log?who=marketer%40studio.example')).text();
    expect(byPerson).toContain('<code>event.add</code>');
    expect(byPerson).not.toContain('<code>user.disable</code>');
    const bySite = await (await owner.get('/audit-log?in=bakery')).text();
    expect(bySite).not.toContain('<code>event.add</code>');
    const byAction = await (await owner.get('/audit-log?action=user')).text();
    expect(byAction).toContain('<code>user.disable</code>');
    expect(byAction).not.toContain('<code>event.add</code>');
    // The writes were made on 27 November (Moscow time); a period before it shows none of them.
    const earlier = await (await owner.get('/audit-log?from=2026-11-01&to=2026-11-26')).text();
    expect(earlier).toContain('No changes match these filters.');
    const that = await (await owner.get('/audit-log?from=2026-11-27&to=2026-11-27')).text();
    expect(that).toContain('<code>user.disable</code>');
  });

  it('refuses an editor and a viewer, and shows them no link to it', async () => {
    const { app } = await setup();
    for (const [email, password] of [
      ['marketer@studio.example', 'editor password 1'],
      ['client@bakery.example', 'viewer password 1'],
    ]) {
      const b = await browser(app, email!, password!);
      const res = await b.get('/audit-log');
      expect([403, 404]).toContain(res.status);
      expect(await res.text()).not.toContain('<table class="audit-log">');
      expect(await (await b.get('/account')).text()).not.toContain('href="/audit-log"');
    }
  });

  it('reads in Russian with no English left', async () => {
    const { app, sql } = await setup();
    const owner = await browser(app, 'owner@studio.example', 'admin password 1', 'ru');
    const client = (await findUserByEmail(sql, 'client@bakery.example'))!;
    await owner.post(
      `/users/${client.id}`,
      { action: 'password', password: 'Fresh-bakery-secret-2026' },
      '/users',
    );
    const page = await (await owner.get('/audit-log')).text();
    expect(page).toContain('Журнал изменений');
    expect(page).toContain('(скрыто)');
    expect(englishIn(visibleText(page))).toEqual([]);
  });
});

describe('actionOf()', () => {
  it('names REST writes by their thing and verb', () => {
    expect(actionOf('POST', '/api/v1/sites/:site/keywords')).toEqual({
      action: 'keyword.add',
      targetType: 'keyword',
    });
    expect(actionOf('DELETE', '/api/v1/sites/:site/keywords/:id')).toEqual({
      action: 'keyword.remove',
      targetType: 'keyword',
    });
    expect(actionOf('PUT', '/api/v1/backlinks/:id{[0-9]+}').action).toBe('backlink.edit');
    expect(actionOf('POST', '/api/v1/backlinks/:id/archive').action).toBe('backlink.archive');
    expect(actionOf('POST', '/backlinks/:id{[0-9]+}/delete').action).toBe('backlink.remove');
    expect(actionOf('POST', '/api/v1/alerts/:id/acknowledge').action).toBe('alert.acknowledge');
  });
});
