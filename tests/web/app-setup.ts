// Shared pieces of the dashboard tests that follow the backend switch (PROMOWATCH_TEST_BACKEND).
import { readFileSync } from 'node:fs';
import type { Db } from '../../src/db/open.ts';
import type { Sql } from '../../src/db/store/types.ts';
import { storedInAnyRow } from '../pg/stored.ts';

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
  return storedInAnyRow(sql, text);
}
