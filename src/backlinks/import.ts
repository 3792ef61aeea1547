// Reads a backlink inventory from a file (our own CSV, or an Ahrefs, Semrush or Sape export) and checks every row; no I/O.

import { decodeText, detectDelimiter, parseCsv, type CsvDelimiter, type CsvRow } from '../util/csv.ts';
import { mergeToolStates, readToolState, type BacklinkTool, type ToolState } from './tool-state.ts';
import { backlinkKey, PROMOWATCH_COLUMNS, validateBacklinkInput, type BacklinkField } from './input.ts';
import type { BacklinkInput } from './types.ts';

export type ImportFormat = 'promowatch' | 'ahrefs' | 'semrush' | 'sape';

export interface ImportResult {
  /** The format recognised; 'promowatch' when none was (then `errors` says so). */
  format: ImportFormat;
  rows: { line: number; input: BacklinkInput }[];
  /** Every problem, each starting "line N:". The caller refuses the whole file when there is any. */
  errors: string[];
  /** Rows left out because the link is already known; not errors. */
  duplicates: { line: number; donorUrl: string; target: string; reason: string }[];
  /**
   * What an Ahrefs or Semrush export says of each link in it, new or already known (a re-import updates
   * it): one per link, at the line it first appears on. Empty for our own format and Sape.
   */
  toolStates: { line: number; donorUrl: string; target: string; state: ToolState }[];
}

export interface ImportOptions {
  defaultTarget?: string;
  defaultCurrency?: string;
  /** backlinkKey() of every link already in the inventory. */
  existing: Set<string>;
  /** YYYY-MM-DD */
  today: string;
}

// Row checks live in input.ts; re-exported so the importer stays the one place callers take them from.
export {
  backlinkKey,
  PROMOWATCH_COLUMNS,
  validateBacklinkInput,
  type BacklinkField,
  type InputWords,
  type ValidateOptions,
} from './input.ts';

// --- Formats -------------------------------------------------------------------------------------

interface FormatReader {
  format: ImportFormat;
  /** How the unknown-format message names the columns looked for. */
  expects: string;
  /** Header cells are trimmed and lower-cased. */
  matches(columns: string[]): boolean;
  /** Problems with the file as a whole (given the header line), before any row is read. */
  check(columns: string[], opts: ImportOptions, headerLine: number): string[];
  /** One row as validateBacklinkInput() fields; `get` takes a lower-case column name. */
  toRaw(get: (column: string) => string | undefined, opts: ImportOptions): Record<string, string | undefined>;
  labels: Partial<Record<BacklinkField, string>>;
  /** Refuse rows with more non-empty cells than columns (an unquoted delimiter in our own format). */
  strictWidth: boolean;
  /** The backlink tool whose flags and lost state the rows carry, if any. */
  tool?: BacklinkTool;
}

const orDefault = (value: string | undefined, fallback: string | undefined) =>
  value?.trim() ? value : fallback;

/** Ahrefs and Semrush list links that exist, placed however; the owner can set the kind later. */
function toolExport(
  format: 'ahrefs' | 'semrush',
  donor: string,
  target: string,
  expects: string,
): FormatReader {
  return {
    format,
    expects,
    matches: (c) => c.includes(donor.toLowerCase()) && c.includes(target.toLowerCase()),
    check: () => [],
    toRaw: (get, opts) => ({
      donor_url: get(donor.toLowerCase()),
      target: orDefault(get(target.toLowerCase()), opts.defaultTarget),
      anchor: get('anchor'),
      kind: 'other',
    }),
    labels: { donor_url: donor, target, anchor: 'Anchor' },
    strictWidth: false,
    tool: format,
  };
}

const READERS: FormatReader[] = [
  {
    format: 'promowatch',
    expects: `donor_url (ours: ${PROMOWATCH_COLUMNS.join(',')})`,
    matches: (c) => c.includes('donor_url'),
    check: (columns, _opts, line) => [
      ...columns
        .filter((c) => c !== '' && !(PROMOWATCH_COLUMNS as readonly string[]).includes(c))
        .map(
          (c) =>
            `line ${line}: unknown column ${JSON.stringify(c)}; the columns are ${PROMOWATCH_COLUMNS.join(',')}`,
        ),
      ...columns
        .filter((c, i) => c !== '' && columns.indexOf(c) !== i)
        .map((c) => `line ${line}: column ${JSON.stringify(c)} appears twice`),
    ],
    toRaw: (get, opts) => ({
      ...Object.fromEntries(PROMOWATCH_COLUMNS.map((c) => [c, get(c)])),
      target: orDefault(get('target'), opts.defaultTarget),
    }),
    labels: {},
    strictWidth: true,
  },
  toolExport('ahrefs', 'Referring page URL', 'Target URL', '"Referring page URL" and "Target URL" (Ahrefs)'),
  toolExport('semrush', 'Source url', 'Target url', '"Source url" and "Target url" (Semrush)'),
  {
    format: 'sape',
    expects: 'site_url and page_uri (Sape)',
    matches: (c) => c.includes('site_url') && c.includes('page_uri'),
    check: (_columns, opts, line) =>
      opts.defaultTarget?.trim()
        ? []
        : [`line ${line}: a Sape export does not say which site its links point to: choose the target site`],
    toRaw: (get, opts) => ({
      donor_url: sapeDonorUrl(get('site_url') ?? '', get('page_uri') ?? ''),
      target: opts.defaultTarget,
      price: get('price'),
      currency: opts.defaultCurrency ?? 'RUB',
      kind: 'bought',
      vendor: 'Sape',
      billing: 'monthly',
      bought_on: get('date'),
      notes: get('notes'),
    }),
    labels: { donor_url: 'site_url + page_uri', bought_on: 'date' },
    strictWidth: false,
  },
];

/** Sape gives the site ("http://donor.example" or bare "donor.example") and the page path apart. */
function sapeDonorUrl(site: string, page: string): string {
  const s = site.trim().replace(/\/+$/, '');
  const p = page.trim();
  if (!s) return p;
  const base = /^[a-z][a-z0-9+.-]*:\/\//i.test(s) ? s : `http://${s}`;
  return `${base}${p === '' || p.startsWith('/') ? p : `/${p}`}`;
}

const headerCell = (c: string) =>
  c
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase()
    .replace(/\s+/g, ' ');

function unknownFormat(firstLines: string[], delimiter: CsvDelimiter): string {
  const first = firstLines.find((l) => l.trim() !== '') ?? '';
  let cells: string[] = [];
  try {
    cells = parseCsv(first, delimiter)[0]?.cells ?? [];
  } catch {
    cells = [first];
  }
  const found = cells.slice(0, 8).map((c) => JSON.stringify(c.trim().slice(0, 40)));
  return (
    `line 1: not a backlink file this importer knows: expected a header row within the first 5 lines with ` +
    `${READERS.map((r) => r.expects).join(', or ')}; found ${found.length ? found.join(', ') : 'nothing'}` +
    (cells.length > 8 ? ', …' : '')
  );
}

/**
 * Reads an inventory file: recognises the format by its header row (within the first 5 lines, since
 * some exports put a title first), validates every row and sets aside links already known.
 */
export function parseBacklinkImport(bytes: Uint8Array, opts: ImportOptions): ImportResult {
  const fail = (format: ImportFormat, errors: string[]): ImportResult => ({
    format,
    rows: [],
    errors,
    duplicates: [],
    toolStates: [],
  });
  let text: string;
  try {
    text = decodeText(bytes);
  } catch (e) {
    return fail('promowatch', [(e as Error).message]);
  }
  const firstLines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/, 5);
  const delimiter = detectDelimiter(firstLines.join('\n'));
  let header: { line: number; columns: string[]; reader: FormatReader } | undefined;
  for (const [i, line] of firstLines.entries()) {
    let cells: string[];
    try {
      cells = parseCsv(line, delimiter)[0]?.cells ?? [];
    } catch {
      continue; // a title line with a stray quote
    }
    const columns = cells.map(headerCell);
    const reader = READERS.find((r) => r.matches(columns));
    if (reader) {
      header = { line: i + 1, columns, reader };
      break;
    }
  }
  if (!header) return fail('promowatch', [unknownFormat(firstLines, delimiter)]);
  const { reader, columns } = header;

  let records: CsvRow[];
  try {
    records = parseCsv(text, delimiter);
  } catch (e) {
    return fail(reader.format, [(e as Error).message]);
  }
  const fileErrors = reader.check(columns, opts, header.line);
  if (fileErrors.length) return fail(reader.format, fileErrors);

  const result: ImportResult = {
    format: reader.format,
    rows: [],
    errors: [],
    duplicates: [],
    toolStates: [],
  };
  const firstSeen = new Map<string, number>();
  const toolStates = new Map<string, ImportResult['toolStates'][number]>();
  const delimiterName = delimiter === '\t' ? 'a tab' : `"${delimiter}"`;
  for (const { line, cells } of records) {
    if (line <= header.line || cells.every((c) => c.trim() === '')) continue;
    if (reader.strictWidth && cells.slice(columns.length).some((c) => c.trim() !== '')) {
      result.errors.push(
        `line ${line}: ${cells.length} cells but the header has ${columns.length} columns; ` +
          `put a field that contains ${delimiterName} in double quotes`,
      );
      continue;
    }
    const get = (column: string) => {
      const i = columns.indexOf(column);
      return i < 0 ? undefined : cells[i];
    };
    const checked = validateBacklinkInput(reader.toRaw(get, opts), `line ${line}`, {
      defaultCurrency: opts.defaultCurrency,
      today: opts.today,
      labels: reader.labels,
    });
    const said = reader.tool ? readToolState(reader.tool, get, `line ${line}`) : null;
    if ('errors' in checked || (said && 'errors' in said)) {
      if ('errors' in checked) result.errors.push(...checked.errors);
      if (said && 'errors' in said) result.errors.push(...said.errors);
      continue;
    }
    const { donorUrl, target } = checked.input;
    const key = backlinkKey(donorUrl, target);
    if (said) {
      const known = toolStates.get(key);
      if (known) known.state = mergeToolStates(known.state, said.state);
      else toolStates.set(key, { line, donorUrl, target, state: said.state });
    }
    const first = firstSeen.get(key);
    const reason = opts.existing.has(key)
      ? 'already in the inventory'
      : first !== undefined
        ? `repeated in the file (first on line ${first})`
        : null;
    if (reason) result.duplicates.push({ line, donorUrl, target, reason });
    else result.rows.push({ line, input: checked.input });
    if (first === undefined) firstSeen.set(key, line);
  }
  result.toolStates = [...toolStates.values()];
  return result;
}
