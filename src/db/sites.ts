// Queries for the `sites` table: the sites one install watches (an agency has several).
import type { Db } from './open.ts';

export interface SiteRow {
  id: number;
  name: string;
  baseUrl: string;
  timeZone: string;
}

export interface SiteInput {
  name: string;
  baseUrl: string;
  timeZone: string;
}

/** Makes the sites table match the config: new sites added, changed ones updated. Sites removed from
 * the config are kept (their history stays readable) but are no longer scheduled. */
export function syncSites(db: Db, sites: SiteInput[], now: Date): SiteRow[] {
  const upsert = db.prepare(
    `INSERT INTO sites (name, base_url, time_zone, created_at) VALUES (?, ?, ?, ?)
     ON CONFLICT(name) DO UPDATE SET base_url = excluded.base_url, time_zone = excluded.time_zone`,
  );
  db.transaction(() => {
    for (const s of sites) upsert.run(s.name, s.baseUrl, s.timeZone, now.toISOString());
  })();
  return sites.map((s) => getSiteByName(db, s.name)!);
}

export function listSites(db: Db): SiteRow[] {
  return db
    .prepare('SELECT id, name, base_url AS baseUrl, time_zone AS timeZone FROM sites ORDER BY name')
    .all() as SiteRow[];
}

export function getSiteByName(db: Db, name: string): SiteRow | undefined {
  return db
    .prepare('SELECT id, name, base_url AS baseUrl, time_zone AS timeZone FROM sites WHERE name = ?')
    .get(name) as SiteRow | undefined;
}

/** The rows of the sites the config lists, in the config's order (sites dropped from it are left out). */
export function configuredSites(db: Db, names: readonly string[]): SiteRow[] {
  const order = new Map(names.map((n, i) => [n, i]));
  return listSites(db)
    .filter((s) => order.has(s.name))
    .sort((a, b) => order.get(a.name)! - order.get(b.name)!);
}
