// The PostgreSQL backend of the data layer, over `pg` (node-postgres, https://node-postgres.com) with a pool.
//
// Values come back the way the SQLite backend returns them, so code reads the same rows from either:
// bigint (int8) and numeric as JS numbers, refused past 2^53 rather than rounded (money is integer
// micros); booleans (a comparison in a SELECT) as 1/0; dates, times and JSON as the text PostgreSQL
// sends, never parsed into objects — the schema keeps days and times as ISO text, as SQLite does.
import pg from 'pg';
import type { Pool, PoolClient, QueryResult } from 'pg';
import { pgValues, toPostgres, type PgStatement } from './placeholders.ts';
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

const { types } = pg;

/** Type parsers by OID (https://github.com/brianc/node-pg-types), overriding pg's defaults per pool. */
const PARSERS: Record<number, (text: string) => unknown> = {
  // int8: number when exact; otherwise a bigint that toRow() refuses with the column's name.
  20: (v) => {
    const n = Number(v);
    return Number.isSafeInteger(n) ? n : BigInt(v);
  },
  // numeric: what SUM() over bigint and AVG() return. A whole number past 2^53 is refused like int8.
  1700: (v) => {
    const n = Number(v);
    return /^-?\d+$/.test(v) && !Number.isSafeInteger(n) ? BigInt(v) : n;
  },
  16: (v) => (v === 't' ? 1 : 0), // bool
  114: (v) => v, // json
  3802: (v) => v, // jsonb
  1082: (v) => v, // date
  1114: (v) => v, // timestamp
  1184: (v) => v, // timestamptz
};

/** The type parsers every pool of this backend must use (pass as `types` to `new pg.Pool`). */
export const PG_TYPES = {
  getTypeParser: ((oid: number, format?: string) =>
    PARSERS[oid] ?? types.getTypeParser(oid, format as 'text')) as typeof types.getTypeParser,
};

/** SQLSTATE class 23 (https://www.postgresql.org/docs/current/errcodes-appendix.html) → the portable kind. */
function violationOf(code: string | undefined): Violation | undefined {
  switch (code) {
    case '23505':
      return 'unique';
    case '23503':
      return 'foreign-key';
    case '23514':
      return 'check';
    case '23502':
      return 'not-null';
    default:
      return undefined;
  }
}

const wrap = (err: unknown, sql: string): Error => storeError(err, sql, violationOf);

function toRows<T>(result: QueryResult, sql: string): T[] {
  for (const row of result.rows as Record<string, unknown>[])
    for (const k in row) {
      const v = row[k];
      if (typeof v === 'bigint') row[k] = safeInteger(v, sql, k);
    }
  return result.rows as T[];
}

const translations = new Map<string, PgStatement>();

function translate(sql: string): PgStatement {
  let stmt = translations.get(sql);
  if (!stmt) {
    stmt = toPostgres(sql);
    if (translations.size >= 2000) translations.delete(translations.keys().next().value as string);
    translations.set(sql, stmt);
  }
  return stmt;
}

/** Something that runs a query: the pool (any free connection) or one client (inside a transaction). */
type Runner = Pick<Pool, 'query'> | PoolClient;

function handle(
  pool: Pool,
  runner: Runner,
  inside: { ended: boolean; savepoints: number } | null,
  close: () => Promise<void>,
): Sql {
  async function query(sql: string, params: Params | undefined): Promise<QueryResult> {
    if (inside?.ended)
      throw new StoreError(
        'used a transaction handle after its transaction ended',
        sql,
        undefined,
        'TX_ENDED',
      );
    let text: string;
    let values: unknown[];
    try {
      const stmt = translate(sql);
      text = stmt.text;
      values = pgValues(stmt, normaliseParams(sql, params));
    } catch (err) {
      throw wrap(err, sql);
    }
    try {
      return await runner.query({ text, values });
    } catch (err) {
      throw wrap(err, sql);
    }
  }

  return {
    dialect: 'postgres',
    all: async <T>(sql: string, params?: Params) => toRows<T>(await query(sql, params), sql),
    get: async <T>(sql: string, params?: Params) => toRows<T>(await query(sql, params), sql)[0],
    run: async (sql: string, params?: Params): Promise<RunResult> => ({
      changes: (await query(sql, params)).rowCount ?? 0,
    }),
    async exec(sql: string) {
      if (inside?.ended)
        throw new StoreError(
          'used a transaction handle after its transaction ended',
          sql,
          undefined,
          'TX_ENDED',
        );
      try {
        // No values: pg sends it with the simple protocol, which runs several statements.
        await runner.query(sql);
      } catch (err) {
        throw wrap(err, sql);
      }
    },
    async transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T> {
      if (inside) {
        // Nested: a savepoint on the transaction's own connection.
        if (inside.ended)
          throw new StoreError(
            'used a transaction handle after its transaction ended',
            'SAVEPOINT',
            undefined,
            'TX_ENDED',
          );
        const name = `sp${++inside.savepoints}`;
        await this.exec(`SAVEPOINT ${name}`);
        try {
          const result = await fn(this);
          await this.exec(`RELEASE SAVEPOINT ${name}`);
          return result;
        } catch (err) {
          await this.exec(`ROLLBACK TO SAVEPOINT ${name}; RELEASE SAVEPOINT ${name}`);
          throw err;
        }
      }
      // One connection for the whole transaction; other statements use the pool's other connections.
      const client = await pool.connect();
      const state = { ended: false, savepoints: 0 };
      let broken = false;
      try {
        try {
          await client.query('BEGIN');
        } catch (err) {
          broken = true;
          throw wrap(err, 'BEGIN');
        }
        let result: T;
        try {
          result = await fn(handle(pool, client, state, close));
        } catch (err) {
          state.ended = true;
          await client.query('ROLLBACK').catch(() => (broken = true));
          throw err;
        }
        state.ended = true;
        try {
          await client.query('COMMIT');
        } catch (err) {
          await client.query('ROLLBACK').catch(() => (broken = true));
          throw wrap(err, 'COMMIT');
        }
        return result;
      } finally {
        // A connection whose state is unknown is closed, not handed to the next caller.
        client.release(broken);
      }
    },
    close,
  };
}

/** A store over a pool made with `types: PG_TYPES`; `close()` ends the pool. */
export function postgresStore(pool: Pool): Sql {
  return handle(pool, pool, null, () => pool.end());
}

/** Connects a pool to `postgres://…` (nothing is sent until the first query). */
export function connectPostgres(url: string, opts: { max?: number } = {}): Sql {
  const pool = new pg.Pool({ connectionString: url, max: opts.max ?? 10, types: PG_TYPES });
  // An idle connection that drops (server restart) emits 'error' on the pool; the next query reconnects
  // and reports a real failure itself, so this one is not allowed to crash the process.
  pool.on('error', () => {});
  return postgresStore(pool);
}

/** The URL with its password hidden, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://…';
  }
}
