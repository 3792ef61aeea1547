// The scheduler's heartbeat in the `meta` table: written while `promowatch start` runs, read by
// /healthz, /metrics and `restore` (any process on the same database sees it, so a `serve` replica
// reports a scheduler that stopped elsewhere).
import type { Db } from '../db/open.ts';

export const HEARTBEAT_KEY = 'scheduler.heartbeat_at';
/** How often the scheduler writes it (an unref'd timer: it never keeps a process up). */
export const HEARTBEAT_EVERY_MS = 30_000;
/** Older than this, the scheduler is taken for stuck or killed: ten beats missed, as a run's heartbeat. */
export const HEARTBEAT_STALE_AFTER_MS = 10 * HEARTBEAT_EVERY_MS;

export function writeHeartbeat(db: Db, now: Date): void {
  db.prepare(
    'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
  ).run(HEARTBEAT_KEY, now.toISOString());
}

/** A clean stop removes it: no scheduler is then "no scheduler here" (jobs from cron), not a stale one. */
export function clearHeartbeat(db: Db): void {
  db.prepare('DELETE FROM meta WHERE key = ?').run(HEARTBEAT_KEY);
}

export function readHeartbeat(db: Db): string | null {
  return (db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(HEARTBEAT_KEY) as string) ?? null;
}

/** Milliseconds since the heartbeat; null when there is none or it cannot be read. */
export function heartbeatAge(at: string | null | undefined, now: Date): number | null {
  if (!at) return null;
  const t = Date.parse(at);
  return Number.isNaN(t) ? null : Math.max(0, now.getTime() - t);
}

/** Starts beating now and every `everyMs`; returns the stop function (which clears the heartbeat). */
export function startHeartbeat(
  db: Db,
  now: () => Date,
  onError: (err: Error) => void,
  everyMs = HEARTBEAT_EVERY_MS,
): () => void {
  const beat = () => {
    try {
      writeHeartbeat(db, now());
    } catch (err) {
      onError(err as Error);
    }
  };
  beat();
  const timer = setInterval(beat, everyMs);
  timer.unref();
  return () => {
    clearInterval(timer);
    try {
      if (db.open) clearHeartbeat(db);
    } catch (err) {
      onError(err as Error);
    }
  };
}
