// The dashboard's rate limits as they were kept in one process's memory before they moved into the
// database (src/limits/rate.ts): plain, synchronous statements of the rules, kept as the model the
// database limiters are checked against in tests/limits/rate.test.ts. Nothing in src/ uses them.

interface Window {
  count: number;
  resetAt: number;
}

/**
 * Failed attempts in fixed windows (a success does not count). Each client gets `perClient` failures per
 * window; past `account` failures in a window from all clients together, a client that has failed once
 * waits for its window to pass, while a client with no failures still gets its try.
 */
export class LoginLimiterModel {
  #clients = new Map<string, Window>();
  #account: Window = { count: 0, resetAt: 0 };
  constructor(
    private readonly now: () => Date,
    readonly perClient = 5,
    readonly account = 50,
    readonly windowMs = 15 * 60_000,
  ) {}
  retryAfterSeconds(client: string): number {
    const t = this.now().getTime();
    const f = this.#clients.get(client);
    if (!f || f.resetAt <= t) return 0;
    const accountCount = this.#account.resetAt > t ? this.#account.count : 0;
    const allowed = accountCount >= this.account ? 1 : this.perClient;
    return f.count >= allowed ? Math.ceil((f.resetAt - t) / 1000) : 0;
  }
  fail(client: string): void {
    const t = this.now().getTime();
    const f = this.#clients.get(client);
    if (!f || f.resetAt <= t) this.#clients.set(client, { count: 1, resetAt: t + this.windowMs });
    else f.count++;
    if (this.#account.resetAt <= t) this.#account = { count: 1, resetAt: t + this.windowMs };
    else this.#account.count++;
  }
}

/** A token bucket per key: `burst` requests at once, then `perMinute` a minute. */
export class KeyRateLimiterModel {
  #buckets = new Map<number, { tokens: number; at: number }>();
  constructor(
    private readonly now: () => Date,
    readonly perMinute = 120,
    readonly burst = 60,
  ) {}
  /** Takes one request's token: 0 when allowed, else the whole seconds to wait (Retry-After). */
  take(keyId: number): number {
    const t = this.now().getTime();
    const rate = this.perMinute / 60_000;
    const b = this.#buckets.get(keyId) ?? { tokens: this.burst, at: t };
    b.tokens = Math.min(this.burst, b.tokens + (t - b.at) * rate);
    b.at = t;
    this.#buckets.set(keyId, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / rate / 1000));
  }
}
