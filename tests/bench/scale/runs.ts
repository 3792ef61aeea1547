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
import { InProcessQueue } from '../../../src/queue/in-process.ts';
import { programTaskKinds } from '../../../src/queue/kinds.ts';
import { PgBossQueue } from '../../../src/queue/pg-boss.ts';
import type { Task, TaskQueue } from '../../../src/queue/types.ts';
import { createLogger } from '../../../src/util/log.ts';
import { linkTask, LINKS_KIND, registryWithLinks } from './links-kind.ts';
import { correctness, seedWorld, SITE, type Correctness, type World } from './world.ts';

export interface Workload {
  origins: string[];
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
  seconds: number;
  checksPerSecond: number;
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

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** The config every process reads: the site, and its per-host politeness for backlink checks. */
function writeConfig(dir: string, w: Workload): string {
  const file = join(dir, 'promowatch.config.json');
  const backlinks = {
    minDelayMs: w.minDelayMs,
    concurrency: w.concurrency,
    timeoutMs: 20_000,
    render: 'never',
  };
  writeFileSync(file, JSON.stringify({ sites: [{ ...SITE, backlinks }] }));
  return file;
}

/** Enqueues every link's task, in the world's host-interleaved order, keyed as check-backlinks keys them. */
async function enqueueAll(queue: TaskQueue, world: World, onEnqueued?: (id: string) => void): Promise<void> {
  for (const link of world.links) {
    const { payload, key } = linkTask(world.siteId, link.id, world.runId);
    const { id } = await queue.enqueue(LINKS_KIND, payload, { key });
    onEnqueued?.(id);
  }
}

function result(
  label: string,
  processes: number,
  seconds: number,
  latencies: number[],
  dataRows: number,
  queueRows: number | null,
  correct: Correctness,
): RunResult {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    label,
    processes,
    seconds,
    checksPerSecond: correct.checks / seconds,
    latencyP50: percentile(sorted, 50),
    latencyP95: percentile(sorted, 95),
    started: sorted.length,
    dataRowsPerSecond: dataRows / seconds,
    queueRowsPerSecond: queueRows === null ? null : queueRows / seconds,
    dataRowsPerCheck: dataRows / Math.max(1, correct.checks),
    correct,
  };
}

/** SQLite file, the in-process queue worked by this process — what `promowatch start` does. */
export async function runInProcess(w: Workload): Promise<RunResult> {
  const dir = mkdtempSync(join(tmpdir(), 'promowatch-bench-scale-'));
  const db = openDatabase(join(dir, 'bench.db'));
  const sql = storeOf(db);
  try {
    const world = await seedWorld(sql, w.origins, w.pages, new Date());
    const config = loadConfig(writeConfig(dir, w), {}, JOB_NAMES).config;
    const log = createLogger({ write: () => undefined });
    const enqueuedAt = new Map<string, number>();
    const latencies: number[] = [];
    let settled = 0;
    let last = 0;
    let allSettled: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (allSettled = resolve));
    const settle = () => {
      last = performance.now();
      if (++settled === world.links.length) allSettled();
    };
    const queue = new InProcessQueue({
      registry: registryWithLinks(programTaskKinds()),
      deps: { sql, log, now: () => new Date(), fetch: globalThis.fetch, config },
      events: {
        started: (t: Task) => latencies.push(performance.now() - enqueuedAt.get(t.id)!),
        completed: settle,
        failed: (_t, _e, willRetry) => void (willRetry || settle()),
        released: () => undefined,
      },
    });
    const changesBefore = totalChanges(db);
    const stop = new AbortController();
    const working = queue.work([LINKS_KIND], w.concurrency, stop.signal);
    const t0 = performance.now();
    await enqueueAll(queue, world, (id) => enqueuedAt.set(id, performance.now()));
    await done;
    const seconds = (last - t0) / 1000;
    stop.abort();
    await working;
    await queue.close();
    const rows = totalChanges(db) - changesBefore;
    return result(
      'SQLite, in-process queue',
      1,
      seconds,
      latencies,
      rows,
      null,
      await correctness(sql, world),
    );
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
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'tests/bench/scale/worker-entry.ts', String(w.concurrency)],
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

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A fresh database on the cluster, `workers` worker processes, every link enqueued by this process. */
export async function runPostgres(
  w: Workload,
  createDatabase: () => Promise<string>,
  workers: number,
  live: Set<ChildProcess>,
  timeoutSeconds: number,
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
      registry: registryWithLinks(programTaskKinds()),
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
    for (let i = 0; i < workers; i++) procs.push(startWorker(w, env, live));
    const tails = () => procs.map((p, i) => `--- worker ${i + 1} ---\n${p.tail()}`).join('\n');
    const failedEarly = Promise.race(procs.map((p) => p.exited)).then((code) => {
      throw new Error(`A worker exited (code ${code}) before the run ended:\n${tails()}`);
    });
    failedEarly.catch(() => undefined);
    await Promise.race([Promise.all(procs.map((p) => p.ready)), failedEarly]);
    // Statistics reach pg_stat_* within a second of a transaction's end.
    await pause(1500);
    const before = await rowsWritten(url);

    const t0 = Date.now();
    await Promise.race([enqueueAll(producer, world), failedEarly]);
    const until = t0 + timeoutSeconds * 1000;
    for (;;) {
      const counts = (await sql.get<{ done: number; failed: number }>(
        `SELECT count(*) FILTER (WHERE state = 'completed') AS done, count(*) FILTER (WHERE state = 'failed') AS failed
           FROM pgboss.job WHERE name = ?`,
        [LINKS_KIND],
      ))!;
      if (Number(counts.done) + Number(counts.failed) >= world.links.length) break;
      if (Date.now() > until)
        throw new Error(`Timed out after ${timeoutSeconds} s with ${counts.done} tasks done:\n${tails()}`);
      await Promise.race([pause(100), failedEarly]);
    }
    const timing = (await sql.get<{ last: Date }>(
      `SELECT max(completed_on) AS last FROM pgboss.job WHERE name = ?`,
      [LINKS_KIND],
    ))!;
    const seconds = (new Date(timing.last).getTime() - t0) / 1000;
    const waits = await sql.all<{ ms: number }>(
      `SELECT (extract(epoch FROM started_on - created_on) * 1000)::float8 AS ms FROM pgboss.job
        WHERE name = ? AND started_on IS NOT NULL`,
      [LINKS_KIND],
    );

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
    return result(
      `PostgreSQL, ${workers} worker${workers > 1 ? 's' : ''}`,
      workers,
      seconds,
      waits.map((r) => Number(r.ms)),
      after.data - before.data,
      after.queue - before.queue,
      await correctness(sql, world),
    );
  } finally {
    for (const p of procs)
      if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
    await producer?.close();
    await sql?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
