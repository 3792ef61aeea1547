// The one async data-layer interface promowatch code talks to; SQLite (sqlite.ts) and PostgreSQL (postgres.ts)
// implement it. It lives in its own folder beside src/db's table modules because it is the layer *under*
// them: the query modules (src/db/alerts.ts, src/backlinks/store.ts…) move onto it one area at a time.
//
// Why plain SQL and not a query builder: every query in the code base is already plain SQL with
// prepared-statement parameters, so moving a module over is mechanical —
//   db.prepare(SQL).all(a, b)   →  await sql.all(SQL, [a, b])
//   db.prepare(SQL).get({ id }) →  await sql.get(SQL, { id })
//   db.prepare(SQL).run(…).lastInsertRowid  →  (await sql.get<{ id: number }>(SQL + ' RETURNING id', …))!.id
// — and the SQL a reader sees is the SQL the database runs. The few things the two dialects spell
// differently are translated here (placeholders, mixed-case aliases) or branched on `sql.dialect`.

/** `?` placeholders take an array; `@name` placeholders take an object. Booleans are stored as 1/0. */
export type Params = readonly unknown[] | Readonly<Record<string, unknown>>;

export type Dialect = 'sqlite' | 'postgres';

export interface RunResult {
  /** Rows inserted, updated or deleted by the statement. */
  changes: number;
}

export interface Sql {
  readonly dialect: Dialect;
  /** Every row the query returns. Integers come back as numbers (an integer beyond ±2^53 throws). */
  all<T = Record<string, unknown>>(sql: string, params?: Params): Promise<T[]>;
  /** The first row, or undefined. PostgreSQL sends every row the query finds: say LIMIT 1 when there can be many. */
  get<T = Record<string, unknown>>(sql: string, params?: Params): Promise<T | undefined>;
  /**
   * A statement run for its effect. There is no lastInsertRowid (PostgreSQL has none): a new row's id
   * comes from `INSERT … RETURNING id` through get(), which both speak (SQLite since 3.35; better-sqlite3
   * 12 bundles 3.53).
   */
  run(sql: string, params?: Params): Promise<RunResult>;
  /** Several statements, no parameters (schema changes, PRAGMAs, SET). */
  exec(sql: string): Promise<void>;
  /**
   * Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. Only `tx`
   * may be used inside — statements through the outer handle wait until the transaction ends (SQLite)
   * or run on another connection and do not see it (PostgreSQL). Nested calls on `tx` are savepoints.
   */
  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** What kind of rule a failed statement broke, the same on both backends, for callers that react to it. */
export type Violation = 'unique' | 'foreign-key' | 'check' | 'not-null';

/** A statement failed: the database's message, what rule it broke, and the SQL it was running. */
export class StoreError extends Error {
  constructor(
    message: string,
    readonly sql: string,
    readonly violation: Violation | undefined,
    readonly code: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(`${message} — in SQL: ${oneLine(sql)}`, options);
    this.name = 'StoreError';
  }
}

/** A driver's error as a StoreError, with the portable kind its backend's code maps to. */
export function storeError(
  err: unknown,
  sql: string,
  violationOf: (code: string | undefined) => Violation | undefined,
): StoreError {
  if (err instanceof StoreError) return err;
  const code = (err as { code?: string }).code;
  return new StoreError((err as Error).message, sql, violationOf(code), code, { cause: err });
}

/** The SQL on one line and at most 300 characters, so an error message stays readable in a log. */
function oneLine(sql: string): string {
  const flat = sql.replace(/\s+/g, ' ').trim();
  return flat.length > 300 ? `${flat.slice(0, 297)}…` : flat;
}

/**
 * An integer read from the database that a JS number cannot hold exactly. Money is integer micros, so
 * 2^53 micros is 9 billion currency units: a value past it is a bug or damage, never silently rounded.
 */
export function safeInteger(value: bigint | string, sql: string, column: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n))
    throw new StoreError(
      `column ${column} holds ${String(value)}, beyond the integers promowatch reads exactly (±${Number.MAX_SAFE_INTEGER})`,
      sql,
      undefined,
      'UNSAFE_INTEGER',
    );
  return n;
}

/** Parameters as both drivers take them: booleans become 1/0, and an undefined value is refused (a bug). */
export function normaliseParams(sql: string, params: Params | undefined): Params | undefined {
  if (params === undefined) return undefined;
  const fix = (v: unknown, where: string) => {
    if (v === undefined)
      throw new StoreError(
        `parameter ${where} is undefined (pass null for NULL)`,
        sql,
        undefined,
        'BAD_PARAM',
      );
    return typeof v === 'boolean' ? (v ? 1 : 0) : v;
  };
  if (Array.isArray(params)) return params.map((v, i) => fix(v, String(i + 1)));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(params)) if (v !== undefined) out[k] = fix(v, `@${k}`);
  return out;
}
