// The test files a PostgreSQL run (PROMOWATCH_TEST_BACKEND=postgres) leaves out, each with why: they use
// the SQLite connection (`db`, tempDb()) directly, or SQLite-only features. This list IS the remaining gap
// of issue 17's "the whole suite on both backends": the run prints how many files and tests it left out
// (tests/setup/backend-reporter.ts). Moving a file onto testStore()/testStoreDeps() (tests/helpers.ts)
// means deleting its line here; a file that uses tempDb() in a PostgreSQL run without being listed fails,
// so the list cannot silently go stale in that direction, and a line naming no file fails the config.

const SEEDS =
  'seeds or reads through the SQLite connection (tempDb, storeOf(db), sync query modules); move to testStore()';
const WEB =
  'the dashboard still reads through the SQLite connection (web/access.ts configuredSites, pages not on sql yet)';
const CLI = 'runs the CLI, which opens a SQLite file (src/cli/runtime.ts)';
const JOBS = 'the runner or the job still uses the SQLite connection (testDeps(db, …))';
const SQLITE_FEATURE =
  'tests a SQLite-only feature (PRAGMA user_version migrations, the online backup API, VACUUM, read cache)';

/** Path (or folder/**) → why it runs on SQLite only. */
export const SQLITE_ONLY: Record<string, string> = {
  'tests/backlinks/import-apply.test.ts': SEEDS,
  'tests/backlinks/monitor.test.ts': SEEDS,
  'tests/db/alert-notices.test.ts': SEEDS,
  'tests/ops/health-metrics.test.ts': SEEDS,
  'tests/rank/providers/browser.test.ts': SEEDS,
  'tests/rank/providers/index.test.ts': SEEDS,
  'tests/rank/track.test.ts': SEEDS,
};
