// Whether a text is stored anywhere in a PostgreSQL database: for checks that a secret (a password, a
// token) was never written, wherever it might land. A row cast to text holds every column's value, bytea
// columns as hex, so the text is looked for as it is and hex-encoded. (On SQLite the tests read the file's
// bytes instead.)
import type { Sql } from '../../src/db/store/types.ts';

export async function storedInAnyRow(sql: Sql, text: string): Promise<boolean> {
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
