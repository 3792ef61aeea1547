// Crawls left "running" by a process that is gone: every entry point marks them interrupted (through
// the data layer, so on SQLite and PostgreSQL alike) before it acts, as jobs/runner.ts does for runs.
import type { Sql } from '../db/store/types.ts';
import { buildInlinks } from './inlinks.ts';
import { deadAdHocCrawls, forgetCrawlLiveness, type LivenessProbe } from './liveness.ts';
import { STOPPED_REASON } from './store.ts';

/**
 * Crawls still "running" whose job run has ended (its process was killed, or the job failed before the
 * crawl could record its end) are marked interrupted with what they had saved; URLs they never reached
 * are marked skipped as on a normal stop. Crawls without a run (`promowatch crawl`) are judged by the
 * liveness their process records (src/crawl/liveness.ts). Returns how many crawls it marked.
 */
export async function markOrphanedCrawls(sql: Sql, now: Date, probe: LivenessProbe = {}): Promise<number> {
  return sql.transaction(async (tx) => {
    const ofDeadRuns = (
      await tx.all<{ id: number }>(
        `SELECT c.id FROM crawls c JOIN job_runs r ON r.id = c.run_id
         WHERE c.status = 'running' AND r.status <> 'running' ORDER BY c.id`,
      )
    ).map((r) => r.id);
    const adHoc = await deadAdHocCrawls(tx, now, probe);
    const mark = async (id: number, error: string) => {
      // What it stored is kept and shown, so its links' to-side is built as at a crawl's end.
      await buildInlinks(tx, id);
      await tx.run(
        `UPDATE crawl_urls SET state = 'skipped', skip_reason = ? WHERE crawl_id = ? AND state IN ('queued', 'fetching')`,
        [STOPPED_REASON, id],
      );
      await tx.run(
        `UPDATE crawls SET status = 'interrupted', finished_at = ?, error = ?,
           pages = (SELECT COUNT(*) FROM crawl_urls u WHERE u.crawl_id = crawls.id AND u.kind = 'page' AND u.state = 'done')
         WHERE id = ?`,
        [now.toISOString(), error, id],
      );
    };
    for (const id of ofDeadRuns) await mark(id, 'The run doing this crawl ended before the crawl did');
    for (const id of adHoc) {
      await mark(id, 'The process doing this crawl stopped before the crawl ended');
      await forgetCrawlLiveness(tx, id);
    }
    return ofDeadRuns.length + adHoc.length;
  });
}
