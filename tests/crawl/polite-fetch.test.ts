// The fetch stage: any Fetcher behind politeness and retries; the browser fetcher returns the same result.
import { describe, expect, it } from 'vitest';
import type { BrowserPool } from '../../src/browser/launcher.ts';
import { browserFetcher } from '../../src/browser/browser-fetcher.ts';
import { FetchError, type Fetcher, type FetchResult } from '../../src/fetch/http-fetcher.ts';
import { politeFetch } from '../../src/crawl/polite-fetch.ts';
import { Limiters } from '../../src/crawl/rate-limit.ts';

const URL_ = 'http://127.0.0.1:9/page';

function result(status: number, headers: Record<string, string> = {}, body = ''): FetchResult {
  return {
    url: URL_,
    finalUrl: URL_,
    status,
    headers,
    body: Buffer.from(body),
    truncated: null,
    wireBytes: body.length,
    redirects: [],
    timings: { ttfbMs: 1, totalMs: 2 },
  };
}

/** A fetcher answering from a script, one step per call; counts its calls. */
function scripted(steps: (FetchResult | Error)[]): Fetcher & { calls: number } {
  const f = {
    calls: 0,
    async fetch() {
      const step = steps[Math.min(f.calls++, steps.length - 1)]!;
      if (step instanceof Error) throw step;
      return step;
    },
  };
  return f;
}

const polite = (retries: number, maxRetryWaitMs = 30_000) => ({
  limiters: new Limiters({ concurrency: 1, requestsPerSecond: 0 }),
  retries,
  maxRetryWaitMs,
  now: () => new Date('2026-11-01T09:00:00Z'),
});

describe('politeFetch()', () => {
  it('retries a network failure and a 503, then returns the answer', async () => {
    const f = scripted([
      new FetchError(URL_, 'network', 'reset'),
      result(503, { 'retry-after': '0' }),
      result(200),
    ]);
    const res = await politeFetch(f, URL_, {}, polite(2));
    expect([res.status, f.calls]).toEqual([200, 3]);
  });

  it('throws the last error when every attempt failed, and never retries what cannot get better', async () => {
    const down = scripted([new FetchError(URL_, 'connect-timeout', 'no connection')]);
    await expect(politeFetch(down, URL_, {}, polite(1))).rejects.toThrow(/no connection/);
    expect(down.calls).toBe(2);
    const loop = scripted([new FetchError(URL_, 'redirects', 'redirect loop')]);
    await expect(politeFetch(loop, URL_, {}, polite(2))).rejects.toThrow(/redirect loop/);
    expect(loop.calls).toBe(1);
  });

  it('keeps a 429 as it is when it asks to come back later than maxRetryWaitMs', async () => {
    const f = scripted([result(429, { 'retry-after': '3600' }), result(200)]);
    const res = await politeFetch(f, URL_, {}, polite(2, 30_000));
    expect([res.status, f.calls]).toEqual([429, 1]);
  });
});

describe('browserFetcher()', () => {
  const pool = (render: () => Promise<string>) =>
    ({
      withContext: async <T>(fn: (ctx: unknown) => Promise<T>) =>
        fn({ newPage: async () => ({ goto: async () => null, content: render }) }),
    }) as unknown as BrowserPool;

  it('returns the plain fetch’s answer with the rendered document, HTML pages only', async () => {
    const html = scripted([result(200, { 'content-type': 'text/html' }, '<title>raw</title>')]);
    const res = await browserFetcher(
      pool(async () => '<title>rendered</title>'),
      html,
    ).fetch(URL_, {});
    expect([res.status, Buffer.from(res.body).toString(), res.rendered]).toEqual([
      200,
      '<title>raw</title>',
      { html: '<title>rendered</title>' },
    ]);
    const css = scripted([result(200, { 'content-type': 'text/css' }, 'a{}')]);
    expect(
      (
        await browserFetcher(
          pool(async () => 'x'),
          css,
        ).fetch(URL_, {})
      ).rendered,
    ).toBeUndefined();
  });

  it('reports a failed rendering in the result instead of failing the page', async () => {
    const html = scripted([result(200, { 'content-type': 'text/html' }, '<p>')]);
    const res = await browserFetcher(
      pool(async () => {
        throw new Error('page crashed');
      }),
      html,
    ).fetch(URL_, {});
    expect(res.rendered).toEqual({ error: 'page crashed' });
  });
});
