// The Ads page's CSV download: the campaign table as the page shows it (same view, same order), with the
// previous period and the changes, under a header row in the reader's language.
import { Hono } from 'hono';
import { sortCampaigns } from '../../src/ads/campaign-sort.ts';
import { cachedCampaigns } from '../../src/ads/report-data.ts';
import type { Messages } from '../../src/i18n/index.ts';
import { csvDownload } from '../csv.ts';
import { adsView, campaignJson, campaignOrder } from '../views/ads.ts';
import type { Env } from '../types.ts';

export const adsExport = new Hono<Env>().get('/ads/export.csv', async (c) => {
  const site = c.get('site');
  if (!site) return c.text(c.get('t').common.noSite, 404);
  const v = await adsView(c, site);
  if (typeof v === 'string') return c.text(v, 400);
  const { sort, desc } = campaignOrder(c);
  const num = (micros: number | null) => (micros === null ? null : micros / 1e6);
  const rows: Record<CsvColumn, unknown>[] = sortCampaigns(
    await cachedCampaigns(c.get('deps').sql, v),
    sort,
    desc,
  )
    .map(campaignJson)
    .map((r) => ({
      platform: r.platform,
      account: r.account,
      campaign_id: r.campaignId,
      campaign: r.name,
      currency: r.currency,
      from: v.from,
      to: v.to,
      impressions: r.current.impressions,
      clicks: r.current.clicks,
      spend: num(r.current.costMicros),
      ctr: r.current.ctr,
      cpc: num(r.current.cpcMicros),
      conversions: r.current.conversions,
      cpa: num(r.current.cpaMicros),
      conversion_value: num(r.current.valueMicros),
      roas: r.current.roas,
      prev_impressions: r.previous.impressions,
      prev_clicks: r.previous.clicks,
      prev_spend: num(r.previous.costMicros),
      prev_ctr: r.previous.ctr,
      prev_cpc: num(r.previous.cpcMicros),
      prev_conversions: r.previous.conversions,
      prev_cpa: num(r.previous.cpaMicros),
      prev_roas: r.previous.roas,
      spend_change: r.change.spend,
      clicks_change: r.change.clicks,
      ctr_change: r.change.ctr,
      cpc_change: r.change.cpc,
      conversions_change: r.change.conversions,
      cpa_change: r.change.cpa,
      roas_change: r.change.roas,
    }));
  // The header row in the reader's language: the writer takes rows keyed by the names it prints.
  const head = c.get('t').ads.csv;
  return csvDownload(
    c,
    `${site.name}-ads-${v.from}-${v.to}.csv`,
    rows.map((r) => Object.fromEntries(CSV_COLUMNS.map((k) => [head[k], r[k]]))),
    CSV_COLUMNS.map((k) => head[k]),
  );
});

type CsvColumn = (typeof CSV_COLUMNS)[number];
const CSV_COLUMNS = [
  'platform',
  'account',
  'campaign_id',
  'campaign',
  'currency',
  'from',
  'to',
  'impressions',
  'clicks',
  'spend',
  'ctr',
  'cpc',
  'conversions',
  'cpa',
  'conversion_value',
  'roas',
  'prev_impressions',
  'prev_clicks',
  'prev_spend',
  'prev_ctr',
  'prev_cpc',
  'prev_conversions',
  'prev_cpa',
  'prev_roas',
  'spend_change',
  'clicks_change',
  'ctr_change',
  'cpc_change',
  'conversions_change',
  'cpa_change',
  'roas_change',
] as const satisfies readonly (keyof Messages['ads']['csv'])[];
