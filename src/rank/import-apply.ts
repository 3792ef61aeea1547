// Stores a positions file from another tracker: matches (or adds) its keywords and writes the observations
// as source "import", all in one transaction — a file with one bad line writes nothing.
import type { Sql } from '../db/store/types.ts';
import type { SiteRow } from '../db/sites.ts';
import { validateKeywordInput, type KeywordFields } from './import-keywords.ts';
import { parsePositionsCsv, type PositionsFormat } from './import-positions.ts';
import { insertKeywords, keywordKey, listKeywords, observationBatchWriter } from './store.ts';
import { dailyWriter, emptyHistogram, rebuildRankSummary, refreshKeywordState } from './summary.ts';
import type { Keyword, KeywordInput } from './types.ts';

// SerpBear and Serposcope give a country but no language: the country's main search language, or --hl.
const COUNTRY_LANGUAGE: Record<string, string> = {
  ru: 'ru',
  by: 'ru',
  kz: 'ru',
  ua: 'uk',
  us: 'en',
  gb: 'en',
  ca: 'en',
  au: 'en',
  ie: 'en',
  nz: 'en',
  de: 'de',
  at: 'de',
  fr: 'fr',
  es: 'es',
  it: 'it',
  nl: 'nl',
  pl: 'pl',
  cz: 'cs',
  tr: 'tr',
  br: 'pt',
  pt: 'pt',
};

export interface PositionsDefaults {
  engine?: string;
  device?: string;
  gl?: string;
  hl?: string;
  lr?: string;
}

export type PositionsResult =
  | { format: PositionsFormat; observations: number; keywords: number; keywordsAdded: number }
  | { errors: string[] };

export async function applyPositionsImport(
  sql: Sql,
  site: SiteRow,
  bytes: Uint8Array,
  defaults: PositionsDefaults,
  now: Date,
): Promise<PositionsResult> {
  const parsed = parsePositionsCsv(bytes);
  const errors = parsed.errors.map((e) => `line ${e.line}: ${e.message}`);
  if (errors.length) return { errors };
  if (parsed.rows.length === 0) return { errors: ['the file has no positions in it'] };

  // Rows of one keyword share its fields: validate each distinct keyword once (730,000 rows, 2,000 keywords).
  type Row = (typeof parsed.rows)[number];
  type Resolved = { key: string; input: KeywordInput } | string;
  const known = new Map((await listKeywords(sql, site.id)).map((k) => [keywordKey(k), k.id]));
  const resolved = new Map<string, Resolved>();
  const toAdd = new Map<string, KeywordInput>();
  const rowKeys: string[] = new Array(parsed.rows.length);
  const keywordOf = (r: Row): Resolved => {
    const sig = [
      r.query,
      r.engine ?? '',
      r.device ?? '',
      r.region ?? '',
      r.country ?? '',
      r.location ?? '',
    ].join('\u0000');
    let v = resolved.get(sig);
    if (v !== undefined) return v;
    const fields: KeywordFields = {
      query: r.query,
      engine: r.engine ?? defaults.engine,
      device: r.device ?? defaults.device,
      // A full region key in the file wins over the defaults given on the command line.
      gl: r.region ? undefined : (r.country ?? defaults.gl),
      hl: r.region ? undefined : (defaults.hl ?? (r.country ? COUNTRY_LANGUAGE[r.country] : undefined)),
      location: r.location,
      lr: r.region ?? defaults.lr,
    };
    const input = validateKeywordInput(fields, {
      labels: {
        engine: 'engine (or --engine)',
        lr: 'region (or --lr)',
        gl: 'country (or --gl)',
        hl: 'language (--hl)',
      },
    });
    v = typeof input === 'string' ? input : { key: keywordKey(input), input };
    resolved.set(sig, v);
    return v;
  };
  // Rows of one keyword usually follow each other: the previous row's keyword is reused when it matches.
  const sameKeyword = (a: Row, b: Row) =>
    a.query === b.query &&
    a.engine === b.engine &&
    a.device === b.device &&
    a.region === b.region &&
    a.country === b.country &&
    a.location === b.location;
  let prev: Row | undefined;
  let v: Resolved = '';
  for (const [i, r] of parsed.rows.entries()) {
    if (!prev || !sameKeyword(prev, r)) v = keywordOf(r);
    prev = r;
    if (typeof v === 'string') {
      errors.push(`line ${r.line}: ${v}`);
      if (errors.length >= 50) break;
      continue;
    }
    // (The parser already refused a keyword given two different positions for one day.)
    if (!known.has(v.key)) toAdd.set(v.key, v.input);
    rowKeys[i] = v.key;
  }
  if (errors.length) return { errors };

  let from = '9999-99-99';
  let to = '0000-00-00';
  for (const r of parsed.rows) {
    if (r.day < from) from = r.day;
    if (r.day > to) to = r.day;
  }
  await sql.transaction(async (tx) => {
    const keys = [...toAdd.keys()];
    (await insertKeywords(tx, site.id, [...toAdd.values()], now)).forEach((id, i) => known.set(keys[i]!, id));
    const ids = [...new Set(rowKeys)].map((k) => known.get(k)!);
    // History for keywords that have no observation at all in the file's date range (a new keyword, or
    // one tracked only since later) adds to the daily summary without re-reading every observation.
    let seen = false;
    for (const id of ids)
      if (
        await tx.get(
          'SELECT 1 AS seen FROM rank_observations WHERE keyword_id = ? AND day BETWEEN ? AND ? LIMIT 1',
          [id, from, to],
        )
      ) {
        seen = true;
        break;
      }
    const summary = seen ? null : new DailyAccumulator(await listKeywords(tx, site.id));
    const { write, flush } = observationBatchWriter(tx, null, null);
    for (const [i, r] of parsed.rows.entries()) {
      const keywordId = known.get(rowKeys[i]!)!;
      await write({
        keywordId,
        day: r.day,
        source: 'import',
        state: r.state,
        position: r.position,
        url: r.url,
        depth: r.depth ?? (r.state === 'not-in-top' ? 100 : null),
        error: null,
      });
      summary?.add(keywordId, r.day, r.position);
    }
    await flush();
    if (summary) {
      await summary.save(tx, site.id);
      await refreshKeywordState(tx, site.id);
    } else await rebuildRankSummary(tx, site.id, from, to);
  });
  return {
    format: parsed.format,
    observations: parsed.rows.length,
    keywords: new Set(rowKeys).size,
    keywordsAdded: toAdd.size,
  };
}

/**
 * The rank_daily rows and best positions of observations added where none existed: counts per engine,
 * tag, day and position bucket (as src/rank/summary.ts computes them), added to what is stored.
 */
class DailyAccumulator {
  private readonly keywords: Map<number, { engine: string; tags: string[]; volume: number }>;
  private readonly groups = new Map<string, Map<string, { keywords: Int32Array; volume: Float64Array }>>();
  private readonly best = new Map<number, { position: number; day: string }>();

  constructor(list: Keyword[]) {
    this.keywords = new Map(
      list.map((k) => [k.id, { engine: k.engine, tags: ['', ...k.tags], volume: k.volume ?? 0 }]),
    );
  }

  add(keywordId: number, day: string, position: number | null) {
    const k = this.keywords.get(keywordId)!;
    const bucket = position !== null && position < 100.5 ? Math.round(position) : 0;
    for (const tag of k.tags) {
      const key = `${k.engine}\u0000${tag}`;
      let days = this.groups.get(key);
      if (!days) this.groups.set(key, (days = new Map()));
      let cell = days.get(day);
      if (!cell) days.set(day, (cell = { keywords: new Int32Array(101), volume: new Float64Array(101) }));
      cell.keywords[bucket]! += 1;
      cell.volume[bucket]! += k.volume;
    }
    if (position !== null) {
      const b = this.best.get(keywordId);
      if (!b || position < b.position || (position === b.position && day > b.day))
        this.best.set(keywordId, { position, day });
    }
  }

  async save(sql: Sql, siteId: number) {
    const write = dailyWriter(sql);
    for (const [key, days] of this.groups) {
      const [engine, tag] = key.split('\u0000') as [string, string];
      for (const [day, cell] of days) {
        const old = await sql.get<{ keywords: string; volume: string }>(
          'SELECT keywords, volume FROM rank_daily WHERE site_id = ? AND engine = ? AND tag = ? AND day = ?',
          [siteId, engine, tag, day],
        );
        const h = old
          ? { keywords: JSON.parse(old.keywords) as number[], volume: JSON.parse(old.volume) as number[] }
          : emptyHistogram();
        for (let p = 0; p <= 100; p++) {
          h.keywords[p]! += cell.keywords[p]!;
          h.volume[p]! += cell.volume[p]!;
        }
        await write(siteId, engine, tag, day, h);
      }
    }
    for (const [id, b] of this.best)
      await sql.run(
        `UPDATE keywords SET best_position = ?, best_day = ?
         WHERE id = ? AND (best_position IS NULL OR best_position > ? OR (best_position = ? AND best_day < ?))`,
        [b.position, b.day, id, b.position, b.position, b.day],
      );
  }
}
