// Provider quotas on both backends: day and month limits, all-or-nothing reservations, refunds, and
// exactly the limit granted when many reservations race.
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Sql } from '../../src/db/store/types.ts';
import { quotaUsage, refund, reserve } from '../../src/limits/quota.ts';
import { BACKENDS, stopPgServer } from '../pg/backends.ts';

afterAll(stopPgServer);

const at = (iso: string) => new Date(iso);
const NOV1 = at('2026-11-01T08:00:00Z');

describe.each(BACKENDS)('provider quotas on $name', (backend) => {
  let sql: Sql;
  beforeEach(async () => {
    sql = (await backend.open()).sql;
  });
  afterEach(async () => {
    await sql.close();
  });

  it('grants within the day limit and refuses the reservation that would pass it, counting nothing for it', async () => {
    expect(await reserve(sql, 'serpapi', 3, { day: 5 }, NOV1)).toEqual({
      granted: true,
      reservation: { provider: 'serpapi', day: '2026-11-01', units: 3 },
      used: { day: 3, month: 3 },
    });
    expect(await reserve(sql, 'serpapi', 3, { day: 5 }, NOV1)).toEqual({
      granted: false,
      used: { day: 3, month: 3 },
      full: 'day',
    });
    expect((await reserve(sql, 'serpapi', 2, { day: 5 }, NOV1)).granted).toBe(true);
    expect(await quotaUsage(sql, 'serpapi', NOV1)).toEqual({ day: 5, month: 5 });
    // The next UTC day starts over; another provider has its own count.
    expect((await reserve(sql, 'serpapi', 5, { day: 5 }, at('2026-11-02T00:00:00Z'))).granted).toBe(true);
    expect((await reserve(sql, 'dataforseo', 5, { day: 5 }, NOV1)).granted).toBe(true);
  });

  it('counts the month over its days (UTC calendar month), and says the month is what is full', async () => {
    const limits = { day: 10, month: 12 };
    expect((await reserve(sql, 'serpapi', 10, limits, at('2026-11-01T23:59:59Z'))).granted).toBe(true);
    expect(await reserve(sql, 'serpapi', 3, limits, at('2026-11-02T00:00:00Z'))).toEqual({
      granted: false,
      used: { day: 0, month: 10 },
      full: 'month',
    });
    expect((await reserve(sql, 'serpapi', 2, limits, at('2026-11-30T12:00:00Z'))).granted).toBe(true);
    expect((await reserve(sql, 'serpapi', 10, limits, at('2026-12-01T00:00:00Z'))).granted).toBe(true);
  });

  it('is counted where the rank tracker counts requests (rank_provider_usage)', async () => {
    await sql.run(
      `INSERT INTO rank_provider_usage (provider, day, requests) VALUES ('serpapi', '2026-11-01', 4)`,
    );
    expect((await reserve(sql, 'serpapi', 2, { day: 5 }, NOV1)).granted).toBe(false);
    await reserve(sql, 'serpapi', 1, { day: 5 }, NOV1);
    expect(await sql.all('SELECT provider, day, requests FROM rank_provider_usage')).toEqual([
      { provider: 'serpapi', day: '2026-11-01', requests: 5 },
    ]);
  });

  it('refund() gives back a reservation on the day it was made, never below zero', async () => {
    const r = await reserve(sql, 'serpapi', 4, { day: 5 }, at('2026-11-01T23:59:00Z'));
    expect(r.granted).toBe(true);
    if (!r.granted) return;
    await reserve(sql, 'serpapi', 1, {}, at('2026-11-02T00:01:00Z'));
    await refund(sql, r.reservation);
    expect(await quotaUsage(sql, 'serpapi', at('2026-11-01T12:00:00Z'))).toEqual({ day: 0, month: 1 });
    await refund(sql, r.reservation);
    expect(await quotaUsage(sql, 'serpapi', at('2026-11-01T12:00:00Z'))).toEqual({ day: 0, month: 1 });
  });

  it('grants exactly the limit when many reservations race', async () => {
    const got = await Promise.all(
      Array.from({ length: 20 }, () => reserve(sql, 'serpapi', 1, { day: 100, month: 7 }, NOV1)),
    );
    expect(got.filter((g) => g.granted).length).toBe(7);
    expect(await quotaUsage(sql, 'serpapi', NOV1)).toEqual({ day: 7, month: 7 });
  });

  it('refuses a reservation of no units or part of one', async () => {
    await expect(reserve(sql, 'serpapi', 0, {}, NOV1)).rejects.toThrow(
      'Quota: reserve serpapi needs a whole number of units ≥ 1, got 0',
    );
    await expect(reserve(sql, 'serpapi', 1.5, {}, NOV1)).rejects.toThrow(/got 1\.5/);
  });
});
