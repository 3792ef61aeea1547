// The weekly report's failed-jobs query on both backends: the site's own failures and the install-wide
// ones within the week's instants, oldest first, never another site's.
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Sql } from '../../src/db/store/types.ts';
import { jobFailures } from '../../src/report/build.ts';
import { BACKENDS, stopPgServer } from '../pg/backends.ts';

afterAll(stopPgServer);

// Week 47 in Moscow: Monday 16 November 00:00 (+03:00) to Monday 23 November 00:00.
const SPAN = { start: new Date('2026-11-15T21:00:00Z'), end: new Date('2026-11-22T21:00:00Z') };

describe.each(BACKENDS)('jobFailures() on $name', (backend) => {
  let sql: Sql;
  beforeEach(async () => {
    sql = (await backend.open()).sql;
  });
  afterEach(async () => {
    await sql.close();
  });

  async function site(name: string): Promise<number> {
    return (await sql.get<{ id: number }>(
      `INSERT INTO sites (name, base_url, time_zone, created_at) VALUES (?, ?, 'Europe/Moscow', ?) RETURNING id`,
      [name, `https://${name}.example/`, '2026-10-01T00:00:00.000Z'],
    ))!.id;
  }

  async function run(
    job: string,
    siteId: number | null,
    startedAt: string,
    error: string | null,
    finished = true,
  ) {
    const finishedAt = finished ? new Date(Date.parse(startedAt) + 60_000).toISOString() : null;
    await sql.run(
      `INSERT INTO job_runs (job, site_id, trigger, started_at, finished_at, status, error, pid)
       VALUES (?, ?, 'schedule', ?, ?, ?, ?, 1)`,
      [job, siteId, startedAt, finishedAt, error ? 'failed' : 'ok', error],
    );
  }

  it('lists the week’s failures of the site and of no site, oldest first, with when each ended', async () => {
    const studio = await site('studio');
    const bakery = await site('bakery');
    await run('db-maintenance', null, '2026-11-21T00:30:00.000Z', 'disk full');
    await run('check-backlinks', studio, '2026-11-18T07:00:00.000Z', 'connection refused');
    await run('check-backlinks', studio, '2026-11-19T07:00:00.000Z', null);
    await run('check-backlinks', studio, '2026-11-15T20:59:00.000Z', 'Sunday before, in Moscow');
    await run('crawl-site', studio, '2026-11-22T21:00:00.000Z', 'Monday already in Moscow');
    await run('check-backlinks', bakery, '2026-11-18T07:00:00.000Z', "the other site's failure");
    // A run that died without finishing: its start stands in for its end.
    await run('audit', studio, '2026-11-20T10:00:00.000Z', 'killed', false);
    expect(await jobFailures(sql, studio, SPAN)).toEqual([
      { job: 'check-backlinks', at: '2026-11-18T07:01:00.000Z', error: 'connection refused' },
      { job: 'audit', at: '2026-11-20T10:00:00.000Z', error: 'killed' },
      { job: 'db-maintenance', at: '2026-11-21T00:31:00.000Z', error: 'disk full' },
    ]);
  });
});
