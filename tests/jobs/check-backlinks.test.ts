// The check-backlinks job as the scheduler runs it: its random start delay gives way to a shutdown.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { checkBacklinksJob } from '../../jobs/check-backlinks.ts';
import { runJob } from '../../jobs/runner.ts';
import { FakeClock, siteByName, testConfig, testStoreDeps } from '../helpers.ts';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('check-backlinks job', () => {
  it('stops its start jitter at once when the run is aborted, and ends interrupted', async () => {
    const clock = new FakeClock(Date.parse('2026-11-27T06:00:00Z'));
    const config = testConfig({
      sites: [
        {
          name: 'studio',
          baseUrl: 'https://studio.example/',
          timeZone: 'Europe/Moscow',
          backlinks: { jitterSeconds: 300, render: 'never' },
        },
      ],
    });
    const deps = await testStoreDeps(config, clock);
    // Half of 300 s: without the signal the run would sit out 150 s before it noticed the shutdown.
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 20);
    const t0 = performance.now();
    const outcome = await runJob(
      deps,
      checkBacklinksJob,
      (await siteByName(deps.sql, 'studio'))!,
      'schedule',
      stop.signal,
    );
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(outcome.status).toBe('interrupted');
  });
});
