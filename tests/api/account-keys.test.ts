// The API keys page: a key made in the dashboard is shown once, works on /api/v1, and is revoked there.
import { describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/auth/password.ts';
import { addUser } from '../../src/auth/users.ts';
import { memoryLogger } from '../../src/util/log.ts';
import { JOBS } from '../../jobs/index.ts';
import { createApp } from '../../web/app.ts';
import { FakeClock, testConfig, testStoreDeps } from '../helpers.ts';

const FORM = 'application/x-www-form-urlencoded';

async function setup() {
  const clock = new FakeClock(Date.parse('2026-11-27T09:00:00Z'));
  const config = testConfig();
  const { db, sql } = await testStoreDeps(config, clock);
  const passwordHash = await hashPassword('client password 1', { N: 2 ** 10, r: 8, p: 1 });
  await addUser(
    sql,
    { email: 'client@bakery.example', role: 'viewer', siteIds: [2], passwordHash },
    clock.now(),
  );
  const app = createApp({ db, sql, config, jobs: JOBS, now: clock.now, log: memoryLogger(), auth: null });
  const jar = new Map<string, string>();
  const keep = (res: Response) => {
    for (const c of res.headers.getSetCookie().map((x) => x.split(';')[0]!)) {
      const [k, v] = c.split('=') as [string, string];
      if (v) jar.set(k, v);
      else jar.delete(k);
    }
    return res;
  };
  const headers = (lang: string) => ({
    cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
    'accept-language': lang,
  });
  const get = async (path: string, lang = 'en') => keep(await app.request(path, { headers: headers(lang) }));
  const post = async (path: string, fields: [string, string][], from: string, lang = 'en') => {
    const token = /name="_csrf" value="([^"]+)"/.exec(await (await get(from, lang)).text())![1]!;
    const body = new URLSearchParams([['_csrf', token], ...fields]);
    return keep(
      await app.request(path, {
        method: 'POST',
        headers: { ...headers(lang), 'content-type': FORM },
        body: body.toString(),
      }),
    );
  };
  expect(
    (
      await post(
        '/login',
        [
          ['email', 'client@bakery.example'],
          ['password', 'client password 1'],
        ],
        '/login',
      )
    ).status,
  ).toBe(303);
  return { app, get, post };
}

describe('the API keys page', () => {
  it('makes a key shown once, which then reads the API, and revokes it', async () => {
    const { app, get, post } = await setup();
    expect(await (await get('/account')).text()).toContain('href="/account/keys"');
    const made = await post(
      '/account/keys',
      [
        ['name', 'Looker'],
        ['scope', 'read'],
        ['site', '2'],
      ],
      '/account/keys',
    );
    expect(made.status).toBe(200);
    const key = /<code class="secret">(pw_[A-Za-z0-9_-]{43})<\/code>/.exec(await made.text())![1]!;
    const later = await (await get('/account/keys')).text();
    expect(later).toContain(`${key.slice(0, 9)}…`);
    expect(later).not.toContain(key);
    const api = await app.request('/api/v1/sites', { headers: { authorization: `Bearer ${key}` } });
    expect(((await api.json()) as { items: { name: string }[] }).items.map((s) => s.name)).toEqual([
      'bakery',
    ]);
    const id = /action="\/account\/keys\/(\d+)\/revoke"/.exec(later)![1]!;
    expect((await post(`/account/keys/${id}/revoke`, [], '/account/keys')).status).toBe(200);
    expect((await app.request('/api/v1/sites', { headers: { authorization: `Bearer ${key}` } })).status).toBe(
      401,
    );
  });

  it("refuses a key for a site beyond the user's", async () => {
    const { post } = await setup();
    const res = await post(
      '/account/keys',
      [
        ['scope', 'write'],
        ['site', '1'],
      ],
      '/account/keys',
    );
    expect(res.status).toBe(400);
    expect(await res.text()).not.toMatch(/pw_[A-Za-z0-9_-]{43}/);
  });

  it('reads in Russian', async () => {
    const { get } = await setup();
    const text = await (await get('/account/keys', 'ru')).text();
    expect(text).toContain('API-ключи');
    expect(text).toContain('Создать ключ');
  });
});
