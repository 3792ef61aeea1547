// `promowatch check-link`: one backlink, checked without a config, as JSON for scripts.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { closedPortUrl, localServer } from '../helpers.ts';

const BIN = fileURLToPath(new URL('../../src/cli/bin.mjs', import.meta.url));

function run(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, 'check-link', ...args], {
      env: { PATH: process.env.PATH!, ...env },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => resolve({ code, out, err }));
  });
}

describe('promowatch check-link', () => {
  it('prints the verdict as JSON: status, reasons, engines, HTTP and the link', async () => {
    const base = await localServer((req, res) => {
      if (req.url === '/robots.txt') return res.writeHead(404).end();
      if (req.url === '/old') return res.writeHead(301, { location: '/post' }).end();
      res
        .writeHead(200, { 'content-type': 'text/html' })
        .end('<p>Read <noindex><a href="https://studio.example/" rel="sponsored">Kadr</a></noindex></p>');
    });
    const r = await run([`${base}old`, '--target', 'studio.example', '--json']);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.out);
    // Scripts read these keys: new ones may be added, none renamed or dropped.
    expect(Object.keys(doc)).toEqual([
      'status',
      'state',
      'reasons',
      'why',
      'google',
      'yandex',
      'http',
      'link',
      'mode',
      'screenshot',
      'error',
    ]);
    expect(doc).toMatchObject({
      status: 'gone',
      state: 'lost',
      reasons: [`redirected elsewhere: ${base}post`],
      google: { passes: false },
      yandex: { passes: false },
      http: { status: 200, redirects: [{ url: `${base}old`, status: 301, location: `${base}post` }] },
    });
    const direct = JSON.parse(
      (await run([`${base}post`, '--target', 'https://studio.example/', '--json'])).out,
    );
    expect(direct).toMatchObject({
      status: 'devalued',
      google: { passes: false, reasons: ['rel="sponsored"'] },
      yandex: { passes: false },
      link: {
        href: 'https://studio.example/',
        anchor: 'Kadr',
        rel: ['sponsored'],
        hidden: null,
        inNoindex: true,
      },
    });
  });

  it('exits 0 for a live link and prints a readable verdict', async () => {
    const base = await localServer((req, res) => {
      if (req.url === '/robots.txt') return res.writeHead(404).end();
      res
        .writeHead(200, { 'content-type': 'text/html' })
        .end('<p><a href="https://studio.example/">motion design studio</a></p>');
    });
    const r = await run([base, '--target', 'https://studio.example/']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(
      /^LIVE\nHTTP 200\nGoogle: passes\nYandex: passes\nLink: <a href="https:\/\/studio\.example\/">motion design studio<\/a>/,
    );
  });

  it('prints a page bigger than the size cap without the link as inconclusive, not removed', async () => {
    const base = await localServer((req, res) => {
      if (req.url === '/robots.txt') return res.writeHead(404).end();
      res
        .writeHead(200, { 'content-type': 'text/html' })
        .end(
          `<html><body>${'<p>filler</p>'.repeat(500_000)}<a href="https://studio.example/">late</a></body></html>`,
        );
    });
    const r = await run([`${base}huge`, '--target', 'studio.example']);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(
      /^INCONCLUSIVE: page larger than 5 MB; link not found in the first 5 MB\nHTTP 200\nGoogle: unknown \(could not check the page\)\n/,
    );
    const doc = JSON.parse((await run([`${base}huge`, '--target', 'studio.example', '--json'])).out);
    expect(doc).toMatchObject({
      status: 'inconclusive',
      reasons: ['page larger than 5 MB; link not found in the first 5 MB'],
      link: null,
    });
  });

  it('prints a refused connection as inconclusive with both engines unknown, not as "does not pass"', async () => {
    const page = `${await closedPortUrl()}post`;
    const r = await run([page, '--target', 'studio.example']);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^INCONCLUSIVE: could not load the page: .*refused/i);
    expect(r.out).toContain(
      'HTTP no answer\nGoogle: unknown (could not check the page)\nYandex: unknown (could not check the page)',
    );
    expect(r.out).not.toContain('does not pass');
    expect(r.out).not.toContain('--render');
    const doc = JSON.parse((await run([page, '--target', 'studio.example', '--json'])).out);
    expect(doc).toMatchObject({
      status: 'inconclusive',
      state: 'inconclusive',
      google: { passes: null },
      yandex: { passes: null },
    });
  });

  it('says a static check could not judge CSS hiding, and suggests --render', async () => {
    const base = await localServer((req, res) => {
      if (req.url === '/robots.txt') return res.writeHead(404).end();
      res
        .writeHead(200, { 'content-type': 'text/html' })
        .end('<p><a href="https://studio.example/" class="x">motion design studio</a></p>');
    });
    const r = await run([base, '--target', 'studio.example']);
    expect(r.code).toBe(0);
    expect(r.out).toContain(
      'Not checked: whether CSS hides the link (the static HTML cannot tell). Run again with --render',
    );
  });

  it('says a link missing from the static HTML may be added by a script, calls it lost, and suggests --render', async () => {
    const base = await localServer((req, res) => {
      if (req.url === '/robots.txt') return res.writeHead(404).end();
      res
        .writeHead(200, { 'content-type': 'text/html' })
        .end('<p>Our partners</p><script src="/partners.js"></script>');
    });
    const r = await run([base, '--target', 'studio.example']);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^LOST: link removed\n/);
    expect(r.out).toContain(
      'The link is not in the static HTML; a script may add it. Run again with --render',
    );
    const doc = JSON.parse((await run([base, '--target', 'studio.example', '--json'])).out);
    expect(doc).toMatchObject({ status: 'missing', state: 'lost', google: { passes: false } });
  });

  it('says when --render could not open the browser, so the verdict is the static one', async () => {
    const base = await localServer((req, res) => {
      if (req.url === '/robots.txt') return res.writeHead(404).end();
      res
        .writeHead(200, { 'content-type': 'text/html' })
        .end('<p><a href="https://studio.example/">motion design studio</a></p>');
    });
    const r = await run([base, '--target', 'studio.example', '--render'], {
      PROMOWATCH_CHROMIUM: '/nonexistent/chromium',
    });
    expect(r.out).toMatch(/^LIVE\n/);
    expect(r.out).toContain('Not checked in the browser (rendering failed: ');
    expect(r.out).toContain('so CSS hiding was not judged');
  });

  it('refuses a missing --target with exit code 2', async () => {
    const r = await run(['https://donor.example/']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--target is needed');
  });
});
