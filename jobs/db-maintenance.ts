// Job: keep the database lean: prune old data as config `retention` says (src/ops/retention.ts), on either
// backend; on SQLite also fold the WAL back and refresh query statistics.
import { dirname, join } from 'node:path';
import { pruneOldData } from '../src/ops/retention.ts';
import type { Job } from './types.ts';

export const dbMaintenanceJob: Job = {
  name: 'db-maintenance',
  description:
    'Prunes job history, uptime checks, crawls, result-page bodies and backlink screenshots older than config "retention" allows (180/400/400/400/400 days by default), checkpoints the WAL, runs PRAGMA optimize',
  scope: 'global',
  defaultSchedule: '30 3 * * *',
  async run(ctx) {
    const evidenceDir = ctx.evidenceDir ?? join(dirname(ctx.db.name), 'evidence');
    const removed = await pruneOldData(ctx.sql, ctx.now(), ctx.config.retention, evidenceDir);
    const counts: Record<string, number> = {
      prunedRuns: removed.jobRuns,
      prunedUptimeChecks: removed.uptimeChecks,
      prunedCrawls: removed.crawls,
      prunedResultPageBodies: removed.resultPageBodies,
      prunedBacklinkScreenshots: removed.backlinkScreenshots,
    };
    if (ctx.sql.dialect !== 'sqlite') {
      // PostgreSQL's autovacuum reclaims the space and refreshes the statistics on its own schedule; a
      // VACUUM from here would only compete with it. There is no WAL file of ours to fold back.
      ctx.log.info(
        'PostgreSQL: WAL checkpoint and PRAGMA optimize are SQLite steps, skipped (autovacuum does this)',
      );
      return counts;
    }
    ctx.db.pragma('optimize');
    const [cp] = ctx.db.pragma('wal_checkpoint(PASSIVE)') as {
      busy: number;
      log: number;
      checkpointed: number;
    }[];
    return { ...counts, walPagesCheckpointed: cp?.checkpointed ?? 0 };
  },
};
