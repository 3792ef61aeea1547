// What the `serp` task tests share: a SQLite store with one site tracked through `provider`, its
// keywords, a running track-rankings run (the task's payload names it), a task context, and a maker of
// tasks for batches of those keywords.
import type { BrowserPool } from '../../src/browser/launcher.ts';
import { getSiteByName, syncSites } from '../../src/db/sites.ts';
import type { Task, TaskContext } from '../../src/queue/types.ts';
import type { SerpTaskPayload } from '../../src/rank/serp-task.ts';
import { insertKeywords } from '../../src/rank/store.ts';
import { memoryLogger } from '../../src/util/log.ts';
import { testConfig, testStoreAndDb } from '../helpers.ts';

export async function serpTaskWorld(o: {
  site: string;
  provider: string;
  providers: Record<string, unknown>;
  queries: readonly string[];
  gl: string;
  hl: string;
  runId: number;
  browser?: BrowserPool;
}) {
  const { sql } = await testStoreAndDb();
  const config = testConfig({
    sites: [
      {
        name: 'studio',
        baseUrl: o.site,
        timeZone: 'Europe/Moscow',
        rankings: { providers: [{ use: o.provider }], depth: 10 },
      },
    ],
    providers: o.providers,
  });
  await syncSites(sql, config.sites, new Date());
  const site = (await getSiteByName(sql, 'studio'))!;
  const ids = await insertKeywords(
    sql,
    site.id,
    o.queries.map((query) => ({
      query,
      engine: 'google' as const,
      device: 'desktop' as const,
      gl: o.gl,
      hl: o.hl,
    })),
    new Date(),
  );
  await sql.run(
    "INSERT INTO job_runs (id, job, site_id, trigger, started_at, status, pid) VALUES (?, 'track-rankings', ?, 'manual', ?, 'running', ?)",
    [o.runId, site.id, new Date().toISOString(), process.pid],
  );
  const ctx: TaskContext = {
    sql,
    log: memoryLogger(),
    now: () => new Date(),
    fetch: globalThis.fetch,
    config,
    ...(o.browser ? { browser: o.browser } : {}),
    signal: new AbortController().signal,
  };
  const task = (key: string, keywordIds: number[]): Task<SerpTaskPayload> => ({
    id: key,
    kind: 'serp',
    key,
    attempt: 1,
    attempts: 4,
    payload: { siteId: site.id, runId: o.runId, provider: o.provider, keywordIds },
  });
  return { sql, site, ids, ctx, task };
}
