// `promowatch restore FILE`: puts a backup back in place of the database, keeping the one it replaces.
import { resolveDbPath } from '../../db/open.ts';
import { formatter, messages } from '../../i18n/index.ts';
import { OpsError, restoreDatabase } from '../../ops/backup.ts';
import { describeProblem } from '../../ops/describe.ts';
import { EXIT, type Command } from '../command.ts';

const T = messages('en').ops;
const FMT = formatter('en', 'UTC');

export const restoreCommand: Command = {
  name: 'restore',
  summary: 'put a backup made by "promowatch backup" back in place of the database',
  usage: 'promowatch restore FILE [--db FILE] [--force]',
  help: `  FILE            the backup to restore
  --db FILE       the database to replace (default: $PROMOWATCH_DB or data/promowatch.db)
  --force         restore even though a running promowatch seems to use the database
  -h, --help      show this help

Stop promowatch first. The backup must be a promowatch database that passes PRAGMA integrity_check
and whose schema this version knows. The database it replaces is kept as
<db>.before-restore-<time>; the result is checked again.`,
  options: { db: { type: 'string' }, force: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  positionals: { min: 1, max: 1 },
  async run(values, [file], io) {
    const force = values.force === true;
    try {
      const target = resolveDbPath(values.db as string | undefined, io.env);
      if (force) io.err(T.restore.forced);
      const { restored, keptAs } = await restoreDatabase(target, file!, { force, now: new Date() });
      if (keptAs) io.out(T.restore.kept(keptAs));
      io.out(
        T.restore.done(
          restored.file,
          restored.schemaVersion,
          restored.rows.sites,
          FMT.number(restored.rows.jobRuns),
        ),
      );
      return EXIT.ok;
    } catch (err) {
      if (!(err instanceof OpsError)) throw err;
      io.err(`promowatch restore: ${describeProblem(T, err.problem)}`);
      return EXIT.failed;
    }
  },
};
