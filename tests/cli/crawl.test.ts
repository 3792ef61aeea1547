// `promowatch crawl <url>`: ad hoc crawls without a config, as scripts and CI use them.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { localServer } from '../helpers.ts';

const BIN = fileURLToPath(new URL('../../src/cli/bin.mjs', import.meta.url));

function run(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, 'crawl', ...args], { env: { PATH: process.env.PATH! } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => resolve({ code, out, err }));
  });
}

let seed = 1;
const prose = () =>
  Array.from({ length: 250 }, (_, i) => `w${(i * 7919 + seed++ * 104729) % 9973}`).join(' ');
const GOOD = (title: string, links = '') =>
  `<html lang="en"><head><title>${title}</title><meta name="description" content="${title}: a description long enough to pass the audit's length check."><meta name="viewport" content="width=device-width"><link rel="canonical" href="__SELF__"></head><body><h1>${title}</h1>${links}<p>${prose()}</p></body></html>`;

describe('promowatch crawl', () => {
  it('prints one JSON document with pages and issues, and exits 1 when errors are found', async () => {
    const base = await localServer((req, res) => {
      if (req.url === '/')
        return res
          .writeHead(200, { 'content-type': 'text/html' })
          .end('<title>Home</title><a href="/moved">m</a><a href="/missing">x</a>');
      if (req.url === '/moved') return res.writeHead(301, { location: '/' }).end();
      if (req.url === '/robots.txt') return res.writeHead(200).end('User-agent: *\nDisallow: /missing-too\n');
      res.writeHead(404).end();
    });
    const r = await run([base, '--json', '--rps', '0']);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.out) as {
      pages: Record<string, unknown>[];
      issues: Record<string, unknown>[];
      summary: Record<string, unknown>;
    };
    expect(doc.pages).toEqual([
      expect.objectContaining({
        url: base,
        status: 200,
        finalUrl: base,
        redirects: [],
        title: 'Home',
        depth: 0,
        blockedByRobots: false,
      }),
      expect.objectContaining({
        url: `${base}moved`,
        status: 301,
        finalUrl: base,
        redirects: [{ url: `${base}moved`, status: 301, location: base }],
        depth: 1,
      }),
      expect.objectContaining({ url: `${base}missing`, status: 404, depth: 1 }),
    ]);
    expect(doc.issues).toContainEqual({
      rule: 'status-4xx',
      severity: 'error',
      url: `${base}missing`,
      details: expect.stringMatching(/^answered 404; linked from 1 page/),
    });
    expect(doc.summary).toMatchObject({ pages: 3, status: 'ok' });
  });

  it('prints a readable summary and exits 0 for a site without errors', async () => {
    const base = await localServer((req, res) => {
      const self = `http://${req.headers.host}${req.url}`;
      if (req.url === '/')
        return res
          .writeHead(200, { 'content-type': 'text/html' })
          .end(
            GOOD('The home page of a tidy little site', '<a href="/about">about</a>').replace(
              '__SELF__',
              self,
            ),
          );
      if (req.url === '/about')
        return res
          .writeHead(200, { 'content-type': 'text/html' })
          .end(GOOD('About the people behind the tidy site').replace('__SELF__', self));
      res.writeHead(404).end();
    });
    const r = await run([base, '--rps', '0']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(
      /^Crawled 2 pages \(2 URLs\) of 127\.0\.0\.1:\d+ in [\d.]+ s; health 100\/100\n0 errors, 0 warnings, 0 notices/,
    );
  });

  it('reports an endless chain of distinct redirects once, as a chain longer than 10 hops, not a loop', async () => {
    // /r/0 → /r/1 → /r/2 → … for ever, each URL new.
    const base = await localServer((req, res) => {
      const n = /^\/r\/(\d+)$/.exec(req.url!);
      if (n) return res.writeHead(301, { location: `/r/${Number(n[1]) + 1}` }).end();
      if (req.url === '/')
        return res
          .writeHead(200, { 'content-type': 'text/html' })
          .end('<title>Home</title><a href="/r/0">old</a>');
      res.writeHead(404).end();
    });
    const r = await run([base, '--json', '--rps', '0', '--max-pages', '200']);
    const doc = JSON.parse(r.out) as {
      pages: { url: string; redirects: unknown[]; finalUrl: string | null; skipped: string | null }[];
      issues: { rule: string; url: string; details: string }[];
      summary: { pages: number };
    };
    const redirectIssues = doc.issues.filter((i) => i.rule.startsWith('redirect-'));
    expect(redirectIssues).toEqual([
      {
        rule: 'redirect-chain-too-long',
        severity: 'error',
        url: `${base}r/0`,
        details: `chain longer than 10 hops; stopped following at ${base}r/10`,
      },
    ]);
    // The chain is listed once, from where it starts; each URL inside it lists only its own hop.
    const byUrl = new Map(doc.pages.map((p) => [p.url, p]));
    expect(byUrl.get(`${base}r/0`)!.redirects).toHaveLength(11);
    expect(byUrl.get(`${base}r/0`)!.finalUrl).toBeNull();
    expect(byUrl.get(`${base}r/5`)!.redirects).toEqual([
      { url: `${base}r/5`, status: 301, location: `${base}r/6` },
    ]);
    expect(doc.pages.reduce((n, p) => n + p.redirects.length, 0)).toBe(21);
    // Followed 10 hops past /r/0 and no further.
    expect(byUrl.get(`${base}r/11`)!.skipped).toBe('redirect chain longer than 10 hops');
    expect(byUrl.has(`${base}r/12`)).toBe(false);
    expect(doc.summary.pages).toBe(12);
  });

  it('says that a crawl capped by --max-pages looked for no orphan pages', async () => {
    const base = await localServer((req, res) => {
      const b = `http://${req.headers.host}`;
      if (req.url === '/robots.txt') return res.writeHead(200).end(`Sitemap: ${b}/sitemap.xml\n`);
      if (req.url === '/sitemap.xml')
        return res
          .writeHead(200, { 'content-type': 'application/xml' })
          .end(
            `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>${b}/listed/</loc></url></urlset>`,
          );
      res.writeHead(200, { 'content-type': 'text/html' }).end('<title>Home</title><a href="/next/">next</a>');
    });
    const r = await run([base, '--rps', '0', '--max-pages', '1']);
    expect(r.out).toMatch(/; 2 URLs left unvisited \(--max-pages\), so orphan pages were not looked for\n/);
    expect(r.out).not.toMatch(/Orphan page/);
  });

  it('refuses a URL that is not http(s) with exit code 2', async () => {
    const r = await run(['ftp://example.com/']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('"ftp://example.com/" is not an absolute http(s) URL');
  });
});
