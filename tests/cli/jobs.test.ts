// `promowatch jobs`: times on the wall clock of the zone each job runs in, that zone named once above.
import { describe, expect, it } from 'vitest';
import { JOBS } from '../../jobs/index.ts';
import { planRuns } from '../../jobs/scheduler.ts';
import { jobsJson, jobsTable } from '../../src/cli/commands/jobs.ts';
import { finishRun, lastRun, tryStartRun } from '../../src/db/job-runs.ts';
import { finishSync, listAccounts, startSync } from '../../src/ads/store.ts';
import { FakeClock, siteByName, testConfig, testStoreDeps } from '../helpers.ts';
import { testDatabase } from './backend.ts';
import { cliInProcess } from './in-process.ts';

async function setup() {
  // studio in Moscow (UTC+3), bakery in Yekaterinburg (UTC+5), the install's own jobs in UTC.
  const clock = new FakeClock(Date.parse('2026-11-01T05:45:00Z'));
  const deps = await testStoreDeps(testConfig({ timeZone: 'UTC' }), clock);
  const { sql } = deps;
  const lines = async () =>
    Promise.all(
      (await planRuns(deps, JOBS)).map(async (plan) => ({
        plan,
        last: await lastRun(sql, plan.job.name, plan.site?.id ?? null),
      })),
    );
  return { sql, clock, deps, lines };
}

describe('jobsTable()', () => {
  it("prints last and next runs on the site's wall clock, the zone named once per block, durations human", async () => {
    const { sql, clock, lines } = await setup();
    const studio = (await siteByName(sql, 'studio'))!;
    const run = await tryStartRun(
      sql,
      { job: 'uptime', siteId: studio.id, trigger: 'schedule', pid: 1, isLive: () => false },
      clock.now(),
    );
    if (!run.started) throw new Error('not started');
    await finishRun(sql, run.id, { status: 'ok' }, new Date(clock.t + 12_400));
    clock.advance(15 * 60_000); // 06:00 UTC: 09:00 in Moscow, 11:00 in Yekaterinburg

    const out = jobsTable(await lines(), clock.now());
    const text = out.join('\n');
    const headers = out.filter((l) => l.startsWith('Times in '));
    expect(headers).toEqual(['Times in Europe/Moscow', 'Times in Asia/Yekaterinburg', 'Times in UTC']);
    expect(text).not.toMatch(/\d{4}-\d\d-\d\dT/); // no raw ISO timestamps left
    const studioUptime = out.find((l) => /^uptime\s+studio/.test(l))!;
    expect(studioUptime).toMatch(
      /^uptime\s+studio\s+\*\/15 \* \* \* \*\s+2026-11-01 08:45 \(15 minutes ago\)\s+12\.4 sec\s+ok\s+2026-11-01 09:15 \(in 15 minutes\)$/,
    );
    const bakeryUptime = out.find((l) => /^uptime\s+bakery/.test(l))!;
    expect(bakeryUptime).toMatch(/\s+never\s+-\s+-\s+2026-11-01 11:15 \(in 15 minutes\)$/);
    const maintenance = out.find((l) => /^db-maintenance/.test(l))!;
    expect(maintenance).toMatch(
      /^db-maintenance\s+\(all sites\)\s+30 3 \* \* \*\s+never\s+-\s+-\s+2026-11-02 03:30 /,
    );
    // One run exists, so the "nothing has run yet" hint is not shown.
    expect(text).not.toContain('No job has run yet');
  });

  it('says how to get jobs running when none has run yet', async () => {
    const { clock, lines } = await setup();
    expect(jobsTable(await lines(), clock.now()).at(-1)).toBe(
      'No job has run yet — start the scheduler with `promowatch start`, or run one now with `promowatch run JOB`.',
    );
  });

  it('--json keeps UTC ISO times and names the zone per job', async () => {
    const { clock, lines } = await setup();
    const doc = jobsJson(await lines(), clock.now());
    expect(doc.find((j) => j.job === 'uptime' && j.site === 'bakery')).toEqual({
      job: 'uptime',
      site: 'bakery',
      schedule: '*/15 * * * *',
      timeZone: 'Asia/Yekaterinburg',
      enabled: true,
      lastRun: null,
      nextRun: '2026-11-01T06:00:00.000Z',
    });
  });
});

describe('ads accounts', () => {
  it("prints the last sync on the site's wall clock, the zone named once above", async () => {
    const db = await testDatabase();
    const run = cliInProcess(['studio'], db.env);
    const add = await run(
      'ads',
      'accounts',
      'add',
      '--platform',
      'yandex-direct',
      '--id',
      'studio-direct',
      '--name',
      'Direct',
      '--currency',
      'RUB',
    );
    expect(add.code).toBe(0);
    const sql = await db.sql();
    const account = (await listAccounts(sql, 1))[0]!;
    const sync = await startSync(
      sql,
      account.id,
      'api',
      '2026-10-29',
      '2026-10-31',
      null,
      new Date('2026-11-01T06:00:00Z'),
    );
    await finishSync(sql, sync, { status: 'ok', rows: 3 }, new Date('2026-11-01T06:00:04Z'));
    const r = await run('ads', 'accounts');
    expect(r.out.split('\n')[0]).toBe('Ad accounts of studio (times in Europe/Moscow)');
    expect(r.out).toContain('last sync 2026-11-01 09:00 ok');
  });
});
