// Two `promowatch serve` processes on one PostgreSQL database, as two replicas behind a load balancer
// (issue 17 point 4): a login made on one is valid on the other, a form served by one is accepted by the
// other (PROMOWATCH_SECRET_KEY), a write through one is on the other's very next page — also on a page
// the other had cached (src/db/read-cache.ts follows PostgreSQL's snapshot, not process memory) — and
// logging out on one ends the session on both.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers.ts';
import { pgServer, stopPgServer } from '../pg/backends.ts';
import { pgAvailable } from '../pg/server.ts';

const BIN = fileURLToPath(new URL('../../src/cli/bin.mjs', import.meta.url));
const SECRET = 'k'.repeat(16) + 'shared-secret-of-this-test-0123456789';
const PASSWORD = 'marketer password 1';
const children: ChildProcessWithoutNullStreams[] = [];

afterAll(async () => {
  await Promise.all(
    children.map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.exitCode !== null) return resolve();
          c.on('exit', () => resolve());
          c.kill('SIGTERM');
        }),
    ),
  );
  await stopPgServer();
});

function env(url: string) {
  return {
    PATH: process.env.PATH!,
    HOME: process.env.HOME!,
    PROMOWATCH_SECRET_KEY: SECRET,
    PROMOWATCH_DATABASE_URL: url,
  };
}

async function run(args: string[], cwd: string, url: string, stdin = '') {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env: env(url), timeout: 30_000 });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  child.stdin.end(stdin);
  const code = await new Promise<number | null>((r) => child.on('close', (c) => r(c)));
  return { code, out, err };
}

/** Starts `serve` and resolves with its address once it prints it. */
function serve(cwd: string, url: string): Promise<string> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0'], { cwd, env: env(url) });
  children.push(child);
  let out = '';
  let err = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  return new Promise((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const m = /Dashboard: (http:\/\/\S+?)\/?\s/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.on('exit', (code) => reject(new Error(`serve exited (${code}) before listening: ${err}`)));
  });
}

const cookiesOf = (res: Response) => res.headers.getSetCookie().map((c) => c.split(';')[0]!);
const FORM = 'application/x-www-form-urlencoded';

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
