import { describe, expect, it } from 'vitest';
import { sleep } from '../../src/util/sleep.ts';

describe('sleep()', () => {
  it('waits about as long as asked when nothing aborts', async () => {
    const t0 = performance.now();
    await sleep(30);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(25);
  });

  it('returns as soon as the signal aborts, not after the full wait', async () => {
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 5);
    const t0 = performance.now();
    await sleep(60_000, stop.signal);
    expect(performance.now() - t0).toBeLessThan(5000);
  });

  it('does not wait at all when the signal aborted before the call', async () => {
    const t0 = performance.now();
    await sleep(60_000, AbortSignal.abort());
    expect(performance.now() - t0).toBeLessThan(5000);
  });
});
