// Job: keep the SQLite file lean: prune old data as config `retention` says (src/ops/retention.ts), fold
// the WAL back, refresh query statistics.
import { pruneOldData } from '../src/ops/retention.ts';
import type { Job } from './types.ts';

export const dbMaintenanceJob: Job = {
  name: 'db-maintenance',
  description:
    'Prunes job history, uptime checks, crawls, result-page bodies and backlink screenshots older than config "retention" allows (180/400/400/400/400 days by default), checkpoints the WAL, runs PRAGMA optimize',
  scope: 'global',
  defaultSchedule: '30 3 * * *',
  async run(ctx) {
    const removed = pruneOldData(ctx.db, ctx.now(), ctx.config.retention);
    ctx.db.pragma('optimize');
    const [cp] = ctx.db.pragma('wal_checkpoint(PASSIVE)') as {
      busy: number;
      log: number;
      checkpointed: number;
    }[];
    return {
      prunedRuns: removed.jobRuns,
      prunedUptimeChecks: removed.uptimeChecks,
      prunedCrawls: removed.crawls,
      prunedResultPageBodies: removed.resultPageBodies,
      prunedBacklinkScreenshots: removed.backlinkScreenshots,
      walPagesCheckpointed: cp?.checkpointed ?? 0,
    };
  },
};
