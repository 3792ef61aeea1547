// The TaskQueue contract, run on both backends: the in-memory queue of `promowatch start` (SQLite) and
// pg-boss on PostgreSQL (`promowatch worker`).
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import PgBoss from 'pg-boss';
import type { Sql } from '../../src/db/store/types.ts';
import { openStore } from '../../src/db/store/open.ts';
import { InProcessQueue } from '../../src/queue/in-process.ts';
import { openTaskQueue } from '../../src/queue/open.ts';
import { PgBossQueue } from '../../src/queue/pg-boss.ts';
import { TaskRegistry } from '../../src/queue/registry.ts';
import type { Task, TaskContext, TaskKind, TaskQueue } from '../../src/queue/types.ts';
import { memoryLogger } from '../../src/util/log.ts';
import { BACKENDS, pgServer, stopPgServer, type Backend } from '../pg/backends.ts';

afterAll(stopPgServer);

const opened: { queue: TaskQueue; sql: Sql; stop: AbortController }[] = [];
afterEach(async () => {
  for (const o of opened.splice(0)) {
    o.stop.abort();
    await o.queue.close();
    await o.sql.close();
  }
});

interface Seen {
  task: Task;
  ctx: TaskContext;
}

/** A queue of the backend with these kinds, and the events it reported. */
async function queueOn(backend: Backend, kinds: TaskKind<never>[], graceMs = 300) {
  const { sql, url } = await backend.open();
  const registry = new TaskRegistry();
  for (const k of kinds) registry.register(k);
  const log = memoryLogger();
  const events: string[] = [];
  const record = {
    started: (t: Task) => events.push(`started ${t.payload as string} ${t.attempt}/${t.attempts}`),
    completed: (t: Task) => events.push(`completed ${t.payload as string} ${t.attempt}`),
    failed: (t: Task, error: string, willRetry: boolean) =>
      events.push(`failed ${t.payload as string} ${t.attempt}: ${error}${willRetry ? ' (retry)' : ''}`),
    released: (t: Task) => events.push(`released ${t.payload as string} ${t.attempt}`),
  };
  const deps = { sql, log, now: () => new Date(), fetch: globalThis.fetch };
  const queue =
    backend.name === 'sqlite'
      ? new InProcessQueue({ deps, registry, events: record, graceMs })
      : await PgBossQueue.open({
          url,
          deps,
          registry,
          events: record,
          graceMs,
          pollSeconds: 0.5,
          maintenanceSeconds: 1,
        });
  const stop = new AbortController();
  opened.push({ queue, sql, stop });
  return { queue, events, stop, url, log };
}

async function waitFor(what: string, cond: () => boolean | Promise<boolean>, ms = 15_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function countOf(queue: TaskQueue, kind: string, state: string): Promise<number> {
  return (await queue.depth()).find((r) => r.kind === kind && r.state === state)?.count ?? 0;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(BACKENDS)('TaskQueue on $name', (backend) => {
  it('runs every enqueued task once, at most `concurrency` at a time per kind', async () => {
    let running = 0;
    let most = 0;
    const done: string[] = [];
    const { queue, stop } = await queueOn(backend, [
      {
        kind: 'echo',
        retryLimit: 0,
        leaseSeconds: 10,
        handler: async (task: Task<string>) => {
          most = Math.max(most, ++running);
          await sleep(150);
          running--;
          done.push(task.payload);
        },
      },
    ]);
    for (const n of ['a', 'b', 'c', 'd', 'e']) await queue.enqueue('echo', n);
    expect(await countOf(queue, 'echo', 'queued')).toBe(5);
    const working = queue.work(['echo'], 2, stop.signal);
    await waitFor('five tasks', async () => (await countOf(queue, 'echo', 'completed')) === 5);
    stop.abort();
    await working;
    expect(done.sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(most).toBe(2);
    expect(await countOf(queue, 'echo', 'queued')).toBe(0);
  });

  it('runs 16 tasks at once without Node warning of an abort-listener leak', async () => {
    // Each running try listens on the worker's grace signal; Node warns past 10 listeners on one target.
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(`${w.name}: ${w.message}`);
    process.on('warning', onWarning);
    try {
      let running = 0;
      let most = 0;
      const { queue, stop } = await queueOn(backend, [
        {
          kind: 'wide',
          retryLimit: 0,
          leaseSeconds: 10,
          handler: async () => {
            most = Math.max(most, ++running);
            await waitFor('all sixteen running', () => most === 16, 10_000);
            running--;
          },
        },
      ]);
      for (let n = 0; n < 16; n++) await queue.enqueue('wide', `t${n}`);
      const working = queue.work(['wide'], 16, stop.signal);
      await waitFor('sixteen tasks', async () => (await countOf(queue, 'wide', 'completed')) === 16);
      stop.abort();
      await working;
      await sleep(20); // process warnings are emitted on a later tick
      expect(most).toBe(16);
      expect(warnings.filter((w) => w.startsWith('MaxListenersExceededWarning'))).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('gives one task per idempotency key while it is queued or running, and a new one after', async () => {
    let release = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const { queue, stop, events } = await queueOn(backend, [
      { kind: 'echo', retryLimit: 0, leaseSeconds: 10, handler: () => gate },
    ]);
    const first = await queue.enqueue('echo', 'x', { key: 'site-1' });
    const again = await queue.enqueue('echo', 'x2', { key: 'site-1' });
    const other = await queue.enqueue('echo', 'y', { key: 'site-2' });
    expect(first.created).toBe(true);
    expect(again).toEqual({ id: first.id, created: false });
    expect(other.created).toBe(true);
    const working = queue.work(['echo'], 4, stop.signal);
    await waitFor('both running', async () => (await countOf(queue, 'echo', 'active')) === 2);
    // Running counts too: a second run of the same check would race the first.
    expect(await queue.enqueue('echo', 'x3', { key: 'site-1' })).toEqual({ id: first.id, created: false });
    release();
    await waitFor('both done', async () => (await countOf(queue, 'echo', 'completed')) === 2);
    const later = await queue.enqueue('echo', 'x4', { key: 'site-1' });
    expect(later.created).toBe(true);
    expect(later.id).not.toBe(first.id);
    await waitFor('the new one', async () => (await countOf(queue, 'echo', 'completed')) === 3);
    stop.abort();
    await working;
    expect(events.filter((e) => e.startsWith('completed')).sort()).toEqual([
      'completed x 1',
      'completed x4 1',
      'completed y 1',
    ]);
  });

  it('retries a failing task up to its retry limit, then records it as failed with its last error', async () => {
    let tries = 0;
    const { queue, stop, events } = await queueOn(backend, [
      {
        kind: 'flaky',
        retryLimit: 2,
        leaseSeconds: 10,
        handler: async () => {
          throw new Error(`donor host refused the connection (try ${++tries})`);
        },
      },
    ]);
    await queue.enqueue('flaky', 'p', { key: 'link-7' });
    const working = queue.work(['flaky'], 1, stop.signal);
    await waitFor('the failure', async () => (await countOf(queue, 'flaky', 'failed')) === 1);
    stop.abort();
    await working;
    expect(tries).toBe(3);
    expect(events).toEqual([
      'started p 1/3',
      'failed p 1: donor host refused the connection (try 1) (retry)',
      'started p 2/3',
      'failed p 2: donor host refused the connection (try 2) (retry)',
      'started p 3/3',
      'failed p 3: donor host refused the connection (try 3)',
    ]);
    const [failure, ...more] = await queue.failures();
    expect(more).toEqual([]);
    expect(failure).toMatchObject({
      kind: 'flaky',
      key: 'link-7',
      payload: 'p',
      attempts: 3,
      error: 'donor host refused the connection (try 3)',
    });
    // The key is free again once the task has failed for good.
    expect((await queue.enqueue('flaky', 'p', { key: 'link-7' })).created).toBe(true);
  });

  it('retries a task whose try outlives its lease, and tells the stuck try to stop', async () => {
    const signals: AbortSignal[] = [];
    const { queue, stop, events } = await queueOn(backend, [
      {
        kind: 'slow',
        retryLimit: 1,
        leaseSeconds: 1,
        handler: (task: Task<string>, ctx: TaskContext) => {
          signals.push(ctx.signal);
          // The first try hangs (a stuck browser page); the retry is quick.
          return task.attempt === 1 ? new Promise(() => {}) : Promise.resolve();
        },
      },
    ]);
    await queue.enqueue('slow', 's');
    const working = queue.work(['slow'], 1, stop.signal);
    await waitFor('the retry', async () => (await countOf(queue, 'slow', 'completed')) === 1);
    stop.abort();
    await working;
    expect(events).toEqual([
      'started s 1/2',
      'failed s 1: its lease of 1 s ran out before it finished (retry)',
      'started s 2/2',
      'completed s 2',
    ]);
    expect(signals.map((s) => s.aborted)).toEqual([true, false]);
  });

  it('on stop lets a quick task finish and hands back a long one without using up a try', async () => {
    const { queue, stop, events } = await queueOn(
      backend,
      [
        {
          kind: 'mixed',
          retryLimit: 0,
          leaseSeconds: 30,
          handler: (task: Task<string>, ctx: TaskContext) =>
            new Promise<void>((resolve, reject) => {
              if (task.payload === 'quick') setTimeout(resolve, 100);
              else ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason as Error));
            }),
        },
      ],
      400,
    );
    await queue.enqueue('mixed', 'quick');
    await queue.enqueue('mixed', 'long');
    const working = queue.work(['mixed'], 2, stop.signal);
    await waitFor('both running', () => events.length === 2);
    stop.abort();
    await working;
    expect(events.slice(2).sort()).toEqual(['completed quick 1', 'released long 1']);
    expect(await countOf(queue, 'mixed', 'queued')).toBe(1);
    expect(await countOf(queue, 'mixed', 'active')).toBe(0);
    // Taken again, it is still its first (and only) try.
    const again = new AbortController();
    const rework = queue.work(['mixed'], 1, again.signal);
    await waitFor('taken again', () => events.length === 5);
    expect(events[4]).toBe('started long 1/1');
    again.abort();
    await rework;
  });

  it('does not start a task before its runAfter time', async () => {
    const startedAt: number[] = [];
    const { queue, stop } = await queueOn(backend, [
      {
        kind: 'later',
        retryLimit: 0,
        leaseSeconds: 10,
        handler: async () => void startedAt.push(Date.now()),
      },
    ]);
    const runAfter = new Date(Date.now() + 1500);
    await queue.enqueue('later', 'l', { runAfter });
    const working = queue.work(['later'], 1, stop.signal);
    await waitFor('the delayed task', () => startedAt.length === 1);
    stop.abort();
    await working;
    expect(startedAt[0]!).toBeGreaterThanOrEqual(runAfter.getTime());
  });

  it('refuses a kind nobody registered, naming the known ones', async () => {
    const { queue, stop } = await queueOn(backend, [
      { kind: 'links', retryLimit: 0, leaseSeconds: 10, handler: async () => {} },
    ]);
    await expect(queue.enqueue('crawl', {})).rejects.toThrow('Unknown task kind "crawl" (known: links)');
    await expect(queue.work(['links', 'serp'], 1, stop.signal)).rejects.toThrow(
      'Unknown task kind "serp" (known: links)',
    );
  });

  if (backend.name === 'postgres')
    it('retries a task whose worker vanished once its lease runs out (maintenance expires it)', async () => {
      const seen: number[] = [];
      const { queue, stop, url } = await queueOn(backend, [
        {
          kind: 'orphan',
          retryLimit: 1,
          leaseSeconds: 1,
          handler: async (task: Task) => void seen.push(task.attempt),
        },
      ]);
      await queue.enqueue('orphan', 'o');
      // Another process takes it and dies: claimed through pg-boss directly, never completed.
      const dead = new PgBoss({ connectionString: url, supervise: false, schedule: false, migrate: false });
      dead.on('error', () => {});
      await dead.start();
      expect(await dead.fetch('orphan')).toHaveLength(1);
      await dead.stop({ graceful: false, wait: true });
      const working = queue.work(['orphan'], 1, stop.signal);
      await waitFor('the retry', () => seen.length === 1);
      stop.abort();
      await working;
      expect(seen).toEqual([2]);
    });
});

describe('openTaskQueue()', () => {
  it('gives the in-process queue for the SQLite file and pg-boss for PostgreSQL', async () => {
    const sqlite = await openStore({ kind: 'sqlite', file: ':memory:' });
    const deps = { sql: sqlite, log: memoryLogger(), now: () => new Date(), fetch };
    const local = await openTaskQueue({ kind: 'sqlite', file: ':memory:' }, deps);
    expect(local.backend).toBe('in-process');
    await local.close();
    await sqlite.close();
    if (BACKENDS.some((b) => b.name === 'postgres')) {
      const url = await (await pgServer()).createDatabase();
      const shared = await openTaskQueue({ kind: 'postgres', url }, deps);
      expect(shared.backend).toBe('postgres');
      await shared.close();
    }
  });
});

describe('TaskRegistry', () => {
  it('refuses a kind registered twice, and a lease pg-boss cannot hold', () => {
    const registry = new TaskRegistry();
    const links = { kind: 'links', retryLimit: 2, leaseSeconds: 60, handler: async () => {} };
    registry.register(links);
    expect(() => registry.register(links)).toThrow('Task kind "links" is registered twice');
    expect(() => registry.register({ ...links, kind: 'serp', leaseSeconds: 0.5 })).toThrow(
      'leaseSeconds must be whole seconds from 1 to under 24 hours, got 0.5',
    );
  });
});
