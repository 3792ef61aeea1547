// The one CSV writer for every dashboard export (RFC 4180), safe to open in Excel whether its list
// separator is "," or ";" (Russian, German… Excel): nothing in a cell can start a formula.
import type { Context } from 'hono';

/**
 * What makes Excel, LibreOffice or Google Sheets read a cell as a formula: =, +, -, @, and a tab or CR
 * before one. https://owasp.org/www-community/attacks/CSV_Injection
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * Where a spreadsheet may start a new cell inside ours. Excel honours quotes only at the very start of
 * a field, so with ";" as its separator it reads the quotes of a comma file as plain characters: every
 * ";" inside a cell, and every line break, starts a new cell there (so does a tab, for whoever imports
 * the file as tab-separated). A formula character right after one gets the same quote as at the start
 * of a cell.
 */
const FORMULA_AFTER_SPLIT = /([;\t\r\n])(?=[=+\-@\t\r])/g;

/** Cells a parser must quote: separators of either kind, quotes, line breaks, tabs. */
const NEEDS_QUOTES = /[",;\t\r\n]/;

/**
 * A plain negative number (-12.5) cannot be a formula, and a position change or a falling spend must
 * stay a number to sort and sum; OWASP notes this trade-off. Anything more (-1+2) is defused.
 */
const PLAIN_NEGATIVE = /^-\d+(\.\d+)?$/;

/** How a file is written: the plain RFC 4180 file, or the one Excel opens as it is in a Russian locale. */
export interface CsvFlavour {
  /** "," (RFC 4180) or ";" (Excel where the decimal separator is a comma). */
  separator: ',' | ';';
  /** Numbers written with a decimal comma (12,5), as that Excel reads them. */
  decimalComma: boolean;
}

export const PLAIN_CSV: CsvFlavour = { separator: ',', decimalComma: false };
export const EXCEL_CSV: CsvFlavour = { separator: ';', decimalComma: true };

function cell(v: unknown, flavour: CsvFlavour): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number' && Number.isFinite(v))
    return flavour.decimalComma ? String(v).replace('.', ',') : String(v);
  let s = String(v);
  if (FORMULA_START.test(s) && !PLAIN_NEGATIVE.test(s)) s = `'${s}`;
  s = s.replace(FORMULA_AFTER_SPLIT, "$1'");
  return NEEDS_QUOTES.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * Rows as CSV. `columns` picks and orders the row keys; `headers` names them for the reader (in their
 * language) — a key without a header is written as it is.
 */
export function toCsv(
  rows: Record<string, unknown>[],
  columns?: string[],
  headers: Partial<Record<string, string>> = {},
  flavour: CsvFlavour = PLAIN_CSV,
): string {
  const cols = columns ?? (rows[0] ? Object.keys(rows[0]) : []);
  const sep = flavour.separator;
  const lines = [
    cols.map((c) => cell(headers[c] ?? c, flavour)).join(sep),
    ...rows.map((r) => cols.map((c) => cell(r[c], flavour)).join(sep)),
  ];
  return lines.join('\r\n') + '\r\n';
}

/**
 * A CSV download: UTF-8 with a BOM (without one Excel reads Cyrillic as cp1251), as an attachment.
 * `?for=excel` gives the variant Excel opens as it is where the list separator is ";" (Russian
 * Windows): ";" between cells and decimal commas. `filename` is built from site names and dates, which
 * the config keeps to [a-z0-9-].
 */
export function csvDownload(
  c: Context,
  filename: string,
  rows: Record<string, unknown>[],
  columns?: string[],
  headers?: Partial<Record<string, string>>,
): Response {
  const excel = c.req.query('for') === 'excel';
  const name = excel ? filename.replace(/\.csv$/, '-excel.csv') : filename;
  c.header('Content-Type', 'text/csv; charset=utf-8');
  c.header('Content-Disposition', `attachment; filename="${name.replace(/[^\w.-]/g, '_')}"`);
  return c.body('\uFEFF' + toCsv(rows, columns, headers, excel ? EXCEL_CSV : PLAIN_CSV));
}

/** The query of an export link for the Excel variant: `href + excelQuery(href)`. */
export function excelHref(href: string): string {
  return `${href}${href.includes('?') ? '&' : '?'}for=excel`;
}
