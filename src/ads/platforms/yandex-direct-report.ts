// Yandex Direct's Reports service, the pure half: the report asked for (its JSON body) and what comes back
// (the TSV rows, the error body). yandex-direct.ts sends the requests and waits out the queue.
// Reports service: https://yandex.com/dev/direct/doc/en/reports · TSV layout: https://yandex.com/dev/direct/doc/en/report-format
// Errors: https://yandex.com/dev/direct/doc/en/concepts/errors-list
import { AdsError, decimalToMicros, type AdAccount, type DailyRow, type PlatformName } from '../types.ts';

/** Who Yandex Direct is, for its messages (the platform object in yandex-direct.ts spreads it). */
export const YANDEX_DIRECT_NAME: PlatformName = {
  id: 'yandex-direct',
  name: 'Yandex Direct',
  label: { en: 'Yandex Direct', ru: 'Яндекс Директ' },
};
const SELF = YANDEX_DIRECT_NAME;
/**
 * The columns asked for. Without a `Goals` parameter, Conversions and Revenue are counted over the goals
 * the advertiser chose in Direct (key goals; the "Revenue metric settings" goals), so they are asked as
 * they are; an account without goals answers `--`, which reads as 0.
 */
export const DIRECT_FIELD_NAMES = [
  'Date',
  'CampaignId',
  'CampaignName',
  'Impressions',
  'Clicks',
  'Cost',
  'Conversions',
  'Revenue',
] as const;

/** An error answer: `{"error":{"request_id","error_code","error_string","error_detail"}}`. */
export interface DirectApiError {
  requestId?: string;
  code?: number;
  message?: string;
  detail?: string;
}

/**
 * The Reports request body for one account and window (https://yandex.com/dev/direct/doc/en/spec). Every
 * request goes out with a body made here from the account as it is now (the first, the queued retries, a
 * report resumed on the next run, lookback and `--from --to` pulls), so IncludeVAT is decided only here.
 */
export function directReportBody(account: AdAccount, from: string, to: string, reportName: string): string {
  return JSON.stringify({
    params: {
      SelectionCriteria: { DateFrom: from, DateTo: to },
      FieldNames: DIRECT_FIELD_NAMES,
      ReportName: reportName,
      ReportType: 'CAMPAIGN_PERFORMANCE_REPORT',
      DateRangeType: 'CUSTOM_DATE',
      Format: 'TSV',
      // Costs are stored as the account reports them: with VAT where the account counts with VAT.
      IncludeVAT: account.costIncludesVat ? 'YES' : 'NO',
      IncludeDiscount: 'NO',
    },
  });
}

/** Reads an error body; null when it is not the documented shape. */
export function parseDirectError(body: string): DirectApiError | null {
  let v: unknown;
  try {
    v = JSON.parse(body);
  } catch {
    return null;
  }
  const e = v && typeof v === 'object' ? (v as Record<string, unknown>).error : undefined;
  if (!e || typeof e !== 'object' || Array.isArray(e)) return null;
  const o = e as Record<string, unknown>;
  const code = typeof o.error_code === 'number' ? o.error_code : Number(o.error_code);
  return {
    ...(typeof o.request_id === 'string' || typeof o.request_id === 'number'
      ? { requestId: String(o.request_id) }
      : {}),
    ...(Number.isInteger(code) ? { code } : {}),
    ...(typeof o.error_string === 'string' ? { message: o.error_string } : {}),
    ...(typeof o.error_detail === 'string' && o.error_detail !== '' ? { detail: o.error_detail } : {}),
  };
}

type Field = (typeof DIRECT_FIELD_NAMES)[number];
const REQUIRED: readonly Field[] = ['Date', 'CampaignId', 'CampaignName', 'Impressions', 'Clicks', 'Cost'];

/**
 * Reads a Reports TSV into rows. Copes with every layout the skip* headers give: an optional title line
 * (`"name (from - to)"`), an optional column header (without it, columns are DIRECT_FIELD_NAMES in order),
 * and an optional `Total rows: N` line, which is checked against the rows read. `--` means no value (0).
 * Money is in micros unless `moneyInMicros` is false (the `returnMoneyInMicros: false` form, `974.79`).
 * Written for speed (one pass, no regular expressions per row): a million rows take about a second.
 */
export function parseDirectTsv(text: string, opts: { moneyInMicros?: boolean } = {}): DailyRow[] {
  const micros = opts.moneyInMicros ?? true;
  const rows: DailyRow[] = [];
  // Column index of each field; -1 where the report has no such column.
  let col: Record<Field, number> | null = null;
  let width = 0;
  let total: number | null = null;
  let seenLine = false;
  let lineNo = 0;
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const bad = (why: string): AdsError => new AdsError(SELF, 'malformed', `report line ${lineNo}: ${why}`);
  while (pos < text.length) {
    let end = text.indexOf('\n', pos);
    if (end === -1) end = text.length;
    let line = text.slice(pos, end);
    pos = end + 1;
    lineNo++;
    if (line.charCodeAt(line.length - 1) === 13) line = line.slice(0, -1);
    if (line === '') continue;
    const first = !seenLine;
    seenLine = true;
    if (total !== null) throw bad(`text after the "${TOTAL_LINE}" summary line`);
    const hasTab = line.includes('\t');
    if (!hasTab) {
      // The title comes first; the summary comes last and counts the rows.
      const n = summaryCount(line);
      if (first && !col && n === null) continue;
      if (n === null) throw bad(`"${excerpt(line)}" is neither a report row nor the "${TOTAL_LINE}" line`);
      total = n;
      continue;
    }
    const cells = line.split('\t');
    if (!col) {
      if (!isDay(cells[0] ?? '')) {
        col = headerColumns(cells, bad);
        width = cells.length;
        continue;
      }
      if (cells.length < REQUIRED.length)
        throw bad(
          `${cells.length} columns and no column header; expected ${DIRECT_FIELD_NAMES.join(', ')} in that order`,
        );
      col = Object.fromEntries(DIRECT_FIELD_NAMES.map((f, i) => [f, i < cells.length ? i : -1])) as Record<
        Field,
        number
      >;
      width = cells.length;
    }
    if (cells.length !== width) throw bad(`${cells.length} columns where the report has ${width}`);
    const day = cells[col.Date]!;
    if (!isDay(day)) throw bad(`Date "${excerpt(day)}" is not YYYY-MM-DD`);
    const campaignId = cells[col.CampaignId]!;
    if (count(campaignId) < 0 || campaignId === '--')
      throw bad(`CampaignId "${excerpt(campaignId)}" is not a number`);
    const impressions = count(cells[col.Impressions]!);
    if (impressions < 0) throw bad(`Impressions "${excerpt(cells[col.Impressions]!)}" is not a whole number`);
    const clicks = count(cells[col.Clicks]!);
    if (clicks < 0) throw bad(`Clicks "${excerpt(cells[col.Clicks]!)}" is not a whole number`);
    const costMicros = money(cells[col.Cost]!, micros);
    if (costMicros === null) throw bad(`Cost "${excerpt(cells[col.Cost]!)}" is not ${moneyForm(micros)}`);
    let conversions = 0;
    if (col.Conversions >= 0) {
      const c = conversionCount(cells[col.Conversions]!);
      if (c === null) throw bad(`Conversions "${excerpt(cells[col.Conversions]!)}" is not a number`);
      conversions = c;
    }
    let conversionValueMicros = 0;
    if (col.Revenue >= 0) {
      const v = money(cells[col.Revenue]!, micros);
      if (v === null) throw bad(`Revenue "${excerpt(cells[col.Revenue]!)}" is not ${moneyForm(micros)}`);
      conversionValueMicros = v;
    }
    rows.push({
      day,
      campaignId,
      campaignName: cells[col.CampaignName]!,
      impressions,
      clicks,
      costMicros,
      conversions,
      conversionValueMicros,
    });
  }
  if (total !== null && total !== rows.length)
    throw new AdsError(
      SELF,
      'malformed',
      `the report says "${TOTAL_LINE} ${total}" but holds ${rows.length} rows; it was cut off or garbled`,
    );
  return rows;
}

const TOTAL_LINE = 'Total rows:';

/** `Total rows: 12` (the words may come localized); the number, or null when the line is something else. */
function summaryCount(line: string): number | null {
  const colon = line.lastIndexOf(':');
  if (colon < 1) return null;
  const n = count(line.slice(colon + 1).trim());
  return n >= 0 && line.slice(colon + 1).trim() !== '--' ? n : null;
}

function headerColumns(cells: string[], bad: (why: string) => AdsError): Record<Field, number> {
  const col = {} as Record<Field, number>;
  for (const f of DIRECT_FIELD_NAMES) col[f] = cells.indexOf(f);
  const missing = REQUIRED.filter((f) => col[f] < 0);
  if (missing.length)
    throw bad(
      `the column header "${excerpt(cells.join(' | '))}" lacks ${missing.join(', ')}; expected a CAMPAIGN_PERFORMANCE_REPORT with ${DIRECT_FIELD_NAMES.join(', ')}`,
    );
  return col;
}

/** YYYY-MM-DD, checked by character codes (the hot path runs this a million times). */
function isDay(s: string): boolean {
  if (s.length !== 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return false;
  for (let i = 0; i < 10; i++) {
    if (i === 4 || i === 7) continue;
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  const m = (s.charCodeAt(5) - 48) * 10 + s.charCodeAt(6) - 48;
  const d = (s.charCodeAt(8) - 48) * 10 + s.charCodeAt(9) - 48;
  return m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

/** A whole number of at most 15 digits; `--` (no value) is 0; -1 when it is anything else. */
function count(s: string): number {
  const n = s.length;
  if (n === 2 && s === '--') return 0;
  if (n === 0 || n > 15) return -1;
  let v = 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/** Conversions are whole numbers, but some attribution models give fractions; `--` is 0. */
function conversionCount(s: string): number | null {
  const n = count(s);
  if (n >= 0) return n;
  const dot = s.indexOf('.');
  if (dot < 1 || count(s.slice(0, dot)) < 0 || count(s.slice(dot + 1)) < 0) return null;
  return Number(s);
}

function money(s: string, micros: boolean): number | null {
  if (micros) {
    const negative = s.charCodeAt(0) === 45 && s.length > 1 && s !== '--';
    const n = count(negative ? s.slice(1) : s);
    if (n < 0) return null;
    return negative ? -n : n;
  }
  return s === '--' ? 0 : decimalToMicros(s);
}

const moneyForm = (micros: boolean) => (micros ? 'a whole number of micros' : 'an amount like 974.79');

function excerpt(s: string): string {
  return s.length > 60 ? `${s.slice(0, 60)}…` : s;
}
