// Rendered mode: links and content that exist only after JavaScript runs, read through real Chromium.
import { describe, expect, it } from 'vitest';
import { BrowserPool } from '../../src/browser/launcher.ts';
import { crawlSettingsFrom, crawlSite } from '../../src/crawl/crawler.ts';
import { memoryLogger } from '../../src/util/log.ts';
import { localServer, onCleanup } from '../helpers.ts';
import { crawlDb } from './crawl-backend.ts';

const APP = `<!doctype html><html><head><title>Loading…</title><script src="/app.js"></script></head><body><div id="root"></div></body></html>`;
const JS = `document.addEventListener('DOMContentLoaded', () => {
  document.title = 'Studio app — rendered title';
  document.getElementById('root').innerHTML = '<h1>Rendered</h1><a href="/from-js/">made by JavaScript</a>';
});`;

describe('rendered crawl', () => {
  it('finds links and titles that only JavaScript creates, and the static crawl does not', async () => {
    const base = await localServer((req, res) => {
      if (req.url === '/app.js')
        return res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(JS);
      if (req.url === '/') return res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(APP);
      res
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end('<title>A page reached only through JavaScript</title>');
    });
    const browser = new BrowserPool();
    onCleanup(() => browser.close());
    const run = async (render: boolean) => {
      const where = await crawlDb();
      const s = await crawlSite(
        { ...where, now: () => new Date('2026-11-27T09:00:00Z'), log: memoryLogger(), browser },
        {
          siteId: null,
          startUrl: base,
          settings: crawlSettingsFrom({ render, requestsPerSecond: 0, useSitemaps: false }),
        },
      );
      return where.sql.all(
        `SELECT url, title FROM crawl_urls WHERE crawl_id = ? AND kind = 'page' ORDER BY id`,
        [s.crawlId],
      );
    };
    expect(await run(false)).toEqual([{ url: base, title: 'Loading…' }]);
    expect(await run(true)).toEqual([
      { url: base, title: 'Studio app — rendered title' },
      { url: `${base}from-js/`, title: 'A page reached only through JavaScript' },
    ]);
  });
});
