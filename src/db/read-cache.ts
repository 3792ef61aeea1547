// A read-through cache for dashboard queries, valid until the database changes: a burst of page views
// (a team opening the Rankings page on Monday) computes each view once, and any write — by a job in
// this process or by a CLI import in another — makes every entry stale.
import type { Db } from './open.ts';

const MAX_ENTRIES = 200;

interface Entry {
  version: string;
  value: unknown;
}

const caches = new WeakMap<Db, Map<string, Entry>>();

/**
 * The database's version: `PRAGMA data_version` changes when another connection commits
 * (https://sqlite.org/pragma.html#pragma_data_version), total_changes() when this one writes.
 */
export function dataVersion(db: Db): string {
  return String(
    db
      .prepare("SELECT (SELECT data_version FROM pragma_data_version) || ':' || total_changes()")
      .pluck()
      .get(),
  );
}

/** `compute()`'s value for `key`, reused while the database is unchanged. Values must not be mutated. */
export function cachedRead<T>(db: Db, key: string, compute: () => T): T {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  const version = dataVersion(db);
  const hit = cache.get(key);
  if (hit && hit.version === version) {
    // Map order is insertion order: re-inserting keeps the most recently used last.
    cache.delete(key);
    cache.set(key, hit);
    return hit.value as T;
  }
  const value = compute();
  cache.delete(key);
  const entry: Entry = { version, value };
  cache.set(key, entry);
  while (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value!);
  // An async computation that fails must not be served again until the next write: drop it (only if
  // it is still this entry — a newer one may have replaced it meanwhile). The caller still gets the
  // rejection from `value`.
  if (value instanceof Promise)
    value.catch(() => {
      if (cache.get(key) === entry) cache.delete(key);
    });
  return value;
}
