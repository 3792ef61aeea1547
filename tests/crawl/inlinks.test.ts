// The to-side of a crawl's links (src/crawl/inlinks.ts, migration 019): built once when a crawl ends —
// by the audit's finish, by a crawl closed without the audit, by the sweep of crawls whose process died —
// and read by the audit and the page view; a running crawl's page view reads crawl_links itself.
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { finishCrawl } from '../../src/audit/finish.ts';
import { pageDetail } from '../../src/audit/queries.ts';
import { FAMILIES } from '../../src/audit/rules/index.ts';
import { DEFAULT_THRESHOLDS } from '../../src/audit/thresholds.ts';
import { buildInlinks, pageInlinks } from '../../src/crawl/inlinks.ts';
import { markOrphanedCrawls } from '../../src/crawl/orphans.ts';
import { CrawlStore } from '../../src/crawl/store.ts';
import { loadMigrations, migrate } from '../../src/db/migrate.ts';
import { loadPgMigrations, migratePostgres } from '../../src/db/store/pg-migrate.ts';
import { connectPostgres } from '../../src/db/store/postgres.ts';
import { sqliteStore } from '../../src/db/store/sqlite.ts';
import type { Sql } from '../../src/db/store/types.ts';
import { pgAvailable } from '../pg/server.ts';
import { BACKENDS, pgServer, stopPgServer } from '../pg/backends.ts';

afterAll(stopPgServer);

const B = 'https://studio.example/';

/** A small crawl as the crawler stores it: `/` links to a twice and to r (which redirects to a); a links to `/`. */
async function seed(sql: Sql, status = 'running', runId: number | null = null) {
  const crawlId = (await sql.get<{ id: number }>(
    `INSERT INTO crawls (start_url, started_at, status, settings, run_id) VALUES (?, '2026-11-09T04:00:00.000Z', ?, '{}', ?) RETURNING id`,
    [B, status, runId],
  ))!.id;
  const ids: Record<string, number> = {};
  for (const [path, extra] of [
    ['', {}],
    ['a', {}],
    ['r', { status: 301, location: `${B}a` }],
  ] as const) {
    const f = { status: 200, location: null, ...extra };
    ids[path] = (await sql.get<{ id: number }>(
      `INSERT INTO crawl_urls (crawl_id, url, kind, depth, state, status, location, title_count)
       VALUES (?, ?, 'page', 1, 'done', ?, ?, 1) RETURNING id`,
      [crawlId, B + path, f.status, f.location],
    ))!.id;
  }
  const link = (from: string, to: string, kind: string, anchor: string | null) =>
    sql.run(`INSERT INTO crawl_links (crawl_id, from_id, to_id, kind, anchor) VALUES (?, ?, ?, ?, ?)`, [
      crawlId,
      ids[from],
      ids[to],
      kind,
      anchor,
    ]);
  await link('', 'a', 'a', 'Work');
  await link('', 'a', 'a', 'Our work');
  await link('', 'r', 'a', 'Old page');
  await link('', 'r', 'a', 'Old page again');
  await link('r', 'a', 'redirect', null);
  await link('a', '', 'a', 'Home');
  return { crawlId, ids };
}

const inlinkRows = (sql: Sql, crawlId: number) =>
  sql.all<{ to_id: number; kind: string; from_id: number }>(
    `SELECT to_id, kind, from_id FROM crawl_inlinks WHERE crawl_id = ? ORDER BY to_id, kind, from_id`,
    [crawlId],
  );

describe.each(BACKENDS)('crawl inlinks on $name', (backend) => {
  it('holds one row per target, kind and source page, rebuilt alike', async () => {
    const { sql } = await backend.open();
    try {
      const { crawlId, ids } = await seed(sql);
      const other = await seed(sql);
      expect(await inlinkRows(sql, crawlId)).toEqual([]);
      await sql.transaction((tx) => buildInlinks(tx, crawlId));
      const expected = [
        { to_id: ids['']!, kind: 'a', from_id: ids['a']! },
        { to_id: ids['a']!, kind: 'a', from_id: ids['']! },
        { to_id: ids['a']!, kind: 'redirect', from_id: ids['r']! },
        { to_id: ids['r']!, kind: 'a', from_id: ids['']! },
      ].sort((x, y) => x.to_id - y.to_id || x.kind.localeCompare(y.kind));
      expect(await inlinkRows(sql, crawlId)).toEqual(expected);
      // A retried finish replaces the rows; another crawl's are neither read nor touched.
      await sql.transaction((tx) => buildInlinks(tx, crawlId));
      expect(await inlinkRows(sql, crawlId)).toEqual(expected);
      expect(await inlinkRows(sql, other.crawlId)).toEqual([]);
    } finally {
      await sql.close();
    }
  });

  it('gives a page its inlinks with every anchor, while the crawl runs and once it ended', async () => {
    const { sql } = await backend.open();
    try {
      const { crawlId, ids } = await seed(sql);
      const anchors = async () =>
        (await pageInlinks(sql, crawlId, ids['a']!))
          .map((l) => `${l.from.slice(B.length)}:${l.kind}:${l.anchor}`)
          .sort();
      const all = [':a:Our work', ':a:Work', 'r:redirect:null'];
      // Running: nothing is in crawl_inlinks yet, and the page view still lists them.
      expect(await anchors()).toEqual(all);
      const summary = await finishCrawl(sql, crawlId, FAMILIES, DEFAULT_THRESHOLDS, {
        status: 'ok',
        seconds: 1,
        leftUnvisited: 0,
        pagesUnvisited: 0,
        now: new Date('2026-11-09T04:01:00Z'),
      });
      expect(summary.status).toBe('ok');
      expect((await inlinkRows(sql, crawlId)).length).toBe(4);
      expect(await anchors()).toEqual(all);
      expect((await pageInlinks(sql, crawlId, ids['a']!, 1)).length).toBe(1);
      const detail = (await pageDetail(sql, crawlId, `${B}a`))!;
      // Two links from one page count as one inlink; the page view shows both anchors.
      expect(detail.facts).toMatchObject({ inlinks: 1 });
      expect(
        detail.inlinks
          .map((l) => l.anchor)
          .filter(Boolean)
          .sort(),
      ).toEqual(['Our work', 'Work']);
      // The link-to-redirect issue counts the page's repeated links.
      const issue = await sql.get<{ details: string }>(
        `SELECT details FROM crawl_issues WHERE crawl_id = ? AND rule = 'internal-link-to-redirect' AND url_id = ?`,
        [crawlId, ids['']],
      );
      expect(issue?.details).toMatch(
        /^2 link\(s\) to redirecting URLs, e\.g\. https:\/\/studio\.example\/r → /,
      );
    } finally {
      await sql.close();
    }
  });

  it('is built for a crawl whose run died, when the sweep marks it interrupted', async () => {
    const { sql } = await backend.open();
    try {
      const runId = (await sql.get<{ id: number }>(
        `INSERT INTO job_runs (job, trigger, started_at, finished_at, status, pid)
         VALUES ('audit', 'schedule', '2026-11-09T04:00:00.000Z', '2026-11-09T04:05:00.000Z', 'failed', 1) RETURNING id`,
      ))!.id;
      const { crawlId } = await seed(sql, 'running', runId);
      expect(await markOrphanedCrawls(sql, new Date('2026-11-09T05:00:00Z'))).toBe(1);
      expect(
        (await sql.get<{ status: string }>(`SELECT status FROM crawls WHERE id = ?`, [crawlId]))?.status,
      ).toBe('interrupted');
      expect((await inlinkRows(sql, crawlId)).length).toBe(4);
    } finally {
      await sql.close();
    }
  });
});

describe('crawl inlinks on the SQLite fast path', () => {
  it('are built when a crawl closes without the audit', async () => {
    const db = new BetterSqlite3(':memory:');
    migrate(db);
    const sql = sqliteStore(db, { owned: true });
    try {
      const { crawlId } = await seed(sql);
      new CrawlStore(db, crawlId).close('ok', '2026-11-09T04:01:00.000Z');
      expect((await inlinkRows(sql, crawlId)).length).toBe(4);
      expect(db.prepare(`SELECT status, pages FROM crawls WHERE id = ?`).get(crawlId)).toEqual({
        status: 'ok',
        pages: 3,
      });
    } finally {
      await sql.close();
    }
  });
});

/** Crawl rows written at schema 018, with the to-index, then migrated to the newest schema. */
async function migrationCase(sql: Sql, migrateRest: () => Promise<unknown>) {
  const first = await seed(sql, 'ok');
  const second = await seed(sql, 'ok');
  await migrateRest();
  for (const { crawlId } of [first, second]) expect((await inlinkRows(sql, crawlId)).length).toBe(4);
  // Two links from `/` to a are one row.
  expect(
    (await inlinkRows(sql, first.crawlId)).filter((r) => r.to_id === first.ids['a'] && r.kind === 'a'),
  ).toHaveLength(1);
}

describe('migration 019', () => {
  it('fills crawl_inlinks from the stored links and swaps the to-index for the redirect index (SQLite)', async () => {
    const db = new BetterSqlite3(':memory:');
    migrate(
      db,
      loadMigrations().filter((m) => m.version <= 18),
    );
    const sql = sqliteStore(db, { owned: true });
    try {
      await migrationCase(sql, async () => migrate(db));
      const indexes = db
        .prepare(
          `SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'crawl_links' ORDER BY name`,
        )
        .pluck()
        .all();
      expect(indexes).toEqual(['crawl_links_from', 'crawl_links_redirects']);
    } finally {
      await sql.close();
    }
  });

  it.runIf(pgAvailable())('does the same on PostgreSQL', async () => {
    const url = await (await pgServer()).createDatabase();
    const sql = connectPostgres(url);
    try {
      await migratePostgres(
        sql,
        'test db',
        loadPgMigrations().filter((m) => m.version <= 18),
      );
      await migrationCase(sql, () => migratePostgres(sql, 'test db'));
      const indexes = await sql.all<{ indexname: string }>(
        `SELECT indexname FROM pg_indexes WHERE tablename = 'crawl_links' ORDER BY indexname`,
      );
      expect(indexes.map((i) => i.indexname)).toEqual(['crawl_links_from', 'crawl_links_redirects']);
    } finally {
      await sql.close();
    }
  });
});
