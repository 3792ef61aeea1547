// A failed run raises one 'job-failure' alert through the channels that take it, at most once in 6 hours
// per job and site, and nothing about alerting can change how the run itself is recorded.
import { describe, expect, it } from 'vitest';
import { makeSecretResolver } from '../../src/config/load.ts';
import { listRuns } from '../../src/db/job-runs.ts';
import { runJob } from '../../jobs/runner.ts';
import type { Job } from '../../jobs/types.ts';
import { FakeClock, siteByName, testConfig, testStoreDeps } from '../helpers.ts';
import { alertRowsOf, recordingServer } from '../notify/servers.ts';

const ERROR = 'Yandex Direct answered 53: authorization error for login <client>';

const failing: Job = {
  name: 'pull-ads',
  description: '',
  scope: 'site',
  defaultSchedule: '* * * * *',
  run: async () => {
    throw new Error(ERROR);
  },
};

async function setup(answer: number, channel: Record<string, unknown> = {}, siteLanguage?: 'ru' | 'en') {
  const hook = await recordingServer(() => ({ status: answer, body: answer === 200 ? 'ok' : 'down' }));
  const clock = new FakeClock(Date.parse('2026-11-27T09:00:00Z'));
  const config = testConfig({
    notifications: {
      channels: [{ type: 'webhook', name: 'ops', url: { env: 'OPS_HOOK' }, ...channel }],
    },
  });
  if (siteLanguage) config.sites[0]!.language = siteLanguage;
  const sleeps: number[] = [];
  const deps = {
    ...(await testStoreDeps(config, clock)),
    secret: makeSecretResolver({ OPS_HOOK: `${hook.base}/hook` }, 'test'),
    alertOptions: { sleep: async (ms: number) => void sleeps.push(ms) },
  };
  return {
    hook,
    sql: deps.sql,
    clock,
    deps,
    sleeps,
    studio: (await siteByName(deps.sql, 'studio'))!,
    bakery: (await siteByName(deps.sql, 'bakery'))!,
  };
}

describe('job-failure alert', () => {
  it('sends one critical alert naming the job, the site and the error when a run fails', async () => {
    const { hook, sql, deps, studio } = await setup(200);
    const outcome = await runJob(deps, failing, studio, 'schedule');
    expect(outcome).toMatchObject({ status: 'failed', error: ERROR });
    expect(hook.requests).toHaveLength(1);
    const body = JSON.parse(hook.requests[0]!.body) as Record<string, unknown>;
    expect(body).toMatchObject({
      site: 'studio',
      kind: 'job-failure',
      severity: 'critical',
      title: 'studio: job pull-ads failed',
      lines: [
        `Run #${outcome.status === 'failed' ? outcome.runId : 0} of pull-ads for studio failed: ${ERROR}`,
      ],
    });
    expect(await alertRowsOf(sql)).toEqual([
      expect.objectContaining({
        channel: 'ops',
        kind: 'job-failure',
        attempts: 1,
        delivered_at: '2026-11-27T09:00:00.000Z',
      }),
    ]);
  });

  it('does not alert again for the same job and site within 6 hours, and does after', async () => {
    const { hook, deps, clock, studio, bakery } = await setup(200);
    await runJob(deps, failing, studio, 'schedule');
    // Every 15 minutes for almost 6 hours: the same failure, no new alert.
    for (let i = 0; i < 23; i++) {
      clock.advance(15 * 60_000);
      expect(await runJob(deps, failing, studio, 'schedule')).toMatchObject({ status: 'failed' });
    }
    expect(hook.requests).toHaveLength(1);
    // Another site's failure of the same job, and another job's on the same site, are news.
    await runJob(deps, failing, bakery, 'schedule');
    await runJob(deps, { ...failing, name: 'crawl-site' }, studio, 'schedule');
    expect(hook.requests.map((r) => (JSON.parse(r.body) as { title: string }).title)).toEqual([
      'studio: job pull-ads failed',
      'bakery: job pull-ads failed',
      'studio: job crawl-site failed',
    ]);
    clock.advance(15 * 60_000 + 1);
    await runJob(deps, failing, studio, 'schedule');
    expect(hook.requests).toHaveLength(4);
  });

  it("speaks the site's language, and still alerts once in 6 hours", async () => {
    const { hook, sql, deps, clock, studio } = await setup(200, {}, 'ru');
    const outcome = await runJob(deps, failing, studio, 'schedule');
    const runId = outcome.status === 'failed' ? outcome.runId : 0;
    const body = JSON.parse(hook.requests[0]!.body) as { title: string; lines: string[]; text: string };
    expect(body.title).toBe('studio: сбой задачи pull-ads');
    expect(body.lines).toEqual([
      `Запуск №${runId} задачи pull-ads для сайта studio завершился с ошибкой: ${ERROR}`,
    ]);
    expect(body.text).toContain('Критично · studio · сбои задач');
    expect((await alertRowsOf(sql))[0]!.message).toMatch(/^studio: сбой задачи pull-ads\n/);
    clock.advance(60 * 60_000);
    await runJob(deps, failing, studio, 'schedule');
    expect(hook.requests).toHaveLength(1);
  });

  it('speaks English through a channel set to English on a Russian site', async () => {
    const { hook, deps, studio } = await setup(200, { language: 'en' }, 'ru');
    await runJob(deps, failing, studio, 'schedule');
    expect((JSON.parse(hook.requests[0]!.body) as { title: string }).title).toBe(
      'studio: job pull-ads failed',
    );
  });

  it('retries a webhook answering 500, records the alert as failed and leaves the run failed with its own error', async () => {
    const { hook, sql, deps, clock, sleeps, studio } = await setup(500);
    const outcome = await runJob(deps, failing, studio, 'cli');
    expect(outcome).toMatchObject({ status: 'failed', error: ERROR });
    expect(hook.requests).toHaveLength(4);
    expect(sleeps).toEqual([1000, 2000, 4000]);
    expect(await alertRowsOf(sql)).toEqual([
      expect.objectContaining({
        channel: 'ops',
        kind: 'job-failure',
        attempts: 4,
        delivered_at: null,
        last_error: expect.stringContaining('HTTP 500'),
      }),
    ]);
    expect(await listRuns(sql, { siteId: studio.id, limit: 10 })).toEqual([
      expect.objectContaining({ job: 'pull-ads', status: 'failed', error: ERROR }),
    ]);
    // An undelivered alert still counts: a dead webhook is not hammered every 15 minutes either.
    clock.advance(60 * 60_000);
    await runJob(deps, failing, studio, 'schedule');
    expect(hook.requests).toHaveLength(4);
  });

  it('sends nothing for an interrupted run or a run that succeeds', async () => {
    const { hook, sql, deps, studio } = await setup(200);
    const ctl = new AbortController();
    const interrupted: Job = {
      ...failing,
      run: async () => {
        ctl.abort();
        throw new Error('stopped at shutdown');
      },
    };
    expect(await runJob(deps, interrupted, studio, 'schedule', ctl.signal)).toMatchObject({
      status: 'interrupted',
    });
    expect(
      await runJob(deps, { ...failing, run: async () => ({ rows: 1 }) }, studio, 'schedule'),
    ).toMatchObject({
      status: 'ok',
    });
    expect(hook.requests).toHaveLength(0);
    expect(await alertRowsOf(sql)).toEqual([]);
  });

  it('sends nothing through a channel whose filters leave job failures or the site out', async () => {
    for (const filter of [{ kinds: ['lost-backlink'] }, { sites: ['bakery'] }]) {
      const { hook, sql, deps, studio } = await setup(200, filter);
      expect(await runJob(deps, failing, studio, 'schedule')).toMatchObject({ status: 'failed' });
      expect(hook.requests).toHaveLength(0);
      expect(await alertRowsOf(sql)).toEqual([]);
    }
  });

  it('keeps the run recorded as failed when alerting itself breaks', async () => {
    const { hook, sql, deps, studio } = await setup(200);
    await sql.exec(sql.dialect === 'postgres' ? 'DROP TABLE alerts CASCADE' : 'DROP TABLE alerts');
    const outcome = await runJob(deps, failing, studio, 'schedule');
    expect(outcome).toMatchObject({ status: 'failed', error: ERROR });
    expect(await listRuns(sql, { siteId: studio.id, limit: 10 })).toEqual([
      expect.objectContaining({ status: 'failed', error: ERROR }),
    ]);
    expect(hook.requests).toHaveLength(0);
    expect(deps.log.lines.join('\n')).toMatch(
      // SQLite's words, or PostgreSQL's.
      /could not send the job-failure alert: (no such table: alerts|relation "alerts" does not exist)/,
    );
  });
});
