// A throwaway PostgreSQL cluster for tests: initdb into a temporary folder, started on 127.0.0.1 at a free
// port with its socket in that folder, fsync off (the data dies with the test), stopped and removed after.
// Run as the `postgres` user when the tests run as root (PostgreSQL refuses to run as root), else as the
// current user. The binaries come from /usr/lib/postgresql/<version>/bin (Debian) or PATH.
//
// Without PostgreSQL the PostgreSQL half of a test file is skipped with a message saying what to install —
// unless PROMOWATCH_TEST_PG=1 (as .ci/run sets), where a missing server fails the run instead.
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { delimiter, join } from 'node:path';
import pg from 'pg';

/** The folder holding initdb, pg_ctl and postgres, or null. */
export function findPgBin(): string | null {
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => /^\d+$/.test(v) && existsSync(join(root, v, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return join(root, versions[0], 'bin');
  }
  for (const dir of (process.env.PATH ?? '').split(delimiter))
    if (dir && existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'))) return dir;
  return null;
}

export const PG_BIN = findPgBin();

export const PG_MISSING =
  'PostgreSQL is not installed (no initdb in /usr/lib/postgresql/*/bin or on PATH): ' +
  'apt-get install postgresql to run the PostgreSQL half of these tests';

/** True when the PostgreSQL tests can run; throws when they must (PROMOWATCH_TEST_PG=1) but cannot. */
export function pgAvailable(
  bin: string | null = PG_BIN,
  env: NodeJS.ProcessEnv = process.env,
  warn: (message: string) => void = console.warn,
): boolean {
  // PROMOWATCH_TEST_PG=0: SQLite only, on purpose (CI's date matrix: its six extra runs are about
  // dates, which the SQLite runs cover; PostgreSQL runs once, in `npm test`).
  if (env.PROMOWATCH_TEST_PG === '0') {
    warn('Skipping PostgreSQL tests: PROMOWATCH_TEST_PG=0');
    return false;
  }
  // The SQLite half of a two-backend run (tests/setup/backend.ts): the PostgreSQL half runs next.
  if (env.PROMOWATCH_TEST_BACKEND === 'sqlite') return false;
  if (bin) return true;
  if (env.PROMOWATCH_TEST_PG === '1') throw new Error(`PROMOWATCH_TEST_PG=1, but ${PG_MISSING}`);
  warn(`Skipping PostgreSQL tests: ${PG_MISSING}`);
  return false;
}

export interface PgServer {
  port: number;
  /** A fresh empty database on the cluster (named `name`, or a new name); returns its URL. */
  createDatabase(name?: string): Promise<string>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const asRoot = process.getuid?.() === 0;

/** Runs a PostgreSQL binary as the user allowed to run it. */
function pgRun(bin: string, args: string[]): void {
  const [cmd, argv] = asRoot
    ? ['runuser', ['-u', 'postgres', '--', join(PG_BIN!, bin), ...args]]
    : [join(PG_BIN!, bin), args];
  const r = spawnSync(cmd, argv, { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0)
    throw new Error(`${bin} ${args.join(' ')} failed (${r.status ?? r.signal}): ${r.stderr || r.stdout}`);
}

/** Settings beyond the defaults below, as `-c name=value` takes them (the run's shared cluster adds some). */
export interface PgServerOptions {
  settings?: Record<string, string | number>;
  /** The folder to make the cluster's folder in (default: the system's temporary folder). */
  parent?: string;
}

export async function startPgServer(opts: PgServerOptions = {}): Promise<PgServer> {
  if (!PG_BIN) throw new Error(PG_MISSING);
  const dir = mkdtempSync(join(opts.parent ?? tmpdir(), 'promowatch-pg-'));
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));
    chownSync(dir, uid, gid);
  }
  const data = join(dir, 'data');
  const user = asRoot ? 'postgres' : userInfo().username;
  let started = false;
  const stop = () => {
    if (started) {
      started = false;
      try {
        pgRun('pg_ctl', ['stop', '-D', data, '-m', 'immediate', '-w']);
      } catch {
        // Already gone: nothing to stop.
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  // A test process that dies without its afterAll still takes its cluster with it.
  process.once('exit', stop);
  try {
    pgRun('initdb', ['-D', data, '-U', user, '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']);
    let port = 0;
    for (let attempt = 0; ; attempt++) {
      port = await freePort();
      const options = [
        `-c listen_addresses=127.0.0.1`,
        `-p ${port}`,
        `-k ${dir}`,
        '-c fsync=off',
        '-c synchronous_commit=off',
        '-c full_page_writes=off',
        '-c max_connections=50',
        ...Object.entries(opts.settings ?? {}).map(([k, v]) => `-c ${k}=${v}`),
      ].join(' ');
      try {
        pgRun('pg_ctl', ['start', '-D', data, '-w', '-t', '60', '-l', join(dir, 'log'), '-o', options]);
        started = true;
        break;
      } catch (err) {
        // Someone took the port between freePort() and the start: try another.
        if (attempt >= 2) {
          const log = existsSync(join(dir, 'log')) ? readFileSync(join(dir, 'log'), 'utf8') : '';
          throw new Error(`${(err as Error).message}\n${log}`);
        }
      }
    }
    const base = `postgres://${encodeURIComponent(user)}@127.0.0.1:${port}`;
    let n = 0;
    return {
      port,
      async createDatabase(given?: string) {
        const name = given ?? `t${process.pid}_${++n}`;
        const admin = new pg.Client({ connectionString: `${base}/postgres` });
        await admin.connect();
        try {
          await admin.query(`CREATE DATABASE ${name}`);
        } finally {
          await admin.end();
        }
        return `${base}/${name}`;
      },
      async stop() {
        process.off('exit', stop);
        stop();
      },
    };
  } catch (err) {
    process.off('exit', stop);
    stop();
    throw err;
  }
}
