// The site audit through the queue: the job seeds the crawl, batch tasks (kind 'crawl') fetch and judge
// its URLs on whichever workers take them, and the job finishes the audit once nothing is left to claim.
import { crawlSite } from '../crawl/crawler.ts';
import type { Sql } from '../db/store/types.ts';
import { fanOut } from '../queue/fan-out.ts';
import type { TaskKind, TaskQueue } from '../queue/types.ts';
import type { Logger } from '../util/log.ts';
import { sleep } from '../util/sleep.ts';
import { finishCrawl, type CrawlSummary } from './finish.ts';
import { FAMILIES } from './rules/index.ts';
import { auditPage, type AuditInput, type AuditSettings } from './site-audit.ts';
import { SITEMAP_DEPTH, STOPPED_REASON, CAPPED_REASON } from '../crawl/store.ts';

export interface CrawlBatchPayload {
  crawlId: number;
}

/** URLs one batch task claims: a few seconds of fetching, so a killed worker costs little. */
export const CRAWL_BATCH_URLS = 100;
/**
 * A task's lease, and how old a claim must be before another batch takes its URLs back: longer than a
 * batch takes. PROMOWATCH_CRAWL_LEASE_SECONDS shortens it where a test kills a worker on purpose.
 */
export const CRAWL_LEASE_SECONDS = Number(process.env.PROMOWATCH_CRAWL_LEASE_SECONDS) || 120;
/** Batch tasks a crawl has queued at once: enough to keep several workers busy. */
const PARALLEL_BATCHES = 8;

interface BatchDeps {
  sql: Sql;
  now: () => Date;
  log: Logger;
  signal?: AbortSignal;
}

/** One batch of a crawl: its settings are the crawl's own, as stored when the job opened it. */
export async function auditBatch(
  deps: BatchDeps,
  crawlId: number,
  leaseMs = CRAWL_LEASE_SECONDS * 1000,
): Promise<void> {
  const crawl = await deps.sql.get<{
    siteId: number | null;
    startUrl: string;
    settings: string;
    status: string;
  }>(`SELECT site_id AS siteId, start_url AS startUrl, settings, status FROM crawls WHERE id = ?`, [crawlId]);
  if (!crawl || crawl.status !== 'running') return; // finished or gone: a late retry has nothing to do
  const settings = JSON.parse(crawl.settings) as AuditSettings;
  await crawlSite(
    {
      sql: deps.sql,
      now: deps.now,
      log: deps.log,
      signal: deps.signal,
      consumer: { page: (page) => auditPage(FAMILIES, settings.thresholds, page), end: () => {} },
    },
    { siteId: crawl.siteId, startUrl: crawl.startUrl, settings },
    { batch: { crawlId, limit: CRAWL_BATCH_URLS, leaseMs } },
  );
}

export const crawlBatchTask: TaskKind<CrawlBatchPayload> = {
  kind: 'crawl',
  retryLimit: 3,
  leaseSeconds: CRAWL_LEASE_SECONDS,
  handler: (task, ctx) => auditBatch(ctx, task.payload.crawlId),
};

/** URLs a batch could claim now, and URLs claimed and not yet stored. */
async function frontierLeft(sql: Sql, crawlId: number, maxPages: number) {
  const r = (await sql.get<{ queued: number; queuedPages: number; fetching: number; pages: number }>(
    `SELECT SUM(CASE WHEN state = 'queued' AND depth <= ? THEN 1 ELSE 0 END) AS queued,
            SUM(CASE WHEN state = 'queued' AND kind = 'page' AND depth <= ? THEN 1 ELSE 0 END) AS "queuedPages",
            SUM(CASE WHEN state = 'fetching' THEN 1 ELSE 0 END) AS fetching,
            SUM(CASE WHEN kind = 'page' AND state IN ('fetching', 'done') THEN 1 ELSE 0 END) AS pages
     FROM crawl_urls WHERE crawl_id = ?`,
    [SITEMAP_DEPTH, SITEMAP_DEPTH, crawlId],
  ))!;
  const queued = r.queued ?? 0;
  const claimable = (r.pages ?? 0) < maxPages ? queued : queued - (r.queuedPages ?? 0);
  return { claimable, fetching: r.fetching ?? 0 };
}

/**
 * The site audit with its crawl spread over the queue's workers: seed here, then rounds of batch tasks
 * until no URL is left to claim or in a claim, then the crawl-wide rules and the summary here.
 */
export async function auditSiteThroughQueue(
  deps: BatchDeps & { queue: TaskQueue; signal: AbortSignal; pollMs?: number; leaseMs?: number },
  input: AuditInput,
): Promise<CrawlSummary> {
  const t0 = performance.now();
  const seeded = await crawlSite(
    { sql: deps.sql, now: deps.now, log: deps.log, signal: deps.signal },
    input,
    'seed',
  );
  const crawlId = seeded.crawlId;
  const leaseMs = deps.leaseMs ?? CRAWL_LEASE_SECONDS * 1000;
  let before = '';
  for (let round = 0; ; round++) {
    const left = await frontierLeft(deps.sql, crawlId, input.settings.maxPages);
    if (left.claimable === 0 && left.fetching === 0) break;
    // Claims left by a dead worker come back only once their lease is over: while a round changes
    // nothing (only such claims are left), wait a moment before the next one looks again.
    const now = JSON.stringify(left);
    if (now === before) await sleep(Math.min(leaseMs, 1000), deps.signal);
    before = now;
    const n = Math.max(1, Math.min(PARALLEL_BATCHES, Math.ceil(left.claimable / CRAWL_BATCH_URLS)));
    const items = Array.from({ length: n }, (_, i) => ({
      payload: { crawlId },
      key: `${crawlId}:${round}:${i}`,
    }));
    const result = await fanOut(deps.queue, crawlBatchTask.kind, items, {
      signal: deps.signal,
      pollMs: deps.pollMs,
    });
    for (const f of result.failed) deps.log.warn(`crawl batch ${f.key} failed: ${f.error}`);
  }
  const interrupted = deps.signal.aborted;
  const left = await deps.sql.get<{ urls: number; pages: number }>(
    `SELECT COUNT(*) AS urls, SUM(CASE WHEN kind = 'page' THEN 1 ELSE 0 END) AS pages FROM crawl_urls WHERE crawl_id = ? AND state IN ('queued', 'fetching')`,
    [crawlId],
  );
  await deps.sql.run(
    `UPDATE crawl_urls SET state = 'skipped', skip_reason = ? WHERE crawl_id = ? AND state IN ('queued', 'fetching')`,
    [interrupted ? STOPPED_REASON : `${CAPPED_REASON} (${input.settings.maxPages})`, crawlId],
  );
  return finishCrawl(deps.sql, crawlId, FAMILIES, input.settings.thresholds, {
    status: interrupted ? 'interrupted' : 'ok',
    seconds: (performance.now() - t0) / 1000,
    leftUnvisited: left?.urls ?? 0,
    pagesUnvisited: left?.pages ?? 0,
    now: deps.now(),
  });
}
