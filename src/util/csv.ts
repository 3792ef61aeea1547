// Reads exported spreadsheets: bytes to text (UTF-8 or UTF-16 as Excel and SEO tools write them), then CSV records.
// The record grammar follows RFC 4180 (https://www.rfc-editor.org/rfc/rfc4180), leniently where Excel is.

export type CsvDelimiter = ',' | ';' | '\t';

export interface CsvRow {
  /** 1-based physical line where the record starts (a quoted field may carry it over several lines). */
  line: number;
  cells: string[];
}

const NOT_TEXT = 'file is not valid UTF-8 or UTF-16';

function decodeStrict(encoding: 'utf-8' | 'utf-16le', bytes: Uint8Array): string {
  try {
    return new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new Error(NOT_TEXT);
  }
}

/**
 * UTF-16LE without a BOM: text files have no NULs, but every ASCII character of UTF-16LE has one in
 * the odd byte. A tenth of the pairs is enough, so Cyrillic-heavy rows after an ASCII header still count.
 */
function looksLikeUtf16le(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 4096) & ~1;
  if (n < 2) return false;
  let oddNul = 0;
  let evenNul = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenNul++;
    if (bytes[i + 1] === 0) oddNul++;
  }
  return oddNul * 10 >= n / 2 && evenNul * 4 < oddNul;
}

/**
 * Decodes an exported file. A BOM decides (UTF-8, UTF-16LE as Google Ads "CSV (Excel)" and Ahrefs write,
 * UTF-16BE); without one, NULs in odd positions mean UTF-16LE; anything else must be valid UTF-8.
 * https://encoding.spec.whatwg.org/#decode
 */
export function decodeText(bytes: Uint8Array): string {
  const [b0, b1, b2] = bytes;
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) return decodeStrict('utf-8', bytes.subarray(3));
  if (b0 === 0xff && b1 === 0xfe) return decodeStrict('utf-16le', bytes.subarray(2));
  if (b0 === 0xfe && b1 === 0xff) {
    // Swapped into little-endian rather than asking for 'utf-16be', which small-ICU Node builds lack.
    const body = bytes.subarray(2);
    const swapped = new Uint8Array(body.length);
    for (let i = 0; i + 1 < body.length; i += 2) {
      swapped[i] = body[i + 1]!;
      swapped[i + 1] = body[i]!;
    }
    if (body.length % 2 === 1) throw new Error(NOT_TEXT);
    return decodeStrict('utf-16le', swapped);
  }
  if (looksLikeUtf16le(bytes)) return decodeStrict('utf-16le', bytes);
  return decodeStrict('utf-8', bytes);
}

const DELIMITERS: readonly CsvDelimiter[] = [',', ';', '\t'];

/**
 * The delimiter that splits the most records (header and first rows) into the same number of cells,
 * like Python's csv.Sniffer: decimal commas in a few cells and a title line do not outvote it.
 * Delimiters inside quotes do not count. Ties go to more cells, then to the comma.
 */
export function detectDelimiter(firstLines: string): CsvDelimiter {
  const perRecord: Record<CsvDelimiter, number>[] = [];
  let counts = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const ch of `${firstLines}\n`) {
    if (ch === '"') quoted = !quoted;
    else if (quoted) continue;
    else if (ch === ',' || ch === ';' || ch === '\t') counts[ch]++;
    else if (ch === '\n' || ch === '\r') {
      perRecord.push(counts);
      counts = { ',': 0, ';': 0, '\t': 0 };
    }
  }
  let winner: CsvDelimiter = ',';
  let best = { records: 0, count: 0 };
  for (const d of DELIMITERS) {
    const records = new Map<number, number>();
    for (const c of perRecord) if (c[d] > 0) records.set(c[d], (records.get(c[d]) ?? 0) + 1);
    for (const [count, n] of records) {
      if (n > best.records || (n === best.records && count > best.count)) {
        winner = d;
        best = { records: n, count };
      }
    }
  }
  return winner;
}

/**
 * Splits CSV text into records. Quoted fields may hold the delimiter, doubled quotes and line breaks
 * (CRLF inside a field becomes LF); records end at CRLF, LF or CR. Empty lines are skipped. Text
 * after a closing quote is kept, as Excel does. Throws `line N: unterminated quoted field`, N being
 * the line where the quote opened.
 */
export function parseCsv(text: string, delimiter?: CsvDelimiter): CsvRow[] {
  if (text.startsWith('\uFEFF')) text = text.slice(1);
  const delim = (delimiter ?? detectDelimiter(text.split(/\r\n|\n|\r/, 5).join('\n'))).charCodeAt(0);
  const rows: CsvRow[] = [];
  const QUOTE = 34;
  const LF = 10;
  const CR = 13;
  let line = 1;
  let i = 0;
  const n = text.length;

  /** Steps over a line break at `i` if there is one, counting it. */
  const lineBreak = (): boolean => {
    const c = text.charCodeAt(i);
    if (c === CR) i += text.charCodeAt(i + 1) === LF ? 2 : 1;
    else if (c === LF) i += 1;
    else return false;
    line++;
    return true;
  };

  // A line without a quote is split natively (most lines of an export); a line with one goes through
  // the character loop below, which handles quoted delimiters and line breaks. Positions of the next
  // CR and LF are remembered, so finding each line's end does not rescan the text.
  const delimChar = String.fromCharCode(delim);
  let nextLf = text.indexOf('\n');
  let nextCr = text.indexOf('\r');
  let nextQuote = text.indexOf('"');
  while (i < n) {
    const start = line;
    if (lineBreak()) continue; // an empty line is no record
    if (nextLf !== -1 && nextLf < i) nextLf = text.indexOf('\n', i);
    if (nextCr !== -1 && nextCr < i) nextCr = text.indexOf('\r', i);
    const end =
      nextLf === -1 ? (nextCr === -1 ? n : nextCr) : nextCr === -1 ? nextLf : Math.min(nextLf, nextCr);
    if (nextQuote !== -1 && nextQuote < i) nextQuote = text.indexOf('"', i);
    if (nextQuote === -1 || nextQuote > end) {
      rows.push({ line: start, cells: text.slice(i, end).split(delimChar) });
      i = end;
      lineBreak();
      continue;
    }
    const cells: string[] = [];
    for (;;) {
      let cell = '';
      if (text.charCodeAt(i) === QUOTE) {
        const openedOn = line;
        i++;
        let runStart = i;
        for (;;) {
          if (i >= n) throw new Error(`line ${openedOn}: unterminated quoted field`);
          const ch = text.charCodeAt(i);
          if (ch === QUOTE) {
            cell += text.slice(runStart, i);
            if (text.charCodeAt(i + 1) === QUOTE) {
              cell += '"';
              i += 2;
              runStart = i;
            } else {
              i++;
              break;
            }
          } else if (ch === CR || ch === LF) {
            cell += text.slice(runStart, i);
            lineBreak();
            cell += '\n';
            runStart = i;
          } else i++;
        }
      }
      // Unquoted text, or whatever follows a closing quote, up to the delimiter or the end of the line.
      const runStart = i;
      for (;;) {
        if (i >= n) break;
        const c = text.charCodeAt(i);
        if (c === delim || c === LF || c === CR) break;
        i++;
      }
      cells.push(runStart === i ? cell : cell + text.slice(runStart, i));
      if (i < n && text.charCodeAt(i) === delim) {
        i++;
        continue;
      }
      lineBreak();
      break;
    }
    rows.push({ line: start, cells });
  }
  return rows;
}
