// Politeness: rate and concurrency limits, Retry-After, Crawl-delay, and robots.txt blocks.
import { describe, expect, it } from 'vitest';
import { crawlSettingsFrom, crawlSite, retryAfterMs } from '../../src/crawl/crawler.ts';
import { HostLimiter } from '../../src/crawl/rate-limit.ts';
import { memoryLogger } from '../../src/util/log.ts';
import { localServer } from '../helpers.ts';
import { crawlDb } from './crawl-backend.ts';

const links = (n: number) => Array.from({ length: n }, (_, i) => `<a href="/p${i}">p${i}</a>`).join('');

async function crawl(base: string, settings: Parameters<typeof crawlSettingsFrom>[0]) {
  const where = await crawlDb();
  const summary = await crawlSite(
    { ...where, now: () => new Date('2026-11-27T09:00:00Z'), log: memoryLogger() },
    { siteId: null, startUrl: base, settings: crawlSettingsFrom({ useSitemaps: false, ...settings }) },
  );
  return { sql: where.sql, summary };
}

describe('politeness', () => {
  it('never has more requests in flight than the concurrency cap', async () => {
    let inFlight = 0;
    let peak = 0;
    const base = await localServer((req, res) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      setTimeout(() => {
        inFlight--;
        res
          .writeHead(200, { 'content-type': 'text/html' })
          .end(req.url === '/' ? links(20) : '<title>page</title>');
      }, 20);
    });
    await crawl(base, { concurrency: 3, requestsPerSecond: 0 });
    expect(peak).toBe(3);
  });

  it('spaces requests to the requests-per-second limit', async () => {
    const times: number[] = [];
    const base = await localServer((req, res) => {
      if (req.url !== '/robots.txt') times.push(performance.now());
      res
        .writeHead(200, { 'content-type': 'text/html' })
        .end(req.url === '/' ? links(5) : '<title>page</title>');
    });
    await crawl(base, { concurrency: 4, requestsPerSecond: 20 });
    expect(times).toHaveLength(6);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(45); // 50 ms apart, less timer jitter
  });

  it('retries a 429 after the Retry-After it asks for, then records the page', async () => {
    let calls = 0;
    let firstAt = 0;
    let secondAt = 0;
    const base = await localServer((req, res) => {
      if (req.url !== '/') return res.writeHead(404).end();
      calls++;
      if (calls === 1) {
        firstAt = performance.now();
        return res.writeHead(429, { 'retry-after': '1' }).end();
      }
      secondAt = performance.now();
      res.writeHead(200, { 'content-type': 'text/html' }).end('<title>Finally served after waiting</title>');
    });
    const { sql, summary } = await crawl(base, { retries: 2, requestsPerSecond: 0 });
    expect(calls).toBe(2);
    expect(secondAt - firstAt).toBeGreaterThanOrEqual(950);
    expect(
      await sql.get(`SELECT status, title FROM crawl_urls WHERE crawl_id = ? AND url = ?`, [
        summary.crawlId,
        base,
      ]),
    ).toEqual({ status: 200, title: 'Finally served after waiting' });
  });

  it('records a 503 as it is when Retry-After asks for longer than it will wait', async () => {
    let calls = 0;
    const base = await localServer((req, res) => {
      if (req.url === '/robots.txt') return res.writeHead(404).end();
      if (req.url === '/') calls++;
      res.writeHead(503, { 'retry-after': '3600' }).end();
    });
    const { sql, summary } = await crawl(base, { retries: 2, maxRetryWaitMs: 5000 });
    expect(calls).toBe(1);
    expect(
      await sql.get(`SELECT status FROM crawl_urls WHERE crawl_id = ? AND url = ?`, [summary.crawlId, base]),
    ).toEqual({ status: 503 });
  });

  it('honours Crawl-delay and never fetches what robots.txt blocks', async () => {
    const times: number[] = [];
    const fetched: string[] = [];
    const base = await localServer((req, res) => {
      if (req.url === '/robots.txt')
        return res.writeHead(200).end('User-agent: *\nDisallow: /private/\nCrawl-delay: 0.3\n');
      fetched.push(req.url!);
      times.push(performance.now());
      res
        .writeHead(200, { 'content-type': 'text/html' })
        .end(
          req.url === '/'
            ? '<a href="/a">a</a><a href="/private/x">x</a><a href="/b">b</a>'
            : '<title>t</title>',
        );
    });
    const { sql, summary } = await crawl(base, { requestsPerSecond: 0, concurrency: 4 });
    expect(fetched.sort()).toEqual(['/', '/a', '/b']);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(280);
    expect(
      await sql.get(
        `SELECT state, skip_reason FROM crawl_urls WHERE crawl_id = ? AND url LIKE '%/private/x'`,
        [summary.crawlId],
      ),
    ).toEqual({
      state: 'blocked',
      skip_reason: 'blocked by robots.txt',
    });
  });
});

describe('politeness when the crawl stops', () => {
  it('does not sit out the rate limit for queued pages once the crawl is aborted', async () => {
    const stop = new AbortController();
    let abortedAt = 0;
    const base = await localServer((req, res) => {
      if (req.url === '/') {
        // Stopped while the pages it links to wait their turn at one request per 2 s.
        setTimeout(() => {
          abortedAt = performance.now();
          stop.abort();
        }, 700);
        return res.writeHead(200, { 'content-type': 'text/html' }).end(links(6));
      }
      res.writeHead(200, { 'content-type': 'text/html' }).end('<title>page</title>');
    });
    const where = await crawlDb();
    const summary = await crawlSite(
      { ...where, now: () => new Date('2026-11-27T09:00:00Z'), log: memoryLogger(), signal: stop.signal },
      {
        siteId: null,
        startUrl: base,
        settings: crawlSettingsFrom({ useSitemaps: false, concurrency: 4, requestsPerSecond: 0.5 }),
      },
    );
    expect(abortedAt).toBeGreaterThan(0);
    // The links were found before the stop, so workers were waiting on the limiter when it came.
    expect(await where.sql.get('SELECT COUNT(*) AS n FROM crawl_urls')).toEqual({ n: 7 });
    // Uncut, the six pages would still take ~11 s at one request per 2 s; room for a loaded machine.
    expect(performance.now() - abortedAt).toBeLessThan(3000);
    expect(summary.status).toBe('interrupted');
  });
});

describe('retryAfterMs()', () => {
  it('reads seconds and HTTP dates', () => {
    const now = new Date('2026-11-27T09:00:00Z');
    expect(retryAfterMs('120', now)).toBe(120_000);
    expect(retryAfterMs('Fri, 27 Nov 2026 09:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(undefined, now)).toBeUndefined();
  });
});

describe('HostLimiter', () => {
  it('lets a crawl delay lower the rate and the concurrency', () => {
    const l = new HostLimiter({ concurrency: 8, requestsPerSecond: 10 });
    l.applyCrawlDelay(2);
    expect(l.settings).toEqual({ concurrency: 1, requestsPerSecond: 0.5 });
  });

  it('lets a waiter leave the queue at once when its run is aborted, without taking a slot', async () => {
    const l = new HostLimiter({ concurrency: 1, requestsPerSecond: 0 });
    const release = await l.acquire();
    const stop = new AbortController();
    const waiting = l.acquire(stop.signal);
    setTimeout(() => stop.abort(new Error('run stopped')), 5);
    const tooLate = new Promise((r) => setTimeout(() => r('still waiting after 1 s'), 1000).unref());
    expect(
      await Promise.race([
        waiting.then(
          () => 'got a slot',
          (e: Error) => e.message,
        ),
        tooLate,
      ]),
    ).toBe('run stopped');
    await expect(l.acquire(AbortSignal.abort(new Error('already stopped')))).rejects.toThrow(
      'already stopped',
    );
    // The slot goes to the next live waiter, not to the one that left.
    release();
    const next = await Promise.race([l.acquire().then(() => 'got a slot'), tooLate]);
    expect(next).toBe('got a slot');
  });
});
