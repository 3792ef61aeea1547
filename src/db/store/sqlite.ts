// The SQLite backend of the data layer: better-sqlite3 (synchronous) behind the async Sql interface.
//
// One connection, so an async transaction needs a lock: between `BEGIN` and `COMMIT` the transaction's
// code awaits (a fetch, a timer), and any other statement run on the connection meanwhile would land
// *inside* the transaction — committed or rolled back with it. So a transaction holds the store's lock
// from BEGIN to COMMIT/ROLLBACK, and a statement through the outer handle that arrives meanwhile waits for
// it (statements are synchronous, so outside a transaction they cannot interleave with anything). Only
// the `tx` handle a transaction hands out runs inside it.
//
// During the move to this interface `sqliteStore(db)` wraps the same `Db` the unconverted modules use, so
// both see one connection and one WAL. Those modules' synchronous calls do not take the lock: one that
// runs while an async transaction is open lands in it. Keep converted transactions short and free of
// calls into unconverted writers until an area is moved over whole.
import type { Database, Statement } from 'better-sqlite3';
import { closeDatabase, openDatabase } from '../open.ts';
import { Lock } from './lock.ts';
import {
  normaliseParams,
  safeInteger,
  StoreError,
  storeError,
  type Params,
  type RunResult,
  type Sql,
  type Violation,
} from './types.ts';

/** better-sqlite3 error codes (https://www.sqlite.org/rescode.html#extrc) → the portable kind. */
function violationOf(code: string | undefined): Violation | undefined {
  switch (code) {
    case 'SQLITE_CONSTRAINT_UNIQUE':
    case 'SQLITE_CONSTRAINT_PRIMARYKEY':
      return 'unique';
    case 'SQLITE_CONSTRAINT_FOREIGNKEY':
      return 'foreign-key';
    case 'SQLITE_CONSTRAINT_CHECK':
      return 'check';
    case 'SQLITE_CONSTRAINT_NOTNULL':
      return 'not-null';
    default:
      return undefined;
  }
}

const wrap = (err: unknown, sql: string): Error => storeError(err, sql, violationOf);

/** Integers are read as bigint (statements use safeIntegers) so that one past 2^53 is refused, not rounded. */
function toRow<T>(row: unknown, sql: string): T {
  const r = row as Record<string, unknown>;
  for (const k in r) {
    const v = r[k];
    if (typeof v === 'bigint') r[k] = safeInteger(v, sql, k);
  }
  return r as T;
}

interface Connection {
  db: Database;
  lock: Lock;
  statements: Map<string, Statement>;
  savepoints: number;
}

const STATEMENT_CACHE = 500;

function prepare(conn: Connection, sql: string): Statement {
  let stmt = conn.statements.get(sql);
  if (!stmt) {
    stmt = conn.db.prepare(sql);
    if (stmt.reader) stmt.safeIntegers(true);
    if (conn.statements.size >= STATEMENT_CACHE)
      conn.statements.delete(conn.statements.keys().next().value as string);
    conn.statements.set(sql, stmt);
  }
  return stmt;
}

/** better-sqlite3 takes `?` values spread and `@name` values as one object. */
function bind(params: Params | undefined): unknown[] {
  if (params === undefined) return [];
  return Array.isArray(params) ? params : [params];
}

/**
 * A handle on the connection. `inside` is false for the store itself (statements wait for a running
 * transaction) and true for a transaction's `tx` (statements run at once; `ended` once it is over).
 */
function handle(conn: Connection, inside: { ended: boolean } | null, close: () => Promise<void>): Sql {
  /** Runs a synchronous statement at the right moment: now, or after the transaction holding the lock. */
  async function when<T>(sql: string, fn: () => T): Promise<T> {
    if (inside?.ended)
      throw new StoreError(
        'used a transaction handle after its transaction ended',
        sql,
        undefined,
        'TX_ENDED',
      );
    if (inside || !conn.lock.isHeld) {
      try {
        return fn();
      } catch (err) {
        throw wrap(err, sql);
      }
    }
    const release = await conn.lock.acquire();
    try {
      return fn();
    } catch (err) {
      throw wrap(err, sql);
    } finally {
      release();
    }
  }

  const sqlHandle: Sql = {
    dialect: 'sqlite',
    all: <T>(sql: string, params?: Params) =>
      when(sql, () => {
        const stmt = prepare(conn, sql);
        return stmt.all(...bind(normaliseParams(sql, params))).map((r) => toRow<T>(r, sql));
      }),
    get: <T>(sql: string, params?: Params) =>
      when(sql, () => {
        const stmt = prepare(conn, sql);
        const row = stmt.get(...bind(normaliseParams(sql, params)));
        return row === undefined ? undefined : toRow<T>(row, sql);
      }),
    run: (sql: string, params?: Params) =>
      when(sql, (): RunResult => {
        const stmt = prepare(conn, sql);
        return { changes: stmt.run(...bind(normaliseParams(sql, params))).changes };
      }),
    exec: (sql: string) =>
      when(sql, () => {
        conn.db.exec(sql);
      }),
    async transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T> {
      if (inside?.ended)
        throw new StoreError(
          'used a transaction handle after its transaction ended',
          'BEGIN',
          undefined,
          'TX_ENDED',
        );
      // Nested: a savepoint on the same connection, already under the outer transaction's lock.
      const name = inside ? `sp${++conn.savepoints}` : null;
      const release = inside ? () => {} : await conn.lock.acquire();
      const state = { ended: false };
      const begin = name ? `SAVEPOINT ${name}` : 'BEGIN IMMEDIATE';
      try {
        // IMMEDIATE takes the write lock up front, as migrate.ts does, so a second process's writer
        // waits on busy_timeout instead of failing half-way with SQLITE_BUSY.
        try {
          conn.db.exec(begin);
        } catch (err) {
          throw wrap(err, begin);
        }
        let result: T;
        try {
          result = await fn(handle(conn, state, close));
        } catch (err) {
          state.ended = true;
          if (conn.db.inTransaction) conn.db.exec(name ? `ROLLBACK TO ${name}; RELEASE ${name}` : 'ROLLBACK');
          throw err;
        }
        state.ended = true;
        const end = name ? `RELEASE ${name}` : 'COMMIT';
        try {
          conn.db.exec(end);
        } catch (err) {
          if (!name && conn.db.inTransaction) conn.db.exec('ROLLBACK');
          throw wrap(err, end);
        }
        return result;
      } finally {
        release();
      }
    },
    close,
  };
  return sqlHandle;
}

/**
 * The store over an open connection — the one `openDatabase` gives the unconverted modules, so both share
 * it. `close()` closes it only when `owned` (the store opened it).
 */
export function sqliteStore(db: Database, opts: { owned?: boolean } = {}): Sql {
  const conn: Connection = { db, lock: new Lock(), statements: new Map(), savepoints: 0 };
  const close = async () => {
    const release = await conn.lock.acquire();
    try {
      conn.statements.clear();
      if (opts.owned) closeDatabase(db);
    } finally {
      release();
    }
  };
  return handle(conn, null, close);
}

const shared = new WeakMap<Database, Sql>();

/**
 * The one store over this connection, made on first use. While modules move onto `Sql` one area at a
 * time, whoever holds only a `Db` (tests, the CLI, the job runner) gets the same store — and so the same
 * transaction lock — every time, never a second one over the same connection.
 */
export function storeOf(db: Database): Sql {
  let sql = shared.get(db);
  if (!sql) shared.set(db, (sql = sqliteStore(db)));
  return sql;
}

/** Opens (creating and migrating) the SQLite file with today's pragmas, as a store. */
export function openSqliteStore(file: string): Sql {
  return sqliteStore(openDatabase(file), { owned: true });
}
