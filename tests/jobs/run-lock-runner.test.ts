// On PostgreSQL the runner keeps one run of a job and site at a time across machines with the run lock:
// two runners on two connections (two machines, as far as the database can tell) start the same pair.
import { storeOf } from '../../src/db/store/sqlite.ts';
import { afterAll, describe, expect, it } from 'vitest';
import { runJob } from '../../jobs/runner.ts';
import type { Job } from '../../jobs/types.ts';
import { listRuns } from '../../src/db/job-runs.ts';
import { getSiteByName } from '../../src/db/sites.ts';
import { openStore } from '../../src/db/store/open.ts';
import { BACKENDS, stopPgServer } from '../pg/backends.ts';
import { deferred, FakeClock, tempDb, testConfig, testDeps } from '../helpers.ts';

afterAll(stopPgServer);

const POSTGRES = BACKENDS.filter((b) => b.name === 'postgres');

function job(name: string, run: Job['run']): Job {
  return { name, description: name, scope: 'site', defaultSchedule: '0 8 * * 1', run };
}

// Without a PostgreSQL server (PROMOWATCH_TEST_PG=0) the file says so as one skipped test instead of
// failing as a file with no tests in it.
describe.skipIf(POSTGRES.length === 0)('the runner on postgres', () => {
  const backend = POSTGRES[0]!;
  it('runs a job and site once when two runners on two connections start it at once', async () => {
    const { sql: first, url } = await backend.open();
    const second = await openStore({ kind: 'postgres', url });
    try {
      const clock = new FakeClock(Date.parse('2026-11-23T05:00:00Z'));
      // The runner still marks orphaned crawls on the SQLite connection (jobs/runner.ts).
      const { db } = tempDb({ besidePostgres: 'the runner marks orphaned crawls through db' });
      const base = testDeps(db, testConfig(), clock);
      const site = (await getSiteByName(storeOf(db), 'studio'))!;
      await first.run(
        'INSERT INTO sites (id, name, base_url, time_zone, created_at) VALUES (?, ?, ?, ?, ?)',
        [site.id, site.name, site.baseUrl, site.timeZone, clock.now().toISOString()],
      );
      // The same pid on both, as two containers each running promowatch as pid 1 would have.
      const a = { ...base, sql: first, pid: 1 };
      const b = { ...base, sql: second, pid: 1, log: { ...base.log } };
      const gate = deferred();
      let calls = 0;
      const slow = job('crawl-site', async () => (calls++, await gate.promise, { pages: 1 }));
      const runs = [runJob(a, slow, site, 'cli'), runJob(b, slow, site, 'cli')];
      const firstDone = await Promise.race(runs.map((r) => r.then((o) => o)));
      expect(firstDone).toMatchObject({ status: 'skipped', reason: expect.stringMatching(/still running/) });
      gate.resolve();
      const outcomes = await Promise.all(runs);
      expect(outcomes.map((o) => o.status).sort()).toEqual(['ok', 'skipped']);
      expect(calls).toBe(1);
      expect((await listRuns(first)).map((r) => r.status)).toEqual(['ok']);
      // The lock was released: the next run of the pair goes ahead.
      expect((await runJob(b, slow, site, 'cli')).status).toBe('ok');
      expect(await first.all('SELECT name FROM run_locks')).toEqual([]);
    } finally {
      await second.close();
      await first.close();
    }
  });
});
