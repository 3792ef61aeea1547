// Search Console's Performance report export (Export → Download CSV, or the ZIP of all tabs), English and
// Russian interface: which tab a CSV is, its rows, and what Filters.csv says about the period. Pure.
// Tabs: https://support.google.com/webmasters/answer/7576553 (queries, pages, countries, devices, search
// appearance, dates); metrics: https://support.google.com/webmasters/answer/7042828 (position = average
// topmost position over the period's impressions).
import { normalizeUrl } from '../crawl/url.ts';
import type { CsvRow } from '../util/csv.ts';
import {
  findColumn,
  findDays,
  headerKey,
  readAveragePosition,
  readCount,
  readDay,
  readPercent,
  type AverageDimension,
  type AverageRow,
  type LineError,
} from './search-export-cells.ts';

/** What one CSV of the export is, told by its header. */
export type GscTab =
  | { kind: 'table'; dimension: AverageDimension }
  | { kind: 'dates' }
  | { kind: 'appearance' }
  | { kind: 'filters' }
  | { kind: 'compare' };

/** Every user-facing string of this module, in one place. */
export const GSC_TEXT = {
  dimensionWords: { query: 'queries', page: 'pages', country: 'countries', device: 'devices' },
  dates: 'site totals per day, not per query or page',
  appearance: 'search appearance (result types) is not kept',
  compare:
    'a comparison of two date ranges side by side: export one date range (Date → a single range) and import that',
  filters: 'read for the period and filters',
  empty: (column: string) => `column "${column}" is empty`,
  notUrl: (column: string, v: string) =>
    `column "${column}": ${JSON.stringify(v)} is not an absolute http(s) URL`,
  cell: (column: string, problem: string) => `column "${column}": ${problem}`,
  cellCount: (n: number, m: number) => `has ${n} cell(s) where the header has ${m}`,
  clicksOverImpressions: (c: number, i: number) => `clicks (${c}) exceed impressions (${i})`,
  repeats: (key: string, line: number) => `repeats ${JSON.stringify(key)} of line ${line}`,
  searchType: (v: string) =>
    `the export is of ${JSON.stringify(v)} search; promowatch keeps web search averages: export with Search type: Web`,
  filtered: (name: string, v: string) =>
    `the export is filtered (${name}: ${v}), so its numbers are not the whole site's: export again without that filter`,
  compareDate: (v: string) =>
    `Date ${JSON.stringify(v)} compares two ranges: export one date range and import that`,
  backwards: (v: string) => `Date ${JSON.stringify(v)} ends before it starts`,
};

// First column of each tab, English and Russian interface ("Queries" is the pre-2018 Search Analytics name).
const FIRST_COLUMN: Record<string, GscTab> = {
  'top queries': { kind: 'table', dimension: 'query' },
  queries: { kind: 'table', dimension: 'query' },
  'популярные запросы': { kind: 'table', dimension: 'query' },
  'top pages': { kind: 'table', dimension: 'page' },
  pages: { kind: 'table', dimension: 'page' },
  'популярные страницы': { kind: 'table', dimension: 'page' },
  страницы: { kind: 'table', dimension: 'page' },
  country: { kind: 'table', dimension: 'country' },
  страна: { kind: 'table', dimension: 'country' },
  device: { kind: 'table', dimension: 'device' },
  устройство: { kind: 'table', dimension: 'device' },
  date: { kind: 'dates' },
  дата: { kind: 'dates' },
  'search appearance': { kind: 'appearance' },
  'вид в поиске': { kind: 'appearance' },
  'оформление результатов поиска': { kind: 'appearance' },
};

const METRICS = {
  clicks: ['clicks', 'клики'],
  impressions: ['impressions', 'показы'],
  ctr: ['ctr'],
  position: ['position', 'позиция', 'average position', 'средняя позиция'],
} as const;

const FILTER_HEADER = [
  ['filter', 'value'],
  ['фильтр', 'значение'],
];

/** The tab a header belongs to, or null when it is no Search Console table. */
export function gscTab(header: CsvRow): GscTab | null {
  const keys = header.cells.map(headerKey);
  if (FILTER_HEADER.some(([a, b]) => keys[0] === a && keys[1] === b)) return { kind: 'filters' };
  const tab = FIRST_COLUMN[keys[0] ?? ''];
  if (!tab) return null;
  const has = (aliases: readonly string[]) => keys.some((k) => aliases.includes(k));
  if (has(METRICS.clicks) && has(METRICS.impressions) && has(METRICS.ctr) && has(METRICS.position))
    return tab;
  // Compare mode doubles every metric: "Last 28 days Clicks", "Previous 28 days Clicks".
  if (keys.filter((k) => /(^|\s)(clicks|клики)$/.test(k)).length >= 2) return { kind: 'compare' };
  return null;
}

/**
 * Rows of a queries, pages, countries or devices tab. Every row is checked; a bad one is reported with
 * its line and column, and a key repeated within the file is an error (the export lists each once).
 */
export function readGscTable(
  header: CsvRow,
  body: CsvRow[],
  dimension: AverageDimension,
): { rows: AverageRow[]; errors: LineError[] } {
  const rows: AverageRow[] = [];
  const errors: LineError[] = [];
  const label = (i: number) => header.cells[i]!.replace(/^\uFEFF/, '').trim();
  const col = {
    clicks: findColumn(header, METRICS.clicks),
    impressions: findColumn(header, METRICS.impressions),
    ctr: findColumn(header, METRICS.ctr),
    position: findColumn(header, METRICS.position),
  };
  const seen = new Map<string, number>();
  for (const r of body) {
    const bad = (message: string) => errors.push({ line: r.line, message });
    if (r.cells.length !== header.cells.length) {
      bad(GSC_TEXT.cellCount(r.cells.length, header.cells.length));
      continue;
    }
    const cell = (i: number) => r.cells[i]!.trim();
    let key = cell(0);
    if (!key) {
      bad(GSC_TEXT.empty(label(0)));
      continue;
    }
    if (dimension === 'page') {
      const url = normalizeUrl(key);
      if (!url.ok) {
        bad(GSC_TEXT.notUrl(label(0), key.slice(0, 200)));
        continue;
      }
      key = url.url;
    }
    const read = <T>(i: number, v: T | string): T | null => {
      if (typeof v !== 'string') return v;
      bad(GSC_TEXT.cell(label(i), v));
      return null;
    };
    const clicks = read(col.clicks, readCount(cell(col.clicks)));
    const impressions = read(col.impressions, readCount(cell(col.impressions)));
    const ctr = read(col.ctr, readPercent(cell(col.ctr), false));
    const position = read(col.position, readAveragePosition(cell(col.position)));
    if (clicks === null || impressions === null || ctr === null || position === null) continue;
    if (clicks > impressions) {
      bad(GSC_TEXT.clicksOverImpressions(clicks, impressions));
      continue;
    }
    const first = seen.get(key);
    if (first !== undefined) {
      bad(GSC_TEXT.repeats(key, first));
      continue;
    }
    seen.set(key, r.line);
    rows.push({ line: r.line, key, clicks, impressions, ctr, position });
  }
  return { rows, errors };
}

/** The first and last day of the Dates (or older Chart) tab: site totals per day, read for the period only. */
export function readGscDates(
  header: CsvRow,
  body: CsvRow[],
): { first: string; last: string; days: number } | { errors: LineError[] } | null {
  const errors: LineError[] = [];
  const label = header.cells[0]!.replace(/^\uFEFF/, '').trim();
  let first = '';
  let last = '';
  for (const r of body) {
    const day = readDay(r.cells[0] ?? '');
    if (typeof day !== 'string') {
      errors.push({ line: r.line, message: GSC_TEXT.cell(label, day.error) });
      continue;
    }
    if (!first || day < first) first = day;
    if (!last || day > last) last = day;
  }
  if (errors.length) return { errors };
  return first ? { first, last, days: body.length } : null;
}

/** What Filters.csv says: the Date filter's text and exact days when it names them. */
export interface GscFilters {
  date?: { line: number; text: string; from?: string; to?: string };
  /** "Search type: Web; Date: Last 3 months", for the import's notes. */
  summary: string;
}

const SEARCH_TYPE = ['search type', 'тип поиска'];
const DATE = ['date', 'дата'];
const WEB = ['web', 'веб', 'интернет'];

/**
 * Filters.csv: "Filter,Value" rows. Only whole-site web exports are accepted: another search type, or a
 * query, page, country, device or appearance filter, makes the numbers something other than the site's.
 */
export function readGscFilters(body: CsvRow[]): GscFilters | { errors: LineError[] } {
  const errors: LineError[] = [];
  const out: GscFilters = { summary: '' };
  const parts: string[] = [];
  for (const r of body) {
    const name = (r.cells[0] ?? '').trim();
    const value = (r.cells.slice(1).join(',') ?? '').trim();
    parts.push(`${name}: ${value}`);
    const key = headerKey(name);
    if (SEARCH_TYPE.includes(key)) {
      if (!WEB.includes(headerKey(value))) errors.push({ line: r.line, message: GSC_TEXT.searchType(value) });
    } else if (DATE.includes(key)) {
      if (/compare|сравн|\bvs\b|versus/i.test(value)) {
        errors.push({ line: r.line, message: GSC_TEXT.compareDate(value) });
        continue;
      }
      const days = findDays(value);
      const date: NonNullable<GscFilters['date']> = { line: r.line, text: value };
      if (days.length === 1 || days.length === 2) {
        date.from = days[0]!;
        date.to = days.at(-1)!;
        if (date.to < date.from) errors.push({ line: r.line, message: GSC_TEXT.backwards(value) });
      }
      out.date = date;
    } else errors.push({ line: r.line, message: GSC_TEXT.filtered(name, value) });
  }
  out.summary = parts.join('; ');
  return errors.length ? { errors } : out;
}
