// Cells of search-engine exports (Search Console, Yandex Webmaster): counts, percentages, average
// positions and calendar days as the English and Russian interfaces write them. Pure; no I/O.
import type { CsvRow } from '../util/csv.ts';

export type AverageSource = 'gsc-export' | 'yandex-webmaster-export';
export type AverageDimension = 'query' | 'page' | 'country' | 'device';

/** One query, page, country or device over the export's whole period. */
export interface AverageRow {
  /** 1-based physical line of the file the row came from. */
  line: number;
  key: string;
  clicks: number;
  impressions: number;
  /** A fraction (0.0488 for "4.88%"); null when the export gave none. */
  ctr: number | null;
  /** Average position; null when the export gave none. */
  position: number | null;
}

/** A problem at a line of a file; the caller prefixes the file's name. */
export interface LineError {
  line: number;
  message: string;
}

/** Every user-facing string of this module, in one place. */
const TEXT = {
  notCount: 'is not a whole number',
  notPercent: 'is not a percentage like 4.88%',
  percentRange: 'is not a percentage between 0% and 100%',
  notPosition: 'is not an average position like 4.83',
  positionBelowOne: 'is not an average position: positions start at 1',
  notDay: 'is not a date like 2026-09-14',
};

/** Header text compared case-, space- and BOM-insensitively ("CTR, %" → "ctr, %"). */
export const headerKey = (h: string) =>
  h
    .replace(/^\uFEFF/, '')
    .replace(/\s+/g, ' ')
    .trim()
    .toLocaleLowerCase('ru');

/** The index of the first header cell among `aliases` (already headerKey'd), or -1. */
export function findColumn(header: CsvRow, aliases: readonly string[]): number {
  return header.cells.findIndex((c) => aliases.includes(headerKey(c)));
}

// Digit grouping: spaces (also no-break and narrow no-break, as Russian locales write "1 234"),
// or commas in threes ("1,234").
const GROUPED_SPACES = /^\d{1,3}(?:[ \u00a0\u202f]\d{3})+$/;
const GROUPED_COMMAS = /^\d{1,3}(?:,\d{3})+$/;

/** A count of clicks or impressions: "1234", "1 234", "1,234", or "4.00" as Yandex Webmaster writes them. */
export function readCount(raw: string): number | string {
  let s = raw.trim();
  if (GROUPED_SPACES.test(s)) s = s.replace(/[ \u00a0\u202f]/g, '');
  else if (GROUPED_COMMAS.test(s)) s = s.replace(/,/g, '');
  const m = /^(\d+)(?:[.,]0+)?$/.exec(s);
  if (!m) return `${JSON.stringify(raw.trim())} ${TEXT.notCount}`;
  return Number(m[1]);
}

/**
 * A click-through rate as a fraction: "4.88%" and "4,88%" (a decimal comma, as the Russian interface
 * writes it); a bare number is a percentage only where the column says so (`barePercent`).
 */
export function readPercent(raw: string, barePercent: boolean): number | string {
  const s = raw.trim().replace(/\u00a0/g, ' ');
  const m = /^(\d+(?:[.,]\d+)?)\s*(%?)$/.exec(s);
  if (!m || (!m[2] && !barePercent)) return `${JSON.stringify(raw.trim())} ${TEXT.notPercent}`;
  const n = Number(m[1]!.replace(',', '.'));
  if (n > 100) return `${JSON.stringify(raw.trim())} ${TEXT.percentRange}`;
  // Rounded so that "4.88%" is stored as 0.0488, not 0.048799999999999996.
  return Math.round(n * 10_000) / 1_000_000;
}

/** An average position: "4.83" or "4,83" (≥ 1). */
export function readAveragePosition(raw: string): number | string {
  const s = raw.trim();
  const m = /^\d+(?:[.,]\d+)?$/.exec(s);
  if (!m) return `${JSON.stringify(s)} ${TEXT.notPosition}`;
  const n = Number(s.replace(',', '.'));
  if (n < 1) return `${JSON.stringify(s)} ${TEXT.positionBelowOne}`;
  return n;
}

function realDay(y: number, m: number, d: number): string | null {
  const day = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  const t = Date.parse(`${day}T00:00:00Z`);
  return Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== day ? null : day;
}

/** A day cell: "2026-09-14" (Search Console's chart) or "14.09.2026". */
export function readDay(raw: string): string | { error: string } {
  const s = raw.trim();
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  const dotted = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(s);
  const day = iso
    ? realDay(+iso[1]!, +iso[2]!, +iso[3]!)
    : dotted
      ? realDay(+dotted[3]!, +dotted[2]!, +dotted[1]!)
      : null;
  return day ?? { error: `${JSON.stringify(s)} ${TEXT.notDay}` };
}

const EN_MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
// Genitive and abbreviated forms share their first three letters, except May ("май", "мая").
const RU_MONTHS = ['янв', 'фев', 'мар', 'апр', 'ма', 'июн', 'июл', 'авг', 'сен', 'окт', 'ноя', 'дек'];

const DATE_PATTERNS: { re: RegExp; read: (m: RegExpExecArray) => string | null }[] = [
  { re: /(\d{4})-(\d{2})-(\d{2})/g, read: (m) => realDay(+m[1]!, +m[2]!, +m[3]!) },
  { re: /(\d{1,2})\.(\d{1,2})\.(\d{4})/g, read: (m) => realDay(+m[3]!, +m[2]!, +m[1]!) },
  {
    // "Jun 1, 2026", "June 1 2026"
    re: /\b([a-z]{3})[a-z]*\.? (\d{1,2}),? (\d{4})/gi,
    read: (m) => realDay(+m[3]!, EN_MONTHS.indexOf(m[1]!.toLowerCase()) + 1, +m[2]!),
  },
  {
    // "1 Jun 2026", "1 June, 2026"
    re: /(\d{1,2}) ([a-z]{3})[a-z]*\.?,? (\d{4})/gi,
    read: (m) => realDay(+m[3]!, EN_MONTHS.indexOf(m[2]!.toLowerCase()) + 1, +m[1]!),
  },
  {
    // "1 июн. 2026 г.", "1 июня 2026", "1 мая 2026"
    re: /(\d{1,2}) (ма[йя]|[а-яё]{3})[а-яё]*\.? (\d{4})/gi,
    read: (m) => {
      const word = m[2]!.toLocaleLowerCase('ru');
      const month = word.startsWith('ма') && word !== 'мар' ? 5 : RU_MONTHS.indexOf(word) + 1;
      return realDay(+m[3]!, month, +m[1]!);
    },
  },
];

/**
 * The calendar days a text names, in the order written: "2026-06-01 - 2026-08-31", "Jun 1, 2026 – Aug 31,
 * 2026", "1 июн. 2026 г. – 31 авг. 2026 г.", "01.06.2026 - 31.08.2026". Relative ranges ("Last 3 months")
 * name none. Slashed dates are not read: 06/08/2026 is June in one locale and August in another.
 */
export function findDays(text: string): string[] {
  const found: { at: number; end: number; day: string }[] = [];
  for (const { re, read } of DATE_PATTERNS) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const day = read(m);
      if (day) found.push({ at: m.index, end: m.index + m[0].length, day });
    }
  }
  found.sort((a, b) => a.at - b.at);
  const days: string[] = [];
  let upTo = -1;
  for (const f of found) {
    if (f.at < upTo) continue;
    days.push(f.day);
    upTo = f.end;
  }
  return days;
}
