// The audit's SQL on both backends: a crawl seeded with portable INSERTs is finished (redirects,
// inlinks, crawl-wide rules, health) and read back (issues, diff, report, page detail) with the same
// results on SQLite and PostgreSQL.
import { afterAll, describe, expect, it } from 'vitest';
import { finishCrawl } from '../../src/audit/finish.ts';
import {
  crawlExtent,
  crawlIssues,
  crawlPages,
  diffCrawls,
  getCrawl,
  healthTrend,
  issuesByRule,
  issuesForRule,
  listCrawls,
  pageDetail,
  severityCounts,
} from '../../src/audit/queries.ts';
import { crawlReport } from '../../src/audit/report.ts';
import { FAMILIES } from '../../src/audit/rules/index.ts';
import { DEFAULT_THRESHOLDS } from '../../src/audit/thresholds.ts';
import type { Sql } from '../../src/db/store/types.ts';
import { BACKENDS, stopPgServer } from '../pg/backends.ts';

afterAll(stopPgServer);

const B = 'https://studio.example/';
const SIMHASH = 'a5a5a5a5a5a5a5a5';

/** A crawl of a small site with one of almost every problem, written as the crawler writes it. */
async function seedCrawl(sql: Sql, siteId: number, startedAt: string, broken: boolean): Promise<number> {
  const crawlId = (await sql.get<{ id: number }>(
    `INSERT INTO crawls (site_id, start_url, started_at, status, settings) VALUES (?, ?, ?, 'running', ?) RETURNING id`,
    [siteId, B, startedAt, JSON.stringify({ maxPages: 100 })],
  ))!.id;
  const ids = new Map<string, number>();
  const url = async (path: string, f: Record<string, unknown> = {}) => {
    const row: Record<string, unknown> = {
      kind: 'page',
      depth: 1,
      state: 'done',
      status: 200,
      title: `Title of ${path}`,
      title_count: 1,
      h1: `["${path}"]`,
      word_count: 300,
      content_hash: `hash-${path}`,
      in_sitemap: 0,
      ...f,
    };
    const cols = Object.keys(row);
    const id = (await sql.get<{ id: number }>(
      `INSERT INTO crawl_urls (crawl_id, url, ${cols.join(', ')}) VALUES (?, ?, ${cols.map(() => '?').join(', ')}) RETURNING id`,
      [crawlId, B + path, ...cols.map((c) => row[c])],
    ))!.id;
    ids.set(path, id);
    return id;
  };
  const link = (from: string, to: string, kind = 'a', anchor: string | null = to) =>
    sql.run(`INSERT INTO crawl_links (crawl_id, from_id, to_id, kind, anchor) VALUES (?, ?, ?, ?, ?)`, [
      crawlId,
      ids.get(from)!,
      ids.get(to)!,
      kind,
      anchor,
    ]);
  await url('', { depth: 0 });
  await url('a', { title: 'Same title', content_hash: 'same', simhash: SIMHASH });
  await url('b', { title: 'Same title', content_hash: 'same', simhash: SIMHASH });
  await url('c', { simhash: 'a5a5a5a5a5a5a5a4', content_hash: 'c-text' });
  if (broken) await url('broken', { status: 404, title: null, title_count: null, content_hash: null });
  await url('error', { status: 503, title: null, title_count: null, content_hash: null });
  await url('failed', { status: null, error: 'ECONNREFUSED', title: null, title_count: null });
  await url('r1', { status: 301, location: B + 'r2', title: null, title_count: null });
  await url('r2', { status: 301, location: B + 'r3', title: null, title_count: null });
  await url('r3', { status: 301, location: B + 'a', title: null, title_count: null });
  await url('loop1', { status: 302, location: B + 'loop2', title: null, title_count: null });
  await url('loop2', { status: 302, location: B + 'loop1', title: null, title_count: null });
  await url('canon', { canonical: B + 'error' });
  await url('canon2', { canonical: B + 'r1' });
  await url('noidx', { noindex: 1, in_sitemap: 1 });
  await url('orphan', { in_sitemap: 1, depth: 2 });
  await url('deep', { depth: 7 });
  await url('blocked', { state: 'blocked', status: null, title: null, title_count: null });
  await url('en', { hreflang: '[]' });
  await url('ru');
  await url('img.png', { kind: 'resource', bytes: 300_000, title: null, title_count: null });
  await url('refresh', { location: B + 'a', redirect_type: 'meta-refresh' });
  for (const to of ['a', 'b', 'c', 'error', 'failed', 'r1', 'loop1', 'canon', 'canon2', 'noidx', 'deep'])
    await link('', to);
  if (broken) await link('a', 'broken');
  await link('a', 'blocked');
  await link('b', 'r1');
  await link('canon', 'error', 'canonical', null);
  await link('en', 'ru', 'hreflang', 'ru');
  await link('c', 'img.png', 'img', null);
  return crawlId;
}

async function run(sql: Sql) {
  const siteId = (await sql.get<{ id: number }>(
    `INSERT INTO sites (name, base_url, time_zone, created_at) VALUES ('studio', ?, 'Europe/Moscow', '2026-11-01T00:00:00Z') RETURNING id`,
    [B],
  ))!.id;
  const end = { status: 'ok' as const, seconds: 1, leftUnvisited: 0, pagesUnvisited: 0 };
  const first = await seedCrawl(sql, siteId, '2026-11-09T04:00:00.000Z', true);
  const s1 = await finishCrawl(sql, first, FAMILIES, DEFAULT_THRESHOLDS, {
    ...end,
    now: new Date('2026-11-09T04:01:00Z'),
  });
  const second = await seedCrawl(sql, siteId, '2026-11-16T04:00:00.000Z', false);
  const s2 = await finishCrawl(sql, second, FAMILIES, DEFAULT_THRESHOLDS, {
    ...end,
    now: new Date('2026-11-16T04:01:00Z'),
  });
  return { siteId, first, second, s1, s2 };
}

describe.each(BACKENDS)('audit queries on $name', (backend) => {
  it('finishes a crawl and reads it back with the same issues, health, diff and report', async () => {
    const { sql } = await backend.open();
    try {
      const { siteId, first, second, s1, s2 } = await run(sql);
      const path = (u: unknown) => String(u).slice(B.length);
      const pairs = (rows: { rule: unknown; url: unknown }[]) =>
        rows.map((r) => `${String(r.rule)} ${r.url === null ? '-' : path(r.url)}`).sort();

      expect(s2).toMatchObject({ pages: 19, urls: 21, complete: true });
      expect(s1).toMatchObject({ pages: 20, urls: 22 });
      expect(s2.health).toBeGreaterThan(s1.health!);
      const issues = pairs((await crawlIssues(sql, second)) as { rule: string; url: string }[]);
      expect(issues).toEqual(
        expect.arrayContaining([
          'status-5xx error',
          'fetch-failed failed',
          'redirect-chain r1',
          'redirect-loop loop1',
          'canonical-to-non-200 canon',
          'canonical-to-redirect canon2',
          'noindex-in-sitemap noidx',
          'blocked-by-robots-linked blocked',
          'title-duplicate a',
          'title-duplicate b',
          'duplicate-content a',
          'duplicate-content b',
          'near-duplicate c',
          'hreflang-no-return en',
          'image-oversized img.png',
          'orphan-page orphan',
          'deep-page deep',
          'redirect-meta-refresh refresh',
          'internal-link-to-redirect b',
        ]),
      );
      expect(issues).not.toContain('status-4xx broken');
      expect(pairs((await crawlIssues(sql, first)) as { rule: string; url: string }[])).toContain(
        'status-4xx broken',
      );

      // Details the rules write, with examples chosen the same way on both backends.
      const one = async (rule: string) => (await issuesForRule(sql, second, rule))[0]!.details;
      expect(await one('status-5xx')).toBe(`answered 503; linked from 1 page(s), e.g. ${B}`);
      expect(await one('canonical-to-non-200')).toBe(`${B}error answered 503`);
      expect(await one('redirect-chain')).toBe(`3 hops to ${B}a`);
      expect(await one('duplicate-content')).toBe(`same text as 1 other page(s), e.g. ${B}b`);
      expect(await one('near-duplicate')).toBe(`1 of 64 bits from ${B}c`);
      expect(await one('image-oversized')).toBe('292 KB');
      expect(await one('hreflang-no-return')).toBe(`ru → ${B}ru does not link back`);

      const counts = await severityCounts(sql, second);
      expect(counts.error + counts.warning + counts.notice).toBe(
        s2.issues.error + s2.issues.warning + s2.issues.notice,
      );
      const byRule = await issuesByRule(sql, second);
      expect(byRule[0]!.severity).toBe('error');
      expect(byRule.find((r) => r.rule === 'title-duplicate')).toMatchObject({
        count: 2,
        severity: 'warning',
      });

      expect((await listCrawls(sql, siteId)).map((c) => c.id)).toEqual([second, first]);
      expect(await getCrawl(sql, second)).toMatchObject({ siteId, status: 'ok', pages: 19 });
      expect(await crawlExtent(sql, second)).toEqual({ stopped: false, maxPages: 100, pagesLeft: 0 });
      const trend = await healthTrend(sql, siteId);
      expect(trend.map((t) => t.crawlId)).toEqual([first, second]);
      expect(trend[1]!.error).toBe(s2.issues.error);

      const diff = await diffCrawls(sql, second, first);
      expect(diff.fixedIssues.map((i) => [i.rule, path(i.url)])).toEqual([['status-4xx', 'broken']]);
      expect(diff.newIssues).toEqual([]);
      expect(diff.pagesGone.map(path)).toEqual(['broken']);
      expect(diff.pagesAdded).toEqual([]);

      const detail = (await pageDetail(sql, second, B + 'a'))!;
      expect(detail.facts).toMatchObject({ url: B + 'a', status: 200, inlinks: 1 });
      expect(detail.inlinks.map((l) => l.from)).toEqual([B]);
      expect(detail.outlinks.map((l) => l.to)).toEqual([B + 'blocked']);
      expect(detail.issues.map((i) => i.rule)).toEqual([
        'near-duplicate',
        'duplicate-content',
        'title-duplicate',
      ]);
      expect(await pageDetail(sql, second, B + 'nowhere')).toBeUndefined();

      const pages = await crawlPages(sql, second);
      expect(pages[0]).toMatchObject({ url: B, depth: 0, inlinks: 0 });
      expect(pages.length).toBe(20);
      const report = await crawlReport(sql, second);
      const r1 = report.pages.find((p) => p.url === B + 'r1')!;
      expect(r1.redirects.map((r) => path(r.url))).toEqual(['r1', 'r2', 'r3']);
      expect(r1.finalUrl).toBe(B + 'a');
      expect(report.pages.find((p) => p.url === B + 'loop1')!.redirects.length).toBe(1);
      expect(report.pages.find((p) => p.url === B + 'noidx')).toMatchObject({
        noindex: true,
        inSitemap: true,
      });
      expect(report.issues[0]!.severity).toBe('error');
    } finally {
      await sql.close();
    }
  });
});
