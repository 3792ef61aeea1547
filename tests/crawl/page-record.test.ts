// Between extract and store: one fetched URL's row, outlinks, crawl issues and facts for the audit.
import { describe, expect, it } from 'vitest';
import type { FetchResult } from '../../src/fetch/http-fetcher.ts';
import { recordPage } from '../../src/crawl/page-record.ts';
import { parsePage } from '../../src/crawl/parse-page.ts';
import type { QueuedUrl } from '../../src/crawl/store.ts';

const S = { maxUrlLength: 2048, maxBytes: 5_000_000, maxDecodedBytes: 20_000_000 };
const AT = '2026-11-01T09:00:00.000Z';
const q: QueuedUrl = { id: 7, url: 'https://studio.example/work/', kind: 'page', depth: 2 };

function answer(status: number, headers: Record<string, string>, body = ''): FetchResult {
  const bytes = Buffer.from(body);
  return {
    url: q.url,
    finalUrl: q.url,
    status,
    headers,
    body: bytes,
    truncated: null,
    wireBytes: bytes.length,
    redirects: [],
    timings: { ttfbMs: 12, totalMs: 20 },
  };
}

describe('recordPage()', () => {
  it('resolves links against <base>, keeps their order and hands the audit the page facts', () => {
    const html =
      '<html lang="ru"><head><title>Работы</title><base href="/base/"><link rel="canonical" href="/work/">' +
      '<link rel="alternate" hreflang="en" href="https://studio.example/en/work/"></head>' +
      '<body><h1>Работы</h1><a href="one">One</a><a href="mailto:hi@studio.example">mail</a><img src="p.png"></body></html>';
    const res = answer(200, { 'content-type': 'text/html; charset=utf-8' }, html);
    const parsed = parsePage({
      body: res.body,
      contentType: 'text/html; charset=utf-8',
      fallbackCharset: 'utf-8',
    });
    const r = recordPage(q, { res, err: null, parsed }, S, AT);
    expect(r.redirect).toBeNull();
    expect(r.outlinks.map((o) => [o.url, o.via, o.depth, o.link.kind])).toEqual([
      ['https://studio.example/base/one', 'a', 3, 'a'],
      ['https://studio.example/base/p.png', 'resource', 2, 'img'],
      ['https://studio.example/work/', 'canonical', 3, 'canonical'],
      ['https://studio.example/en/work/', 'hreflang', 3, 'hreflang'],
    ]);
    expect(r.row).toMatchObject({
      id: 7,
      status: 200,
      title: 'Работы',
      lang: 'ru',
      canonical: q.url,
      fetchedAt: AT,
    });
    expect(r.page?.resolvedLinks.map((l) => l.url)).toEqual([
      'https://studio.example/base/one',
      null,
      'https://studio.example/base/p.png',
    ]);
    expect(r.issues).toEqual([]);

    // A body handed to the parser thread is empty here; its length comes with the fetch.
    const handedOver = { ...res, body: new Uint8Array(0) };
    const same = recordPage(q, { res: handedOver, err: null, parsed, bodyBytes: res.body.byteLength }, S, AT);
    expect(same).toEqual(r);
    expect(same.row.bytes).toBe(Buffer.byteLength(html));
  });

  it('records a redirect as a target to follow, and an unusable one as the row error', () => {
    const ok = recordPage(q, { res: answer(301, { location: '/new/' }), err: null, parsed: null }, S, AT);
    expect([ok.redirect, ok.row.location, ok.row.redirectType]).toEqual([
      'https://studio.example/new/',
      'https://studio.example/new/',
      'http',
    ]);
    expect(ok.page).toBeNull();
    const bad = recordPage(
      q,
      { res: answer(302, { location: 'http://[::1' }), err: null, parsed: null },
      S,
      AT,
    );
    expect(bad.redirect).toBeNull();
    expect(bad.row.error).toMatch(/^redirect to an unusable URL: /);
  });

  it('keeps the fetch error and reports bodies cut short and undecodable text as the crawl’s own issues', () => {
    const failed = recordPage(
      q,
      { res: null, err: new Error('Fetching x failed: timeout'), parsed: null },
      S,
      AT,
    );
    expect(failed.row).toMatchObject({ status: null, error: 'Fetching x failed: timeout' });
    const res = {
      ...answer(200, { 'content-type': 'text/html' }, '<title>x</title>'),
      truncated: 'max-bytes' as const,
    };
    const r = recordPage(
      q,
      { res, err: null, parsed: { facts: null, charset: null, problems: ['body looks binary'] } },
      S,
      AT,
    );
    expect(r.issues).toEqual([
      { rule: 'charset-problem', severity: 'warning', details: 'body looks binary' },
      { rule: 'body-truncated', severity: 'warning', details: 'body cut at 5000000 bytes (max-bytes)' },
    ]);
  });
});

describe('parsePage()', () => {
  it('reads facts from the rendered document when there is one, the charset from the served bytes', () => {
    const body = Buffer.from('<title>Loading…</title>');
    const out = parsePage({
      body,
      contentType: 'text/html; charset=utf-8',
      fallbackCharset: 'utf-8',
      rendered: { html: '<title>Rendered</title>' },
    });
    expect([out.facts?.title, out.charset]).toEqual(['Rendered', 'utf-8']);
    const failed = parsePage({
      body,
      contentType: 'text/html',
      fallbackCharset: 'utf-8',
      rendered: { error: 'timeout' },
    });
    expect([failed.facts?.title, failed.problems]).toEqual(['Loading…', ['rendering failed: timeout']]);
  });
});
