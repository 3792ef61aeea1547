import { describe, expect, it } from 'vitest';
import { dbMaintenanceJob } from '../../jobs/db-maintenance.ts';
import { runJob } from '../../jobs/runner.ts';
import { FakeClock, siteByName, testConfig, testStoreDeps } from '../helpers.ts';

describe('db-maintenance job', () => {
  it('prunes old crawls but keeps the latest two of each site', async () => {
    const clock = new FakeClock(Date.parse('2026-11-27T03:30:00Z'));
    const deps = await testStoreDeps(testConfig(), clock);
    const { sql } = deps;
    const site = (await siteByName(sql, 'studio'))!;
    for (const iso of [
      '2024-01-01T00:00:00Z',
      '2024-02-01T00:00:00Z',
      '2024-03-01T00:00:00Z',
      '2026-11-20T00:00:00Z',
    ])
      await sql.run(
        `INSERT INTO crawls (site_id, start_url, started_at, status) VALUES (?, 'http://x/', ?, 'ok')`,
        [site.id, iso],
      );
    const r = await runJob(deps, dbMaintenanceJob, null, 'manual');
    expect(r).toMatchObject({ status: 'ok', counts: { prunedCrawls: 2 } });
    expect(
      (
        await sql.all<{ startedAt: string }>(
          `SELECT started_at AS "startedAt" FROM crawls ORDER BY started_at`,
        )
      ).map((c) => c.startedAt),
    ).toEqual(['2024-03-01T00:00:00Z', '2026-11-20T00:00:00Z']);
  });

  it('folds the WAL back and refreshes statistics on SQLite only; PostgreSQL leaves that to autovacuum', async () => {
    const deps = await testStoreDeps(testConfig(), new FakeClock(Date.parse('2026-11-27T03:30:00Z')));
    const r = await runJob(deps, dbMaintenanceJob, null, 'manual');
    expect(r.status).toBe('ok');
    const counts = r.status === 'ok' ? r.counts : {};
    if (deps.sql.dialect === 'sqlite') expect(counts.walPagesCheckpointed).toBeGreaterThanOrEqual(0);
    else {
      expect(counts).not.toHaveProperty('walPagesCheckpointed');
      expect(deps.log.lines.join('\n')).toMatch(/PRAGMA optimize are SQLite steps, skipped/);
    }
  });
});
