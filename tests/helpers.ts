// Shared test setup: temporary SQLite files on disk, a valid config, a clock the test moves by hand.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach } from 'vitest';
import { BrowserPool } from '../src/browser/launcher.ts';
import { makeSecretResolver, validateConfig } from '../src/config/load.ts';
import type { Config } from '../src/config/schema.ts';
import { closeDatabase, openDatabase, type Db } from '../src/db/open.ts';
import type { SiteInput, SiteRow } from '../src/db/sites.ts';
import { memoryLogger } from '../src/util/log.ts';
import type { RunnerDeps } from '../jobs/runner.ts';
import { JOB_NAMES } from '../jobs/index.ts';

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

export function tempDb(): { db: Db; file: string } {
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
