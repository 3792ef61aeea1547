// Data retention: what the nightly db-maintenance job prunes, and after how many days (config
// `retention`). Old rows go in one transaction; what counters of /metrics were built from is first
// added to the pruned totals, so those counters never go down.
import { existsSync, rmSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import type { Sql } from '../db/store/types.ts';
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
 * source for the same figures, and 400 days of checks every five minutes are ~120,000 small rows a page.
 * `evidenceDir`: the evidence folder (screenshots outside it are never deleted). */
export async function pruneOldData(
  sql: Sql,
  now: Date,
  keep: RetentionSettings,
  evidenceDir: string,
): Promise<Pruned> {
  const before = (days: number | null) =>
    days === null ? null : new Date(now.getTime() - days * DAY_MS).toISOString();
  const runsBefore = before(keep.jobRunsDays);
  const uptimeBefore = before(keep.uptimeChecksDays);
  const crawlsBefore = before(keep.crawlsDays);
  const bodiesBefore = before(keep.resultPageBodiesDays);
  const shotsBefore = before(keep.backlinkScreenshotsDays);

  const OLD_CRAWLS = `started_at < ? AND status <> 'running' AND id NOT IN (
    SELECT id FROM (SELECT id, ROW_NUMBER() OVER (PARTITION BY site_id ORDER BY started_at DESC) AS n FROM crawls) AS ranked
    WHERE n <= 2)`;
  // A screenshot that is neither of a change of state (the check at an event's time) nor the latest check.
  const OLD_SHOTS = `FROM backlink_checks c WHERE c.screenshot IS NOT NULL AND c.checked_at < ?
    AND NOT EXISTS (SELECT 1 FROM backlink_events e WHERE e.backlink_id = c.backlink_id AND e.at = c.checked_at)
    AND c.id <> (SELECT max(l.id) FROM backlink_checks l WHERE l.backlink_id = c.backlink_id)`;
  // The times are ISO text: each dialect reads them as instants its own way, to the millisecond (as
  // src/ops/metrics.ts does, so the totals and the live rows add up to the same seconds).
  const took =
    sql.dialect === 'postgres'
      ? `EXTRACT(EPOCH FROM (CAST(finished_at AS timestamptz) - CAST(started_at AS timestamptz)))`
      : `(unixepoch(finished_at, 'subsec') - unixepoch(started_at, 'subsec'))`;

  const files: string[] = [];
  const pruned = await sql.transaction(async (tx): Promise<Pruned> => {
    const totals: PrunedTotals = { jobRuns: {}, jobSeconds: {}, crawlPages: 0 };
    if (runsBefore) {
      for (const r of await tx.all<{
        job: string;
        status: string;
        n: number;
        secs: number;
        finished: number;
      }>(
        `SELECT job, status, count(*) AS n,
           CAST(sum(CASE WHEN finished_at IS NULL THEN 0 ELSE ${took} END) AS DOUBLE PRECISION) AS secs,
           count(finished_at) AS finished
         FROM job_runs WHERE status <> 'running' AND started_at < ? GROUP BY job, status ORDER BY job, status`,
        [runsBefore],
      )) {
        totals.jobRuns[`${r.job}\t${r.status}`] = r.n;
        const cur = totals.jobSeconds[r.job] ?? { sum: 0, count: 0 };
        totals.jobSeconds[r.job] = { sum: cur.sum + r.secs, count: cur.count + r.finished };
      }
    }
    if (crawlsBefore)
      totals.crawlPages = (await tx.get<{ n: number }>(
        `SELECT coalesce(sum(pages), 0) AS n FROM crawls WHERE ${OLD_CRAWLS}`,
        [crawlsBefore],
      ))!.n;
    await addPrunedTotals(tx, totals);

    if (shotsBefore)
      for (const r of await tx.all<{ path: string }>(`SELECT c.screenshot AS path ${OLD_SHOTS}`, [
        shotsBefore,
      ]))
        files.push(r.path);
    const changes = async (statement: string, before: string | null) =>
      before ? (await tx.run(statement, [before])).changes : 0;
    return {
      jobRuns: await changes(`DELETE FROM job_runs WHERE status <> 'running' AND started_at < ?`, runsBefore),
      uptimeChecks: await changes(`DELETE FROM uptime_checks WHERE checked_at < ?`, uptimeBefore),
      crawls: await changes(`DELETE FROM crawls WHERE ${OLD_CRAWLS}`, crawlsBefore),
      resultPageBodies: await changes(
        `UPDATE serp_pages SET raw = NULL WHERE raw IS NOT NULL AND fetched_at < ?`,
        bodiesBefore,
      ),
      backlinkScreenshots: await changes(
        `UPDATE backlink_checks SET screenshot = NULL WHERE id IN (SELECT c.id ${OLD_SHOTS})`,
        shotsBefore,
      ),
    };
  });
  // Files go once the rows no longer point at them; one that will not go stays as an orphan, harmless.
  // Only files under the evidence folder: a path in a row never makes us delete anything else.
  const root = resolve(evidenceDir) + sep;
  for (const path of files) {
    const file = resolve(path);
    if (file.startsWith(root) && existsSync(file)) rmSync(file, { force: true });
  }
  return pruned;
}
