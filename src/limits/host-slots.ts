// Politeness slots shared by every process on every machine: at most N requests to one host (or one
// search engine's result pages) at once, and at least a minimum gap between two requests' starts —
// kept in the database (limit_keys, limit_holds; migration 017), not in one process's memory.
//
// Taking a slot is one short transaction on both backends. It first locks the key's row with an upsert
// (`INSERT … ON CONFLICT DO UPDATE … RETURNING`): on PostgreSQL that takes the row lock, so every other
// taker of the same key waits for this transaction and then reads what it wrote (READ COMMITTED gives
// each later statement a fresh snapshot); on SQLite the store's transaction is BEGIN IMMEDIATE, which
// takes the database's write lock, so the whole check-and-take runs alone across processes too. Keys do
// not block each other on PostgreSQL: one host's takers never wait for another host's.
//
// The clock is read *after* the lock is ours, so the start a slot records is when its request can start,
// not when its taker began waiting. The gap holds across machines as well as their clocks agree (NTP
// keeps them within a few milliseconds).
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Sql } from '../db/store/types.ts';

export interface SlotOptions {
  /** At most this many requests to the key at once, counted across every process. */
  concurrency: number;
  /** At least this long between two requests' starts, whoever makes them. */
  minGapMs: number;
  /** A random 0…jitterMs added to each gap (browser result pages: paced like a person, not a metronome). */
  jitterMs?: number;
  /**
   * A slot not released frees itself this long after it was taken (or last renewed), so a worker killed
   * mid-request blocks its host for at most this long. Longer than the slowest request (its timeout).
   */
  leaseMs: number;
  /** When every slot is taken: how soon to look again (a holder usually releases before its lease ends). */
  pollMs?: number;
}

export interface Slot {
  key: string;
  token: string;
  startedAt: Date;
  leaseUntil: Date;
}

/** A slot, or how long to wait before asking again. */
export type Acquired = { slot: Slot; waitMs: 0 } | { slot: null; waitMs: number };

export interface SlotDeps {
  /** Read inside the transaction, once the key's lock is held. */
  now: () => Date;
  /** 0 ≤ x < 1, for the jitter; Math.random by default. */
  random?: () => number;
  /** Who holds the slot, for someone reading the table: host name and pid by default. */
  holder?: string;
}

const DEFAULT_POLL_MS = 25;

/** The key a host's requests share. Lower-cased; a port counts (two ports can be two servers). */
export function hostKey(host: string): string {
  return `host:${host.toLowerCase()}`;
}

/** The key an engine's browser result pages share (`serp:google`, `serp:yandex`). */
export function engineKey(engine: string): string {
  return `serp:${engine.toLowerCase()}`;
}

function check(key: string, opts: SlotOptions): void {
  const bad = (what: string) => {
    throw new Error(`Limits: ${what} for "${key}" (got ${JSON.stringify(opts)})`);
  };
  if (!Number.isInteger(opts.concurrency) || opts.concurrency < 1)
    bad('concurrency must be a whole number ≥ 1');
  if (!(opts.minGapMs >= 0)) bad('minGapMs must be ≥ 0');
  if (!(opts.leaseMs > 0)) bad('leaseMs must be > 0');
  if (opts.jitterMs !== undefined && !(opts.jitterMs >= 0)) bad('jitterMs must be ≥ 0');
}

/** Takes a slot on `key` if one is free and the gap since the last start has passed; never waits itself. */
export async function acquireSlot(
  sql: Sql,
  key: string,
  opts: SlotOptions,
  deps: SlotDeps,
): Promise<Acquired> {
  check(key, opts);
  return sql.transaction(async (tx): Promise<Acquired> => {
    const row = await tx.get<{ next_start_ms: number }>(
      `INSERT INTO limit_keys (key, next_start_ms) VALUES (?, 0)
       ON CONFLICT (key) DO UPDATE SET next_start_ms = limit_keys.next_start_ms
       RETURNING next_start_ms`,
      [key],
    );
    const t = deps.now().getTime();
    await tx.run('DELETE FROM limit_holds WHERE key = ? AND lease_until_ms <= ?', [key, t]);
    const held = (await tx.get<{ n: number; soonest: number | null }>(
      'SELECT count(*) AS n, min(lease_until_ms) AS soonest FROM limit_holds WHERE key = ?',
      [key],
    ))!;
    const gapWait = Math.max(0, row!.next_start_ms - t);
    if (held.n >= opts.concurrency) {
      const leaseWait = Math.max(1, (held.soonest ?? t) - t);
      return { slot: null, waitMs: Math.max(gapWait, Math.min(leaseWait, opts.pollMs ?? DEFAULT_POLL_MS)) };
    }
    if (gapWait > 0) return { slot: null, waitMs: gapWait };
    const token = randomUUID();
    const leaseUntil = t + opts.leaseMs;
    await tx.run(
      'INSERT INTO limit_holds (token, key, holder, started_ms, lease_until_ms) VALUES (?, ?, ?, ?, ?)',
      [token, key, deps.holder ?? `${hostname()}:${process.pid}`, t, leaseUntil],
    );
    const jitter = opts.jitterMs ? Math.floor((deps.random ?? Math.random)() * opts.jitterMs) : 0;
    await tx.run('UPDATE limit_keys SET next_start_ms = ? WHERE key = ?', [t + opts.minGapMs + jitter, key]);
    return { slot: { key, token, startedAt: new Date(t), leaseUntil: new Date(leaseUntil) }, waitMs: 0 };
  });
}

/** `acquireSlot` on a host's key. */
export function acquireHost(sql: Sql, host: string, opts: SlotOptions, deps: SlotDeps): Promise<Acquired> {
  return acquireSlot(sql, hostKey(host), opts, deps);
}

/** `acquireSlot` on a search engine's key, for browser result pages. */
export function acquireEngine(
  sql: Sql,
  engine: string,
  opts: SlotOptions,
  deps: SlotDeps,
): Promise<Acquired> {
  return acquireSlot(sql, engineKey(engine), opts, deps);
}

/** Gives the slot back (the request ended). Releasing one whose lease already ran out is harmless. */
export async function release(sql: Sql, slot: Slot): Promise<void> {
  await sql.run('DELETE FROM limit_holds WHERE token = ?', [slot.token]);
}

/**
 * Pushes the slot's lease on (a long download): true while the slot is still ours, false once its
 * lease ran out and the row was swept — the slot may then be someone else's, so stop using the host.
 */
export async function renew(sql: Sql, slot: Slot, leaseMs: number, now: Date): Promise<boolean> {
  const until = now.getTime() + leaseMs;
  const r = await sql.run(
    'UPDATE limit_holds SET lease_until_ms = ? WHERE token = ? AND lease_until_ms > ?',
    [until, slot.token, now.getTime()],
  );
  if (r.changes === 0) return false;
  slot.leaseUntil = new Date(until);
  return true;
}

export interface WaitDeps extends SlotDeps {
  /** Resolves after `ms` (tests pass a fake); rejects when `signal` aborts. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  signal?: AbortSignal;
}

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Waits for a slot on `key` (asking again after each wait the database names), then returns it. */
export async function waitForSlot(sql: Sql, key: string, opts: SlotOptions, deps: WaitDeps): Promise<Slot> {
  const sleep = deps.sleep ?? defaultSleep;
  for (;;) {
    deps.signal?.throwIfAborted();
    const got = await acquireSlot(sql, key, opts, deps);
    if (got.slot) return got.slot;
    // A few ms of spread, so takers that were told the same moment do not all ask at once.
    await sleep(got.waitMs + Math.floor((deps.random ?? Math.random)() * 5), deps.signal);
  }
}

/** Runs `fn` holding a slot on `key`, and releases it however `fn` ends. */
export async function withSlot<T>(
  sql: Sql,
  key: string,
  opts: SlotOptions,
  deps: WaitDeps,
  fn: (slot: Slot) => Promise<T>,
): Promise<T> {
  const slot = await waitForSlot(sql, key, opts, deps);
  try {
    return await fn(slot);
  } finally {
    await release(sql, slot);
  }
}
