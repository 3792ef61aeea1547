// Reads a backlink inventory from a file (our own CSV, or an Ahrefs, Semrush or Sape export) and checks every row; no I/O.

import { normalizeUrl } from '../crawl/url.ts';
import { decodeText, detectDelimiter, parseCsv, type CsvDelimiter, type CsvRow } from '../util/csv.ts';
import { messages, type Messages } from '../i18n/index.ts';
import { parseDate, type InputWhy } from './dates.ts';
import { mergeToolStates, readToolState, type BacklinkTool, type ToolState } from './tool-state.ts';
import { BACKLINK_KINDS, type BacklinkInput, type BacklinkKind } from './types.ts';

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

/** Our own columns, which are also the field names validateBacklinkInput() reads. */
export const PROMOWATCH_COLUMNS = [
  'donor_url',
  'target',
  'anchor',
  'kind',
  'vendor',
  'price',
  'currency',
  'billing',
  'bought_on',
  'paid_until',
  'tags',
  'notes',
  'brand',
] as const;
export type BacklinkField = (typeof PROMOWATCH_COLUMNS)[number];

export interface ValidateOptions {
  defaultCurrency?: string;
  today: string;
  /** What to call a field in messages when the file names it otherwise ("Referring page URL"). */
  labels?: Partial<Record<BacklinkField, string>>;
  /** The words of the messages: English unless given (the dashboard gives the reader's). */
  say?: InputWords;
  /** How a day is written in messages; YYYY-MM-DD unless given. */
  day?: (isoDay: string) => string;
}

export type InputWords = Messages['backlinks']['input'];
const EN_INPUT: InputWords = messages('en').backlinks.input;

/** Identity of a link for duplicate detection: the normalised donor URL and the target, lower-cased. */
export function backlinkKey(donorUrl: string, target: string): string {
  const donor = normalizeUrl(donorUrl);
  const to = target.includes('://') ? normalizeUrl(target) : { ok: false as const };
  return `${donor.ok ? donor.url : donorUrl.trim()}\n${(to.ok ? to.url : target.trim()).toLowerCase()}`;
}

// --- Field rules ---------------------------------------------------------------------------------

const KIND_ALIASES: Record<string, BacklinkKind> = { link: 'bought' };
const BILLING: Record<string, 'one-off' | 'monthly'> = {
  'one-off': 'one-off',
  'one off': 'one-off',
  once: 'one-off',
  разово: 'one-off',
  monthly: 'monthly',
  month: 'monthly',
  ежемесячно: 'monthly',
};
const SYMBOL_CURRENCY: Record<string, string> = { '₽': 'RUB', $: 'USD', '€': 'EUR', '£': 'GBP' };
// RUR is the pre-1998 rouble code that Russian services (Sape, old Yandex APIs) still print.
const CURRENCY_ALIASES: Record<string, string> = {
  ...SYMBOL_CURRENCY,
  RUR: 'RUB',
  РУБ: 'RUB',
  'РУБ.': 'RUB',
};
const ISO_CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

function parseTarget(s: string): { target: string; targetKind: 'url' | 'domain' } | null {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(s)) {
    const n = normalizeUrl(s);
    return n.ok ? { target: n.url, targetKind: 'url' } : null;
  }
  const bare = s.replace(/\/$/, '');
  if (/[/\\\s?#@:]/.test(bare)) return null;
  let host: string;
  try {
    host = new URL(`http://${bare}`).hostname; // lower-cases, IDN to punycode
  } catch {
    return null;
  }
  const label = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
  return new RegExp(`^(?:${label}\\.)+[a-z0-9-]{2,63}$`).test(host)
    ? { target: host, targetKind: 'domain' }
    : null;
}

function parseKind(s: string): BacklinkKind | null {
  const k = s.toLowerCase().replace(/[\s_]+/g, '-');
  return (BACKLINK_KINDS as readonly string[]).includes(k) ? (k as BacklinkKind) : (KIND_ALIASES[k] ?? null);
}

function parseCurrency(s: string): string | null {
  const up = s.trim().toUpperCase();
  const code = CURRENCY_ALIASES[up] ?? up;
  return /^[A-Z]{3}$/.test(code) && ISO_CURRENCIES.has(code) ? code : null;
}

/** "1 500,50 ₽" → 1500.5 RUB in micros; a string says why it is not a price. */
function parsePrice(s: string, why: InputWhy): { micros: number; currency: string | null } | string {
  if (/^\s*[-−]/.test(s)) return why.negative;
  const symbols = s.match(/[₽$€£]/gu) ?? [];
  let rest = s;
  let currency: string | null = null;
  if (symbols.length === 1) {
    const m = /^\s*[₽$€£]\s*(.*?)\s*$/u.exec(s) ?? /^\s*(.*?)\s*[₽$€£]\s*$/u.exec(s);
    if (!m) return why.notAmount;
    rest = m[1]!;
    currency = SYMBOL_CURRENCY[symbols[0]!]!;
  }
  const grouped = /^\d{1,3}(?:[ \u00A0\u202F]\d{3})+(?:[.,]\d+)?$/.test(rest);
  if (!grouped && !/^\d+(?:[.,]\d+)?$/.test(rest)) return why.notAmount;
  const plain = rest.replace(/[ \u00A0\u202F]/g, '').replace(',', '.');
  // "1,500" and "1.500" read as 1500 in some locales and 1.5 in others: refuse to guess with money.
  const ambiguous = !grouped && /^(\d{1,3})[.,](\d{3})$/.exec(rest);
  if (ambiguous) {
    const decimals = String(Number(plain));
    const asDecimals = /\.\d{3}$/.test(decimals) ? `${decimals}0` : decimals;
    return why.ambiguous(`${ambiguous[1]}${ambiguous[2]}`, asDecimals);
  }
  const micros = Math.round(Number(plain) * 1e6);
  if (!Number.isSafeInteger(micros)) return why.tooLarge;
  return { micros, currency };
}

/**
 * Checks one link as a person typed it (a file row, `links add`, the web form) and turns it into a
 * BacklinkInput. Every message starts with `where` and names the field and the value it refused.
 */
export function validateBacklinkInput(
  raw: Record<string, string | undefined>,
  where: string,
  opts: ValidateOptions,
): { input: BacklinkInput } | { errors: string[] } {
  const errors: string[] = [];
  const say = opts.say ?? EN_INPUT;
  const why = say.why;
  const day = opts.day ?? ((d: string) => d);
  const name = (f: BacklinkField) => opts.labels?.[f] ?? f;
  const bad = (f: BacklinkField, value: string, reason: string) =>
    errors.push(say.refused(where, name(f), value.slice(0, 200), reason));
  const val = (f: BacklinkField) => raw[f]?.trim() || undefined;

  let donorUrl = '';
  const donorRaw = val('donor_url');
  if (donorRaw === undefined) errors.push(say.missing(where, name('donor_url')));
  else {
    const n = normalizeUrl(donorRaw);
    if (n.ok) donorUrl = n.url;
    else bad('donor_url', donorRaw, why.notUrl);
  }

  let target: { target: string; targetKind: 'url' | 'domain' } | null = null;
  const targetRaw = val('target');
  if (targetRaw === undefined) errors.push(say.targetMissing(where, name('target')));
  else if (!(target = parseTarget(targetRaw))) bad('target', targetRaw, why.notTarget);

  let kind: BacklinkKind = 'bought';
  const kindRaw = val('kind');
  if (kindRaw !== undefined) {
    const k = parseKind(kindRaw);
    if (k) kind = k;
    else bad('kind', kindRaw, why.notKind(BACKLINK_KINDS.join(', ')));
  }

  let priceMicros: number | null = null;
  let priceCurrency: string | null = null;
  const priceRaw = val('price');
  if (priceRaw !== undefined) {
    const p = parsePrice(priceRaw, why);
    if (typeof p === 'string') bad('price', priceRaw, p);
    else ({ micros: priceMicros, currency: priceCurrency } = p);
  }

  let currency: string | null = null;
  const currencyRaw = val('currency');
  if (currencyRaw !== undefined) {
    currency = parseCurrency(currencyRaw);
    if (!currency) bad('currency', currencyRaw, why.notCurrency);
    else if (priceCurrency && priceCurrency !== currency)
      bad('price', priceRaw!, why.otherCurrency(priceCurrency, name('currency'), currency));
  } else if (priceCurrency) currency = priceCurrency;
  else if (priceMicros !== null) {
    if (opts.defaultCurrency === undefined) bad('price', priceRaw!, why.noCurrency(name('currency')));
    else if (!(currency = parseCurrency(opts.defaultCurrency)))
      errors.push(say.defaultCurrency(where, opts.defaultCurrency));
  }

  let billing: 'one-off' | 'monthly' = 'one-off';
  const billingRaw = val('billing');
  if (billingRaw !== undefined) {
    const b = BILLING[billingRaw.toLowerCase().replace(/\s+/g, ' ')];
    if (b) billing = b;
    else bad('billing', billingRaw, why.notBilling);
  }

  const date = (f: 'bought_on' | 'paid_until'): string | null => {
    const s = val(f);
    if (s === undefined) return null;
    const d = parseDate(s, why);
    if (typeof d === 'string') bad(f, s, d);
    return typeof d === 'string' ? null : d.day;
  };
  const boughtOn = date('bought_on');
  const paidUntil = date('paid_until');
  if (boughtOn && boughtOn > opts.today) bad('bought_on', val('bought_on')!, why.future(day(opts.today)));
  if (boughtOn && paidUntil && paidUntil < boughtOn)
    bad('paid_until', val('paid_until')!, why.beforeBought(name('bought_on'), val('bought_on')!));

  const tags = [...new Set((val('tags') ?? '').split(/[;|]/).map((t) => t.trim()))].filter(Boolean);

  if (errors.length || !target) return { errors };
  return {
    input: {
      donorUrl,
      ...target,
      expectedAnchor: val('anchor') ?? null,
      kind,
      vendor: val('vendor') ?? null,
      priceMicros,
      currency,
      billing,
      boughtOn,
      paidUntil,
      tags,
      notes: val('notes') ?? null,
      brand: val('brand') ?? null,
    },
  };
}

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
