// `promowatch migrate-data`: copies a SQLite install into a new PostgreSQL database, verified per table by
// row count and checksum; nothing is kept on the target unless every table matches.
import { existsSync } from 'node:fs';
import type { Database } from 'better-sqlite3';
import { closeDatabase, openDatabase } from '../../db/open.ts';
import { copyTables, verifyCopy, type RowReader, type TableCheck } from '../../db/store/copy.ts';
import { openStore, parseStoreUrl, type StoreTarget } from '../../db/store/open.ts';
import { pgSchemaVersion } from '../../db/store/pg-migrate.ts';
import { redactUrl } from '../../db/store/postgres.ts';
import { describeSchema, type TableInfo } from '../../db/store/schema-info.ts';
import { sqliteStore } from '../../db/store/sqlite.ts';
import type { Sql } from '../../db/store/types.ts';
import { EXIT, UsageError, type Command, type Io } from '../command.ts';

class CopyMismatch extends Error {
  constructor(readonly checks: TableCheck[]) {
    super('the copy does not match the source');
  }
}

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) =>
    r
      .map((cell, i) => (i === 1 || i === 2 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd(),
  );
}

/** The per-table report: rows on each side, the checksum (its first 16 hex digits), and the verdict. */
export function checksTable(checks: TableCheck[]): string[] {
  return table([
    ['TABLE', 'SOURCE ROWS', 'TARGET ROWS', 'CHECKSUM', 'RESULT'],
    ...checks.map((c) => [
      c.table,
      String(c.sourceRows),
      String(c.targetRows),
      c.ok
        ? c.sourceChecksum.slice(0, 16)
        : `${c.sourceChecksum.slice(0, 16)} ≠ ${c.targetChecksum.slice(0, 16)}`,
      c.ok ? 'ok' : 'MISMATCH',
    ]),
  ]);
}

/** Refuses a target whose tables or columns differ from the source's, naming the first difference. */
function sameTables(source: TableInfo[], target: TableInfo[]): void {
  const names = (list: TableInfo[]) => list.map((t) => t.name).join(', ');
  if (names(source) !== names(target))
    throw new Error(`The target's tables (${names(target)}) are not the source's (${names(source)})`);
  for (const [i, t] of source.entries()) {
    const cols = (x: TableInfo) => x.columns.map((c) => c.name).join(', ');
    if (cols(t) !== cols(target[i]!))
      throw new Error(
        `Table ${t.name} has columns (${cols(target[i]!)}) on the target but (${cols(t)}) in the source`,
      );
  }
}

async function nonEmpty(target: Sql, tables: TableInfo[]): Promise<string[]> {
  const out: string[] = [];
  for (const t of tables) {
    const row = await target.get<{ n: number }>(`SELECT COUNT(*) AS n FROM "${t.name}"`);
    if (row!.n > 0) out.push(`${t.name} (${row!.n})`);
  }
  return out;
}

/** One side of the copy: a SQLite file (with its connection, read raw for exact integers) or PostgreSQL. */
interface End {
  label: string;
  sql: Sql;
  db: Database | null;
}

const schemaVersion = async (end: End) =>
  end.db ? (end.db.pragma('user_version', { simple: true }) as number) : pgSchemaVersion(end.sql);

/**
 * Runs `fn` on one consistent snapshot of the source, so the copy and its checksums see the same rows
 * even if a promowatch still running against it writes meanwhile.
 */
async function onSnapshot<T>(source: End, fn: (reader: RowReader) => Promise<T>): Promise<T> {
  if (!source.db)
    return source.sql.transaction(async (tx) => {
      await tx.exec('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      return fn({ kind: 'postgres', tx });
    });
  const db = source.db;
  db.exec('BEGIN');
  try {
    return await fn({ kind: 'sqlite', db });
  } finally {
    db.exec('COMMIT');
  }
}

/** The target inside its transaction, as a reader (SQLite: its connection sees the transaction's rows). */
const targetReader = (target: End, tx: Sql): RowReader =>
  target.db ? { kind: 'sqlite', db: target.db } : { kind: 'postgres', tx };

async function migrateData(source: End, target: End, verifyOnly: boolean, io: Io): Promise<number> {
  const sourceTables = await describeSchema(source.sql);
  const tables = await describeSchema(target.sql);
  sameTables(sourceTables, tables);
  const sourceVersion = await schemaVersion(source);
  const targetVersion = await schemaVersion(target);
  if (sourceVersion !== targetVersion)
    throw new Error(
      `${source.label} is at schema version ${sourceVersion}, ${target.label} at ${targetVersion}: they must match`,
    );

  return onSnapshot(source, async (from) => {
    if (verifyOnly) {
      const checks = await target.sql.transaction((tx) =>
        verifyCopy(from, targetReader(target, tx), sourceTables),
      );
      io.out(checksTable(checks).join('\n'));
      const bad = checks.filter((c) => !c.ok);
      if (bad.length) {
        io.err(
          `promowatch migrate-data: ${bad.length} table(s) differ between ${source.label} and ${target.label}: ${bad.map((c) => c.table).join(', ')}`,
        );
        return EXIT.failed;
      }
      io.out(`Every table of ${target.label} matches ${source.label}.`);
      return EXIT.ok;
    }
    const filled = await nonEmpty(target.sql, tables);
    if (filled.length) {
      io.err(
        `promowatch migrate-data: ${target.label} already holds data in ${filled.slice(0, 3).join(', ')}${filled.length > 3 ? ` and ${filled.length - 3} more table(s)` : ''}; copy into a new, empty database ` +
          `(createdb, or a new SQLite file), or check an earlier copy with --verify`,
      );
      return EXIT.failed;
    }
    const started = performance.now();
    try {
      const checks = await target.sql.transaction(async (tx) => {
        await copyTables(from, tx, sourceTables);
        const checks = await verifyCopy(from, targetReader(target, tx), sourceTables);
        // A mismatch rolls the whole copy back: the target stays empty, ready for another try.
        if (checks.some((c) => !c.ok)) throw new CopyMismatch(checks);
        return checks;
      });
      io.out(checksTable(checks).join('\n'));
      const rows = checks.reduce((n, c) => n + c.sourceRows, 0);
      io.out(
        `Copied ${rows} rows in ${checks.length} tables from ${source.label} to ${target.label} in ` +
          `${((performance.now() - started) / 1000).toFixed(1)} s; every table's row count and checksum match.`,
      );
      io.out(
        target.db
          ? `Next: point promowatch at ${target.label} (--db, or PROMOWATCH_DB with PROMOWATCH_DATABASE_URL unset) and restart it.`
          : `Next: set PROMOWATCH_DATABASE_URL (or database.url in the config) to the PostgreSQL address and restart promowatch.`,
      );
      return EXIT.ok;
    } catch (err) {
      if (!(err instanceof CopyMismatch)) throw err;
      io.out(checksTable(err.checks).join('\n'));
      io.err(
        `promowatch migrate-data: the copy differs from the source in ${err.checks
          .filter((c) => !c.ok)
          .map((c) => c.table)
          .join(', ')}; ` + `nothing was kept on ${target.label}`,
      );
      return EXIT.failed;
    }
  });
}

export const migrateDataCommand: Command = {
  name: 'migrate-data',
  summary: 'copy an install between SQLite and PostgreSQL, verified table by table',
  usage:
    'promowatch migrate-data --from sqlite:FILE --to postgres://USER:PASSWORD@HOST:5432/NAME [--verify]\n' +
    '       promowatch migrate-data --from postgres://… --to sqlite:FILE [--verify]',
  help: `  --from sqlite:FILE   the SQLite database to copy (it is brought to this promowatch's schema first,
                       as any command would; otherwise only read)
  --from postgres://…  or a PostgreSQL database, read in one snapshot (moving back to one file)
  --to postgres://…    an empty PostgreSQL database (default: $PROMOWATCH_DATABASE_URL); its schema is
                       created, then every table is copied in one transaction and kept only if each
                       table's row count and checksum match the source
  --to sqlite:FILE     or a new SQLite file (created with the schema; an existing file must hold no data)
  --verify             copy nothing: compare an earlier copy with the source, table by table
  -h, --help           show this help`,
  options: {
    from: { type: 'string' },
    to: { type: 'string' },
    verify: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
  positionals: { min: 0, max: 0 },
  async run(values, _pos, io) {
    const from = values.from as string | undefined;
    const to = (values.to as string | undefined) ?? io.env.PROMOWATCH_DATABASE_URL;
    if (!from) throw new UsageError('--from sqlite:FILE (or postgres://…) is required');
    if (!to)
      throw new UsageError('--to postgres://… (or sqlite:FILE) is required (or set PROMOWATCH_DATABASE_URL)');
    const [source, target] = [from, to].map((url) => {
      try {
        return parseStoreUrl(url);
      } catch (err) {
        throw new UsageError((err as Error).message);
      }
    }) as [StoreTarget, StoreTarget];
    if (source.kind === target.kind)
      throw new UsageError(
        source.kind === 'sqlite'
          ? 'both ends are SQLite files: copy one with "promowatch backup FILE" instead'
          : 'both ends are PostgreSQL: copy one with pg_dump and pg_restore instead',
      );
    if (source.kind === 'sqlite' && !existsSync(source.file)) {
      io.err(`promowatch migrate-data: there is no database at ${source.file}`);
      return EXIT.failed;
    }
    const ends: End[] = [];
    try {
      for (const end of [source, target]) {
        if (end.kind === 'sqlite') {
          const db = openDatabase(end.file);
          ends.push({ label: end.file, sql: sqliteStore(db), db });
        } else ends.push({ label: redactUrl(end.url), sql: await openStore(end), db: null });
      }
      return await migrateData(ends[0]!, ends[1]!, values.verify === true, io);
    } finally {
      for (const end of ends) {
        if (end.db) closeDatabase(end.db);
        else await end.sql.close();
      }
    }
  },
};
