// Tells which ad platform wrote an export, by the header names only that platform writes.
import { decodeText, detectDelimiter, parseCsv, type CsvDelimiter, type CsvRow } from '../../util/csv.ts';
import type { Platform } from '../types.ts';
import { headerKey, isHeader, mapColumns, type ExportFormat, type Mapping } from './columns.ts';

/** Title lines come first (Google Ads: 2, Microsoft Advertising: 10); the header is within this many records. */
export const HEADER_SEARCH_RECORDS = 60;

/** The first `n` lines of `text`, found with indexOf rather than splitting a 70 MB string. */
export function firstLines(text: string, n: number): string {
  let at = 0;
  for (let i = 0; i < n; i++) {
    const next = text.indexOf('\n', at);
    if (next < 0) return text;
    at = next + 1;
  }
  return text.slice(0, at);
}

/**
 * Bytes to text: UTF-8 or UTF-16 as decodeText reads them, else Windows-1251, the encoding Russian
 * Excel still saves CSV in (a Yandex Direct export opened and saved again). `legacy` says when it was.
 */
export function decodeExport(bytes: Uint8Array): { text: string; legacy: boolean } {
  try {
    return { text: decodeText(bytes), legacy: false };
  } catch (e) {
    try {
      return { text: new TextDecoder('windows-1251', { fatal: true }).decode(bytes), legacy: true };
    } catch {
      throw e; // a Node built without the legacy encodings
    }
  }
}

/**
 * The delimiter, judged on the first 30 lines rather than parseCsv's 5: Microsoft Advertising writes ten
 * title lines before its header, and they hold no delimiter to count.
 */
export const delimiterOf = (text: string): CsvDelimiter => detectDelimiter(firstLines(text, 30));

/** The first of the leading records that some platform recognises as its header, and whose it is. */
export function recogniseHeader(
  records: readonly CsvRow[],
  formats: readonly ExportFormat[],
): { platform: Platform; index: number } | null {
  const n = Math.min(records.length, HEADER_SEARCH_RECORDS);
  for (let index = 0; index < n; index++) {
    const keys = records[index]!.cells.map(headerKey);
    const format = formats.find((f) => f.recognises(keys));
    if (format) return { platform: format.platform, index };
  }
  return null;
}

/**
 * The header row of `format`'s export and its columns. Another platform's export is refused by name
 * first, before its columns are half-matched as this one's.
 */
export function locateHeader(
  records: readonly CsvRow[],
  format: ExportFormat,
  formats: readonly ExportFormat[],
): { index: number; mapping: Mapping } | { error: { line: number; message: string } } {
  const label = format.name;
  const seen = recogniseHeader(records, formats);
  if (seen && seen.platform !== format.platform) {
    const record = records[seen.index]!;
    if (!format.recognises(record.cells.map(headerKey))) {
      const other = formats.find((f) => f.platform === seen.platform)!.name;
      const message = `this looks like a ${other} export, not ${label}: import it as ${other}`;
      return { error: { line: record.line, message } };
    }
  }
  const n = Math.min(records.length, HEADER_SEARCH_RECORDS);
  for (let index = 0; index < n; index++) {
    const mapping = mapColumns(records[index]!.cells, format);
    if (isHeader(mapping)) return { index, mapping };
  }
  const message = `no header row naming the campaign and its cost in the first ${HEADER_SEARCH_RECORDS} lines: expected ${label} columns such as ${format.headerExample}`;
  return { error: { line: 1, message } };
}

/**
 * The platform whose export `bytes` look like, or null. Reads only the first lines; a quoted field the
 * cut leaves open is cut off too.
 */
export function detectPlatformIn(bytes: Uint8Array, formats: readonly ExportFormat[]): Platform | null {
  let head: string;
  try {
    head = firstLines(decodeExport(bytes).text, HEADER_SEARCH_RECORDS + 10);
  } catch {
    return null;
  }
  let records: CsvRow[];
  try {
    records = parseCsv(head, delimiterOf(head));
  } catch (e) {
    const open = /^line (\d+):/.exec((e as Error).message);
    try {
      records = open ? parseCsv(firstLines(head, Number(open[1]) - 1), delimiterOf(head)) : [];
    } catch {
      return null;
    }
  }
  return recogniseHeader(records, formats)?.platform ?? null;
}
