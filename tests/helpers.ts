// Shared test setup: a fresh store of the backend the run chose (testStore: SQLite file or PostgreSQL
// database, tests/setup/backend.ts), temporary SQLite files on disk for the files still bound to SQLite,
// a valid config, a clock the test moves by hand.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe } from 'vitest';
import { BrowserPool } from '../src/browser/launcher.ts';
import { makeSecretResolver, validateConfig } from '../src/config/load.ts';
import type { Config } from '../src/config/schema.ts';
import { closeDatabase, openDatabase, type Db } from '../src/db/open.ts';
import type { SiteInput, SiteRow } from '../src/db/sites.ts';
import { openStore } from '../src/db/store/open.ts';
import { storeOf } from '../src/db/store/sqlite.ts';
import type { Sql } from '../src/db/store/types.ts';
import { memoryLogger } from '../src/util/log.ts';
import type { RunnerDeps } from '../jobs/runner.ts';
import { JOB_NAMES } from '../jobs/index.ts';
import { TEST_BACKEND } from './setup/backend.ts';
import { SQLITE_ONLY_MARK } from './setup/select.ts';

export { TEST_BACKEND };

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});
// What a beforeAll sets up lives until the file's tests are done.
const suiteCleanups: (() => void | Promise<void>)[] = [];
afterAll(async () => {
  while (suiteCleanups.length) await suiteCleanups.pop()!();
});
let inSuiteSetup = false;
/** Runs `fn` (a beforeAll body) so that the temp files and servers it makes last for the whole file. */
export async function suiteSetup<T>(fn: () => Promise<T>): Promise<T> {
  inSuiteSetup = true;
  try {
    return await fn();
  } finally {
    inSuiteSetup = false;
  }
}
function cleanup(fn: () => void | Promise<void>) {
  (inSuiteSetup ? suiteCleanups : cleanups).push(fn);
}

export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'promowatch-test-'));
  cleanup(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Why tempDb() may not open SQLite on this backend, or null when it may. */
export function tempDbRefusal(
  backend: typeof TEST_BACKEND,
  besidePostgres: string | undefined,
): string | null {
  if (backend !== 'postgres' || besidePostgres) return null;
  return (
    'tempDb() opens SQLite, but this run is on PostgreSQL (PROMOWATCH_TEST_BACKEND=postgres): ' +
    'move the test to testStore()/testStoreDeps(), or list its file in tests/setup/sqlite-only.ts with why'
  );
}

/**
 * A SQLite file for the test. On a PostgreSQL run only with `besidePostgres` saying why: a test whose code
 * still needs the SQLite connection next to a PostgreSQL store (a module not yet on the data layer) —
 * any other use means the file is bound to SQLite and belongs in tests/setup/sqlite-only.ts.
 */
export function tempDb(opts: { besidePostgres?: string } = {}): { db: Db; file: string } {
  const refusal = tempDbRefusal(TEST_BACKEND, opts.besidePostgres);
  if (refusal) throw new Error(refusal);
  const file = join(tempDir(), 'test.db');
  const db = openDatabase(file);
  cleanup(() => closeDatabase(db));
  return { db, file };
}

export function testConfig(overrides: Record<string, unknown> = {}): Config {
  return validateConfig(
    {
      timeZone: 'Europe/Moscow',
      sites: [
        { name: 'studio', baseUrl: 'http://127.0.0.1:9/', timeZone: 'Europe/Moscow' },
        { name: 'bakery', baseUrl: 'http://127.0.0.1:9/', timeZone: 'Asia/Yekaterinburg' },
      ],
      ...overrides,
    },
    JOB_NAMES,
  );
}

export class FakeClock {
  constructor(public t: number) {}
  now = () => new Date(this.t);
  advance(ms: number) {
    this.t += ms;
  }
}

/**
 * The config's sites in the table, as syncSites does (same SQL), synchronously so that the many tests
 * building deps stay synchronous; code under test uses the async syncSites (src/db/sites.ts).
 */
export function seedSites(db: Db, sites: readonly SiteInput[], now: Date): void {
  const upsert = db.prepare(
    `INSERT INTO sites (name, base_url, time_zone, created_at) VALUES (?, ?, ?, ?)
     ON CONFLICT(name) DO UPDATE SET base_url = excluded.base_url, time_zone = excluded.time_zone`,
  );
  for (const s of sites) upsert.run(s.name, s.baseUrl, s.timeZone, now.toISOString());
}

/** The site row by name, synchronously, for the sync setup of tests (code uses getSiteByName). */
export function siteNamed(db: Db, name: string): SiteRow | undefined {
  return db
    .prepare('SELECT id, name, base_url AS baseUrl, time_zone AS timeZone FROM sites WHERE name = ?')
    .get(name) as SiteRow | undefined;
}

export function testDeps(
  db: Db,
  config: Config,
  clock: FakeClock,
): RunnerDeps & { log: ReturnType<typeof memoryLogger> } {
  seedSites(db, config.sites, clock.now());
  return {
    db,
    config,
    now: clock.now,
    fetch: globalThis.fetch,
    log: memoryLogger(),
    browser: new BrowserPool(() => Promise.reject(new Error('no browser in this test'))),
    secret: makeSecretResolver({}, 'test'),
  };
}

/**
 * A fresh, migrated, empty store of the run's backend (PROMOWATCH_TEST_BACKEND; SQLite by default): a
 * SQLite file in a temporary folder, or a PostgreSQL database copied from the run's template. Closed after
 * the test, or after the file when made in suiteSetup().
 */
export async function testStore(): Promise<Sql> {
  if (TEST_BACKEND === 'postgres') {
    // Loaded here, not at the top: importing it decides BACKENDS, which warns when PostgreSQL is missing
    // or off (PROMOWATCH_TEST_PG=0) — noise in every file that uses these helpers for something else.
    const { freshPgUrl } = await import('./pg/backends.ts');
    const url = await freshPgUrl();
    const sql = await openStore({ kind: 'postgres', url });
    // Closed now; the database itself is dropped with the file's others (tests/pg/cluster.ts), off the
    // test's clock.
    cleanup(() => sql.close());
    return sql;
  }
  const sql = await openStore({ kind: 'sqlite', file: join(tempDir(), 'test.db') });
  cleanup(() => sql.close());
  return sql;
}

/**
 * describe() for tests bound to SQLite inside a file whose other tests follow the backend switch (say why):
 * skipped on a PostgreSQL run, and counted there as SQLite-only (tests/setup/backend-reporter.ts).
 */
export function describeSqliteOnly(why: string, name: string, fn: () => void): void {
  describe.skipIf(TEST_BACKEND === 'postgres')(`${name} ${SQLITE_ONLY_MARK} (${why})`, fn);
}

/** Makes the sites table match `sites` (what syncSites does on the SQLite connection), on either backend. */
export async function seedSitesIn(sql: Sql, sites: readonly SiteInput[], now: Date): Promise<SiteRow[]> {
  const rows: SiteRow[] = [];
  for (const s of sites)
    rows.push(
      (await sql.get<SiteRow>(
        `INSERT INTO sites (name, base_url, time_zone, created_at) VALUES (?, ?, ?, ?)
         ON CONFLICT(name) DO UPDATE SET base_url = excluded.base_url, time_zone = excluded.time_zone
         RETURNING id, name, base_url AS "baseUrl", time_zone AS "timeZone"`,
        [s.name, s.baseUrl, s.timeZone, now.toISOString()],
      ))!,
    );
  return rows;
}

/**
 * Stands in for the SQLite connection when the run is on PostgreSQL: the deps types still carry `db`
 * for modules not yet moved onto `sql` (issue 17), and a test that reaches one of them fails saying so
 * instead of reading an empty SQLite file and passing for the wrong reason.
 */
export function noSqliteDb(): Db {
  return new Proxy({} as Db, {
    get(_target, prop) {
      // Not a thenable: `await deps.db` or a Promise.resolve(db) must not call into it.
      if (prop === 'then' || typeof prop === 'symbol') return undefined;
      throw new Error(
        `This test runs on PostgreSQL, but the code under test used the SQLite connection (db.${prop}): ` +
          'that code path is not on the data layer yet — list the test file in tests/setup/sqlite-only.ts until it is',
      );
    },
  });
}

/**
 * A fresh store of the run's backend and the SQLite connection the not-yet-moved modules use beside it:
 * on SQLite both are one connection (so either sees the other's writes); on PostgreSQL `db` is noSqliteDb().
 */
export async function testStoreAndDb(): Promise<{ sql: Sql; db: Db }> {
  if (TEST_BACKEND === 'postgres') return { sql: await testStore(), db: noSqliteDb() };
  const { db } = tempDb();
  return { sql: storeOf(db), db };
}

/** testDeps() around a fresh store of the run's backend (see testStoreAndDb), the config's sites seeded. */
export async function testStoreDeps(
  config: Config,
  clock: FakeClock,
): Promise<RunnerDeps & { sql: Sql; log: ReturnType<typeof memoryLogger> }> {
  const { sql, db } = await testStoreAndDb();
  await seedSitesIn(sql, config.sites, clock.now());
  return runnerDeps(sql, config, clock, db);
}

/**
 * The runner's deps around a store a test opened itself (nothing seeded): config, clock, logger, secrets.
 * `db` defaults to noSqliteDb(), so a code path still on the SQLite connection fails instead of reading
 * a file beside the store under test.
 */
export function runnerDeps(
  sql: Sql,
  config: Config,
  clock: FakeClock,
  db?: Db,
): RunnerDeps & { sql: Sql; log: ReturnType<typeof memoryLogger> } {
  return {
    // Without a SQLite connection there is no file for the evidence folder to sit beside: a temporary
    // one, as the runtime names one on PostgreSQL (src/backlinks/evidence.ts evidenceDirFor).
    ...(db ? {} : { evidenceDir: join(tempDir(), 'evidence') }),
    db: db ?? noSqliteDb(),
    sql,
    config,
    now: clock.now,
    fetch: globalThis.fetch,
    log: memoryLogger(),
    browser: new BrowserPool(() => Promise.reject(new Error('no browser in this test'))),
    secret: makeSecretResolver({}, 'test'),
    // PostgreSQL has no SQLite file for the evidence folder to sit beside: the runtime names one.
    ...(TEST_BACKEND === 'postgres' ? { evidenceDir: join(tempDir(), 'evidence') } : {}),
  };
}

/** A site's row by name through the data layer (getSiteByName on the SQLite connection). */
export async function siteByName(sql: Sql, name: string): Promise<SiteRow | undefined> {
  return sql.get<SiteRow>(
    `SELECT id, name, base_url AS "baseUrl", time_zone AS "timeZone" FROM sites WHERE name = ?`,
    [name],
  );
}

/** A real HTTP server on 127.0.0.1 with the given handler; closed after the test. */
export async function localServer(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<string> {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  cleanup(
    () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  );
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

/** A loopback URL on which nothing listens (a port we bound and released). */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((r) => server.close(() => r()));
  return `http://127.0.0.1:${port}/`;
}

export function onCleanup(fn: () => void | Promise<void>): void {
  cleanup(fn);
}

/** A promise the test settles by hand: lets a fake job "run" for as long as the test wants. */
export function deferred<T = void>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
