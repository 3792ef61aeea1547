// `promowatch check-db`: is the database whole and of a schema this promowatch knows (after a restore,
// a disk scare, or before an upgrade)?
import BetterSqlite3 from 'better-sqlite3';
import { resolveDbPath } from '../../db/open.ts';
import { formatter, messages } from '../../i18n/index.ts';
import { connectPostgres, redactUrl } from '../../db/store/postgres.ts';
import { inspectDatabase, OpsError } from '../../ops/backup.ts';
import { inspectPostgres } from '../../ops/check-postgres.ts';
import { describeProblem } from '../../ops/describe.ts';
import { EXIT, type Command } from '../command.ts';
import { megabytes } from './backup.ts';

const T = messages('en').ops;
const FMT = formatter('en', 'UTC');

export const checkDbCommand: Command = {
  name: 'check-db',
  summary: 'check the database: integrity, schema version, row counts (changes nothing)',
  usage: 'promowatch check-db [--db FILE]',
  help: `  --db FILE       SQLite database (default: $PROMOWATCH_DB or data/promowatch.db)
  -h, --help      show this help

SQLite: exit code 0 when the file passes PRAGMA integrity_check and its schema is one this promowatch
knows, 1 otherwise. Opens the file read-only: safe while promowatch runs.

PostgreSQL (PROMOWATCH_DATABASE_URL set, no --db; e.g. after pg_restore): exit code 0 when promowatch's
tables and schema version are there, the version is one this promowatch knows, and every row of every
table reads; 1 otherwise. One read-only transaction, no migration: it changes nothing.`,
  options: { db: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  async run(values, _pos, io) {
    const url = values.db === undefined ? io.env.PROMOWATCH_DATABASE_URL : undefined;
    if (url) return checkPostgres(url, io);
    const file = resolveDbPath(values.db as string | undefined, io.env);
    try {
      let db;
      try {
        db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
        db.pragma('schema_version');
      } catch (err) {
        db?.close();
        throw new OpsError(
          /SQLITE_CANTOPEN|unable to open|does not exist/i.test((err as Error).message)
            ? { kind: 'missing', file }
            : { kind: 'not-sqlite', file, detail: (err as Error).message },
        );
      }
      try {
        const facts = inspectDatabase(db, file);
        io.out(
          T.checkDb.ok(
            file,
            megabytes(facts.bytes),
            facts.schemaVersion,
            facts.rows.sites,
            FMT.number(facts.rows.jobRuns),
          ),
        );
        return EXIT.ok;
      } finally {
        db.close();
      }
    } catch (err) {
      if (!(err instanceof OpsError)) throw err;
      io.err(`promowatch check-db: ${describeProblem(T, err.problem)}`);
      return EXIT.failed;
    }
  },
};

async function checkPostgres(url: string, io: Parameters<Command['run']>[2]): Promise<number> {
  const where = redactUrl(url);
  // A pool without migrating (openStore would bring the schema up to date: a check changes nothing).
  const sql = connectPostgres(url, { max: 1 });
  try {
    const facts = await inspectPostgres(sql, where);
    io.out(
      T.checkDb.okPostgres(
        where,
        megabytes(facts.bytes),
        facts.schemaVersion,
        facts.tables,
        facts.rows.sites,
        FMT.number(facts.rows.jobRuns),
      ),
    );
    return EXIT.ok;
  } catch (err) {
    if (!(err instanceof OpsError)) throw err;
    io.err(`promowatch check-db: ${describeProblem(T, err.problem)}`);
    return EXIT.failed;
  } finally {
    await sql.close();
  }
}
