// Which test files a run leaves out for its backend: on PostgreSQL, the SQLite-only list. Shared by
// vitest.config.ts (to exclude them) and the backend reporter (to count them).
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { chosenBackend } from './backend.ts';
import { SQLITE_ONLY } from './sqlite-only.ts';

/** Names of describe() blocks skipped on PostgreSQL inside files that otherwise run (tests/helpers.ts sqliteOnly). */
export const SQLITE_ONLY_MARK = '[SQLite only]';

/** The files the SQLite-only list names, as absolute paths; a line naming no file is an error (a stale list). */
export function sqliteOnlyFiles(root: string, list: Record<string, string> = SQLITE_ONLY): string[] {
  const files: string[] = [];
  for (const entry of Object.keys(list)) {
    if (entry.endsWith('/**')) {
      const dir = join(root, entry.slice(0, -3));
      const found = existsSync(dir)
        ? readdirSync(dir, { recursive: true, encoding: 'utf8' })
            .filter((f) => f.endsWith('.test.ts'))
            .map((f) => join(dir, f))
        : [];
      if (found.length === 0) throw new Error(`tests/setup/sqlite-only.ts: "${entry}" holds no test file`);
      files.push(...found);
    } else {
      if (!existsSync(join(root, entry)))
        throw new Error(`tests/setup/sqlite-only.ts: "${entry}" does not exist; remove or fix its line`);
      files.push(join(root, entry));
    }
  }
  return files;
}

/** Globs vitest leaves out on this run's backend. */
export function excludedForBackend(root: string): string[] {
  if (chosenBackend() !== 'postgres') return [];
  sqliteOnlyFiles(root);
  return Object.keys(SQLITE_ONLY);
}
