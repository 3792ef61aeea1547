import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { defineConfig } from 'vitest/config';
import { excludedForBackend } from './tests/setup/select.ts';

const E2E = 'tests/e2e/**/*.test.ts';
// The run's one PostgreSQL cluster and its migrated template (both projects share it).
const PG = 'tests/setup/pg-cluster.ts';
// PROMOWATCH_TEST_BACKEND=postgres leaves out the files still bound to SQLite (tests/setup/sqlite-only.ts).
const SQLITE_ONLY = excludedForBackend(fileURLToPath(new URL('.', import.meta.url)));

/**
 * The usual order (failed first, then the slowest), with the browser files last: they wait for the demo
 * build that the e2e project's global setup starts, and the other files keep both cores busy meanwhile.
 */
class E2eLastSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const e2e = (f: TestSpecification) => f.project.name === 'e2e';
    return [...sorted.filter((f) => !e2e(f)), ...sorted.filter(e2e)];
  }
}

export default defineConfig({
  test: {
    // Browser tests start real Chromium; give them room on a 2-core machine.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Vitest's own default in a run is one worker fewer than the cores: on a 2-core machine the whole
    // suite ran in one worker at ~115 % CPU (453 s). Most files wait on child processes, Chromium and
    // loopback servers, so one worker per core is faster (2 workers: 325 s, 165 % CPU; 3: 312 s, 174 %,
    // not worth the extra contention for timed tests), measured on the project machine.
    maxWorkers: Math.max(2, availableParallelism()),
    reporters: ['default', './tests/setup/backend-reporter.ts', './tests/summary-reporter.ts'],
    sequence: { sequencer: E2eLastSequencer },
    // Two projects so that the demo build (tests/e2e/global-setup.ts) starts only when a browser file runs.
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['tests/**/*.test.ts'],
          exclude: [E2E, ...SQLITE_ONLY],
          globalSetup: [PG],
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: [E2E],
          exclude: SQLITE_ONLY,
          globalSetup: [PG, 'tests/e2e/global-setup.ts'],
        },
      },
    ],
  },
});
