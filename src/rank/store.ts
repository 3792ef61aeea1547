// Queries for rank tracking: keywords, competitors, observations, stored result pages and search statistics.
import { gzipSync } from 'node:zlib';
import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/open.ts';
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

export function listKeywords(
  db: Db,
  siteId: number,
  filter: { tag?: string; engine?: string } = {},
): Keyword[] {
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
  return (
    db
      .prepare(
        `SELECT k.* FROM keywords k WHERE ${where.join(' AND ')} ORDER BY k.query, k.engine, k.region, k.device`,
      )
      .all(...args) as KeywordDbRow[]
  ).map(toKeyword);
}

export function getKeyword(db: Db, id: number): Keyword | undefined {
  const r = db.prepare('SELECT * FROM keywords WHERE id = ?').get(id) as KeywordDbRow | undefined;
  return r ? toKeyword(r) : undefined;
}

/** Keys of the site's keywords already stored, to report duplicates before an import writes anything. */
export function existingKeywordKeys(db: Db, siteId: number): Set<string> {
  return new Set(listKeywords(db, siteId).map(keywordKey));
}

/** Inserts keywords in one transaction; a duplicate of a stored keyword aborts the whole batch. */
export function insertKeywords(db: Db, siteId: number, rows: KeywordInput[], now: Date): number[] {
  const insert = db.prepare(
    `INSERT INTO keywords (site_id, query, engine, device, gl, hl, location, lr, region, target_url, volume, tags, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const tag = db.prepare('INSERT OR IGNORE INTO keyword_tags (keyword_id, tag) VALUES (?, ?)');
  return db.transaction(() =>
    rows.map((k) => {
      const tags = [...new Set(k.tags ?? [])];
      const id = Number(
        insert.run(
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
        ).lastInsertRowid,
      );
      for (const t of tags) tag.run(id, t);
      return id;
    }),
  )();
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

/** Writes one observation at a time (statement prepared once). */
export function observationWriter(db: Db, runId: number | null, now: Date) {
  const w = observationBatchWriter(db, runId, now);
  return (o: Observation) => {
    w.write(o);
    w.flush();
  };
}

/**
 * Writes observations batched (64 rows a statement): an import of 730,000 rows must not pay a statement
 * call per row. flush() must run before the transaction ends.
 */
export function observationBatchWriter(db: Db, runId: number | null, now: Date | null) {
  const sql = (rows: number) =>
    `INSERT INTO rank_observations (keyword_id, day, source, priority, state, position, url, depth, error, error_kind, observed_at, run_id)
     VALUES ${Array.from({ length: rows }, () => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}
     ON CONFLICT (keyword_id, day, source) DO UPDATE SET
       state = excluded.state, position = excluded.position, url = excluded.url, depth = excluded.depth,
       error = excluded.error, error_kind = excluded.error_kind, observed_at = excluded.observed_at, run_id = excluded.run_id
     -- A failure never overwrites what the same source already saw that day.
     WHERE excluded.state != 'failed' OR rank_observations.state = 'failed'`;
  const one = db.prepare(sql(1));
  let many: ReturnType<Db['prepare']> | null = null;
  const at = now ? now.toISOString() : null;
  const pending: unknown[] = [];
  const flush = () => {
    if (pending.length === 0) return;
    if (pending.length === BATCH * OBSERVATION_COLUMNS) (many ??= db.prepare(sql(BATCH))).run(pending);
    else
      for (let i = 0; i < pending.length; i += OBSERVATION_COLUMNS)
        one.run(pending.slice(i, i + OBSERVATION_COLUMNS));
    pending.length = 0;
  };
  const write = (o: Observation) => {
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
    if (pending.length === BATCH * OBSERVATION_COLUMNS) flush();
  };
  return { write, flush };
}

const RAW_LIMIT = 2_000_000;

// Statements prepared once per connection: a run stores thousands of result pages.
const statements = new WeakMap<Db, Map<string, Statement<unknown[]>>>();
function stmt(db: Db, sql: string): Statement<unknown[]> {
  let m = statements.get(db);
  if (!m) statements.set(db, (m = new Map()));
  let s = m.get(sql);
  if (!s) m.set(sql, (s = db.prepare<unknown[]>(sql)));
  return s;
}

/** Stores a result page (replacing the same keyword, day and source) with its organic results. */
export function saveSerpPage(
  db: Db,
  keywordId: number,
  day: string,
  source: string,
  page: SerpPage,
  now: Date,
): number {
  const raw = page.raw && page.raw.length <= RAW_LIMIT ? gzipSync(page.raw) : null;
  return db.transaction(() => {
    db.prepare('DELETE FROM serp_pages WHERE keyword_id = ? AND day = ? AND source = ?').run(
      keywordId,
      day,
      source,
    );
    const id = Number(
      db
        .prepare(
          'INSERT INTO serp_pages (keyword_id, day, source, fetched_at, depth, raw) VALUES (?, ?, ?, ?, ?, ?)',
        )
        .run(keywordId, day, source, now.toISOString(), page.depth, raw).lastInsertRowid,
    );
    const item = stmt(
      db,
      'INSERT OR IGNORE INTO serp_results (page_id, position, url, domain, root, title) VALUES (?, ?, ?, ?, ?, ?)',
    );
    for (const it of page.items) {
      const domain = domainOf(it.url);
      item.run(id, it.position, it.url, domain, rootDomain(domain), it.title);
    }
    return id;
  })();
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
  db: Db,
  siteId: number,
  source: string,
  from: string,
  to: string,
  stats: QueryStat[],
): number {
  const insert = db.prepare(
    `INSERT OR REPLACE INTO search_stats (site_id, source, day, query, page, device, country, clicks, impressions, position)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  return db.transaction(() => {
    db.prepare('DELETE FROM search_stats WHERE site_id = ? AND source = ? AND day BETWEEN ? AND ?').run(
      siteId,
      source,
      from,
      to,
    );
    for (const s of stats)
      insert.run(
        siteId,
        source,
        s.day,
        s.query,
        s.page,
        s.device,
        s.country,
        s.clicks,
        s.impressions,
        s.position,
      );
    return stats.length;
  })();
}

export function lastPull(db: Db, siteId: number, provider: string): Date | null {
  const v = db
    .prepare('SELECT last_at FROM rank_pulls WHERE site_id = ? AND provider = ?')
    .pluck()
    .get(siteId, provider) as string | undefined;
  return v ? new Date(v) : null;
}

export function markPulled(db: Db, siteId: number, provider: string, at: Date): void {
  db.prepare(
    `INSERT INTO rank_pulls (site_id, provider, last_at) VALUES (?, ?, ?)
     ON CONFLICT (site_id, provider) DO UPDATE SET last_at = excluded.last_at`,
  ).run(siteId, provider, at.toISOString());
}

/** Requests a provider made on a UTC day, and in that day's calendar month. */
export function providerUsage(db: Db, provider: string, day: string): { day: number; month: number } {
  const r = db
    .prepare(
      `SELECT coalesce(sum(CASE WHEN day = ? THEN requests END), 0) AS d, coalesce(sum(requests), 0) AS m
       FROM rank_provider_usage WHERE provider = ? AND substr(day, 1, 7) = substr(?, 1, 7)`,
    )
    .get(day, provider, day) as { d: number; m: number };
  return { day: r.d, month: r.m };
}

export function countRequest(db: Db, provider: string, day: string, n = 1): void {
  stmt(
    db,
    `INSERT INTO rank_provider_usage (provider, day, requests) VALUES (?, ?, ?)
     ON CONFLICT (provider, day) DO UPDATE SET requests = requests + excluded.requests`,
  ).run(provider, day, n);
}
