// The suite's backend switch: what PROMOWATCH_TEST_BACKEND accepts, the SQLite-only list kept honest, and
// the test count the PostgreSQL run reports for the files it leaves out.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { countTests } from '../setup/backend-reporter.ts';
import { chosenBackend } from '../setup/backend.ts';
import { sqliteOnlyFiles } from '../setup/select.ts';
import { tempDbRefusal, tempDir, testStore, TEST_BACKEND } from '../helpers.ts';

describe('the backend switch', () => {
  it('takes sqlite or postgres, means "as before" when unset, and refuses anything else', () => {
    expect(chosenBackend({})).toBeNull();
    expect(chosenBackend({ PROMOWATCH_TEST_BACKEND: '' })).toBeNull();
    expect(chosenBackend({ PROMOWATCH_TEST_BACKEND: 'sqlite' })).toBe('sqlite');
    expect(chosenBackend({ PROMOWATCH_TEST_BACKEND: 'postgres' })).toBe('postgres');
    expect(() => chosenBackend({ PROMOWATCH_TEST_BACKEND: 'pg' })).toThrow(
      'PROMOWATCH_TEST_BACKEND must be sqlite or postgres, got "pg"',
    );
  });

  it('testStore() opens a migrated store of the chosen backend', async () => {
    const sql = await testStore();
    expect(sql.dialect).toBe(TEST_BACKEND);
    expect(await sql.all('SELECT name FROM sites')).toEqual([]);
  });

  it('lets tempDb() open SQLite on a PostgreSQL run only beside a PostgreSQL store, saying why', () => {
    expect(tempDbRefusal('sqlite', undefined)).toBeNull();
    expect(tempDbRefusal('postgres', 'the runner marks orphaned crawls through db')).toBeNull();
    expect(tempDbRefusal('postgres', undefined)).toMatch(
      /^tempDb\(\) opens SQLite, but this run is on PostgreSQL .*list its file in tests\/setup\/sqlite-only\.ts/,
    );
  });

  it('lists the SQLite-only files, folders included, and fails on a line that names no file', () => {
    const root = tempDir();
    mkdirSync(join(root, 'tests/e2e/deep'), { recursive: true });
    writeFileSync(join(root, 'tests/one.test.ts'), '');
    writeFileSync(join(root, 'tests/e2e/a.test.ts'), '');
    writeFileSync(join(root, 'tests/e2e/deep/b.test.ts'), '');
    writeFileSync(join(root, 'tests/e2e/helper.ts'), '');
    expect(sqliteOnlyFiles(root, { 'tests/one.test.ts': 'why', 'tests/e2e/**': 'why' }).sort()).toEqual(
      [
        join(root, 'tests/one.test.ts'),
        join(root, 'tests/e2e/a.test.ts'),
        join(root, 'tests/e2e/deep/b.test.ts'),
      ].sort(),
    );
    expect(() => sqliteOnlyFiles(root, { 'tests/gone.test.ts': 'why' })).toThrow(
      'tests/setup/sqlite-only.ts: "tests/gone.test.ts" does not exist; remove or fix its line',
    );
    expect(() => sqliteOnlyFiles(root, { 'tests/none/**': 'why' })).toThrow(
      '"tests/none/**" holds no test file',
    );
  });

  it('counts the tests a file declares, skipped and conditional ones included', () => {
    const source = [
      "describe('x', () => {",
      "  it('a', () => {});",
      "  it.skipIf(cond)('b', () => {});",
      "  it.each([1, 2])('c %s', () => {});",
      '  test(`d`, () => {});',
      "  // it('not code') stays uncounted when not at a line start",
      '  const items = list.filter((it) => it);',
      '});',
    ].join('\n');
    expect(countTests(source)).toBe(4);
  });
});
