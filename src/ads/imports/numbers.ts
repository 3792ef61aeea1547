// Reads the numbers of ad platforms' spreadsheet exports: counts, money (to integer micros) and decimals.
//
// Exports write numbers for people: "795,836" and "1 234,56" (thousands groups), "974,79" (a decimal
// comma), "$1,234.00" or "1 234 ₽" (a currency), "1.16%", " --" (nothing). One decimal mark holds for a
// whole file (decimalMarkOf decides it from the cells that say); a thousands separator must be followed
// by groups of exactly three digits, so "974.79" in a decimal-comma file is refused instead of being
// read as 97,479. The scan walks char codes: a million-row export runs through it without a regex.

export const COMMA = 44;
export const DOT = 46;
export type DecimalMark = typeof COMMA | typeof DOT;

/** A scanned number; one object is reused for every cell. */
export interface Scanned {
  /** The cell says nothing: empty, "-", "--", "—". */
  empty: boolean;
  negative: boolean;
  /** Integer part. */
  int: number;
  intDigits: number;
  /** The first six fraction digits as an integer (more are dropped, as decimalToMicros drops them). */
  frac: number;
  fracKept: number;
  fracDigits: number;
  percent: boolean;
  /** ISO code of a currency written in the cell ("$", "₽", "RUB"), if any. */
  currency: string | null;
}

export const newScanned = (): Scanned => ({
  empty: false,
  negative: false,
  int: 0,
  intDigits: 0,
  frac: 0,
  fracKept: 0,
  fracDigits: 0,
  percent: false,
  currency: null,
});

const isSpace = (c: number) => c === 32 || c === 9 || c === 0xa0 || c === 0x202f || c === 0x2009;
const isDash = (c: number) => c === 45 || c === 0x2212 || c === 0x2013 || c === 0x2014;
const POW10 = [1, 10, 100, 1000, 10_000, 100_000, 1_000_000];

const CURRENCY_WORDS: Record<string, string> = {
  '₽': 'RUB',
  руб: 'RUB',
  р: 'RUB',
  rub: 'RUB',
  rur: 'RUB',
  $: 'USD',
  us$: 'USD',
  '€': 'EUR',
  '£': 'GBP',
  '₸': 'KZT',
  тенге: 'KZT',
  тг: 'KZT',
  '₴': 'UAH',
  грн: 'UAH',
  '₺': 'TRY',
  '¥': 'JPY',
  '₹': 'INR',
  'бел. руб': 'BYN',
};

/**
 * ISO 4217 code for a currency as exports write it: "RUB", "руб.", "₽", "$", "USD". Three capital
 * letters pass as a code; anything else unknown gives null.
 */
export function currencyFromText(text: string): string | null {
  const t = text.trim();
  if (/^[A-Z]{3}$/.test(t)) return t === 'RUR' ? 'RUB' : t;
  return CURRENCY_WORDS[t.toLowerCase().replace(/\.$/, '')] ?? null;
}

/**
 * Reads `raw` into `out`. Returns null when it is a number (or says nothing), else why it is not.
 * `mark` is the file's decimal mark; the other of "," and "." and spaces separate thousands.
 */
export function scanNumber(raw: string, mark: DecimalMark, out: Scanned): string | null {
  out.empty = out.negative = out.percent = false;
  out.int = out.intDigits = out.frac = out.fracKept = out.fracDigits = 0;
  out.currency = null;
  let i = 0;
  let end = raw.length;
  while (i < end && isSpace(raw.charCodeAt(i))) i++;
  while (end > i && isSpace(raw.charCodeAt(end - 1))) end--;
  if (end - i <= 2) {
    // "", "-", "--", "—": the platforms' way of writing "no value".
    let dashes = 0;
    for (let j = i; j < end; j++) if (isDash(raw.charCodeAt(j))) dashes++;
    if (dashes === end - i) {
      out.empty = true;
      return null;
    }
  }
  if (isDash(raw.charCodeAt(i))) {
    out.negative = true;
    i++;
  }
  const other = mark === COMMA ? DOT : COMMA;
  let seenMark = false;
  let group = -1; // digits since the last thousands separator; -1 before the first one
  let otherSeen = false;
  for (; i < end; i++) {
    const c = raw.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (!seenMark) {
        out.int = out.int * 10 + (c - 48);
        out.intDigits++;
        if (group >= 0) group++;
      } else {
        if (out.fracKept < 6) {
          out.frac = out.frac * 10 + (c - 48);
          out.fracKept++;
        }
        out.fracDigits++;
      }
    } else if (c === mark) {
      if (seenMark || (group >= 0 && group !== 3)) return 'is not a number';
      seenMark = true;
    } else if (c === other || isSpace(c) || c === 39) {
      // A thousands separator: after one to three digits, then between groups of three.
      if (seenMark || out.intDigits === 0 || (group < 0 ? out.intDigits > 3 : group !== 3)) {
        // "1 234,56 ₽": the space before a currency is no thousands separator.
        if (hasCurrency(raw)) return scanWithCurrency(raw, mark, out);
        return c === other
          ? `is not a number with "${String.fromCharCode(mark)}" as its decimal mark`
          : 'is not a number';
      }
      group = 0;
      if (c === other) otherSeen = true;
    } else if (c === 37 && i === end - 1 && out.intDigits + out.fracDigits > 0) {
      out.percent = true;
    } else return scanWithCurrency(raw, mark, out);
  }
  if (!seenMark && group >= 0 && group !== 3)
    return otherSeen
      ? `is not a number with "${String.fromCharCode(mark)}" as its decimal mark`
      : 'is not a number';
  if (out.intDigits + out.fracDigits === 0) return 'is not a number';
  if (out.intDigits > 15) return 'is too large';
  return null;
}

/** True when `raw` holds something besides digits, separators, signs and a percent: a currency, perhaps. */
function hasCurrency(raw: string): boolean {
  for (let j = 0; j < raw.length; j++) {
    const c = raw.charCodeAt(j);
    if (!(
      (c >= 48 && c <= 57) ||
      c === COMMA ||
      c === DOT ||
      c === 39 ||
      c === 37 ||
      isSpace(c) ||
      isDash(c)
    ))
      return true;
  }
  return false;
}

/** The slow path: a currency sign or code before or after the digits ("$1,234.00", "1 234,56 руб."). */
function scanWithCurrency(raw: string, mark: DecimalMark, out: Scanned): string | null {
  const t = raw.trim();
  let first = -1;
  let last = -1;
  for (let j = 0; j < t.length; j++) {
    const c = t.charCodeAt(j);
    if (c >= 48 && c <= 57) {
      if (first < 0) first = j;
      last = j;
    }
  }
  if (first < 0) return 'is not a number';
  let head = t.slice(0, first);
  let tail = t.slice(last + 1);
  let sign = '';
  // "-$5.00", "$-5.00": the minus goes with the digits, wherever the sign sits.
  const minus = /^\s*[-−]|[-−]\s*$/;
  if (minus.test(head)) {
    sign = '-';
    head = head.replace(/[-−]/, '');
  }
  // A decimal mark or percent right after the last digit belongs to the number.
  const m = /^([.,]?%?)(.*)$/.exec(tail)!;
  const body = t.slice(first, last + 1) + m[1]!;
  tail = m[2]!;
  const codes = [head, tail].map((s) => s.trim()).filter((s) => s !== '');
  if (codes.length !== 1) return 'is not a number';
  const currency = currencyFromText(codes[0]!);
  if (!currency) return 'is not a number';
  const problem = scanNumber(sign + body, mark, out);
  if (problem || out.currency) return problem ?? 'is not a number';
  out.currency = currency;
  return null;
}

/**
 * What one cell says about the file's decimal mark: COMMA or DOT, or 0 when it cannot tell ("1,234"
 * is a thousand in a US file and one and a bit in a Russian one).
 */
export function decimalMarkOf(raw: string): DecimalMark | 0 {
  let commas = 0;
  let dots = 0;
  let lastSep = -1;
  for (let j = 0; j < raw.length; j++) {
    const c = raw.charCodeAt(j);
    if (c === COMMA) commas++;
    else if (c === DOT) dots++;
    else continue;
    lastSep = j;
  }
  if (lastSep < 0) return 0;
  const sep = raw.charCodeAt(lastSep) as DecimalMark;
  if (commas > 0 && dots > 0) return sep;
  if (commas + dots > 1) return sep === COMMA ? DOT : COMMA;
  let after = 0;
  for (let j = lastSep + 1; j < raw.length; j++) {
    const c = raw.charCodeAt(j);
    if (c < 48 || c > 57) break;
    after++;
  }
  let before = 0;
  for (let j = lastSep - 1; j >= 0; j--) {
    const c = raw.charCodeAt(j);
    if (c < 48 || c > 57) break;
    before++;
  }
  if (after !== 3 || before > 3 || before === 0) return sep;
  // "0,123" has no thousands to separate.
  if (before === 1 && raw.charCodeAt(lastSep - 1) === 48) return sep;
  return 0;
}

/** Micros of a scanned amount, exactly: integer arithmetic on the digits, never a float product. */
export function scannedMicros(s: Scanned): number {
  const micros = s.int * 1_000_000 + s.frac * POW10[6 - s.fracKept]!;
  return s.negative ? -micros : micros;
}

/** A scanned quantity as a number (conversions may be fractional under data-driven attribution). */
export function scannedValue(s: Scanned): number {
  const v = s.int + s.frac / POW10[s.fracKept]!;
  return s.negative ? -v : v;
}

/** Largest whole amount whose micros stay exact in a double (2^53 ≈ 9.007e15). */
export const MAX_MONEY_UNITS = 9_000_000_000;
