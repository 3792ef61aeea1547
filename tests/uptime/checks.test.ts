// The uptime_checks queries on hand-made rows, on both backends: days cut in the site's time zone, failed
// checks kept out of the timings, and "latest" meaning the pages of the last run.
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Sql } from '../../src/db/store/types.ts';
import { insertChecks, latestChecks, uptimeByDay, type UptimeCheck } from '../../src/uptime/checks.ts';
import { BACKENDS, stopPgServer } from '../pg/backends.ts';

afterAll(stopPgServer);

async function addSite(sql: Sql): Promise<number> {
  return (await sql.get<{ id: number }>(
    `INSERT INTO sites (name, base_url, time_zone, created_at) VALUES ('studio', 'https://studio.example/', 'Europe/Moscow', ?)
     RETURNING id`,
    ['2026-11-27T09:00:00.000Z'],
  ))!.id;
}

async function run(sql: Sql, siteId: number, at: string): Promise<number> {
  return (await sql.get<{ id: number }>(
    `INSERT INTO job_runs (job, site_id, trigger, started_at, finished_at, status, pid)
     VALUES ('uptime', ?, 'schedule', ?, ?, 'ok', 1) RETURNING id`,
    [siteId, at, at],
  ))!.id;
}

const check = (siteId: number, runId: number | null, fields: Partial<UptimeCheck>): UptimeCheck => ({
  siteId,
  runId,
  url: 'https://studio.example/',
  checkedAt: '2026-11-27T09:00:00.000Z',
  status: 200,
  ok: true,
  ttfbMs: 100,
  totalMs: 200,
  bytes: 5120,
  error: null,
  ...fields,
});

describe.each(BACKENDS)('uptime checks on $name', (backend) => {
  let sql: Sql;
  let siteId: number;
  beforeEach(async () => {
    sql = (await backend.open()).sql;
    siteId = await addSite(sql);
  });
  afterEach(async () => {
    await sql.close();
  });

  describe('uptimeByDay()', () => {
    it("cuts days at midnight in the site's time zone, not UTC", async () => {
      await insertChecks(sql, [
        // 23:30 UTC on the 26th is 02:30 on the 27th in Moscow (UTC+3).
        check(siteId, null, { checkedAt: '2026-11-26T20:30:00.000Z' }),
        check(siteId, null, { checkedAt: '2026-11-26T23:30:00.000Z' }),
        check(siteId, null, { checkedAt: '2026-11-27T09:00:00.000Z' }),
      ]);
      const days = await uptimeByDay(
        sql,
        siteId,
        'Europe/Moscow',
        new Date('2026-11-26T00:00:00Z'),
        new Date('2026-11-28T00:00:00Z'),
      );
      expect(days.map((d) => [d.day, d.checks])).toEqual([
        ['2026-11-26', 1],
        ['2026-11-27', 2],
      ]);
    });

    it('counts a failed check as a check but keeps it out of the timings, and takes the 95th percentile of totals', async () => {
      const at = (i: number) => new Date(Date.parse('2026-11-27T06:00:00Z') + i * 60_000).toISOString();
      await insertChecks(sql, [
        ...Array.from({ length: 20 }, (_, i) =>
          check(siteId, null, { checkedAt: at(i), ttfbMs: 100 + i, totalMs: (i + 1) * 10 }),
        ),
        // A timeout: no answer, and its 30 s must not drag the averages.
        check(siteId, null, {
          checkedAt: at(20),
          ok: false,
          status: null,
          ttfbMs: 30_000,
          totalMs: 30_000,
          error: 'timeout',
        }),
      ]);
      const [day] = await uptimeByDay(
        sql,
        siteId,
        'UTC',
        new Date('2026-11-27T00:00:00Z'),
        new Date('2026-11-28T00:00:00Z'),
      );
      // ttfb 100…119: mean 109.5; totals 10…200: the 19th of 20 is the 95th percentile.
      expect(day).toEqual({ day: '2026-11-27', checks: 21, okChecks: 20, avgTtfbMs: 109.5, p95TotalMs: 190 });
    });

    it('gives no timings for a day when every check failed', async () => {
      await insertChecks(sql, [check(siteId, null, { ok: false, status: 503, error: 'HTTP 503' })]);
      const days = await uptimeByDay(
        sql,
        siteId,
        'UTC',
        new Date('2026-11-27T00:00:00Z'),
        new Date('2026-11-28T00:00:00Z'),
      );
      expect(days).toEqual([
        { day: '2026-11-27', checks: 1, okChecks: 0, avgTtfbMs: null, p95TotalMs: null },
      ]);
    });
  });

  describe('latestChecks()', () => {
    it("returns the pages of the site's last run only, by URL, with ok as a boolean", async () => {
      const first = await run(sql, siteId, '2026-11-27T08:00:00.000Z');
      const second = await run(sql, siteId, '2026-11-27T09:00:00.000Z');
      await insertChecks(sql, [
        check(siteId, first, { url: 'https://studio.example/portfolio/', ok: false, status: 503 }),
        check(siteId, second, { url: 'https://studio.example/portfolio/' }),
        check(siteId, second, {
          url: 'https://studio.example/',
          ok: false,
          status: null,
          error: 'ECONNRESET',
        }),
      ]);
      expect((await latestChecks(sql, siteId)).map((c) => [c.url, c.runId, c.ok, c.status])).toEqual([
        ['https://studio.example/', second, false, null],
        ['https://studio.example/portfolio/', second, true, 200],
      ]);
    });
  });
});
