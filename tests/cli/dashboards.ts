// Real `promowatch` processes for the two-dashboard tests (SQLite file and PostgreSQL): one-off commands,
// and `serve` processes reaped (SIGTERM, waited for) after the file's tests.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';

const BIN = fileURLToPath(new URL('../../src/cli/bin.mjs', import.meta.url));
/** The CSRF key both replicas share (PROMOWATCH_SECRET_KEY, at least 32 characters). */
export const SECRET = 'k'.repeat(16) + 'shared-secret-of-this-test-0123456789';
export const PASSWORD = 'marketer password 1';
export const FORM = 'application/x-www-form-urlencoded';
export const cookiesOf = (res: Response) => res.headers.getSetCookie().map((c) => c.split(';')[0]!);

const children: ChildProcessWithoutNullStreams[] = [];

/** Stops the `serve` processes started so far and waits for them (also run after every file). */
export async function reapServes(): Promise<void> {
  await Promise.all(
    children.splice(0).map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.exitCode !== null || c.signalCode !== null) return resolve();
          c.on('exit', () => resolve());
          c.kill('SIGTERM');
        }),
    ),
  );
}

afterAll(reapServes);

/** A minimal environment with the shared key, plus `extra`. */
export function cliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH!, HOME: process.env.HOME!, PROMOWATCH_SECRET_KEY: SECRET, ...extra };
}

/** Runs `promowatch ARGS` to its end. */
export async function runCli(args: string[], cwd: string, env: NodeJS.ProcessEnv, stdin = '') {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env, timeout: 30_000 });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  child.stdin.end(stdin);
  const code = await new Promise<number | null>((r) => child.on('close', (c) => r(c)));
  return { code, out, err };
}

/** Starts `serve` and resolves with its address once it prints it. */
export function startServe(cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0'], { cwd, env });
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
