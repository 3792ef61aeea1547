// The crawler against a hostile site: every trap gets a clear result, the crawl finishes, memory stays flat.
import zlib from 'node:zlib';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditSettingsFrom, auditSite } from '../../src/audit/site-audit.ts';
import type { CrawlSummary } from '../../src/audit/finish.ts';
import { encodeCp1251 } from '../../src/demo/cp1251.ts';
import type { Sql } from '../../src/db/store/types.ts';
import { memoryLogger } from '../../src/util/log.ts';
import { localServer, suiteSetup } from '../helpers.ts';
import { crawlDb } from './crawl-backend.ts';
import { endlessRedirects } from './endless-redirects.ts';

const HOME = `<html><head><title>Hostile test site for the crawler</title></head><body>
<a href="/loop/a">loop</a> <a href="/calendar?month=0">calendar</a> <a href="/big">big</a> <a href="/drip">drip</a>
<a href="/bomb">bomb</a> <a href="/unknown-charset">unknown charset</a> <a href="/lying-charset">lying</a>
<a href="/binary">binary</a> <a href="/reset">reset</a> <a href="/broken-html">broken</a>
<a href="/with space/file name.html">spaces</a> <a href="/путь/страница">unicode</a> <a href="http://пример.испытание/">idn</a>
<a href="/a/a/a/a/a/">repeated segments</a> <a href="mailto:x@y.z">mail</a> <a href="javascript:void(0)">js</a>
</body></html>`;

const bomb = zlib.gzipSync(Buffer.alloc(300 * 1024 * 1024), { level: 9 });

function handler(req: IncomingMessage, res: ServerResponse) {
  const url = new URL(req.url!, 'http://x');
  const path = decodeURIComponent(url.pathname);
  const html = (body: string | Buffer, type = 'text/html; charset=utf-8') =>
    res.writeHead(200, { 'content-type': type }).end(body);
  switch (true) {
    case path === '/robots.txt':
      return res.writeHead(404).end();
    case path === '/':
      return html(HOME);
    case path === '/loop/a':
      return res.writeHead(301, { location: '/loop/b' }).end();
    case path === '/loop/b':
      return res.writeHead(302, { location: '/loop/a' }).end();
    case path === '/calendar': {
      // An endless calendar: every month links to the next one.
      const m = Number(url.searchParams.get('month'));
      return html(
        `<title>Calendar month ${m} of the endless calendar</title><a href="/calendar?month=${m + 1}">next</a>`,
      );
    }
    case path === '/big':
      return html(`<title>Ten megabytes</title>${'<p>filler text '.repeat(800_000)}`);
    case path === '/drip': {
      res.writeHead(200, { 'content-type': 'text/html' });
      const t = setInterval(() => res.write('x'), 1000);
      return res.on('close', () => clearInterval(t));
    }
    case path === '/bomb':
      return res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' }).end(bomb);
    case path === '/unknown-charset':
      return html('<title>Unknown charset page</title><p>text</p>', 'text/html; charset=x-klingon');
    case path === '/lying-charset':
      return html(
        Buffer.from(encodeCp1251('<title>Страница в windows-1251</title>')),
        'text/html; charset=utf-8',
      );
    case path === '/binary':
      return html(
        Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0, 0x49, 0x48, 0x44, 0x52, ...Array(5000).fill(0)]),
      );
    case path === '/reset': {
      res.writeHead(200, { 'content-type': 'text/html', 'content-length': '100000' });
      res.write('<title>partial');
      return setTimeout(() => req.socket.destroy(), 20);
    }
    case path === '/broken-html':
      return html(
        '<html><head><title>Broken <b>markup</title><meta name=description content=unquoted value><body><div><p><a href="/">home<table><tr><td>cell</div></p><script>if (a < b) { "</scr" + "ipt>" }</script><h1>Still a heading',
      );
    case path === '/with space/file name.html':
      return html('<title>A file name with spaces in it, served</title>');
    case path === '/путь/страница':
      return html('<title>Юникод в пути страницы работает</title>');
    default:
      return res.writeHead(404, { 'content-type': 'text/html' }).end('<title>Not found</title>');
  }
}

let sql: Sql;
let summary: CrawlSummary;
let base: string;
let rssGrowth: number;
const row = async (path: string) =>
  (await sql.get(`SELECT * FROM crawl_urls WHERE crawl_id = ? AND url = ?`, [
    summary.crawlId,
    new URL(path, base).href,
  ]))!;
const issuesOf = async (path: string) =>
  (
    await sql.all<{ rule: string; details: string }>(
      `SELECT i.rule, i.details FROM crawl_issues i JOIN crawl_urls u ON u.id = i.url_id WHERE i.crawl_id = ? AND u.url = ?`,
      [summary.crawlId, new URL(path, base).href],
    )
  ).map((i) => `${i.rule}: ${i.details}`);

beforeAll(
  () =>
    suiteSetup(async () => {
      base = await localServer(handler);
      const where = await crawlDb();
      sql = where.sql;
      const before = process.memoryUsage().rss;
      summary = await auditSite(
        { ...where, now: () => new Date('2026-11-27T09:00:00Z'), log: memoryLogger() },
        {
          siteId: null,
          startUrl: base,
          settings: auditSettingsFrom({
            timeoutMs: 2500,
            retries: 0,
            requestsPerSecond: 0,
            concurrency: 8,
            maxBytes: 1024 * 1024,
            maxDecodedBytes: 4 * 1024 * 1024,
            maxQueryVariantsPerPath: 20,
            maxDepth: 50,
          }),
        },
      );
      rssGrowth = process.memoryUsage().rss - before;
    }),
  60_000,
);

describe('crawling a hostile site', () => {
  it('finishes and keeps memory flat', () => {
    expect(summary.status).toBe('ok');
    expect(rssGrowth).toBeLessThan(150 * 1024 * 1024);
  });

  it('records a redirect loop as a loop', async () => {
    expect(await row('/loop/a')).toMatchObject({
      status: 301,
      location: new URL('/loop/b', base).href,
      redirect_hops: -1,
    });
    expect(await issuesOf('/loop/a')).toContainEqual(expect.stringMatching(/^redirect-loop: loops back/));
  });

  it('stops an endless calendar at the query-variant guard', async () => {
    const months = await sql.all<{ state: string; skip_reason: string }>(
      `SELECT state, skip_reason FROM crawl_urls WHERE crawl_id = ? AND url LIKE '%/calendar?month=%'`,
      [summary.crawlId],
    );
    expect(months.filter((m) => m.state === 'done')).toHaveLength(20);
    expect(months.find((m) => m.state === 'skipped')!.skip_reason).toMatch(
      /trap guard: more than 20 query-string variants of \/calendar/,
    );
  });

  it('cuts a 10 MB page at the size limit and still reads its title', async () => {
    expect(await row('/big')).toMatchObject({ status: 200, truncated: 'max-bytes', title: 'Ten megabytes' });
    expect(await issuesOf('/big')).toContainEqual(
      expect.stringMatching(/^body-truncated: body cut at 1048576 bytes/),
    );
  });

  it('gives up on a server that drips a byte a second', async () => {
    expect(await row('/drip')).toMatchObject({
      status: null,
      error: expect.stringMatching(/no complete answer within 2500 ms/),
    });
    expect(await issuesOf('/drip')).toContainEqual(
      expect.stringMatching(/^fetch-failed: Fetching .*drip failed/),
    );
  });

  it('stops a gzip bomb at the decompressed-size limit', async () => {
    expect(await row('/bomb')).toMatchObject({ status: 200, truncated: 'max-decoded-bytes' });
  });

  it('reports an unknown charset and a lying one', async () => {
    expect(await issuesOf('/unknown-charset')).toContainEqual(
      'charset-problem: unknown charset "x-klingon" in Content-Type',
    );
    expect(await row('/unknown-charset')).toMatchObject({ title: 'Unknown charset page' });
    expect(await issuesOf('/lying-charset')).toContainEqual(
      expect.stringMatching(/^charset-problem: bytes are not valid utf-8/),
    );
  });

  it('does not parse binary served as text/html', async () => {
    expect(await issuesOf('/binary')).toContainEqual(
      'charset-problem: body looks binary (NUL bytes) although served as HTML',
    );
    expect(await row('/binary')).toMatchObject({ status: 200, title: null });
  });

  it('reports a connection reset in the middle of the body', async () => {
    expect(await row('/reset')).toMatchObject({
      status: null,
      error: expect.stringMatching(/connection (reset|closed before the body was complete)/),
    });
  });

  it('reads what it can from badly broken HTML', async () => {
    expect(await row('/broken-html')).toMatchObject({
      status: 200,
      title: 'Broken <b>markup',
      meta_description: 'unquoted',
    });
    expect(JSON.parse((await row('/broken-html')).h1 as string)).toEqual(['Still a heading']);
  });

  it('fetches URLs with spaces and unicode paths, and normalises an IDN host', async () => {
    expect(await row('/with%20space/file%20name.html')).toMatchObject({
      status: 200,
      title: 'A file name with spaces in it, served',
    });
    expect(
      await row('/%D0%BF%D1%83%D1%82%D1%8C/%D1%81%D1%82%D1%80%D0%B0%D0%BD%D0%B8%D1%86%D0%B0'),
    ).toMatchObject({
      status: 200,
      title: 'Юникод в пути страницы работает',
    });
    const idn = await sql.get(
      `SELECT url, kind, state FROM crawl_urls WHERE crawl_id = ? AND url LIKE 'http://xn--%'`,
      [summary.crawlId],
    );
    expect(idn).toEqual({ url: 'http://xn--e1afmkfd.xn--80akhbyknj4f/', kind: 'external', state: 'skipped' });
  });

  it('skips repeated path segments as a trap', async () => {
    expect(await row('/a/a/a/a/a/')).toMatchObject({
      state: 'skipped',
      skip_reason: expect.stringMatching(/path segment "a" repeats 4 times/),
    });
  });

  it('never turns mailto: or javascript: links into URLs', async () => {
    const odd = (await sql.get<{ n: number }>(
      `SELECT COUNT(*) AS n FROM crawl_urls WHERE crawl_id = ? AND url NOT LIKE 'http%'`,
      [summary.crawlId],
    ))!;
    expect(odd.n).toBe(0);
  });
});

describe('robots.txt answering 500', () => {
  it('fetches nothing else and records the start page as blocked', async () => {
    const seen: string[] = [];
    const url = await localServer((req, res) => {
      seen.push(req.url!);
      if (req.url === '/robots.txt') res.writeHead(500).end('oops');
      else res.writeHead(200, { 'content-type': 'text/html' }).end('<a href="/x">x</a>');
    });
    const where = await crawlDb();
    const s = await auditSite(
      { ...where, now: () => new Date('2026-11-27T09:00:00Z'), log: memoryLogger() },
      { siteId: null, startUrl: url, settings: auditSettingsFrom({ retries: 0 }) },
    );
    expect(seen.filter((p) => p !== '/robots.txt' && p !== '/sitemap.xml')).toEqual([]);
    expect(
      await where.sql.all(`SELECT state, skip_reason FROM crawl_urls WHERE crawl_id = ?`, [s.crawlId]),
    ).toEqual([{ state: 'blocked', skip_reason: 'blocked by robots.txt' }]);
    expect(await where.sql.get(`SELECT robots FROM crawls WHERE id = ?`, [s.crawlId])).toEqual({
      robots: expect.stringMatching(/500/),
    });
  });
});

describe('an endless chain of distinct redirects', () => {
  it('follows at most 10 hops from where the chain starts and reports one long chain, not a loop', async () => {
    const fetched: string[] = [];
    const url = await localServer(endlessRedirects(fetched));
    const where = await crawlDb();
    const s = await auditSite(
      { ...where, now: () => new Date(), log: memoryLogger() },
      {
        siteId: null,
        startUrl: url,
        settings: auditSettingsFrom({ retries: 0, requestsPerSecond: 0, maxPages: 200 }),
      },
    );
    expect(fetched).toEqual(Array.from({ length: 11 }, (_, i) => `/r/${i}`));
    expect(
      await where.sql.get(`SELECT state, skip_reason FROM crawl_urls WHERE crawl_id = ? AND url = ?`, [
        s.crawlId,
        `${url}r/11`,
      ]),
    ).toEqual({ state: 'skipped', skip_reason: 'redirect chain longer than 10 hops' });
    const issues = await where.sql.all(
      `SELECT i.rule, u.url, i.details FROM crawl_issues i JOIN crawl_urls u ON u.id = i.url_id
         WHERE i.crawl_id = ? AND i.rule LIKE 'redirect-%'`,
      [s.crawlId],
    );
    expect(issues).toEqual([
      {
        rule: 'redirect-chain-too-long',
        url: `${url}r/0`,
        details: `chain longer than 10 hops; stopped following at ${url}r/10`,
      },
    ]);
  });
});
