// Rate limits every dashboard behind a load balancer shares: failed logins and wrong bearer tokens in
// fixed windows per client, and per-API-key token buckets, kept in the database (rate_windows,
// rate_buckets; migration 017) rather than in one process's memory, so a guesser gets no fresh
// allowance by landing on another replica (or by the dashboard restarting).
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
 * (Retry-After). A new bucket starts full. The bucket's row is locked for the
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

/** One try at a secret (a password, a code, a bearer token), counted as a failure until it succeeds. */
export interface Attempt {
  /** 0: check the secret; else the whole seconds the client must wait (Retry-After), and nothing is counted. */
  wait: number;
  /** The secret was right: takes the failure counted for this attempt back (only the first call does). */
  succeeded(): Promise<void>;
}

/**
 * Counts an attempt by `client` as a failure *before* its secret is checked, and refuses it when the
 * client was already over its limit. Checking first and counting after a slow password hash would let
 * a burst of concurrent guesses — on one dashboard or spread over several — all be checked before any
 * is counted; here each one's count comes back from its own atomic upsert, so they line up one behind
 * another. The rule: a client gets `perClient` failures per window; once everyone together made
 * `account` in a window, a client with a failure in its own window waits that window out, while one
 * with none still gets a try. A refused attempt, and one that `succeeded()`, leave the counts as they
 * found them, so only wrong secrets count.
 */
export async function countAttempt(
  sql: Sql,
  scope: string,
  client: string,
  limits: FailureLimits,
  now: Date,
): Promise<Attempt> {
  const t = now.getTime();
  // One statement per window: the increment (or the restart of a window that has passed) is atomic on
  // its own, so two replicas counting at once count two, and each learns the count it made.
  const count = `INSERT INTO rate_windows (key, count, reset_at_ms) VALUES (?, 1, ?)
    ON CONFLICT (key) DO UPDATE SET
      count = CASE WHEN rate_windows.reset_at_ms <= ? THEN 1 ELSE rate_windows.count + 1 END,
      reset_at_ms = CASE WHEN rate_windows.reset_at_ms <= ? THEN excluded.reset_at_ms ELSE rate_windows.reset_at_ms END
    RETURNING count, reset_at_ms`;
  const windowOf = async (key: string) => {
    const w = (await sql.get<{ count: number; reset_at_ms: number }>(count, [
      key,
      t + limits.windowMs,
      t,
      t,
    ]))!;
    return { key, count: w.count, resetAt: w.reset_at_ms };
  };
  const own = await windowOf(clientKey(scope, client));
  const all = await windowOf(accountKey(scope));
  // A new window for this client: a good moment to drop the windows that have passed, so a spray from
  // many addresses leaves no pile (pruneLimits in src/limits/prune.ts sweeps the same).
  if (own.count === 1) await sql.run('DELETE FROM rate_windows WHERE reset_at_ms <= ?', [t]);
  let counted = true;
  const takeBack = async () => {
    if (!counted) return;
    counted = false;
    await refund(sql, [own, all]);
  };
  // The counts before this attempt are what the rule judges (one less than what came back).
  const allowed = all.count - 1 >= limits.account ? 1 : limits.perClient;
  if (own.count - 1 >= allowed) {
    await takeBack();
    return { wait: Math.ceil((own.resetAt - t) / 1000), succeeded: async () => {} };
  }
  return { wait: 0, succeeded: takeBack };
}

/**
 * Takes one counted failure back from each window — only from the window it was counted in: one that has
 * since passed and started over is left alone. A window back at zero is deleted, as if never opened, so
 * a success or a refusal never starts a window (the next failure starts its own, at its own time).
 */
async function refund(sql: Sql, windows: { key: string; resetAt: number }[]): Promise<void> {
  // One row per statement, so two refunds at once on PostgreSQL never wait on each other's rows.
  for (const w of windows) {
    await sql.run('UPDATE rate_windows SET count = count - 1 WHERE key = ? AND reset_at_ms = ?', [
      w.key,
      w.resetAt,
    ]);
    await sql.run('DELETE FROM rate_windows WHERE key = ? AND count <= 0', [w.key]);
  }
}

// ——— The limiters the dashboard holds ———

/** Failed logins (or wrong bearer tokens) per client and for everyone, in the database. */
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
  /** Counts a try before its secret is checked (countAttempt): refused when `wait` > 0. */
  attempt(client: string): Promise<Attempt> {
    return countAttempt(this.sql, this.scope, client, this.limits, this.now());
  }
}

/**
 * A token bucket per API key, in the database: `burst` requests at once, then `perMinute` a minute,
 * whichever dashboard replica each request lands on.
 */
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
