// Says, at the end of a run, which backend it ran on and how much of the suite that covered: files and
// tests run, tests that opened a PostgreSQL store, and — on a PostgreSQL run — the files left out as
// SQLite-only (tests/setup/sqlite-only.ts) and the tests skipped inside files as SQLite-only, so the
// remaining gap of "the whole suite on both backends" is a number in every log, not a guess.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';
import { chosenBackend } from './backend.ts';
import { SQLITE_ONLY } from './sqlite-only.ts';
import { sqliteOnlyFiles, SQLITE_ONLY_MARK } from './select.ts';

/** About how many tests a file declares (it/test calls; a describe.each over two backends counts once). */
export function countTests(source: string): number {
  return (
    source.match(
      /^\s*(?:it|test)(?:\.(?:skip|only|fails|concurrent|each\([^\n]*?\)|(?:skipIf|runIf)\([^\n]*?\)))*\(/gm,
    )?.length ?? 0
  );
}

export default class BackendReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const chosen = chosenBackend();
    const backend =
      chosen ?? 'sqlite (PROMOWATCH_TEST_BACKEND unset: SQLite, both for describe.each(BACKENDS))';
    let tests = 0;
    let ran = 0;
    let onPostgres = 0;
    let markedSkipped = 0;
    const filesOnPostgres = new Set<string>();
    const clones: number[] = [];
    for (const m of testModules)
      for (const t of m.children.allTests()) {
        tests++;
        const state = t.result().state;
        if (state === 'passed' || state === 'failed') ran++;
        // A test that made a PostgreSQL database, or one of a describe.each(BACKENDS) block's postgres half
        // whose database came from a beforeAll.
        const used = (t.meta().postgresStores ?? 0) > 0 || /on postgres\b/.test(t.fullName);
        if (used && (state === 'passed' || state === 'failed')) {
          onPostgres++;
          filesOnPostgres.add(m.moduleId);
        }
        if (state === 'skipped' && t.fullName.includes(SQLITE_ONLY_MARK)) markedSkipped++;
        clones.push(...(t.meta().postgresCloneMs ?? []));
      }
    const lines = [
      `Backend: ${backend} — ${testModules.length} files, ${ran} of ${tests} tests ran; ` +
        `${onPostgres} tests in ${filesOnPostgres.size} files used PostgreSQL`,
    ];
    if (clones.length) {
      clones.sort((a, b) => a - b);
      const at = (q: number) => clones[Math.min(clones.length - 1, Math.floor(q * clones.length))];
      lines.push(
        `PostgreSQL test databases: ${clones.length} copied from the template, median ${at(0.5)} ms, p95 ${at(0.95)} ms`,
      );
    }
    if (chosen === 'postgres') {
      const root = process.cwd();
      const left = sqliteOnlyFiles(root);
      const byReason = new Map<string, string[]>();
      let leftTests = 0;
      for (const file of left) {
        leftTests += countTests(readFileSync(file, 'utf8'));
        const rel = relative(root, file);
        const key = Object.keys(SQLITE_ONLY).find(
          (k) => k === rel || (k.endsWith('/**') && rel.startsWith(k.slice(0, -2))),
        )!;
        const reason = SQLITE_ONLY[key]!;
        byReason.set(reason, [...(byReason.get(reason) ?? []), rel]);
      }
      lines.push(
        `SQLite-only, not run on PostgreSQL: ${left.length} files (about ${leftTests} tests) listed in tests/setup/sqlite-only.ts, ` +
          `and ${markedSkipped} tests marked ${SQLITE_ONLY_MARK} inside files that ran`,
      );
      for (const [reason, files] of byReason)
        lines.push(
          `  ${files.length} files: ${reason}`,
          `    ${files.map((f) => f.replace(/^tests\//, '').replace(/\.test\.ts$/, '')).join(', ')}`,
        );
    }
    process.stdout.write(`\n${lines.join('\n')}\n`);
  }
}
