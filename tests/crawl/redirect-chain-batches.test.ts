// A redirect chain crawled by many small batches (as workers take a shared crawl's URLs on PostgreSQL)
// stops at the same hop as a crawl in one process: the hops come from the stored redirect links, not
// from one batch's memory. Runs on the backend the test switch picks (testStore).
import { describe, expect, it } from 'vitest';
import { auditSettingsFrom } from '../../src/audit/site-audit.ts';
import { crawlSite } from '../../src/crawl/crawler.ts';
import { MAX_REDIRECT_HOPS } from '../../src/crawl/frontier.ts';
import { storedChainHops } from '../../src/crawl/sql-backend.ts';

import { memoryLogger } from '../../src/util/log.ts';
import { localServer, testStore } from '../helpers.ts';
import { endlessRedirects } from './endless-redirects.ts';

describe('an endless redirect chain crawled one URL per batch', () => {
  it(`follows ${MAX_REDIRECT_HOPS} hops in all, then skips the next target`, async () => {
    const fetched: string[] = [];
    const url = await localServer(endlessRedirects(fetched));
    const sql = await testStore();
    const deps = { sql, now: () => new Date('2026-11-16T04:00:00Z'), log: memoryLogger() };
    const input = {
      siteId: null,
      startUrl: url,
      settings: auditSettingsFrom({ retries: 0, requestsPerSecond: 0, maxPages: 60, parserThreads: 0 }),
    };
    const { crawlId } = await crawlSite(deps, input, 'seed');
    // Each batch claims one URL, so no batch ever follows two hops of the chain itself.
    for (let i = 0; i < 80; i++) {
      const queued = await sql.get<{ n: number }>(
        `SELECT COUNT(*) AS n FROM crawl_urls WHERE crawl_id = ? AND state = 'queued'`,
        [crawlId],
      );
      if (queued!.n === 0) break;
      await crawlSite(deps, input, { batch: { crawlId, limit: 1, leaseMs: 60_000 } });
    }
    expect(fetched).toEqual(Array.from({ length: MAX_REDIRECT_HOPS + 1 }, (_, i) => `/r/${i}`));
    expect(
      await sql.get(`SELECT state, skip_reason FROM crawl_urls WHERE crawl_id = ? AND url = ?`, [
        crawlId,
        `${url}r/${MAX_REDIRECT_HOPS + 1}`,
      ]),
    ).toEqual({ state: 'skipped', skip_reason: `redirect chain longer than ${MAX_REDIRECT_HOPS} hops` });
    const id = async (u: string) =>
      (await sql.get<{ id: number }>(`SELECT id FROM crawl_urls WHERE crawl_id = ? AND url = ?`, [
        crawlId,
        u,
      ]))!.id;
    expect(await storedChainHops(sql, crawlId, await id(`${url}r/0`))).toBe(0);
    expect(await storedChainHops(sql, crawlId, await id(`${url}r/3`))).toBe(3);
  }, 60_000);
});
