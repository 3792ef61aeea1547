// The two storage backends as a list for `describe.each(BACKENDS)`: each opens a fresh, migrated store —
// SQLite in memory, PostgreSQL as a new database on this file's throwaway cluster (tests/pg/server.ts).
// A file using it calls `afterAll(stopPgServer)`.
import { openStore } from '../../src/db/store/open.ts';
import type { Sql } from '../../src/db/store/types.ts';
import { pgAvailable, startPgServer, type PgServer } from './server.ts';

export interface Backend {
  name: 'sqlite' | 'postgres';
  /** A fresh store at the newest schema, plus the address it was opened from. */
  open(): Promise<{ sql: Sql; url: string }>;
}

let server: Promise<PgServer> | null = null;

/** The cluster this test file shares, started on first use. */
export function pgServer(): Promise<PgServer> {
  server ??= startPgServer();
  return server;
}

export async function stopPgServer(): Promise<void> {
  if (!server) return;
  const s = server;
  server = null;
  await (await s).stop();
}

const sqlite: Backend = {
  name: 'sqlite',
  async open() {
    return { sql: await openStore({ kind: 'sqlite', file: ':memory:' }), url: 'sqlite::memory:' };
  },
};

const postgres: Backend = {
  name: 'postgres',
  async open() {
    const url = await (await pgServer()).createDatabase();
    return { sql: await openStore({ kind: 'postgres', url }), url };
  },
};

export const BACKENDS: Backend[] = pgAvailable() ? [sqlite, postgres] : [sqlite];
