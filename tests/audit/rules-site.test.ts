// Every audit rule on a site built to break it once: each (rule, page) pair below must be found.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { beforeAll, describe, expect, it } from 'vitest';
import { knownDetails } from '../../src/audit/explain.ts';
import { auditSettingsFrom, auditSite } from '../../src/audit/site-audit.ts';
import { memoryLogger } from '../../src/util/log.ts';
import { localServer, suiteSetup } from '../helpers.ts';
import { crawlDb } from '../crawl/crawl-backend.ts';

// Pseudo-random prose: each seed gives its own word sequence, so unrelated pages are not near-duplicates.
const SYL = [
  'ka',
  'dro',
  'mi',
  'ne',
  'lo',
  'vis',
  'tar',
  'pe',
  'su',
  'gan',
  'rel',
  'to',
  'bri',
  'mon',
  'fe',
  'shu',
];
function text(seed: number, n = 260): string {
  let x = (seed * 2654435761 + 12345) >>> 0;
  const rnd = () => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 8) % 4096;
  return Array.from({ length: n }, () => {
    const r = rnd();
    return SYL[r % 16]! + SYL[(r >> 4) % 16]! + (r & 1 ? SYL[(r >> 8) % 16] : '');
  }).join(' ');
}

interface P {
  title?: string | string[] | null;
  desc?: string | null;
  h1?: string[];
  body?: string;
  head?: string;
  viewport?: boolean;
  lang?: boolean;
  canonical?: string[] | null;
}
function page(path: string, p: P = {}): string {
  const titles =
    p.title === null
      ? []
      : Array.isArray(p.title)
        ? p.title
        : [p.title ?? `A well-formed page title for ${path}`];
  const desc =
    p.desc === null
      ? ''
      : `<meta name="description" content="${p.desc ?? `A meta description of a good length that describes the page at ${path} to searchers.`}">`;
  // __BASE__ is replaced by the server's origin: canonicals are absolute unless a test wants otherwise.
  const canon =
    p.canonical === null
      ? ''
      : (p.canonical ?? [`__BASE__${path}`]).map((c) => `<link rel="canonical" href="${c}">`).join('');
  return `<!doctype html><html${p.lang === false ? '' : ' lang="en"'}><head>${titles.map((t) => `<title>${t}</title>`).join('')}${desc}${canon}${p.viewport === false ? '' : '<meta name="viewport" content="width=device-width">'}${p.head ?? ''}</head>
<body>${(p.h1 ?? [`Heading of ${path}`]).map((h) => `<h1>${h}</h1>`).join('')}<p>${p.body ?? text(path.length)}</p></body></html>`;
}

let external = '';
const LONG = `/${'long-url-segment-'.repeat(8)}end/`;
const PAGES: Record<string, (base: string) => string> = {
  '/no-title/': () => page('/no-title/', { title: null }),
  '/two-titles/': () =>
    page('/two-titles/', {
      title: ['First title of the two titles here', 'Second title of the two titles here'],
    }),
  '/short/': () => page('/short/', { title: 'Short' }),
  '/long/': () =>
    page('/long/', { title: 'A title that goes on and on and on well past what search results can show' }),
  '/dup-a/': () =>
    page('/dup-a/', {
      title: 'The same title on two pages of the site',
      desc: 'The same description on two pages of the site, long enough to count.',
      h1: ['Same heading'],
      body: text(1),
    }),
  '/dup-b/': () =>
    page('/dup-b/', {
      title: 'The same title on two pages of the site',
      desc: 'The same description on two pages of the site, long enough to count.',
      h1: ['Same heading'],
      body: text(1),
    }),
  '/no-desc/': () => page('/no-desc/', { desc: null }),
  '/no-h1/': () => page('/no-h1/', { h1: [] }),
  '/two-h1/': () => page('/two-h1/', { h1: ['One heading', 'Another heading'] }),
  '/noindex/': () => page('/noindex/', { head: '<meta name="robots" content="noindex">' }),
  '/canon-404/': () => page('/canon-404/', { canonical: ['__BASE__/gone/'] }),
  '/canon-redirect/': () => page('/canon-redirect/', { canonical: ['__BASE__/old/'] }),
  '/canon-noindex/': () => page('/canon-noindex/', { canonical: ['__BASE__/noindex/'] }),
  '/canon-multi/': () => page('/canon-multi/', { canonical: ['/canon-multi/', '__BASE__/other/'] }),
  '/no-canon/': () => page('/no-canon/', { canonical: null }),
  '/meta-refresh/': () => page('/meta-refresh/', { head: '<meta http-equiv="refresh" content="0; url=/">' }),
  '/hreflang-en/': () =>
    page('/hreflang-en/', {
      head: '<link rel="alternate" hreflang="en" href="/hreflang-en/"><link rel="alternate" hreflang="ru" href="/hreflang-ru/">',
    }),
  '/hreflang-ru/': () => page('/hreflang-ru/'),
  '/hreflang-noself/': () =>
    page('/hreflang-noself/', {
      head: '<link rel="alternate" hreflang="de" href="/gone/"><link rel="alternate" hreflang="x-default" href="/">',
    }),
  '/thin/': () => page('/thin/', { body: 'Only a few words here.' }),
  '/soft404/': () =>
    page('/soft404/', { title: 'Page not found — Studio', body: 'Sorry, this page does not exist.' }),
  '/images/': () =>
    page('/images/', { body: `${text(5)}<img src="/img/big.png"><img src="/img/missing.png" alt="gone">` }),
  '/slow/': () => page('/slow/'),
  '/large/': () => page('/large/', { body: text(9, 220) + ' filler'.repeat(200_000) }),
  '/deep/1/': () => page('/deep/1/', { body: `${text(11)}<a href="/deep/2/">deeper</a>` }),
  '/deep/2/': () => page('/deep/2/', { body: `${text(12)}<a href="/deep/3/">deeper</a>` }),
  '/deep/3/': () => page('/deep/3/', { body: `${text(13)}<a href="/deep/4/">deeper</a>` }),
  '/deep/4/': () => page('/deep/4/', { body: `${text(14)}<a href="/deep/5/">deeper</a>` }),
  '/deep/5/': () => page('/deep/5/'),
  '/orphan/': () => page('/orphan/'),
  '/bare/': () => page('/bare/', { viewport: false, lang: false }),
  [LONG]: () => page(LONG),
  '/near-a/': () => page('/near-a/', { body: text(21, 400) }),
  '/near-b/': () =>
    page('/near-b/', {
      body: text(21, 400)
        .split(' ')
        .map((w, i) => (i % 199 === 50 ? 'changed' : w))
        .join(' '),
    }),
  '/outbound/': () =>
    page('/outbound/', { body: `${text(31)}<a href="${external}dead">a dead external link</a>` }),
};
const LINKED = Object.keys(PAGES).filter(
  (p) =>
    p !== '/orphan/' &&
    !p.startsWith('/deep/2') &&
    !p.startsWith('/deep/3') &&
    !p.startsWith('/deep/4') &&
    !p.startsWith('/deep/5'),
);

function handler(req: IncomingMessage, res: ServerResponse) {
  const path = new URL(req.url!, 'http://x').pathname;
  const base = `http://${req.headers.host}`;
  const html = (body: string, headers: Record<string, string> = {}) =>
    res
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8', ...headers })
      .end(body.replaceAll('__BASE__', base));
  if (path === '/robots.txt')
    return res
      .writeHead(200)
      .end(
        `User-agent: *\nDisallow: /blocked/\nDisallow: /blocked-in-sitemap/\nSitemap: ${base}/sitemap.xml\n`,
      );
  if (path === '/sitemap.xml')
    return res
      .writeHead(200, { 'content-type': 'application/xml' })
      .end(
        `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${[
          '/',
          '/orphan/',
          '/noindex/',
          '/blocked-in-sitemap/',
          '/gone-from-sitemap/',
          '/old/',
        ]
          .map((p) => `<url><loc>${base}${p}</loc></url>`)
          .join('')}</urlset>`,
      );
  if (path === '/')
    return html(
      page('/', {
        body: `${text(0)}${[...LINKED, '/chain/', '/old/', '/blocked/', '/error-500/', '/xrobots/', '/gone/'].map((p) => `<a href="${p}">${p}</a>`).join(' ')}`,
      }),
    );
  if (path === '/chain/') return res.writeHead(301, { location: '/chain2/' }).end();
  if (path === '/chain2/') return res.writeHead(301, { location: '/' }).end();
  if (path === '/old/') return res.writeHead(301, { location: '/' }).end();
  if (path === '/error-500/') return res.writeHead(500).end('boom');
  if (path === '/xrobots/') return html(page('/xrobots/'), { 'x-robots-tag': 'noindex' });
  if (path === '/img/big.png')
    return res.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.alloc(200 * 1024));
  if (path === '/slow/') return setTimeout(() => html(PAGES['/slow/']!(base)), 300);
  const p = PAGES[path];
  if (p) return html(p(base));
  return res.writeHead(404, { 'content-type': 'text/html' }).end('<title>404</title>');
}

let found: Map<string, Set<string>>;
let details: { rule: string; details: string }[];
let siteBase: string;

beforeAll(() =>
  suiteSetup(async () => {
    external = await localServer((_req, res) => res.writeHead(404).end());
    siteBase = await localServer(handler);
    const where = await crawlDb();
    const s = await auditSite(
      { ...where, now: () => new Date('2026-11-27T09:00:00Z'), log: memoryLogger() },
      {
        siteId: null,
        startUrl: siteBase,
        settings: auditSettingsFrom({
          requestsPerSecond: 0,
          retries: 0,
          checkExternal: true,
          thresholds: { slowTtfbMs: 200, largeHtmlBytes: 1024 * 1024 },
        }),
      },
    );
    found = new Map();
    details = [];
    for (const r of await where.sql.all<{ rule: string; url: string; details: string | null }>(
      `SELECT i.rule, u.url, i.details FROM crawl_issues i JOIN crawl_urls u ON u.id = i.url_id WHERE i.crawl_id = ?`,
      [s.crawlId],
    )) {
      if (r.details) details.push({ rule: r.rule, details: r.details });
      const path = r.url.startsWith(siteBase) ? `/${r.url.slice(siteBase.length)}` : r.url;
      (found.get(r.rule) ?? found.set(r.rule, new Set()).get(r.rule)!).add(path);
    }
  }),
);

const EXPECTED: [string, string][] = [
  ['status-4xx', '/gone/'],
  ['status-5xx', '/error-500/'],
  ['title-missing', '/no-title/'],
  ['title-multiple', '/two-titles/'],
  ['title-too-short', '/short/'],
  ['title-too-long', '/long/'],
  ['title-duplicate', '/dup-a/'],
  ['title-duplicate', '/dup-b/'],
  ['description-duplicate', '/dup-b/'],
  ['h1-duplicate', '/dup-a/'],
  ['duplicate-content', '/dup-a/'],
  ['description-missing', '/no-desc/'],
  ['h1-missing', '/no-h1/'],
  ['h1-multiple', '/two-h1/'],
  ['noindex', '/noindex/'],
  ['noindex', '/xrobots/'],
  ['noindex-in-sitemap', '/noindex/'],
  ['canonical-to-non-200', '/canon-404/'],
  ['canonical-to-redirect', '/canon-redirect/'],
  ['canonical-to-noindex', '/canon-noindex/'],
  ['canonical-multiple', '/canon-multi/'],
  ['canonical-relative', '/canon-multi/'],
  ['canonical-missing', '/no-canon/'],
  ['canonicalised', '/canon-404/'],
  ['redirect-chain', '/chain/'],
  ['internal-link-to-redirect', '/'],
  ['redirect-meta-refresh', '/meta-refresh/'],
  ['blocked-by-robots-linked', '/blocked/'],
  ['blocked-by-robots-in-sitemap', '/blocked-in-sitemap/'],
  ['sitemap-non-200', '/gone-from-sitemap/'],
  ['sitemap-redirect', '/old/'],
  ['orphan-page', '/orphan/'],
  ['hreflang-no-return', '/hreflang-en/'],
  ['hreflang-no-x-default', '/hreflang-en/'],
  ['hreflang-no-self', '/hreflang-noself/'],
  ['hreflang-to-non-200', '/hreflang-noself/'],
  ['thin-content', '/thin/'],
  ['soft-404', '/soft404/'],
  ['image-missing-alt', '/images/'],
  ['image-oversized', '/img/big.png'],
  ['broken-resource', '/img/missing.png'],
  ['slow-ttfb', '/slow/'],
  ['large-html', '/large/'],
  ['deep-page', '/deep/5/'],
  ['viewport-missing', '/bare/'],
  ['lang-missing', '/bare/'],
  ['url-too-long', LONG],
  ['near-duplicate', '/near-a/'],
  ['near-duplicate', '/near-b/'],
];

describe('audit rules on a site that breaks each of them', () => {
  it.each(EXPECTED)('finds %s on %s', (rule, path) => {
    expect([...(found.get(rule) ?? [])]).toContain(path);
  });

  it('flags a dead external link when external checking is on', () => {
    expect([...(found.get('broken-external-link') ?? [])]).toContain(`${external}dead`);
  });

  it('raises nothing against the clean home page except the redirect links it carries', () => {
    const onHome = [...found].filter(([, paths]) => paths.has('/')).map(([rule]) => rule);
    expect(onHome).toEqual(['internal-link-to-redirect']);
  });

  it('writes every issue detail in a shape the dashboard can say in Russian', () => {
    // These rules' details are the page's own data (robots directives, hreflang codes, canonical URLs).
    const DATA = new Set([
      'noindex',
      'hreflang-no-self',
      'canonical-multiple',
      'canonical-relative',
      'canonicalised',
    ]);
    const unknown = details.filter((d) => !DATA.has(d.rule) && !knownDetails(d.details));
    expect(details.length).toBeGreaterThan(40);
    expect(unknown).toEqual([]);
  });

  it('does not call a page deep at the threshold itself', () => {
    expect([...(found.get('deep-page') ?? [])]).toEqual(['/deep/5/']);
  });
});

describe('orphan pages on a crawl capped by maxPages', () => {
  it('flags no sitemap URL as an orphan when the crawl stopped before it could see every link', async () => {
    const base = await localServer((req, res) => {
      const b = `http://${req.headers.host}`;
      if (req.url === '/robots.txt') return res.writeHead(200).end(`Sitemap: ${b}/sitemap.xml\n`);
      if (req.url === '/sitemap.xml')
        return res
          .writeHead(200, { 'content-type': 'application/xml' })
          .end(
            `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${['/a/', '/b/', '/c/', '/d/']
              .map((p) => `<url><loc>${b}${p}</loc></url>`)
              .join('')}</urlset>`,
          );
      const links = req.url === '/' ? '<a href="/a/">a</a> <a href="/b/">b</a>' : '<a href="/c/">c</a>';
      res.writeHead(200, { 'content-type': 'text/html' }).end(`<title>Page ${req.url}</title>${links}`);
    });
    const where = await crawlDb();
    const s = await auditSite(
      { ...where, now: () => new Date('2026-11-27T09:00:00Z'), log: memoryLogger() },
      { siteId: null, startUrl: base, settings: auditSettingsFrom({ requestsPerSecond: 0, maxPages: 2 }) },
    );
    // /d/ is only in the sitemap, but /b/ and /c/, never fetched, might link to it: no verdict.
    expect(
      await where.sql.get(
        `SELECT COUNT(*) AS n FROM crawl_issues WHERE crawl_id = ? AND rule = 'orphan-page'`,
        [s.crawlId],
      ),
    ).toEqual({ n: 0 });
    expect(s).toMatchObject({ pages: 2, complete: false });
  });
});
