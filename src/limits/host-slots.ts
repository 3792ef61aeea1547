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
// The gap runs between requests' *real* starts. A slot is booked to start at the earliest moment the
// gap allows (`slot.startAt`, now or a little later); its holder waits until then, sends, and then says
// when it sent (`markStarted`; withSlot does all of this). Until it has, no one else is granted a slot
// on the key, and the next start is booked one gap after the moment it gave. So a holder that sends
// late — its process descheduled on a busy machine, a slow commit — pushes the next one later instead
// of the two going out back to back. With minGapMs 0 there is no gap to keep and nothing to wait for.
// The gap holds across machines as well as their clocks agree (NTP keeps them within a few ms).
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
   * A slot not released frees itself this long after its booked start (or its last renewal), so a worker
   * killed mid-request blocks its host for at most this long. Longer than the slowest request (its timeout).
   */
  leaseMs: number;
  /** When every slot is taken: how soon to look again (a holder usually releases before its lease ends). */
  pollMs?: number;
}

export interface Slot {
  key: string;
  token: string;
  /** When the request may start: now, or a moment later that the gap since the last start calls for. */
  startAt: Date;
  leaseUntil: Date;
}

/** A slot (whose request waits until `slot.startAt`), or how long to wait before asking again. */
export type Acquired = { slot: Slot; retryInMs?: undefined } | { slot: null; retryInMs: number };

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

/**
 * Takes a slot on `key` if one is free and no booked request on it is still to start, booked at the
 * earliest moment the gap allows (the caller waits until `slot.startAt`, then calls markStarted);
 * otherwise says how soon to ask again. Never waits itself.
 */
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
    const held = (await tx.get<{ n: number; pending: number; soonest: number | null }>(
      `SELECT count(*) AS n, coalesce(sum(CASE WHEN started_ms IS NULL THEN 1 ELSE 0 END), 0) AS pending,
         min(lease_until_ms) AS soonest
       FROM limit_holds WHERE key = ?`,
      [key],
    ))!;
    const poll = opts.pollMs ?? DEFAULT_POLL_MS;
    const startAt = Math.max(t, row!.next_start_ms);
    if (held.n >= opts.concurrency) {
      // Every slot is taken: look again soon — a holder usually releases long before its lease ends —
      // and never before the gap would allow a start anyway.
      const leaseWait = Math.max(1, (held.soonest ?? t) - t);
      return { slot: null, retryInMs: Math.max(startAt - t, Math.min(leaseWait, poll)) };
    }
    // A booked request has not started yet: the next start counts from its real one, unknown so far.
    if (held.pending > 0) return { slot: null, retryInMs: Math.max(startAt - t, Math.min(poll, 5)) };
    const token = randomUUID();
    const gap =
      opts.minGapMs + (opts.jitterMs ? Math.floor((deps.random ?? Math.random)() * opts.jitterMs) : 0);
    // The lease runs from the booked start: waiting for it does not eat into the request's time.
    const leaseUntil = startAt + opts.leaseMs;
    await tx.run(
      `INSERT INTO limit_holds (token, key, holder, start_at_ms, started_ms, gap_ms, lease_until_ms)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
      [
        token,
        key,
        deps.holder ?? `${hostname()}:${process.pid}`,
        startAt,
        // No gap to keep: nothing waits for this request's real start.
        gap === 0 ? startAt : null,
        gap,
        leaseUntil,
      ],
    );
    await tx.run('UPDATE limit_keys SET next_start_ms = ? WHERE key = ?', [startAt + gap, key]);
    return { slot: { key, token, startAt: new Date(startAt), leaseUntil: new Date(leaseUntil) } };
  });
}

/**
 * Records that the slot's request starts now (call it just before sending): the next request on the key
 * may start one gap after `now`, and other takers may book it. Once per slot; later calls change nothing.
 */
export async function markStarted(sql: Sql, slot: Slot, now: Date): Promise<void> {
  const t = now.getTime();
  await sql.transaction(async (tx) => {
    // The key's row first (locked, as acquireSlot locks it), so no taker books between these writes.
    await tx.run('UPDATE limit_keys SET next_start_ms = next_start_ms WHERE key = ?', [slot.key]);
    const hold = await tx.get<{ gap_ms: number }>(
      'UPDATE limit_holds SET started_ms = ? WHERE token = ? AND started_ms IS NULL RETURNING gap_ms',
      [t, slot.token],
    );
    if (!hold) return;
    await tx.run(
      `UPDATE limit_keys SET next_start_ms = CASE WHEN next_start_ms > ? THEN next_start_ms ELSE ? END
       WHERE key = ?`,
      [t + hold.gap_ms, t + hold.gap_ms, slot.key],
    );
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

/**
 * Waits for a slot on `key` (asking again after each wait the database names), then until the slot's
 * start, and returns it: the caller notes the time, sends its request at once and calls markStarted
 * with that time (withSlot does all of it).
 */
export async function waitForSlot(sql: Sql, key: string, opts: SlotOptions, deps: WaitDeps): Promise<Slot> {
  const sleep = deps.sleep ?? defaultSleep;
  for (;;) {
    deps.signal?.throwIfAborted();
    const got = await acquireSlot(sql, key, opts, deps);
    if (got.slot) {
      try {
        // Never before the booked start (a timer may fire a millisecond early): the gap depends on it.
        for (let wait = got.slot.startAt.getTime() - deps.now().getTime(); wait > 0;) {
          await sleep(wait, deps.signal);
          wait = got.slot.startAt.getTime() - deps.now().getTime();
        }
      } catch (err) {
        await release(sql, got.slot);
        throw err;
      }
      return got.slot;
    }
    // A few ms of spread, so takers that were told the same moment do not all ask at once.
    await sleep(got.retryInMs + Math.floor((deps.random ?? Math.random)() * 5), deps.signal);
  }
}

/**
 * Runs `fn` holding a slot on `key` and releases the slot however `fn` ends. `fn` should send its request
 * before its first `await` (as `return fetch(url)` does): the start is recorded as the moment just after
 * `fn` was called — never earlier than the real send — and the next taker, which waits for that record,
 * is booked one gap after it.
 */
export async function withSlot<T>(
  sql: Sql,
  key: string,
  opts: SlotOptions,
  deps: WaitDeps,
  fn: (slot: Slot) => Promise<T>,
): Promise<T> {
  const slot = await waitForSlot(sql, key, opts, deps);
  let work: Promise<T>;
  try {
    work = fn(slot);
  } catch (err) {
    work = Promise.reject(err);
  }
  const marked = markStarted(sql, slot, deps.now());
  const [result, mark] = await Promise.allSettled([work, marked]);
  await release(sql, slot);
  if (result.status === 'rejected') throw result.reason;
  if (mark.status === 'rejected') throw mark.reason;
  return result.value;
}
