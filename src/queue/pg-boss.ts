// The queue on PostgreSQL, over pg-boss 10 (https://github.com/timgit/pg-boss/tree/10.4.2/docs): its tables
// live in their own schema (`pgboss`) of promowatch's database, so any `promowatch worker` on any machine
// that reaches the database takes tasks, and a worker that dies loses nothing — its tasks' leases run out
// and another worker retries them.
//
// What pg-boss gives: one queue per task kind with its retry limit and lease (`expireInSeconds`), claims
// with FOR UPDATE SKIP LOCKED (two workers never take the same task), retries, expiry of lost leases by
// whichever process does maintenance, and failed tasks kept with their error. What this file adds:
//  - idempotency keys that hold while a task is queued, waiting for a retry OR running (pg-boss's policies
//    cover either queued or running, not both), checked under an advisory lock per key;
//  - the shared worker loop (work-loop.ts) instead of pg-boss's work(), so both backends log, time out and
//    stop the same way;
//  - handing back unfinished tasks on a graceful stop without using up a try (`release`).
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import PgBoss from 'pg-boss';
import pg from 'pg';
import { redactUrl } from '../db/store/postgres.ts';
import { taskKinds, type TaskRegistry } from './registry.ts';
import {
  TASK_STATES,
  type DepthRow,
  type Enqueued,
  type EnqueueOptions,
  type Task,
  type TaskDeps,
  type TaskEvents,
  type TaskFailure,
  type TaskOutcome,
  type TaskQueue,
  type TaskState,
} from './types.ts';
import { errorText, loggedEvents, pause, workLoop, type TaskSource, type TryOutcome } from './work-loop.ts';

export interface PgBossQueueOptions {
  /** postgres://… — the same database the data lives in. */
  url: string;
  deps: TaskDeps;
  registry?: TaskRegistry;
  events?: TaskEvents;
  /** The schema pg-boss's tables live in (default `pgboss`). */
  schema?: string;
  /**
   * How often lost leases are looked for and finished tasks archived (default 30 s). Every process
   * offers; pg-boss lets one of them do it per interval. A killed worker's task is retried within
   * its lease plus this interval.
   */
  maintenanceSeconds?: number;
  /** How often an idle worker asks for new tasks (default 2 s; pg-boss's minimum is 0.5 s). */
  pollSeconds?: number;
  /** How long running tasks may finish after the stop signal (default 30 s). */
  graceMs?: number;
  /** Connections this process opens to PostgreSQL for the queue (default 4). */
  poolSize?: number;
  /** Failed tasks stay listed by failures() and counted by depth() this long (default 7 days). */
  keepFailedDays?: number;
}

/** pg-boss's state names → ours ('created' reads as queued). */
const STATE: Record<string, TaskState> = {
  created: 'queued',
  retry: 'retry',
  active: 'active',
  completed: 'completed',
  failed: 'failed',
  cancelled: 'cancelled',
};

type Row = Record<string, unknown>;

/** Tasks per transaction in enqueueMany(). */
const ENQUEUE_CHUNK = 500;

export class PgBossQueue implements TaskQueue {
  readonly backend = 'postgres' as const;
  readonly #o: PgBossQueueOptions;
  readonly #registry: TaskRegistry;
  readonly #pool: pg.Pool;
  readonly #boss: PgBoss;
  readonly #schema: string;
  readonly #pollMs: number;
  #ready: Set<string> = new Set();

  private constructor(o: PgBossQueueOptions, pool: pg.Pool, boss: PgBoss) {
    this.#o = o;
    this.#registry = o.registry ?? taskKinds;
    this.#pool = pool;
    this.#boss = boss;
    this.#schema = o.schema ?? 'pgboss';
    this.#pollMs = Math.max(0.5, o.pollSeconds ?? 2) * 1000;
  }

  /** Connects, installs or upgrades pg-boss's schema, and creates a queue per registered kind. */
  static async open(o: PgBossQueueOptions): Promise<PgBossQueue> {
    const schema = o.schema ?? 'pgboss';
    const pool = new pg.Pool({
      connectionString: o.url,
      max: o.poolSize ?? 4,
      application_name: `promowatch-queue ${hostname()}:${process.pid}`,
    });
    const log = o.deps.log.child('queue');
    // An idle connection the server dropped must not crash the worker; the next query reconnects.
    pool.on('error', (err) => log.warn(`queue: database connection lost: ${err.message}`));
    const keepFailedSeconds = (o.keepFailedDays ?? 7) * 24 * 3600;
    const boss = new PgBoss({
      // pg-boss runs its SQL through our pool, so enqueue() can put its insert in our transaction.
      db: { executeSql: (text, values) => pool.query(text, values) },
      schema,
      // promowatch's own scheduler decides when jobs run; pg-boss's cron is not used.
      schedule: false,
      supervise: true,
      migrate: true,
      maintenanceIntervalSeconds: o.maintenanceSeconds ?? 30,
      // Finished tasks move to pgboss.archive after an hour (the job table stays small); failed ones
      // stay in the job table, where failures() and depth() read them, for keepFailedDays.
      archiveCompletedAfterSeconds: 3600,
      archiveFailedAfterSeconds: keepFailedSeconds,
      deleteAfterDays: Math.max(1, o.keepFailedDays ?? 7),
    });
    boss.on('error', (err) => log.warn(`queue: ${errorText(err)}`));
    const queue = new PgBossQueue(o, pool, boss);
    // Several workers starting at once on a new database would all try to install the schema: one at a time.
    const client = await pool.connect().catch((err: Error) => {
      void pool.end();
      throw new Error(`Queue: cannot connect to ${redactUrl(o.url)}: ${err.message}`);
    });
    try {
      await client.query(`SELECT pg_advisory_lock(hashtextextended('promowatch queue install', 0))`);
      await boss.start();
      // enqueue()'s key check looks a key up among the kind's unfinished tasks: indexed, so a fan-out
      // does not slow down as the queue grows (pg-boss indexes singleton keys only for its own policies).
      await client.query(
        `CREATE INDEX IF NOT EXISTS promowatch_job_key ON ${schema}.job (name, singleton_key)
          WHERE state < 'completed'`,
      );
      for (const kind of queue.#registry.names()) await queue.#createQueue(kind);
    } catch (err) {
      client.release();
      await boss.stop({ graceful: false, wait: true }).catch(() => undefined);
      await pool.end();
      throw err;
    }
    await client.query(`SELECT pg_advisory_unlock(hashtextextended('promowatch queue install', 0))`);
    client.release();
    return queue;
  }

  /** The kind's queue with its current retry limit and lease (a changed registry updates it). */
  async #createQueue(kind: string): Promise<void> {
    const def = this.#registry.get(kind);
    const options = {
      name: kind,
      policy: 'standard' as const,
      retryLimit: def.retryLimit,
      retryDelay: def.retryDelaySeconds ?? 0,
      expireInSeconds: def.leaseSeconds,
      // A task nobody took within 14 days is dropped (a worker for its kind was never started).
      // (pg-boss 10's createQueue reads retentionMinutes only.)
      retentionMinutes: 14 * 24 * 60,
    };
    await this.#boss.createQueue(kind, options);
    await this.#boss.updateQueue(kind, options);
    this.#ready.add(kind);
  }

  async enqueue<P>(kind: string, payload: P, options: EnqueueOptions = {}): Promise<Enqueued> {
    const def = this.#registry.get(kind);
    if (!this.#ready.has(kind)) await this.#createQueue(kind);
    const send: PgBoss.SendOptions = {
      retryLimit: def.retryLimit,
      retryDelay: def.retryDelaySeconds ?? 0,
      expireInSeconds: def.leaseSeconds,
      ...(options.runAfter ? { startAfter: options.runAfter } : {}),
    };
    // pg-boss wants an object; a bare value is wrapped so the handler gets it back as it was sent.
    const data = { payload: payload ?? null };
    if (options.key === undefined) {
      const id = await this.#boss.send(kind, data, send);
      if (!id) throw new Error(`Queue: pg-boss did not accept a ${kind} task`);
      return { id, created: true };
    }
    const client = await this.#pool.connect();
    try {
      await client.query('BEGIN');
      // Two processes enqueueing the same key wait for each other here, so the check below is reliable.
      // (Kind names have no colon, so "kind:key" names one pair.)
      await client.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`${kind}:${options.key}`]);
      const existing = await client.query<{ id: string }>(
        `SELECT id FROM ${this.#schema}.job
          WHERE name = $1 AND singleton_key = $2 AND state IN ('created', 'retry', 'active') LIMIT 1`,
        [kind, options.key],
      );
      let result: Enqueued;
      if (existing.rows[0]) result = { id: existing.rows[0].id, created: false };
      else {
        const id = await this.#boss.send(kind, data, {
          ...send,
          singletonKey: options.key,
          db: { executeSql: (text, values) => client.query(text, values) },
        });
        if (!id) throw new Error(`Queue: pg-boss did not accept a ${kind} task`);
        result = { id, created: true };
      }
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  async enqueueMany<P>(kind: string, items: readonly { payload: P; key: string }[]): Promise<Enqueued[]> {
    const def = this.#registry.get(kind);
    if (!this.#ready.has(kind)) await this.#createQueue(kind);
    const out: Enqueued[] = [];
    // Chunks keep each transaction (and its advisory locks) short.
    for (let i = 0; i < items.length; i += ENQUEUE_CHUNK) {
      const chunk = items.slice(i, i + ENQUEUE_CHUNK);
      const keys = chunk.map((c) => c.key);
      if (new Set(keys).size !== keys.length)
        throw new Error(`Queue: a ${kind} key is given twice in one enqueueMany()`);
      const client = await this.#pool.connect();
      try {
        await client.query('BEGIN');
        // The same per-key locks as enqueue(), taken in one statement and in one order (no deadlock
        // between two fan-outs sharing keys).
        await client.query(
          `SELECT pg_advisory_xact_lock(hashtextextended(k, 0))
             FROM unnest($1::text[]) AS k ORDER BY k`,
          [keys.map((k) => `${kind}:${k}`)],
        );
        const { rows } = await client.query<{ id: string; key: string }>(
          `SELECT id::text AS id, singleton_key AS key FROM ${this.#schema}.job
            WHERE name = $1 AND singleton_key = ANY($2::text[]) AND state IN ('created', 'retry', 'active')`,
          [kind, keys],
        );
        const existing = new Map(rows.map((r) => [r.key, r.id]));
        const fresh = chunk
          .filter((c) => !existing.has(c.key))
          .map((c) => ({ id: randomUUID(), key: c.key, payload: c.payload }));
        if (fresh.length)
          await this.#boss.insert(
            fresh.map((f) => ({
              id: f.id,
              name: kind,
              data: { payload: f.payload ?? null },
              singletonKey: f.key,
              retryLimit: def.retryLimit,
              retryDelay: def.retryDelaySeconds ?? 0,
              expireInSeconds: def.leaseSeconds,
            })),
            { db: { executeSql: (text, values) => client.query(text, values) } },
          );
        await client.query('COMMIT');
        const made = new Map(fresh.map((f) => [f.key, f.id]));
        for (const c of chunk) {
          const id = existing.get(c.key);
          out.push(id ? { id, created: false } : { id: made.get(c.key)!, created: true });
        }
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    }
    return out;
  }

  #source: TaskSource = {
    take: async (kind, max) => {
      const jobs = await this.#boss.fetch<{ payload: unknown }>(kind, {
        batchSize: max,
        includeMetadata: true,
      });
      return jobs.map((j): Task => ({
        id: j.id,
        kind,
        payload: j.data?.payload ?? null,
        key: j.singletonKey,
        attempt: j.retryCount + 1,
        attempts: j.retryLimit + 1,
      }));
    },
    settle: async (task, outcome: TryOutcome) => {
      if (outcome.kind === 'done') {
        const output =
          outcome.output && typeof outcome.output === 'object' && !Array.isArray(outcome.output)
            ? (outcome.output as object)
            : {};
        await this.#boss.complete(task.kind, task.id, output);
      } else if (outcome.kind === 'failed') {
        // pg-boss moves it to `retry` (tries left) or `failed`, keeping this as the job's output.
        await this.#boss.fail(task.kind, task.id, {
          message: outcome.error,
          attempt: task.attempt,
          worker: `${hostname()}:${process.pid}`,
        });
      } else {
        // Back to waiting as if never taken: with started_on cleared, pg-boss's next fetch does not count
        // a retry (it counts only when started_on is set), so stopping a worker costs the task no try.
        await this.#pool.query(
          `UPDATE ${this.#schema}.job
              SET state = (CASE WHEN retry_count > 0 THEN 'retry' ELSE 'created' END)::${this.#schema}.job_state,
                  started_on = NULL
            WHERE name = $1 AND id = $2 AND state = 'active'`,
          [task.kind, task.id],
        );
      }
    },
    waitForWork: (_kind, signal) => pause(this.#pollMs, signal),
  };

  async work(kinds: readonly string[], concurrency: number, signal: AbortSignal): Promise<void> {
    for (const kind of kinds) if (!this.#ready.has(kind)) await this.#createQueue(kind);
    await workLoop({
      kinds,
      concurrency,
      signal,
      graceMs: this.#o.graceMs ?? 30_000,
      source: this.#source,
      registry: this.#registry,
      deps: this.#o.deps,
      events: this.#o.events ?? loggedEvents(this.#o.deps.log.child('queue')),
    });
  }

  async depth(): Promise<DepthRow[]> {
    const { rows } = await this.#pool.query<Row>(
      `SELECT name, state::text AS state, count(*)::int AS n FROM ${this.#schema}.job GROUP BY name, state`,
    );
    const kinds = new Set([...this.#registry.names(), ...rows.map((r) => String(r.name))]);
    const out: DepthRow[] = [];
    for (const kind of [...kinds].sort())
      for (const state of TASK_STATES) {
        const count = rows
          .filter((r) => r.name === kind && STATE[String(r.state)] === state)
          .reduce((sum, r) => sum + Number(r.n), 0);
        out.push({ kind, state, count });
      }
    return out;
  }

  async outcomes(kind: string, ids: readonly string[]): Promise<Map<string, TaskOutcome>> {
    const out = new Map<string, TaskOutcome>();
    if (ids.length === 0) return out;
    // Finished tasks move to the archive table after an hour (see open()): look in both.
    const { rows } = await this.#pool.query<Row>(
      `SELECT id::text AS id, state::text AS state, output FROM ${this.#schema}.job
        WHERE name = $1 AND id = ANY($2::uuid[])
       UNION ALL
       SELECT id::text, state::text, output FROM ${this.#schema}.archive
        WHERE name = $1 AND id = ANY($2::uuid[])`,
      [kind, ids],
    );
    for (const r of rows) {
      const state = STATE[String(r.state)] ?? 'queued';
      out.set(String(r.id), {
        state,
        error: state === 'failed' || state === 'retry' ? errorOf(r.output) : null,
      });
    }
    return out;
  }

  async failures(limit = 20): Promise<TaskFailure[]> {
    const { rows } = await this.#pool.query<Row>(
      `SELECT id, name, singleton_key, data, retry_count, output, completed_on
         FROM ${this.#schema}.job WHERE state = 'failed' ORDER BY completed_on DESC LIMIT $1`,
      [limit],
    );
    return rows.map((r) => {
      return {
        id: String(r.id),
        kind: String(r.name),
        key: (r.singleton_key as string | null) ?? null,
        payload: (r.data as { payload?: unknown } | null)?.payload ?? null,
        attempts: Number(r.retry_count) + 1,
        error: errorOf(r.output),
        failedAt: (r.completed_on as Date).toISOString(),
      };
    });
  }

  async close(): Promise<void> {
    await this.#boss.stop({ graceful: false, close: false, wait: true }).catch(() => undefined);
    await this.#pool.end();
  }
}

/** The message of a failed try: ours (settle), or pg-boss's own when maintenance finds a lost lease. */
function errorOf(output: unknown): string {
  const o = (output ?? {}) as { message?: string; value?: { message?: string } };
  return o.message ?? o.value?.message ?? 'no error recorded';
}

export const openPgBossQueue = (o: PgBossQueueOptions) => PgBossQueue.open(o);
