// The campaign table's order and its period-over-period changes.
import type { CampaignRow } from './report-data.ts';

/** now / before − 1 (0.12 = 12 % more); null when there is nothing to compare with. */
export function change(now: number | null, before: number | null): number | null {
  if (now === null || before === null || before === 0) return null;
  return now / before - 1;
}

export const CAMPAIGN_SORTS = [
  'spend',
  'change',
  'clicks',
  'ctr',
  'cpc',
  'conversions',
  'cpa',
  'roas',
  'name',
] as const;
export type CampaignSort = (typeof CAMPAIGN_SORTS)[number];

const SORT_VALUE: Record<CampaignSort, (r: CampaignRow) => number | string | null> = {
  spend: (r) => r.current.costMicros,
  change: (r) => change(r.current.costMicros, r.previous.costMicros),
  clicks: (r) => r.current.clicks,
  ctr: (r) => r.current.ctr,
  cpc: (r) => r.current.cpcMicros,
  conversions: (r) => r.current.conversions,
  cpa: (r) => r.current.cpaMicros,
  roas: (r) => r.current.roas,
  name: (r) => r.name.toLocaleLowerCase(),
};

/** Sorted within each currency (amounts of two currencies do not compare); unknown values last. */
export function sortCampaigns(
  rows: readonly CampaignRow[],
  sort: CampaignSort,
  desc: boolean,
): CampaignRow[] {
  const collator = new Intl.Collator('ru');
  const key = SORT_VALUE[sort];
  return [...rows].sort((a, b) => {
    if (a.currency !== b.currency) return a.currency < b.currency ? -1 : 1;
    const ka = key(a);
    const kb = key(b);
    if (ka === null || kb === null) return ka === kb ? 0 : ka === null ? 1 : -1;
    const d = typeof ka === 'string' ? collator.compare(ka, kb as string) : ka - (kb as number);
    return (desc ? -d : d) || collator.compare(a.name, b.name);
  });
}
