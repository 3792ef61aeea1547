// The `meta` key/value table: the program's own bookkeeping.
import type { Db } from './open.ts';

export function getMeta(db: Db, key: string): string | undefined {
  const row = db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
  return row?.value;
}

export function setMetaIfAbsent(db: Db, key: string, value: string): string {
  db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO NOTHING').run(key, value);
  return getMeta(db, key)!;
}
