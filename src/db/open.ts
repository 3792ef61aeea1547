// Opens the one SQLite file promowatch keeps everything in, with the pragmas every connection needs.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { migrate } from './migrate.ts';

export type Db = Database;

export const DEFAULT_DB_PATH = 'data/promowatch.db';

/** `--db` wins over PROMOWATCH_DB, which wins over data/promowatch.db. */
export function resolveDbPath(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  return resolve(flag ?? env.PROMOWATCH_DB ?? DEFAULT_DB_PATH);
}

export function openDatabase(file: string): Db {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new BetterSqlite3(file);
  try {
    // WAL lets the dashboard read while a job writes; busy_timeout covers a `run` from system cron
    // writing at the same moment as the scheduler.
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 5000');
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = NORMAL');
    // Sorts and temporary tables (GROUP BY over a year of rankings) in memory rather than temp files.
    db.pragma('temp_store = MEMORY');
    db.pragma('cache_size = -65536');
    migrate(db);
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}

/** Closes cleanly: folds the WAL back into the main file so a copied .db is complete. */
export function closeDatabase(db: Db): void {
  if (!db.open) return;
  try {
    db.pragma('optimize');
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
}

/**
 * A stand-in for the SQLite connection when promowatch runs on PostgreSQL: any use throws an error
 * naming what happened and what to do. Passing it around (deps objects, spreads) is harmless.
 */
export function sqliteOnly(what = 'This part of promowatch'): Db {
  return new Proxy({} as Db, {
    get(_target, prop) {
      // Not a thenable: `await deps.db` or a Promise.resolve() of an object holding it stays harmless.
      if (prop === 'then' || typeof prop === 'symbol') return undefined;
      throw new Error(
        `${what} still reads the SQLite file directly and does not work on PostgreSQL yet (it used db.${prop}); ` +
          'run it against the SQLite install, or leave out PROMOWATCH_DATABASE_URL / database.url',
      );
    },
  });
}
