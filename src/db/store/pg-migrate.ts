// Applies the numbered .sql files in src/db/migrations/pg to a PostgreSQL database: the same numbers and
// meaning as the SQLite ones (tests/db/store-schema.test.ts checks that the two schemas agree), each file
// in its own transaction with the version recorded in `schema_version` — PostgreSQL's stand-in for the
// `PRAGMA user_version` SQLite keeps it in (src/db/migrate.ts).
import { fileURLToPath } from 'node:url';
import { loadMigrations, SchemaTooNewError, type Migration } from '../migrate.ts';
import type { Sql } from './types.ts';

export const PG_MIGRATIONS_DIR = fileURLToPath(new URL('../migrations/pg/', import.meta.url));

/** The table holding the version; it is bookkeeping, not data, so migrate-data and schema checks skip it. */
export const VERSION_TABLE = 'schema_version';

/**
 * Every migrating process takes this transaction-level advisory lock first
 * (https://www.postgresql.org/docs/current/functions-admin.html#FUNCTIONS-ADVISORY-LOCKS), so two
 * dashboards or workers starting at once against a new database apply each file exactly once.
 */
const LOCK = 'SELECT pg_advisory_xact_lock(1886221684)'; // "prom" as a 32-bit number

export function loadPgMigrations(dir = PG_MIGRATIONS_DIR): Migration[] {
  return loadMigrations(dir);
}

/** The version the database is at (0 for an empty database). */
export async function pgSchemaVersion(sql: Sql): Promise<number> {
  const table = await sql.get<{ t: string | null }>(`SELECT to_regclass('${VERSION_TABLE}')::text AS t`);
  if (!table?.t) return 0;
  return (await sql.get<{ version: number }>(`SELECT version FROM ${VERSION_TABLE}`))?.version ?? 0;
}

/** Brings the database up to the newest schema; returns the versions it applied. `label` names it in errors. */
export async function migratePostgres(
  sql: Sql,
  label: string,
  migrations: Migration[] = loadPgMigrations(),
): Promise<number[]> {
  const latest = migrations.length;
  const current = await sql.transaction(async (tx) => {
    await tx.exec(LOCK);
    await tx.exec(`CREATE TABLE IF NOT EXISTS ${VERSION_TABLE} (version INTEGER NOT NULL)`);
    const row = await tx.get<{ version: number }>(`SELECT version FROM ${VERSION_TABLE}`);
    if (!row) await tx.run(`INSERT INTO ${VERSION_TABLE} (version) VALUES (0)`);
    return row?.version ?? 0;
  });
  if (current > latest) throw new SchemaTooNewError(label, current, latest);
  const applied: number[] = [];
  for (const m of migrations.filter((m) => m.version > current)) {
    await sql.transaction(async (tx) => {
      await tx.exec(LOCK);
      // Another process may have applied it while this one waited for the lock.
      const at = (await tx.get<{ version: number }>(`SELECT version FROM ${VERSION_TABLE}`))!.version;
      if (at >= m.version) return;
      try {
        await tx.exec(m.sql);
      } catch (err) {
        throw new Error(
          `Migration pg/${String(m.version).padStart(3, '0')}-${m.name} failed: ${(err as Error).message}`,
          {
            cause: err,
          },
        );
      }
      await tx.run(`UPDATE ${VERSION_TABLE} SET version = ?`, [m.version]);
      applied.push(m.version);
    });
  }
  return applied;
}
