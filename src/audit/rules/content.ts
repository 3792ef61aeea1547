// Rules on content: thin pages, exact duplicates (same text) and near duplicates (simhash within a few bits).
import type { Sql } from '../../db/store/types.ts';
import type { IssueInput, RuleFamily } from '../types.ts';
import { fileIssues, HTML_PAGE, insertIssues, rule } from './sql.ts';

/** Rows per read of the near-duplicate scan. */
const NEAR_PAGE = 5000;

const R = {
  thin: rule('thin-content', 'warning'),
  duplicate: rule('duplicate-content', 'warning'),
  near: rule('near-duplicate', 'notice'),
};

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

/** Bits [from, from + width) of a 64-bit value held as two 32-bit halves (hi = bits 0–31). */
function bandKey(hi: number, lo: number, from: number, width: number): number {
  let key = 0;
  for (let b = from; b < from + width; b++) key = key * 2 + (b < 32 ? (hi >>> b) & 1 : (lo >>> (b - 32)) & 1);
  return key;
}

/** Near duplicates as found: for page i (ids[i]), its partner's index (-1: none) and their distance. */
interface NearPairs {
  n: number;
  ids: Int32Array;
  partner: Int32Array;
  distance: Uint8Array;
}

/**
 * Pages whose simhashes differ in at most `bits` bits. Any such pair agrees exactly on at least one of
 * (bits + 1) bands of the 64 bits (pigeonhole), so only pages sharing a band value are compared, and a
 * page stops looking once it has a partner: a site of templated near-copies costs linear time, not n².
 */
async function nearDuplicates(sql: Sql, crawlId: number, bits: number): Promise<NearPairs> {
  // Rows are read a page at a time into typed arrays, with no string kept per page: at 100,000 pages an
  // array of row objects, then of URLs and a map of content hashes, was the largest thing on the heap at
  // the crawl's end (tens of MB at the run's peak RSS). They come in URL order (keyset pages on the
  // (crawl_id, url) key), which does not depend on the ids a crawl happened to give its URLs, so which
  // partner a page is reported with is the same on every backend.
  let ids = new Int32Array(1024);
  let hi = new Uint32Array(1024);
  let lo = new Uint32Array(1024);
  let hashOf = new Float64Array(1024);
  let n = 0;
  for (let after = ''; ;) {
    const rows = await sql.all<{ id: number; url: string; simhash: string; hash: string | null }>(
      `SELECT u.id, u.url, u.simhash, u.content_hash AS hash FROM crawl_urls u
       WHERE u.crawl_id = ? AND u.url > ? AND ${HTML_PAGE} AND u.simhash IS NOT NULL AND u.word_count >= 50
       ORDER BY u.url LIMIT ${NEAR_PAGE}`,
      [crawlId, after],
    );
    for (const r of rows) {
      if (n === ids.length) [ids, hi, lo, hashOf] = [grow(ids), grow(hi), grow(lo), grow(hashOf)];
      ids[n] = r.id;
      hi[n] = parseInt(r.simhash.slice(0, 8), 16);
      lo[n] = parseInt(r.simhash.slice(8, 16), 16);
      hashOf[n] = textKey(r.hash);
      n++;
    }
    if (rows.length < NEAR_PAGE) break;
    after = rows[rows.length - 1]!.url;
  }
  const bands = bits + 1;
  const width = Math.floor(64 / bands);
  const partner = new Int32Array(n).fill(-1);
  const distance = new Uint8Array(n);
  for (let b = 0; b < bands; b++) {
    const from = b * width;
    const w = b === bands - 1 ? 64 - from : width;
    const buckets = new Map<number, number[]>();
    for (let i = 0; i < n; i++) {
      const key = bandKey(hi[i]!, lo[i]!, from, w);
      const list = buckets.get(key);
      if (list) list.push(i);
      else buckets.set(key, [i]);
    }
    for (const list of buckets.values()) {
      if (list.length < 2) continue;
      for (let x = 0; x < list.length; x++) {
        const i = list[x]!;
        if (partner[i]! >= 0) continue;
        for (let y = 0; y < list.length; y++) {
          const j = list[y]!;
          if (i === j || hashOf[i] === hashOf[j]) continue; // exact duplicates are their own rule
          const d = popcount((hi[i]! ^ hi[j]!) >>> 0) + popcount((lo[i]! ^ lo[j]!) >>> 0);
          if (d > bits) continue;
          partner[i] = j;
          distance[i] = d;
          if (partner[j]! < 0) {
            partner[j] = i;
            distance[j] = d;
          }
          break;
        }
      }
    }
  }
  return { n, ids, partner, distance };
}

/** Files a near-duplicate issue per page with a partner, 200 at a time, partners' URLs read per batch. */
async function fileNearDuplicates(sql: Sql, crawlId: number, near: NearPairs): Promise<void> {
  const { n, ids, partner, distance } = near;
  for (let i = 0; i < n;) {
    const batch: number[] = [];
    for (; i < n && batch.length < 200; i++) if (partner[i]! >= 0) batch.push(i);
    if (batch.length === 0) continue;
    const others = [...new Set(batch.map((k) => ids[partner[k]!]!))];
    const urlOf = new Map(
      (
        await sql.all<{ id: number; url: string }>(
          `SELECT id, url FROM crawl_urls WHERE id IN (${others.map(() => '?').join(', ')})`,
          others,
        )
      ).map((r) => [r.id, r.url]),
    );
    await insertIssues(
      sql,
      crawlId,
      batch.map((k) => ({
        urlId: ids[k]!,
        rule: R.near,
        details: `${distance[k]} of 64 bits from ${urlOf.get(ids[partner[k]!]!)}`,
      })),
    );
  }
}

/**
 * A number per content hash, equal for equal hashes: 52 bits of two FNV-1a passes (exact in a double),
 * -1 for none. Two different texts with the same number (odds ~1 in 10^6 at 100,000 pages) would only
 * not be reported as near duplicates of each other; a map from hash to number kept every hash string.
 */
function textKey(hash: string | null): number {
  if (hash === null) return -1;
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (let i = 0; i < hash.length; i++) {
    const c = hash.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  return (a >>> 0) * 0x100000 + ((b >>> 12) & 0xfffff);
}

/** A typed array twice the size, same contents. */
function grow<T extends Int32Array | Uint32Array | Float64Array>(a: T): T {
  const b = new (a.constructor as new (length: number) => T)(a.length * 2);
  b.set(a);
  return b;
}

export const contentRules: RuleFamily = {
  id: 'content',
  rules: Object.values(R),
  page(f, t) {
    const out: IssueInput[] = [];
    if (f.html.wordCount < t.thinContentWords && !f.noindex)
      out.push({ rule: R.thin.id, details: `${f.html.wordCount} words` });
    return out;
  },
  async crawl(sql, crawlId, t) {
    await fileIssues(
      sql,
      crawlId,
      R.duplicate,
      `SELECT u.id AS url_id, 'same text as ' || (d.n - 1) || ' other page(s), e.g. ' || (SELECT o.url FROM crawl_urls o WHERE o.crawl_id = u.crawl_id AND o.content_hash = u.content_hash AND o.id <> u.id ORDER BY o.url LIMIT 1) AS details
       FROM crawl_urls u JOIN (SELECT content_hash AS h, COUNT(*) AS n FROM crawl_urls u WHERE u.crawl_id = ? AND ${HTML_PAGE} AND u.word_count > 0 GROUP BY content_hash HAVING COUNT(*) > 1) d ON d.h = u.content_hash
       WHERE u.crawl_id = ? AND ${HTML_PAGE}`,
      crawlId,
      crawlId,
    );
    await fileNearDuplicates(sql, crawlId, await nearDuplicates(sql, crawlId, t.nearDuplicateBits));
  },
};
