// Reads a platform's UI export into daily campaign rows, all or nothing: the engine each format file describes.
import { parseCsv, type CsvRow } from '../../util/csv.ts';
import type { DailyRow, Platform } from '../types.ts';
import { firstText, headerKey, type ExportFormat, type Field } from './columns.ts';
import { periodInText, readDays, type DayOrError } from './dates.ts';
import { delimiterOf, locateHeader } from './detect.ts';
import {
  COMMA,
  decimalMarkOf,
  DOT,
  MAX_MONEY_UNITS,
  newScanned,
  scannedMicros,
  scannedValue,
  scanNumber,
  type DecimalMark,
} from './numbers.ts';
import { DEFAULT_TOTALS_HINT, totalsProblem, type RowSums, type TotalSaid } from './totals.ts';

export interface AdsImport {
  platform: Platform;
  /** Empty whenever `errors` is not. */
  rows: DailyRow[];
  /** ISO 4217: from the file (a currency column, "Amount spent (RUB)"), else the caller's. */
  currency: string | null;
  /** The days the export covers: its stated period when the title lines give one, else its rows' days. */
  range: { from: string; to: string } | null;
  /** Physical line (1-based) and what is wrong, naming the column. */
  errors: { line: number; message: string }[];
  warnings: string[];
}

export interface ImportOptions {
  /** The account's currency: used when the file does not say, and checked when it does. */
  currency?: string;
}

/** Past this many, errors are counted rather than listed: one broken column fails every row alike. */
const MAX_ERRORS = 50;

export function readExport(
  text: string,
  format: ExportFormat,
  formats: readonly ExportFormat[],
  opts: ImportOptions = {},
): AdsImport {
  const out: AdsImport = {
    platform: format.platform,
    rows: [],
    currency: null,
    range: null,
    errors: [],
    warnings: [],
  };
  const label = format.name;
  const fail = (line: number, message: string) => {
    out.errors.push({ line, message });
    return out;
  };

  const delimiter = delimiterOf(text);
  let records: CsvRow[];
  try {
    records = parseCsv(text, delimiter);
  } catch (e) {
    const m = /^line (\d+): (.*)$/.exec((e as Error).message);
    return fail(m ? Number(m[1]) : 1, m ? m[2]! : (e as Error).message);
  }
  if (records.length === 0) return fail(1, `the file is empty: expected a ${label} report`);

  const found = locateHeader(records, format, formats);
  if ('error' in found) return fail(found.error.line, found.error.message);
  const { index: h, mapping } = found;
  const header = records[h]!;
  const { columns: col, labels } = mapping;
  const preamble = records.slice(0, h).map((r) => r.cells.join(', '));
  const refused = format.checkPreamble?.(preamble);
  if (refused) return fail(records[0]!.line, refused);
  const refusedHeader = format.checkHeader?.(header.cells);
  if (refusedHeader) return fail(header.line, refusedHeader);
  const byPeriod = col.day < 0 && col.periodStart >= 0 && col.periodEnd >= 0;
  if (col.day < 0 && !byPeriod) return fail(header.line, format.missingDay);

  if (col.campaignId < 0)
    out.warnings.push(
      `no campaign id column: campaigns are told apart by name ("${labels.campaignName}"), so a renamed campaign starts a new history`,
    );
  if (col.campaignName < 0) out.warnings.push('no campaign name column: campaigns are named by their ids');
  if (col.impressions < 0) out.warnings.push('no impressions column: impressions are taken as 0');
  if (col.clicks < 0) out.warnings.push('no clicks column: clicks are taken as 0');
  if (mapping.vatIncluded) out.warnings.push(`costs include VAT ("${labels.cost}")`);
  out.warnings.push(...(format.notes?.(labels) ?? []));

  // --- First pass: which records are rows, their days, the decimal mark ----------------------------
  const width = header.cells.length;
  const used = Object.values(col).concat(mapping.summed.conversions, mapping.summed.conversionValue);
  const need = Math.max(...used) + 1;
  const dayCol = byPeriod ? col.periodStart : col.day;
  const numberCols = [col.cost, col.conversionValue, col.conversions, ...mapping.summed.conversions].filter(
    (c) => c >= 0,
  );
  const microsCandidate =
    format.microsCostKey !== undefined && headerKey(labels.cost!) === format.microsCostKey;
  let allMicros = microsCandidate;
  let mark: DecimalMark | 0 = 0;
  const rows: CsvRow[] = [];
  /** Summary rows that total the whole file, checked against the rows at the end. */
  const totals: { rec: CsvRow; label: string; rows?: number }[] = [];
  const dayValues = new Set<string>();
  let errorCount = 0;
  let firstUnlisted = 0;
  const rowError = (line: number, message: string) => {
    if (++errorCount <= MAX_ERRORS) out.errors.push({ line, message });
    else if (!firstUnlisted) firstUnlisted = line;
  };

  for (let r = h + 1; r < records.length; r++) {
    const rec = records[r]!;
    const cells = rec.cells;
    if (firstText(cells) === '') continue;
    if (format.isSummary(cells, col)) {
      const whole = format.wholeTotal?.(cells, col);
      if (whole) totals.push({ rec, ...whole });
      continue;
    }
    if (cells.length < need || (cells.length > width && cells.slice(width).some((c) => c.trim() !== ''))) {
      rowError(
        rec.line,
        `has ${cells.length} cells where the header (line ${header.line}) has ${width}: a value holding the delimiter without quotes, or a cut-off line?`,
      );
      continue;
    }
    rows.push(rec);
    dayValues.add(cells[dayCol]!);
    if (byPeriod) dayValues.add(cells[col.periodEnd]!);
    if (mark === 0) for (const c of numberCols) mark ||= decimalMarkOf(cells[c]!);
    if (allMicros) allMicros = isMicrosText(cells[col.cost]!);
  }
  if (!mark) mark = delimiter === ';' || /[а-яё]/i.test(header.cells.join('')) ? COMMA : DOT;
  const costInMicros = allMicros && rows.length > 0;
  if (microsCandidate)
    out.warnings.push(
      costInMicros
        ? `"${labels.cost}" is read as micros (whole numbers, the Reports API's default returnMoneyInMicros)`
        : `"${labels.cost}" is read as amounts in the account's currency`,
    );

  const { days, problem, warning } = readDays(dayValues, format.slashDates);
  if (problem) return fail(header.line, problem);
  if (warning) out.warnings.push(warning);

  // --- Second pass: the rows -----------------------------------------------------------------------
  const s = newScanned();
  let currency: string | null = null;
  let currencySource = '';
  const noteCurrency = (code: string, line: number, where: string, source: string): boolean => {
    if (currency === null) {
      currency = code;
      currencySource = source;
      return true;
    }
    if (code === currency) return true;
    rowError(
      line,
      `${where}: ${code} differs from ${currency} (${currencySource}): the file mixes currencies; export one account at a time`,
    );
    return false;
  };
  for (const hc of mapping.headerCurrencies)
    noteCurrency(hc.code, header.line, `column "${hc.label}"`, `"${hc.label}"`);

  const cellProblem = (line: number, field: Field, raw: string, problem: string): null => {
    rowError(line, `column "${labels[field]}": ${JSON.stringify(raw.trim())} ${problem}`);
    return null;
  };

  /** A count (impressions, clicks): whole and not negative. */
  const count = (line: number, field: Field, raw: string): number | null => {
    const problem = scanNumber(raw, mark as DecimalMark, s);
    if (problem) return cellProblem(line, field, raw, problem);
    if (s.empty) return 0;
    if (s.percent || s.currency) return cellProblem(line, field, raw, 'is not a count');
    if (s.negative) return cellProblem(line, field, raw, 'is negative');
    if (s.fracKept && s.frac) return cellProblem(line, field, raw, 'is not a whole number');
    return s.int;
  };
  /** Money as micros; the cell may name its currency ("$1,234.00"), which must be the file's. */
  const money = (line: number, field: Field, raw: string, micros: boolean): number | null => {
    const problem = scanNumber(raw, mark as DecimalMark, s);
    if (problem) return cellProblem(line, field, raw, problem);
    if (s.empty) return 0;
    if (s.percent) return cellProblem(line, field, raw, 'is a percentage, not an amount');
    if (s.negative && field === 'cost') return cellProblem(line, field, raw, 'is negative');
    if (micros) return s.negative ? -s.int : s.int;
    if (s.int > MAX_MONEY_UNITS) return cellProblem(line, field, raw, 'is too large an amount');
    if (s.currency && !noteCurrency(s.currency, line, `column "${labels[field]}"`, `line ${line}`))
      return null;
    return scannedMicros(s);
  };
  const quantity = (line: number, field: Field, raw: string): number | null => {
    const problem = scanNumber(raw, mark as DecimalMark, s);
    if (problem) return cellProblem(line, field, raw, problem);
    if (s.empty) return 0;
    if (s.percent || s.currency) return cellProblem(line, field, raw, 'is not a number of conversions');
    return scannedValue(s);
  };
  const dayOf = (line: number, field: Field, raw: string): string | null => {
    const d = days.get(raw) as DayOrError;
    if ('day' in d) return d.day;
    rowError(line, `column "${labels[field]}": ${d.error}`);
    return null;
  };

  let lastCurrencyCell = '';
  let minDay = '';
  let maxDay = '';
  const sums: RowSums = { rows: rows.length, impressions: 0, clicks: 0, costMicros: 0 };
  let costFrac = 0;
  for (const rec of rows) {
    const cells = rec.cells;
    const line = rec.line;
    const before = errorCount;
    let day = dayOf(line, byPeriod ? 'periodStart' : 'day', cells[dayCol]!);
    if (byPeriod && day !== null) {
      const end = dayOf(line, 'periodEnd', cells[col.periodEnd]!);
      if (end !== null && end !== day) {
        rowError(line, `the row covers ${day} to ${end}, not one day: ${format.missingDay}`);
        day = null;
      }
    }
    const name = col.campaignName >= 0 ? cells[col.campaignName]!.trim() : '';
    const id = col.campaignId >= 0 ? cells[col.campaignId]!.trim() : name;
    if (col.campaignId >= 0 && id === '') rowError(line, `column "${labels.campaignId}" is empty`);
    else if (id === '') rowError(line, `column "${labels.campaignName}" is empty`);
    const impressions = col.impressions >= 0 ? count(line, 'impressions', cells[col.impressions]!) : 0;
    const clicks = col.clicks >= 0 ? count(line, 'clicks', cells[col.clicks]!) : 0;
    const costMicros = money(line, 'cost', cells[col.cost]!, costInMicros);
    if (s.fracDigits > costFrac) costFrac = s.fracDigits;
    let conversions: number | null = 0;
    if (col.conversions >= 0) conversions = quantity(line, 'conversions', cells[col.conversions]!);
    else
      for (const c of mapping.summed.conversions) {
        const q = quantity(line, 'conversions', cells[c]!);
        conversions = q === null || conversions === null ? null : conversions + q;
      }
    let value: number | null = 0;
    if (col.conversionValue >= 0)
      value = money(line, 'conversionValue', cells[col.conversionValue]!, costInMicros);
    else
      for (const c of mapping.summed.conversionValue) {
        const v = money(line, 'conversionValue', cells[c]!, costInMicros);
        value = v === null || value === null ? null : value + v;
      }
    if (col.currency >= 0) {
      const raw = cells[col.currency]!;
      if (raw !== lastCurrencyCell) {
        const t = raw.trim();
        if (t !== '' && t !== '--') {
          const code = /^[A-Za-z]{3}$/.test(t) ? t.toUpperCase() : null;
          if (!code)
            rowError(line, `column "${labels.currency}": ${JSON.stringify(t)} is not a currency code`);
          else if (noteCurrency(code, line, `column "${labels.currency}"`, `line ${line}`))
            lastCurrencyCell = raw;
        }
      }
    }
    if (errorCount !== before || day === null) continue;
    out.rows.push({
      day,
      campaignId: id,
      campaignName: name || id,
      impressions: impressions!,
      clicks: clicks!,
      costMicros: costMicros!,
      conversions: conversions!,
      conversionValueMicros: value!,
    });
    sums.impressions += impressions!;
    sums.clicks += clicks!;
    sums.costMicros += costMicros!;
    if (minDay === '' || day < minDay) minDay = day;
    if (day > maxDay) maxDay = day;
  }

  // The file's own totals, read as its rows are: a file whose rows fall short of its "Total: Account"
  // covers part of the spend, and importing it would replace the whole account's days with that part.
  for (const t of errorCount === 0 ? totals : []) {
    const cells = t.rec.cells;
    const line = t.rec.line;
    const cell = (c: number) => (c >= 0 && c < cells.length ? cells[c]! : '');
    const said: TotalSaid = { impressions: null, clicks: null, costMicros: null };
    if (t.rows === undefined) {
      const before = errorCount;
      const raw = { impressions: cell(col.impressions), clicks: cell(col.clicks), cost: cell(col.cost) };
      if (col.impressions >= 0 && !isEmptyCell(raw.impressions))
        said.impressions = count(line, 'impressions', raw.impressions);
      if (col.clicks >= 0 && !isEmptyCell(raw.clicks)) said.clicks = count(line, 'clicks', raw.clicks);
      if (!isEmptyCell(raw.cost)) {
        said.costMicros = money(line, 'cost', raw.cost, costInMicros);
        if (s.fracDigits > costFrac) costFrac = s.fracDigits;
      }
      if (errorCount !== before) continue;
    }
    const problem = totalsProblem(t, said, sums, {
      labels: { impressions: labels.impressions, clicks: labels.clicks, cost: labels.cost },
      mark: mark as DecimalMark,
      fracDigits: costInMicros ? 2 : costFrac,
      // The Reports API rounds micros to 10,000 (a kopeck); else half of the file's last decimal.
      halfUnitMicros: costInMicros ? 5_000 : 5 * 10 ** (5 - Math.min(costFrac, 6)),
      hint: format.totalsMismatch ?? DEFAULT_TOTALS_HINT,
    });
    if (problem) rowError(line, problem);
  }
  if (firstUnlisted)
    out.errors.push({ line: firstUnlisted, message: `and ${errorCount - MAX_ERRORS} more rows with errors` });

  const wanted = opts.currency?.trim().toUpperCase();
  if (currency !== null && wanted && currency !== wanted)
    out.errors.push({
      line: header.line,
      message: `the file's amounts are in ${currency} but the account's currency is ${wanted}: import it into an account in ${currency}`,
    });
  out.currency = currency ?? wanted ?? null;
  if (out.currency === null)
    out.warnings.push("the file does not say its currency: amounts are taken as the account's");

  if (rows.length === 0 && errorCount === 0) out.warnings.push('the file has no campaign rows');
  const period = periodInText(format.periodLines?.(preamble) ?? preamble, format.slashDates);
  if (period && (minDay === '' || (period.from <= minDay && maxDay <= period.to))) out.range = period;
  else if (minDay !== '') {
    out.range = { from: minDay, to: maxDay };
    if (period)
      out.warnings.push(
        `the rows run from ${minDay} to ${maxDay}, outside the period the title states (${period.from} to ${period.to}): the rows' days are used`,
      );
  }
  if (out.errors.length) {
    out.rows = [];
    // The two passes find problems in two orders; a reader wants them down the file.
    out.errors.sort((a, b) => a.line - b.line);
  }
  return out;
}

/** A cell that says nothing: empty or the platforms' "--". */
function isEmptyCell(raw: string): boolean {
  const t = raw.trim();
  return t === '' || t === '--';
}

/** Whole numbers in steps of 10,000: how the Reports API writes micros ("974790000"); "--" is none. */
function isMicrosText(raw: string): boolean {
  const n = raw.length;
  if (n === 0 || raw === '--' || raw === '0') return true;
  if (n < 5) return raw.trim() === '' || raw.trim() === '--';
  for (let i = 0; i < n; i++) {
    const c = raw.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return raw.endsWith('0000');
}
