// The static check against local donor servers whose pages are bigger than the check reads: a link not
// found in a cut body is not evidence of removal.
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { targetSpec } from '../../src/backlinks/analyze.ts';
import { checkStatic, DEFAULT_CHECK_SETTINGS } from '../../src/backlinks/check.ts';
import { closedPortUrl, localServer } from '../helpers.ts';

const TARGET = 'https://studio.example/';
const MB = 1024 * 1024;
const PARAGRAPH = '<p>Обзор студий: кто делает интерьеры под ключ, сроки, цены и отзывы клиентов.</p>\n';
/** A long article page of about `bytes` bytes of HTML, with `at.start` and `at.end` inside the body. */
const longPage = (bytes: number, at: { start?: string; end?: string } = {}) =>
  `<!doctype html><html><head><meta charset="utf-8"><title>Рейтинг студий</title></head><body>${at.start ?? ''}` +
  PARAGRAPH.repeat(Math.ceil(bytes / Buffer.byteLength(PARAGRAPH))) +
  `${at.end ?? ''}</body></html>`;
const LINK = `<a href="${TARGET}">студия «Пример»</a>`;

async function donor(pages: Record<string, () => { body: Buffer; headers?: Record<string, string> }>) {
  return localServer((req, res) => {
    if (req.url === '/robots.txt') return res.writeHead(404).end();
    const page = pages[req.url!];
    if (!page) return res.writeHead(404).end();
    const { body, headers = {} } = page();
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', ...headers }).end(body);
  });
}

const ctx = () => ({ settings: { ...DEFAULT_CHECK_SETTINGS, retries: 0 }, robotsCache: new Map() });

describe('checkStatic() on a donor page larger than the size cap', () => {
  it('calls a link past the first 5 MB inconclusive, naming the cap, not removed', async () => {
    const base = await donor({ '/rating': () => ({ body: Buffer.from(longPage(6 * MB, { end: LINK })) }) });
    const r = await checkStatic(`${base}rating`, targetSpec(TARGET), ctx());
    expect(r.verdict.outcome).toBe('inconclusive');
    expect(r.verdict.reasons).toEqual(['page larger than 5 MB; link not found in the first 5 MB']);
    expect(r.verdict.google).toEqual({
      passes: false,
      reasons: ['page larger than 5 MB; link not found in the first 5 MB'],
      why: [{ code: 'body-cut', megabytes: 5, decompressed: false }],
    });
  });

  it('does not take a copy of the link in a comment near the top for the whole page', async () => {
    const base = await donor({
      '/rating': () => ({
        body: Buffer.from(longPage(6 * MB, { start: `<!-- old: ${LINK} -->`, end: LINK })),
      }),
    });
    const r = await checkStatic(`${base}rating`, targetSpec(TARGET), ctx());
    expect(r.verdict).toMatchObject({
      outcome: 'inconclusive',
      reasons: ['page larger than 5 MB; link not found in the first 5 MB'],
    });
  });

  it('names the decompression cap when a gzip page unpacks past 20 MB', async () => {
    const body = gzipSync(longPage(24 * MB, { end: LINK }));
    expect(body.length).toBeLessThan(5 * MB);
    const base = await donor({ '/rating': () => ({ body, headers: { 'content-encoding': 'gzip' } }) });
    const r = await checkStatic(`${base}rating`, targetSpec(TARGET), ctx());
    expect(r.verdict).toMatchObject({
      outcome: 'inconclusive',
      reasons: ['page larger than 20 MB once decompressed; link not found in the first 20 MB'],
    });
  });

  it('still judges a link found within the cap, and a page within the cap that lacks it', async () => {
    const base = await donor({
      '/early': () => ({
        body: Buffer.from(longPage(6 * MB, { start: LINK.replace('<a ', '<a rel="nofollow" ') })),
      }),
      '/small': () => ({ body: Buffer.from(longPage(4 * MB)) }),
    });
    const early = await checkStatic(`${base}early`, targetSpec(TARGET), ctx());
    expect(early.verdict).toMatchObject({ outcome: 'devalued', reasons: ['rel="nofollow"'] });
    const small = await checkStatic(`${base}small`, targetSpec(TARGET), ctx());
    expect(small.verdict).toMatchObject({ outcome: 'missing', reasons: ['link removed'] });
  });
});

describe('checkStatic() when the run stops', () => {
  it('stops waiting between retries as soon as the signal aborts', async () => {
    // Nothing listens there: each attempt fails at once and the next waits 1 s, then 2 s, then 4 s.
    const url = await closedPortUrl();
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 20);
    const t0 = performance.now();
    const r = await checkStatic(url, targetSpec(TARGET), {
      settings: { ...DEFAULT_CHECK_SETTINGS, retries: 3 },
      robotsCache: new Map(),
      signal: stop.signal,
    });
    // Under the first wait (1 s), with room for a loaded machine; uncut it would take 7 s.
    expect(performance.now() - t0).toBeLessThan(900);
    expect(r.verdict.outcome).not.toBe('live');
  });
});
