// Checks an export's rows against the file's own totals ("Total: Account", «Итого», Meta's summary row,
// "Total rows: N"): rows that do not add up are a report covering part of the spend, or a cut or edited file.
import { COMMA, type DecimalMark } from './numbers.ts';

/** What the rows of a file add up to. */
export interface RowSums {
  rows: number;
  impressions: number;
  clicks: number;
  costMicros: number;
}

/** What a total line says; null where its cell is empty (" --") or the file has no such column. */
export interface TotalSaid {
  impressions: number | null;
  clicks: number | null;
  costMicros: number | null;
}

export interface TotalsStyle {
  /** The header text of each compared column. */
  labels: { impressions?: string; clicks?: string; cost?: string };
  mark: DecimalMark;
  /** Decimals the file writes money with, to show amounts as the file does. */
  fracDigits: number;
  /** The most one written amount can be off its true value by rounding (half a cent: 5,000 micros). */
  halfUnitMicros: number;
  /** What a mismatch means for this platform's file, and what to do. */
  hint: string;
}

export const DEFAULT_TOTALS_HINT = 'the file was cut short or edited after it was exported: export it again';

/** Why the rows do not match the total line `total`, or null when they do. */
export function totalsProblem(
  total: { label: string; rows?: number },
  said: TotalSaid,
  sums: RowSums,
  style: TotalsStyle,
): string | null {
  if (total.rows !== undefined)
    return total.rows === sums.rows
      ? null
      : `${total.label} counts ${total.rows} rows, but the file holds ${sums.rows}: ${style.hint}`;
  const off: { label: string; said: string; summed: string }[] = [];
  const counts = (label: string | undefined, s: number | null, summed: number) => {
    if (label !== undefined && s !== null && s !== summed)
      off.push({ label, said: grouped(s, style.mark), summed: grouped(summed, style.mark) });
  };
  counts(style.labels.impressions, said.impressions, sums.impressions);
  counts(style.labels.clicks, said.clicks, sums.clicks);
  // Every row's amount is rounded as written, and so is the total's: honest files differ by up to half a
  // unit of the last decimal per row and once more for the total, never more.
  const cost = said.costMicros;
  if (
    style.labels.cost !== undefined &&
    cost !== null &&
    Math.abs(cost - sums.costMicros) > (sums.rows + 1) * style.halfUnitMicros
  )
    off.push({
      label: style.labels.cost,
      said: amount(cost, style),
      summed: amount(sums.costMicros, style),
    });
  if (off.length === 0) return null;
  const list = (key: 'said' | 'summed') => off.map((o) => `${o.label} ${o[key]}`).join(', ');
  return `${total.label} says ${list('said')}, but the rows add up to ${list('summed')}: ${style.hint}`;
}

/** 1234567 → "1,234,567", or "1 234 567" in a decimal-comma file. */
function grouped(n: number, mark: DecimalMark): string {
  const digits = String(Math.abs(Math.trunc(n)));
  const sep = mark === COMMA ? ' ' : ',';
  let out = '';
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += sep;
    out += digits[i];
  }
  return n < 0 ? `-${out}` : out;
}

/** Micros as the file writes amounts: "3,807.16", "5 146,80". */
function amount(micros: number, style: TotalsStyle): string {
  const frac = Math.min(style.fracDigits, 6);
  const step = 10 ** (6 - frac);
  const units = Math.round(Math.abs(micros) / step);
  const whole = Math.floor(units / 10 ** frac);
  const part = frac ? String.fromCharCode(style.mark) + String(units % 10 ** frac).padStart(frac, '0') : '';
  return `${micros < 0 ? '-' : ''}${grouped(whole, style.mark)}${part}`;
}
