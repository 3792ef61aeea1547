// Two `promowatch serve` processes on one PostgreSQL database, as two replicas behind a load balancer
// (issue 17 point 4): a login made on one is valid on the other, a form served by one is accepted by the
// other (PROMOWATCH_SECRET_KEY), a write through one is on the other's very next page — also on a page
// the other had cached (src/db/read-cache.ts follows PostgreSQL's snapshot, not process memory) — and
// logging out on one ends the session on both.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers.ts';
import { pgServer, stopPgServer } from '../pg/backends.ts';
import { pgAvailable } from '../pg/server.ts';
import { cliEnv, cookiesOf, FORM, PASSWORD, reapServes, runCli, startServe } from './dashboards.ts';

// The replicas stop before their database does.
afterAll(async () => {
  await reapServes();
  await stopPgServer();
});

const env = (url: string) => cliEnv({ PROMOWATCH_DATABASE_URL: url });
const run = (args: string[], cwd: string, url: string, stdin = '') => runCli(args, cwd, env(url), stdin);
const serve = (cwd: string, url: string) => startServe(cwd, env(url));

describe.runIf(pgAvailable())('two dashboards on one PostgreSQL database', () => {
  it('share logins, forms, writes and cached pages', async () => {
    const url = await (await pgServer()).createDatabase();
    const dir = tempDir();
    writeFileSync(
      join(dir, 'promowatch.config.json'),
      JSON.stringify({ sites: [{ name: 'studio', baseUrl: 'http://127.0.0.1:9/' }], web: { port: 0 } }),
    );
    const add = await run(
      ['users', 'add', 'marketer@studio.example', '--role', 'editor', '--site', 'studio', '--password-stdin'],
      dir,
      url,
      PASSWORD + '\n',
    );
    expect(add.code, add.err).toBe(0);
    const [a, b] = await Promise.all([serve(dir, url), serve(dir, url)]);
    expect(a).not.toBe(b);

    // Log in on A…
    const form = await fetch(`${a}/login`);
    const token = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1]!;
    const csrfCookie = cookiesOf(form).join('; ');
    const login = await fetch(`${a}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: csrfCookie, 'content-type': FORM },
      body: new URLSearchParams({ _csrf: token, email: 'marketer@studio.example', password: PASSWORD }),
    });
    expect(login.status).toBe(303);
    const cookie = [csrfCookie, ...cookiesOf(login)].join('; ');
    expect(cookie).toMatch(/pw_session=[^;]+/);
    const page = (base: string, path: string) =>
      fetch(`${base}${path}`, { headers: { cookie }, redirect: 'manual' });

    // A shows (and caches) the Rankings page before the keyword exists, twice: the second view is the cache's.
    const query = 'видеосъёмка свадеб екатеринбург';
    for (let i = 0; i < 2; i++) {
      const before = await page(a, '/rankings?site=studio');
      expect(before.status).toBe(200);
      expect(await before.text()).not.toContain(query);
    }

    // …the session opens B, and B accepts a form whose token A's cookie was signed for.
    const onB = await page(b, '/uptime?site=studio');
    expect(onB.status).toBe(200);
    const title = 'Launched the autumn showreel';
    expect(await onB.text()).not.toContain(title);
    const event = await fetch(`${b}/events`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie, 'content-type': FORM },
      body: new URLSearchParams({ _csrf: token, site: 'studio', day: '2026-11-02', title }),
    });
    expect(event.status, await event.clone().text()).toBe(303);
    const keyword = await fetch(`${b}/rankings/keywords`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie, 'content-type': FORM },
      body: new URLSearchParams({
        _csrf: token,
        site: 'studio',
        query,
        engine: 'yandex',
        device: 'mobile',
        lr: '54',
      }),
    });
    expect(keyword.status, await keyword.clone().text()).toBe(303);

    // The writes made through B are on A's very next pages, the cached Rankings page included.
    const uptimeOnA = await page(a, '/uptime?site=studio');
    expect(uptimeOnA.status).toBe(200);
    expect(await uptimeOnA.text()).toContain(title);
    const rankingsOnA = await page(a, '/rankings?site=studio');
    expect(rankingsOnA.status).toBe(200);
    expect(await rankingsOnA.text()).toContain(query);

    // Logging out on A ends the session on B at once.
    const out = await fetch(`${a}/logout`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie, 'content-type': FORM },
      body: new URLSearchParams({ _csrf: token }),
    });
    expect(out.status).toBe(303);
    const after = await page(b, '/uptime?site=studio');
    expect(after.status).toBe(303);
    expect(after.headers.get('location')).toMatch(/^\/login/);
  }, 90_000);
});
