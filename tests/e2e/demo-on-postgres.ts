// On a PostgreSQL run (PROMOWATCH_TEST_BACKEND=postgres) the browser tests' demo is served from PostgreSQL:
// the shared build makes its world in SQLite as `npm run demo` does, then copies it into a database of the
// run's cluster with `promowatch migrate-data`'s copy (src/db/store/copy.ts), row counts verified per table; each
// test file then serves a copy of that database (CREATE DATABASE … TEMPLATE, well under a second).
import pg from 'pg';
import { closeDatabase, openDatabase } from '../../src/db/open.ts';
import { copyTables } from '../../src/db/store/copy.ts';
import { openStore } from '../../src/db/store/open.ts';
import { describeSchema } from '../../src/db/store/schema-info.ts';
import { storeOf } from '../../src/db/store/sqlite.ts';
import type { SharedCluster } from '../setup/pg-cluster.ts';

/** The environment variable tests/e2e/global-setup.ts hands the run's cluster to the build in (JSON). */
export const DEMO_PG_ENV = 'PROMOWATCH_E2E_PG_CLUSTER';

/** The run's cluster as the build was told it, or null on a SQLite run. */
export function demoCluster(env: NodeJS.ProcessEnv = process.env): SharedCluster | null {
  const raw = env[DEMO_PG_ENV];
  return raw ? (JSON.parse(raw) as SharedCluster) : null;
}

export interface PgCopy {
  /** The database holding the copy: test files clone it, so nothing may stay connected to it. */
  database: string;
  rows: number;
  tables: number;
  ms: number;
}

async function admin(cluster: SharedCluster, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: `${cluster.base}/postgres` });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/**
 * Copies the SQLite demo database `file` into a new database `name` on the run's cluster (made from its
 * migrated template, so at the same schema), and checks the copy: every table's row count must match the
 * source's, or it throws naming the tables that differ.
 */
export async function copyDemoIntoPostgres(
  file: string,
  cluster: SharedCluster,
  name: string,
): Promise<PgCopy> {
  const started = performance.now();
  await admin(cluster, `CREATE DATABASE ${name} TEMPLATE ${cluster.template} STRATEGY FILE_COPY`);
  const db = openDatabase(file);
  const target = await openStore({ kind: 'postgres', url: `${cluster.base}/${name}` });
  try {
    const tables = await describeSchema(storeOf(db));
    const counts = await target.transaction(async (tx) => {
      await copyTables({ kind: 'sqlite', db }, tx, tables);
      // Row counts, not migrate-data's checksums too: hashing the demo's 360,000 result rows on both sides
      // took longer than the copy (tests/db/migrate-data.test.ts proves the checksums on this database).
      const out: { table: string; source: number; target: number }[] = [];
      for (const t of tables) {
        const q = `SELECT COUNT(*) AS n FROM "${t.name}"`;
        const source = (db.prepare(q).get() as { n: number }).n;
        out.push({ table: t.name, source, target: (await tx.get<{ n: number }>(q))!.n });
      }
      return out;
    });
    const bad = counts.filter((c) => c.source !== c.target);
    if (bad.length)
      throw new Error(
        `The demo's copy into PostgreSQL differs from the SQLite build in ${bad
          .map((c) => `${c.table} (${c.source} → ${c.target} rows)`)
          .join(', ')}`,
      );
    return {
      database: name,
      rows: counts.reduce((n, c) => n + c.target, 0),
      tables: counts.length,
      ms: performance.now() - started,
    };
  } finally {
    await target.close();
    closeDatabase(db);
  }
}
