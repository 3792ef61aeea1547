// Host and engine slots behave the same on SQLite and PostgreSQL, with an injected clock: concurrency,
// the gap between starts, leases that free a dead worker's slot, and no more slots than allowed when
// many takers ask at once.
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  acquireEngine,
  acquireHost,
  acquireSlot,
  hostKey,
  release,
  renew,
  waitForSlot,
  withSlot,
  type Slot,
  type SlotOptions,
} from '../../src/limits/host-slots.ts';
import type { Sql } from '../../src/db/store/types.ts';
import { BACKENDS, stopPgServer } from '../pg/backends.ts';

afterAll(stopPgServer);

const T0 = Date.parse('2026-11-01T08:00:00.000Z');
const opts: SlotOptions = { concurrency: 2, minGapMs: 50, leaseMs: 10_000 };

describe.each(BACKENDS)('host slots on $name', (backend) => {
  let sql: Sql;
  let t: number;
  const deps = { now: () => new Date(t), holder: 'test' };
  beforeEach(async () => {
    sql = (await backend.open()).sql;
    t = T0;
  });
  afterEach(async () => {
    await sql.close();
  });

  const slotOf = async (host: string, o = opts) => {
    const got = await acquireHost(sql, host, o, deps);
    expect(got.waitMs).toBe(0);
    return got.slot!;
  };

  it('grants `concurrency` slots on a host, then names a wait until one is released', async () => {
    const a = await slotOf('donor.example');
    t += 50;
    await slotOf('donor.example');
    t += 50;
    const full = await acquireHost(sql, 'donor.example', opts, deps);
    expect(full.slot).toBeNull();
    expect(full.waitMs).toBe(25); // the poll interval: a holder usually releases before its lease ends
    await release(sql, a);
    expect((await acquireHost(sql, 'donor.example', opts, deps)).slot).not.toBeNull();
  });

  it('keeps minGapMs between two starts, whoever holds the slots', async () => {
    const a = await slotOf('donor.example');
    expect(a.startedAt.getTime()).toBe(T0);
    await release(sql, a);
    t += 20;
    expect(await acquireHost(sql, 'donor.example', opts, deps)).toEqual({ slot: null, waitMs: 30 });
    t += 29;
    expect(await acquireHost(sql, 'donor.example', opts, deps)).toEqual({ slot: null, waitMs: 1 });
    t += 1;
    expect((await slotOf('donor.example')).startedAt.getTime()).toBe(T0 + 50);
  });

  it('tells hosts apart, case-insensitively, and keeps engine pacing on keys of its own', async () => {
    await slotOf('Donor.Example');
    expect((await acquireHost(sql, 'donor.example', opts, deps)).waitMs).toBe(50);
    await slotOf('other.example');
    expect(hostKey('Donor.Example:8080')).toBe('host:donor.example:8080');
    const serp = await acquireEngine(sql, 'Google', { ...opts, minGapMs: 8000 }, deps);
    expect(serp.slot?.key).toBe('serp:google');
    expect((await acquireEngine(sql, 'google', { ...opts, minGapMs: 8000 }, deps)).waitMs).toBe(8000);
    expect((await acquireEngine(sql, 'yandex', opts, deps)).slot?.key).toBe('serp:yandex');
  });

  it('adds 0…jitterMs to the gap (browser pacing)', async () => {
    const paced = { ...opts, minGapMs: 5000, jitterMs: 3000 };
    await acquireEngine(sql, 'google', paced, { ...deps, random: () => 0.5 });
    expect((await acquireEngine(sql, 'google', paced, deps)).waitMs).toBe(6500);
  });

  it('frees the slot of a worker that died holding it once its lease runs out', async () => {
    const short = { ...opts, concurrency: 1, minGapMs: 0, leaseMs: 1000 };
    await slotOf('donor.example', short); // never released: the worker was killed
    t += 999;
    expect((await acquireHost(sql, 'donor.example', short, deps)).slot).toBeNull();
    t += 1;
    expect((await acquireHost(sql, 'donor.example', short, deps)).slot).not.toBeNull();
  });

  it('renew() pushes the lease on while the slot is still ours, and says when it is not', async () => {
    const short = { ...opts, concurrency: 1, minGapMs: 0, leaseMs: 1000 };
    const a = await slotOf('donor.example', short);
    t += 900;
    expect(await renew(sql, a, 1000, new Date(t))).toBe(true);
    expect(a.leaseUntil.getTime()).toBe(t + 1000);
    t += 900;
    expect((await acquireHost(sql, 'donor.example', short, deps)).slot).toBeNull();
    t += 100;
    const b = await slotOf('donor.example', short);
    expect(await renew(sql, a, 1000, new Date(t))).toBe(false);
    // The late release of the old slot leaves the new holder's alone.
    await release(sql, a);
    expect((await acquireHost(sql, 'donor.example', short, deps)).slot).toBeNull();
    await release(sql, b);
    expect((await acquireHost(sql, 'donor.example', short, deps)).slot).not.toBeNull();
  });

  it('never grants more than `concurrency` when many takers ask at the same moment', async () => {
    const wide = { ...opts, concurrency: 3, minGapMs: 0 };
    const got = await Promise.all(
      Array.from({ length: 12 }, () => acquireSlot(sql, hostKey('donor.example'), wide, deps)),
    );
    expect(got.filter((g) => g.slot).length).toBe(3);
    const gapped = await Promise.all(
      Array.from({ length: 12 }, () => acquireSlot(sql, hostKey('gap.example'), opts, deps)),
    );
    expect(gapped.filter((g) => g.slot).length).toBe(1);
  });

  it('waitForSlot() sleeps the waits the database names; withSlot() releases when the work throws', async () => {
    const slept: number[] = [];
    const waitDeps = {
      ...deps,
      random: () => 0,
      sleep: async (ms: number) => {
        slept.push(ms);
        t += ms;
      },
    };
    const one = { ...opts, concurrency: 1 };
    await expect(
      withSlot(sql, hostKey('donor.example'), one, waitDeps, async () => {
        throw new Error('page failed');
      }),
    ).rejects.toThrow('page failed');
    const b: Slot = await waitForSlot(sql, hostKey('donor.example'), one, waitDeps);
    expect(slept).toEqual([50]);
    expect(b.startedAt.getTime()).toBe(T0 + 50);
  });

  it('refuses options that would make no sense, naming the key', async () => {
    await expect(acquireHost(sql, 'donor.example', { ...opts, concurrency: 0 }, deps)).rejects.toThrow(
      /^Limits: concurrency must be a whole number ≥ 1 for "host:donor.example"/,
    );
    await expect(acquireHost(sql, 'donor.example', { ...opts, leaseMs: 0 }, deps)).rejects.toThrow(
      /leaseMs must be > 0/,
    );
  });
});
