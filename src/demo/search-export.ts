// The demo's Search Console export: the simulated market's last three months of Search Console rows, written
// as the Performance report's ZIP (Queries, Pages, Countries, Devices, Dates, Filters) and imported the way
// `promowatch rank import` imports a user's, so the Rankings page shows its averages.
import type { Sql } from '../db/store/types.ts';
import type { SiteRow } from '../db/sites.ts';
import { readSearchExport } from '../rank/import-search-export.ts';
import { replaceSearchAverages } from '../rank/search-averages.ts';
import type { QueryStat } from '../rank/types.ts';
import { addDays, dayIn } from '../util/days.ts';
import { writeZip } from '../util/zip.ts';
import type { SearchWorld } from './search-world.ts';

// How the Performance report names what the API calls "rus" and "DESKTOP".
const COUNTRY_NAMES: Record<string, string> = { rus: 'Russia', usa: 'United States' };
const DEVICE_NAMES: Record<string, string> = { DESKTOP: 'Desktop', MOBILE: 'Mobile', TABLET: 'Tablet' };
const METRICS = 'Clicks,Impressions,CTR,Position';

interface Sum {
  clicks: number;
  impressions: number;
  /** Σ position × impressions: the period's average position weighs each day by its impressions. */
  weighted: number;
}

const cell = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** One tab: rows summed by `keyOf`, most clicks first (as the report sorts them), CTR and position formatted alike. */
function tab(title: string, rows: QueryStat[], keyOf: (r: QueryStat) => string, order?: 'key-desc'): string {
  const sums = new Map<string, Sum>();
  for (const r of rows) {
    const k = keyOf(r);
    const s = sums.get(k) ?? { clicks: 0, impressions: 0, weighted: 0 };
    s.clicks += r.clicks;
    s.impressions += r.impressions;
    s.weighted += (r.position ?? 0) * r.impressions;
    sums.set(k, s);
  }
  const entries = [...sums].sort(([ka, a], [kb, b]) =>
    order === 'key-desc' ? kb.localeCompare(ka) : b.clicks - a.clicks || b.impressions - a.impressions,
  );
  const lines = entries.map(([k, s]) => {
    const ctr = Number(((s.clicks / s.impressions) * 100).toFixed(2));
    const position = Math.max(1, Number((s.weighted / s.impressions).toFixed(2)));
    return `${cell(k)},${s.clicks},${s.impressions},${ctr}%,${position}`;
  });
  return [`${title},${METRICS}`, ...lines].join('\n') + '\n';
}

/**
 * The ZIP Search Console gives for "Last 3 months" downloaded on `today`: data up to the latest day it has
 * (two days back), named as the report names its downloads. The name's date is the download day; the
 * period is in the Dates tab.
 */
export function demoSearchExport(search: SearchWorld, siteUrl: string, today: string) {
  const last = addDays(today, -2);
  const rows = search.gscRows(addDays(last, -91), last, today);
  const zip = writeZip([
    { name: 'Queries.csv', data: tab('Top queries', rows, (r) => r.query) },
    { name: 'Pages.csv', data: tab('Top pages', rows, (r) => r.page) },
    { name: 'Countries.csv', data: tab('Country', rows, (r) => COUNTRY_NAMES[r.country] ?? r.country) },
    { name: 'Devices.csv', data: tab('Device', rows, (r) => DEVICE_NAMES[r.device] ?? r.device) },
    { name: 'Search appearance.csv', data: `Search Appearance,${METRICS}\n` },
    { name: 'Dates.csv', data: tab('Date', rows, (r) => r.day, 'key-desc') },
    { name: 'Filters.csv', data: 'Filter,Value\nSearch type,Web\nDate,Last 3 months\n' },
  ]);
  return { name: `${new URL(siteUrl).hostname}-Performance-on-Search-${today}.zip`, bytes: zip };
}

/** Imports the demo export for the site, as a user's import would; a refused export is a bug in the demo. */
export async function importDemoSearchExport(
  sql: Sql,
  site: SiteRow,
  search: SearchWorld,
  now: Date,
): Promise<void> {
  const r = readSearchExport([demoSearchExport(search, site.baseUrl, dayIn(now, site.timeZone))]);
  if (!r || 'errors' in r)
    throw new Error(`Demo: its Search Console export was refused: ${r?.errors.join('; ')}`);
  await replaceSearchAverages(sql, site.id, r.source, r.period, r.tables, now);
}
