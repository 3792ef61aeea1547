// The job table: every scheduled job, in the order the Jobs page lists them. Adding a job = a file + a line.
import { checkBacklinksJob } from './check-backlinks.ts';
import { crawlSiteJob } from './crawl-site.ts';
import { dbMaintenanceJob } from './db-maintenance.ts';
import { pullAdsJob } from './pull-ads.ts';
import { trackRankingsJob } from './track-rankings.ts';
import type { Job } from './types.ts';
import { uptimeJob } from './uptime.ts';
import { weeklyReportJob } from './weekly-report.ts';

export const JOBS: readonly Job[] = [
  uptimeJob,
  crawlSiteJob,
  checkBacklinksJob,
  trackRankingsJob,
  pullAdsJob,
  weeklyReportJob,
  dbMaintenanceJob,
];

export const JOB_NAMES: readonly string[] = JOBS.map((j) => j.name);

export function findJob(name: string): Job | undefined {
  return JOBS.find((j) => j.name === name);
}
