// The demo for a browser test file: a copy of the one built for the whole run (tests/e2e/build-demo.ts),
// served by its own dashboard and scheduler on the demo's fixed clock, so that what one file clicks never
// shows in another. Without a shared build (the e2e project's global setup did not run) it builds its own.
// On a PostgreSQL run the copy is a database cloned from the build's PostgreSQL copy, and the dashboard
// serves from it alone (its SQLite connection is noSqliteDb(): a page still reading SQLite fails loudly).
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { inject } from 'vitest';
import { BrowserPool } from '../../src/browser/launcher.ts';
import { demoNowOn, serveDemo, startDemo, type RunningDemo } from '../../src/cli/demo/run-demo.ts';
import { makeSecretResolver } from '../../src/config/load.ts';
import { closeDatabase, openDatabase, type Db } from '../../src/db/open.ts';
import { openStore } from '../../src/db/store/open.ts';
import { storeOf } from '../../src/db/store/sqlite.ts';
import type { Sql } from '../../src/db/store/types.ts';
import { DEMO_ADS_ENV } from '../../src/demo/ads-apis.ts';
import { DEMO_API_ENV } from '../../src/demo/search-apis.ts';
import { createLogger } from '../../src/util/log.ts';
import { cloneTemplate, sharedCluster } from '../pg/cluster.ts';
import { noSqliteDb, tempDir } from '../helpers.ts';
import { SHARED_HISTORY_DAYS, type BuiltDemo, type SharedDay } from './shared-demo.ts';

/** Waits for the shared build; throws what stopped it, or after `timeoutMs`. */
async function builtDemo(folder: string, day: SharedDay, timeoutMs: number): Promise<BuiltDemo> {
  const deadline = performance.now() + timeoutMs;
  const ready = join(folder, `ready-${day}.json`);
  for (;;) {
    if (existsSync(ready)) return JSON.parse(readFileSync(ready, 'utf8')) as BuiltDemo;
    if (existsSync(join(folder, 'failed.txt')))
      throw new Error(`The shared demo build failed:\n${readFileSync(join(folder, 'failed.txt'), 'utf8')}`);
    if (performance.now() > deadline)
      throw new Error(
        `The shared demo build did not finish in ${timeoutMs / 1000} s (log: ${folder}/build.log)`,
      );
    await sleep(200);
  }
}

/** The first column of the first row `q` returns (what better-sqlite3's pluck().get() gave), on either backend. */
export async function valueOf<T>(sql: Sql, q: string, params: unknown[] = []): Promise<T> {
  const row = await sql.get<Record<string, unknown>>(q, params);
  return (row ? Object.values(row)[0] : undefined) as T;
}

/** A test file's demo, with the store its dashboard serves from (SQLite or PostgreSQL, as the run chose). */
export type OpenedDemo = RunningDemo & { sql: Sql };

/** The store of the copy: SQLite's file, or on a PostgreSQL run a clone of the build's PostgreSQL copy. */
async function openCopy(
  built: BuiltDemo,
  dbPath: string,
): Promise<{ db: Db; sql: Sql; close(): Promise<void> }> {
  const cluster = built.pgDatabase ? sharedCluster() : null;
  if (built.pgDatabase && !cluster)
    throw new Error('The shared demo is on PostgreSQL, but this file has no cluster');
  if (cluster) {
    const url = await cloneTemplate({ ...cluster, template: built.pgDatabase! });
    const sql = await openStore({ kind: 'postgres', url });
    // The database itself is dropped with the file's others (tests/pg/cluster.ts).
    return { db: noSqliteDb(), sql, close: () => sql.close() };
  }
  const db = openDatabase(dbPath);
  return { db, sql: storeOf(db), close: async () => closeDatabase(db) };
}

/**
 * Opens the demo on a fixed `day` for one test file. Call it inside suiteSetup(): the copy lives in the
 * file's temporary folder until its last test.
 */
export async function openBuiltDemo(day: SharedDay, timeoutMs = 170_000): Promise<OpenedDemo> {
  const folder = inject('builtDemo');
  const dbPath = join(tempDir(), 'demo.db');
  if (!folder) {
    const demo = await startDemo({
      dbPath,
      port: 0,
      days: SHARED_HISTORY_DAYS,
      now: demoNowOn(day, 'the test'),
    });
    // The tests read what the demo stored through a store of their own on its file.
    const sql = await openStore({ kind: 'sqlite', file: dbPath });
    return {
      ...demo,
      sql,
      async close() {
        await sql.close();
        await demo.close();
      },
    };
  }
  const built = await builtDemo(folder, day, timeoutMs);
  cpSync(built.folder, join(dbPath, '..'), { recursive: true });
  const opened = performance.now();
  // The clock the demo's own dashboard would have had: the fixed day's noon, plus the build's duration,
  // running on at real speed (runs started from here are stamped after the build's last ones).
  const now = () => new Date(built.nowMs + built.elapsedMs + (performance.now() - opened));
  const { db, sql, close } = await openCopy(built, dbPath);
  // Screenshots are stored by absolute path, and shown only from the evidence folder beside the database:
  // point the copy's at its own folder, as moving a real data folder would need.
  const folderOf = (dir: string) => join(dir, 'evidence', sep);
  await sql.run(
    `UPDATE backlink_checks SET screenshot = ? || substr(screenshot, ?) WHERE substr(screenshot, 1, ?) = ?`,
    [
      folderOf(dirname(dbPath)),
      folderOf(built.liveFolder).length + 1,
      folderOf(built.liveFolder).length,
      folderOf(built.liveFolder),
    ],
  );
  const browser = new BrowserPool();
  try {
    const served = await serveDemo(
      {
        db,
        sql,
        // The copy's own evidence folder (on PostgreSQL there is no SQLite file for it to sit beside).
        evidenceDir: join(dirname(dbPath), 'evidence'),
        config: built.config,
        now,
        fetch: globalThis.fetch,
        log: createLogger({ level: 'warn' }),
        browser,
        secret: makeSecretResolver(
          { ...DEMO_API_ENV, ...DEMO_ADS_ENV },
          'the demo (made-up values its simulated APIs accept)',
        ),
      },
      '127.0.0.1',
      0,
    );
    return {
      url: served.url,
      reportUrl: built.reportPath ? `${served.url.replace(/\/$/, '')}${built.reportPath}` : null,
      dbPath,
      config: built.config,
      sql,
      async close() {
        await served.close();
        await browser.close();
        await close();
      },
    };
  } catch (err) {
    await browser.close();
    await close();
    throw err;
  }
}
