// bench:scale's self-check: the quick world through the in-process queue and one `promowatch worker` on
// PostgreSQL, end to end. Correctness only — every link checked once, as its page was built — never timing.
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { pgAvailable } from '../pg/server.ts';
import { liveChildren, QUICK, runScale } from './scale/bench.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

afterAll(() => {
  for (const child of liveChildren) child.kill('SIGKILL');
});

describe.runIf(pgAvailable())('npm run bench:scale --quick', () => {
  it('checks every backlink exactly once on SQLite in-process and with one PostgreSQL worker, fed live or prefilled', async () => {
    const report = await runScale(ROOT, { ...QUICK, workers: [1] });
    expect(report.links).toBe(100);
    expect(report.runs.map((r) => `${r.label} (${r.mode})`)).toEqual([
      'SQLite, in-process queue (live)',
      'PostgreSQL, 1 worker (live)',
      'SQLite, in-process queue (prefilled)',
      'PostgreSQL, 1 worker (prefilled)',
    ]);
    for (const run of report.runs) {
      expect([run.label, run.correct]).toEqual([
        run.label,
        { links: 100, checks: 100, unchecked: 0, checkedTwice: 0, wrong: 0, examples: [] },
      ]);
      // One task per link, each started once.
      expect([run.label, run.started]).toEqual([run.label, 100]);
    }
  }, 300_000);
});
