// Waiting that a stopping run can cut short: every pause in src/ and jobs/ (jitter, backoff, polite
// delays) goes through this, so a shutdown never sits out a 300 s jitter or a minute of backoff.

/**
 * Resolves after `ms`, or at once when `signal` aborts (or already has). It resolves rather than
 * rejects so that loops can finish their bookkeeping; a caller that must not go on checks
 * `signal.aborted` (or calls `signal.throwIfAborted()`) after the wait.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    // A zero wait still yields to the event loop (a timer tick), as callers' polling loops expect.
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
