// Which site a dashboard object belongs to, for the authorisation check (web/access.ts): a path id or a
// posted id is judged by its site before any handler runs.
import type { Sql } from '../db/store/types.ts';

export type OwnedKind = 'backlink' | 'keyword' | 'competitor' | 'adAccount' | 'report' | 'notice' | 'share';

const TABLE: Record<OwnedKind, string> = {
  backlink: 'backlinks',
  keyword: 'keywords',
  competitor: 'competitors',
  adAccount: 'ad_accounts',
  report: 'reports',
  notice: 'alerts',
  share: 'share_links',
};

/** The site of each id that exists (ids of nothing are left out: the handler answers for those).
 * A notice about no site (an install-wide alert) gives null. */
export async function sitesOf(sql: Sql, kind: OwnedKind, ids: readonly number[]): Promise<(number | null)[]> {
  const out: (number | null)[] = [];
  for (const id of ids) {
    const row = await sql.get<{ siteId: number | null }>(
      `SELECT site_id AS siteId FROM ${TABLE[kind]} WHERE id = ?`,
      [id],
    );
    if (row !== undefined) out.push(row.siteId);
  }
  return out;
}
