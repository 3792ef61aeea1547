// The worker loop both backends share: per kind, keep up to N tasks running, run each try under its lease,
// settle the outcome with the backend, and on stop take nothing new, give running tries a grace period and
// hand back the ones still going. The backends differ only in where tasks come from (TaskSource).
import { setMaxListeners } from 'node:events';
import type { TaskRegistry } from './registry.ts';
import type { Task, TaskContext, TaskDeps, TaskEvents } from './types.ts';

/** How one try ended. `released`: the worker stopped first; the task goes back without using up a try. */
export type TryOutcome =
  { kind: 'done'; output: unknown } | { kind: 'failed'; error: string } | { kind: 'released' };

export interface TaskSource {
  /** Claims up to `max` tasks of a kind that are due, marking them active (their lease starts now). */
  take(kind: string, max: number): Promise<Task[]>;
  /** Records a try's outcome: done, back in the queue for a retry, failed for good, or handed back. */
  settle(task: Task, outcome: TryOutcome): Promise<void>;
  /** Resolves when there may be new work of this kind (or after a polling interval), or on `signal`. */
  waitForWork(kind: string, signal: AbortSignal): Promise<void>;
}

export interface WorkLoopOptions {
  kinds: readonly string[];
  concurrency: number;
  signal: AbortSignal;
  graceMs: number;
  source: TaskSource;
  registry: TaskRegistry;
  deps: TaskDeps;
  events: TaskEvents;
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** A promise that resolves when the signal aborts (at once if it already has). */
function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

/** Sleeps `ms`, or less when `signal` aborts. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * One try of a task: the handler, raced against its lease and against the end of the stop grace period.
 * A handler that ignores ctx.signal keeps running in the background, but its result no longer counts.
 */
export async function runTry(
  handler: (task: Task, ctx: TaskContext) => Promise<unknown>,
  task: Task,
  deps: TaskDeps,
  leaseMs: number,
  graceOver: AbortSignal,
): Promise<TryOutcome> {
  const controller = new AbortController();
  // Listeners and timers are removed when the try ends: a worker runs for months, tries by the million.
  let timer: NodeJS.Timeout | undefined;
  let onStop = () => {};
  const lease = new Promise<TryOutcome>((resolve) => {
    timer = setTimeout(() => {
      const message = `its lease of ${leaseMs / 1000} s ran out before it finished`;
      controller.abort(new Error(message));
      resolve({ kind: 'failed', error: message });
    }, leaseMs);
  });
  const stopped = new Promise<TryOutcome>((resolve) => {
    onStop = () => {
      controller.abort(new Error('the worker is stopping'));
      resolve({ kind: 'released' });
    };
    if (graceOver.aborted) onStop();
    else graceOver.addEventListener('abort', onStop, { once: true });
  });
  const ctx: TaskContext = {
    ...deps,
    log: deps.log.child(`${task.kind} ${task.id}`),
    signal: controller.signal,
  };
  const work = (async (): Promise<TryOutcome> => {
    try {
      return { kind: 'done', output: await handler(task, ctx) };
    } catch (err) {
      return { kind: 'failed', error: errorText(err) };
    }
  })();
  try {
    return await Promise.race([work, lease, stopped]);
  } finally {
    clearTimeout(timer);
    graceOver.removeEventListener('abort', onStop);
  }
}

export async function workLoop(o: WorkLoopOptions): Promise<void> {
  if (!Number.isInteger(o.concurrency) || o.concurrency < 1)
    throw new Error(`Concurrency must be a whole number ≥ 1, got ${o.concurrency}`);
  // Unknown kinds are refused before anything is taken, naming the ones there are.
  const defs = new Map(o.kinds.map((k) => [k, o.registry.get(k)]));
  const stopping = aborted(o.signal);
  // Aborted once the stop signal came and the grace period after it is over.
  const grace = new AbortController();
  // Each running try listens on it until the try ends (runTry removes its listener): above 10 at once
  // (`--concurrency 16`) is the design, not a leak, so Node's leak warning must not tell the user so.
  setMaxListeners(o.kinds.length * o.concurrency + 10, grace.signal);
  let graceTimer: NodeJS.Timeout | undefined;
  void stopping.then(() => (graceTimer = setTimeout(() => grace.abort(), o.graceMs)));

  const runOne = async (task: Task) => {
    const def = defs.get(task.kind)!;
    o.events.started(task);
    const t0 = performance.now();
    const outcome = await runTry(def.handler, task, o.deps, def.leaseSeconds * 1000, grace.signal);
    try {
      await o.source.settle(task, outcome);
    } catch (err) {
      // The queue could not record it (database gone?): the lease runs out and the task is retried.
      o.deps.log.error(`queue: could not record how task ${task.kind} ${task.id} ended: ${errorText(err)}`);
    }
    if (outcome.kind === 'done') o.events.completed(task, Math.round(performance.now() - t0));
    else if (outcome.kind === 'failed') o.events.failed(task, outcome.error, task.attempt < task.attempts);
    else o.events.released(task);
  };

  const kindLoop = async (kind: string) => {
    const running = new Set<Promise<void>>();
    while (!o.signal.aborted) {
      const free = o.concurrency - running.size;
      if (free === 0) {
        await Promise.race([...running, stopping]);
        continue;
      }
      let claimed: Task[] = [];
      try {
        claimed = await o.source.take(kind, free);
      } catch (err) {
        o.deps.log.warn(`queue: could not take ${kind} tasks: ${errorText(err)}`);
      }
      for (const task of claimed) {
        const p: Promise<void> = runOne(task).finally(() => running.delete(p));
        running.add(p);
      }
      // Fewer than asked for: the queue is empty for now.
      if (claimed.length < free) await o.source.waitForWork(kind, o.signal);
    }
    await Promise.all(running);
  };

  try {
    await Promise.all(o.kinds.map(kindLoop));
  } finally {
    // Everything finished within the grace period: nothing left to wait for.
    clearTimeout(graceTimer);
  }
}

/** The per-task log lines `promowatch worker` and `start` write (no payloads: they may be long). */
export function loggedEvents(log: TaskDeps['log']): TaskEvents {
  const name = (t: Task) => `task ${t.kind} ${t.id}${t.key ? ` (${t.key})` : ''}`;
  return {
    started: (t) => log.info(`${name(t)} started, try ${t.attempt} of ${t.attempts}`),
    completed: (t, ms) => log.info(`${name(t)} done in ${ms} ms`),
    failed: (t, error, willRetry) => {
      const line = `${name(t)} failed on try ${t.attempt} of ${t.attempts}: ${error}`;
      if (willRetry) log.warn(`${line} — it will be retried`);
      else log.error(`${line} — no tries left, recorded as failed`);
    },
    released: (t) => log.info(`${name(t)} handed back unfinished (worker stopping); it runs again later`),
  };
}
