// Vitest global setup: ONE throwaway PostgreSQL cluster for the whole run instead of one per test file,
// with a template database migrated once. A test's fresh database is a copy of that template
// (CREATE DATABASE … TEMPLATE, tests/pg/cluster.ts), so no test pays for initdb or the migrations.
// Started when PostgreSQL tests can run (tests/pg/server.ts pgAvailable()); stopped and its folder
// removed when the run ends — failed runs included (vitest calls the teardown; a killed run still takes
// the cluster with it through startPgServer()'s exit hook).
import { accessSync, constants } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { openStore } from '../../src/db/store/open.ts';
import { PG_BIN, PG_MISSING, pgAvailable, startPgServer, type PgServer } from '../pg/server.ts';
import { chosenBackend } from './backend.ts';

/** Where the run's cluster answers; null when this run has none (SQLite only, or no PostgreSQL). */
export interface SharedCluster {
  /** postgres://user@127.0.0.1:port — add /name for a database. */
  base: string;
  /** The migrated database every test database is copied from. */
  template: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgCluster: SharedCluster | null;
  }
}

export const TEMPLATE = 'promowatch_template';

/** Both projects (unit, e2e) list this file; they share the one cluster through the main process. */
const KEY = Symbol.for('promowatch.tests.pgCluster');
interface Shared {
  started: Promise<{ server: PgServer; info: SharedCluster } | null>;
  users: number;
}

/** /dev/shm when it is there and writable, else undefined (the system's temporary folder). */
function ramFolder(): string | undefined {
  try {
    accessSync('/dev/shm', constants.W_OK);
    return '/dev/shm';
  } catch {
    return undefined;
  }
}

async function start(): Promise<{ server: PgServer; info: SharedCluster } | null> {
  const backend = chosenBackend();
  if (backend === 'postgres') {
    if (process.env.PROMOWATCH_TEST_PG === '0')
      throw new Error('PROMOWATCH_TEST_BACKEND=postgres contradicts PROMOWATCH_TEST_PG=0: unset one');
    if (!PG_BIN) throw new Error(`PROMOWATCH_TEST_BACKEND=postgres, but ${PG_MISSING}`);
  } else if (!pgAvailable(PG_BIN, process.env, () => {})) return null;
  const t0 = performance.now();
  const server = await startPgServer({
    // Many test databases at once (2 workers, each store a pool): room above the default 50. Minimal WAL
    // makes CREATE DATABASE … TEMPLATE cheaper (nothing replicates or archives this cluster).
    settings: { max_connections: 200, wal_level: 'minimal', max_wal_senders: 0 },
    // In memory where Linux offers it: a copy of the template took ~500 ms on this machine's shared disk
    // and ~50 ms in /dev/shm (fsync is off either way; the disk's write-back was the cost). Each test's
    // database is dropped after its file, so the folder stays at a few hundred MB.
    parent: ramFolder(),
  });
  try {
    const t1 = performance.now();
    const url = await server.createDatabase(TEMPLATE);
    await (await openStore({ kind: 'postgres', url })).close();
    const base = url.slice(0, url.lastIndexOf('/'));
    const t2 = performance.now();
    process.stdout.write(
      `PostgreSQL for this run: cluster on port ${server.port} started in ${Math.round(t1 - t0)} ms, ` +
        `template database migrated in ${Math.round(t2 - t1)} ms\n`,
    );
    return { server, info: { base, template: TEMPLATE } };
  } catch (err) {
    await server.stop();
    throw err;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const g = globalThis as { [KEY]?: Shared };
  const shared = (g[KEY] ??= { started: start(), users: 0 });
  shared.users++;
  const cluster = await shared.started;
  project.provide('pgCluster', cluster?.info ?? null);
  return async () => {
    if (--shared.users > 0) return;
    delete g[KEY];
    await cluster?.server.stop();
  };
}
