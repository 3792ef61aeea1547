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
const DEMO = 'the demo builds a SQLite world (src/demo)';

/** Path (or folder/**) → why it runs on SQLite only. */
export const SQLITE_ONLY: Record<string, string> = {
  'tests/ads/alerts.test.ts': SEEDS,
  'tests/ads/analysis.test.ts': SEEDS,
  'tests/ads/platforms/registry.test.ts': SEEDS,
  'tests/ads/platforms/yandex-direct.test.ts': SEEDS,
  'tests/ads/store.test.ts': SEEDS,
  'tests/ads/sync.test.ts': SEEDS,
  'tests/audit/history.test.ts': SEEDS,
  'tests/audit/rules-site.test.ts': SEEDS,
  'tests/backlinks/evidence.test.ts': SEEDS,
  'tests/crawl/crawler-hostile.test.ts': SEEDS,
  'tests/crawl/frontier.test.ts': SEEDS,
  'tests/crawl/politeness.test.ts': SEEDS,
  'tests/crawl/render.test.ts': SEEDS,
  'tests/crawl/sitemaps.test.ts': SEEDS,
  'tests/crawl/store.test.ts': SEEDS,
  'tests/db/ad-platforms-migration.test.ts': SEEDS,
  'tests/ops/health-metrics.test.ts':
    'its accounts test uses tests/web/access-setup.ts, on the backend switch in branch i17c-web1: delete this line with that merge',
  'tests/report/build.test.ts': SEEDS,
  'tests/report/send.test.ts': SEEDS,
  'tests/api/account-keys.test.ts': WEB,
  'tests/api/ad-accounts.test.ts': WEB,
  'tests/api/audit-actor.test.ts': WEB,
  'tests/api/docs-i18n.test.ts': WEB,
  'tests/api/routes-listed.test.ts': WEB,
  'tests/api/v1.test.ts': WEB,
  'tests/audit-log/api-writes.test.ts': WEB,
  'tests/audit-log/dashboard.test.ts': WEB,
  'tests/web/access-keys.test.ts': WEB,
  'tests/web/access.test.ts': WEB,
  'tests/web/ads-chart-colours.test.ts': WEB,
  'tests/web/ads-ru.test.ts': WEB,
  'tests/web/ads.test.ts': WEB,
  'tests/web/alerts.test.ts': WEB,
  'tests/web/app-russian.test.ts': WEB,
  'tests/web/app.test.ts': WEB,
  'tests/web/audit-ru.test.ts': WEB,
  'tests/web/audit.test.ts': WEB,
  'tests/web/backlinks-manage.test.ts': WEB,
  'tests/web/backlinks-ru.test.ts': WEB,
  'tests/web/backlinks.test.ts': WEB,
  'tests/web/csv.test.ts': WEB,
  'tests/web/error-pages.test.ts': WEB,
  'tests/web/i18n.test.ts': WEB,
  'tests/web/login-users.test.ts': WEB,
  'tests/web/overview.test.ts': WEB,
  'tests/web/rankings-averages.test.ts': WEB,
  'tests/web/rankings-ru.test.ts': WEB,
  'tests/web/rankings.test.ts': WEB,
  'tests/web/reports.test.ts': WEB,
  'tests/web/share.test.ts': WEB,
  'tests/web/users-pages.test.ts': WEB,
  'tests/web/viewer-forms.test.ts': WEB,
  'tests/audit-log/cli.test.ts': CLI,
  'tests/auth/api-keys-cli.test.ts': CLI,
  'tests/cli/ads.test.ts': CLI,
  'tests/cli/alerts.test.ts': CLI,
  'tests/cli/cli.test.ts': CLI,
  'tests/cli/jobs.test.ts': CLI,
  'tests/cli/keywords-rank.test.ts': CLI,
  'tests/cli/links.test.ts': CLI,
  'tests/cli/orphaned-runs.test.ts': CLI,
  'tests/cli/rank-search-export.test.ts': CLI,
  'tests/cli/report.test.ts': CLI,
  'tests/cli/users.test.ts': CLI,
  'tests/jobs/weekly-report.test.ts': JOBS,
  'tests/db/migrate.test.ts': SQLITE_FEATURE,
  'tests/db/read-cache.test.ts': SQLITE_FEATURE,
  'tests/ops/backup.test.ts': SQLITE_FEATURE,
  'tests/cli/demo/run-demo.test.ts': DEMO,
  'tests/demo/ads-world.test.ts': DEMO,
  'tests/demo/people.test.ts': DEMO,
  'tests/demo/search-export.test.ts': DEMO,
  'tests/demo/search-world.test.ts': DEMO,
  'tests/e2e/**': DEMO,
};
