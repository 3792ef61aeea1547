// Host and engine slots behave the same on SQLite and PostgreSQL, with an injected clock: concurrency,
// the gap between starts, leases that free a dead worker's slot, and no more slots than allowed when
// many takers ask at once.
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  acquireEngine,
  acquireHost,
  acquireSlot,
  hostKey,
  markStarted,
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

  /** A slot, booked and started at its booked moment (as withSlot does). */
  const slotOf = async (host: string, o = opts) => {
    const got = await acquireHost(sql, host, o, deps);
    expect(got.retryInMs).toBeUndefined();
    await markStarted(sql, got.slot!, got.slot!.startAt);
    return got.slot!;
  };

  it('grants `concurrency` slots on a host, then says to ask again until one is released', async () => {
    const a = await slotOf('donor.example');
    t += 50;
    await slotOf('donor.example');
    t += 50;
    const full = await acquireHost(sql, 'donor.example', opts, deps);
    expect(full).toEqual({ slot: null, retryInMs: 25 }); // the poll interval: holders release before their lease ends
    await release(sql, a);
    expect((await acquireHost(sql, 'donor.example', opts, deps)).slot).not.toBeNull();
  });

  it('books the next start one gap after the last real start, and books no one while a start is unconfirmed', async () => {
    const a = await acquireHost(sql, 'donor.example', opts, deps);
    expect(a.slot!.startAt.getTime()).toBe(T0);
    // Until `a` says it started, nobody else is booked: its real start is not known yet.
    t += 5;
    expect(await acquireHost(sql, 'donor.example', opts, deps)).toEqual({ slot: null, retryInMs: 45 });
    // It started late (a busy machine): the gap counts from then, not from its booking.
    t += 15;
    await markStarted(sql, a.slot!, new Date(T0 + 20));
    await markStarted(sql, a.slot!, new Date(T0 + 999)); // once per slot
    t += 10;
    const b = await acquireHost(sql, 'donor.example', opts, deps);
    expect(b.slot!.startAt.getTime()).toBe(T0 + 70);
    await markStarted(sql, b.slot!, b.slot!.startAt);
    await release(sql, a.slot!);
    await release(sql, b.slot!);
    t = T0 + 200;
    expect((await acquireHost(sql, 'donor.example', opts, deps)).slot!.startAt.getTime()).toBe(T0 + 200);
  });

  it('tells hosts apart, case-insensitively, and keeps engine pacing on keys of its own', async () => {
    await slotOf('Donor.Example');
    expect((await acquireHost(sql, 'donor.example', opts, deps)).slot!.startAt.getTime()).toBe(T0 + 50);
    expect((await slotOf('other.example')).startAt.getTime()).toBe(T0);
    expect(hostKey('Donor.Example:8080')).toBe('host:donor.example:8080');
    const paced = { ...opts, minGapMs: 8000 };
    const serp = await acquireEngine(sql, 'Google', paced, deps);
    expect(serp.slot?.key).toBe('serp:google');
    await markStarted(sql, serp.slot!, new Date(T0));
    expect((await acquireEngine(sql, 'google', paced, deps)).slot!.startAt.getTime()).toBe(T0 + 8000);
    expect((await acquireEngine(sql, 'yandex', paced, deps)).slot?.key).toBe('serp:yandex');
  });

  it('adds 0…jitterMs to the gap (browser pacing)', async () => {
    const paced = { ...opts, minGapMs: 5000, jitterMs: 3000 };
    const a = await acquireEngine(sql, 'google', paced, { ...deps, random: () => 0.5 });
    await markStarted(sql, a.slot!, new Date(T0));
    expect((await acquireEngine(sql, 'google', paced, deps)).slot!.startAt.getTime()).toBe(T0 + 6500);
  });

  it('frees the slot of a worker that died holding it once its lease runs out', async () => {
    const short = { ...opts, concurrency: 1, minGapMs: 0, leaseMs: 1000 };
    await slotOf('donor.example', short); // never released: the worker was killed
    t += 999;
    expect((await acquireHost(sql, 'donor.example', short, deps)).slot).toBeNull();
    t += 1;
    expect((await acquireHost(sql, 'donor.example', short, deps)).slot).not.toBeNull();
    // A worker killed between booking and sending blocks the host's gap no longer than its lease.
    const gapped = { ...short, minGapMs: 50 };
    await acquireHost(sql, 'died.example', gapped, deps);
    t += 999;
    expect((await acquireHost(sql, 'died.example', gapped, deps)).slot).toBeNull();
    t += 1;
    expect((await acquireHost(sql, 'died.example', gapped, deps)).slot).not.toBeNull();
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

  it('never grants more than `concurrency`, nor two unconfirmed starts, when many takers ask at once', async () => {
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

  it('withSlot() waits for its booked start, records it, and releases even when the work throws', async () => {
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
    expect(b.startAt.getTime()).toBe(T0 + 50);
    expect(await sql.get('SELECT started_ms FROM limit_holds WHERE token = ?', [b.token])).toEqual({
      started_ms: null,
    });
    // Released unsent: its booking still counts (the gap is kept from it), which errs on the polite side.
    await release(sql, b);
    const starts: number[] = [];
    await withSlot(sql, hostKey('donor.example'), one, waitDeps, async (slot) => {
      starts.push(t);
      expect(slot.startAt.getTime()).toBe(T0 + 100);
    });
    expect(slept).toEqual([50, 50]);
    expect(starts).toEqual([T0 + 100]);
    expect(
      await sql.get('SELECT next_start_ms FROM limit_keys WHERE key = ?', ['host:donor.example']),
    ).toEqual({
      next_start_ms: T0 + 150,
    });
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
