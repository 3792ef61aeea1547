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

/** Starts a run unless one of the same job and site is already running (in any live process).
 * Check and insert happen in one IMMEDIATE transaction, so two processes cannot both start it. */
export function tryStartRun(
  db: Db,
  r: {
    job: string;
    siteId: number | null;
    trigger: RunTrigger;
    pid: number;
    /** Whether the process that holds a running row is still at it. */
    isLive: (row: { id: number; pid: number }) => boolean;
  },
  now: Date,
): { started: true; id: number } | { started: false; blockedBy: JobRunRow } {
  return db
    .transaction(() => {
      const running = db
        .prepare(`${SELECT} WHERE r.job = ? AND r.site_id IS ? AND r.status = 'running'`)
        .all(r.job, r.siteId)
        .map(fromRow)
        .find((row) => r.isLive(row));
      if (running) return { started: false as const, blockedBy: running };
      const res = db
        .prepare(
          `INSERT INTO job_runs (job, site_id, trigger, started_at, status, pid) VALUES (?, ?, ?, ?, 'running', ?)`,
        )
        .run(r.job, r.siteId, r.trigger, now.toISOString(), r.pid);
      return { started: true as const, id: Number(res.lastInsertRowid) };
    })
    .immediate();
}

export function finishRun(
  db: Db,
  id: number,
  outcome: { status: Exclude<RunStatus, 'running'>; counts?: Record<string, number>; error?: string },
  now: Date,
): void {
  db.prepare(`UPDATE job_runs SET status = ?, finished_at = ?, counts = ?, error = ? WHERE id = ?`).run(
    outcome.status,
    now.toISOString(),
    JSON.stringify(outcome.counts ?? {}),
    outcome.error ?? null,
    id,
  );
}

/** Marks runs left `running` by a process that no longer exists as interrupted; returns how many. */
export function markInterrupted(
  db: Db,
  isLive: (row: { id: number; pid: number }) => boolean,
  now: Date,
): number {
  const stale = (
    db.prepare(`SELECT id, pid FROM job_runs WHERE status = 'running'`).all() as { id: number; pid: number }[]
  ).filter((r) => !isLive(r));
  const mark = db.prepare(
    `UPDATE job_runs SET status = 'interrupted', finished_at = ?, error = 'The process running this job stopped before it finished' WHERE id = ?`,
  );
  db.transaction(() => stale.forEach((r) => mark.run(now.toISOString(), r.id)))();
  return stale.length;
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
