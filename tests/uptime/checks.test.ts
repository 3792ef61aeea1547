// The uptime_checks queries on hand-made rows: days cut in the site's time zone, failed checks kept out
// of the timings, and "latest" meaning the pages of the last run.
import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/open.ts';
import { getSiteByName } from '../../src/db/sites.ts';
import { insertChecks, latestChecks, uptimeByDay, type UptimeCheck } from '../../src/uptime/checks.ts';
import { FakeClock, tempDb, testConfig, testDeps } from '../helpers.ts';

function studio() {
  const { db } = tempDb();
  testDeps(db, testConfig(), new FakeClock(Date.parse('2026-11-27T09:00:00Z')));
  return { db, siteId: getSiteByName(db, 'studio')!.id };
}

function run(db: Db, siteId: number, at: string): number {
  return Number(
    db
      .prepare(
        `INSERT INTO job_runs (job, site_id, trigger, started_at, finished_at, status, pid)
         VALUES ('uptime', ?, 'schedule', ?, ?, 'ok', 1)`,
      )
      .run(siteId, at, at).lastInsertRowid,
  );
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

describe('uptimeByDay()', () => {
  it("cuts days at midnight in the site's time zone, not UTC", () => {
    const { db, siteId } = studio();
    insertChecks(db, [
      // 23:30 UTC on the 26th is 02:30 on the 27th in Moscow (UTC+3).
      check(siteId, null, { checkedAt: '2026-11-26T20:30:00.000Z' }),
      check(siteId, null, { checkedAt: '2026-11-26T23:30:00.000Z' }),
      check(siteId, null, { checkedAt: '2026-11-27T09:00:00.000Z' }),
    ]);
    const days = uptimeByDay(
      db,
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

  it('counts a failed check as a check but keeps it out of the timings, and takes the 95th percentile of totals', () => {
    const { db, siteId } = studio();
    const at = (i: number) => new Date(Date.parse('2026-11-27T06:00:00Z') + i * 60_000).toISOString();
    insertChecks(db, [
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
    const [day] = uptimeByDay(
      db,
      siteId,
      'UTC',
      new Date('2026-11-27T00:00:00Z'),
      new Date('2026-11-28T00:00:00Z'),
    );
    // ttfb 100…119: mean 109.5; totals 10…200: the 19th of 20 is the 95th percentile.
    expect(day).toEqual({ day: '2026-11-27', checks: 21, okChecks: 20, avgTtfbMs: 109.5, p95TotalMs: 190 });
  });

  it('gives no timings for a day when every check failed', () => {
    const { db, siteId } = studio();
    insertChecks(db, [check(siteId, null, { ok: false, status: 503, error: 'HTTP 503' })]);
    const days = uptimeByDay(
      db,
      siteId,
      'UTC',
      new Date('2026-11-27T00:00:00Z'),
      new Date('2026-11-28T00:00:00Z'),
    );
    expect(days).toEqual([{ day: '2026-11-27', checks: 1, okChecks: 0, avgTtfbMs: null, p95TotalMs: null }]);
  });
});

describe('latestChecks()', () => {
  it("returns the pages of the site's last run only, by URL, with ok as a boolean", () => {
    const { db, siteId } = studio();
    const first = run(db, siteId, '2026-11-27T08:00:00.000Z');
    const second = run(db, siteId, '2026-11-27T09:00:00.000Z');
    insertChecks(db, [
      check(siteId, first, { url: 'https://studio.example/portfolio/', ok: false, status: 503 }),
      check(siteId, second, { url: 'https://studio.example/portfolio/' }),
      check(siteId, second, { url: 'https://studio.example/', ok: false, status: null, error: 'ECONNRESET' }),
    ]);
    expect(latestChecks(db, siteId).map((c) => [c.url, c.runId, c.ok, c.status])).toEqual([
      ['https://studio.example/', second, false, null],
      ['https://studio.example/portfolio/', second, true, 200],
    ]);
  });
});
