// Crawl history: the diff between two crawls and the health trend.
import { describe, expect, it } from 'vitest';
import { crawlIssues, diffCrawls, healthTrend, issuesByRule } from '../../src/audit/queries.ts';
import { auditSettingsFrom, auditSite } from '../../src/audit/site-audit.ts';
import { memoryLogger } from '../../src/util/log.ts';
import { FakeClock, localServer, seedSitesIn, siteByName, testConfig } from '../helpers.ts';
import { crawlDb } from '../crawl/crawl-backend.ts';

describe('crawl history', () => {
  it('lists new and fixed issues, pages added and gone, and the health of each crawl', async () => {
    let version = 1;
    const base = await localServer((req, res) => {
      const html = (body: string) => res.writeHead(200, { 'content-type': 'text/html' }).end(body);
      const page = (title: string, links = '') =>
        html(
          `<html lang="en"><head><title>${title}</title><meta name="description" content="${req.url}: a description of reasonable length for this test page, long enough."><meta name="viewport" content="width=device-width"><link rel="canonical" href="${base}${req.url!.slice(1)}"></head><body><h1>${title}</h1>${links}</body></html>`,
        );
      if (req.url === '/')
        return page(
          'The home page of the history test site',
          version === 1
            ? '<a href="/a">a</a><a href="/broken">b</a>'
            : '<a href="/a">a</a><a href="/new">n</a>',
        );
      if (req.url === '/a')
        return version === 1 ? page('Page A of the history test site, version one') : page('');
      if (req.url === '/new') return page('A page added in the second version of the site');
      res.writeHead(404).end();
    });
    const where = await crawlDb();
    const { sql } = where;
    const clock = new FakeClock(Date.parse('2026-11-16T04:00:00Z'));
    await seedSitesIn(sql, testConfig({ sites: [{ name: 'studio', baseUrl: base }] }).sites, clock.now());
    const site = (await siteByName(sql, 'studio'))!;
    const crawl = () =>
      auditSite(
        { ...where, now: clock.now, log: memoryLogger() },
        {
          siteId: site.id,
          startUrl: base,
          settings: auditSettingsFrom({
            requestsPerSecond: 0,
            useSitemaps: false,
            thresholds: { thinContentWords: 0 },
          }),
        },
      );
    const first = await crawl();
    version = 2;
    clock.advance(7 * 86_400_000);
    const second = await crawl();
    const diff = await diffCrawls(sql, second.crawlId, first.crawlId);
    expect(diff.newIssues.map((i) => [i.rule, i.url])).toEqual([
      ['title-missing', `${base}a`],
      ['h1-missing', `${base}a`],
    ]);
    expect(diff.fixedIssues.map((i) => [i.rule, i.url])).toEqual([['status-4xx', `${base}broken`]]);
    expect(diff.pagesAdded).toEqual([`${base}new`]);
    expect(diff.pagesGone).toEqual([`${base}broken`]);
    // The audit page's "all issues" CSV: every issue of the crawl with its page, in the export's columns.
    const all = await crawlIssues(sql, second.crawlId);
    expect(Object.keys(all[0]!)).toEqual(['rule', 'severity', 'url', 'status', 'details']);
    expect(all.map((i) => [i.rule, i.url])).toEqual(
      expect.arrayContaining([
        ['title-missing', `${base}a`],
        ['h1-missing', `${base}a`],
      ]),
    );
    expect(all.some((i) => i.url === `${base}broken`)).toBe(false);
    const trend = await healthTrend(sql, site.id);
    expect(trend.map((t) => [t.crawlId, t.health])).toEqual([
      [first.crawlId, first.health],
      [second.crawlId, second.health],
    ]);
    expect(first.health).toBeCloseTo(66.7, 1); // 3 pages, one with an error (the 404)
    expect(second.health).toBeCloseTo(66.7, 1); // 3 pages, one with an error (no title)
    expect((await issuesByRule(sql, second.crawlId))[0]).toMatchObject({
      rule: 'title-missing',
      severity: 'error',
      count: 1,
    });
  });
});

describe('crawl history after a capped crawl', () => {
  it('calls nothing fixed that the capped crawl could not see: orphans, and issues on pages it never fetched', async () => {
    const base = await localServer((req, res) => {
      const html = (body: string) => res.writeHead(200, { 'content-type': 'text/html' }).end(body);
      if (req.url === '/sitemap.xml')
        return res
          .writeHead(200, { 'content-type': 'application/xml' })
          .end(
            `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>${base}</loc></url><url><loc>${base}orphan</loc></url></urlset>`,
          );
      if (req.url === '/robots.txt') return res.writeHead(404).end();
      if (req.url === '/')
        return html(
          `<html lang="en"><head><title>Home of the capped history test site</title></head><body><h1>Home</h1>${[1, 2, 3, 4, 5, 6].map((n) => `<a href="/p${n}">p${n}</a>`).join('')}</body></html>`,
        );
      // Every page lacks a title: an issue on each, which a capped crawl must not call fixed.
      return html(`<html lang="en"><head></head><body><h1>${req.url}</h1></body></html>`);
    });
    const where = await crawlDb();
    const { sql } = where;
    const clock = new FakeClock(Date.parse('2026-11-16T04:00:00Z'));
    await seedSitesIn(sql, testConfig({ sites: [{ name: 'studio', baseUrl: base }] }).sites, clock.now());
    const site = (await siteByName(sql, 'studio'))!;
    const crawl = (maxPages?: number) =>
      auditSite(
        { ...where, now: clock.now, log: memoryLogger() },
        {
          siteId: site.id,
          startUrl: base,
          settings: auditSettingsFrom({ requestsPerSecond: 0, ...(maxPages ? { maxPages } : {}) }),
        },
      );
    const full = await crawl();
    const fullIssues = await issuesByRule(sql, full.crawlId);
    expect(fullIssues.find((r) => r.rule === 'orphan-page')?.count).toBe(1);
    clock.advance(86_400_000);
    const capped = await crawl(3);
    const diff = await diffCrawls(sql, capped.crawlId, full.crawlId);
    expect(diff.fixedIssues.filter((i) => i.rule === 'orphan-page')).toEqual([]);
    expect(diff.fixedIssues.filter((i) => i.rule === 'title-missing')).toEqual([]);
  });
});
