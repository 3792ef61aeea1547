// Queries for the `sites` table: the sites one install watches (an agency has several).
import type { Sql } from './store/types.ts';

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

const COLUMNS = 'id, name, base_url AS baseUrl, time_zone AS timeZone';

/** Makes the sites table match the config: new sites added, changed ones updated. Sites removed from
 * the config are kept (their history stays readable) but are no longer scheduled. */
export async function syncSites(sql: Sql, sites: SiteInput[], now: Date): Promise<SiteRow[]> {
  return sql.transaction(async (tx) => {
    const out: SiteRow[] = [];
    for (const s of sites)
      out.push(
        (await tx.get<SiteRow>(
          `INSERT INTO sites (name, base_url, time_zone, created_at) VALUES (?, ?, ?, ?)
           ON CONFLICT(name) DO UPDATE SET base_url = excluded.base_url, time_zone = excluded.time_zone
           RETURNING ${COLUMNS}`,
          [s.name, s.baseUrl, s.timeZone, now.toISOString()],
        ))!,
      );
    return out;
  });
}

export async function listSites(sql: Sql): Promise<SiteRow[]> {
  // Sorted here, not by ORDER BY: PostgreSQL orders text by the database's locale, SQLite by bytes, and
  // both backends must list sites alike.
  const rows = await sql.all<SiteRow>(`SELECT ${COLUMNS} FROM sites`);
  return rows.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export async function getSiteByName(sql: Sql, name: string): Promise<SiteRow | undefined> {
  return sql.get<SiteRow>(`SELECT ${COLUMNS} FROM sites WHERE name = ?`, [name]);
}

/** The rows of the sites the config lists, in the config's order (sites dropped from it are left out). */
export async function configuredSites(sql: Sql, names: readonly string[]): Promise<SiteRow[]> {
  const order = new Map(names.map((n, i) => [n, i]));
  return (await listSites(sql))
    .filter((s) => order.has(s.name))
    .sort((a, b) => order.get(a.name)! - order.get(b.name)!);
}
