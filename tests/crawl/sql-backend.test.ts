// The crawl on the async data layer (sql-backend.ts) stores what the SQLite fast path stores: the same
// URLs with the same facts, links and audit issues, on both backends.
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditSettingsFrom, auditSite } from '../../src/audit/site-audit.ts';
import { storeOf } from '../../src/db/store/sqlite.ts';
import type { Sql } from '../../src/db/store/types.ts';
import { memoryLogger } from '../../src/util/log.ts';
import { createSiteServer } from '../bench/site-server.ts';
import { tempDb } from '../helpers.ts';
import { BACKENDS, stopPgServer } from '../pg/backends.ts';

afterAll(stopPgServer);

const PAGES = 300;
let base = '';
let close: () => Promise<void>;
beforeAll(async () => {
  const server = createSiteServer(PAGES);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  close = () => new Promise((r) => server.close(() => r()));
  return close;
});

const settings = () => auditSettingsFrom({ requestsPerSecond: 0, concurrency: 4, parserThreads: 0 });
const now = () => new Date('2026-11-16T04:00:00Z');

/** What a crawl stored, with URLs for ids, so that two crawls compare whatever ids they gave. */
export async function crawlSnapshot(sql: Sql, crawlId: number) {
  const urls = await sql.all<Record<string, unknown>>(
    `SELECT url, kind, depth, state, skip_reason, in_sitemap, status, location, final_url, redirect_hops, title,
            meta_description, h1, canonical, noindex, word_count, content_hash, inlinks
     FROM crawl_urls WHERE crawl_id = ? ORDER BY url`,
    [crawlId],
  );
  const links = await sql.all<{ link: string }>(
    `SELECT f.url || ' ' || l.kind || ' ' || t.url || ' ' || COALESCE(l.anchor, '') AS link
     FROM crawl_links l JOIN crawl_urls f ON f.id = l.from_id JOIN crawl_urls t ON t.id = l.to_id WHERE l.crawl_id = ?`,
    [crawlId],
  );
  const issues = await sql.all<{ issue: string }>(
    `SELECT i.rule || ' ' || COALESCE(u.url, '-') || ' ' || COALESCE(i.details, '') AS issue
     FROM crawl_issues i LEFT JOIN crawl_urls u ON u.id = i.url_id WHERE i.crawl_id = ?`,
    [crawlId],
  );
  const crawl = await sql.get<{ status: string; pages: number; health: number | null }>(
    `SELECT status, pages, health FROM crawls WHERE id = ?`,
    [crawlId],
  );
  return {
    crawl,
    urls,
    links: links.map((l) => l.link).sort(),
    issues: issues.map((i) => i.issue).sort(),
  };
}

describe('crawl on the data layer', () => {
  let reference: Awaited<ReturnType<typeof crawlSnapshot>>;
  beforeAll(async () => {
    // The reference is the SQLite fast path itself, on every run: the data-layer crawl must match it.
    const { db } = tempDb({ besidePostgres: 'the reference crawl is the SQLite fast path' });
    const summary = await auditSite(
      { db, now, log: memoryLogger() },
      { siteId: null, startUrl: base, settings: settings() },
    );
    reference = await crawlSnapshot(storeOf(db), summary.crawlId);
    expect(reference.urls.length).toBeGreaterThan(290);
    expect(reference.issues.length).toBeGreaterThan(0);
  }, 120_000);

  it.each(BACKENDS)(
    'on $name stores what the SQLite fast path stores',
    async (backend) => {
      const { sql } = await backend.open();
      try {
        const summary = await auditSite(
          { sql, now, log: memoryLogger() },
          { siteId: null, startUrl: base, settings: settings() },
        );
        expect(summary.status).toBe('ok');
        const got = await crawlSnapshot(sql, summary.crawlId);
        expect(got.crawl).toEqual(reference.crawl);
        expect(got.urls).toEqual(reference.urls);
        expect(got.links).toEqual(reference.links);
        expect(got.issues).toEqual(reference.issues);
        // Nothing claimed is left behind.
        expect(
          await sql.get(`SELECT COUNT(*) AS n FROM crawl_urls WHERE crawl_id = ? AND state = 'fetching'`, [
            summary.crawlId,
          ]),
        ).toEqual({ n: 0 });
      } finally {
        await sql.close();
      }
    },
    120_000,
  );
});
