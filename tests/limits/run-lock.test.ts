// The job overlap lock on both backends: one holder at a time, a lease that frees a dead holder's lock,
// renewals, and a single winner when many processes try at once.
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Sql } from '../../src/db/store/types.ts';
import {
  acquireRunLock,
  releaseRunLock,
  renewRunLock,
  runLockName,
  type RunLock,
} from '../../src/limits/run-lock.ts';
import { BACKENDS, stopPgServer } from '../pg/backends.ts';

afterAll(stopPgServer);

const T0 = Date.parse('2026-11-01T08:00:00.000Z');
const LEASE = 60_000;

describe.each(BACKENDS)('the run lock on $name', (backend) => {
  let sql: Sql;
  let t: number;
  const now = () => new Date(t);
  beforeEach(async () => {
    sql = (await backend.open()).sql;
    t = T0;
  });
  afterEach(async () => {
    await sql.close();
  });

  const take = async (name: string, holder: string): Promise<RunLock> => {
    const got = await acquireRunLock(sql, name, LEASE, now(), holder);
    expect(got.heldBy).toBeNull();
    return got.lock!;
  };

  it('is held by one run of a job and site at a time, and says by whom', async () => {
    const name = runLockName('crawl', 1);
    expect(name).toBe('crawl:1');
    const lock = await take(name, 'worker-a pid 10');
    t += 1000;
    expect(await acquireRunLock(sql, name, LEASE, now(), 'worker-b pid 20')).toEqual({
      lock: null,
      heldBy: {
        holder: 'worker-a pid 10',
        acquiredAt: '2026-11-01T08:00:00.000Z',
        leaseUntil: new Date(T0 + LEASE),
      },
    });
    // Another site, or the whole-install run, is a lock of its own.
    await take(runLockName('crawl', 2), 'worker-b pid 20');
    await take(runLockName('crawl', null), 'worker-b pid 20');
    await releaseRunLock(sql, lock);
    await take(name, 'worker-b pid 20');
  });

  it('is taken over once the lease of a holder that stopped renewing has run out', async () => {
    const name = runLockName('check-backlinks', 1);
    const dead = await take(name, 'worker-a');
    t += LEASE - 1;
    expect((await acquireRunLock(sql, name, LEASE, now(), 'worker-b')).lock).toBeNull();
    t += 1;
    const next = await take(name, 'worker-b');
    // The old holder learns it lost the lock, and its late release leaves the new holder's alone.
    expect(await renewRunLock(sql, dead, LEASE, now())).toBe(false);
    await releaseRunLock(sql, dead);
    expect((await acquireRunLock(sql, name, LEASE, now(), 'worker-c')).heldBy?.holder).toBe('worker-b');
    await releaseRunLock(sql, next);
  });

  it('stays held while the holder renews it', async () => {
    const name = runLockName('track-rankings', 3);
    const lock = await take(name, 'worker-a');
    for (let i = 0; i < 5; i++) {
      t += LEASE / 2;
      expect(await renewRunLock(sql, lock, LEASE, now())).toBe(true);
      expect((await acquireRunLock(sql, name, LEASE, now(), 'worker-b')).lock).toBeNull();
    }
    expect(lock.leaseUntil.getTime()).toBe(t + LEASE);
  });

  it('has exactly one winner when many processes try at once', async () => {
    const name = runLockName('crawl', 1);
    const got = await Promise.all(
      Array.from({ length: 12 }, (_, i) => acquireRunLock(sql, name, LEASE, now(), `worker-${i}`)),
    );
    expect(got.filter((g) => g.lock).length).toBe(1);
    // And again over an expired lease: one takes it over, not several.
    t += LEASE;
    const again = await Promise.all(
      Array.from({ length: 12 }, (_, i) => acquireRunLock(sql, name, LEASE, now(), `worker-${i}`)),
    );
    expect(again.filter((g) => g.lock).length).toBe(1);
  });
});
