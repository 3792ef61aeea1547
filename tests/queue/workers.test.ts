// Three real `promowatch worker` processes on one PostgreSQL queue, one of them killed with SIGKILL while
// it holds tasks: every task still ends completed, once, and its row is written once.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/db/store/open.ts';
import type { Sql } from '../../src/db/store/types.ts';
import { PgBossQueue } from '../../src/queue/pg-boss.ts';
import { TaskRegistry } from '../../src/queue/registry.ts';
import { memoryLogger } from '../../src/util/log.ts';
import { tempDir } from '../helpers.ts';
import { pgServer, stopPgServer } from '../pg/backends.ts';
import { pgAvailable } from '../pg/server.ts';
import { startProcess, waitFor, type Proc } from './processes.ts';
import { ROW_KIND } from './worker-entry.ts';

const ENTRY = fileURLToPath(new URL('./worker-entry.ts', import.meta.url));
const TASKS = 300;

afterAll(stopPgServer);

function startWorker(env: NodeJS.ProcessEnv): Proc {
  return startProcess(['--import', 'tsx', ENTRY], env);
}

async function count(sql: Sql, query: string, params: unknown[] = []): Promise<number> {
  return (await sql.get<{ n: number }>(query, params))!.n;
}

describe.skipIf(!pgAvailable())('promowatch worker processes', () => {
  it(`share ${TASKS} tasks; one killed with SIGKILL mid-run loses nothing and duplicates nothing`, async () => {
    const url = await (await pgServer()).createDatabase();
    const sql = await openStore({ kind: 'postgres', url });
    await sql.exec(
      `CREATE TABLE queue_test_rows (id integer PRIMARY KEY, body text NOT NULL, worker integer NOT NULL, runs integer NOT NULL)`,
    );
    // The scheduler's side: enqueue every task (the same kind definition the workers register).
    const registry = new TaskRegistry();
    registry.register(ROW_KIND);
    const producer = await PgBossQueue.open({
      url,
      registry,
      deps: { sql, log: memoryLogger(), now: () => new Date(), fetch },
    });
    try {
      for (let id = 1; id <= TASKS; id++)
        await producer.enqueue('row', { id, body: `row ${id}` }, { key: `row-${id}` });

      const config = join(tempDir(), 'promowatch.config.json');
      writeFileSync(
        config,
        JSON.stringify({ sites: [{ name: 'studio', baseUrl: 'https://studio.example/', timeZone: 'UTC' }] }),
      );
      const env = {
        PATH: process.env.PATH!,
        HOME: process.env.HOME!,
        PROMOWATCH_CONFIG: config,
        PROMOWATCH_DATABASE_URL: url,
        // Lost leases looked for every second, idle polling twice a second: recovery within ~3 s.
        PROMOWATCH_QUEUE_MAINTENANCE_SECONDS: '1',
        PROMOWATCH_QUEUE_POLL_SECONDS: '0.5',
        PROMOWATCH_WORKER_GRACE_SECONDS: '5',
      };
      const workers = [startWorker(env), startWorker(env), startWorker(env)];
      const [victim, ...survivors] = workers as [Proc, Proc, Proc];
      const logs = () => workers.map((w, i) => `--- worker ${i} ---\n${w.log()}`).join('\n');

      // Mid-run: the victim has done some tasks and, with 4 at a time and tasks still waiting, holds more.
      await waitFor(
        'the first worker to write rows',
        async () =>
          (await count(sql, 'SELECT count(*) AS n FROM queue_test_rows WHERE worker = ?', [
            victim.child.pid,
          ])) >= 15,
        40_000,
        logs,
      );
      expect(await count(sql, 'SELECT count(*) AS n FROM queue_test_rows')).toBeLessThan(TASKS);
      victim.child.kill('SIGKILL');
      expect(await victim.exited).toBe(null);

      await waitFor(
        'every task to complete',
        async () =>
          (await count(sql, `SELECT count(*) AS n FROM pgboss.job WHERE state = 'completed'`)) === TASKS,
        40_000,
        logs,
      );
      for (const w of survivors) w.child.kill('SIGTERM');
      expect(await Promise.all(survivors.map((w) => w.exited))).toEqual([0, 0]);
      for (const w of survivors) expect(w.log()).toContain('worker: stopped');

      // Every task's row, once, with its content.
      const rows = await sql.all<{ id: number; body: string; runs: number }>(
        'SELECT id, body, runs FROM queue_test_rows ORDER BY id',
      );
      expect(rows.map((r) => [r.id, r.body])).toEqual(
        Array.from({ length: TASKS }, (_, i) => [i + 1, `row ${i + 1}`]),
      );
      // Every task completed, none failed or left behind.
      const jobs = await sql.all<{ id: number; state: string; retries: number }>(
        `SELECT (data -> 'payload' ->> 'id')::int AS id, state::text AS state, retry_count AS retries
           FROM pgboss.job WHERE name = 'row' ORDER BY 1`,
      );
      expect(jobs.map((j) => [j.id, j.state])).toEqual(
        Array.from({ length: TASKS }, (_, i) => [i + 1, 'completed']),
      );
      // The killed worker's tasks were retried after their leases ran out …
      const retried = jobs.filter((j) => j.retries > 0);
      expect(retried.length).toBeGreaterThan(0);
      expect(retried.length).toBeLessThanOrEqual(4);
      // … and no task ran more often than it was tried (two workers never took the same task).
      const runs = new Map(rows.map((r) => [r.id, r.runs]));
      for (const j of jobs) expect([j.id, runs.get(j.id)! <= j.retries + 1]).toEqual([j.id, true]);
    } finally {
      await producer.close();
      await sql.close();
    }
  }, 120_000);
});
