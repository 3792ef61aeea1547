// Yandex Webmaster's query statistics export (Поисковые запросы → Популярные запросы / Управление
// группами → download as CSV): which layout a file has and its rows. Pure.
// Indicators: https://yandex.ru/support/webmaster/en/service/popular-queries (impressions, clicks, CTR in
// percent, average position; demand) and the API's TOTAL_SHOWS, TOTAL_CLICKS, AVG_SHOW_POSITION,
// AVG_CLICK_POSITION (https://yandex.ru/dev/webmaster/doc/dg/reference/host-search-queries-popular.html).
import type { CsvRow } from '../util/csv.ts';
import {
  findColumn,
  findDays,
  headerKey,
  readAveragePosition,
  readCount,
  readPercent,
  type AverageDimension,
  type AverageRow,
  type LineError,
} from './search-export-cells.ts';

/** Every user-facing string of this module, in one place. */
export const YANDEX_TEXT = {
  perPeriod: (example: string) =>
    `a Yandex Webmaster table of one indicator per period (columns like ${JSON.stringify(example)}): the file does not say which indicator it holds, so it cannot be read as clicks, impressions or positions; download the table with the indicators as columns (Показы, Клики, CTR, Средняя позиция показа) instead`,
  empty: (column: string) => `column "${column}" is empty`,
  cell: (column: string, problem: string) => `column "${column}": ${problem}`,
  cellCount: (n: number, m: number) => `has ${n} cell(s) where the header has ${m}`,
  clicksOverImpressions: (c: number, i: number) => `clicks (${c}) exceed impressions (${i})`,
  repeats: (key: string, line: number) => `repeats ${JSON.stringify(key)} of line ${line}`,
  periodUnread: (column: string, v: string) =>
    `column "${column}": ${JSON.stringify(v)} is not a period like 2026-08-01 - 2026-08-31`,
  periodDiffers: (column: string, line: number) =>
    `column "${column}" gives another period than line ${line}: export one period at a time`,
};

const QUERY = ['query', 'search query', 'запрос', 'поисковый запрос'];
const URL_COLUMN = ['url', 'адрес', 'адрес страницы', 'страница'];
const METRICS = {
  shows: ['shows', 'impressions', 'total shows', 'показы', 'всего показов'],
  clicks: ['clicks', 'total clicks', 'клики', 'всего кликов'],
  ctr: ['ctr', 'ctr, %', 'ctr %', 'ctr (%)', 'ctr,%'],
  // The average position of impressions; Yandex's "average click position" is another measure, not read.
  position: [
    'avg. show position',
    'average show position',
    'avg. position',
    'average position',
    'position',
    'средняя позиция показа',
    'ср. позиция показа',
    'позиция показа',
    'средняя позиция',
    'позиция',
  ],
  period: ['period', 'dates range', 'date range', 'период', 'диапазон дат'],
} as const;

const RANGE =
  /^\s*(\d{4}-\d{2}-\d{2}|\d{2}\.\d{2}\.\d{4})\s*[-–—]\s*(\d{4}-\d{2}-\d{2}|\d{2}\.\d{2}\.\d{4})\s*$/;

export type YandexLayout =
  { kind: 'summary'; dimension: AverageDimension } | { kind: 'per-period'; example: string };

/**
 * The layout of a Yandex Webmaster query file, or null when it is none: a summary has a query (or URL)
 * column with shows and clicks columns; the per-period table has a query column and one column per
 * period ("2026-08-31 - 2026-09-06"), holding whichever single indicator was on screen.
 */
export function yandexLayout(header: CsvRow): YandexLayout | null {
  const keys = header.cells.map(headerKey);
  const has = (aliases: readonly string[]) => keys.some((k) => aliases.includes(k));
  const byQuery = has(QUERY);
  if ((byQuery || has(URL_COLUMN)) && has(METRICS.shows) && has(METRICS.clicks))
    return { kind: 'summary', dimension: byQuery ? 'query' : 'page' };
  const range = header.cells.find((c) => RANGE.test(c));
  if (byQuery && range) return { kind: 'per-period', example: range.trim() };
  return null;
}

/** The rows of a summary file, and its period when a period column states one. */
export function readYandexSummary(
  header: CsvRow,
  body: CsvRow[],
  dimension: AverageDimension,
): { rows: AverageRow[]; errors: LineError[]; period?: { from: string; to: string; column: string } } {
  const rows: AverageRow[] = [];
  const errors: LineError[] = [];
  const label = (i: number) => header.cells[i]!.replace(/^\uFEFF/, '').trim();
  const col = {
    key: findColumn(header, dimension === 'query' ? QUERY : URL_COLUMN),
    shows: findColumn(header, METRICS.shows),
    clicks: findColumn(header, METRICS.clicks),
    ctr: findColumn(header, METRICS.ctr),
    position: findColumn(header, METRICS.position),
    period: findColumn(header, METRICS.period),
  };
  let period: { from: string; to: string; column: string; line: number } | undefined;
  const seen = new Map<string, number>();
  for (const r of body) {
    const bad = (message: string) => errors.push({ line: r.line, message });
    if (r.cells.length !== header.cells.length) {
      bad(YANDEX_TEXT.cellCount(r.cells.length, header.cells.length));
      continue;
    }
    const cell = (i: number) => (i < 0 ? '' : r.cells[i]!.trim());
    const key = cell(col.key);
    if (!key) {
      bad(YANDEX_TEXT.empty(label(col.key)));
      continue;
    }
    const read = <T>(i: number, v: T | string): T | null => {
      if (typeof v !== 'string') return v;
      bad(YANDEX_TEXT.cell(label(i), v));
      return null;
    };
    const impressions = read(col.shows, readCount(cell(col.shows)));
    const clicks = read(col.clicks, readCount(cell(col.clicks)));
    // Yandex gives CTR in percent, with or without the sign; no position when there were no impressions.
    const ctrRaw = cell(col.ctr);
    const ctr = ctrRaw === '' ? null : read(col.ctr, readPercent(ctrRaw, true));
    const positionRaw = cell(col.position);
    const noPosition = positionRaw === '' || (impressions === 0 && /^0+(?:[.,]0+)?$/.test(positionRaw));
    const position = noPosition ? null : read(col.position, readAveragePosition(positionRaw));
    if (impressions === null || clicks === null) continue;
    if ((ctrRaw !== '' && ctr === null) || (!noPosition && position === null)) continue;
    if (clicks > impressions) {
      bad(YANDEX_TEXT.clicksOverImpressions(clicks, impressions));
      continue;
    }
    if (col.period >= 0) {
      const days = findDays(cell(col.period));
      if (days.length !== 2) {
        bad(YANDEX_TEXT.periodUnread(label(col.period), cell(col.period)));
        continue;
      }
      if (!period) period = { from: days[0]!, to: days[1]!, column: label(col.period), line: r.line };
      else if (period.from !== days[0] || period.to !== days[1]) {
        bad(YANDEX_TEXT.periodDiffers(label(col.period), period.line));
        continue;
      }
    }
    const seenAt = seen.get(key.toLocaleLowerCase('ru'));
    if (seenAt !== undefined) {
      bad(YANDEX_TEXT.repeats(key, seenAt));
      continue;
    }
    seen.set(key.toLocaleLowerCase('ru'), r.line);
    rows.push({ line: r.line, key, clicks, impressions, ctr, position });
  }
  return {
    rows,
    errors,
    ...(period ? { period: { from: period.from, to: period.to, column: period.column } } : {}),
  };
}
