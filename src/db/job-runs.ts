// Queries for `job_runs`: one row per run of a job, kept as the history the Jobs page shows.
import type { Sql } from './store/types.ts';

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

function fromRow(row: Record<string, unknown>): JobRunRow {
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

// The liveness JSON is read whole and parsed here rather than with the dialects' different JSON
// operators; a value that is not JSON (damage, an older tool) reads as "no heartbeat".
const SELECT_RUNNING = `SELECT r.id, r.job, r.site_id AS siteId, r.started_at AS startedAt, r.pid, m.value AS liveness
  FROM job_runs r LEFT JOIN meta m ON m.key = 'job-run:' || r.id || ':liveness'
  WHERE r.status = 'running'`;

function runningFromRow(
  row: Omit<RunningRun, 'heartbeatAt' | 'processStartedAt'> & { liveness: string | null },
) {
  let live: { heartbeatAt?: unknown; processStartedAt?: unknown } = {};
  try {
    if (row.liveness !== null) live = (JSON.parse(row.liveness) as typeof live) ?? {};
  } catch {
    live = {};
  }
  const text = (v: unknown) => (typeof v === 'string' ? v : null);
  const { liveness: _raw, ...rest } = row;
  return { ...rest, heartbeatAt: text(live.heartbeatAt), processStartedAt: text(live.processStartedAt) };
}

type RunningRaw = Parameters<typeof runningFromRow>[0];

/** Runs recorded as running, with what their processes last said about themselves. */
export async function runningRuns(sql: Sql): Promise<RunningRun[]> {
  return (await sql.all<RunningRaw>(`${SELECT_RUNNING} ORDER BY r.id`)).map(runningFromRow);
}

const INTERRUPTED_ERROR = 'The process running this job stopped before it finished';

/**
 * Starts a run unless one of the same job and site is already running (in any live process); a row of
 * the same job whose process is gone is marked interrupted on the way. Check and insert happen in one
 * transaction (IMMEDIATE on SQLite), so two processes on one SQLite file cannot both start it; on
 * PostgreSQL the runner takes a run lock first (src/limits/run-lock.ts), since a pid says nothing there.
 */
export async function tryStartRun(
  sql: Sql,
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
): Promise<{ started: true; id: number } | { started: false; blockedBy: RunningRun }> {
  return sql.transaction(async (tx) => {
    const same = (
      await tx.all<RunningRaw>(`${SELECT_RUNNING} AND r.job = ? AND r.site_id IS NOT DISTINCT FROM ?`, [
        r.job,
        r.siteId,
      ])
    )
      .map(runningFromRow)
      .map((row) => ({ row, live: r.isLive(row) }));
    const running = same.find((s) => s.live);
    if (running) return { started: false as const, blockedBy: running.row };
    await markRunsInterrupted(
      tx,
      same.map((s) => s.row.id),
      now,
    );
    const id = (await tx.get<{ id: number }>(
      `INSERT INTO job_runs (job, site_id, trigger, started_at, status, pid) VALUES (?, ?, ?, ?, 'running', ?)
       RETURNING id`,
      [r.job, r.siteId, r.trigger, now.toISOString(), r.pid],
    ))!.id;
    await tx.run(
      `INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
      [
        livenessKey(id),
        JSON.stringify({ heartbeatAt: now.toISOString(), processStartedAt: r.processStartedAt ?? null }),
      ],
    );
    return { started: true as const, id };
  });
}

/** The running process's sign of life; other processes judge a run by how long ago this was. */
export async function recordHeartbeat(sql: Sql, id: number, now: Date): Promise<void> {
  // One statement, so it never overwrites a liveness row another process has just removed.
  const set =
    sql.dialect === 'postgres'
      ? `jsonb_set(value::jsonb, '{heartbeatAt}', to_jsonb(CAST(? AS text)))::text`
      : `json_set(value, '$.heartbeatAt', ?)`;
  await sql.run(`UPDATE meta SET value = ${set} WHERE key = ? AND json_valid(value)`, [
    now.toISOString(),
    livenessKey(id),
  ]);
}

export async function finishRun(
  sql: Sql,
  id: number,
  outcome: { status: Exclude<RunStatus, 'running'>; counts?: Record<string, number>; error?: string },
  now: Date,
): Promise<void> {
  await sql.transaction(async (tx) => {
    await tx.run(`UPDATE job_runs SET status = ?, finished_at = ?, counts = ?, error = ? WHERE id = ?`, [
      outcome.status,
      now.toISOString(),
      JSON.stringify(outcome.counts ?? {}),
      outcome.error ?? null,
      id,
    ]);
    await tx.run(`DELETE FROM meta WHERE key = ?`, [livenessKey(id)]);
  });
}

async function markRunsInterrupted(tx: Sql, ids: readonly number[], now: Date): Promise<void> {
  for (const id of ids) {
    await tx.run(
      `UPDATE job_runs SET status = 'interrupted', finished_at = ?, error = ? WHERE id = ? AND status = 'running'`,
      [now.toISOString(), INTERRUPTED_ERROR, id],
    );
    await tx.run(`DELETE FROM meta WHERE key = ?`, [livenessKey(id)]);
  }
}

/** Marks runs left `running` by a process that no longer exists as interrupted; returns their ids. */
export async function markInterrupted(
  sql: Sql,
  isLive: (row: RunningRun) => boolean,
  now: Date,
): Promise<number[]> {
  return sql.transaction(async (tx) => {
    const stale = (await runningRuns(tx)).filter((r) => !isLive(r)).map((r) => r.id);
    await markRunsInterrupted(tx, stale, now);
    // Liveness left behind by a run that ended some other way (e.g. pruned history).
    await tx.run(
      `DELETE FROM meta WHERE key LIKE 'job-run:%:liveness' AND NOT EXISTS
         (SELECT 1 FROM job_runs r WHERE r.status = 'running' AND meta.key = 'job-run:' || r.id || ':liveness')`,
    );
    return stale;
  });
}

export async function lastRun(sql: Sql, job: string, siteId: number | null): Promise<JobRunRow | undefined> {
  const row = await sql.get(
    `${SELECT} WHERE r.job = ? AND r.site_id IS NOT DISTINCT FROM ? ORDER BY r.started_at DESC, r.id DESC LIMIT 1`,
    [job, siteId],
  );
  return row && fromRow(row);
}

export async function listRuns(
  sql: Sql,
  filter: { siteId?: number | null; job?: string; limit?: number } = {},
): Promise<JobRunRow[]> {
  const where: string[] = [];
  const args: unknown[] = [];
  if (filter.job !== undefined) {
    where.push('r.job = ?');
    args.push(filter.job);
  }
  if (filter.siteId !== undefined && filter.siteId !== null) {
    where.push('(r.site_id = ? OR r.site_id IS NULL)');
    args.push(filter.siteId);
  }
  const rows = await sql.all(
    `${SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY r.started_at DESC, r.id DESC LIMIT ?`,
    [...args, filter.limit ?? 100],
  );
  return rows.map(fromRow);
}

/** Runs per day (in `timeZone`) and status, for one site's jobs plus the install-wide ones. */
export async function runsByDay(
  sql: Sql,
  siteId: number | null,
  timeZone: string,
  from: Date,
  to: Date,
): Promise<Map<string, Record<RunStatus, number>>> {
  // siteId null = every site's runs; otherwise that site's and the install-wide ones.
  const rows = await sql.all<{ startedAt: string; status: RunStatus }>(
    `SELECT started_at AS startedAt, status FROM job_runs
     WHERE ${siteId === null ? '' : '(site_id IS NULL OR site_id = ?) AND '}started_at >= ? AND started_at < ?`,
    [...(siteId === null ? [] : [siteId]), from.toISOString(), to.toISOString()],
  );
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
