// One measured run of bench:scale: every backlink of the world checked through the queue, either on SQLite
// with the in-process queue (what `promowatch start` does) or on PostgreSQL with N `promowatch worker`
// processes. Returns throughput, queue latency, database writes and whether every link was checked once.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { JOB_NAMES } from '../../../jobs/index.ts';
import { loadConfig } from '../../../src/config/load.ts';
import { openDatabase, closeDatabase } from '../../../src/db/open.ts';
import { openStore } from '../../../src/db/store/open.ts';
import { storeOf } from '../../../src/db/store/sqlite.ts';
import type { Sql } from '../../../src/db/store/types.ts';
import type { BacklinkSettings } from '../../../src/backlinks/monitor.ts';
import { fanOut } from '../../../src/queue/fan-out.ts';
import { InProcessQueue } from '../../../src/queue/in-process.ts';
import { programTaskKinds } from '../../../src/queue/kinds.ts';
import { PgBossQueue } from '../../../src/queue/pg-boss.ts';
import type { Task, TaskQueue } from '../../../src/queue/types.ts';
import { createLogger } from '../../../src/util/log.ts';
import { linkTask, LINKS_KIND } from './links-kind.ts';
import { correctness, seedWorld, SITE, type Correctness, type World } from './world.ts';

export interface Workload {
  origins: string[];
  /** How long one run may take before it counts as stuck. */
  timeoutSeconds: number;
  pages: number;
  /** Tasks at once per process (`promowatch worker --concurrency`, and the in-process queue's). */
  concurrency: number;
  /** Per donor host: one request at a time, starts at least this far apart. */
  minDelayMs: number;
  root: string;
}

export interface RunResult {
  label: string;
  processes: number;
  mode: Mode;
  /** First enqueue → fanOut saw the last task finish. */
  seconds: number;
  /** First enqueue → last enqueue (fanOut enqueues one task after the other). */
  enqueueSeconds: number;
  /** First task start → last task finish. */
  workSeconds: number;
  checksPerSecond: number;
  /** Checks per second while the workers worked: what they manage when the queue keeps them fed. */
  workChecksPerSecond: number;
  /** Enqueue → start of each task, ms. */
  latencyP50: number;
  latencyP95: number;
  /** Tasks whose start was seen (one per link when nothing was retried). */
  started: number;
  /** Rows inserted, updated or deleted per second: promowatch's tables, and the queue's (pg-boss). */
  dataRowsPerSecond: number;
  queueRowsPerSecond: number | null;
  dataRowsPerCheck: number;
  correct: Correctness;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** live: workers run while the job fans out (as in production); prefilled: workers start on a full queue. */
export type Mode = 'live' | 'prefilled';

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** The site's backlink settings: per-host politeness, no rendering (the workload is static checks). */
export const settingsOf = (w: Workload): BacklinkSettings => ({
  minDelayMs: w.minDelayMs,
  concurrency: w.concurrency,
  timeoutMs: 20_000,
  render: 'never',
  screenshots: false,
});

/** The config every process reads: the site and its settings. */
function writeConfig(dir: string, w: Workload): string {
  const file = join(dir, 'promowatch.config.json');
  writeFileSync(file, JSON.stringify({ sites: [{ ...SITE, backlinks: settingsOf(w) }] }));
  return file;
}

/**
 * What check-backlinks does with a queue: one keyed task per link (in the world's host-interleaved order),
 * then waits until every one has finished. Notes each task's enqueue time in `enqueuedAt`; resolves with
 * the moment fanOut saw the last task finish (it looks every 250 ms).
 */
async function fanOutAll(
  queue: TaskQueue,
  world: World,
  w: Workload,
  dir: string,
  enqueuedAt: Map<string, number>,
): Promise<number> {
  const settings = settingsOf(w);
  const items = world.links.map((link) => linkTask(world.runId, link.id, settings, join(dir, 'evidence')));
  const out = await fanOut(timedQueue(queue, enqueuedAt), LINKS_KIND, items, {
    signal: AbortSignal.timeout(w.timeoutSeconds * 1000),
  });
  if (out.failed.length)
    throw new Error(
      `${out.failed.length} link checks failed for good, e.g. ${out.failed
        .slice(0, 3)
        .map((f) => `${f.key}: ${f.error}`)
        .join('; ')}`,
    );
  return performance.now();
}

/** The queue with each task's enqueue time noted (fanOut enqueues; the latency counts from there). */
function timedQueue(queue: TaskQueue, enqueuedAt: Map<string, number>): TaskQueue {
  return {
    backend: queue.backend,
    enqueue: async (kind, payload, options) => {
      const at = performance.now();
      const out = await queue.enqueue(kind, payload, options);
      enqueuedAt.set(out.id, at);
      return out;
    },
    // A batch's tasks count from when the batch was asked for (they become visible at its commit).
    enqueueMany: async (kind, items) => {
      const at = performance.now();
      const out = await queue.enqueueMany(kind, items);
      for (const o of out) enqueuedAt.set(o.id, at);
      return out;
    },
    work: (kinds, concurrency, signal) => queue.work(kinds, concurrency, signal),
    depth: () => queue.depth(),
    outcomes: (kind, ids) => queue.outcomes(kind, ids),
    failures: (limit) => queue.failures(limit),
    close: () => queue.close(),
  };
}

/** Resolves once fanOut has enqueued every link (it then waits; the tasks are in the queue). */
async function allEnqueued(enqueuedAt: Map<string, number>, n: number, fanning: Promise<number>) {
  while (enqueuedAt.size < n) await Promise.race([pause(50), fanning]);
}

interface Measured {
  label: string;
  mode: Mode;
  processes: number;
  enqueuedAt: Map<string, number>;
  /** When fanOut saw the last task finish (performance.now()). */
  finished: number;
  /** First task start → last task finish, in seconds. */
  workSeconds: number;
  latencies: number[];
  dataRows: number;
  queueRows: number | null;
  correct: Correctness;
}

function result(m: Measured): RunResult {
  const sorted = [...m.latencies].sort((a, b) => a - b);
  const times = [...m.enqueuedAt.values()];
  const t0 = Math.min(...times);
  const seconds = (m.finished - t0) / 1000;
  // Live: the database works for the whole fan-out. Prefilled: its rows are counted from the workers' start.
  const rowSeconds = m.mode === 'live' ? seconds : m.workSeconds;
  return {
    label: m.label,
    mode: m.mode,
    processes: m.processes,
    seconds,
    enqueueSeconds: (Math.max(...times) - t0) / 1000,
    workSeconds: m.workSeconds,
    checksPerSecond: m.correct.checks / seconds,
    workChecksPerSecond: m.correct.checks / m.workSeconds,
    latencyP50: m.mode === 'live' ? percentile(sorted, 50) : NaN,
    latencyP95: m.mode === 'live' ? percentile(sorted, 95) : NaN,
    started: sorted.length,
    dataRowsPerSecond: m.dataRows / rowSeconds,
    queueRowsPerSecond: m.queueRows === null ? null : m.queueRows / rowSeconds,
    dataRowsPerCheck: m.dataRows / Math.max(1, m.correct.checks),
    correct: m.correct,
  };
}

/** SQLite file, the in-process queue worked by this process — what `promowatch start` does. */
export async function runInProcess(w: Workload, mode: Mode): Promise<RunResult> {
  const dir = mkdtempSync(join(tmpdir(), 'promowatch-bench-scale-'));
  const db = openDatabase(join(dir, 'bench.db'));
  const sql = storeOf(db);
  try {
    const world = await seedWorld(sql, w.origins, w.pages, new Date());
    const config = loadConfig(writeConfig(dir, w), {}, JOB_NAMES).config;
    const log = createLogger({ write: () => undefined });
    const enqueuedAt = new Map<string, number>();
    const latencies: number[] = [];
    let firstStart = Infinity;
    let lastFinish = 0;
    const queue = new InProcessQueue({
      registry: programTaskKinds(),
      deps: { sql, log, now: () => new Date(), fetch: globalThis.fetch, config },
      events: {
        started: (t: Task) => {
          const now = performance.now();
          firstStart = Math.min(firstStart, now);
          latencies.push(now - enqueuedAt.get(t.id)!);
        },
        completed: () => void (lastFinish = performance.now()),
        failed: () => void (lastFinish = performance.now()),
        released: () => undefined,
      },
    });
    const stop = new AbortController();
    let working: Promise<void> | null = null;
    let changesBefore = totalChanges(db);
    if (mode === 'live') working = queue.work([LINKS_KIND], w.concurrency, stop.signal);
    const fanning = fanOutAll(queue, world, w, dir, enqueuedAt);
    if (mode === 'prefilled') {
      await allEnqueued(enqueuedAt, world.links.length, fanning);
      changesBefore = totalChanges(db);
      working = queue.work([LINKS_KIND], w.concurrency, stop.signal);
    }
    const finished = await fanning;
    stop.abort();
    await working;
    await queue.close();
    return result({
      label: 'SQLite, in-process queue',
      mode,
      processes: 1,
      enqueuedAt,
      finished,
      workSeconds: (lastFinish - firstStart) / 1000,
      latencies,
      dataRows: totalChanges(db) - changesBefore,
      queueRows: null,
      correct: await correctness(sql, world),
    });
  } finally {
    closeDatabase(db);
    rmSync(dir, { recursive: true, force: true });
  }
}

const totalChanges = (db: ReturnType<typeof openDatabase>) =>
  (db.prepare('SELECT total_changes() AS n').get() as { n: number }).n;

interface WorkerProcess {
  child: ChildProcess;
  ready: Promise<void>;
  exited: Promise<number | null>;
  tail: () => string;
}

function startWorker(w: Workload, env: NodeJS.ProcessEnv, live: Set<ChildProcess>): WorkerProcess {
  // The real command, as an operator starts it: `promowatch worker --kinds links --concurrency N`.
  const child = spawn(
    process.execPath,
    ['src/cli/bin.mjs', 'worker', '--kinds', LINKS_KIND, '--concurrency', String(w.concurrency)],
    { cwd: w.root, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  live.add(child);
  const lines: string[] = [];
  let isReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (isReady = resolve));
  for (const stream of [child.stdout!, child.stderr!])
    createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
      if (line.includes('worker: taking')) isReady();
      lines.push(line);
      if (lines.length > 40) lines.shift();
    });
  const exited = new Promise<number | null>((resolve) =>
    child.on('close', (code) => {
      live.delete(child);
      resolve(code);
    }),
  );
  return { child, ready, exited, tail: () => lines.join('\n') };
}

/** Rows inserted + updated + deleted so far, per schema (public = promowatch's tables, pgboss = the queue). */
async function rowsWritten(url: string): Promise<{ data: number; queue: number }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ schemaname: string; n: string }>(
      `SELECT schemaname, sum(n_tup_ins + n_tup_upd + n_tup_del)::bigint AS n FROM pg_stat_user_tables
        GROUP BY schemaname`,
    );
    const of = (schema: string) => Number(rows.find((r) => r.schemaname === schema)?.n ?? 0);
    return { data: of('public'), queue: of('pgboss') };
  } finally {
    await client.end();
  }
}

/** A fresh database on the cluster, `workers` worker processes, every link enqueued by this process. */
export async function runPostgres(
  w: Workload,
  createDatabase: () => Promise<string>,
  workers: number,
  mode: Mode,
  live: Set<ChildProcess>,
): Promise<RunResult> {
  const url = await createDatabase();
  const dir = mkdtempSync(join(tmpdir(), 'promowatch-bench-scale-'));
  const procs: WorkerProcess[] = [];
  let producer: PgBossQueue | null = null;
  let sql: Sql | null = await openStore({ kind: 'postgres', url });
  try {
    const world = await seedWorld(sql, w.origins, w.pages, new Date());
    const configFile = writeConfig(dir, w);
    const config = loadConfig(configFile, {}, JOB_NAMES).config;
    // The scheduler's side: it installs the queue's schema before any worker starts.
    producer = await PgBossQueue.open({
      url,
      registry: programTaskKinds(),
      deps: {
        sql,
        log: createLogger({ level: 'warn' }),
        now: () => new Date(),
        fetch: globalThis.fetch,
        config,
      },
      poolSize: 2,
    });
    const env = {
      PATH: process.env.PATH!,
      HOME: process.env.HOME!,
      PROMOWATCH_CONFIG: configFile,
      PROMOWATCH_DATABASE_URL: url,
      // An idle worker asks for tasks twice a second (the default is every 2 s).
      PROMOWATCH_QUEUE_POLL_SECONDS: '0.5',
      PROMOWATCH_WORKER_GRACE_SECONDS: '5',
    };
    const tails = () => procs.map((p, i) => `--- worker ${i + 1} ---\n${p.tail()}`).join('\n');
    let failedEarly: Promise<never> = new Promise(() => undefined);
    const startWorkers = async () => {
      for (let i = 0; i < workers; i++) procs.push(startWorker(w, env, live));
      failedEarly = Promise.race(procs.map((p) => p.exited)).then((code) => {
        throw new Error(`A worker exited (code ${code}) before the run ended:\n${tails()}`);
      });
      failedEarly.catch(() => undefined);
      await Promise.race([Promise.all(procs.map((p) => p.ready)), failedEarly]);
    };
    // Statistics reach pg_stat_* within a second of a transaction's end.
    const snapshot = async () => (await pause(1500), rowsWritten(url));
    const enqueuedAt = new Map<string, number>();
    let before: { data: number; queue: number };
    let fanning: Promise<number>;
    if (mode === 'live') {
      await startWorkers();
      before = await snapshot();
      fanning = fanOutAll(producer, world, w, dir, enqueuedAt);
    } else {
      fanning = fanOutAll(producer, world, w, dir, enqueuedAt);
      await allEnqueued(enqueuedAt, world.links.length, fanning);
      before = await snapshot();
      await startWorkers();
    }
    const finished = await Promise.race([fanning, failedEarly]);
    const waits = await sql.all<{ ms: number }>(
      `SELECT (extract(epoch FROM started_on - created_on) * 1000)::float8 AS ms FROM pgboss.job
        WHERE name = ? AND started_on IS NOT NULL`,
      [LINKS_KIND],
    );
    const span = (await sql.get<{ s: number }>(
      `SELECT extract(epoch FROM max(completed_on) - min(started_on))::float8 AS s FROM pgboss.job WHERE name = ?`,
      [LINKS_KIND],
    ))!;

    // Stopped workers and a closed producer have flushed their statistics.
    for (const p of procs) p.child.kill('SIGTERM');
    await Promise.all(procs.map((p) => p.exited));
    await producer.close();
    producer = null;
    const seeded = sql;
    sql = null;
    await seeded.close();
    await pause(500);
    const after = await rowsWritten(url);
    sql = await openStore({ kind: 'postgres', url });
    return result({
      label: `PostgreSQL, ${workers} worker${workers > 1 ? 's' : ''}`,
      mode,
      processes: workers,
      enqueuedAt,
      finished,
      workSeconds: Number(span.s),
      latencies: waits.map((r) => Number(r.ms)),
      dataRows: after.data - before.data,
      queueRows: after.queue - before.queue,
      correct: await correctness(sql, world),
    });
  } finally {
    for (const p of procs)
      if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
    await producer?.close();
    await sql?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
