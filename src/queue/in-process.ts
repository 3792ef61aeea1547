// The queue without a server: tasks wait in this process's memory and `promowatch start` (SQLite) works
// them itself, with the same idempotency keys, retry limits, leases and per-kind concurrency as the
// PostgreSQL queue. Nothing survives a restart — as today, where an interrupted job run simply runs again
// at its next schedule and redoes its (idempotent) work.
import { randomUUID } from 'node:crypto';
import { taskKinds, type TaskRegistry } from './registry.ts';
import type {
  DepthRow,
  Enqueued,
  EnqueueOptions,
  Task,
  TaskDeps,
  TaskEvents,
  TaskFailure,
  TaskOutcome,
  TaskQueue,
  TaskState,
} from './types.ts';
import { TASK_STATES } from './types.ts';
import { loggedEvents, pause, workLoop, type TaskSource, type TryOutcome } from './work-loop.ts';

export interface InProcessQueueOptions {
  deps: TaskDeps;
  registry?: TaskRegistry;
  events?: TaskEvents;
  /** How long running tasks may finish after the stop signal (default 30 s). */
  graceMs?: number;
  /** Failed tasks remembered for failures() (default 100). */
  keepFailures?: number;
}

interface Waiting {
  task: Task;
  state: 'queued' | 'retry';
  runAfter: number;
  seq: number;
}

/** Finished tasks outcomes() still answers for: far more than one fan-out waits on at once. */
const MAX_REMEMBERED = 200_000;

const keyOf = (kind: string, key: string) => `${kind}\u0000${key}`;

export class InProcessQueue implements TaskQueue {
  readonly backend = 'in-process' as const;
  readonly #o: InProcessQueueOptions;
  readonly #registry: TaskRegistry;
  readonly #waiting = new Map<string, Waiting[]>();
  readonly #active = new Map<string, Task>();
  /** Tasks with an idempotency key that are waiting or running, by kind and key. */
  readonly #keyed = new Map<string, string>();
  readonly #finished = new Map<string, Record<'completed' | 'failed', number>>();
  readonly #failures: TaskFailure[] = [];
  readonly #wakers = new Map<string, Set<() => void>>();
  /** Every task's state by id, for outcomes(); finished ones move to the end and the oldest are dropped. */
  readonly #states = new Map<string, TaskOutcome & { kind: string }>();
  #seq = 0;
  #closed = false;

  constructor(options: InProcessQueueOptions) {
    this.#o = options;
    this.#registry = options.registry ?? taskKinds;
  }

  async enqueue<P>(kind: string, payload: P, options: EnqueueOptions = {}): Promise<Enqueued> {
    if (this.#closed) throw new Error(`The task queue is closed: cannot add a ${kind} task`);
    const def = this.#registry.get(kind);
    if (options.key !== undefined) {
      const existing = this.#keyed.get(keyOf(kind, options.key));
      if (existing) return { id: existing, created: false };
    }
    // Stored as JSON, as the PostgreSQL queue stores it: a payload that does not survive that fails here too.
    const task: Task = {
      id: randomUUID(),
      kind,
      payload: JSON.parse(JSON.stringify(payload ?? null)) as unknown,
      key: options.key ?? null,
      attempt: 1,
      attempts: def.retryLimit + 1,
    };
    if (task.key !== null) this.#keyed.set(keyOf(kind, task.key), task.id);
    this.#push(task, 'queued', options.runAfter?.getTime() ?? 0);
    return { id: task.id, created: true };
  }

  async enqueueMany<P>(kind: string, items: readonly { payload: P; key: string }[]): Promise<Enqueued[]> {
    const out: Enqueued[] = [];
    for (const item of items) out.push(await this.enqueue(kind, item.payload, { key: item.key }));
    return out;
  }

  #push(task: Task, state: Waiting['state'], runAfter: number, error: string | null = null) {
    this.#states.set(task.id, { kind: task.kind, state, error });
    const list = this.#waiting.get(task.kind) ?? [];
    list.push({ task, state, runAfter, seq: ++this.#seq });
    this.#waiting.set(task.kind, list);
    for (const wake of this.#wakers.get(task.kind) ?? []) wake();
  }

  #source: TaskSource = {
    take: async (kind, max) => {
      const list = this.#waiting.get(kind) ?? [];
      const now = Date.now();
      const due = list.filter((w) => w.runAfter <= now).slice(0, max);
      this.#waiting.set(
        kind,
        list.filter((w) => !due.includes(w)),
      );
      for (const w of due) {
        this.#active.set(w.task.id, w.task);
        const known = this.#states.get(w.task.id);
        this.#states.set(w.task.id, { kind, state: 'active', error: known?.error ?? null });
      }
      return due.map((w) => w.task);
    },
    settle: async (task, outcome: TryOutcome) => {
      if (this.#active.get(task.id) !== task) return; // closed meanwhile
      this.#active.delete(task.id);
      if (outcome.kind === 'released') {
        this.#push(task, task.attempt > 1 ? 'retry' : 'queued', 0);
        return;
      }
      if (outcome.kind === 'failed' && task.attempt < task.attempts) {
        const delay = (this.#registry.get(task.kind).retryDelaySeconds ?? 0) * 1000;
        this.#push({ ...task, attempt: task.attempt + 1 }, 'retry', Date.now() + delay, outcome.error);
        return;
      }
      if (task.key !== null) this.#keyed.delete(keyOf(task.kind, task.key));
      this.#states.delete(task.id);
      this.#states.set(task.id, {
        kind: task.kind,
        state: outcome.kind === 'done' ? 'completed' : 'failed',
        error: outcome.kind === 'done' ? null : outcome.error,
      });
      // Finished tasks are remembered for a while (a fan-out reads them once it polls again); the
      // oldest finished go first; waiting and running ones are always kept.
      for (const [id, o] of this.#states) {
        if (this.#states.size <= MAX_REMEMBERED) break;
        if (o.state === 'completed' || o.state === 'failed') this.#states.delete(id);
      }
      const counts = this.#finished.get(task.kind) ?? { completed: 0, failed: 0 };
      if (outcome.kind === 'done') counts.completed++;
      else {
        counts.failed++;
        this.#failures.unshift({
          id: task.id,
          kind: task.kind,
          key: task.key,
          payload: task.payload,
          attempts: task.attempt,
          error: outcome.error,
          failedAt: new Date(Date.now()).toISOString(),
        });
        this.#failures.length = Math.min(this.#failures.length, this.#o.keepFailures ?? 100);
      }
      this.#finished.set(task.kind, counts);
    },
    waitForWork: async (kind, signal) => {
      // Woken by an enqueue or a retry of this kind, or when the earliest delayed task falls due.
      const next = Math.min(...(this.#waiting.get(kind) ?? []).map((w) => w.runAfter));
      const inner = new AbortController();
      const wake = () => inner.abort();
      const wakers = this.#wakers.get(kind) ?? new Set();
      this.#wakers.set(kind, wakers);
      wakers.add(wake);
      signal.addEventListener('abort', wake, { once: true });
      try {
        await pause(Number.isFinite(next) ? Math.max(0, next - Date.now()) : 60_000, inner.signal);
      } finally {
        wakers.delete(wake);
        signal.removeEventListener('abort', wake);
      }
    },
  };

  async work(kinds: readonly string[], concurrency: number, signal: AbortSignal): Promise<void> {
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
    const rows: DepthRow[] = [];
    for (const kind of this.#registry.names()) {
      const count: Record<TaskState, number> = {
        queued: 0,
        retry: 0,
        active: 0,
        completed: this.#finished.get(kind)?.completed ?? 0,
        failed: this.#finished.get(kind)?.failed ?? 0,
        cancelled: 0,
      };
      for (const w of this.#waiting.get(kind) ?? []) count[w.state]++;
      for (const t of this.#active.values()) if (t.kind === kind) count.active++;
      for (const state of TASK_STATES) rows.push({ kind, state, count: count[state] });
    }
    return rows;
  }

  async outcomes(kind: string, ids: readonly string[]): Promise<Map<string, TaskOutcome>> {
    const out = new Map<string, TaskOutcome>();
    for (const id of ids) {
      const o = this.#states.get(id);
      if (o && o.kind === kind) out.set(id, { state: o.state, error: o.error });
    }
    return out;
  }

  async failures(limit = 20): Promise<TaskFailure[]> {
    return this.#failures.slice(0, limit);
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#waiting.clear();
    this.#active.clear();
    this.#keyed.clear();
    for (const wakers of this.#wakers.values()) for (const wake of wakers) wake();
  }
}
