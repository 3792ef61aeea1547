// A test file's side of the run's shared PostgreSQL cluster (tests/setup/pg-cluster.ts): fresh databases
// copied from the migrated template, dropped again when the file's tests are done.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, inject, TestRunner } from 'vitest';
import type { SharedCluster } from '../setup/pg-cluster.ts';

/** The run's cluster, or null when the global setup started none (or this file runs outside vitest's setup). */
export function sharedCluster(): SharedCluster | null {
  try {
    return inject('pgCluster') ?? null;
  } catch {
    return null;
  }
}

// Names unique across the run's worker processes, also when a pid comes back for a later worker.
const tag = `t${process.pid}_${randomBytes(3).toString('hex')}`;
let n = 0;
const made = new Map<string, SharedCluster>();
let admin: { client: pg.Client; base: string } | null = null;

async function adminQuery(cluster: SharedCluster, text: string): Promise<void> {
  if (admin && admin.base !== cluster.base) await closeAdmin();
  if (!admin) {
    const client = new pg.Client({ connectionString: `${cluster.base}/postgres` });
    await client.connect();
    admin = { client, base: cluster.base };
  }
  await admin.client.query(text);
}

async function closeAdmin(): Promise<void> {
  const a = admin;
  admin = null;
  await a?.client.end();
}

declare module 'vitest' {
  interface TaskMeta {
    /** Set on a test that made a PostgreSQL database: the run's figures (tests/setup/backend-reporter.ts). */
    postgresStores?: number;
    /** How long each CREATE DATABASE … TEMPLATE of that test took (ms). */
    postgresCloneMs?: number[];
  }
}

/** Counts a PostgreSQL database on the test that made it (none when made in a beforeAll). */
function note(cloneMs?: number): void {
  const task = TestRunner.getCurrentTest();
  if (!task) return;
  task.meta.postgresStores = (task.meta.postgresStores ?? 0) + 1;
  if (cloneMs !== undefined)
    task.meta.postgresCloneMs = [...(task.meta.postgresCloneMs ?? []), Math.round(cloneMs)];
}

let serverVersion: Promise<number> | null = null;

/** ` STRATEGY FILE_COPY` on PostgreSQL 15 and later (older ones know no STRATEGY and copy files anyway). */
async function strategy(cluster: SharedCluster): Promise<string> {
  serverVersion ??= (async () => {
    const client = new pg.Client({ connectionString: `${cluster.base}/postgres` });
    await client.connect();
    try {
      const { rows } = await client.query<{ v: string }>(`SELECT current_setting('server_version_num') AS v`);
      return Number(rows[0]!.v);
    } finally {
      await client.end();
    }
  })();
  return (await serverVersion) >= 150000 ? ' STRATEGY FILE_COPY' : '';
}

/** A fresh database at the newest schema (a copy of the template); returns its URL. */
export async function cloneTemplate(cluster: SharedCluster): Promise<string> {
  const name = `${tag}_${++n}`;
  const t0 = performance.now();
  // FILE_COPY (the default before PostgreSQL 15) copies the small template's files at once; WAL_LOG, 15's
  // default, writes every page through the WAL and took about twice as long here.
  await adminQuery(cluster, `CREATE DATABASE ${name} TEMPLATE ${cluster.template}${await strategy(cluster)}`);
  made.set(name, cluster);
  note(performance.now() - t0);
  return `${cluster.base}/${name}`;
}

/** A fresh empty database (no schema), for tests of the migrations themselves; returns its URL. */
export async function emptyDatabase(cluster: SharedCluster): Promise<string> {
  const name = `${tag}_${++n}`;
  await adminQuery(cluster, `CREATE DATABASE ${name}`);
  made.set(name, cluster);
  note();
  return `${cluster.base}/${name}`;
}

/** Drops a database made here; connections still open to it are closed by the server (FORCE). */
export async function dropDatabase(url: string): Promise<void> {
  const name = url.slice(url.lastIndexOf('/') + 1);
  const cluster = made.get(name);
  if (!cluster) return;
  made.delete(name);
  await adminQuery(cluster, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}

// Whatever a file's tests left behind goes when the file is done, so the cluster does not fill the disk
// (each copy is ~10 MB) over a run of a few thousand tests.
afterAll(async () => {
  for (const [name, cluster] of [...made]) await dropDatabase(`${cluster.base}/${name}`);
  await closeAdmin();
});
