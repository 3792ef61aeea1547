// The crawl's fetch stage: one request at a time per host slot (concurrency, requests per second,
// robots.txt Crawl-delay), retries of network failures, 429 and 5xx with backoff or Retry-After.
import { retryAfterMs } from '../fetch/retry.ts';
import { FetchError, type Fetcher, type FetchOptions, type FetchResult } from '../fetch/http-fetcher.ts';
import { sleep } from '../util/sleep.ts';
import type { Limiters } from './rate-limit.ts';

export interface PoliteFetchOptions {
  limiters: Limiters;
  retries: number;
  /** A Retry-After longer than this is not waited for: the answer is kept as it is. */
  maxRetryWaitMs: number;
  now: () => Date;
  signal?: AbortSignal;
}

const RETRYABLE: readonly FetchError['code'][] = ['timeout', 'connect-timeout', 'network'];

/** Fetches through `fetcher` politely; throws the last FetchError when every attempt failed. */
export async function politeFetch(
  fetcher: Fetcher,
  url: string,
  opts: FetchOptions,
  p: PoliteFetchOptions,
): Promise<FetchResult> {
  for (let attempt = 0; ; attempt++) {
    // A stopping crawl leaves the host's queue at once, failing as the fetcher would on the aborted signal.
    const release = await p.limiters
      .for(new URL(url).host)
      .acquire(p.signal)
      .catch((reason: Error | undefined) => {
        throw new FetchError(url, 'aborted', reason?.message ?? 'aborted');
      });
    let res: FetchResult;
    try {
      res = await fetcher.fetch(url, opts);
    } catch (err) {
      release();
      const retryable = err instanceof FetchError && RETRYABLE.includes(err.code);
      if (!retryable || attempt >= p.retries || p.signal?.aborted) throw err;
      await sleep(500 * 2 ** attempt, p.signal);
      continue;
    }
    release();
    if ((res.status === 429 || res.status >= 500) && attempt < p.retries && !p.signal?.aborted) {
      // Retry-After as seconds or an HTTP date (RFC 9110 §10.2.3), read by the one parser in src/fetch.
      const wait = retryAfterMs(res.headers['retry-after'], p.now()) ?? 500 * 2 ** attempt;
      if (wait > p.maxRetryWaitMs) return res; // asked to come back much later: record the answer as it is
      await sleep(wait, p.signal);
      continue;
    }
    return res;
  }
}

export { retryAfterMs };
