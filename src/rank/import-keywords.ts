// Reads a keyword list from a spreadsheet (CSV/TSV, UTF-8 or UTF-16) and checks every row; no I/O.

import { normalizeUrl } from '../crawl/url.ts';
import { decodeText, parseCsv, type CsvRow } from '../util/csv.ts';
import { messages, type Messages } from '../i18n/index.ts';
import { LANGUAGE, readRegionKey, regionKey } from './region-key.ts';
import { DEVICES, ENGINES, type Device, type Engine, type KeywordInput, type Region } from './types.ts';

export type KeywordField =
  'query' | 'engine' | 'device' | 'gl' | 'hl' | 'location' | 'lr' | 'targetUrl' | 'volume' | 'tags';

/** A keyword as a person typed it: a file row, CLI flags, a web form. */
export type KeywordFields = Partial<
  Record<KeywordField, string | number | readonly string[] | null | undefined>
>;

export interface KeywordImport {
  rows: (KeywordInput & { line: number })[];
  errors: { line: number; message: string }[];
  /** Rows that repeat an earlier row's (query, engine, region, device); they are in `rows` too. */
  duplicates: { line: number; firstLine: number; query: string }[];
}

export const MAX_QUERY_LENGTH = 200;

/** Header names we recognise, compared after headerKey(). */
export const KEYWORD_COLUMNS: Record<KeywordField, readonly string[]> = {
  query: [
    'keyword',
    'keywords',
    'query',
    'ключевое слово',
    'ключевые слова',
    'ключевая фраза',
    'запрос',
    'фраза',
  ],
  engine: ['engine', 'search engine', 'поисковая система', 'поисковик', 'пс'],
  device: ['device', 'устройство'],
  gl: ['country', 'gl', 'страна'],
  hl: ['language', 'hl', 'язык'],
  location: ['location', 'локация', 'местоположение'],
  lr: ['lr', 'region id', 'регион', 'region', 'yandex region'],
  targetUrl: ['target url', 'url', 'landing page', 'целевая страница', 'целевой url'],
  volume: ['volume', 'search volume', 'частотность', 'частота'],
  tags: ['tags', 'tag', 'теги', 'метки'],
};

/** The words of keyword problems: English for the CLI and files, the visitor's language in the dashboard. */
export type KeywordProblemWords = Messages['rankings']['problems'];

// Region keys live in region-key.ts; re-exported so callers keep one import path.
export { parseRegionKey, regionKey } from './region-key.ts';

const ENGLISH: KeywordProblemWords = messages('en').rankings.problems;

const ENGINE_ALIASES: Record<string, Engine> = {
  google: 'google',
  'google.ru': 'google',
  'google.com': 'google',
  гугл: 'google',
  yandex: 'yandex',
  'yandex.ru': 'yandex',
  яндекс: 'yandex',
  bing: 'bing',
  бинг: 'bing',
};

const DEVICE_ALIASES: Record<string, Device> = {
  desktop: 'desktop',
  pc: 'desktop',
  computer: 'desktop',
  десктоп: 'desktop',
  компьютер: 'desktop',
  пк: 'desktop',
  mobile: 'mobile',
  smartphone: 'mobile',
  phone: 'mobile',
  мобильные: 'mobile',
  мобильный: 'mobile',
  мобильная: 'mobile',
  смартфон: 'mobile',
};

/**
 * Yandex region ids (`lr`) of the largest Russian cities, so a file may say "Москва" instead of 213.
 * https://yandex.cloud/en/docs/search-api/reference/regions
 */
const YANDEX_REGIONS: readonly [number, ...string[]][] = [
  [225, 'россия', 'russia'],
  [213, 'москва', 'moscow'],
  [2, 'санкт-петербург', 'санкт петербург', 'спб', 'saint petersburg', 'st. petersburg', 'st petersburg'],
  [54, 'екатеринбург', 'yekaterinburg', 'ekaterinburg'],
  [65, 'новосибирск', 'novosibirsk'],
  [43, 'казань', 'kazan'],
  [47, 'нижний новгород', 'nizhny novgorod'],
  [56, 'челябинск', 'chelyabinsk'],
  [51, 'самара', 'samara'],
  [39, 'ростов-на-дону', 'rostov-on-don'],
  [172, 'уфа', 'ufa'],
  [35, 'краснодар', 'krasnodar'],
  [62, 'красноярск', 'krasnoyarsk'],
  [66, 'омск', 'omsk'],
  [50, 'пермь', 'perm'],
  [193, 'воронеж', 'voronezh'],
  [38, 'волгоград', 'volgograd'],
];
const YANDEX_REGION_BY_NAME = new Map(
  YANDEX_REGIONS.flatMap(([id, ...names]) => names.map((n) => [n, id] as const)),
);

// --- Field rules ---------------------------------------------------------------------------------

const text = (v: unknown): string | undefined => {
  if (v === null || v === undefined) return undefined;
  const s = (Array.isArray(v) ? v.join(',') : String(v)).normalize('NFC').replace(/\s+/g, ' ').trim();
  return s === '' ? undefined : s;
};
/** Trimmed, NFC-normalised, inner whitespace collapsed; undefined when nothing is left. */
export function normalizeQuery(s: string): string | undefined {
  return text(s);
}
export const parseEngine = (s: string): Engine | undefined => ENGINE_ALIASES[key(s)];
export const parseDevice = (s: string): Device | undefined => DEVICE_ALIASES[key(s)];

/** A typed value as messages quote it: at most 100 characters. */
const clip = (s: string) => {
  const chars = [...s];
  return chars.length > 100 ? `${chars.slice(0, 100).join('')}…` : s;
};
const key = (s: string) => s.toLowerCase().replace(/\s+/g, ' ').trim();

/** "1 200", "1,200", "1.200" and "1200" are 1200; otherwise why it is not a whole number. */
function parseVolume(s: string): number | 'not-number' | 'too-large' {
  const grouped = /^\d{1,3}(?:([ \u00A0\u202F,.])\d{3})(?:\1\d{3})*$/.test(s);
  if (!grouped && !/^\d+$/.test(s)) return 'not-number';
  const n = Number(s.replace(/[ \u00A0\u202F,.]/g, ''));
  return Number.isSafeInteger(n) ? n : 'too-large';
}

function parseLr(s: string): number | 'not-id' | 'unknown' {
  if (/^\d+$/.test(s)) return Number(s) > 0 && Number(s) < 1e9 ? Number(s) : 'not-id';
  const id = YANDEX_REGION_BY_NAME.get(
    key(s)
      .replace(/^г\.\s*/, '')
      .replace(/ё/g, 'е'),
  );
  return id ?? 'unknown';
}

function splitTags(v: unknown): string[] {
  const parts = Array.isArray(v) ? v.map(String) : v == null ? [] : String(v).split(/[;|,]/);
  const tags = parts.map((t) => text(t)).filter((t): t is string => t !== undefined);
  return [...new Set(tags)];
}

/**
 * Checks one keyword. `defaults` fill what the input leaves empty; region defaults apply only to the
 * engine they belong to (a default lr does not touch a Google row). Returns every problem found, in
 * the words of `say`.
 */
function checkKeyword(
  raw: KeywordFields,
  defaults: Partial<KeywordInput>,
  labels: Partial<Record<KeywordField, string>>,
  say: KeywordProblemWords = ENGLISH,
): { input: KeywordInput } | { problems: string[] } {
  const problems: string[] = [];
  const name = (f: KeywordField) => labels[f] ?? say.fields[f];
  const given = (f: KeywordField) => text(raw[f]);

  const query = given('query');
  if (query === undefined) problems.push(say.empty(name('query')));
  else if ([...query].length > MAX_QUERY_LENGTH)
    problems.push(say.tooLong(name('query'), clip(query), [...query].length, MAX_QUERY_LENGTH));

  let engine: Engine | undefined;
  const engineRaw = given('engine') ?? text(defaults.engine);
  if (engineRaw === undefined) problems.push(say.engineMissing(name('engine')));
  else if (!(engine = ENGINE_ALIASES[key(engineRaw)]))
    problems.push(say.notOneOf(name('engine'), clip(engineRaw), ENGINES.join(', ')));

  let device: Device = 'desktop';
  const deviceRaw = given('device') ?? text(defaults.device);
  if (deviceRaw !== undefined) {
    const d = DEVICE_ALIASES[key(deviceRaw)];
    if (d) device = d;
    else problems.push(say.notOneOf(name('device'), clip(deviceRaw), DEVICES.join(', ')));
  }

  // A region column may hold a whole key as regionKey() writes it ("gl=ru;hl=ru", "lr=213").
  const regionRaw = given('lr');
  if (regionRaw?.includes('=')) {
    const r = readRegionKey(regionRaw);
    if (typeof r === 'string') {
      const words = { shape: say.regionShape, lr: say.regionLr, gl: say.regionGl, hl: say.regionHl };
      problems.push(words[r](name('lr'), clip(regionRaw)));
      return { problems };
    }
    raw = {
      ...raw,
      lr: r.lr ?? undefined,
      gl: text(raw.gl) ?? r.gl,
      hl: text(raw.hl) ?? r.hl,
      location: text(raw.location) ?? r.location,
    };
  }

  const region: Region = { gl: null, hl: null, location: null, lr: null };
  if (engine === 'yandex') {
    const location = given('location');
    if (location !== undefined)
      problems.push(say.yandexLocation(name('location'), clip(location), name('lr')));
    const gl = given('gl');
    if (gl !== undefined) problems.push(say.yandexCountry(name('gl'), clip(gl), name('lr')));
    const lrRaw = given('lr') ?? text(defaults.lr);
    if (lrRaw === undefined) problems.push(say.lrMissing(name('lr')));
    else {
      const lr = parseLr(lrRaw);
      if (lr === 'not-id') problems.push(say.lrNotId(name('lr'), clip(lrRaw)));
      else if (lr === 'unknown') problems.push(say.lrUnknown(name('lr'), clip(lrRaw)));
      else region.lr = lr;
    }
  } else if (engine) {
    const label = engine === 'google' ? 'Google' : 'Bing';
    const lr = given('lr');
    if (lr !== undefined) problems.push(say.lrForCountry(name('lr'), clip(lr), label));
    const gl = given('gl') ?? text(defaults.gl);
    if (gl === undefined) problems.push(say.glMissing(name('gl'), label));
    else if (!/^[a-z]{2}$/i.test(gl)) problems.push(say.glBad(name('gl'), clip(gl)));
    else region.gl = gl.toLowerCase();
    const hl = given('hl') ?? text(defaults.hl);
    if (hl === undefined) problems.push(say.hlMissing(name('hl'), label));
    else if (!LANGUAGE.test(hl)) problems.push(say.hlBad(name('hl'), clip(hl)));
    else region.hl = hl.toLowerCase();
    const location = given('location') ?? text(defaults.location);
    region.location = location ?? null;
  }

  let targetUrl: string | null = null;
  const urlRaw = given('targetUrl') ?? text(defaults.targetUrl);
  if (urlRaw !== undefined) {
    const n = normalizeUrl(urlRaw);
    if (n.ok) targetUrl = n.url;
    else problems.push(say.urlBad(name('targetUrl'), clip(urlRaw)));
  }

  let volume: number | null = null;
  const volumeRaw = given('volume') ?? text(defaults.volume);
  if (volumeRaw !== undefined) {
    const v = parseVolume(volumeRaw);
    if (v === 'not-number') problems.push(say.volumeBad(name('volume'), clip(volumeRaw)));
    else if (v === 'too-large') problems.push(say.volumeTooLarge(name('volume'), clip(volumeRaw)));
    else volume = v;
  }

  const tags = splitTags(raw.tags ?? defaults.tags);

  if (problems.length > 0 || query === undefined || engine === undefined) return { problems };
  return { input: { query, engine, device, ...region, targetUrl, volume, tags } };
}

/**
 * Checks one keyword as a person typed it (CLI flags, the web form) and returns it ready to store, or a
 * message naming every problem.
 */
export function validateKeywordInput(
  raw: KeywordFields,
  opts: {
    defaults?: Partial<KeywordInput>;
    labels?: Partial<Record<KeywordField, string>>;
    /** The words of the problems (English unless the dashboard asks for the visitor's language). */
    say?: KeywordProblemWords;
  } = {},
): KeywordInput | string {
  const r = checkKeyword(raw, opts.defaults ?? {}, opts.labels ?? {}, opts.say);
  return 'input' in r ? r.input : r.problems.join('; ');
}

// --- Files ---------------------------------------------------------------------------------------

export const headerKey = (s: string) => s.trim().toLowerCase().replace(/[_-]+/g, ' ').replace(/\s+/g, ' ');

/** Which cell holds which field, by header name; a string says what is wrong with the header. */
function mapColumns(
  header: CsvRow,
): { columns: Map<KeywordField, number>; labels: Record<string, string> } | string {
  const columns = new Map<KeywordField, number>();
  const labels: Record<string, string> = {};
  for (const [i, cell] of header.cells.entries()) {
    const h = headerKey(cell);
    const field = (Object.keys(KEYWORD_COLUMNS) as KeywordField[]).find((f) =>
      KEYWORD_COLUMNS[f].includes(h),
    );
    if (!field) continue; // other tools' extra columns (position, competition…) are not ours to judge
    if (columns.has(field))
      return `columns "${labels[field]}" and "${cell.trim()}" both give the ${ENGLISH.fields[field]}: keep one`;
    columns.set(field, i);
    labels[field] = cell.trim();
  }
  if (!columns.has('query'))
    return `no keyword column: name one column "keyword" (or ${KEYWORD_COLUMNS.query
      .slice(1)
      .map((a) => `"${a}"`)
      .join(', ')})`;
  return { columns, labels };
}

/**
 * Reads a keyword file: a header row naming the columns (see KEYWORD_COLUMNS), then one keyword per
 * row. Every row is checked; errors carry the file's physical line and name the column as the file
 * does. Rows repeating an earlier row's query (case-insensitively), engine, region and device are
 * listed in `duplicates`.
 */
export function parseKeywordsCsv(bytes: Uint8Array, defaults: Partial<KeywordInput> = {}): KeywordImport {
  const out: KeywordImport = { rows: [], errors: [], duplicates: [] };
  let records: CsvRow[];
  try {
    records = parseCsv(decodeText(bytes));
  } catch (e) {
    const m = /^line (\d+): (.*)$/.exec((e as Error).message);
    out.errors.push({ line: m ? Number(m[1]) : 1, message: m ? m[2]! : (e as Error).message });
    return out;
  }
  const [header, ...body] = records;
  if (!header) {
    out.errors.push({
      line: 1,
      message: 'the file is empty: expected a header row such as "keyword,engine,country,language"',
    });
    return out;
  }
  const mapped = mapColumns(header);
  if (typeof mapped === 'string') {
    out.errors.push({ line: header.line, message: mapped });
    return out;
  }
  const { columns, labels } = mapped;
  const seen = new Map<string, number>();

  for (const row of body) {
    if (row.cells.every((c) => c.trim() === '')) continue;
    const extra = row.cells.slice(header.cells.length).filter((c) => c.trim() !== '');
    if (extra.length > 0) {
      out.errors.push({
        line: row.line,
        message: `has ${row.cells.length} cells but the header names ${header.cells.length} columns: quote values that contain the delimiter`,
      });
      continue;
    }
    const raw: KeywordFields = {};
    for (const [field, i] of columns) raw[field] = row.cells[i];
    const r = checkKeyword(raw, defaults, labels);
    if ('problems' in r) {
      for (const message of r.problems) out.errors.push({ line: row.line, message });
      continue;
    }
    out.rows.push({ ...r.input, line: row.line });
    const id = [
      r.input.query.toLowerCase(),
      r.input.engine,
      regionKey(r.input, r.input.engine),
      r.input.device,
    ].join('\n');
    const firstLine = seen.get(id);
    if (firstLine === undefined) seen.set(id, row.line);
    else out.duplicates.push({ line: row.line, firstLine, query: r.input.query });
  }
  return out;
}
