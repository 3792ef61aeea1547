// Copies an install from one backend to the other table by table — SQLite into PostgreSQL, or back — and
// proves the copy: per table, the row count and a checksum computed the same way on both sides. Used by
// `promowatch migrate-data`.
//
// The checksum is order-free — the sum modulo 2^256 of each row's SHA-256 — because the two databases do not
// sort text alike (SQLite compares bytes, PostgreSQL its collation) and one table (crawl_links) has no key
// to sort by. Each value is normalised before hashing: NULL, a number (integer or real, written as JS
// writes it, so 2 and 2.0 agree), text, or bytes; a value whose kind changed on the way counts as different.
import { createHash } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { dependencyOrder, type TableInfo } from './schema-info.ts';
import type { Sql } from './types.ts';

export interface TableCheck {
  table: string;
  sourceRows: number;
  targetRows: number;
  sourceChecksum: string;
  targetChecksum: string;
  ok: boolean;
}

/** One value as the checksum sees it, the same whichever database it came from. */
function normalise(v: unknown): string {
  if (v === null || v === undefined) return 'n';
  if (typeof v === 'number' || typeof v === 'bigint') return `#${String(v)}`;
  if (typeof v === 'string') return `s${JSON.stringify(v)}`;
  if (Buffer.isBuffer(v)) return `b${v.toString('hex')}`;
  throw new Error(`A value of an unexpected kind (${typeof v}) in the data`);
}

const MOD = 1n << 256n;

/** Feeds rows (as arrays of values) into the order-free checksum. */
export class TableDigest {
  private sum = 0n;
  rows = 0;

  add(values: readonly unknown[]): void {
    const hash = createHash('sha256').update(values.map(normalise).join('\u0000')).digest('hex');
    this.sum = (this.sum + BigInt(`0x${hash}`)) % MOD;
    this.rows++;
  }

  get checksum(): string {
    return this.sum.toString(16).padStart(64, '0');
  }
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
const columnList = (t: TableInfo) => t.columns.map((c) => quote(c.name)).join(', ');

/** Rows of a SQLite table, streamed, integers exact (bigint). */
function* sqliteRows(db: Database, table: TableInfo): Generator<unknown[]> {
  const stmt = db
    .prepare(`SELECT ${columnList(table)} FROM ${quote(table.name)}`)
    .raw(true)
    .safeIntegers(true);
  yield* stmt.iterate() as Iterable<unknown[]>;
}

/** Rows of a PostgreSQL table, fetched through a cursor in batches. Must run inside a transaction. */
async function* pgRows(tx: Sql, table: TableInfo, batch = 2000): AsyncGenerator<unknown[]> {
  const cursor = `copy_${table.name}`;
  await tx.exec(
    `DECLARE ${cursor} NO SCROLL CURSOR FOR SELECT ${columnList(table)} FROM ${quote(table.name)}`,
  );
  try {
    for (;;) {
      const rows = await tx.all<Record<string, unknown>>(`FETCH ${batch} FROM ${cursor}`);
      for (const row of rows) yield table.columns.map((c) => row[c.name]);
      if (rows.length < batch) break;
    }
  } finally {
    await tx.exec(`CLOSE ${cursor}`);
  }
}

/** Where rows are read from: a SQLite connection, or a PostgreSQL transaction (cursors need one). */
export type RowReader = { kind: 'sqlite'; db: Database } | { kind: 'postgres'; tx: Sql };

export function readRows(from: RowReader, table: TableInfo): AsyncIterable<unknown[]> {
  if (from.kind === 'postgres') return pgRows(from.tx, table);
  const rows = sqliteRows(from.db, table);
  return (async function* () {
    yield* rows;
  })();
}

export async function digest(from: RowReader, table: TableInfo): Promise<TableDigest> {
  const d = new TableDigest();
  for await (const row of readRows(from, table)) d.add(row);
  return d;
}

/** Compares every table of the source with the target; each read inside one transaction. */
export async function verifyCopy(
  source: RowReader,
  target: RowReader,
  tables: TableInfo[],
): Promise<TableCheck[]> {
  const out: TableCheck[] = [];
  for (const table of tables) {
    const s = await digest(source, table);
    const t = await digest(target, table);
    out.push({
      table: table.name,
      sourceRows: s.rows,
      targetRows: t.rows,
      sourceChecksum: s.checksum,
      targetChecksum: t.checksum,
      ok: s.rows === t.rows && s.checksum === t.checksum,
    });
  }
  return out;
}

/** Rows per INSERT: many, but under PostgreSQL's 65,535 and SQLite's 32,766 parameters per statement. */
function batchSize(columns: number): number {
  return Math.max(1, Math.min(500, Math.floor(30_000 / columns)));
}

/**
 * Inserts every row of every table, parents before children, through `tx` (a transaction on the target),
 * then, on PostgreSQL, moves each identity sequence past the copied ids so the next insert does not
 * collide (SQLite's rowids and AUTOINCREMENT counters follow the inserted ids by themselves).
 */
export async function copyTables(
  source: RowReader,
  tx: Sql,
  tables: TableInfo[],
  progress: (table: string, rows: number) => void = () => {},
): Promise<void> {
  for (const table of dependencyOrder([...tables])) {
    const size = batchSize(table.columns.length);
    const rowSql = `(${table.columns.map(() => '?').join(', ')})`;
    const insert = (rows: number) =>
      `INSERT INTO ${quote(table.name)} (${columnList(table)}) VALUES ${Array(rows).fill(rowSql).join(', ')}`;
    let batch: unknown[] = [];
    let inBatch = 0;
    let copied = 0;
    for await (const row of readRows(source, table)) {
      batch.push(...row);
      if (++inBatch === size) {
        await tx.run(insert(inBatch), batch);
        copied += inBatch;
        batch = [];
        inBatch = 0;
      }
    }
    if (inBatch) await tx.run(insert(inBatch), batch);
    copied += inBatch;
    progress(table.name, copied);
  }
  if (tx.dialect !== 'postgres') return;
  const identities = await tx.all<{ table: string; column: string }>(
    `SELECT table_name AS "table", column_name AS "column" FROM information_schema.columns
     WHERE table_schema = current_schema() AND is_identity = 'YES'`,
  );
  for (const { table, column } of identities)
    await tx.get(
      `SELECT setval(pg_get_serial_sequence(?, ?), COALESCE((SELECT MAX(${quote(column)}) FROM ${quote(table)}), 0) + 1, false) AS v`,
      [quote(table), column],
    );
}
