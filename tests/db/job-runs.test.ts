// The job_runs queries give the same answers on SQLite and PostgreSQL: starting, blocking, heartbeats,
// finishing, sweeping and the history the Jobs page and overview read.
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  finishRun,
  lastRun,
  listRuns,
  markInterrupted,
  recordHeartbeat,
  runningRuns,
  runsByDay,
  tryStartRun,
} from '../../src/db/job-runs.ts';
import { getMeta, setMetaIfAbsent } from '../../src/db/meta.ts';
import type { Sql } from '../../src/db/store/types.ts';
import { BACKENDS, stopPgServer } from '../pg/backends.ts';

afterAll(stopPgServer);

const T0 = new Date('2026-11-23T05:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

async function addSite(sql: Sql, name: string): Promise<number> {
  return (await sql.get<{ id: number }>(
    'INSERT INTO sites (name, base_url, time_zone, created_at) VALUES (?, ?, ?, ?) RETURNING id',
    [name, `https://${name}.example/`, 'Europe/Moscow', T0.toISOString()],
  ))!.id;
}

describe.each(BACKENDS)('job runs on $name', (backend) => {
  let sql: Sql;
  let studio: number;
  beforeEach(async () => {
    sql = (await backend.open()).sql;
    studio = await addSite(sql, 'studio');
  });
  afterEach(() => sql.close());

  const start = (job: string, siteId: number | null, now: Date, isLive = () => true) =>
    tryStartRun(sql, { job, siteId, trigger: 'cli', pid: 4242, processStartedAt: '5551', isLive }, now);

  it('starts a run, refuses a second while it is live, and takes over one whose process is gone', async () => {
    const first = await start('crawl-site', studio, at(0));
    expect(first.started).toBe(true);
    const blocked = await start('crawl-site', studio, at(1));
    expect(blocked).toMatchObject({
      started: false,
      blockedBy: {
        job: 'crawl-site',
        siteId: studio,
        pid: 4242,
        heartbeatAt: at(0).toISOString(),
        processStartedAt: '5551',
      },
    });
    // The install-wide run of the same job is another pair: NULL matches NULL only.
    expect((await start('crawl-site', null, at(1))).started).toBe(true);
    expect((await start('crawl-site', null, at(2))).started).toBe(false);
    const next = await start('crawl-site', studio, at(3), () => false);
    expect(next.started).toBe(true);
    const byId = new Map((await listRuns(sql)).map((r) => [r.id, r.status]));
    expect(byId.get((first as { id: number }).id)).toBe('interrupted');
    expect(await getMeta(sql, `job-run:${(first as { id: number }).id}:liveness`)).toBeUndefined();
  });

  it('records heartbeats, and finishing removes the liveness record', async () => {
    const r = (await start('uptime', studio, at(0))) as { id: number };
    await recordHeartbeat(sql, r.id, at(5));
    expect(await runningRuns(sql)).toEqual([
      {
        id: r.id,
        job: 'uptime',
        siteId: studio,
        startedAt: at(0).toISOString(),
        pid: 4242,
        heartbeatAt: at(5).toISOString(),
        processStartedAt: '5551',
      },
    ]);
    await finishRun(sql, r.id, { status: 'ok', counts: { pages: 3 } }, at(6));
    expect(await runningRuns(sql)).toEqual([]);
    expect(await lastRun(sql, 'uptime', studio)).toMatchObject({
      status: 'ok',
      siteName: 'studio',
      finishedAt: at(6).toISOString(),
      counts: { pages: 3 },
      error: null,
    });
    expect(await lastRun(sql, 'uptime', null)).toBeUndefined();
  });

  it('reads a running row with damaged liveness as one without a heartbeat', async () => {
    const r = (await start('uptime', studio, at(0))) as { id: number };
    await sql.run('UPDATE meta SET value = ? WHERE key = ?', ['not json', `job-run:${r.id}:liveness`]);
    await recordHeartbeat(sql, r.id, at(1));
    expect((await runningRuns(sql))[0]).toMatchObject({ heartbeatAt: null, processStartedAt: null });
  });

  it('sweeps dead runs and liveness left behind, keeping live ones', async () => {
    const dead = (await start('a', studio, at(0))) as { id: number };
    const live = (await start('b', studio, at(0))) as { id: number };
    await sql.run(`INSERT INTO meta (key, value) VALUES ('job-run:999:liveness', '{}')`);
    expect(await markInterrupted(sql, (row) => row.id === live.id, at(10))).toEqual([dead.id]);
    expect(await getMeta(sql, 'job-run:999:liveness')).toBeUndefined();
    expect(await getMeta(sql, `job-run:${live.id}:liveness`)).toBeDefined();
    expect(await lastRun(sql, 'a', studio)).toMatchObject({
      status: 'interrupted',
      finishedAt: at(10).toISOString(),
      error: expect.stringMatching(/stopped before it finished/),
    });
  });

  it('lists runs newest first by site (with the install-wide ones) and job, and counts them per local day', async () => {
    const bakery = await addSite(sql, 'bakery');
    for (const [job, site, minutes] of [
      ['a', studio, 0],
      ['b', bakery, 10],
      ['g', null, 20],
      ['a', studio, 30],
    ] as const) {
      const r = (await start(job, site, at(minutes), () => false)) as { id: number };
      await finishRun(sql, r.id, { status: job === 'b' ? 'failed' : 'ok', error: 'x' }, at(minutes + 1));
    }
    expect((await listRuns(sql)).map((r) => `${r.job}@${r.siteName ?? '*'}`)).toEqual([
      'a@studio',
      'g@*',
      'b@bakery',
      'a@studio',
    ]);
    expect((await listRuns(sql, { siteId: studio })).map((r) => r.job)).toEqual(['a', 'g', 'a']);
    expect((await listRuns(sql, { job: 'a', limit: 1 })).map((r) => r.startedAt)).toEqual([
      at(30).toISOString(),
    ]);
    // 05:00 UTC is 08:00 in Moscow, 21:00 the day before in Los Angeles.
    const days = await runsByDay(sql, studio, 'America/Los_Angeles', at(-600), at(600));
    expect([...days]).toEqual([['2026-11-22', { running: 0, ok: 3, failed: 0, interrupted: 0 }]]);
    const all = await runsByDay(sql, null, 'Europe/Moscow', at(-600), at(600));
    expect([...all]).toEqual([['2026-11-23', { running: 0, ok: 3, failed: 1, interrupted: 0 }]]);
  });

  it('keeps the first value of a meta key', async () => {
    expect(await setMetaIfAbsent(sql, 'scheduler.first_started_at', 'one')).toBe('one');
    expect(await setMetaIfAbsent(sql, 'scheduler.first_started_at', 'two')).toBe('one');
  });
});
