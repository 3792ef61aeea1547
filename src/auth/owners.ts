// Which site a dashboard object belongs to, for the authorisation check (web/access.ts): a path id or a
// posted id is judged by its site before any handler runs.
import type { Db } from '../db/open.ts';

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
export function sitesOf(db: Db, kind: OwnedKind, ids: readonly number[]): (number | null)[] {
  const stmt = db.prepare(`SELECT site_id FROM ${TABLE[kind]} WHERE id = ?`).pluck();
  const out: (number | null)[] = [];
  for (const id of ids) {
    const site = stmt.get(id) as number | null | undefined;
    if (site !== undefined) out.push(site);
  }
  return out;
}
