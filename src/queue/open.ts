// Opens the queue that goes with the store: pg-boss on PostgreSQL (tasks shared with `promowatch worker`
// processes), the in-memory queue on the SQLite file (worked inside `promowatch start`). Callers that
// enqueue hold a TaskQueue and never ask which one they got.
import type { StoreTarget } from '../db/store/open.ts';
import { InProcessQueue } from './in-process.ts';
import { PgBossQueue, type PgBossQueueOptions } from './pg-boss.ts';
import type { TaskRegistry } from './registry.ts';
import type { TaskDeps, TaskQueue } from './types.ts';

export async function openTaskQueue(
  target: StoreTarget,
  deps: TaskDeps,
  options: { registry?: TaskRegistry; graceMs?: number } & Partial<
    Pick<PgBossQueueOptions, 'pollSeconds' | 'maintenanceSeconds'>
  > = {},
): Promise<TaskQueue> {
  if (target.kind === 'sqlite') return new InProcessQueue({ deps, ...options });
  return PgBossQueue.open({ url: target.url, deps, ...options });
}
