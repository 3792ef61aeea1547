// The weekly report's Chromium work as a `render` task (start's in-process queue on SQLite, real
// Chromium): the archived report gets its PDF and the e-mail its PNG charts as without a queue; a task
// whose Chromium fails on every try leaves the report archived without a PDF, charts as SVG.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runWeeklyReport } from '../../jobs/weekly-report.ts';
import { BrowserPool } from '../../src/browser/launcher.ts';
import { getSiteByName } from '../../src/db/sites.ts';
import { InProcessQueue } from '../../src/queue/in-process.ts';
import { TaskRegistry } from '../../src/queue/registry.ts';
import { insertKeywords, observationWriter } from '../../src/rank/store.ts';
import { rebuildRankSummary } from '../../src/rank/summary.ts';
import { renderTaskKind } from '../../src/report/render-task.ts';
import { FakeClock, suiteSetup, testConfig, testStoreDeps } from '../helpers.ts';

let browser: BrowserPool;
beforeAll(() => suiteSetup(async () => void (browser = new BrowserPool())));
afterAll(() => browser.close());
const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const s of stops.splice(0)) await s();
});

async function setup(taskBrowser: BrowserPool | null) {
  const clock = new FakeClock(Date.parse('2026-11-23T05:00:00Z'));
  const config = testConfig();
  const deps = { ...(await testStoreDeps(config, clock)), browser };
  const sql = deps.sql;
  const site = (await getSiteByName(sql, 'studio'))!;
  // Two weeks of positions for one keyword: the report draws its visibility chart from them.
  const [id] = await insertKeywords(
    sql,
    site.id,
    [{ query: 'видеосъёмка', engine: 'google', device: 'desktop', gl: 'ru', hl: 'ru', volume: 500 }],
    clock.now(),
  );
  const write = observationWriter(sql, null, clock.now());
  for (let d = 9; d <= 22; d++)
    await write({
      keywordId: id!,
      day: `2026-11-${String(d).padStart(2, '0')}`,
      source: 'serpapi',
      state: 'ranked',
      position: 1 + (d % 5),
      url: 'http://127.0.0.1:9/',
      depth: 100,
      error: null,
    });
  await rebuildRankSummary(sql, site.id, '2026-11-09', '2026-11-22');
  let queue: InProcessQueue | undefined;
  if (taskBrowser) {
    const registry = new TaskRegistry();
    registry.register(renderTaskKind);
    queue = new InProcessQueue({
      deps: { sql, log: deps.log, now: clock.now, fetch: globalThis.fetch, config, browser: taskBrowser },
      registry,
      graceMs: 300,
    });
    const stop = new AbortController();
    const working = queue.work(['render'], 1, stop.signal);
    stops.push(async () => {
      stop.abort();
      await working;
      await queue!.close();
    });
  }
  // The job's own browser is one that cannot start: with a queue, only the task's may be used.
  const ctx = {
    ...deps,
    site,
    ...(queue ? { queue, browser: new BrowserPool(() => Promise.reject(new Error('not here'))) } : {}),
  };
  const tries = () => deps.log.lines.filter((l) => /task render .*started/.test(l)).length;
  return { ctx, tries, log: deps.log };
}

describe('report task', () => {
  it("prints the archived report's PDF and PNG charts on the queue, as without one", async () => {
    const inline = await setup(null);
    const queued = await setup(browser);
    const a = await runWeeklyReport(inline.ctx, {});
    const b = await runWeeklyReport(queued.ctx, {});
    expect([inline.tries(), queued.tries()]).toEqual([0, 1]);
    expect(a).toMatchObject({ browserProblem: null, svgCharts: 0, report: { hasPdf: true } });
    expect(b).toMatchObject({ browserProblem: null, svgCharts: 0, pngCharts: a.pngCharts });
    expect(a.pngCharts).toBeGreaterThan(0);
    expect(b.report.hasPdf).toBe(true);
    expect(b.report.pdf!.subarray(0, 5).toString()).toBe('%PDF-');
    expect(b.report.html).toBe(a.report.html);
  }, 90_000);

  it('archives the report without a PDF, charts as SVG, when Chromium fails on every try', async () => {
    const broken = new BrowserPool(() => Promise.reject(new Error('Chromium is not installed here')));
    const queued = await setup(broken);
    const r = await runWeeklyReport(queued.ctx, {});
    // One try and one retry (on another worker, in a real install).
    expect(queued.tries()).toBe(2);
    expect(r.report.hasPdf).toBe(false);
    expect(r).toMatchObject({ pngCharts: 0 });
    expect(r.svgCharts).toBeGreaterThan(0);
    expect(r.browserProblem).toContain('Chromium is not installed here');
    expect(queued.log.lines.join('\n')).toContain('the report is archived and sent without a PDF');
  }, 60_000);
});
