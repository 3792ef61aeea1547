// The dashboard's read cache: reused while the database is unchanged, recomputed after any write, and a
// failed async computation is never served again.
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/open.ts';
import { cachedRead } from '../../src/db/read-cache.ts';

describe('cachedRead', () => {
  it('reuses a value until the database changes', () => {
    const db = openDatabase(':memory:');
    let calls = 0;
    const read = () => cachedRead(db, 'k', () => ++calls);
    expect([read(), read()]).toEqual([1, 1]);
    db.prepare(`INSERT INTO meta (key, value) VALUES ('x', 'y')`).run();
    expect(read()).toBe(2);
  });

  it('forgets a computation that failed, so the next request tries again', async () => {
    const db = openDatabase(':memory:');
    let calls = 0;
    const read = () =>
      cachedRead(db, 'k', async () => {
        calls++;
        if (calls === 1) throw new Error('the query failed');
        return 'ok';
      });
    await expect(read()).rejects.toThrow('the query failed');
    expect(await read()).toBe('ok');
    expect(await read()).toBe('ok');
    expect(calls).toBe(2);
  });
});
