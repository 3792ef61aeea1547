// Microsoft Advertising report downloads (CSV), per day: up to ten quoted title lines ("Report Name: …",
// "Report Aggregation: Daily", "Rows: N"), the header, rows, and a copyright footer.
// https://learn.microsoft.com/advertising/guides/reports#reportschema
import { firstText, type ExportFormatSpec } from './columns.ts';

const CAMPAIGN_OR_TIME = new Set([
  'campaignid',
  'campaignname',
  'campaign id',
  'campaign name',
  'campaign',
  'timeperiod',
  'gregoriandate',
  'gregorian date',
]);

export const microsoftAdsCsv: ExportFormatSpec = {
  columns: {
    day: ['timeperiod', 'gregoriandate', 'gregorian date', 'time period', 'day', 'date'],
    campaignId: ['campaignid', 'campaign id'],
    campaignName: ['campaignname', 'campaign name', 'campaign'],
    impressions: ['impressions', 'impr.'],
    clicks: ['clicks'],
    cost: ['spend'],
    conversions: ['conversions', 'conv.'],
    conversionValue: ['revenue'],
    currency: ['currencycode', 'currency code', 'currency'],
  },
  headerExample:
    '"TimePeriod", "CampaignId", "CampaignName", "Impressions", "Clicks", "Spend", "CurrencyCode"',
  recognises: (keys) => keys.includes('spend') && keys.some((k) => CAMPAIGN_OR_TIME.has(k)),
  isSummary: (cells, columns) => {
    const t = firstText(cells);
    if (/microsoft corporation/i.test(t) && cells.filter((c) => c.trim()).length === 1) return true;
    // A totals row has no day in it.
    return /^total\b/i.test(t) && !/\d/.test(cells[columns.day] ?? '');
  },
  wholeTotal: (cells) => (/^total$/i.test(firstText(cells)) ? { label: '"Total"' } : null),
  checkPreamble: (preamble) => {
    const m = preamble.map((l) => /^report aggregation:\s*(.*)$/i.exec(l.trim())).find(Boolean);
    const aggregation = m?.[1]?.trim();
    if (!aggregation || /^daily$/i.test(aggregation)) return null;
    return `the report is aggregated "${aggregation}", and spend is tracked per day: run it with a Daily unit of time (API: Aggregation Daily) and download it again`;
  },
  // "Last Completed Available Day" is no part of the period; "Report Time: 2/1/2026, 2/7/2026" is.
  periodLines: (preamble) => preamble.filter((l) => /^report time:/i.test(l.trim())),
  missingDay:
    'the report has no TimePeriod (day) column, and spend is tracked per day: add the time period column with a Daily unit of time, then download it again',
  slashDates: 'month-first',
};
