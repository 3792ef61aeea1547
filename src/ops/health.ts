// GET /healthz for load balancers and container health checks: the database answers, the scheduler
// (if this install has one) beats, the queue is there. It says nothing else: no site, no version.
import { heartbeatAge, HEARTBEAT_STALE_AFTER_MS, readHeartbeat } from './heartbeat.ts';
import type { Dialect, Sql } from '../db/store/types.ts';
import type { TaskQueue } from '../queue/types.ts';
import { queueBackend, type QueueBackend } from './metrics.ts';

export type HealthStatus = 'ok' | 'degraded' | 'down';

export interface Health {
  status: HealthStatus;
  checks: {
    /** `backend` lets the PostgreSQL store report itself the same way. */
    database: { ok: boolean; ms: number; backend: Dialect };
    /** lastHeartbeat null: no scheduler runs on this database (jobs from system cron, or it stopped
     * cleanly), which is healthy; a heartbeat older than the stale limit is not. */
    scheduler: { ok: boolean; lastHeartbeat: string | null };
    queue: { ok: boolean; backend: QueueBackend };
  };
}

/**
 * down (503): the database does not answer. degraded (503): it answers but the scheduler's heartbeat
 * is stale (killed or stuck). ok (200) otherwise. `elapsed` measures the database check (injected so
 * tests need no real timing).
 */
export async function checkHealth(
  sql: Sql,
  now: Date,
  elapsed: () => () => number = stopwatch,
  /** The queue attached to this process, when there is one. */
  queue?: Pick<TaskQueue, 'backend'>,
): Promise<{ code: 200 | 503; body: Health }> {
  const done = elapsed();
  let databaseOk = true;
  let heartbeat: string | null = null;
  try {
    heartbeat = await readHeartbeat(sql);
  } catch {
    databaseOk = false;
  }
  const ms = Math.round(done() * 10) / 10;
  const age = heartbeatAge(heartbeat, now);
  const schedulerOk = heartbeat === null || (age !== null && age < HEARTBEAT_STALE_AFTER_MS);
  const status: HealthStatus = !databaseOk ? 'down' : schedulerOk ? 'ok' : 'degraded';
  return {
    code: status === 'ok' ? 200 : 503,
    body: {
      status,
      checks: {
        database: { ok: databaseOk, ms, backend: sql.dialect },
        scheduler: { ok: databaseOk && schedulerOk, lastHeartbeat: heartbeat },
        queue: { ok: databaseOk, backend: queueBackend(queue) },
      },
    },
  };
}

function stopwatch(): () => number {
  const t = performance.now();
  return () => performance.now() - t;
}
