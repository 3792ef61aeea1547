// The demo works link checks through the in-process queue, as `promowatch start` does: "Check now" on a
// bought link runs the check as a `links` task, stores it, and /metrics counts the task.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { demoNowOn, startDemo } from '../../src/cli/demo/run-demo.ts';
import { tempDir } from '../helpers.ts';

describe('the demo', () => {
  it('re-checks a bought link through the queue and counts the task in /metrics', async () => {
    const demo = await startDemo({
      dbPath: join(tempDir(), 'demo.db'),
      port: 0,
      days: 2,
      rankDays: 3,
      now: demoNowOn('2026-11-01', 'test'),
    });
    try {
      const base = demo.url.replace(/\/$/, '');
      const tasks = async () =>
        /promowatch_queue_tasks\{backend="in-process",kind="links",state="completed"\} (\d+)/.exec(
          await (await fetch(`${base}/metrics`)).text(),
        )?.[1];
      expect(await tasks()).toBe('0');
      const page = await fetch(`${base}/backlinks?site=studio`);
      const cookie = page.headers
        .getSetCookie()
        .map((c) => c.split(';')[0])
        .join('; ');
      const html = await page.text();
      const token = /name="_csrf" value="([^"]+)"/.exec(html)![1]!;
      const id = /\/backlinks\/(\d+)/.exec(html)![1]!;
      const res = await fetch(`${base}/backlinks/${id}/recheck`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: token }).toString(),
      });
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toContain('rechecked');
      expect(await tasks()).toBe('1');
    } finally {
      await demo.close();
    }
  }, 300_000);
});
