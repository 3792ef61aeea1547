// The job overlap lock across machines: one run of a job for a site at a time, whichever process on
// whichever machine starts it. Today's guard (src/db/job-runs.ts tryStartRun) judges a `running` row by
// its pid and a heartbeat — a pid means nothing on another machine. This lock is a row with a lease:
// the holder renews it while it works; a holder that dies stops renewing, and once its lease has run
// out the next run takes the lock over. Acquiring is one statement on both backends (an upsert that
// only overwrites an expired row), so two processes can never both get it.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Sql } from '../db/store/types.ts';

export interface RunLock {
  name: string;
  token: string;
  leaseUntil: Date;
}

/** Who holds a lock, for the "still running" message. */
export interface LockHolder {
  holder: string;
  acquiredAt: string;
  leaseUntil: Date;
}

export type LockAttempt = { lock: RunLock; heldBy: null } | { lock: null; heldBy: LockHolder };

/** The lock's name for a job on a site (or on the whole install: siteId null). */
export function runLockName(job: string, siteId: number | null): string {
  return `${job}:${siteId ?? '*'}`;
}

/** This process, as other processes see it in a "held by" message. */
export function thisProcess(): string {
  return `${hostname()} pid ${process.pid}`;
}

/**
 * Takes the lock `name` for `leaseMs` unless someone else's lease on it is still running. A lease that
 * ran out is taken over (its holder is gone or stalled past its lease: the runner renews well before).
 */
export async function acquireRunLock(
  sql: Sql,
  name: string,
  leaseMs: number,
  now: Date,
  holder: string = thisProcess(),
): Promise<LockAttempt> {
  if (!(leaseMs > 0)) throw new Error(`Run lock ${name}: leaseMs must be > 0, got ${leaseMs}`);
  const token = randomUUID();
  const t = now.getTime();
  const taken = await sql.get<{ token: string }>(
    `INSERT INTO run_locks (name, token, holder, acquired_at, lease_until_ms) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (name) DO UPDATE SET token = excluded.token, holder = excluded.holder,
       acquired_at = excluded.acquired_at, lease_until_ms = excluded.lease_until_ms
     WHERE run_locks.lease_until_ms <= ?
     RETURNING token`,
    [name, token, holder, now.toISOString(), t + leaseMs, t],
  );
  if (taken?.token === token)
    return { lock: { name, token, leaseUntil: new Date(t + leaseMs) }, heldBy: null };
  const row = await sql.get<{ holder: string; acquired_at: string; lease_until_ms: number }>(
    'SELECT holder, acquired_at, lease_until_ms FROM run_locks WHERE name = ?',
    [name],
  );
  // Released between the two statements: the caller simply tries again on its next tick.
  return {
    lock: null,
    heldBy: row
      ? { holder: row.holder, acquiredAt: row.acquired_at, leaseUntil: new Date(row.lease_until_ms) }
      : { holder: 'nobody (just released)', acquiredAt: now.toISOString(), leaseUntil: now },
  };
}

/**
 * Extends the lease while the run works (call it well inside the lease, e.g. every third of it). False
 * when the lock is no longer this holder's — its lease ran out and another run took it over: the
 * caller should stop, since two runs now overlap.
 */
export async function renewRunLock(sql: Sql, lock: RunLock, leaseMs: number, now: Date): Promise<boolean> {
  const until = now.getTime() + leaseMs;
  const r = await sql.run('UPDATE run_locks SET lease_until_ms = ? WHERE name = ? AND token = ?', [
    until,
    lock.name,
    lock.token,
  ]);
  if (r.changes === 0) return false;
  lock.leaseUntil = new Date(until);
  return true;
}

/** Frees the lock when the run ends; a lock already taken over by someone else is left to them. */
export async function releaseRunLock(sql: Sql, lock: RunLock): Promise<void> {
  await sql.run('DELETE FROM run_locks WHERE name = ? AND token = ?', [lock.name, lock.token]);
}
