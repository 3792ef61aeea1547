// Two `promowatch serve` processes on one database, as two replicas behind a load balancer (issue 17
// point 4): a login made on one is valid on the other, a form served by one is accepted by the other
// (the CSRF key comes from PROMOWATCH_SECRET_KEY), and a write through one is read through the other on
// the very next request (sessions and data live in the database; the read cache follows its version),
// and wrong passwords and API-key requests spread over both are limited as if they all came to one
// (issue 17 point 3: the limits live in the database too).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers.ts';
import { cliEnv, cookiesOf, FORM, PASSWORD, runCli, startServe } from './dashboards.ts';

const run = (args: string[], cwd: string, stdin = '', extraEnv: Record<string, string> = {}) =>
  runCli(args, cwd, cliEnv(extraEnv), stdin);
const serve = (cwd: string, extraEnv: Record<string, string> = {}) => startServe(cwd, cliEnv(extraEnv));

describe('two dashboards on one database', () => {
  it('share logins, forms and writes', async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'promowatch.config.json'),
      JSON.stringify({ sites: [{ name: 'studio', baseUrl: 'http://127.0.0.1:9/' }], web: { port: 0 } }),
    );
    const add = await run(
      ['users', 'add', 'marketer@studio.example', '--role', 'editor', '--site', 'studio', '--password-stdin'],
      dir,
      PASSWORD + '\n',
    );
    expect(add.code, add.err).toBe(0);
    const [a, b] = await Promise.all([serve(dir), serve(dir)]);
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

    // …the session opens B, and B accepts a form whose token A's cookie was signed for.
    const onB = await fetch(`${b}/uptime?site=studio`, { headers: { cookie }, redirect: 'manual' });
    expect(onB.status).toBe(200);
    const title = 'Launched the autumn showreel';
    expect(await onB.text()).not.toContain(title);
    const write = await fetch(`${b}/events`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie, 'content-type': FORM },
      body: new URLSearchParams({ _csrf: token, site: 'studio', day: '2026-11-02', title }),
    });
    expect(write.status, await write.clone().text()).toBe(303);

    // The write made through B is on A's very next page.
    const onA = await fetch(`${a}/uptime?site=studio`, { headers: { cookie }, redirect: 'manual' });
    expect(onA.status).toBe(200);
    expect(await onA.text()).toContain(title);

    // Logging out on A ends the session on B at once.
    const out = await fetch(`${a}/logout`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie, 'content-type': FORM },
      body: new URLSearchParams({ _csrf: token }),
    });
    expect(out.status).toBe(303);
    const after = await fetch(`${b}/uptime?site=studio`, { headers: { cookie }, redirect: 'manual' });
    expect(after.status).toBe(303);
    expect(after.headers.get('location')).toMatch(/^\/login/);
  }, 60_000);

  it('limit wrong passwords and API-key requests spread over both as one', async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'promowatch.config.json'),
      JSON.stringify({ sites: [{ name: 'studio', baseUrl: 'http://127.0.0.1:9/' }], web: { port: 0 } }),
    );
    const add = await run(
      ['users', 'add', 'marketer@studio.example', '--role', 'editor', '--site', 'studio', '--password-stdin'],
      dir,
      PASSWORD + '\n',
    );
    expect(add.code, add.err).toBe(0);
    const key = await run(['keys', 'add', 'marketer@studio.example', '--scope', 'read'], dir);
    expect(key.code, key.err).toBe(0);
    const [a, b] = await Promise.all([serve(dir), serve(dir)]);

    // Five wrong passwords, taking turns on A and B (each saw fewer than five), lock the client out of
    // both: the sixth try is refused before it is checked, even with the right password.
    const form = await fetch(`${a}/login`);
    const token = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1]!;
    const cookie = cookiesOf(form).join('; ');
    const login = (on: string, password: string) =>
      fetch(`${on}/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie, 'content-type': FORM },
        body: new URLSearchParams({ _csrf: token, email: 'marketer@studio.example', password }),
      });
    for (const [i, on] of [a, b, a, b, a].entries()) expect((await login(on, `guess ${i}`)).status).toBe(401);
    const sixth = await login(b, `guess 5`);
    expect(sixth.status).toBe(429);
    expect(Number(sixth.headers.get('retry-after'))).toBeGreaterThan(800);
    expect((await login(a, PASSWORD)).status).toBe(429);

    // An API key's bucket (60 at once, then 2 a second) is one bucket: 90 requests at once, half on
    // each dashboard, get about 60 answers, not all 90 (each dashboard alone would let its 45 through).
    const started = Date.now();
    const answers = await Promise.all(
      Array.from({ length: 90 }, (_, i) =>
        fetch(`${i % 2 ? a : b}/api/v1/sites`, { headers: { authorization: `Bearer ${key.out.trim()}` } }),
      ),
    );
    const refill = Math.ceil(((Date.now() - started) / 1000) * 2);
    // Under a second here; should it ever take 15 s, the refill alone would let all 90 through.
    expect(60 + refill).toBeLessThan(90);
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s !== 200 && s !== 429)).toEqual([]);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(60);
    expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(60 + refill);
  }, 60_000);

  it('refuses a PROMOWATCH_SECRET_KEY too short to sign with, naming the variable', async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'promowatch.config.json'),
      JSON.stringify({ sites: [{ name: 'studio', baseUrl: 'http://127.0.0.1:9/' }], web: { port: 0 } }),
    );
    const r = await run(['serve', '--port', '0'], dir, '', { PROMOWATCH_SECRET_KEY: 'short' });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/PROMOWATCH_SECRET_KEY must be at least 32 characters \(it has 5\)/);
    expect(r.err).not.toContain('short\n');
  });
});
