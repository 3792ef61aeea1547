// Google Ads "Campaign report" downloads (CSV, or "CSV (Excel)": UTF-16LE, tab-separated), per day.
// Shape: two title lines (report name, period), the header, rows, then "Total: …" rows, as recorded in
// /work/shared/FORMATS.md from real downloads (Google publishes no spec of the UI's files).
import { headerKey, type ExportFormatSpec } from './columns.ts';

// The user-facing wording of this file, in one place.
const CAMPAIGNS_WITH_DAY =
  'Download the Campaigns report with a Day column instead: Campaigns → Segment → Time → Day, then Download';
const PART_OF_SPEND =
  'rows below campaign level cover only part of the spend (search terms Google does not show, campaigns without keywords, ads or ad groups), so it cannot be imported as campaign spend';
const TEXT = {
  partialTitle: (title: string) => `this is a "${title}": ${PART_OF_SPEND}. ${CAMPAIGNS_WITH_DAY}`,
  partialColumn: (label: string) =>
    `the report has a "${label}" column: ${PART_OF_SPEND}. ${CAMPAIGNS_WITH_DAY}`,
  missingDay:
    'the report has no Day column, and spend is tracked per day: in Google Ads add Segment → Time → Day to the report, then download it again',
  totalsMismatch:
    "the report leaves out part of the account's spend (a filter, hidden removed campaigns, or rows below campaign level). Download the Campaigns report with a Day column, all campaigns shown (removed ones too) and no filter",
  interactions: 'no Clicks column: clicks are the report\'s "Interactions"',
};

/**
 * The reports whose rows sit below campaigns (the report's name is its first title line). Their rows add
 * up to less than the campaigns' spend: a search terms report leaves out the terms Google does not show,
 * a keyword report the Performance Max and Dynamic Search Ads spend, and so on.
 */
const BELOW_CAMPAIGN_TITLE =
  /^(?:search terms?|(?:search )?keywords?|ads?|ad groups?|assets?|asset groups?) report$/i;
/** Columns only such reports have; a report built in the Report editor carries a name of its own. */
const BELOW_CAMPAIGN_COLUMNS = new Set([
  'search term',
  'search keyword',
  'keyword',
  'ad group',
  'ad group id',
  'ad',
  'ad id',
  'asset',
  'asset group',
]);
/** The footers that total every row: the campaigns listed, and the whole account. */
const WHOLE_TOTAL = /^total: (?:account|campaigns|filtered campaigns)$/i;

/**
 * A footer's label: the first cell that says something. With a Day segment the day comes first and the
 * footer's day is empty or " --", so "Total: Account" sits in the next column.
 */
function footerLabel(cells: readonly string[]): string {
  for (const c of cells) {
    const t = c.trim();
    if (t !== '' && t !== '--') return t;
  }
  return '';
}

export const googleAdsCsv: ExportFormatSpec = {
  // A "Cost" and "Campaign" header is the least particular signature: the last guess.
  fallback: true,
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
  isSummary: (cells) => /^total:/i.test(footerLabel(cells)),
  wholeTotal: (cells) => {
    const label = footerLabel(cells);
    return WHOLE_TOTAL.test(label) ? { label: `"${label}"` } : null;
  },
  checkPreamble: (preamble) => {
    const title = preamble[0]?.trim() ?? '';
    return BELOW_CAMPAIGN_TITLE.test(title) ? TEXT.partialTitle(title) : null;
  },
  checkHeader: (header) => {
    const label = header.find((h) => BELOW_CAMPAIGN_COLUMNS.has(headerKey(h)));
    return label === undefined ? null : TEXT.partialColumn(label.trim());
  },
  missingDay: TEXT.missingDay,
  totalsMismatch: TEXT.totalsMismatch,
  slashDates: 'refuse',
  notes: (labels) => (labels.clicks?.toLowerCase() === 'interactions' ? [TEXT.interactions] : []),
};
