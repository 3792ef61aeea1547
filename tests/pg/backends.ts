// The two storage backends as a list for `describe.each(BACKENDS)`: each opens a fresh, migrated store —
// SQLite in memory, PostgreSQL as a copy of the run's migrated template database on the run's shared
// cluster (tests/setup/pg-cluster.ts, tests/pg/cluster.ts), or, when a file runs without that global
// setup, a new database on a cluster of its own. A file using it may call `afterAll(stopPgServer)`.
//
// Which backends the list holds follows the switch (tests/setup/backend.ts): both when
// PROMOWATCH_TEST_BACKEND is unset, only the chosen one when it is set — so `npm test`'s SQLite run and
// its PostgreSQL run each take their half once.
import { openStore } from '../../src/db/store/open.ts';
import type { Sql } from '../../src/db/store/types.ts';
import { chosenBackend } from '../setup/backend.ts';
import { cloneTemplate, emptyDatabase, sharedCluster } from './cluster.ts';
import { pgAvailable, startPgServer, type PgServer } from './server.ts';

export interface Backend {
  name: 'sqlite' | 'postgres';
  /** A fresh store at the newest schema, plus the address it was opened from. */
  open(): Promise<{ sql: Sql; url: string }>;
}

let server: Promise<PgServer> | null = null;

/** The cluster this test file uses: the run's shared one, else one of its own started on first use. */
export function pgServer(): Promise<PgServer> {
  const shared = sharedCluster();
  if (shared)
    return Promise.resolve({
      port: Number(new URL(shared.base).port),
      createDatabase: () => emptyDatabase(shared),
      // The run's cluster outlives the file: the global setup stops it.
      stop: async () => {},
    });
  server ??= startPgServer();
  return server;
}

export async function stopPgServer(): Promise<void> {
  if (!server) return;
  const s = server;
  server = null;
  await (await s).stop();
}

/** The address of a fresh database at the newest schema on PostgreSQL (migrated when it is not a copy). */
export async function freshPgUrl(): Promise<string> {
  const shared = sharedCluster();
  return shared ? cloneTemplate(shared) : (await pgServer()).createDatabase();
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
    const url = await freshPgUrl();
    return { sql: await openStore({ kind: 'postgres', url }), url };
  },
};

function backends(): Backend[] {
  switch (chosenBackend()) {
    case 'sqlite':
      return [sqlite];
    case 'postgres':
      // Asked for by name: a missing PostgreSQL fails the run (the global setup says so) rather than skip.
      return [postgres];
    default:
      return pgAvailable() ? [sqlite, postgres] : [sqlite];
  }
}

export const BACKENDS: Backend[] = backends();
