// Rendered checks in real Chromium: links hidden by CSS, links added by JavaScript, JavaScript redirects,
// and the screenshot kept as evidence.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { targetSpec } from '../../src/backlinks/analyze.ts';
import { checkRendered, checkStatic, DEFAULT_CHECK_SETTINGS } from '../../src/backlinks/check.ts';
import { BrowserPool } from '../../src/browser/launcher.ts';
import { localServer, suiteSetup, tempDir } from '../helpers.ts';

const TARGET = 'https://studio.example/';
const HIDERS: Record<string, string> = {
  'display-none': `<div style="display:none"><a href="${TARGET}">x</a></div>`,
  visibility: `<a href="${TARGET}" style="visibility:hidden">x</a>`,
  opacity: `<span style="opacity:0"><a href="${TARGET}">x</a></span>`,
  'font-size': `<a href="${TARGET}" style="font-size:0">x</a>`,
  'off-screen': `<a href="${TARGET}" style="position:absolute;left:-9999px">x</a>`,
  'zero-size': `<a href="${TARGET}" style="display:inline-block;width:0;height:0;overflow:hidden">x</a>`,
  colour: `<div style="background:#fff"><a href="${TARGET}" style="color:#fff">x</a></div>`,
  visible: `<a href="${TARGET}">motion design</a>`,
};

let base = '';
let onHang: (() => void) | null = null;
let browser: BrowserPool;
const ctx = { settings: { ...DEFAULT_CHECK_SETTINGS, timeoutMs: 10_000 }, robotsCache: new Map() };

beforeAll(() =>
  suiteSetup(async () => {
    base = await localServer((req, res) => {
      const path = req.url!.slice(1);
      const html = (body: string, head = '') =>
        res
          .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
          .end(`<html><head><title>t</title>${head}</head><body><p>Text</p>${body}</body></html>`);
      if (path === 'robots.txt') return res.writeHead(404).end();
      if (HIDERS[path]) return html(HIDERS[path]!);
      if (path === 'js')
        return html(
          '<div id="x"></div>',
          `<script>addEventListener('DOMContentLoaded', () => { document.getElementById('x').innerHTML = '<a href="${TARGET}">added later</a>'; });</script>`,
        );
      if (path === 'js-redirect')
        return html(
          `<a href="${TARGET}">here for a moment</a>`,
          `<script>location.replace('/landing');</script>`,
        );
      if (path === 'landing') return html('<p>No links.</p>');
      // A donor that never answers; the test hears of the request.
      if (path === 'hang') return onHang?.();
      if (path === 'huge')
        return html(
          `${'<p>Обзор студий интерьера: сроки, цены и отзывы клиентов.</p>'.repeat(70_000)}${HIDERS.visible}`,
        );
      res.writeHead(404).end();
    });
    browser = new BrowserPool();
  }),
);

async function rendered(path: string, dir: string | null = null) {
  const target = targetSpec(TARGET);
  const s = await checkStatic(`${base}${path}`, target, ctx);
  return {
    s,
    r: await checkRendered(`${base}${path}`, target, ctx, browser, dir ? { dir, name: path } : null, s),
  };
}

describe('rendered check', () => {
  it.each(Object.keys(HIDERS).filter((k) => k !== 'visible'))(
    'sees a link hidden by %s that the static check counts as live',
    async (path) => {
      const { s, r } = await rendered(path);
      expect(s.verdict.outcome).toBe('live');
      expect(r.verdict.outcome).toBe('devalued');
      expect(r.facts.hidden).toBeTruthy();
    },
  );

  it('keeps a visible link live, and saves a screenshot with it highlighted', async () => {
    const dir = tempDir();
    const { r } = await rendered('visible', dir);
    expect(r.verdict.outcome).toBe('live');
    expect(r.screenshot).toBe(join(dir, 'visible.png'));
    expect(existsSync(r.screenshot!) && statSync(r.screenshot!).size).toBeGreaterThan(1000);
  });

  it('finds a link that only JavaScript adds, and says Yandex may not see it', async () => {
    const { s, r } = await rendered('js');
    expect(s.verdict.outcome).toBe('missing');
    expect(r.verdict).toMatchObject({
      outcome: 'devalued',
      google: { passes: true },
      yandex: { passes: false },
    });
    expect(r.facts.link?.anchor).toBe('added later');
  });

  it('notices a JavaScript redirect to another page', async () => {
    const { s, r } = await rendered('js-redirect');
    expect(s.verdict.outcome).toBe('live');
    expect(r.verdict.outcome).toBe('gone');
    expect(r.verdict.reasons[0]).toMatch(/redirected elsewhere: .*\/landing \(by JavaScript\)/);
  });

  it('finds a link past the static size cap without calling it JavaScript-only', async () => {
    const { s, r } = await rendered('huge');
    expect(s.verdict).toMatchObject({
      outcome: 'inconclusive',
      reasons: ['page larger than 5 MB; link not found in the first 5 MB'],
    });
    expect(r.verdict).toMatchObject({ outcome: 'live', google: { passes: true }, yandex: { passes: true } });
  });

  it('gives up a render in progress as soon as the run stops', async () => {
    const target = targetSpec(TARGET);
    const s = await checkStatic(`${base}visible`, target, ctx);
    const stop = new AbortController();
    let stoppedAt = 0;
    // Stopped while Chromium waits for the page: without the signal the load sits out its 10 s limit.
    onHang = () =>
      setTimeout(() => {
        stoppedAt = performance.now();
        stop.abort();
      }, 100);
    const r = await checkRendered(`${base}hang`, target, { ...ctx, signal: stop.signal }, browser, null, s);
    onHang = null;
    expect(stoppedAt).toBeGreaterThan(0);
    // Uncut, the load would sit out its 10 s limit; room for a loaded machine.
    expect(performance.now() - stoppedAt).toBeLessThan(3000);
    expect(r.error).not.toBeNull();
  });

  it('closes the browser when done', async () => {
    await browser.close();
    expect(browser.launched).toBe(false);
  });
});
