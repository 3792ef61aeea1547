// Job: keep the SQLite file lean: prune old run history, fold the WAL back, refresh query statistics.
import type { Job } from './types.ts';

export const KEEP_RUNS_DAYS = 180;
export const KEEP_UPTIME_DAYS = 400;
// Crawls are the largest rows by far; a year of weekly crawls keeps the trend, and the latest two per
// site are always kept so the comparison survives a long pause.
const KEEP_CRAWLS_DAYS = 400;

export const dbMaintenanceJob: Job = {
  name: 'db-maintenance',
  description: `Prunes job history older than ${KEEP_RUNS_DAYS} days, uptime checks and crawls older than ${KEEP_UPTIME_DAYS} days, checkpoints the WAL, runs PRAGMA optimize`,
  scope: 'global',
  defaultSchedule: '30 3 * * *',
  async run(ctx) {
    const day = 86_400_000;
    const now = ctx.now().getTime();
    const prune = ctx.db.transaction(() => ({
      runs: ctx.db
        .prepare(`DELETE FROM job_runs WHERE status <> 'running' AND started_at < ?`)
        .run(new Date(now - KEEP_RUNS_DAYS * day).toISOString()).changes,
      uptime: ctx.db
        .prepare(`DELETE FROM uptime_checks WHERE checked_at < ?`)
        .run(new Date(now - KEEP_UPTIME_DAYS * day).toISOString()).changes,
      crawls: ctx.db
        .prepare(
          `DELETE FROM crawls WHERE started_at < ? AND id NOT IN (
             SELECT id FROM (SELECT id, ROW_NUMBER() OVER (PARTITION BY site_id ORDER BY started_at DESC) AS n FROM crawls) WHERE n <= 2)`,
        )
        .run(new Date(now - KEEP_CRAWLS_DAYS * day).toISOString()).changes,
    }));
    const removed = prune();
    ctx.db.pragma('optimize');
    const [cp] = ctx.db.pragma('wal_checkpoint(PASSIVE)') as {
      busy: number;
      log: number;
      checkpointed: number;
    }[];
    return {
      prunedRuns: removed.runs,
      prunedUptimeChecks: removed.uptime,
      prunedCrawls: removed.crawls,
      walPagesCheckpointed: cp?.checkpointed ?? 0,
    };
  },
};
