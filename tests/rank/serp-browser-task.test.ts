// The real browser provider (Chromium, against the local Google stand-in) run as `serp` tasks: two
// batches at once read their result pages one pause apart, and store what the tracker stores.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrowserPool } from '../../src/browser/launcher.ts';
import { runSerpTask } from '../../src/rank/serp-task.ts';
import { localServer, suiteSetup } from '../helpers.ts';
import { serpTaskWorld } from './serp-task-world.ts';
import { numberedResults, serpPagesHandler } from '../servers/serp-pages.ts';

let browser: BrowserPool;
beforeAll(() => suiteSetup(async () => void (browser = new BrowserPool())));
afterAll(() => browser.close());

const SITE = 'https://studio.example/';
const PAUSE_MS = 250;

describe('serp task with the browser provider', () => {
  it('reads result pages in Chromium one pause apart across batches running at once', async () => {
    const arrivals: number[] = [];
    const handler = serpPagesHandler({
      engine: 'google',
      // The studio third for one query, absent for the others.
      results: (q) => {
        const list = numberedResults(10);
        if (q === 'motion design 1') list.splice(2, 0, { url: `${SITE}motion/`, title: 'Studio' });
        return list;
      },
    });
    const base = await localServer((req, res) => {
      if (/^\/search/.test(req.url ?? '')) arrivals.push(Date.now());
      handler(req, res);
    });
    const { sql, ctx, task, ids } = await serpTaskWorld({
      site: SITE,
      provider: 'browser',
      providers: { browserSerp: { enabled: true, googleUrl: base, delayMs: PAUSE_MS, jitterMs: 0 } },
      queries: [1, 2, 3, 4].map((i) => `motion design ${i}`),
      gl: 'us',
      hl: 'en',
      runId: 3,
      browser,
    });
    const tallies = await Promise.all([
      runSerpTask(task('3:browser:0', ids.slice(0, 2)), ctx),
      runSerpTask(task('3:browser:1', ids.slice(2)), ctx),
    ]);
    expect(tallies.map((t) => [t.ranked, t.notInTop, t.failed, t.stop])).toEqual([
      [1, 1, 0, null],
      [0, 2, 0, null],
    ]);
    const rows = await sql.all<{ keyword_id: number; state: string; position: number | null }>(
      "SELECT keyword_id, state, position FROM rank_observations WHERE source = 'browser' ORDER BY keyword_id",
    );
    expect(rows).toEqual([
      { keyword_id: ids[0], state: 'ranked', position: 3 },
      { keyword_id: ids[1], state: 'not-in-top', position: null },
      { keyword_id: ids[2], state: 'not-in-top', position: null },
      { keyword_id: ids[3], state: 'not-in-top', position: null },
    ]);
    expect(arrivals).toHaveLength(4);
    const sorted = [...arrivals].sort((a, b) => a - b);
    const gaps = sorted.slice(1).map((t, i) => t - sorted[i]!);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(PAUSE_MS - 5);
  }, 60_000);
});
