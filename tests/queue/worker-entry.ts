// A `promowatch worker` process for tests/queue/workers.test.ts: the real command (main(['worker', …]))
// with one test kind registered, as an area registers its kind in src/queue/kinds.ts. Each task writes
// its row with an upsert keyed by the payload's id (what makes a task safe to run twice), then takes
// 50–150 ms, like a network-bound check.
import { main, processIo } from '../../src/cli/main.ts';
import { registerTaskKind } from '../../src/queue/registry.ts';
import type { Task, TaskContext } from '../../src/queue/types.ts';

export const ROW_KIND = {
  kind: 'row',
  retryLimit: 3,
  // Short, so a killed worker's tasks come back within seconds (pg-boss's minimum is 1 s).
  leaseSeconds: 2,
  handler: async (task: Task<{ id: number; body: string }>, ctx: TaskContext) => {
    await ctx.sql.run(
      `INSERT INTO queue_test_rows (id, body, worker, runs) VALUES (?, ?, ?, 1)
       ON CONFLICT (id) DO UPDATE SET runs = queue_test_rows.runs + 1, worker = excluded.worker`,
      [task.payload.id, task.payload.body, process.pid],
    );
    await new Promise((r) => setTimeout(r, 50 + Math.random() * 100));
  },
};

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  registerTaskKind(ROW_KIND);
  const code = await main(['worker', '--kinds', 'row', '--concurrency', '4'], processIo());
  process.stderr.write('', () => process.exit(code));
}
