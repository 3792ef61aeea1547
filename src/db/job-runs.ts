// Queries for `job_runs`: one row per run of a job, kept as the history the Jobs page shows.
import type { Db } from './open.ts';

export type RunStatus = 'running' | 'ok' | 'failed' | 'interrupted';
export type RunTrigger = 'schedule' | 'catch-up' | 'manual' | 'cli' | 'demo';

export interface JobRunRow {
  id: number;
  job: string;
  siteId: number | null;
  siteName: string | null;
  trigger: RunTrigger;
  startedAt: string;
  finishedAt: string | null;
  status: RunStatus;
  counts: Record<string, number>;
  error: string | null;
  pid: number;
}

const SELECT = `SELECT r.id, r.job, r.site_id AS siteId, s.name AS siteName, r.trigger, r.started_at AS startedAt,
  r.finished_at AS finishedAt, r.status, r.counts, r.error, r.pid
  FROM job_runs r LEFT JOIN sites s ON s.id = r.site_id`;

function fromRow(raw: unknown): JobRunRow {
  const row = raw as Record<string, unknown>;
  return {
    ...(row as unknown as JobRunRow),
    counts: JSON.parse(row.counts as string) as Record<string, number>,
  };
}

/**
 * What tells a live run from one whose process is gone: the pid, when that process started (Linux;
 * a reused pid has a different start time) and a heartbeat the running process refreshes. Kept in
 * `meta` under one key per running run, removed when the run ends: transient bookkeeping that needs
 * no column (see liveCheck in jobs/runner.ts).
 */
export interface RunningRun {
  id: number;
  job: string;
  siteId: number | null;
  startedAt: string;
  pid: number;
  /** Null for a row written before heartbeats existed. */
  heartbeatAt: string | null;
  processStartedAt: string | null;
}

const livenessKey = (id: number) => `job-run:${id}:liveness`;

const SELECT_RUNNING = `SELECT r.id, r.job, r.site_id AS siteId, r.started_at AS startedAt, r.pid,
  m.value ->> '$.heartbeatAt' AS heartbeatAt, m.value ->> '$.processStartedAt' AS processStartedAt
  FROM job_runs r LEFT JOIN meta m ON m.key = 'job-run:' || r.id || ':liveness' AND json_valid(m.value)
  WHERE r.status = 'running'`;

/** Runs recorded as running, with what their processes last said about themselves. */
export function runningRuns(db: Db): RunningRun[] {
  return db.prepare(`${SELECT_RUNNING} ORDER BY r.id`).all() as RunningRun[];
}

const INTERRUPTED_ERROR = 'The process running this job stopped before it finished';

/**
 * Starts a run unless one of the same job and site is already running (in any live process); a row of
 * the same job whose process is gone is marked interrupted on the way. Check and insert happen in one
 * IMMEDIATE transaction, so two processes cannot both start it.
 */
export function tryStartRun(
  db: Db,
  r: {
    job: string;
    siteId: number | null;
    trigger: RunTrigger;
    pid: number;
    /** The start time of process `pid` (processStartTime), null where unknown. */
    processStartedAt?: string | null;
    /** Whether the process that holds a running row is still at it. */
    isLive: (row: RunningRun) => boolean;
  },
  now: Date,
): { started: true; id: number } | { started: false; blockedBy: RunningRun } {
  return db
    .transaction(() => {
      const same = (
        db.prepare(`${SELECT_RUNNING} AND r.job = ? AND r.site_id IS ?`).all(r.job, r.siteId) as RunningRun[]
      ).map((row) => ({ row, live: r.isLive(row) }));
      const running = same.find((s) => s.live);
      if (running) return { started: false as const, blockedBy: running.row };
      markRunsInterrupted(
        db,
        same.map((s) => s.row.id),
        now,
      );
      const res = db
        .prepare(
          `INSERT INTO job_runs (job, site_id, trigger, started_at, status, pid) VALUES (?, ?, ?, ?, 'running', ?)`,
        )
        .run(r.job, r.siteId, r.trigger, now.toISOString(), r.pid);
      const id = Number(res.lastInsertRowid);
      db.prepare(`INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)`).run(
        livenessKey(id),
        JSON.stringify({ heartbeatAt: now.toISOString(), processStartedAt: r.processStartedAt ?? null }),
      );
      return { started: true as const, id };
    })
    .immediate();
}

/** The running process's sign of life; other processes judge a run by how long ago this was. */
export function recordHeartbeat(db: Db, id: number, now: Date): void {
  db.prepare(`UPDATE meta SET value = json_set(value, '$.heartbeatAt', ?) WHERE key = ?`).run(
    now.toISOString(),
    livenessKey(id),
  );
}

export function finishRun(
  db: Db,
  id: number,
  outcome: { status: Exclude<RunStatus, 'running'>; counts?: Record<string, number>; error?: string },
  now: Date,
): void {
  db.transaction(() => {
    db.prepare(`UPDATE job_runs SET status = ?, finished_at = ?, counts = ?, error = ? WHERE id = ?`).run(
      outcome.status,
      now.toISOString(),
      JSON.stringify(outcome.counts ?? {}),
      outcome.error ?? null,
      id,
    );
    db.prepare(`DELETE FROM meta WHERE key = ?`).run(livenessKey(id));
  })();
}

function markRunsInterrupted(db: Db, ids: readonly number[], now: Date): void {
  const mark = db.prepare(
    `UPDATE job_runs SET status = 'interrupted', finished_at = ?, error = ? WHERE id = ? AND status = 'running'`,
  );
  const forget = db.prepare(`DELETE FROM meta WHERE key = ?`);
  for (const id of ids) {
    mark.run(now.toISOString(), INTERRUPTED_ERROR, id);
    forget.run(livenessKey(id));
  }
}

/** Marks runs left `running` by a process that no longer exists as interrupted; returns their ids. */
export function markInterrupted(db: Db, isLive: (row: RunningRun) => boolean, now: Date): number[] {
  return db
    .transaction(() => {
      const stale = runningRuns(db)
        .filter((r) => !isLive(r))
        .map((r) => r.id);
      markRunsInterrupted(db, stale, now);
      // Liveness left behind by a run that ended some other way (e.g. pruned history).
      db.prepare(
        `DELETE FROM meta WHERE key GLOB 'job-run:*:liveness' AND NOT EXISTS
           (SELECT 1 FROM job_runs r WHERE r.status = 'running' AND meta.key = 'job-run:' || r.id || ':liveness')`,
      ).run();
      return stale;
    })
    .immediate();
}

export function lastRun(db: Db, job: string, siteId: number | null): JobRunRow | undefined {
  const row = db
    .prepare(`${SELECT} WHERE r.job = ? AND r.site_id IS ? ORDER BY r.started_at DESC, r.id DESC LIMIT 1`)
    .get(job, siteId) as Record<string, unknown> | undefined;
  return row && fromRow(row);
}

export function listRuns(
  db: Db,
  filter: { siteId?: number | null; job?: string; limit?: number } = {},
): JobRunRow[] {
  return db
    .prepare(
      `${SELECT} WHERE (@job IS NULL OR r.job = @job) AND (@site IS NULL OR r.site_id = @site OR r.site_id IS NULL)
       ORDER BY r.started_at DESC, r.id DESC LIMIT @limit`,
    )
    .all({ job: filter.job ?? null, site: filter.siteId ?? null, limit: filter.limit ?? 100 })
    .map((r) => fromRow(r as Record<string, unknown>));
}

/** Runs per day (in `timeZone`) and status, for one site's jobs plus the install-wide ones. */
export function runsByDay(
  db: Db,
  siteId: number | null,
  timeZone: string,
  from: Date,
  to: Date,
): Map<string, Record<RunStatus, number>> {
  const rows = db
    .prepare(
      `SELECT started_at AS startedAt, status FROM job_runs
       WHERE (site_id IS NULL OR site_id IS ? OR ? IS NULL) AND started_at >= ? AND started_at < ?`,
    )
    .all(siteId, siteId, from.toISOString(), to.toISOString()) as { startedAt: string; status: RunStatus }[];
  const fmt = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });
  const out = new Map<string, Record<RunStatus, number>>();
  for (const r of rows) {
    const day = fmt.format(new Date(r.startedAt));
    const rec = out.get(day) ?? { running: 0, ok: 0, failed: 0, interrupted: 0 };
    rec[r.status]++;
    out.set(day, rec);
  }
  return out;
}
