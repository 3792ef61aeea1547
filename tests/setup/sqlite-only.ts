// The test files a PostgreSQL run (PROMOWATCH_TEST_BACKEND=postgres) leaves out, each with why. It is
// empty: every test file runs on both backends (issue 17). A block that can only run on SQLite (it reads
// the SQLite file's bytes, PRAGMAs, the online backup API) sits inside its file in describeSqliteOnly()
// (tests/helpers.ts) and is counted at the end of a PostgreSQL run (tests/setup/backend-reporter.ts).
// Should a file ever have to be left out, it goes here with why, and every run prints it; a line naming
// no file fails the config, and a file that opens SQLite on a PostgreSQL run without saying why fails.

/** Path (or folder/**) → why it runs on SQLite only. */
export const SQLITE_ONLY: Record<string, string> = {};
