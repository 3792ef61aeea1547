// The crawl tests' database on the run's backend (PROMOWATCH_TEST_BACKEND): on SQLite the crawl takes its
// fast in-process path (backend.ts sqliteBackend over the connection), on PostgreSQL the data layer's
// (sql-backend.ts) — the two paths crawlSite picks between in production.
import { sqliteBackend, type CrawlBackend } from '../../src/crawl/backend.ts';
import type { FrontierSettings } from '../../src/crawl/frontier.ts';
import type { Outlink, PageRecord } from '../../src/crawl/page-record.ts';
import type { Robots } from '../../src/crawl/robots.ts';
import type { Scope } from '../../src/crawl/scope.ts';
import { createCrawlSql, SqlCrawlBackend } from '../../src/crawl/sql-backend.ts';
import { createCrawl, type PageRow, type QueuedUrl } from '../../src/crawl/store.ts';
import type { Db } from '../../src/db/open.ts';
import { storeOf } from '../../src/db/store/sqlite.ts';
import type { Sql } from '../../src/db/store/types.ts';
import { TEST_BACKEND, tempDb, testStore } from '../helpers.ts';

/**
 * A fresh database for a crawl: `db` only on a SQLite run (crawlSite then takes the fast path over it),
 * `sql` the store over the same database on either backend, for reading what the crawl stored. Spread
 * it into crawlSite's or auditSite's deps.
 */
export interface CrawlDb {
  db?: Db;
  sql: Sql;
}

export async function crawlDb(): Promise<CrawlDb> {
  if (TEST_BACKEND === 'postgres') return { sql: await testStore() };
  const { db } = tempDb();
  return { db, sql: storeOf(db) };
}

/** A crawl's row and its frontier and store, as crawlSite opens them on this database. */
export async function openCrawlBackend(
  where: CrawlDb,
  o: { startUrl: string; scope: Scope; robots: Robots; settings: FrontierSettings; now: () => Date },
): Promise<CrawlBackend> {
  const row = {
    siteId: null,
    runId: null,
    startUrl: o.startUrl,
    startedAt: o.now().toISOString(),
    settings: o.settings,
  };
  if (where.db) return sqliteBackend(where.db, createCrawl(where.db, row), o.scope, o.robots, o.settings);
  const crawlId = await createCrawlSql(where.sql, row);
  return new SqlCrawlBackend(where.sql, crawlId, o.scope, o.robots, o.settings, o.now);
}

/** A fetched HTML page's row as the store saves it. */
export function pageRow(id: number, over: Partial<PageRow> = {}): PageRow {
  return {
    id,
    status: 200,
    error: null,
    location: null,
    redirectType: null,
    contentType: 'text/html',
    charset: 'utf-8',
    bytes: 100,
    truncated: null,
    ttfbMs: 1,
    totalMs: 2,
    title: `Page ${id}`,
    titleCount: 1,
    metaDescription: null,
    metaDescriptionCount: 0,
    h1: '[]',
    canonical: null,
    canonicalRaw: null,
    canonicalCount: 0,
    metaRobots: null,
    xRobotsTag: null,
    noindex: 0,
    nofollow: 0,
    hreflang: null,
    lang: null,
    viewport: null,
    wordCount: 3,
    contentHash: 'h',
    simhash: '0',
    fetchedAt: '2026-11-01T09:00:01.000Z',
    ...over,
  };
}

/** What the crawl hands the store for a fetched URL: its row, where it redirects, what it links to. */
export function pageRecord(
  q: QueuedUrl,
  o: { redirect?: string; outlinks?: Outlink[]; row?: Partial<PageRow> } = {},
): PageRecord {
  return {
    row: pageRow(q.id, o.row),
    redirect: o.redirect ?? null,
    outlinks: o.outlinks ?? [],
    page: null,
    issues: [],
  };
}

/** Links of a crawl in the order they were stored (SQLite's rowid, PostgreSQL's heap order). */
export function storedOrder(sql: Sql, alias: string): string {
  return sql.dialect === 'postgres' ? `${alias}.ctid` : `${alias}.rowid`;
}
