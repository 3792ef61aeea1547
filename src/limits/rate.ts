// Rate limits every dashboard behind a load balancer shares: failed-login windows (what web/auth.ts
// LoginLimiter counts in memory) and per-API-key token buckets (src/auth/api-keys.ts KeyRateLimiter),
// kept in the database (rate_windows, rate_buckets; migration 017) with the same rules, so a guesser
// gets no fresh allowance by landing on another replica. The classes at the end have the in-memory
// limiters' shapes with async methods, so switching is a constructor and an `await`.
import type { Sql } from '../db/store/types.ts';

// ——— Token buckets ———

export interface BucketLimits {
  /** Tokens added a minute. */
  perMinute: number;
  /** The most a bucket holds: requests allowed at once after a quiet spell. */
  burst: number;
}

/**
 * Takes one token from bucket `key`: 0 when allowed, else the whole seconds until a token is there
 * (Retry-After), as KeyRateLimiter.take. A new bucket starts full. The bucket's row is locked for the
 * read-modify-write (an upsert on PostgreSQL; BEGIN IMMEDIATE on SQLite), so two replicas taking at
 * once take two tokens. A clock behind the one that last wrote the bucket adds nothing and takes nothing
 * back (machines' clocks differ by milliseconds).
 */
export async function takeToken(sql: Sql, key: string, limits: BucketLimits, now: Date): Promise<number> {
  const t = now.getTime();
  const rate = limits.perMinute / 60_000;
  return sql.transaction(async (tx) => {
    const b = (await tx.get<{ tokens: number; at_ms: number }>(
      `INSERT INTO rate_buckets (key, tokens, at_ms) VALUES (?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET tokens = rate_buckets.tokens
       RETURNING tokens, at_ms`,
      [key, limits.burst, t],
    ))!;
    let tokens = Math.min(limits.burst, b.tokens + Math.max(0, t - b.at_ms) * rate);
    const allowed = tokens >= 1;
    if (allowed) tokens -= 1;
    await tx.run('UPDATE rate_buckets SET tokens = ?, at_ms = ? WHERE key = ?', [
      tokens,
      Math.max(t, b.at_ms),
      key,
    ]);
    return allowed ? 0 : Math.max(1, Math.ceil((1 - tokens) / rate / 1000));
  });
}

// ——— Fixed windows of failures ———

export interface FailureLimits {
  /** Failures one client may make in a window. */
  perClient: number;
  /** Failures from all clients together in a window, past which a client that failed once must wait. */
  account: number;
  windowMs: number;
}

/** The window keys: one per client, one for everyone, both under `scope` ('login', 'bearer'). */
const clientKey = (scope: string, client: string) => `${scope}:client:${client}`;
const accountKey = (scope: string) => `${scope}:all`;

/**
 * Whole seconds `client` must wait before trying again (0: it may try), with LoginLimiter's rule: a
 * client gets `perClient` failures per window; once everyone together made `account` in a window, a
 * client with a failure in its own window waits that window out, while one with none still gets a try.
 */
export async function failureWait(
  sql: Sql,
  scope: string,
  client: string,
  limits: FailureLimits,
  now: Date,
): Promise<number> {
  const t = now.getTime();
  const rows = await sql.all<{ key: string; count: number; reset_at_ms: number }>(
    'SELECT key, count, reset_at_ms FROM rate_windows WHERE key IN (?, ?) AND reset_at_ms > ?',
    [clientKey(scope, client), accountKey(scope), t],
  );
  const own = rows.find((r) => r.key === clientKey(scope, client));
  if (!own) return 0;
  const all = rows.find((r) => r.key === accountKey(scope))?.count ?? 0;
  const allowed = all >= limits.account ? 1 : limits.perClient;
  return own.count >= allowed ? Math.ceil((own.reset_at_ms - t) / 1000) : 0;
}

/** Counts one failure by `client` in its window and in everyone's; a window that has passed starts over. */
export async function recordFailure(
  sql: Sql,
  scope: string,
  client: string,
  limits: FailureLimits,
  now: Date,
): Promise<void> {
  const t = now.getTime();
  // One statement per window: the increment (or the restart of a window that has passed) is atomic
  // on its own, so no transaction is needed and two replicas counting at once count two.
  const count = `INSERT INTO rate_windows (key, count, reset_at_ms) VALUES (?, 1, ?)
    ON CONFLICT (key) DO UPDATE SET
      count = CASE WHEN rate_windows.reset_at_ms <= ? THEN 1 ELSE rate_windows.count + 1 END,
      reset_at_ms = CASE WHEN rate_windows.reset_at_ms <= ? THEN excluded.reset_at_ms ELSE rate_windows.reset_at_ms END`;
  await sql.run(count, [clientKey(scope, client), t + limits.windowMs, t, t]);
  await sql.run(count, [accountKey(scope), t + limits.windowMs, t, t]);
  // Windows that have passed count for nothing: drop them, so a spray from many addresses leaves no pile.
  await sql.run('DELETE FROM rate_windows WHERE reset_at_ms <= ?', [t]);
}

// ——— The in-memory limiters' shapes, over the database ———

/** LoginLimiter (web/auth.ts) with its state in the database: the same defaults and rule, async. */
export class SharedLoginLimiter {
  readonly limits: FailureLimits;
  constructor(
    private readonly sql: Sql,
    /** Keeps two limiters apart: the login form ('login') and wrong bearer tokens ('bearer'). */
    private readonly scope: string,
    private readonly now: () => Date,
    perClient = 5,
    account = 50,
    windowMs = 15 * 60_000,
  ) {
    this.limits = { perClient, account, windowMs };
  }
  retryAfterSeconds(client: string): Promise<number> {
    return failureWait(this.sql, this.scope, client, this.limits, this.now());
  }
  fail(client: string): Promise<void> {
    return recordFailure(this.sql, this.scope, client, this.limits, this.now());
  }
}

/** KeyRateLimiter (src/auth/api-keys.ts) with its buckets in the database: same defaults and rule, async. */
export class SharedKeyRateLimiter {
  readonly limits: BucketLimits;
  constructor(
    private readonly sql: Sql,
    private readonly now: () => Date,
    perMinute = 120,
    burst = 60,
  ) {
    this.limits = { perMinute, burst };
  }
  /** 0 when allowed, else the whole seconds to wait (Retry-After). */
  take(keyId: number): Promise<number> {
    return takeToken(this.sql, `api-key:${keyId}`, this.limits, this.now());
  }
}
