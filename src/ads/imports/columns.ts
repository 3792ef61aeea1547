// What an ad platform's export looks like (its header names, footers, day column), and finding its columns.
import type { Platform } from '../types.ts';
import type { SlashOrder } from './dates.ts';
import { currencyFromText } from './numbers.ts';

export type Field =
  | 'day'
  /** Meta's "Reporting starts"/"Reporting ends": one day when the export is broken down by day. */
  | 'periodStart'
  | 'periodEnd'
  | 'campaignId'
  | 'campaignName'
  | 'impressions'
  | 'clicks'
  | 'cost'
  | 'conversions'
  | 'conversionValue'
  | 'currency';

export const FIELDS: readonly Field[] = [
  'day',
  'periodStart',
  'periodEnd',
  'campaignId',
  'campaignName',
  'impressions',
  'clicks',
  'cost',
  'conversions',
  'conversionValue',
  'currency',
];

/** Cell index of each field in the header, -1 when the export has no such column. */
export type Columns = Record<Field, number>;

/** One platform's UI export, described: the shared reader (read-export.ts) does the rest. */
export interface ExportFormat extends ExportFormatSpec {
  /** Whose export it is: filled in from the platform that declares it (src/ads/imports/index.ts). */
  platform: Platform;
  /** How messages name that platform. */
  name: string;
}

/** What a platform file declares (AdPlatform.exportFormat). */
export interface ExportFormatSpec {
  /**
   * True when the header is generic enough that another platform's export could look like it (Google's
   * "Cost"): such formats are tried last when guessing whose a file is.
   */
  fallback?: boolean;
  /** Header names per field after headerKey(), most wanted first: the first one present is used. */
  columns: Partial<Record<Field, readonly string[]>>;
  /** Per-goal columns that add up into one field (Yandex Direct's Conversions_<goal>_<model>). */
  summedColumns?: Partial<Record<'conversions' | 'conversionValue', RegExp>>;
  /** The header names, for an error when no header row is found. */
  headerExample: string;
  /** True for a header row (keys from headerKey()) only this platform writes: detectPlatform's signature. */
  recognises(keys: readonly string[]): boolean;
  /** Totals, footers and summary rows, dropped. */
  isSummary(cells: readonly string[], columns: Columns): boolean;
  /** Why an export without a day column is refused, and how to export one with it. */
  missingDay: string;
  slashDates: SlashOrder;
  /** The title lines that state the report's period (default: all lines before the header). */
  periodLines?(preamble: readonly string[]): readonly string[];
  /** A reason to refuse the file from its title lines (Microsoft's weekly aggregation), or null. */
  checkPreamble?(preamble: readonly string[]): string | null;
  /** A reason to refuse the file from its header row (Google Ads' reports below campaign level), or null. */
  checkHeader?(header: readonly string[]): string | null;
  /**
   * Of the summary rows, one that totals the whole file, which the rows must add up to: how to name it in
   * a message, and the row count it states instead when it counts rows ("Total rows: 4"). Null for other
   * summary rows: Google Ads' "Total: Search" covers one network, Microsoft's copyright line nothing.
   */
  wholeTotal?(cells: readonly string[], columns: Columns): { label: string; rows?: number } | null;
  /** What a file whose rows do not add up to its own total means, and what to do (default: export again). */
  totalsMismatch?: string;
  /** The cost header under which whole numbers may be micros (Yandex Direct's Reports API "Cost"). */
  microsCostKey?: string;
  /** Notes on what the mapped columns mean, for the warnings (labels: the header text per field). */
  notes?(labels: Partial<Record<Field, string>>): string[];
}

/** Header text compared loosely: case, surrounding and repeated spaces (also non-breaking) do not count. */
export const headerKey = (s: string) => s.replace(/\s+/g, ' ').trim().toLowerCase();

/** The first cell with text in it, trimmed ("" when none): where footers say "Total" or «Итого». */
export function firstText(cells: readonly string[]): string {
  // Most rows start with a plain value: return it without trimming (a million rows, no new strings).
  const c0 = cells[0] ?? '';
  if (c0.length > 0 && c0.charCodeAt(0) > 32 && c0.charCodeAt(c0.length - 1) > 32) return c0;
  for (const c of cells) {
    const t = c.trim();
    if (t) return t;
  }
  return '';
}

const MONEY_FIELDS: readonly Field[] = ['cost', 'conversionValue'];
const VAT_INCLUDED = /с ндс|incl(?:\.|uding)? vat|with vat/i;

export interface Mapping {
  columns: Columns;
  /** The header text of each mapped field, for messages. */
  labels: Partial<Record<Field, string>>;
  summed: { conversions: number[]; conversionValue: number[] };
  /** Currencies named in money headers: "Amount spent (RUB)", «Расход (руб.)». */
  headerCurrencies: { label: string; code: string }[];
  vatIncluded: boolean;
}

/**
 * Maps a header row onto fields by name. Money headers may carry the currency after the name, in
 * brackets or after a comma ("Amount spent (RUB)", «Расход, руб.»), so those match on the name alone.
 */
export function mapColumns(header: readonly string[], format: ExportFormat): Mapping {
  const keys = header.map(headerKey);
  const split = header.map((h) => /^(.*?)\s*(?:\((.*)\)|,\s*(.*))$/.exec(h.replace(/\s+/g, ' ').trim()));
  const columns = Object.fromEntries(FIELDS.map((f) => [f, -1])) as Columns;
  const labels: Mapping['labels'] = {};
  const headerCurrencies: Mapping['headerCurrencies'] = [];
  let vatIncluded = false;
  const taken = new Set<number>();
  for (const field of FIELDS) {
    const names = format.columns[field] ?? [];
    const money = MONEY_FIELDS.includes(field);
    let at = -1;
    let byName = false;
    for (const name of names) {
      at = keys.findIndex((k, i) => k === name && !taken.has(i));
      if (at < 0 && money) {
        at = split.findIndex((m, i) => m?.[1]?.toLowerCase() === name && !taken.has(i));
        byName = at >= 0;
      }
      if (at >= 0) break;
    }
    if (at < 0) continue;
    taken.add(at);
    columns[field] = at;
    labels[field] = header[at]!.trim();
    const suffix = split[at]?.[2] ?? split[at]?.[3];
    if (byName && suffix) {
      const code = suffix
        .split(',')
        .map(currencyFromText)
        .find((c) => c !== null);
      if (code) headerCurrencies.push({ label: labels[field], code });
      if (VAT_INCLUDED.test(suffix)) vatIncluded = true;
    }
  }
  const summed: Mapping['summed'] = { conversions: [], conversionValue: [] };
  for (const field of ['conversions', 'conversionValue'] as const) {
    const pattern = format.summedColumns?.[field];
    if (!pattern || columns[field] >= 0) continue;
    keys.forEach((k, i) => {
      if (pattern.test(k)) summed[field].push(i);
    });
    if (summed[field].length) labels[field] = summed[field].map((i) => header[i]!.trim()).join(' + ');
  }
  return { columns, labels, summed, headerCurrencies, vatIncluded };
}

/** A header row is one naming at least a campaign and its cost. */
export const isHeader = (m: Mapping) =>
  m.columns.cost >= 0 && (m.columns.campaignName >= 0 || m.columns.campaignId >= 0);
