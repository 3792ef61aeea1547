// Liveness of a crawl that no job run owns (`promowatch crawl --db`): the crawling process records its
// pid, its start time and a heartbeat in `meta`, so any later entry point can tell a crawl killed with
// -9 from one still going, as jobs/runner.ts does for runs.
import type { Db } from '../db/open.ts';
import type { Sql } from '../db/store/types.ts';
import { pidIsAlive, processStartTime } from '../util/process.ts';

/** How often the crawl refreshes its heartbeat, and how old one may be before the crawl counts as dead. */
export const CRAWL_HEARTBEAT_MS = 30_000;
export const CRAWL_HEARTBEAT_STALE_MS = 10 * CRAWL_HEARTBEAT_MS;

const key = (crawlId: number) => `crawl:${crawlId}:liveness`;

export interface CrawlLiveness {
  pid: number;
  processStartedAt: string | null;
  heartbeatAt: string;
}

/** Starts the heartbeat; the returned function stops it and forgets the crawl (call it however the crawl ends). */
export function recordCrawlLiveness(db: Db, crawlId: number, now: () => Date, every = CRAWL_HEARTBEAT_MS) {
  const value: CrawlLiveness = {
    pid: process.pid,
    processStartedAt: processStartTime(process.pid),
    heartbeatAt: now().toISOString(),
  };
  db.prepare(`INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)`).run(
    key(crawlId),
    JSON.stringify(value),
  );
  const beat = setInterval(() => {
    try {
      db.prepare(`UPDATE meta SET value = json_set(value, '$.heartbeatAt', ?) WHERE key = ?`).run(
        now().toISOString(),
        key(crawlId),
      );
    } catch {
      // A locked database for one beat is no reason to stop the crawl; the next beat tries again.
    }
  }, every);
  beat.unref();
  return () => {
    clearInterval(beat);
    db.prepare(`DELETE FROM meta WHERE key = ?`).run(key(crawlId));
  };
}

export interface LivenessProbe {
  isAlive?: (pid: number) => boolean;
  processStartTime?: (pid: number) => string | null;
}

/**
 * Crawls without a run that say "running" while the process that recorded them is gone: its pid does
 * not exist, belongs to a later process (another start time), or has not beaten for too long. Crawls
 * with no liveness recorded (made before it existed) are left alone: nothing tells.
 */
export async function deadAdHocCrawls(sql: Sql, now: Date, probe: LivenessProbe = {}): Promise<number[]> {
  const isAlive = probe.isAlive ?? pidIsAlive;
  const startTime = probe.processStartTime ?? processStartTime;
  const rows = await sql.all<{ id: number; value: string }>(
    `SELECT c.id, m.value FROM crawls c JOIN meta m ON m.key = 'crawl:' || c.id || ':liveness'
     WHERE c.status = 'running' AND c.run_id IS NULL ORDER BY c.id`,
  );
  return rows
    .filter(({ value }) => {
      const l = parseLiveness(value);
      if (!l || l.pid === process.pid) return false;
      if (!isAlive(l.pid)) return true;
      if (l.processStartedAt !== null) {
        const current = startTime(l.pid);
        if (current !== null && current !== l.processStartedAt) return true;
      }
      return now.getTime() - Date.parse(l.heartbeatAt) > CRAWL_HEARTBEAT_STALE_MS;
    })
    .map((r) => r.id);
}

/** The recorded liveness, or null when the value is not JSON (what SQLite's json_valid() used to skip). */
function parseLiveness(value: string): CrawlLiveness | null {
  try {
    return JSON.parse(value) as CrawlLiveness;
  } catch {
    return null;
  }
}

export async function forgetCrawlLiveness(sql: Sql, crawlId: number): Promise<void> {
  await sql.run(`DELETE FROM meta WHERE key = ?`, [key(crawlId)]);
}
