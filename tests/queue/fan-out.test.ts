// fanOut on both queues: a job's items as tasks, waited for until each is done or failed for good.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Sql } from '../../src/db/store/types.ts';
import { fanOut } from '../../src/queue/fan-out.ts';
import { InProcessQueue } from '../../src/queue/in-process.ts';
import { PgBossQueue } from '../../src/queue/pg-boss.ts';
import { TaskRegistry } from '../../src/queue/registry.ts';
import type { TaskKind, TaskQueue } from '../../src/queue/types.ts';
import { memoryLogger } from '../../src/util/log.ts';
import { BACKENDS, stopPgServer, type Backend } from '../pg/backends.ts';

afterAll(stopPgServer);

const opened: { queue: TaskQueue; sql: Sql; stop: AbortController }[] = [];
afterEach(async () => {
  for (const o of opened.splice(0)) {
    o.stop.abort();
    await o.queue.close();
    await o.sql.close();
  }
});

/** What the handlers did, by payload: each try of each task. */
let tries: string[] = [];

const square: TaskKind<number> = {
  kind: 'square',
  retryLimit: 0,
  leaseSeconds: 30,
  handler: async (task, ctx) => {
    tries.push(`square ${task.payload}`);
    await ctx.sql.run('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING', [
      `square:${task.payload}`,
      String(task.payload * task.payload),
    ]);
  },
};

// Fails its first try and succeeds on the retry; 'bad' fails every try.
const flaky: TaskKind<string> = {
  kind: 'flaky',
  retryLimit: 1,
  leaseSeconds: 30,
  handler: async (task) => {
    tries.push(`flaky ${task.payload} ${task.attempt}`);
    if (task.payload === 'bad') throw new Error(`donor ${task.payload} answered 500`);
    if (task.attempt === 1) throw new Error('connection reset');
  },
};

async function queueOn(backend: Backend, worked = true) {
  const { sql, url } = await backend.open();
  const registry = new TaskRegistry();
  registry.register(square);
  registry.register(flaky);
  const deps = { sql, log: memoryLogger(), now: () => new Date(), fetch: globalThis.fetch };
  const queue =
    backend.name === 'sqlite'
      ? new InProcessQueue({ deps, registry, graceMs: 300 })
      : await PgBossQueue.open({
          url,
          deps,
          registry,
          graceMs: 300,
          pollSeconds: 0.5,
          maintenanceSeconds: 1,
        });
  const stop = new AbortController();
  opened.push({ queue, sql, stop });
  if (worked) void queue.work(['square', 'flaky'], 4, stop.signal);
  return { queue, sql, stop };
}

describe.each(BACKENDS)('fanOut on $name', (backend) => {
  it('waits for every task and counts the done and the failed with their last error', async () => {
    tries = [];
    const { queue, sql } = await queueOn(backend);
    const seen: number[] = [];
    const items = [1, 2, 3, 4, 5].map((n) => ({ payload: n, key: `run7:${n}` }));
    const squares = await fanOut(queue, 'square', items, {
      signal: new AbortController().signal,
      pollMs: 50,
      onSettled: (done, total) => seen.push(done / total),
    });
    expect(squares).toEqual({ completed: 5, failed: [] });
    // Resolved only once the tasks' writes are there.
    const rows = await sql.all<{ key: string; value: string }>(
      "SELECT key, value FROM meta WHERE key LIKE 'square:%' ORDER BY key",
    );
    expect(rows.map((r) => r.value)).toEqual(['1', '4', '9', '16', '25']);
    expect(seen.at(-1)).toBe(1);

    const mixed = await fanOut(
      queue,
      'flaky',
      ['ok', 'bad'].map((p) => ({ payload: p, key: `run7:${p}` })),
      { signal: new AbortController().signal, pollMs: 50 },
    );
    expect(mixed.completed).toBe(1);
    expect(mixed.failed).toEqual([{ key: 'run7:bad', error: 'donor bad answered 500' }]);
    expect(tries.filter((t) => t.startsWith('flaky')).sort()).toEqual([
      'flaky bad 1',
      'flaky bad 2',
      'flaky ok 1',
      'flaky ok 2',
    ]);
  });

  it('attaches a second fan-out with the same keys to the waiting tasks instead of adding them', async () => {
    tries = [];
    const { queue, stop } = await queueOn(backend, false);
    const items = [1, 2, 3].map((n) => ({ payload: n, key: `run8:${n}` }));
    const first = new AbortController();
    const waiting = fanOut(queue, 'square', items, { signal: first.signal, pollMs: 50 });
    // The job is killed while nothing has run: its wait stops, the tasks stay queued.
    await new Promise((r) => setTimeout(r, 100));
    first.abort(new Error('shutting down'));
    await expect(waiting).rejects.toThrow('shutting down');
    // Started again, it re-attaches; once workers run, every task runs once.
    const again = fanOut(queue, 'square', items, { signal: new AbortController().signal, pollMs: 50 });
    void queue.work(['square'], 4, stop.signal);
    expect(await again).toEqual({ completed: 3, failed: [] });
    expect(tries.sort()).toEqual(['square 1', 'square 2', 'square 3']);
  });

  it('refuses an item key given twice', async () => {
    const { queue } = await queueOn(backend, false);
    await expect(
      fanOut(
        queue,
        'square',
        [
          { payload: 1, key: 'k' },
          { payload: 2, key: 'k' },
        ],
        { signal: new AbortController().signal },
      ),
    ).rejects.toThrow('the key "k" is given twice');
  });
});
