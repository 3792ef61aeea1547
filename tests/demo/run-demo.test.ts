import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertDemoDatabase } from '../../src/demo/run-demo.ts';
import { closeDatabase, openDatabase } from '../../src/db/open.ts';
import { tempDir } from '../helpers.ts';

describe('assertDemoDatabase()', () => {
  it('refuses to let the demo delete a real database or any other file', () => {
    const dir = tempDir();
    const real = join(dir, 'promowatch.db');
    closeDatabase(openDatabase(real));
    expect(() => assertDemoDatabase(real)).toThrow(/is not a demo database; the demo will not overwrite it/);
    const notes = join(dir, 'notes.txt');
    writeFileSync(notes, 'hello');
    expect(() => assertDemoDatabase(notes)).toThrow(/not a demo database/);
  });

  it('allows a missing file and a previous demo database', () => {
    const dir = tempDir();
    expect(() => assertDemoDatabase(join(dir, 'none.db'))).not.toThrow();
    const demo = join(dir, 'demo.db');
    const db = openDatabase(demo);
    db.prepare(`INSERT INTO meta (key, value) VALUES ('demo', 'x')`).run();
    closeDatabase(db);
    expect(() => assertDemoDatabase(demo)).not.toThrow();
  });
});
