// Sitemap discovery: robots.txt Sitemap lines, sitemap indexes and .xml.gz children feed the crawl.
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { auditSettingsFrom, auditSite } from '../../src/audit/site-audit.ts';
import { memoryLogger } from '../../src/util/log.ts';
import { localServer } from '../helpers.ts';
import { crawlDb } from './crawl-backend.ts';

describe('sitemap discovery', () => {
  it('follows robots.txt to a sitemap index and a gzipped child, marking the pages it lists', async () => {
    const base = await localServer((req, res) => {
      const b = `http://${req.headers.host}`;
      switch (req.url) {
        case '/robots.txt':
          return res.writeHead(200).end(`User-agent: *\nAllow: /\nSitemap: ${b}/sitemap-index.xml\n`);
        case '/sitemap-index.xml':
          return res
            .writeHead(200, { 'content-type': 'application/xml' })
            .end(
              `<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>${b}/pages.xml.gz</loc></sitemap></sitemapindex>`,
            );
        case '/pages.xml.gz':
          return res
            .writeHead(200, { 'content-type': 'application/gzip' })
            .end(
              zlib.gzipSync(
                `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>${b}/linked/</loc></url><url><loc>${b}/only-in-sitemap/</loc></url><url><loc>https://elsewhere.example/x</loc></url></urlset>`,
              ),
            );
        case '/':
          return res.writeHead(200, { 'content-type': 'text/html' }).end('<a href="/linked/">linked</a>');
        default:
          return res.writeHead(200, { 'content-type': 'text/html' }).end('<title>page</title>');
      }
    });
    const where = await crawlDb();
    const { sql } = where;
    const s = await auditSite(
      { ...where, now: () => new Date('2026-11-27T09:00:00Z'), log: memoryLogger() },
      { siteId: null, startUrl: base, settings: auditSettingsFrom({ requestsPerSecond: 0 }) },
    );
    const rows = await sql.all(
      `SELECT url, in_sitemap, depth, inlinks, state FROM crawl_urls WHERE crawl_id = ? AND kind = 'page' ORDER BY url`,
      [s.crawlId],
    );
    expect(rows).toEqual([
      { url: base, in_sitemap: 0, depth: 0, inlinks: 0, state: 'done' },
      { url: `${base}linked/`, in_sitemap: 1, depth: 1, inlinks: 1, state: 'done' },
      { url: `${base}only-in-sitemap/`, in_sitemap: 1, depth: 1_000_000, inlinks: 0, state: 'done' },
    ]);
    const orphans = await sql.all(
      `SELECT u.url FROM crawl_issues i JOIN crawl_urls u ON u.id = i.url_id WHERE i.crawl_id = ? AND i.rule = 'orphan-page'`,
      [s.crawlId],
    );
    expect(orphans).toEqual([{ url: `${base}only-in-sitemap/` }]);
  });
});
