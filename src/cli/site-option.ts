// The `--site NAME` option shared by commands that work on one site's data.
import { getSiteByName, type SiteRow } from '../db/sites.ts';
import { UsageError } from './command.ts';
import type { Runtime } from './runtime.ts';

/** The named site, or the only one; a usage error naming the choices otherwise. */
export async function siteOf(rt: Runtime, name: string | undefined): Promise<SiteRow> {
  const names = rt.loaded.config.sites.map((s) => s.name);
  const chosen = name ?? (names.length === 1 ? names[0] : undefined);
  if (!chosen)
    throw new UsageError(
      `--site is needed: this install watches ${names.join(', ')} (pass --site ${names[0]})`,
    );
  const site = names.includes(chosen) ? await getSiteByName(rt.sql, chosen) : undefined;
  if (!site)
    throw new UsageError(
      `No site "${chosen}" in ${rt.loaded.file}; sites are: ${names.join(', ')} (add it under "sites" there, or pass one of these)`,
    );
  return site;
}

/** " --site NAME" when the install has several sites, so a suggested command runs as printed. */
export function siteFlag(rt: Runtime, site: SiteRow): string {
  return rt.loaded.config.sites.length > 1 ? ` --site ${site.name}` : '';
}
