// The scheduler's heartbeat in the `meta` table: written while `promowatch start` runs, read by
// /healthz, /metrics and `restore` (any process on the same database sees it, so a `serve` replica
// reports a scheduler that stopped elsewhere).
import type { Sql } from '../db/store/types.ts';

export const HEARTBEAT_KEY = 'scheduler.heartbeat_at';
/** How often the scheduler writes it (an unref'd timer: it never keeps a process up). */
export const HEARTBEAT_EVERY_MS = 30_000;
/** Older than this, the scheduler is taken for stuck or killed: ten beats missed, as a run's heartbeat. */
export const HEARTBEAT_STALE_AFTER_MS = 10 * HEARTBEAT_EVERY_MS;

export async function writeHeartbeat(sql: Sql, now: Date): Promise<void> {
  await sql.run(
    'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    [HEARTBEAT_KEY, now.toISOString()],
  );
}

/** A clean stop removes it: no scheduler is then "no scheduler here" (jobs from cron), not a stale one. */
export async function clearHeartbeat(sql: Sql): Promise<void> {
  await sql.run('DELETE FROM meta WHERE key = ?', [HEARTBEAT_KEY]);
}

export async function readHeartbeat(sql: Sql): Promise<string | null> {
  return (
    (await sql.get<{ value: string }>('SELECT value FROM meta WHERE key = ?', [HEARTBEAT_KEY]))?.value ?? null
  );
}

/** Milliseconds since the heartbeat; null when there is none or it cannot be read. */
export function heartbeatAge(at: string | null | undefined, now: Date): number | null {
  if (!at) return null;
  const t = Date.parse(at);
  return Number.isNaN(t) ? null : Math.max(0, now.getTime() - t);
}

/**
 * Starts beating now and every `everyMs`. `first` settles when the first beat is written (so a start
 * that awaits it is visible to /healthz at once, on PostgreSQL too); `stop` clears the heartbeat.
 */
export function startHeartbeat(
  sql: Sql,
  now: () => Date,
  onError: (err: Error) => void,
  everyMs = HEARTBEAT_EVERY_MS,
): { first: Promise<void>; stop: () => Promise<void> } {
  // Each beat waits for the one before, so the last write cannot land after the stop cleared it.
  let last: Promise<void> = Promise.resolve();
  const beat = () => {
    last = last.then(() => writeHeartbeat(sql, now())).catch((err: unknown) => onError(err as Error));
  };
  beat();
  const first = last;
  const timer = setInterval(beat, everyMs);
  timer.unref();
  const stop = async () => {
    clearInterval(timer);
    await last;
    await clearHeartbeat(sql).catch((err: unknown) => onError(err as Error));
  };
  return { first, stop };
}
