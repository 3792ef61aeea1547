// The schema as either database describes it, in one shape: tables with their columns (in order, with
// portable types), primary keys, foreign keys, unique constraints and indexes. The schema-agreement test
// compares SQLite's with PostgreSQL's; migrate-data reads the tables' order and keys from it.
import { VERSION_TABLE } from './pg-migrate.ts';
import type { Sql } from './types.ts';

/** A column type as both schemas spell it: SQLite INTEGER/REAL/TEXT/BLOB ↔ PostgreSQL BIGINT/DOUBLE PRECISION/TEXT/BYTEA. */
export type ColumnType = 'integer' | 'real' | 'text' | 'blob';

export interface ColumnInfo {
  name: string;
  type: ColumnType | `unknown: ${string}`;
  notNull: boolean;
  /** The default as SQL text without casts (`'{}'`, `0`), or null. */
  default: string | null;
}

export interface ForeignKeyInfo {
  columns: string[];
  table: string;
  to: string[];
  onDelete: string;
}

export interface IndexInfo {
  name: string;
  columns: string[];
  unique: boolean;
  partial: boolean;
}

export interface TableInfo {
  name: string;
  columns: ColumnInfo[];
  primaryKey: string[];
  foreignKeys: ForeignKeyInfo[];
  /** UNIQUE constraints (not indexes made with CREATE UNIQUE INDEX), each as its columns. */
  uniques: string[][];
  indexes: IndexInfo[];
}

const SQLITE_TYPES: Record<string, ColumnType> = {
  INTEGER: 'integer',
  REAL: 'real',
  TEXT: 'text',
  BLOB: 'blob',
};
const PG_TYPES: Record<string, ColumnType> = {
  bigint: 'integer',
  integer: 'integer',
  'double precision': 'real',
  text: 'text',
  bytea: 'blob',
};

function byName<T extends { name: string }>(list: T[]): T[] {
  return list.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

const sortKeys = (lists: string[][]) => lists.sort((a, b) => (a.join() < b.join() ? -1 : 1));

async function sqliteSchema(sql: Sql): Promise<TableInfo[]> {
  const tables = await sql.all<{ name: string }>(
    `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`,
  );
  const out: TableInfo[] = [];
  for (const { name } of tables) {
    const cols = await sql.all<{
      name: string;
      type: string;
      notnull: number;
      dflt_value: string | null;
      pk: number;
    }>('SELECT name, type, "notnull", dflt_value, pk FROM pragma_table_info(?) ORDER BY cid', [name]);
    const fks = await sql.all<{
      id: number;
      seq: number;
      table: string;
      from: string;
      to: string;
      on_delete: string;
    }>('SELECT id, seq, "table", "from", "to", on_delete FROM pragma_foreign_key_list(?) ORDER BY id, seq', [
      name,
    ]);
    const foreignKeys = new Map<number, ForeignKeyInfo>();
    for (const fk of fks) {
      const entry = foreignKeys.get(fk.id) ?? {
        columns: [],
        table: fk.table,
        to: [],
        onDelete: fk.on_delete,
      };
      entry.columns.push(fk.from);
      entry.to.push(fk.to);
      foreignKeys.set(fk.id, entry);
    }
    const indexList = await sql.all<{ name: string; unique: number; origin: string; partial: number }>(
      'SELECT name, "unique", origin, partial FROM pragma_index_list(?)',
      [name],
    );
    const indexes: IndexInfo[] = [];
    const uniques: string[][] = [];
    for (const ix of indexList) {
      if (ix.origin === 'pk') continue;
      const columns = (
        await sql.all<{ name: string }>('SELECT name FROM pragma_index_info(?) ORDER BY seqno', [ix.name])
      ).map((c) => c.name);
      if (ix.origin === 'u') uniques.push(columns);
      else indexes.push({ name: ix.name, columns, unique: ix.unique === 1, partial: ix.partial === 1 });
    }
    out.push({
      name,
      columns: cols.map((c) => ({
        name: c.name,
        type: SQLITE_TYPES[c.type.toUpperCase()] ?? `unknown: ${c.type}`,
        // SQLite reports a rowid primary key as nullable; it never holds NULL.
        notNull: c.notnull === 1 || c.pk > 0,
        default: c.dflt_value,
      })),
      primaryKey: cols
        .filter((c) => c.pk > 0)
        .sort((a, b) => a.pk - b.pk)
        .map((c) => c.name),
      foreignKeys: [...foreignKeys.values()].sort((a, b) => (a.columns.join() < b.columns.join() ? -1 : 1)),
      uniques: sortKeys(uniques),
      indexes: byName(indexes),
    });
  }
  return out;
}

async function pgSchema(sql: Sql): Promise<TableInfo[]> {
  const tables = await sql.all<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables
     WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> ?
     ORDER BY table_name COLLATE "C"`,
    [VERSION_TABLE],
  );
  const out: TableInfo[] = [];
  for (const { name } of tables) {
    const cols = await sql.all<{ name: string; type: string; nullable: string; dflt: string | null }>(
      `SELECT column_name AS name, data_type AS type, is_nullable AS nullable, column_default AS dflt
       FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ?
       ORDER BY ordinal_position`,
      [name],
    );
    // Constraints with their columns in key order, from the catalog (information_schema loses the order
    // of a foreign key's referenced columns).
    const constraints = await sql.all<{
      type: string;
      columns: string;
      ref_table: string | null;
      ref_columns: string | null;
      on_delete: string;
    }>(
      `SELECT c.contype AS type,
              array_to_string(ARRAY(SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY k(n, o)
                JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.o), ',') AS columns,
              r.relname AS ref_table,
              array_to_string(ARRAY(SELECT a.attname FROM unnest(c.confkey) WITH ORDINALITY k(n, o)
                JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.o), ',') AS ref_columns,
              c.confdeltype AS on_delete
       FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
       LEFT JOIN pg_class r ON r.oid = c.confrelid
       WHERE t.relname = ? AND t.relnamespace = current_schema()::regnamespace AND c.contype IN ('p', 'f', 'u')`,
      [name],
    );
    const indexes = await sql.all<{ name: string; columns: string; unique: number; partial: number }>(
      `SELECT i.relname AS name,
              array_to_string(ARRAY(SELECT a.attname FROM unnest(ix.indkey) WITH ORDINALITY k(n, o)
                JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = k.n ORDER BY k.o), ',') AS columns,
              ix.indisunique AS "unique", ix.indpred IS NOT NULL AS partial
       FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid JOIN pg_class t ON t.oid = ix.indrelid
       WHERE t.relname = ? AND t.relnamespace = current_schema()::regnamespace
         AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = ix.indexrelid AND c.conrelid = ix.indrelid)`,
      [name],
    );
    const ON_DELETE: Record<string, string> = {
      a: 'NO ACTION',
      r: 'RESTRICT',
      c: 'CASCADE',
      n: 'SET NULL',
      d: 'SET DEFAULT',
    };
    out.push({
      name,
      columns: cols.map((c) => ({
        name: c.name,
        type: PG_TYPES[c.type] ?? `unknown: ${c.type}`,
        notNull: c.nullable === 'NO',
        // Casts PostgreSQL adds to a default ('{}'::text) say nothing SQLite's plain default does not.
        default: c.dflt === null ? null : c.dflt.replace(/::[a-z ]+$/, ''),
      })),
      primaryKey: constraints.find((c) => c.type === 'p')?.columns.split(',') ?? [],
      foreignKeys: constraints
        .filter((c) => c.type === 'f')
        .map((c) => ({
          columns: c.columns.split(','),
          table: c.ref_table!,
          to: c.ref_columns!.split(','),
          onDelete: ON_DELETE[c.on_delete] ?? c.on_delete,
        }))
        .sort((a, b) => (a.columns.join() < b.columns.join() ? -1 : 1)),
      uniques: sortKeys(constraints.filter((c) => c.type === 'u').map((c) => c.columns.split(','))),
      indexes: byName(
        indexes.map((ix) => ({
          name: ix.name,
          columns: ix.columns.split(','),
          unique: ix.unique === 1,
          partial: ix.partial === 1,
        })),
      ),
    });
  }
  return out;
}

/** Every table of promowatch's schema (not the PostgreSQL version table), by name. */
export function describeSchema(sql: Sql): Promise<TableInfo[]> {
  return sql.dialect === 'sqlite' ? sqliteSchema(sql) : pgSchema(sql);
}

/**
 * The tables in an order that inserts parents before children (foreign keys), ties by name — the
 * order to copy data in. A cycle, which the schema does not have, is refused rather than guessed at.
 */
export function dependencyOrder(tables: TableInfo[]): TableInfo[] {
  const done = new Set<string>();
  const out: TableInfo[] = [];
  const remaining = [...tables];
  while (remaining.length) {
    const next = remaining.findIndex((t) =>
      t.foreignKeys.every((fk) => fk.table === t.name || done.has(fk.table)),
    );
    if (next === -1)
      throw new Error(`Foreign keys form a cycle among ${remaining.map((t) => t.name).join(', ')}`);
    const [t] = remaining.splice(next, 1);
    done.add(t!.name);
    out.push(t!);
  }
  return out;
}
