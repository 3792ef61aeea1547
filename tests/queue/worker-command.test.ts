// `promowatch worker`: what it refuses, and a run of the real command against PostgreSQL that works a
// registered kind until it is told to stop.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { NEEDS_POSTGRES, queueTimings } from '../../src/cli/commands/worker.ts';
import { openStore } from '../../src/db/store/open.ts';
import { PgBossQueue } from '../../src/queue/pg-boss.ts';
import { taskKinds, TaskRegistry } from '../../src/queue/registry.ts';
import type { Task, TaskContext } from '../../src/queue/types.ts';
import { memoryLogger } from '../../src/util/log.ts';
import { tempDir } from '../helpers.ts';
import { pgServer, stopPgServer } from '../pg/backends.ts';
import { pgAvailable } from '../pg/server.ts';

afterAll(stopPgServer);

function configFile(): string {
  const file = join(tempDir(), 'promowatch.config.json');
  writeFileSync(
    file,
    JSON.stringify({
      sites: [{ name: 'studio', baseUrl: 'https://studio.example/', timeZone: 'Europe/Moscow' }],
    }),
  );
  return file;
}

async function worker(args: string[], env: NodeJS.ProcessEnv, stop: Promise<string> = new Promise(() => {})) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['worker', ...args], {
    env: { PROMOWATCH_CONFIG: configFile(), ...env },
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    stopSignal: stop,
    isTTY: false,
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('promowatch worker', () => {
  it('refuses to run on the SQLite file, saying what to set', async () => {
    const r = await worker([], { PROMOWATCH_DB: join(tempDir(), 'promowatch.db') });
    expect(r).toMatchObject({ code: 2, err: NEEDS_POSTGRES });
  });

  it('refuses a bad --concurrency, an unknown kind and a bad timing', async () => {
    const env = { PROMOWATCH_DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' };
    expect(await worker(['--concurrency', '0'], env)).toMatchObject({
      code: 2,
      err: expect.stringContaining('--concurrency takes a whole number from 1 to 64, got "0"'),
    });
    expect(await worker(['--kinds', 'bogus,other'], env)).toMatchObject({
      code: 2,
      err: expect.stringMatching(
        /No task kind "bogus", "other"; kinds are: crawl, (.+, )?links, (.+, )?serp\b/,
      ),
    });
    expect(() => queueTimings({ PROMOWATCH_QUEUE_POLL_SECONDS: '0.1' })).toThrow(
      'PROMOWATCH_QUEUE_POLL_SECONDS must be seconds, at least 0.5; got "0.1"',
    );
  });

  it.skipIf(!pgAvailable())(
    'works the queue on PostgreSQL until SIGTERM, logging each task',
    async () => {
      // The test cluster trusts every login, so a password in the address is accepted and ignored.
      const url = (await (await pgServer()).createDatabase()).replace('@', ':s3cret-Pw@');
      const done: number[] = [];
      const kind = {
        kind: 'cmd-test',
        retryLimit: 1,
        leaseSeconds: 5,
        handler: async (task: Task<{ n: number }>, ctx: TaskContext) => {
          // A careless log line from a handler: the worker's logger masks the password.
          if (task.payload.n === 1) ctx.log.info(`reading ${url}`);
          if (task.payload.n === 3 && task.attempt === 1) throw new Error('first try of 3 fails');
          done.push(task.payload.n);
        },
      };
      // The program's registry, as kinds.ts fills it: the command knows only what is registered there.
      taskKinds.register(kind);
      // Tasks enqueued by another process (the scheduler), through its own registry.
      const sql = await openStore({ kind: 'postgres', url });
      const registry = new TaskRegistry();
      registry.register(kind);
      const producer = await PgBossQueue.open({
        url,
        registry,
        deps: { sql, log: memoryLogger(), now: () => new Date(), fetch },
      });
      for (const n of [1, 2, 3]) await producer.enqueue('cmd-test', { n });
      let stop = (_: string) => {};
      const stopSignal = new Promise<string>((r) => (stop = r));
      const lines: string[] = [];
      const origWrite = process.stderr.write.bind(process.stderr);
      process.stderr.write = ((chunk: string) => (
        lines.push(String(chunk)),
        true
      )) as typeof process.stderr.write;
      let r;
      try {
        const running = worker(
          ['--kinds', 'cmd-test', '--concurrency', '2'],
          {
            PROMOWATCH_DATABASE_URL: url,
            PROMOWATCH_QUEUE_POLL_SECONDS: '0.5',
            PROMOWATCH_WORKER_GRACE_SECONDS: '1',
          },
          stopSignal,
        );
        const until = Date.now() + 20_000;
        while (done.length < 3 && Date.now() < until) await new Promise((res) => setTimeout(res, 50));
        stop('SIGTERM');
        r = await running;
      } finally {
        process.stderr.write = origWrite;
      }
      expect(r.code).toBe(0);
      expect(done.sort()).toEqual([1, 2, 3]);
      const log = lines.join('');
      expect(log).toContain('worker: taking cmd-test tasks, 2 at a time per kind');
      expect(log).toMatch(
        /task cmd-test \S+ failed on try 1 of 2: first try of 3 fails — it will be retried/,
      );
      expect(log).toMatch(/task cmd-test \S+ started, try 2 of 2/);
      expect(log).toContain('worker: SIGTERM: taking no more tasks');
      expect(log).toContain('worker: stopped');
      expect(log).toContain(`reading ${url.replace('s3cret-Pw', '***')}`);
      expect(log).not.toContain('s3cret-Pw');
      expect((await producer.depth()).filter((d) => d.count > 0)).toEqual([
        { kind: 'cmd-test', state: 'completed', count: 3 },
      ]);
      await producer.close();
      await sql.close();
    },
    40_000,
  );
});
