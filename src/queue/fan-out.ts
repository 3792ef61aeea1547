// A job's heavy work as tasks: enqueue one task per item, then wait until every one has finished (done,
// or failed for good after its retries), so the job can sum up and alert from what the tasks stored —
// the same as when it did the work inline. The tasks run wherever the queue's workers are: inside
// `promowatch start` on SQLite, in `promowatch worker` processes on any machine on PostgreSQL.
import { pause } from './work-loop.ts';
import type { TaskQueue } from './types.ts';

export interface FanOutItem<P> {
  payload: P;
  /**
   * Idempotency key, unique per run and item (e.g. `${runId}:${linkId}`): a job run again after a crash
   * attaches to its tasks still waiting or running instead of adding them twice.
   */
  key: string;
}

export interface FanOutResult {
  completed: number;
  /** Tasks that used up their tries, with the last try's error (the job records or reports them). */
  failed: { key: string; error: string }[];
}

export interface FanOutOptions {
  /** Stops the wait (the tasks stay queued and finish without us); fanOut rejects with its reason. */
  signal: AbortSignal;
  /** How often to ask the queue how far the tasks are (default 250 ms; a poll is one indexed query). */
  pollMs?: number;
  /** Called once every item is in the queue: how many were new (the rest were already waiting). */
  onEnqueued?: (created: number, total: number) => void;
  /** Called after each poll that saw tasks finish: a job's progress bar. */
  onSettled?: (done: number, total: number) => void;
  /**
   * How long a task may be unknown to the queue before it counts as lost (default 10 minutes). A
   * finished task is kept for hours, so this happens only when someone cleared the queue's tables.
   */
  unknownAfterMs?: number;
}

/** Enqueues every item as a task of `kind` and resolves when all have finished. */
export async function fanOut<P>(
  queue: TaskQueue,
  kind: string,
  items: readonly FanOutItem<P>[],
  o: FanOutOptions,
): Promise<FanOutResult> {
  o.signal.throwIfAborted();
  const keys = new Set<string>();
  for (const item of items) {
    if (keys.has(item.key)) throw new Error(`fanOut(${kind}): the key "${item.key}" is given twice`);
    keys.add(item.key);
  }
  // id → key, for the tasks not finished yet.
  const pending = new Map<string, string>();
  let created = 0;
  const added = await queue.enqueueMany(kind, items);
  for (const [i, item] of items.entries()) {
    pending.set(added[i]!.id, item.key);
    if (added[i]!.created) created++;
  }
  o.onEnqueued?.(created, items.length);
  const result: FanOutResult = { completed: 0, failed: [] };
  const total = items.length;
  const pollMs = o.pollMs ?? 250;
  const unknownAfterMs = o.unknownAfterMs ?? 10 * 60_000;
  const unknownSince = new Map<string, number>();
  while (pending.size > 0) {
    const outcomes = await queue.outcomes(kind, [...pending.keys()]);
    let settled = 0;
    for (const [id, key] of pending) {
      const outcome = outcomes.get(id);
      if (!outcome) {
        const since = unknownSince.get(id) ?? Date.now();
        unknownSince.set(id, since);
        if (Date.now() - since < unknownAfterMs) continue;
        result.failed.push({ key, error: `the ${kind} task ${id} is no longer in the queue` });
      } else if (outcome.state === 'completed') result.completed++;
      else if (outcome.state === 'failed' || outcome.state === 'cancelled')
        result.failed.push({ key, error: outcome.error ?? `the ${kind} task was ${outcome.state}` });
      else {
        unknownSince.delete(id);
        continue;
      }
      pending.delete(id);
      settled++;
    }
    if (settled > 0) o.onSettled?.(total - pending.size, total);
    if (pending.size === 0) break;
    await pause(pollMs, o.signal);
    o.signal.throwIfAborted();
  }
  return result;
}
