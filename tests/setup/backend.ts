// The test suite's backend switch: PROMOWATCH_TEST_BACKEND=sqlite|postgres picks the store that testStore()
// (tests/helpers.ts) and `describe.each(BACKENDS)` (tests/pg/backends.ts) open. Unset, the suite runs as
// before: SQLite for the helpers, both backends for the BACKENDS files. `npm run test:pg` is the
// PostgreSQL run; the files still bound to SQLite are listed in tests/setup/sqlite-only.ts.

export type TestBackend = 'sqlite' | 'postgres';

/** The backend asked for, or null when the variable is unset (then the helpers use SQLite). */
export function chosenBackend(env: NodeJS.ProcessEnv = process.env): TestBackend | null {
  const v = env.PROMOWATCH_TEST_BACKEND;
  if (v === undefined || v === '') return null;
  if (v === 'sqlite' || v === 'postgres') return v;
  throw new Error(`PROMOWATCH_TEST_BACKEND must be sqlite or postgres, got "${v}"`);
}

/** The backend testStore() opens. */
export const TEST_BACKEND: TestBackend = chosenBackend() ?? 'sqlite';
