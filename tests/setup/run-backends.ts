// `npm test`'s suite runs: the whole suite on SQLite, then the whole suite again on PostgreSQL (issue 17:
// "the whole test suite runs against both backends"). Each describe.each(BACKENDS) file takes its SQLite
// half in the first run and its PostgreSQL half in the second (tests/pg/backends.ts follows the switch),
// so nothing runs twice on one backend.
//
// Without PostgreSQL's server binaries the second run is skipped with a message naming the package — a
// newcomer's `npm test` still passes on a machine with no database server — unless PROMOWATCH_TEST_PG=1
// (as .ci/run sets), where a missing server fails. PROMOWATCH_TEST_PG=0 skips it on purpose.
// Arguments are passed to both vitest runs (e.g. a folder to run).
import { spawnSync } from 'node:child_process';
import { PG_BIN, PG_MISSING } from '../pg/server.ts';

function vitest(backend: 'sqlite' | 'postgres', args: string[]): number {
  console.log(`\n=== The suite on ${backend === 'sqlite' ? 'SQLite' : 'PostgreSQL'} ===\n`);
  const r = spawnSync('npx', ['vitest', 'run', ...args], {
    stdio: 'inherit',
    env: { ...process.env, PROMOWATCH_TEST_BACKEND: backend },
  });
  if (r.error) throw r.error;
  return r.status ?? 1;
}

const args = process.argv.slice(2);
const sqlite = vitest('sqlite', args);
let postgres: number | 'skipped' = 'skipped';
if (process.env.PROMOWATCH_TEST_PG === '0')
  console.log('\nThe PostgreSQL run is skipped: PROMOWATCH_TEST_PG=0.');
else if (!PG_BIN && process.env.PROMOWATCH_TEST_PG === '1') {
  console.error(`\nPROMOWATCH_TEST_PG=1, but ${PG_MISSING}`);
  postgres = 1;
} else if (!PG_BIN) console.log(`\nThe PostgreSQL run is skipped: ${PG_MISSING}.`);
else postgres = vitest('postgres', args);

const word = (code: number | 'skipped') =>
  code === 'skipped' ? 'skipped' : code === 0 ? 'passed' : 'FAILED';
console.log(`\nSuite on SQLite: ${word(sqlite)}; suite on PostgreSQL: ${word(postgres)}.`);
process.exit(sqlite !== 0 || (postgres !== 'skipped' && postgres !== 0) ? 1 : 0);
