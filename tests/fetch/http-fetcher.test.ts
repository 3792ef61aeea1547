import { describe, expect, it } from 'vitest';
import { fetchPage } from '../../src/fetch/http-fetcher.ts';
import { closedPortUrl, localServer } from '../helpers.ts';

describe('fetchPage()', () => {
  it('records every redirect hop and the final answer', async () => {
    const base = await localServer((req, res) => {
      if (req.url === '/old') res.writeHead(301, { location: '/middle' }).end();
      else if (req.url === '/middle') res.writeHead(302, { location: '/new' }).end();
      else res.writeHead(200, { 'content-type': 'text/html' }).end('<h1>new</h1>');
    });
    const r = await fetchPage(`${base}old`);
    expect(r.status).toBe(200);
    expect(r.finalUrl).toBe(`${base}new`);
    expect(r.redirects.map((h) => [h.status, h.location])).toEqual([
      [301, `${base}middle`],
      [302, `${base}new`],
    ]);
    expect(new TextDecoder().decode(r.body)).toBe('<h1>new</h1>');
    expect(r.timings.totalMs).toBeGreaterThanOrEqual(r.timings.ttfbMs);
  });

  it('stops a redirect loop with a message naming it', async () => {
    const base = await localServer((req, res) =>
      res.writeHead(301, { location: req.url === '/a' ? '/b' : '/a' }).end(),
    );
    await expect(fetchPage(`${base}a`)).rejects.toThrow(/redirect loop back to .*\/a/);
  });

  it('truncates a body over the limit and says so', async () => {
    const base = await localServer((_req, res) => res.writeHead(200).end('x'.repeat(100_000)));
    const r = await fetchPage(base, { maxBytes: 1000 });
    expect(r.body.byteLength).toBe(1000);
    expect(r.truncated).toBe(true);
  });

  it('gives up after the timeout with a message naming the URL', async () => {
    const base = await localServer(() => {
      /* never answers */
    });
    await expect(fetchPage(`${base}slow`, { timeoutMs: 200 })).rejects.toThrow(
      /Fetching .*\/slow failed: no complete answer within 200 ms/,
    );
  });

  it('reports a refused connection by its code', async () => {
    const url = await closedPortUrl();
    await expect(fetchPage(url)).rejects.toThrow(new RegExp(`Fetching ${url} failed: ECONNREFUSED`));
  });

  it('reports a port that fetch refuses to use', async () => {
    await expect(fetchPage('http://127.0.0.1:9/')).rejects.toThrow(/failed: bad port/);
  });
});
