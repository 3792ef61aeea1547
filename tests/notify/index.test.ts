// notify()'s retry loop as a stopping run sees it: the wait before a retry ends with the run.
import { describe, expect, it } from 'vitest';
import { notify } from '../../src/notify/index.ts';
import type { AlertMessage } from '../../src/notify/types.ts';
import { testStore } from '../helpers.ts';
import { alertRowsOf, recordingServer, testNotifyDeps } from './servers.ts';

const message: AlertMessage = {
  siteName: 'studio',
  kind: 'job-failure',
  severity: 'critical',
  facts: { type: 'job-failed', job: 'crawl-site', runId: 7, error: 'database is locked' },
};

describe('notify() when the run stops', () => {
  it('stops waiting before a retry as soon as the signal aborts, and says the retry was given up', async () => {
    const srv = await recordingServer(() => ({ status: 500, body: 'busy' }));
    const sql = await testStore();
    const t = testNotifyDeps({ ALERT_WEBHOOK: `${srv.base}/hooks/ops` });
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 20);
    const t0 = performance.now();
    // The real sleep: 1 s, 2 s and 4 s of backoff unless the signal cuts them short.
    const [result] = await notify(
      sql,
      [{ type: 'webhook', name: 'ops-hook', url: { env: 'ALERT_WEBHOOK' } }],
      null,
      message,
      t.deps,
      { signal: stop.signal },
    );
    // Under the first backoff (1 s) with room for a loaded machine: uncut, it would take 7 s.
    expect(performance.now() - t0).toBeLessThan(900);
    expect(srv.requests).toHaveLength(1);
    expect(result).toMatchObject({ channel: 'ops-hook', delivered: false });
    expect(result!.error).toMatch(/500.*; not retried: promowatch was stopping$/);
    expect((await alertRowsOf(sql))[0]).toMatchObject({ attempts: 1, delivered_at: null });
  });
});
