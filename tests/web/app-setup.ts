// Shared pieces of the dashboard tests that follow the backend switch (PROMOWATCH_TEST_BACKEND).
import { readFileSync } from 'node:fs';
import type { Db } from '../../src/db/open.ts';
import type { Sql } from '../../src/db/store/types.ts';

/**
 * Whether `text` is stored anywhere in the database: on SQLite in the file's bytes (the WAL checkpointed
 * into it first, so nothing waits beside it); on PostgreSQL in any row of any table (a row cast to text
 * holds every column, bytea as hex). For checks that a secret was never written, wherever it might land.
 */
export async function storedAnywhere(sql: Sql, db: Db, text: string): Promise<boolean> {
  if (sql.dialect === 'sqlite') {
    db.pragma('wal_checkpoint(TRUNCATE)');
    return readFileSync(db.name).includes(Buffer.from(text));
  }
  const tables = await sql.all<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables
     WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`,
  );
  for (const { name } of tables) {
    const hit = await sql.get(
      `SELECT 1 AS hit FROM "${name}" AS r WHERE CAST(r AS TEXT) LIKE ? OR CAST(r AS TEXT) LIKE ? LIMIT 1`,
      [`%${text}%`, `%${Buffer.from(text).toString('hex')}%`],
    );
    if (hit) return true;
  }
  return false;
}
