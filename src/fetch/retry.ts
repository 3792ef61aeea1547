// How long to wait before trying again: the server's Retry-After, else exponential backoff, within a
// budget of attempts and total wait shared by all requests of one pull.
import { sleep as realSleep } from '../util/sleep.ts';

/**
 * Retry-After as seconds or an HTTP date (RFC 9110 §10.2.3), in ms from `now`; undefined when absent
 * or unreadable. A date in the past means "now" (0).
 */
export function retryAfterMs(value: string | null | undefined, now: Date): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : Math.max(0, t - now.getTime());
}

export interface RetryBudgetOptions {
  /** Retries allowed in all (the first try is not one of them). Default 3. */
  retries?: number;
  /** Total time all the waits may add up to. Default 60 s. */
  maxTotalWaitMs?: number;
  /** The first backoff when the server named no wait; doubled each retry. Default 1 s. */
  baseMs?: number;
  /** Waits the caller can cut short (a stopping run); the default is src/util/sleep.ts. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/**
 * A budget of retries and waiting time. One budget is made per pull (or per message) and handed to
 * every request of it, so ten rate-limited pages do not each wait a minute.
 */
export interface RetryBudget {
  readonly retries: number;
  readonly waitedMs: number;
  /**
   * The wait before the next retry (`askedMs` — the server's Retry-After — or the next backoff step),
   * counted against the budget; undefined when the budget cannot afford it.
   */
  take(askedMs?: number): number | undefined;
  /** Waits `ms`; rethrows the signal's reason when a stop cut the wait short. */
  wait(ms: number, signal?: AbortSignal): Promise<void>;
}

export function retryBudget(opts: RetryBudgetOptions = {}): RetryBudget {
  const maxRetries = opts.retries ?? 3;
  const maxTotal = opts.maxTotalWaitMs ?? 60_000;
  const base = opts.baseMs ?? 1000;
  const sleep = opts.sleep ?? realSleep;
  let retries = 0;
  let waitedMs = 0;
  return {
    get retries() {
      return retries;
    },
    get waitedMs() {
      return waitedMs;
    },
    take(askedMs) {
      const ms = askedMs ?? base * 2 ** retries;
      if (retries >= maxRetries || waitedMs + ms > maxTotal) return undefined;
      retries++;
      waitedMs += ms;
      return ms;
    },
    async wait(ms, signal) {
      await sleep(ms, signal);
      signal?.throwIfAborted();
    },
  };
}

/** Statuses worth another try: server errors, timeouts and rate limits. */
export function isTransientStatus(status: number): boolean {
  return status >= 500 || status === 408 || status === 425 || status === 429;
}
