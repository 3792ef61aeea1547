// Provider quotas (requests a UTC day and a UTC calendar month) that several workers on several machines
// share without ever granting past the limit together. Counted in rank_provider_usage — the table the
// rank tracker already counts each provider's requests in (src/rank/store.ts countRequest) — so the
// tracker's own check and these reservations see one count while the code moves over.
//
// A reservation checks and counts in one transaction. The month's count spans a row per day, which no
// single row lock covers, so on PostgreSQL the transaction first takes an advisory lock on the provider
// (pg_advisory_xact_lock, https://www.postgresql.org/docs/current/functions-admin.html#FUNCTIONS-ADVISORY-LOCKS),
// freed at commit; reservations for other providers do not wait. On SQLite the store's transaction is
// BEGIN IMMEDIATE: the database's write lock serialises it against every other process.
import type { Sql } from '../db/store/types.ts';

/** Limits per UTC day and per UTC calendar month; a missing one is no limit. */
export interface QuotaLimits {
  day?: number | undefined;
  month?: number | undefined;
}

export interface QuotaUsage {
  day: number;
  month: number;
}

/** Units counted against a provider on a day; hand it to `refund` when the work failed uncharged. */
export interface Reservation {
  provider: string;
  day: string;
  units: number;
}

export type Reserved =
  | { granted: true; reservation: Reservation; used: QuotaUsage }
  | { granted: false; used: QuotaUsage; /** Which limit refused it. */ full: 'day' | 'month' };

/** The UTC day the quota counts `now` in (providers reset their quotas on UTC days and months). */
export function quotaDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/** Takes a lock on `key` until the end of the transaction `tx` (PostgreSQL; SQLite's is already exclusive). */
export async function lockForTransaction(tx: Sql, key: string): Promise<void> {
  if (tx.dialect === 'postgres')
    await tx.get('SELECT pg_advisory_xact_lock(hashtextextended(?, 0)) AS ok', [key]);
}

async function usageIn(sql: Sql, provider: string, day: string): Promise<QuotaUsage> {
  const r = await sql.get<{ d: number; m: number }>(
    `SELECT coalesce(sum(CASE WHEN day = ? THEN requests END), 0) AS d, coalesce(sum(requests), 0) AS m
     FROM rank_provider_usage WHERE provider = ? AND substr(day, 1, 7) = substr(?, 1, 7)`,
    [day, provider, day],
  );
  return { day: r!.d, month: r!.m };
}

/** What `provider` has used on the UTC day of `now` and in its month. */
export function quotaUsage(sql: Sql, provider: string, now: Date): Promise<QuotaUsage> {
  return usageIn(sql, provider, quotaDay(now));
}

/**
 * Counts `units` against `provider` if that keeps both its day and its month within `limits`; otherwise
 * counts nothing and says which limit is full. All or nothing: never a part of `units`.
 */
export async function reserve(
  sql: Sql,
  provider: string,
  units: number,
  limits: QuotaLimits,
  now: Date,
): Promise<Reserved> {
  if (!Number.isInteger(units) || units < 1)
    throw new Error(`Quota: reserve ${provider} needs a whole number of units ≥ 1, got ${units}`);
  const day = quotaDay(now);
  return sql.transaction(async (tx): Promise<Reserved> => {
    await lockForTransaction(tx, `quota:${provider}`);
    const used = await usageIn(tx, provider, day);
    if (limits.day !== undefined && used.day + units > limits.day)
      return { granted: false, used, full: 'day' };
    if (limits.month !== undefined && used.month + units > limits.month)
      return { granted: false, used, full: 'month' };
    await tx.run(
      `INSERT INTO rank_provider_usage (provider, day, requests) VALUES (?, ?, ?)
       ON CONFLICT (provider, day) DO UPDATE SET requests = rank_provider_usage.requests + excluded.requests`,
      [provider, day, units],
    );
    return {
      granted: true,
      reservation: { provider, day, units },
      used: { day: used.day + units, month: used.month + units },
    };
  });
}

/**
 * Gives back a reservation whose request never reached the provider (a network error before sending,
 * the worker stopping). A request the provider answered — even with an error — stays counted: it
 * counts against the provider's own quota too. Counted on the reservation's day, never below zero.
 */
export async function refund(sql: Sql, reservation: Reservation, units = reservation.units): Promise<void> {
  await sql.run(
    `UPDATE rank_provider_usage SET requests = CASE WHEN requests > ? THEN requests - ? ELSE 0 END
     WHERE provider = ? AND day = ?`,
    [units, units, reservation.provider, reservation.day],
  );
}
