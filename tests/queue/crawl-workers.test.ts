// A crawl of a generated 5,000-page site through the queue: three real `promowatch worker` processes on
// one PostgreSQL take its batch tasks, one is killed with SIGKILL mid-run, and what is stored is what
// the single-process SQLite crawl stores — every page once, the same facts, links and audit issues —
// while the site never sees more requests at once than the crawl's per-host concurrency.
import { writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { auditSiteThroughQueue, crawlBatchTask } from '../../src/audit/crawl-task.ts';
import { auditSettingsFrom, auditSite } from '../../src/audit/site-audit.ts';
import { storeOf } from '../../src/db/store/sqlite.ts';
import { openStore } from '../../src/db/store/open.ts';
import type { Sql } from '../../src/db/store/types.ts';
import { PgBossQueue } from '../../src/queue/pg-boss.ts';
import { TaskRegistry } from '../../src/queue/registry.ts';
import { memoryLogger } from '../../src/util/log.ts';
import { createSiteServer } from '../bench/site-server.ts';
import { tempDb, tempDir } from '../helpers.ts';
import { pgServer, stopPgServer } from '../pg/backends.ts';
import { pgAvailable } from '../pg/server.ts';
import { startProcess, waitFor, type Proc } from './processes.ts';

const BIN = fileURLToPath(new URL('../../src/cli/bin.mjs', import.meta.url));
const PAGES = 5000;
const CONCURRENCY = 4;
const LEASE_SECONDS = 20;

afterAll(stopPgServer);

/** What a crawl stored, by URL (ids differ between crawls), for comparing as sets. */
async function stored(sql: Sql, crawlId: number) {
  const urls = await sql.all<{ row: string }>(
    `SELECT url || ' ' || kind || ' ' || state || ' ' || COALESCE(CAST(status AS TEXT), '-') || ' ' || COALESCE(title, '-') || ' ' || inlinks AS row
     FROM crawl_urls WHERE crawl_id = ?`,
    [crawlId],
  );
  const links = await sql.get<{ n: number; pairs: number }>(
    `SELECT COUNT(*) AS n, COUNT(DISTINCT from_id || ':' || to_id || ':' || kind) AS pairs FROM crawl_links WHERE crawl_id = ?`,
    [crawlId],
  );
  const issues = await sql.all<{ issue: string }>(
    `SELECT i.rule || ' ' || COALESCE(u.url, '-') || ' ' || COALESCE(i.details, '') AS issue
     FROM crawl_issues i LEFT JOIN crawl_urls u ON u.id = i.url_id WHERE i.crawl_id = ?`,
    [crawlId],
  );
  return {
    urls: urls.map((r) => r.row).sort(),
    links: links!.n,
    issues: issues.map((r) => r.issue).sort(),
  };
}

function startWorker(env: NodeJS.ProcessEnv): Proc {
  return startProcess([BIN, 'worker', '--kinds', 'crawl', '--concurrency', '2'], env);
}

describe.runIf(pgAvailable())('a crawl through the queue', () => {
  it(`of ${PAGES} pages by 3 worker processes, one killed mid-run, stores what one SQLite process stores`, async () => {
    // The site, counting the requests it is answering at once.
    const server = createSiteServer(PAGES);
    let now = 0;
    let most = 0;
    server.prependListener('request', (_req, res) => {
      most = Math.max(most, ++now);
      res.on('close', () => now--);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const settings = auditSettingsFrom({
      requestsPerSecond: 0,
      concurrency: CONCURRENCY,
      parserThreads: 0,
      maxPages: 10_000,
    });
    const clock = () => new Date('2026-11-16T04:00:00Z');
    try {
      // (a) One process on SQLite.
      const { db } = tempDb({
        besidePostgres: 'the reference is one process on SQLite, which the workers must match',
      });
      const single = await auditSite(
        { db, now: clock, log: memoryLogger() },
        { siteId: null, startUrl: base, settings },
      );
      const want = await stored(storeOf(db), single.crawlId);
      expect(single.pages).toBeGreaterThan(PAGES * 0.9);
      expect(most).toBeLessThanOrEqual(CONCURRENCY);
      most = 0;

      // (b) PostgreSQL, the batches taken by three worker processes.
      const url = await (await pgServer()).createDatabase();
      const sql = await openStore({ kind: 'postgres', url });
      const registry = new TaskRegistry();
      registry.register(crawlBatchTask);
      const queue = await PgBossQueue.open({
        url,
        registry,
        deps: { sql, log: memoryLogger(), now: () => new Date(), fetch },
        pollSeconds: 0.5,
        maintenanceSeconds: 1,
      });
      const config = join(tempDir(), 'promowatch.config.json');
      writeFileSync(config, JSON.stringify({ sites: [{ name: 'studio', baseUrl: base, timeZone: 'UTC' }] }));
      const env = {
        PATH: process.env.PATH!,
        HOME: process.env.HOME!,
        PROMOWATCH_CONFIG: config,
        PROMOWATCH_DATABASE_URL: url,
        PROMOWATCH_CRAWL_LEASE_SECONDS: String(LEASE_SECONDS),
        PROMOWATCH_QUEUE_MAINTENANCE_SECONDS: '1',
        PROMOWATCH_QUEUE_POLL_SECONDS: '0.5',
        PROMOWATCH_WORKER_GRACE_SECONDS: '5',
      };
      const workers = [startWorker(env), startWorker(env), startWorker(env)];
      const logs = () => workers.map((w, i) => `--- worker ${i} ---\n${w.log()}`).join('\n');
      const t0 = performance.now();
      try {
        const run = auditSiteThroughQueue(
          {
            sql,
            now: clock,
            log: memoryLogger(),
            signal: new AbortController().signal,
            queue,
            pollMs: 100,
            leaseMs: LEASE_SECONDS * 1000,
          },
          { siteId: null, startUrl: base, settings },
        );
        // Mid-run: a fifth of the pages stored, then the first worker dies holding its claims.
        for (;;) {
          const done = await sql.get<{ n: number }>(
            `SELECT COUNT(*) AS n FROM crawl_urls WHERE kind = 'page' AND state = 'done'`,
          );
          if (done!.n >= PAGES / 5) break;
          if (workers.some((w) => w.child.exitCode !== null)) throw new Error(`a worker exited\n${logs()}`);
          await new Promise((r) => setTimeout(r, 100));
        }
        workers[0]!.child.kill('SIGKILL');
        const summary = await run;
        const seconds = (performance.now() - t0) / 1000;
        process.stdout.write(`crawl through the queue: ${summary.pages} pages in ${seconds.toFixed(1)} s\n`);
        const got = await stored(sql, summary.crawlId);
        expect(summary.status).toBe('ok');
        expect(summary.pages).toBe(single.pages);
        expect(got.urls.length).toBe(want.urls.length);
        expect(got.urls).toEqual(want.urls);
        expect(got.links).toBe(want.links);
        expect(got.issues).toEqual(want.issues);
        expect(summary.health).toBe(single.health);
        // Nothing claimed twice over: no URL twice (the unique key), no link row written twice.
        const dupLinks = await sql.get<{ n: number }>(
          `SELECT COUNT(*) AS n FROM (SELECT from_id, to_id, kind, anchor, COUNT(*) AS c FROM crawl_links
               WHERE crawl_id = ? GROUP BY from_id, to_id, kind, anchor HAVING COUNT(*) > 1) d`,
          [summary.crawlId],
        );
        const wantDup = await storeOf(db).get<{ n: number }>(
          `SELECT COUNT(*) AS n FROM (SELECT from_id, to_id, kind, anchor, COUNT(*) AS c FROM crawl_links
               WHERE crawl_id = ? GROUP BY from_id, to_id, kind, anchor HAVING COUNT(*) > 1) d`,
          [single.crawlId],
        );
        expect(dupLinks).toEqual(wantDup);
        // The per-host limit held across the three processes.
        expect(most).toBeLessThanOrEqual(CONCURRENCY);
      } finally {
        for (const w of workers)
          if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGTERM');
        await Promise.all(workers.map((w) => w.exited));
        await queue.close();
        await sql.close();
      }
    } finally {
      await new Promise((r) => server.close(r));
    }
  }, 600_000);
});
