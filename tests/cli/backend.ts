// The database a test's `promowatch` runs use, on the backend the run chose (tests/setup/backend.ts): a
// fresh PostgreSQL database (a copy of the run's migrated template) handed over as a user would, in
// PROMOWATCH_DATABASE_URL; otherwise a SQLite file, in PROMOWATCH_DB. Seeds and read-backs open the same
// database through the data layer, so a test reads what the command stored on either backend.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openStore } from '../../src/db/store/open.ts';
import type { Sql } from '../../src/db/store/types.ts';
import { onCleanup, tempDir, TEST_BACKEND } from '../helpers.ts';
import { storedInAnyRow } from '../pg/stored.ts';

/**
 * The address of a fresh database for a test's CLI runs: postgres://… on a PostgreSQL run, else `file`
 * (a SQLite file, not created yet: the first command creates it).
 */
export async function testDatabaseUrl(file = join(tempDir(), 'promowatch.db')): Promise<string> {
  if (TEST_BACKEND !== 'postgres') return file;
  // Loaded here: importing it decides the BACKENDS list, which warns when PostgreSQL is off.
  const { freshPgUrl } = await import('../pg/backends.ts');
  return freshPgUrl();
}

export interface CliDatabase {
  backend: 'sqlite' | 'postgres';
  /** postgres://… on PostgreSQL, the SQLite file's path otherwise. */
  url: string;
  /** What a user sets for it: PROMOWATCH_DATABASE_URL, or PROMOWATCH_DB naming the SQLite file. */
  env: Record<string, string>;
  /** The data layer on it, for seeds and read-backs: opened on first use, closed after the test. */
  sql(): Promise<Sql>;
  /** The first column of the first row of a query (better-sqlite3's `.pluck().get()`). */
  value(query: string, params?: unknown[]): Promise<unknown>;
  /** The first column of every row of a query (`.pluck().all()`). */
  column(query: string, params?: unknown[]): Promise<unknown[]>;
  /** Whether `text` is stored anywhere in it (the SQLite file's bytes; every row of every table on PostgreSQL). */
  contains(text: string): Promise<boolean>;
}

/** A fresh database for one test's CLI runs (see testDatabaseUrl), with its variable and a way in. */
export async function testDatabase(file?: string): Promise<CliDatabase> {
  const url = await testDatabaseUrl(file);
  const backend = TEST_BACKEND === 'postgres' ? 'postgres' : 'sqlite';
  let opened: Promise<Sql> | null = null;
  const sql = () => {
    // Lazily: on SQLite, opening creates and migrates the file, which some tests check a command did not.
    opened ??= openStore(
      backend === 'postgres' ? { kind: 'postgres', url } : { kind: 'sqlite', file: url },
    ).then((s) => {
      onCleanup(() => s.close());
      return s;
    });
    return opened;
  };
  return {
    backend,
    url,
    env: backend === 'postgres' ? { PROMOWATCH_DATABASE_URL: url } : { PROMOWATCH_DB: url },
    sql,
    async value(query, params = []) {
      const row = await (await sql()).get<Record<string, unknown>>(query, params);
      return row ? Object.values(row)[0] : undefined;
    },
    async column(query, params = []) {
      const rows = await (await sql()).all<Record<string, unknown>>(query, params);
      return rows.map((r) => Object.values(r)[0]);
    },
    async contains(text) {
      if (backend === 'sqlite') return existsSync(url) && readFileSync(url).includes(Buffer.from(text));
      return storedInAnyRow(await sql(), text);
    },
  };
}
