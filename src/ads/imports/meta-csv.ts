// Meta Ads Manager exports (CSV), per day: "Reporting starts" and "Reporting ends" the same day when broken
// down by day, "Amount spent (RUB)" naming the currency, and a summary row without a campaign.
// Meta publishes no spec of the file; the columns are the insights fields of
// https://developers.facebook.com/docs/marketing-api/insights under their Ads Manager names.
import type { ExportFormatSpec } from './columns.ts';

export const metaCsv: ExportFormatSpec = {
  columns: {
    day: ['day', 'date'],
    periodStart: ['reporting starts'],
    periodEnd: ['reporting ends'],
    campaignId: ['campaign id'],
    campaignName: ['campaign name', 'campaign'],
    impressions: ['impressions'],
    clicks: ['link clicks', 'clicks (all)', 'clicks'],
    cost: ['amount spent', 'spend'],
    conversions: ['results', 'purchases', 'website purchases', 'conversions'],
    conversionValue: ['purchases conversion value', 'website purchases conversion value', 'conversion value'],
    currency: ['currency'],
  },
  headerExample: '"Reporting starts", "Reporting ends", "Campaign name", "Impressions", "Amount spent (RUB)"',
  recognises: (keys) => keys.includes('reporting starts') || keys.some((k) => k.startsWith('amount spent')),
  isSummary: (cells, columns) =>
    (cells[columns.campaignName] ?? '').trim() === '' && (cells[columns.campaignId] ?? '').trim() === '',
  // The summary row (no campaign) totals every campaign of the export.
  wholeTotal: () => ({ label: 'the summary row' }),
  missingDay:
    'the export has no Day column, and spend is tracked per day: in Ads Manager choose Breakdown → By time → Day, then export again',
  slashDates: 'refuse',
  notes: (labels) =>
    labels.conversions?.toLowerCase() === 'results'
      ? [
          'conversions are Meta\'s "Results": each campaign counts its own objective (purchases, leads, link clicks…)',
        ]
      : [],
};
