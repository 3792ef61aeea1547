// Data retention: what the nightly db-maintenance job prunes, and after how many days (config
// `retention`). Old rows go in one transaction; what counters of /metrics were built from is first
// added to the pruned totals, so those counters never go down.
import { rmSync } from 'node:fs';
import { evidenceFile } from '../backlinks/evidence.ts';
import type { Db } from '../db/open.ts';
import { addPrunedTotals, type PrunedTotals } from './pruned-totals.ts';
import type { RetentionSettings } from './retention-settings.ts';

export { RETENTION_DEFAULTS, type RetentionSettings } from './retention-settings.ts';

export interface Pruned {
  jobRuns: number;
  uptimeChecks: number;
  crawls: number;
  resultPageBodies: number;
  backlinkScreenshots: number;
}

const DAY_MS = 86_400_000;

/** Uptime checks are pruned, not folded into daily rows first: uptimeByDay (src/uptime/checks.ts) makes
 * the days from the checks in the site's time zone, a summary table would need a migration and a second
 * source for the same figures, and 400 days of checks every five minutes are ~120,000 small rows a page. */
export function pruneOldData(db: Db, now: Date, keep: RetentionSettings): Pruned {
  const before = (days: number | null) =>
    days === null ? null : new Date(now.getTime() - days * DAY_MS).toISOString();
  const runsBefore = before(keep.jobRunsDays);
  const uptimeBefore = before(keep.uptimeChecksDays);
  const crawlsBefore = before(keep.crawlsDays);
  const bodiesBefore = before(keep.resultPageBodiesDays);
  const shotsBefore = before(keep.backlinkScreenshotsDays);

  const OLD_CRAWLS = `started_at < ? AND status <> 'running' AND id NOT IN (
    SELECT id FROM (SELECT id, ROW_NUMBER() OVER (PARTITION BY site_id ORDER BY started_at DESC) AS n FROM crawls)
    WHERE n <= 2)`;
  // A screenshot that is neither of a change of state (the check at an event's time) nor the latest check.
  const OLD_SHOTS = `FROM backlink_checks c WHERE c.screenshot IS NOT NULL AND c.checked_at < ?
    AND NOT EXISTS (SELECT 1 FROM backlink_events e WHERE e.backlink_id = c.backlink_id AND e.at = c.checked_at)
    AND c.id <> (SELECT max(l.id) FROM backlink_checks l WHERE l.backlink_id = c.backlink_id)`;

  const files: string[] = [];
  const pruned = db.transaction((): Pruned => {
    const totals: PrunedTotals = { jobRuns: {}, jobSeconds: {}, crawlPages: 0 };
    if (runsBefore) {
      for (const r of db
        .prepare(
          `SELECT job, status, count(*) AS n,
             sum(CASE WHEN finished_at IS NULL THEN 0 ELSE unixepoch(finished_at, 'subsec') - unixepoch(started_at, 'subsec') END) AS secs,
             count(finished_at) AS finished
           FROM job_runs WHERE status <> 'running' AND started_at < ? GROUP BY job, status`,
        )
        .all(runsBefore) as { job: string; status: string; n: number; secs: number; finished: number }[]) {
        totals.jobRuns[`${r.job}\t${r.status}`] = r.n;
        const cur = totals.jobSeconds[r.job] ?? { sum: 0, count: 0 };
        totals.jobSeconds[r.job] = { sum: cur.sum + r.secs, count: cur.count + r.finished };
      }
    }
    if (crawlsBefore)
      totals.crawlPages = db
        .prepare(`SELECT coalesce(sum(pages), 0) FROM crawls WHERE ${OLD_CRAWLS}`)
        .pluck()
        .get(crawlsBefore) as number;
    addPrunedTotals(db, totals);

    if (shotsBefore)
      for (const r of db.prepare(`SELECT c.screenshot AS path ${OLD_SHOTS}`).all(shotsBefore) as {
        path: string;
      }[])
        files.push(r.path);
    return {
      jobRuns: runsBefore
        ? db.prepare(`DELETE FROM job_runs WHERE status <> 'running' AND started_at < ?`).run(runsBefore)
            .changes
        : 0,
      uptimeChecks: uptimeBefore
        ? db.prepare(`DELETE FROM uptime_checks WHERE checked_at < ?`).run(uptimeBefore).changes
        : 0,
      crawls: crawlsBefore
        ? db.prepare(`DELETE FROM crawls WHERE ${OLD_CRAWLS}`).run(crawlsBefore).changes
        : 0,
      resultPageBodies: bodiesBefore
        ? db
            .prepare(`UPDATE serp_pages SET raw = NULL WHERE raw IS NOT NULL AND fetched_at < ?`)
            .run(bodiesBefore).changes
        : 0,
      backlinkScreenshots: shotsBefore
        ? db
            .prepare(`UPDATE backlink_checks SET screenshot = NULL WHERE id IN (SELECT c.id ${OLD_SHOTS})`)
            .run(shotsBefore).changes
        : 0,
    };
  })();
  // Files go once the rows no longer point at them; one that will not go stays as an orphan, harmless.
  for (const path of files) {
    const file = evidenceFile(db, path);
    if (file) rmSync(file, { force: true });
  }
  return pruned;
}
