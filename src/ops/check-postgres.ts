// `promowatch check-db` on PostgreSQL: what PRAGMA integrity_check is to the SQLite file, as far as a
// client can tell — after a pg_restore, a disk scare or before an upgrade. Read-only (one READ ONLY
// transaction, no migration: a check never changes the database), so it is safe while promowatch runs.
// PostgreSQL checks its own pages; what can go wrong for promowatch is a restore into the wrong database,
// a partial restore (a table missing or unreadable), or a dump from a newer promowatch.
import type { Sql } from '../db/store/types.ts';
import { loadPgMigrations, pgSchemaVersion } from '../db/store/pg-migrate.ts';
import { OpsError, OUR_TABLES } from './backup.ts';

export interface PostgresFacts {
  /** The database's address with its password hidden. */
  where: string;
  schemaVersion: number;
  bytes: number;
  /** Tables read through (every row counted). */
  tables: number;
  rows: { sites: number; jobRuns: number };
}

export async function inspectPostgres(sql: Sql, where: string): Promise<PostgresFacts> {
  try {
    return await sql.transaction(async (tx) => {
      await tx.exec('SET TRANSACTION READ ONLY');
      const version = await pgSchemaVersion(tx);
      const present = await tx.all<{ t: string | null }>(
        OUR_TABLES.map((t) => `SELECT to_regclass('${t}')::text AS t`).join(' UNION ALL '),
      );
      if (version < 1 || present.some((r) => !r.t))
        throw new OpsError({ kind: 'not-promowatch-db', file: where });
      const known = loadPgMigrations().length;
      if (version > known) throw new OpsError({ kind: 'too-new', file: where, found: version, known });
      const tables = await tx.all<{ name: string }>(
        `SELECT table_name AS name FROM information_schema.tables
         WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`,
      );
      // Reading every row of every table is what a half-done restore fails on.
      const counts = new Map<string, number>();
      for (const { name } of tables)
        counts.set(name, (await tx.get<{ n: number }>(`SELECT count(*) AS n FROM "${name}"`))!.n);
      const size = await tx.get<{ bytes: number }>(`SELECT pg_database_size(current_database()) AS bytes`);
      return {
        where,
        schemaVersion: version,
        bytes: size!.bytes,
        tables: tables.length,
        rows: { sites: counts.get('sites') ?? 0, jobRuns: counts.get('job_runs') ?? 0 },
      };
    });
  } catch (err) {
    if (err instanceof OpsError) throw err;
    throw new OpsError({ kind: 'unreachable', file: where, detail: (err as Error).message });
  }
}
