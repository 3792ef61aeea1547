// Reads the user's own search-engine exports — Search Console's Performance ZIP or its CSVs, Yandex
// Webmaster's query table — into period averages, deciding the period from what the files state. Pure.
import { decodeText, parseCsv, type CsvRow } from '../util/csv.ts';
import { looksLikeZip, readZipEntries, ZipError } from '../util/zip.ts';
import {
  readDay,
  type AverageDimension,
  type AverageRow,
  type AverageSource,
} from './search-export-cells.ts';
import {
  GSC_TEXT,
  gscTab,
  readGscDates,
  readGscFilters,
  readGscTable,
  type GscFilters,
  type GscTab,
} from './search-export-gsc.ts';
import { readYandexSummary, YANDEX_TEXT, yandexLayout, type YandexLayout } from './search-export-yandex.ts';

export type { AverageDimension, AverageRow, AverageSource } from './search-export-cells.ts';

export interface SearchExportFile {
  /** As the user named it (a path); entries of a ZIP become "export.zip/Queries.csv". */
  name: string;
  bytes: Uint8Array;
}

export interface SearchExportOptions {
  /** The period, YYYY-MM-DD, when the files do not state it (`--from`/`--to`). */
  from?: string;
  to?: string;
}

export interface SearchExportNote {
  file: string;
  outcome: 'imported' | 'skipped' | 'read';
  text: string;
}

export interface SearchExport {
  source: AverageSource;
  /** First and last day; `basis` says where they came from. */
  period: { from: string; to: string; basis: string };
  tables: { file: string; dimension: AverageDimension; rows: AverageRow[] }[];
  /** One per file, in the order given: what it was and what became of it. */
  notes: SearchExportNote[];
}

/** Every user-facing string of this module, in one place. */
export const SEARCH_EXPORT_TEXT = {
  source: { 'gsc-export': 'Search Console', 'yandex-webmaster-export': 'Yandex Webmaster' } as Record<
    AverageSource,
    string
  >,
  imported: (n: number, dimension: AverageDimension) =>
    `${n} ${n === 1 ? dimension : GSC_TEXT.dimensionWords[dimension]} imported`,
  datesUsed: `skipped — ${GSC_TEXT.dates} (its first and last day give the period)`,
  datesUnused: `skipped — ${GSC_TEXT.dates}`,
  appearance: `skipped — ${GSC_TEXT.appearance}`,
  filters: (summary: string) => `read — ${summary || 'no filters'}`,
  notCsv: 'skipped — not a CSV file',
  notTable: (header: string) => `skipped — not a Search Console table (header: ${header})`,
  notExport: (header: string) =>
    `is not a Search Console or Yandex Webmaster export (header: ${header}); positions from other trackers are imported one file at a time`,
  notZip: (why: string) => `is not a readable ZIP file: ${why}`,
  xlsx: 'is an Excel workbook: in Search Console use Export → Download CSV (or in Yandex Webmaster the CSV download) and import that',
  empty: 'is empty: expected a header row',
  mixed: 'mixes Search Console and Yandex Webmaster files: import each on its own',
  twice: (dimension: AverageDimension, first: string) =>
    `gives ${GSC_TEXT.dimensionWords[dimension]} again (first given by ${first}): import one export at a time`,
  nothing: (what: string) =>
    `nothing to import (${what}): import Queries.csv or Pages.csv with it, or the whole ZIP`,
  filtersBasis: (file: string, text: string) => `${file}: Date "${text}"`,
  datesBasis: (file: string, filters?: { file: string; text: string }) =>
    `${file}: its first and last day${filters ? ` (${filters.file} says Date "${filters.text}")` : ''}`,
  flagsBasis: '--from/--to',
  columnBasis: (file: string, column: string) => `${file}: column "${column}"`,
  datesOutside: (file: string, from: string, to: string, period: string) =>
    `${file} runs from ${from} to ${to}, outside the period ${period} states`,
  flagsDisagree: (flags: string, basis: string, period: string) =>
    `--from/--to (${flags}) disagree with ${basis} (${period}): leave them out or correct them`,
  noPeriod: (files: string, source: AverageSource, detail: string) =>
    `${files}: the ${SEARCH_EXPORT_TEXT.source[source]} export does not say which days it covers${detail}: give them with --from YYYY-MM-DD --to YYYY-MM-DD (the range set in ${source === 'gsc-export' ? "Search Console's Date filter" : "Yandex Webmaster's period"})`,
  zipNameNote: " (the date in the ZIP's name is the day it was downloaded, not the period)",
  flagPair: 'give both --from and --to, or neither',
  flagDay: (flag: string, v: string) => `${flag} ${JSON.stringify(v)} is not a date like 2026-06-01`,
  flagOrder: '--from is after --to',
  more: (n: number) => `… and ${n} more problem(s)`,
  notKeywords: (file: string, source: AverageSource) =>
    `${file} is a ${SEARCH_EXPORT_TEXT.source[source]} export: its queries' clicks and average positions are imported with: promowatch rank import ${file}`,
  stored: (source: AverageSource) =>
    `Stored as ${SEARCH_EXPORT_TEXT.source[source]} averages over the period, not daily positions: no keyword's position history or best position changes.`,
};

const MAX_ERRORS = 100;
const MAX_UNPACKED = 64 << 20;

interface Part {
  label: string;
  /** Whether it came out of a ZIP (an unknown file there is skipped, not refused). */
  inZip: boolean;
  header?: CsvRow;
  body: CsvRow[];
  gsc?: GscTab;
  yandex?: YandexLayout;
}

const range = (p: { from: string; to: string }) => `${p.from} – ${p.to}`;
const headerText = (h: CsvRow) =>
  JSON.stringify(
    h.cells
      .map((c) => c.replace(/^\uFEFF/, '').trim())
      .join(',')
      .slice(0, 120),
  );

/** `--from`/`--to`, checked: both or neither, real days, in order. */
function readFlags(opts: SearchExportOptions, errors: string[]) {
  if (opts.from === undefined && opts.to === undefined) return undefined;
  if (opts.from === undefined || opts.to === undefined) return void errors.push(SEARCH_EXPORT_TEXT.flagPair);
  const from = /^\d{4}-\d{2}-\d{2}$/.test(opts.from) ? readDay(opts.from) : { error: '' };
  const to = /^\d{4}-\d{2}-\d{2}$/.test(opts.to) ? readDay(opts.to) : { error: '' };
  if (typeof from !== 'string') errors.push(SEARCH_EXPORT_TEXT.flagDay('--from', opts.from));
  if (typeof to !== 'string') errors.push(SEARCH_EXPORT_TEXT.flagDay('--to', opts.to));
  if (typeof from !== 'string' || typeof to !== 'string') return undefined;
  if (from > to) return void errors.push(SEARCH_EXPORT_TEXT.flagOrder);
  return { from, to, basis: SEARCH_EXPORT_TEXT.flagsBasis };
}

/** The files as CSV tables: ZIPs unpacked, text decoded, each header recognised. */
function unpack(files: SearchExportFile[], errors: string[], notes: SearchExportNote[]) {
  const parts: Part[] = [];
  let zipped = false;
  const read = (label: string, bytes: Uint8Array, inZip: boolean) => {
    let records: CsvRow[];
    try {
      records = parseCsv(decodeText(bytes));
    } catch (e) {
      const m = /^line (\d+): (.*)$/.exec((e as Error).message);
      errors.push(m ? `${label} line ${m[1]}: ${m[2]}` : `${label}: ${(e as Error).message}`);
      return;
    }
    const rows = records.filter((r) => r.cells.some((c) => c.trim() !== ''));
    const [header, ...body] = rows;
    const part: Part = { label, inZip, header, body };
    if (header) {
      const gsc = gscTab(header);
      if (gsc) part.gsc = gsc;
      else {
        const yandex = yandexLayout(header);
        if (yandex) part.yandex = yandex;
      }
    }
    parts.push(part);
  };
  for (const f of files) {
    if (!looksLikeZip(f.bytes)) {
      read(f.name, f.bytes, false);
      continue;
    }
    zipped = true;
    let entries;
    try {
      entries = readZipEntries(f.bytes, MAX_UNPACKED);
    } catch (e) {
      if (!(e instanceof ZipError)) throw e;
      errors.push(`${f.name} ${SEARCH_EXPORT_TEXT.notZip(e.message)}`);
      continue;
    }
    if (entries.some((e) => e.name === '[Content_Types].xml' || e.name.startsWith('xl/'))) {
      errors.push(`${f.name} ${SEARCH_EXPORT_TEXT.xlsx}`);
      continue;
    }
    for (const e of entries) {
      const base = e.name.split('/').pop()!;
      // Finder's and Explorer's leftovers are no part of the export.
      if (e.name.startsWith('__MACOSX/') || base.startsWith('.')) continue;
      // Named by the archive's file name and the entry ("export.zip/Queries.csv"): short, and enough to find it.
      const label = `${f.name.split(/[\\/]/).pop()}/${e.name}`;
      if (!/\.(csv|tsv|txt)$/i.test(base))
        notes.push({ file: label, outcome: 'skipped', text: SEARCH_EXPORT_TEXT.notCsv });
      else read(label, e.data, true);
    }
  }
  return { parts, zipped };
}

/**
 * Reads a search export: one ZIP, or one or more of its CSVs, or a Yandex Webmaster query table. Returns
 * null when no file is one (the caller reads positions instead). The period comes from Filters.csv when it
 * names exact days, else from the Dates (older: Chart) tab's first and last day, else from `opts`; a
 * period stated by the files that `opts` contradicts is refused, and none at all is asked for, never
 * guessed. Every row of every table is checked: any error, and nothing is returned to import.
 */
export function readSearchExport(
  files: SearchExportFile[],
  opts: SearchExportOptions = {},
): SearchExport | { errors: string[]; source?: AverageSource } | null {
  const errors: string[] = [];
  const notes: SearchExportNote[] = [];
  const { parts, zipped } = unpack(files, errors, notes);
  const known = parts.filter((p) => p.gsc || p.yandex);
  // No ZIP and no file recognised: positions from another tracker, for the caller to read.
  if (!zipped && known.length === 0 && (errors.length === 0 || files.length === 1)) return null;

  const sources = new Set(known.map((p) => (p.gsc ? 'gsc-export' : 'yandex-webmaster-export')));
  if (sources.size > 1) return { errors: [SEARCH_EXPORT_TEXT.mixed] };
  const source: AverageSource = sources.has('yandex-webmaster-export')
    ? 'yandex-webmaster-export'
    : 'gsc-export';
  const flags = readFlags(opts, errors);

  const tables: SearchExport['tables'] = [];
  const byDimension = new Map<AverageDimension, string>();
  let dates: { file: string; first: string; last: string; note: SearchExportNote } | undefined;
  let filters: (GscFilters & { file: string }) | undefined;
  let yandexPeriod: { from: string; to: string; basis: string } | undefined;
  const lineErrors = (label: string, list: { line: number; message: string }[]) =>
    list.forEach((e) => errors.push(`${label} line ${e.line}: ${e.message}`));
  const addTable = (label: string, dimension: AverageDimension, rows: AverageRow[]) => {
    const first = byDimension.get(dimension);
    if (first) return void errors.push(`${label} ${SEARCH_EXPORT_TEXT.twice(dimension, first)}`);
    byDimension.set(dimension, label);
    tables.push({ file: label, dimension, rows });
    notes.push({
      file: label,
      outcome: 'imported',
      text: SEARCH_EXPORT_TEXT.imported(rows.length, dimension),
    });
  };

  for (const p of parts) {
    if (!p.header) {
      errors.push(`${p.label} ${SEARCH_EXPORT_TEXT.empty}`);
      continue;
    }
    const tab = p.gsc;
    const layout = p.yandex;
    if (tab?.kind === 'table') {
      const r = readGscTable(p.header, p.body, tab.dimension);
      lineErrors(p.label, r.errors);
      addTable(p.label, tab.dimension, r.rows);
    } else if (tab?.kind === 'dates') {
      const r = readGscDates(p.header, p.body);
      if (r && 'errors' in r) lineErrors(p.label, r.errors);
      const note: SearchExportNote = {
        file: p.label,
        outcome: 'skipped',
        text: SEARCH_EXPORT_TEXT.datesUnused,
      };
      notes.push(note);
      if (r && !('errors' in r)) {
        // Two chart files (Dates.csv and an older Chart.csv) cover the span of both.
        dates = dates
          ? {
              ...dates,
              first: dates.first < r.first ? dates.first : r.first,
              last: dates.last > r.last ? dates.last : r.last,
            }
          : { file: p.label, first: r.first, last: r.last, note };
      }
    } else if (tab?.kind === 'appearance') {
      notes.push({ file: p.label, outcome: 'skipped', text: SEARCH_EXPORT_TEXT.appearance });
    } else if (tab?.kind === 'filters') {
      const r = readGscFilters(p.body);
      if ('errors' in r) lineErrors(p.label, r.errors);
      else {
        filters = { ...r, file: p.label };
        notes.push({ file: p.label, outcome: 'read', text: SEARCH_EXPORT_TEXT.filters(r.summary) });
      }
    } else if (tab?.kind === 'compare') {
      errors.push(`${p.label} line ${p.header.line}: ${GSC_TEXT.compare}`);
    } else if (layout?.kind === 'per-period') {
      errors.push(`${p.label} line ${p.header.line}: ${YANDEX_TEXT.perPeriod(layout.example)}`);
    } else if (layout?.kind === 'summary') {
      const r = readYandexSummary(p.header, p.body, layout.dimension);
      lineErrors(p.label, r.errors);
      addTable(p.label, layout.dimension, r.rows);
      if (r.period)
        yandexPeriod = {
          from: r.period.from,
          to: r.period.to,
          basis: SEARCH_EXPORT_TEXT.columnBasis(p.label, r.period.column),
        };
    } else if (p.inZip) {
      notes.push({
        file: p.label,
        outcome: 'skipped',
        text: SEARCH_EXPORT_TEXT.notTable(headerText(p.header)),
      });
    } else errors.push(`${p.label} ${SEARCH_EXPORT_TEXT.notExport(headerText(p.header))}`);
  }
  if (errors.length === 0 && tables.length === 0) {
    const what = known.length
      ? known
          .map(
            (p) =>
              `${p.label}: ${p.gsc?.kind === 'dates' ? GSC_TEXT.dates : p.gsc?.kind === 'appearance' ? GSC_TEXT.appearance : GSC_TEXT.filters}`,
          )
          .join('; ')
      : files.map((f) => f.name).join(', ');
    errors.push(SEARCH_EXPORT_TEXT.nothing(what));
  }
  if (errors.length) return { errors: capped(errors), ...(known.length ? { source } : {}) };

  // The period: stated by the files, else given by the user; a contradiction is refused.
  const exact =
    filters?.date?.from !== undefined
      ? {
          from: filters.date.from,
          to: filters.date.to!,
          basis: SEARCH_EXPORT_TEXT.filtersBasis(filters.file, filters.date.text),
        }
      : undefined;
  const chart = dates
    ? {
        from: dates.first,
        to: dates.last,
        basis: SEARCH_EXPORT_TEXT.datesBasis(
          dates.file,
          filters?.date && { file: filters.file, text: filters.date.text },
        ),
      }
    : undefined;
  if (exact && chart && (chart.from < exact.from || chart.to > exact.to))
    return {
      errors: [SEARCH_EXPORT_TEXT.datesOutside(dates!.file, chart.from, chart.to, exact.basis)],
      source,
    };
  const stated = exact ?? chart ?? yandexPeriod;
  if (flags && stated && (flags.from !== stated.from || flags.to !== stated.to))
    return { errors: [SEARCH_EXPORT_TEXT.flagsDisagree(range(flags), stated.basis, range(stated))], source };
  const period = stated ?? flags;
  if (!period) {
    const detail =
      source === 'gsc-export'
        ? `${filters?.date ? ` (${filters.file} says Date "${filters.date.text}", and no Dates.csv or Chart.csv came with it)` : ''}${zipped ? SEARCH_EXPORT_TEXT.zipNameNote : ''}`
        : '';
    return {
      errors: [SEARCH_EXPORT_TEXT.noPeriod(files.map((f) => f.name).join(', '), source, detail)],
      source,
    };
  }
  if (chart && period === chart && dates) dates.note.text = SEARCH_EXPORT_TEXT.datesUsed;
  return { source, period, tables, notes };
}

function capped(errors: string[]): string[] {
  if (errors.length <= MAX_ERRORS) return errors;
  return [...errors.slice(0, MAX_ERRORS), SEARCH_EXPORT_TEXT.more(errors.length - MAX_ERRORS)];
}
