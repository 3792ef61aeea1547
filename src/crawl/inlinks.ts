// The to-side of a crawl's links (crawl_inlinks, migration 019): built in one pass once the crawl's
// links are all stored, rather than an index on crawl_links kept up to date while it runs — that index
// took a random B-tree page per link and cost a third of the crawl's SQLite time (issue 15). Every way a
// crawl ends builds it: the audit's finish, a crawl closed without the audit, the sweep of crawls whose
// process died. While a crawl runs, its pages' inlinks are read from crawl_links directly (pageInlinks).
import type { Db } from '../db/open.ts';
import type { Sql } from '../db/store/types.ts';

/** Replaces (so a retried finish is harmless) the crawl's inlink rows; each statement takes the crawl id. */
const REBUILD = [
  `DELETE FROM crawl_inlinks WHERE crawl_id = ?`,
  // Repeated links collapse on the key. On the bench site's 257,000 links ~150 ms, where a GROUP BY
  // sorting them first (to count them) took ~240: SQLite's sorter cost more than the scattered inserts.
  `INSERT INTO crawl_inlinks (crawl_id, to_id, kind, from_id)
   SELECT crawl_id, to_id, kind, from_id FROM crawl_links WHERE crawl_id = ? ON CONFLICT DO NOTHING`,
] as const;

/** Builds crawl_inlinks for a crawl through the data layer (either backend); run it inside a transaction. */
export async function buildInlinks(sql: Sql, crawlId: number): Promise<void> {
  for (const statement of REBUILD) await sql.run(statement, [crawlId]);
}

/** The same on the SQLite connection of the crawl's fast path (src/crawl/store.ts). */
export function buildInlinksSqlite(db: Db, crawlId: number): void {
  db.transaction(() => {
    for (const statement of REBUILD) db.prepare(statement).run(crawlId);
  })();
}

export interface Inlink {
  from: string;
  anchor: string | null;
  kind: string;
  rel: string | null;
}

/**
 * Up to `limit` links to URL `toId`, by source URL. A crawl that ended reads them through crawl_inlinks
 * and the from-index; one still running has no crawl_inlinks rows yet and scans its own links.
 */
export async function pageInlinks(sql: Sql, crawlId: number, toId: number, limit = 500): Promise<Inlink[]> {
  const running =
    (await sql.get<{ status: string }>(`SELECT status FROM crawls WHERE id = ?`, [crawlId]))?.status ===
    'running';
  const links = running
    ? `crawl_links l`
    : // CROSS JOIN keeps SQLite to this order (PostgreSQL plans it freely).
      `crawl_inlinks i CROSS JOIN crawl_links l`;
  const match = running
    ? `l.crawl_id = ? AND l.to_id = ?`
    : `i.crawl_id = ? AND i.to_id = ? AND l.crawl_id = i.crawl_id AND l.from_id = i.from_id AND l.to_id = i.to_id AND l.kind = i.kind`;
  return sql.all<Inlink>(
    `SELECT f.url AS "from", l.anchor, l.kind, l.rel FROM ${links} JOIN crawl_urls f ON f.id = l.from_id
     WHERE ${match} ORDER BY f.url LIMIT ${Math.max(0, Math.floor(limit))}`,
    [crawlId, toId],
  );
}
