// Queries for rank tracking: keywords, competitors, observations, stored result pages and search statistics.
// Just over 400 lines: every table of the area in one place, as the other areas' store.ts files.
import { gzipSync } from 'node:zlib';
import type { Sql } from '../db/store/types.ts';
import { regionKey } from './import-keywords.ts';
import { sourcePriority } from './providers/index.ts';
import { type Keyword, type KeywordInput, type Observation, type QueryStat, type SerpPage } from './types.ts';

interface KeywordDbRow {
  id: number;
  site_id: number;
  query: string;
  engine: Keyword['engine'];
  device: Keyword['device'];
  gl: string | null;
  hl: string | null;
  location: string | null;
  lr: number | null;
  region: string;
  target_url: string | null;
  volume: number | null;
  tags: string;
}

function toKeyword(r: KeywordDbRow): Keyword {
  return {
    id: r.id,
    siteId: r.site_id,
    query: r.query,
    engine: r.engine,
    device: r.device,
    gl: r.gl,
    hl: r.hl,
    location: r.location,
    lr: r.lr,
    region: r.region,
    targetUrl: r.target_url,
    volume: r.volume,
    tags: JSON.parse(r.tags) as string[],
  };
}

/** Same query (ignoring case), engine, region and device = the same keyword. */
export function keywordKey(k: KeywordInput): string {
  return [k.query.toLocaleLowerCase('ru'), k.engine, regionKey(k, k.engine), k.device].join('\u0000');
}

export async function listKeywords(
  sql: Sql,
  siteId: number,
  filter: { tag?: string; engine?: string } = {},
): Promise<Keyword[]> {
  const where = ['k.site_id = ?'];
  const args: unknown[] = [siteId];
  if (filter.engine) {
    where.push('k.engine = ?');
    args.push(filter.engine);
  }
  if (filter.tag) {
    where.push('EXISTS (SELECT 1 FROM keyword_tags t WHERE t.keyword_id = k.id AND t.tag = ?)');
    args.push(filter.tag);
  }
  const rows = await sql.all<KeywordDbRow>(
    `SELECT k.* FROM keywords k WHERE ${where.join(' AND ')} ORDER BY k.query, k.engine, k.region, k.device`,
    args,
  );
  return rows.map(toKeyword);
}

export async function getKeyword(sql: Sql, id: number): Promise<Keyword | undefined> {
  const r = await sql.get<KeywordDbRow>('SELECT * FROM keywords WHERE id = ?', [id]);
  return r ? toKeyword(r) : undefined;
}

/** Keys of the site's keywords already stored, to report duplicates before an import writes anything. */
export async function existingKeywordKeys(sql: Sql, siteId: number): Promise<Set<string>> {
  return new Set((await listKeywords(sql, siteId)).map(keywordKey));
}

/** Inserts keywords in one transaction; a duplicate of a stored keyword aborts the whole batch. */
export function insertKeywords(sql: Sql, siteId: number, rows: KeywordInput[], now: Date): Promise<number[]> {
  return sql.transaction(async (tx) => {
    const ids: number[] = [];
    for (const k of rows) {
      const tags = [...new Set(k.tags ?? [])];
      const row = await tx.get<{ id: number }>(
        `INSERT INTO keywords (site_id, query, engine, device, gl, hl, location, lr, region, target_url, volume, tags, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
        [
          siteId,
          k.query,
          k.engine,
          k.device,
          k.gl ?? null,
          k.hl ?? null,
          k.location ?? null,
          k.lr ?? null,
          regionKey(k, k.engine),
          k.targetUrl ?? null,
          k.volume ?? null,
          JSON.stringify(tags),
          now.toISOString(),
        ],
      );
      const id = row!.id;
      for (const t of tags)
        await tx.run('INSERT INTO keyword_tags (keyword_id, tag) VALUES (?, ?) ON CONFLICT DO NOTHING', [
          id,
          t,
        ]);
      ids.push(id);
    }
    return ids;
  });
}

export async function deleteKeyword(sql: Sql, siteId: number, id: number): Promise<boolean> {
  return (await sql.run('DELETE FROM keywords WHERE id = ? AND site_id = ?', [id, siteId])).changes > 0;
}

/** Replaces a keyword's tags (the JSON column and the keyword_tags index together); false if no such
 * keyword on the site. */
export function setKeywordTags(
  sql: Sql,
  siteId: number,
  id: number,
  tags: readonly string[],
): Promise<boolean> {
  const unique = [...new Set(tags.map((t) => t.trim()).filter(Boolean))];
  return sql.transaction(async (tx) => {
    const { changes } = await tx.run('UPDATE keywords SET tags = ? WHERE id = ? AND site_id = ?', [
      JSON.stringify(unique),
      id,
      siteId,
    ]);
    if (changes === 0) return false;
    await tx.run('DELETE FROM keyword_tags WHERE keyword_id = ?', [id]);
    for (const t of unique)
      await tx.run('INSERT INTO keyword_tags (keyword_id, tag) VALUES (?, ?) ON CONFLICT DO NOTHING', [
        id,
        t,
      ]);
    return true;
  });
}

export async function siteTags(sql: Sql, siteId: number): Promise<string[]> {
  const rows = await sql.all<{ tag: string }>(
    'SELECT DISTINCT t.tag FROM keyword_tags t JOIN keywords k ON k.id = t.keyword_id WHERE k.site_id = ? ORDER BY t.tag',
    [siteId],
  );
  return rows.map((r) => r.tag);
}

export interface Competitor {
  id: number;
  domain: string;
  name: string | null;
}

/** Lower-case host without "www.": the form result pages are matched on. */
export function normaliseDomain(input: string): string {
  let host = input.trim().toLowerCase();
  if (/^[a-z][a-z0-9+.-]*:\/\//.test(host)) host = new URL(host).hostname;
  else host = host.split('/')[0]!;
  host = host.replace(/\.$/, '');
  try {
    host = new URL(`http://${host}/`).hostname; // IDN → punycode, as result URLs carry it
  } catch {
    throw new Error(`"${input}" is not a domain name`);
  }
  return host.replace(/^www\./, '');
}

export function listCompetitors(sql: Sql, siteId: number): Promise<Competitor[]> {
  return sql.all<Competitor>('SELECT id, domain, name FROM competitors WHERE site_id = ? ORDER BY domain', [
    siteId,
  ]);
}

export async function addCompetitor(
  sql: Sql,
  siteId: number,
  domain: string,
  name: string | null,
  now: Date,
): Promise<number> {
  // "competitors.name" spelled out: in PostgreSQL a bare "name" in DO UPDATE is ambiguous with excluded's.
  const row = await sql.get<{ id: number }>(
    `INSERT INTO competitors (site_id, domain, name, created_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (site_id, domain) DO UPDATE SET name = coalesce(excluded.name, competitors.name) RETURNING id`,
    [siteId, normaliseDomain(domain), name, now.toISOString()],
  );
  return row!.id;
}

export async function deleteCompetitor(sql: Sql, siteId: number, id: number): Promise<boolean> {
  return (await sql.run('DELETE FROM competitors WHERE id = ? AND site_id = ?', [id, siteId])).changes > 0;
}

const OBSERVATION_COLUMNS = 12;
const BATCH = 64;

/** Writes one observation at a time. */
export function observationWriter(sql: Sql, runId: number | null, now: Date) {
  const w = observationBatchWriter(sql, runId, now);
  return async (o: Observation) => {
    await w.write(o);
    await w.flush();
  };
}

/**
 * Writes observations batched (64 rows a statement): an import of 730,000 rows must not pay a statement
 * call per row. flush() must run before the transaction ends.
 */
export function observationBatchWriter(sql: Sql, runId: number | null, now: Date | null) {
  const text = (rows: number) =>
    `INSERT INTO rank_observations (keyword_id, day, source, priority, state, position, url, depth, error, error_kind, observed_at, run_id)
     VALUES ${Array.from({ length: rows }, () => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}
     ON CONFLICT (keyword_id, day, source) DO UPDATE SET
       state = excluded.state, position = excluded.position, url = excluded.url, depth = excluded.depth,
       error = excluded.error, error_kind = excluded.error_kind, observed_at = excluded.observed_at, run_id = excluded.run_id
     -- A failure never overwrites what the same source already saw that day.
     WHERE excluded.state != 'failed' OR rank_observations.state = 'failed'`;
  const one = text(1);
  let many: string | null = null;
  const at = now ? now.toISOString() : null;
  const pending: unknown[] = [];
  const flush = async () => {
    if (pending.length === 0) return;
    const rows = pending.splice(0, pending.length);
    // A full batch goes as one statement, unless it holds one keyword, day and source twice: PostgreSQL
    // refuses a row updated twice by one ON CONFLICT DO UPDATE, so those go a row at a time (later wins).
    if (rows.length === BATCH * OBSERVATION_COLUMNS && distinctKeys(rows))
      await sql.run((many ??= text(BATCH)), rows);
    else
      for (let i = 0; i < rows.length; i += OBSERVATION_COLUMNS)
        await sql.run(one, rows.slice(i, i + OBSERVATION_COLUMNS));
  };
  const write = async (o: Observation) => {
    if (o.state === 'ranked' && (o.position === null || !(o.position >= 1)))
      throw new Error(`observation of keyword ${o.keywordId} on ${o.day}: ranked without a position`);
    if (o.state !== 'ranked' && o.position !== null)
      throw new Error(`observation of keyword ${o.keywordId} on ${o.day}: ${o.state} with a position`);
    if (o.state === 'failed' && !o.error)
      throw new Error(`observation of keyword ${o.keywordId} on ${o.day}: failed without an error`);
    pending.push(
      o.keywordId,
      o.day,
      o.source,
      sourcePriority(o.source) ?? 0,
      o.state,
      o.position,
      o.url,
      o.depth,
      o.error,
      o.state === 'failed' ? (o.errorKind ?? null) : null,
      at,
      runId,
    );
    if (pending.length === BATCH * OBSERVATION_COLUMNS) await flush();
  };
  return { write, flush };
}

/** Whether the pending rows name each (keyword, day, source) once. */
function distinctKeys(rows: unknown[]): boolean {
  const seen = new Set<string>();
  for (let i = 0; i < rows.length; i += OBSERVATION_COLUMNS) {
    const key = `${String(rows[i])}\u0000${String(rows[i + 1])}\u0000${String(rows[i + 2])}`;
    if (seen.has(key)) return false;
    seen.add(key);
  }
  return true;
}

const RAW_LIMIT = 2_000_000;
/** Result rows per INSERT statement (6 values each): one statement for a whole page of 100. */
const RESULT_BATCH = 100;

/** Stores a result page (replacing the same keyword, day and source) with its organic results. */
export function saveSerpPage(
  sql: Sql,
  keywordId: number,
  day: string,
  source: string,
  page: SerpPage,
  now: Date,
): Promise<number> {
  const raw = page.raw && page.raw.length <= RAW_LIMIT ? gzipSync(page.raw) : null;
  return sql.transaction(async (tx) => {
    await tx.run('DELETE FROM serp_pages WHERE keyword_id = ? AND day = ? AND source = ?', [
      keywordId,
      day,
      source,
    ]);
    const id = (await tx.get<{ id: number }>(
      'INSERT INTO serp_pages (keyword_id, day, source, fetched_at, depth, raw) VALUES (?, ?, ?, ?, ?, ?) RETURNING id',
      [keywordId, day, source, now.toISOString(), page.depth, raw],
    ))!.id;
    // A provider may list one position twice: the first one is kept (DO NOTHING), as before. PostgreSQL
    // refuses one key twice in one statement's ON CONFLICT only for DO UPDATE, not DO NOTHING.
    for (let i = 0; i < page.items.length; i += RESULT_BATCH) {
      const chunk = page.items.slice(i, i + RESULT_BATCH);
      const values: unknown[] = [];
      for (const it of chunk) {
        const domain = domainOf(it.url);
        values.push(id, it.position, it.url, domain, rootDomain(domain), it.title);
      }
      await tx.run(
        `INSERT INTO serp_results (page_id, position, url, domain, root, title)
         VALUES ${chunk.map(() => '(?, ?, ?, ?, ?, ?)').join(', ')} ON CONFLICT DO NOTHING`,
        values,
      );
    }
    return id;
  });
}

// Second-level labels under which registries sell names (example.co.uk, example.com.ru, example.msk.ru).
const SECOND_LEVEL = new Set(['co', 'com', 'net', 'org', 'gov', 'edu', 'ac', 'msk', 'spb', 'ltd', 'plc']);

/** The registrable part of a host, close enough without the public-suffix list: "blog.rival.ru" →
 * "rival.ru", "www.shop.co.uk" → "shop.co.uk". Used to find a domain and its subdomains by index. */
export function rootDomain(host: string): string {
  const labels = host.split('.');
  if (labels.length <= 2) return host;
  const n = SECOND_LEVEL.has(labels[labels.length - 2]!) && labels[labels.length - 1]!.length === 2 ? 3 : 2;
  return labels.slice(-n).join('.');
}

export function domainOf(url: string): string {
  try {
    return new URL(url).hostname.toLowerCase().replace(/^www\./, '');
  } catch {
    return '';
  }
}

/** Replaces a source's statistics for the days it reported (the APIs revise recent days). */
export function saveQueryStats(
  sql: Sql,
  siteId: number,
  source: string,
  from: string,
  to: string,
  stats: QueryStat[],
): Promise<number> {
  return sql.transaction(async (tx) => {
    await tx.run('DELETE FROM search_stats WHERE site_id = ? AND source = ? AND day BETWEEN ? AND ?', [
      siteId,
      source,
      from,
      to,
    ]);
    // One row at a time: a report listing one key twice keeps the later row, as INSERT OR REPLACE did
    // (PostgreSQL refuses a key twice within one multi-row ON CONFLICT DO UPDATE).
    for (const s of stats)
      await tx.run(
        `INSERT INTO search_stats (site_id, source, day, query, page, device, country, clicks, impressions, position)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (site_id, source, day, query, page, device, country) DO UPDATE SET
           clicks = excluded.clicks, impressions = excluded.impressions, position = excluded.position`,
        [siteId, source, s.day, s.query, s.page, s.device, s.country, s.clicks, s.impressions, s.position],
      );
    return stats.length;
  });
}

export async function lastPull(sql: Sql, siteId: number, provider: string): Promise<Date | null> {
  const r = await sql.get<{ last_at: string }>(
    'SELECT last_at FROM rank_pulls WHERE site_id = ? AND provider = ?',
    [siteId, provider],
  );
  return r ? new Date(r.last_at) : null;
}

export async function markPulled(sql: Sql, siteId: number, provider: string, at: Date): Promise<void> {
  await sql.run(
    `INSERT INTO rank_pulls (site_id, provider, last_at) VALUES (?, ?, ?)
     ON CONFLICT (site_id, provider) DO UPDATE SET last_at = excluded.last_at`,
    [siteId, provider, at.toISOString()],
  );
}

/** Requests a provider made on a UTC day, and in that day's calendar month. */
export async function providerUsage(
  sql: Sql,
  provider: string,
  day: string,
): Promise<{ day: number; month: number }> {
  const r = await sql.get<{ d: number; m: number }>(
    `SELECT coalesce(sum(CASE WHEN day = ? THEN requests END), 0) AS d, coalesce(sum(requests), 0) AS m
     FROM rank_provider_usage WHERE provider = ? AND day BETWEEN ? AND ?`,
    [day, provider, `${day.slice(0, 7)}-01`, `${day.slice(0, 7)}-31`],
  );
  return { day: r!.d, month: r!.m };
}

export async function countRequest(sql: Sql, provider: string, day: string, n = 1): Promise<void> {
  // The table's own column named in the update: a bare "requests" is ambiguous to PostgreSQL.
  await sql.run(
    `INSERT INTO rank_provider_usage (provider, day, requests) VALUES (?, ?, ?)
     ON CONFLICT (provider, day) DO UPDATE SET requests = rank_provider_usage.requests + excluded.requests`,
    [provider, day, n],
  );
}
