// Google Ads "Campaign report" downloads (CSV, or "CSV (Excel)": UTF-16LE, tab-separated), per day.
// Shape: two title lines (report name, period), the header, rows, then "Total: …" rows, as recorded in
// /work/shared/FORMATS.md from real downloads (Google publishes no spec of the UI's files).
import { firstText, type ExportFormat } from './columns.ts';

export const googleAdsCsv: ExportFormat = {
  platform: 'google-ads',
  columns: {
    day: ['day', 'date'],
    campaignId: ['campaign id'],
    campaignName: ['campaign'],
    impressions: ['impr.', 'impressions'],
    // Display and video campaigns count "Interactions" where search counts clicks.
    clicks: ['clicks', 'interactions'],
    cost: ['cost'],
    conversions: ['conversions'],
    conversionValue: ['conv. value', 'conversion value'],
    currency: ['currency code', 'currency'],
  },
  headerExample: '"Day", "Campaign", "Impr.", "Clicks", "Cost", "Currency code"',
  recognises: (keys) =>
    keys.includes('cost') &&
    (keys.includes('impr.') || keys.includes('campaign') || keys.includes('conv. value')),
  isSummary: (cells) => /^total:/i.test(firstText(cells)),
  missingDay:
    'the report has no Day column, and spend is tracked per day: in Google Ads add Segment → Time → Day to the report, then download it again',
  slashDates: 'refuse',
  notes: (labels) =>
    labels.clicks?.toLowerCase() === 'interactions'
      ? ['no Clicks column: clicks are the report\'s "Interactions"']
      : [],
};
