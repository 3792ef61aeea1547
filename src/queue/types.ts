// What a queued task is, how an area declares a kind of task, and the one interface both queue backends
// implement: pg-boss on PostgreSQL for `promowatch worker` processes (pg-boss.ts), and an in-memory queue
// inside `promowatch start` on SQLite (in-process.ts). Areas enqueue without knowing which one runs.
import type { BrowserPool } from '../browser/launcher.ts';
import type { Config, SecretRef } from '../config/schema.ts';
import type { Sql } from '../db/store/types.ts';
import type { Logger } from '../util/log.ts';

/**
 * The kinds `promowatch worker --kinds` knows by name. Areas add theirs when they move onto the queue;
 * any other name works too (tests register their own), which is why the type stays open.
 */
export type TaskKindName = 'job' | 'crawl' | 'links' | 'serp' | 'render' | (string & {});

/** One unit of work as a handler sees it. The payload is plain JSON: it is stored in the database. */
export interface Task<P = unknown> {
  id: string;
  kind: string;
  payload: P;
  /** The idempotency key it was enqueued with, or null. */
  key: string | null;
  /** 1 for the first try; a retry after a failure or an expired lease counts up. */
  attempt: number;
  /** How many tries it gets in all (retryLimit + 1). */
  attempts: number;
}

/** What a handler works with: the same data layer and clock every area gets (STYLE habit 4). */
export interface TaskDeps {
  sql: Sql;
  log: Logger;
  now: () => Date;
  fetch: typeof globalThis.fetch;
  /** Present in `promowatch worker` and `start`; absent in tests that do not need them. */
  config?: Config;
  browser?: BrowserPool;
  /** A configured secret's value (what JobContext.secret is); absent where no handler needs one. */
  secret?: (ref: SecretRef, field: string) => string;
  /** The queue the task came from, for a task that fans out in turn (a job run: jobs/job-task.ts). */
  queue?: TaskQueue;
  /** Where evidence screenshots go (src/backlinks/evidence.ts evidenceDirFor), for a job run's context. */
  evidenceDir?: string;
}

export interface TaskContext extends TaskDeps {
  /**
   * Aborted when the task's lease runs out or its worker stops before it finished: stop early, the task
   * is retried (by this or another worker). Work done so far must be safe to do again (see below).
   */
  signal: AbortSignal;
}

/**
 * A kind of task an area runs through the queue.
 *
 * The handler must be idempotent: a task can run more than once (a worker killed after writing rows but
 * before marking it done, a lease that ran out while it was still going). Write with upserts keyed by
 * what the task is about (`INSERT … ON CONFLICT (…) DO UPDATE`), never blind inserts.
 */
export interface TaskKind<P = unknown> {
  kind: TaskKindName;
  /** Throws an Error with a message a person can act on; that message is what is recorded and logged. */
  handler(task: Task<P>, ctx: TaskContext): Promise<unknown>;
  /** Tries after the first one fails; 0 = one try only. */
  retryLimit: number;
  /**
   * How long one try may hold the task before it counts as lost and is handed to another worker: longer
   * than the slowest honest try (tasks are small batches), short enough that a crash is noticed soon.
   * pg-boss cannot extend a lease while a task runs, so there is no heartbeat to forget.
   */
  leaseSeconds: number;
  /** Wait before a retry (default 0: retried at once). */
  retryDelaySeconds?: number;
}

export interface EnqueueOptions {
  /**
   * Idempotency key: while a task of this kind with the same key is queued, waiting for a retry or
   * running, enqueueing it again adds nothing and returns that task's id (a scheduler that fires twice,
   * or two dashboards asking for the same recheck, give one task).
   */
  key?: string;
  /** Not before this time. */
  runAfter?: Date;
}

export interface Enqueued {
  id: string;
  /** False when a task with the same key was already waiting or running (then `id` is that task's). */
  created: boolean;
}

/** Where tasks are: waiting (queued, or retry after a failure), running, or finished. */
export type TaskState = 'queued' | 'retry' | 'active' | 'completed' | 'failed' | 'cancelled';
export const TASK_STATES: readonly TaskState[] = [
  'queued',
  'retry',
  'active',
  'completed',
  'failed',
  'cancelled',
];

export interface TaskOutcome {
  state: TaskState;
  /** The error of the last failed try (set when failed for good, or waiting for a retry); else null. */
  error: string | null;
}

export interface DepthRow {
  kind: string;
  state: TaskState;
  count: number;
}

/** A task that used up its tries: what it was, and the error of its last try. */
export interface TaskFailure {
  id: string;
  kind: string;
  key: string | null;
  payload: unknown;
  attempts: number;
  error: string;
  failedAt: string;
}

export interface TaskQueue {
  readonly backend: 'in-process' | 'postgres';
  /** Adds a task of a registered kind; an unknown kind throws (a bug in the caller). */
  enqueue<P>(kind: string, payload: P, options?: EnqueueOptions): Promise<Enqueued>;
  /**
   * Adds many keyed tasks of one kind at once, with enqueue()'s key rule for each (a key already
   * waiting or running gives that task's id): a job's fan-out of thousands of items in a few round
   * trips instead of one transaction each. Results in the order of `items`.
   */
  enqueueMany<P>(kind: string, items: readonly { payload: P; key: string }[]): Promise<Enqueued[]>;
  /**
   * Takes tasks of these kinds, up to `concurrency` at once per kind, until `signal` aborts; then takes
   * no more, lets running tasks finish for a grace period, hands back (unconsumed) those still running,
   * and resolves.
   */
  work(kinds: readonly string[], concurrency: number, signal: AbortSignal): Promise<void>;
  /** Tasks per registered kind and state, zeros included (for /metrics). */
  depth(): Promise<DepthRow[]>;
  /**
   * Where these tasks of one kind are now, by id: waiting, running, or finished with the last try's
   * error. An id the queue no longer knows (finished long ago and cleaned up) is left out of the map.
   */
  outcomes(kind: string, ids: readonly string[]): Promise<Map<string, TaskOutcome>>;
  /** The most recent failed tasks, newest first. */
  failures(limit?: number): Promise<TaskFailure[]>;
  close(): Promise<void>;
}

/** Logged per task by both backends, so `promowatch worker` and `start` read the same. */
export interface TaskEvents {
  started(task: Task): void;
  completed(task: Task, ms: number): void;
  /** `willRetry` false = recorded as failed for good. */
  failed(task: Task, error: string, willRetry: boolean): void;
  /** Handed back unfinished because the worker stopped; it runs again without using up a try. */
  released(task: Task): void;
}
