// `promowatch backup FILE`: a consistent copy of the database while promowatch keeps running.
import { resolveDbPath } from '../../db/open.ts';
import { formatter, messages } from '../../i18n/index.ts';
import { backupDatabase, OpsError } from '../../ops/backup.ts';
import { describeProblem } from '../../ops/describe.ts';
import { EXIT, type Command } from '../command.ts';

// The command line speaks English (the catalogue's English).
const T = messages('en').ops;
const FMT = formatter('en', 'UTC');

export function megabytes(bytes: number): string {
  return `${FMT.number(bytes / 1_048_576, 1)} MB`;
}

export const backupCommand: Command = {
  name: 'backup',
  summary: 'copy the database to FILE while promowatch runs (SQLite online backup), checked',
  usage: 'promowatch backup FILE [--db FILE]',
  help: `  FILE            where to write the copy (replaced if it exists, only once the copy passed its checks)
  --db FILE       SQLite database (default: $PROMOWATCH_DB or data/promowatch.db)
  -h, --help      show this help

Safe while "promowatch start" runs: the copy is the database as of one moment, checked with
PRAGMA integrity_check before it replaces FILE. With PostgreSQL, use pg_dump -Fc (see the README).`,
  options: { db: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  positionals: { min: 1, max: 1 },
  async run(values, [file], io) {
    try {
      const facts = await backupDatabase(resolveDbPath(values.db as string | undefined, io.env), file!);
      io.out(
        T.backup.done(
          facts.file,
          megabytes(facts.bytes),
          facts.schemaVersion,
          facts.rows.sites,
          FMT.number(facts.rows.jobRuns),
        ),
      );
      return EXIT.ok;
    } catch (err) {
      if (!(err instanceof OpsError)) throw err;
      io.err(`promowatch backup: ${describeProblem(T, err.problem)}`);
      return EXIT.failed;
    }
  },
};
