// The `meta` key/value table: the program's own bookkeeping.
import type { Sql } from './store/types.ts';

export async function getMeta(sql: Sql, key: string): Promise<string | undefined> {
  const row = await sql.get<{ value: string }>('SELECT value FROM meta WHERE key = ?', [key]);
  return row?.value;
}

export async function setMetaIfAbsent(sql: Sql, key: string, value: string): Promise<string> {
  await sql.run('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING', [key, value]);
  return (await getMeta(sql, key))!;
}
