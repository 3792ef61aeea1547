// Rules on content: thin pages, exact duplicates (same text) and near duplicates (simhash within a few bits).
import type { Db } from '../../db/open.ts';
import type { IssueInput, RuleFamily } from '../types.ts';
import { simhashDistance } from '../../crawl/extract.ts';
import { fileIssues, HTML_PAGE, rule } from './sql.ts';

const R = {
  thin: rule(
    'thin-content',
    'warning',
    'Thin content',
    'Few words on the page: search engines may see little value in it.',
  ),
  duplicate: rule(
    'duplicate-content',
    'warning',
    'Duplicate content',
    'The same text is served at several URLs: canonicalise or merge them.',
  ),
  near: rule('near-duplicate', 'notice', 'Near-duplicate content', 'Almost the same text as another page.'),
};

/** Pages whose simhashes differ in at most `bits` bits. Any such pair agrees exactly on at least one of
 * (bits + 1) bands of the 64 bits (pigeonhole), so only pages sharing a band value are compared. */
function nearDuplicates(
  db: Db,
  crawlId: number,
  bits: number,
): { id: number; other: string; distance: number }[] {
  const rows = db
    .prepare(
      `SELECT u.id, u.url, u.simhash, u.content_hash AS hash FROM crawl_urls u WHERE u.crawl_id = ? AND ${HTML_PAGE} AND u.simhash IS NOT NULL AND u.word_count >= 50`,
    )
    .all(crawlId) as { id: number; url: string; simhash: string; hash: string }[];
  const bands = bits + 1;
  const width = Math.floor(64 / bands);
  const found = new Map<number, { other: string; distance: number }>();
  for (let b = 0; b < bands; b++) {
    const buckets = new Map<string, number[]>();
    rows.forEach((r, i) => {
      const bin = BigInt(`0x${r.simhash}`).toString(2).padStart(64, '0');
      const key = bin.slice(b * width, b === bands - 1 ? 64 : (b + 1) * width);
      const list = buckets.get(key);
      if (list) list.push(i);
      else buckets.set(key, [i]);
    });
    for (const list of buckets.values()) {
      if (list.length < 2 || list.length > 5000) continue; // a huge bucket is boilerplate, not duplication
      for (let i = 0; i < list.length; i++)
        for (let j = i + 1; j < list.length; j++) {
          const a = rows[list[i]!]!;
          const c = rows[list[j]!]!;
          if (a.hash === c.hash) continue; // exact duplicates are their own rule
          const d = simhashDistance(a.simhash, c.simhash);
          if (d > bits) continue;
          if (!found.has(a.id)) found.set(a.id, { other: c.url, distance: d });
          if (!found.has(c.id)) found.set(c.id, { other: a.url, distance: d });
        }
    }
  }
  return [...found].map(([id, v]) => ({ id, ...v }));
}

export const contentRules: RuleFamily = {
  name: 'Content',
  rules: Object.values(R),
  page(f, t) {
    const out: IssueInput[] = [];
    if (f.html.wordCount < t.thinContentWords && !f.noindex)
      out.push({ rule: R.thin.id, details: `${f.html.wordCount} words` });
    return out;
  },
  crawl(db, crawlId, t) {
    fileIssues(
      db,
      crawlId,
      R.duplicate,
      `SELECT u.id AS url_id, 'same text as ' || (d.n - 1) || ' other page(s), e.g. ' || (SELECT o.url FROM crawl_urls o WHERE o.crawl_id = u.crawl_id AND o.content_hash = u.content_hash AND o.id <> u.id LIMIT 1) AS details
       FROM crawl_urls u JOIN (SELECT content_hash AS h, COUNT(*) AS n FROM crawl_urls u WHERE u.crawl_id = ? AND ${HTML_PAGE} AND u.word_count > 0 GROUP BY content_hash HAVING COUNT(*) > 1) d ON d.h = u.content_hash
       WHERE u.crawl_id = ? AND ${HTML_PAGE}`,
      crawlId,
      crawlId,
    );
    const insert = db.prepare(
      `INSERT INTO crawl_issues (crawl_id, url_id, rule, severity, details) VALUES (?, ?, ?, ?, ?)`,
    );
    for (const n of nearDuplicates(db, crawlId, t.nearDuplicateBits))
      insert.run(crawlId, n.id, R.near.id, R.near.severity, `${n.distance} of 64 bits from ${n.other}`);
  },
};
