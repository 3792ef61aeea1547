// `promowatch check-db`: is the database whole and of a schema this promowatch knows (after a restore,
// a disk scare, or before an upgrade)?
import BetterSqlite3 from 'better-sqlite3';
import { resolveDbPath } from '../../db/open.ts';
import { formatter, messages } from '../../i18n/index.ts';
import { inspectDatabase, OpsError } from '../../ops/backup.ts';
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

Exit code 0 when the database passes PRAGMA integrity_check and its schema is one this promowatch
knows, 1 otherwise. Opens the file read-only: safe while promowatch runs.`,
  options: { db: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  async run(values, _pos, io) {
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
