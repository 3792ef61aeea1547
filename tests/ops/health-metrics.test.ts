import { describe, expect, it } from 'vitest';
import { JOBS } from '../../jobs/index.ts';
import { Scheduler } from '../../jobs/scheduler.ts';
import { openStore } from '../../src/db/store/open.ts';
import { storeOf } from '../../src/db/store/sqlite.ts';
import type { Sql } from '../../src/db/store/types.ts';
import { InProcessQueue } from '../../src/queue/in-process.ts';
import { TaskRegistry } from '../../src/queue/registry.ts';
import type { TaskQueue } from '../../src/queue/types.ts';
import { readHeartbeat, writeHeartbeat } from '../../src/ops/heartbeat.ts';
import { EXPOSITION_CONTENT_TYPE } from '../../src/ops/metrics.ts';
import { memoryLogger } from '../../src/util/log.ts';
import { createApp } from '../../web/app.ts';
import type { AppDeps } from '../../web/types.ts';
import {
  FakeClock,
  siteByName,
  tempDb,
  TEST_BACKEND,
  testConfig,
  testStore,
  testStoreDeps,
} from '../helpers.ts';
import { setup as accessSetup } from '../web/access-setup.ts';

const NOW = Date.parse('2026-11-27T09:00:00Z');
const AUTH = { password: 'a-long-enough-password', sessionHours: 12, apiToken: 'api-token-123456' };

async function setup(extra: Partial<AppDeps> = {}) {
  const clock = new FakeClock(NOW);
  const config = testConfig();
  const deps = await testStoreDeps(config, clock);
  const app = createApp({
    db: deps.db,
    sql: deps.sql,
    config,
    jobs: JOBS,
    now: clock.now,
    log: memoryLogger(),
    auth: null,
    ...extra,
  });
  return { app, sql: extra.sql ?? deps.sql, clock, deps };
}

/**
 * A store of the run's backend that the test may close, to see the database go away under a running
 * dashboard (testStore()'s own stores are closed after the test, and a pool is ended only once).
 */
async function closableStore(): Promise<{ sql: Sql; close: () => Promise<void> }> {
  if (TEST_BACKEND === 'postgres') {
    const { freshPgUrl } = await import('../pg/backends.ts');
    const sql = await openStore({ kind: 'postgres', url: await freshPgUrl() });
    return { sql, close: () => sql.close() };
  }
  const { db } = tempDb();
  return { sql: storeOf(db), close: async () => void db.close() };
}

/**
 * A small reader of the text exposition format 0.0.4: `# HELP`/`# TYPE` lines, then samples
 * `name{label="value",…} number`. Checks what a scraper relies on and returns samples by series key.
 */
function parseExposition(text: string) {
  const types = new Map<string, string>();
  const helps = new Set<string>();
  const samples = new Map<string, number>();
  expect(text.endsWith('\n')).toBe(true);
  for (const line of text.slice(0, -1).split('\n')) {
    const meta = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/.exec(line);
    if (meta) {
      if (meta[1] === 'TYPE') {
        expect(['counter', 'gauge', 'summary', 'histogram', 'untyped']).toContain(meta[3]);
        expect(types.has(meta[2]!), `one TYPE line for ${meta[2]}`).toBe(false);
        types.set(meta[2]!, meta[3]!);
      } else helps.add(meta[2]!);
      continue;
    }
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$/.exec(line);
    expect(m, `a sample line: ${line}`).not.toBeNull();
    const [, name, , rawLabels = ''] = m!;
    const labels: string[] = [];
    let rest = rawLabels;
    while (rest) {
      const lm = /^([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"(?:,|$)/.exec(rest);
      expect(lm, `label pairs in ${line}`).not.toBeNull();
      labels.push(`${lm![1]}=${lm![2]}`);
      rest = rest.slice(lm![0].length);
    }
    const family = types.has(name!) ? name! : name!.replace(/_(sum|count|bucket)$/, '');
    expect(types.has(family), `${name} comes after its TYPE line`).toBe(true);
    expect(helps.has(family), `${family} has HELP`).toBe(true);
    if (types.get(family) === 'counter') expect(family.endsWith('_total'), family).toBe(true);
    const value = Number(m![4]);
    expect(Number.isNaN(value)).toBe(false);
    samples.set(labels.length ? `${name}{${labels.sort().join(',')}}` : name!, value);
  }
  return { types, samples };
}

async function seed(s: Awaited<ReturnType<typeof setup>>) {
  const { sql } = s;
  const site = (await siteByName(sql, 'studio'))!.id;
  const run = (job: string, startedAt: string, finishedAt: string | null, status: string) =>
    sql.run(
      `INSERT INTO job_runs (job, site_id, trigger, started_at, finished_at, status, pid) VALUES (?, ?, 'schedule', ?, ?, ?, 1)`,
      [job, site, startedAt, finishedAt, status],
    );
  await run('uptime', '2026-11-27T08:00:00Z', '2026-11-27T08:00:02Z', 'ok');
  await run('uptime', '2026-11-27T08:05:00Z', '2026-11-27T08:05:04Z', 'ok');
  await run('uptime', '2026-11-27T08:10:00Z', '2026-11-27T08:10:06Z', 'failed');
  await run('crawl-site', '2026-11-27T07:00:00Z', '2026-11-27T07:01:40Z', 'ok');
  await run('crawl-site', '2026-11-27T08:59:00Z', null, 'running');
  await sql.run(
    `INSERT INTO crawls (site_id, start_url, started_at, status, pages) VALUES (?, 'https://s/', '2026-11-20T00:00:00Z', 'ok', 120), (?, 'https://s/', '2026-11-27T00:00:00Z', 'ok', 130)`,
    [site, site],
  );
  const kw = (await sql.get<{ id: number }>(
    `INSERT INTO keywords (site_id, query, engine, device, region, created_at) VALUES (?, 'видеосъёмка', 'yandex', 'desktop', '213', '2026-11-01T00:00:00Z') RETURNING id`,
    [site],
  ))!.id;
  const obs = (day: string, source: string) =>
    sql.run(
      `INSERT INTO rank_observations (keyword_id, day, source, priority, state, error) VALUES (?, ?, ?, 1, 'failed', 'quota')`,
      [kw, day, source],
    );
  await obs('2026-11-25', 'xmlriver');
  await obs('2026-11-26', 'xmlriver');
  await obs('2026-11-26', 'dataforseo');
  const account = (await sql.get<{ id: number }>(
    `INSERT INTO ad_accounts (site_id, platform, external_id, name, currency, time_zone, created_at) VALUES (?, 'yandex-direct', 'acc', 'Direct', 'RUB', 'Europe/Moscow', '2026-11-01T00:00:00Z') RETURNING id`,
    [site],
  ))!.id;
  await sql.run(
    `INSERT INTO ad_syncs (account_id, kind, started_at, status, date_from, date_to, error) VALUES (?, 'api', '2026-11-27T06:00:00Z', 'failed', '2026-11-26', '2026-11-26', 'token expired')`,
    [account],
  );
  const alert = (channel: string, deliveredAt: string | null, attempts: number, notice: string) =>
    sql.run(
      `INSERT INTO alerts (site_id, kind, severity, message, channel, recipient, raised_at, delivered_at, attempts, notice) VALUES (?, 'lost-backlink', 'warning', 'm', ?, 'r', '2026-11-27T05:00:00Z', ?, ?, ?)`,
      [site, channel, deliveredAt, attempts, notice],
    );
  await alert('mail', '2026-11-27T05:00:01Z', 1, 'n1');
  await alert('telegram', '2026-11-27T05:00:01Z', 1, 'n1');
  await alert('telegram', null, 3, 'n2');
  await writeHeartbeat(sql, new Date(NOW - 42_000));
}

describe('GET /healthz', () => {
  it('answers ok with no scheduler on the database, and names nothing of the install', async () => {
    const { app } = await setup();
    const res = await app.request('/healthz');
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, any>;
    expect(body).toEqual({
      status: 'ok',
      checks: {
        database: { ok: true, ms: expect.any(Number), backend: TEST_BACKEND },
        scheduler: { ok: true, lastHeartbeat: null },
        queue: { ok: true, backend: 'in-process' },
      },
    });
    expect(JSON.stringify(body)).not.toMatch(/studio|bakery|version/);
  });

  it('needs no login even with accounts or a password, and takes any Host (a load balancer probes by IP)', async () => {
    const { app } = await setup({ auth: AUTH });
    const res = await app.request('http://10.0.0.7:8787/healthz');
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toBeNull();
  });

  it('is 503 degraded when the scheduler heartbeat is stale, 503 down when the database is gone', async () => {
    const store = await closableStore();
    const s = await setup({ sql: store.sql });
    await writeHeartbeat(s.sql, new Date(NOW - 60_000));
    expect((await s.app.request('/healthz')).status).toBe(200);
    s.clock.advance(10 * 60_000);
    const stale = await s.app.request('/healthz');
    expect(stale.status).toBe(503);
    expect(await stale.json()).toMatchObject({
      status: 'degraded',
      checks: { database: { ok: true }, scheduler: { ok: false, lastHeartbeat: '2026-11-27T08:59:00.000Z' } },
    });
    await store.close();
    const down = await s.app.request('/healthz');
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ status: 'down', checks: { database: { ok: false } } });
  });

  it('follows the scheduler: it beats while started and clears its heartbeat on a clean stop', async () => {
    const s = await setup();
    const scheduler = await Scheduler.create(s.deps, [], () => ({ stop() {} }));
    await scheduler.start();
    expect(await readHeartbeat(s.sql)).toBe('2026-11-27T09:00:00.000Z');
    s.clock.advance(10 * 60_000);
    expect((await s.app.request('/healthz')).status).toBe(503);
    await scheduler.stop(0);
    expect(await readHeartbeat(s.sql)).toBeNull();
    expect((await s.app.request('/healthz')).status).toBe(200);
  });
});

describe('GET /metrics', () => {
  it('reports runs, durations, provider errors, alerts, crawl pages, queue and heartbeat in format 0.0.4', async () => {
    const s = await setup();
    await seed(s);
    const res = await s.app.request('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(EXPOSITION_CONTENT_TYPE);
    const { types, samples } = parseExposition(await res.text());
    expect(types.get('promowatch_job_duration_seconds')).toBe('summary');
    expect(Object.fromEntries(samples)).toEqual({
      'promowatch_job_runs_total{job=crawl-site,status=ok}': 1,
      'promowatch_job_runs_total{job=uptime,status=failed}': 1,
      'promowatch_job_runs_total{job=uptime,status=ok}': 2,
      'promowatch_job_duration_seconds_sum{job=crawl-site}': 100,
      'promowatch_job_duration_seconds_count{job=crawl-site}': 1,
      'promowatch_job_duration_seconds_sum{job=uptime}': 12,
      'promowatch_job_duration_seconds_count{job=uptime}': 3,
      'promowatch_provider_errors_total{area=ads,provider=yandex-direct}': 1,
      'promowatch_provider_errors_total{area=rank,provider=dataforseo}': 1,
      'promowatch_provider_errors_total{area=rank,provider=xmlriver}': 2,
      'promowatch_alerts_sent_total{channel=mail}': 1,
      'promowatch_alerts_sent_total{channel=telegram}': 1,
      'promowatch_alert_deliveries_failing{channel=telegram}': 1,
      promowatch_alerts_open: 2,
      promowatch_crawl_pages_total: 250,
      'promowatch_queue_jobs{backend=in-process,state=queued}': 0,
      'promowatch_queue_jobs{backend=in-process,state=running}': 1,
      promowatch_scheduler_up: 1,
      promowatch_scheduler_heartbeat_age_seconds: 42,
    });
  });

  it('is for admins and the API token: anonymous is sent to log in, the bearer token is let in', async () => {
    const s = await setup({ auth: AUTH });
    const anonymous = await s.app.request('/metrics');
    expect(anonymous.status).toBe(303);
    const wrong = await s.app.request('/metrics', { headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
    const token = await s.app.request('/metrics', { headers: { authorization: `Bearer ${AUTH.apiToken}` } });
    expect(token.status).toBe(200);
    expect(await token.text()).toContain('# TYPE promowatch_job_runs_total counter');
  });

  it('with accounts: an admin session and the API token read it; an editor or a viewer is refused', async () => {
    const s = await accessSetup();
    const as = async (who: 'admin' | 'editor' | 'viewer') =>
      s.app.request('/metrics', { headers: { cookie: await s.cookieOf(who) } });
    expect((await as('admin')).status).toBe(200);
    expect((await as('editor')).status).toBe(403);
    expect((await as('viewer')).status).toBe(403);
    // The token with accounts: the same database and users, a dashboard with PROMOWATCH_API_TOKEN set.
    // The accounts world of tests/web/access-setup.ts: its store (`sql`) where it gives one, else its
    // SQLite connection's.
    const withToken = createApp({
      db: s.db,
      sql: (s as { sql?: Sql }).sql ?? storeOf(s.db),
      config: testConfig(),
      jobs: JOBS,
      now: s.clock.now,
      log: memoryLogger(),
      auth: AUTH,
    });
    expect((await withToken.request('/metrics')).status).toBe(303);
    const res = await withToken.request('/metrics', {
      headers: { authorization: `Bearer ${AUTH.apiToken}` },
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('promowatch_alerts_open 2');
  });
});

describe('the task queue in /healthz and /metrics', () => {
  async function withQueue() {
    const registry = new TaskRegistry();
    registry.register({ kind: 'crawl', retryLimit: 0, leaseSeconds: 60, handler: async () => null });
    const queue = new InProcessQueue({
      deps: {
        sql: await testStore(),
        log: memoryLogger(),
        now: () => new Date(NOW),
        fetch: globalThis.fetch,
      },
      registry,
    });
    await queue.enqueue('crawl', { site: 'studio' });
    await queue.enqueue('crawl', { site: 'bakery' });
    return queue;
  }

  it('reports the depth of an attached queue per kind and state, beside the job runner gauge', async () => {
    const queue = await withQueue();
    const { app } = await setup({ queue });
    const { types, samples } = parseExposition(await (await app.request('/metrics')).text());
    expect(types.get('promowatch_queue_tasks')).toBe('gauge');
    const tasks = Object.fromEntries([...samples].filter(([k]) => k.startsWith('promowatch_queue_tasks')));
    expect(tasks).toMatchObject({
      'promowatch_queue_tasks{backend=in-process,kind=crawl,state=queued}': 2,
      'promowatch_queue_tasks{backend=in-process,kind=crawl,state=active}': 0,
      'promowatch_queue_tasks{backend=in-process,kind=crawl,state=failed}': 0,
    });
    expect(Object.fromEntries(samples)['promowatch_queue_jobs{backend=in-process,state=running}']).toBe(0);
    await queue.close();
  });

  it('has no task gauge without a queue', async () => {
    const { app } = await setup();
    expect(await (await app.request('/metrics')).text()).not.toContain('promowatch_queue_tasks');
  });

  it('names pg-boss and PostgreSQL when the process runs on them', async () => {
    // On a SQLite run, its store told to say "postgres"; on a PostgreSQL run, the real one.
    const store = await testStore();
    const postgresLike = { ...store, dialect: 'postgres' as const };
    const { app } = await setup({ sql: postgresLike, queue: { backend: 'postgres' } as TaskQueue });
    const body = (await (await app.request('/healthz')).json()) as Record<string, any>;
    expect(body.checks.database.backend).toBe('postgres');
    expect(body.checks.queue).toEqual({ ok: true, backend: 'pg-boss' });
  });
});
