// The queries behind /metrics count the same on SQLite and PostgreSQL (durations from ISO times included).
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { markAlertAttempt, recordAlert } from '../../src/db/alerts.ts';
import { finishRun, tryStartRun } from '../../src/db/job-runs.ts';
import type { Sql } from '../../src/db/store/types.ts';
import { collectMetrics } from '../../src/ops/metrics.ts';
import { writeHeartbeat } from '../../src/ops/heartbeat.ts';
import { BACKENDS, stopPgServer } from '../pg/backends.ts';

afterAll(stopPgServer);

const NOW = new Date('2026-11-27T09:00:00Z');
const at = (s: number) => new Date(NOW.getTime() - 3_600_000 + s * 1000);

describe.each(BACKENDS)('/metrics queries on $name', (backend) => {
  let sql: Sql;
  beforeEach(async () => {
    sql = (await backend.open()).sql;
  });
  afterEach(() => sql.close());

  it('counts runs, their durations, deliveries, open alerts and running jobs', async () => {
    const run = async (job: string, from: number, to: number | null, status: 'ok' | 'failed' = 'ok') => {
      const r = (await tryStartRun(
        sql,
        { job, siteId: null, trigger: 'cli', pid: 1, isLive: () => false },
        at(from),
      )) as {
        id: number;
      };
      if (to !== null) await finishRun(sql, r.id, { status }, at(to));
    };
    await run('uptime', 0, 1.5);
    await run('uptime', 10, 20.25, 'failed');
    await run('crawl-site', 30, null);
    const a = await recordAlert(
      sql,
      {
        siteId: null,
        kind: 'job-failure',
        severity: 'critical',
        message: 'm',
        channel: 'mail',
        recipient: 'r',
      },
      at(40),
    );
    await markAlertAttempt(sql, a, { delivered: true }, at(41));
    await writeHeartbeat(sql, new Date(NOW.getTime() - 42_000));
    const metrics = await collectMetrics(sql, NOW);
    const value = (name: string, suffix = '') =>
      Object.fromEntries(
        metrics
          .find((m) => m.name === name)!
          .samples.filter((s) => (s.suffix ?? '') === suffix)
          .map((s) => [JSON.stringify(s.labels ?? {}), s.value]),
      );
    expect(value('promowatch_job_runs_total')).toEqual({
      '{"job":"uptime","status":"failed"}': 1,
      '{"job":"uptime","status":"ok"}': 1,
    });
    expect(value('promowatch_job_duration_seconds', '_sum')).toEqual({ '{"job":"uptime"}': 11.75 });
    expect(value('promowatch_alerts_sent_total')).toEqual({ '{"channel":"mail"}': 1 });
    expect(value('promowatch_alerts_open')).toEqual({ '{}': 1 });
    expect(value('promowatch_crawl_pages_total')).toEqual({ '{}': 0 });
    expect(value('promowatch_queue_jobs')).toEqual({
      '{"backend":"in-process","state":"queued"}': 0,
      '{"backend":"in-process","state":"running"}': 1,
    });
    expect(value('promowatch_scheduler_heartbeat_age_seconds')).toEqual({ '{}': 42 });
  });

  it('adds what retention pruned, read from the same database', async () => {
    await sql.run(`INSERT INTO meta (key, value) VALUES ('ops.pruned_totals', ?)`, [
      JSON.stringify({ jobRuns: { 'uptime\tok': 3 }, jobSeconds: {}, crawlPages: 120 }),
    ]);
    const metrics = await collectMetrics(sql, NOW);
    const samples = (name: string) => metrics.find((m) => m.name === name)!.samples;
    expect(samples('promowatch_crawl_pages_total')).toEqual([{ value: 120 }]);
    expect(samples('promowatch_job_runs_total')).toEqual([
      { labels: { job: 'uptime', status: 'ok' }, value: 3 },
    ]);
  });
});
