// A read-through cache for dashboard queries, valid until the database changes: a burst of page views
// (a team opening the Rankings page on Monday) computes each view once, and any write — by a job in
// this process, by a CLI import in another, or (on PostgreSQL) by another dashboard behind the same load
// balancer — makes every entry stale.
import type { Sql } from './store/types.ts';

const MAX_ENTRIES = 200;

interface Entry {
  version: string;
  value: unknown;
}

/** One cache per connection (SQLite) or pool (PostgreSQL): the version is read from it. */
const caches = new WeakMap<object, Map<string, Entry>>();

const SQLITE_VERSION = "SELECT (SELECT data_version FROM pragma_data_version) || ':' || total_changes() AS v";

/**
 * Why the transaction snapshot on PostgreSQL: `pg_current_snapshot()` is xmin:xmax:in-progress-xids of
 * the whole cluster (https://www.postgresql.org/docs/15/functions-info.html#FUNCTIONS-PG-SNAPSHOT). A
 * transaction gets an xid at its first write, which moves xmax; when it commits or rolls back it leaves
 * the in-progress list (or xmin moves). So the text changes on every committed write by any process on
 * any machine, and not on reads — one cheap round trip per cached read, nothing to write. The
 * alternatives were worse: pg_current_wal_lsn() also moves on checkpoints, vacuum and hint bits (and
 * fails on a standby), and a version row bumped by every write would make every writer in every process
 * queue on one row lock. Writes to other databases of the cluster and the queue's own bookkeeping also
 * change the snapshot: they cost a recomputation, never a stale page.
 */
const POSTGRES_VERSION = 'SELECT pg_current_snapshot()::text AS v';

/**
 * The database's version. SQLite: `PRAGMA data_version` changes when another connection commits
 * (https://sqlite.org/pragma.html#pragma_data_version), total_changes() when this one writes.
 * PostgreSQL: the current snapshot (see POSTGRES_VERSION).
 */
export async function dataVersion(sql: Sql): Promise<string> {
  const row = await sql.get<{ v: string }>(sql.dialect === 'postgres' ? POSTGRES_VERSION : SQLITE_VERSION);
  return String(row!.v);
}

/** `compute()`'s value for `key`, reused while the database is unchanged. Values must not be mutated. */
export async function cachedRead<T>(sql: Sql, key: string, compute: () => T | Promise<T>): Promise<T> {
  return lookup(sql, await dataVersion(sql), key, compute);
}

function lookup<T>(owner: object, version: string, key: string, compute: () => T): T {
  let cache = caches.get(owner);
  if (!cache) caches.set(owner, (cache = new Map()));
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
