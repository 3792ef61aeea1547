// The `serp` task on its own (SQLite): a retry writes the same rows, batches running at once keep the
// engine's pause between keywords and share the provider's quota through the database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerRankProviderForTest } from '../../src/rank/providers/index.ts';
import { runSerpTask, tallyKey } from '../../src/rank/serp-task.ts';
import { localServer } from '../helpers.ts';
import { serpTaskWorld } from './serp-task-world.ts';
import {
  fakeBrowserSerp,
  fakeSearchServer,
  SITE,
  smallestGaps,
  type SearchHit,
} from './fake-serp-provider.ts';

let unregister: () => void;
beforeAll(() => (unregister = registerRankProviderForTest(fakeBrowserSerp)));
afterAll(() => unregister());

async function setup(block: Record<string, unknown>, queries: number) {
  const hits: SearchHit[] = [];
  const base = await localServer(fakeSearchServer(hits));
  const { sql, ctx, task, ids } = await serpTaskWorld({
    site: SITE,
    provider: 'fake-browser',
    providers: { fakeBrowserSerp: { baseUrl: base, ...block } },
    queries: Array.from({ length: queries }, (_, i) => `видеосъёмка ${i + 1}`),
    gl: 'ru',
    hl: 'ru',
    runId: 7,
  });
  const rows = () =>
    sql.all<{ keyword_id: number; state: string; position: number | null; run_id: number }>(
      'SELECT keyword_id, state, position, run_id FROM rank_observations ORDER BY keyword_id',
    );
  return { sql, ctx, task, ids, hits, rows };
}

describe('serp task', () => {
  it('stores the batch as track does; a retry of the same task asks nothing again and writes the same rows', async () => {
    const { sql, ctx, task, ids, hits, rows } = await setup({}, 4);
    const first = await runSerpTask(task('7:fake-browser:0', ids), ctx);
    expect(first).toMatchObject({ requests: 4, failed: 0, deferred: 0, stop: null });
    expect(first.ranked + first.notInTop).toBe(4);
    const stored = await rows();
    expect(stored.map((r) => r.keyword_id)).toEqual(ids);
    expect(stored.every((r) => r.run_id === 7)).toBe(true);
    const pages = await sql.get<{ n: number }>('SELECT count(*) AS n FROM serp_pages');

    const again = await runSerpTask(task('7:fake-browser:0', ids), ctx);
    expect(again).toMatchObject({ requests: 0, ranked: 0, notInTop: 0 });
    expect(hits).toHaveLength(4);
    expect(await rows()).toEqual(stored);
    expect(await sql.get('SELECT count(*) AS n FROM serp_pages')).toEqual(pages);
    // The tally is left for the job under the task's key.
    expect(
      await sql.get<{ value: string }>('SELECT value FROM meta WHERE key = ?', [
        tallyKey('7:fake-browser:0'),
      ]),
    ).toBeDefined();
  });

  it('keeps the pause between keywords on one engine across batches running at once', async () => {
    const { ctx, task, ids, hits } = await setup({ delayMs: 150 }, 6);
    await Promise.all([
      runSerpTask(task('a', ids.slice(0, 3)), ctx),
      runSerpTask(task('b', ids.slice(3)), ctx),
    ]);
    expect(hits).toHaveLength(6);
    // Clock granularity and timers: a few ms of slack below the configured pause.
    expect(smallestGaps(hits).google).toBeGreaterThanOrEqual(145);
  });

  it('asks exactly the quota between batches running at once and leaves the rest for the next pull', async () => {
    const { sql, ctx, task, ids, hits, rows } = await setup({ dailyQuota: 5 }, 12);
    const tallies = await Promise.all([
      runSerpTask(task('a', ids.slice(0, 4)), ctx),
      runSerpTask(task('b', ids.slice(4, 8)), ctx),
      runSerpTask(task('c', ids.slice(8)), ctx),
    ]);
    expect(hits).toHaveLength(5);
    expect(tallies.reduce((n, t) => n + t.requests, 0)).toBe(5);
    expect(tallies.reduce((n, t) => n + t.deferred, 0)).toBe(7);
    expect(tallies.some((t) => t.stop?.kind === 'quota')).toBe(true);
    // Nothing stored as failed for a keyword that was never asked.
    expect((await rows()).map((r) => r.state).filter((s) => s === 'failed')).toEqual([]);
    expect(await rows()).toHaveLength(5);
    expect(
      (await sql.get<{ requests: number }>(
        "SELECT requests FROM rank_provider_usage WHERE provider = 'fake-browser'",
      ))!.requests,
    ).toBe(5);
  });
});
