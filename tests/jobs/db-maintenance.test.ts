import { storeOf } from '../../src/db/store/sqlite.ts';
import { describe, expect, it } from 'vitest';
import { getSiteByName } from '../../src/db/sites.ts';
import { dbMaintenanceJob } from '../../jobs/db-maintenance.ts';
import { runJob } from '../../jobs/runner.ts';
import { FakeClock, tempDb, testConfig, testDeps } from '../helpers.ts';

describe('db-maintenance job', () => {
  it('prunes old crawls but keeps the latest two of each site', async () => {
    const { db } = tempDb();
    const clock = new FakeClock(Date.parse('2026-11-27T03:30:00Z'));
    const deps = testDeps(db, testConfig(), clock);
    const site = (await getSiteByName(storeOf(db), 'studio'))!;
    const add = (iso: string) =>
      db
        .prepare(
          `INSERT INTO crawls (site_id, start_url, started_at, status) VALUES (?, 'http://x/', ?, 'ok')`,
        )
        .run(site.id, iso);
    for (const iso of [
      '2024-01-01T00:00:00Z',
      '2024-02-01T00:00:00Z',
      '2024-03-01T00:00:00Z',
      '2026-11-20T00:00:00Z',
    ])
      add(iso);
    const r = await runJob(deps, dbMaintenanceJob, null, 'manual');
    expect(r).toMatchObject({ status: 'ok', counts: { prunedCrawls: 2 } });
    expect(db.prepare(`SELECT started_at FROM crawls ORDER BY started_at`).pluck().all()).toEqual([
      '2024-03-01T00:00:00Z',
      '2026-11-20T00:00:00Z',
    ]);
  });
});
