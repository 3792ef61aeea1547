import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { fetchPage, parseRefresh } from '../../src/fetch/http-fetcher.ts';
import { closedPortUrl, localServer } from '../helpers.ts';

describe('fetchPage()', () => {
  it('records every redirect hop and the final answer', async () => {
    const base = await localServer((req, res) => {
      if (req.url === '/old') res.writeHead(301, { location: '/middle' }).end();
      else if (req.url === '/middle') res.writeHead(302, { location: '/refresh' }).end();
      else if (req.url === '/refresh') res.writeHead(200, { refresh: '0; url=/new' }).end('moved');
      else res.writeHead(200, { 'content-type': 'text/html' }).end('<h1>new</h1>');
    });
    const r = await fetchPage(`${base}old`);
    expect(r.status).toBe(200);
    expect(r.finalUrl).toBe(`${base}new`);
    expect(r.redirects.map((h) => [h.status, h.location, h.via])).toEqual([
      [301, `${base}middle`, 'http'],
      [302, `${base}refresh`, 'http'],
      [200, `${base}new`, 'refresh'],
    ]);
    expect(Buffer.from(r.body).toString()).toBe('<h1>new</h1>');
    expect(r.timings.totalMs).toBeGreaterThanOrEqual(r.timings.ttfbMs);
  });

  it('returns a redirect as it is when asked not to follow', async () => {
    const base = await localServer((_req, res) => res.writeHead(308, { location: '/next' }).end());
    const r = await fetchPage(base, { maxRedirects: 0 });
    expect(r).toMatchObject({ status: 308, redirects: [], headers: { location: '/next' } });
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
    expect(r.truncated).toBe('max-bytes');
  });

  it.each([
    ['gzip', (b: Buffer) => zlib.gzipSync(b)],
    ['deflate', (b: Buffer) => zlib.deflateSync(b)],
    ['deflate', (b: Buffer) => zlib.deflateRawSync(b)],
    ['br', (b: Buffer) => zlib.brotliCompressSync(b)],
  ])('decompresses %s', async (encoding, compress) => {
    const text = '<title>Сжатая страница</title>'.repeat(50);
    const base = await localServer((_req, res) =>
      res.writeHead(200, { 'content-encoding': encoding }).end(compress(Buffer.from(text))),
    );
    const r = await fetchPage(base);
    expect(Buffer.from(r.body).toString()).toBe(text);
    expect(r.wireBytes).toBeLessThan(Buffer.byteLength(text));
  });

  it('stops decompressing a gzip bomb at the decoded-size limit', async () => {
    const bomb = zlib.gzipSync(Buffer.alloc(200 * 1024 * 1024), { level: 9 });
    const base = await localServer((_req, res) =>
      res.writeHead(200, { 'content-encoding': 'gzip', 'content-type': 'text/html' }).end(bomb),
    );
    const before = process.memoryUsage().rss;
    const r = await fetchPage(base, { maxDecodedBytes: 2 * 1024 * 1024 });
    expect(r.truncated).toBe('max-decoded-bytes');
    expect(r.body.byteLength).toBe(2 * 1024 * 1024);
    expect(process.memoryUsage().rss - before).toBeLessThan(100 * 1024 * 1024);
  });

  it('reports a body that cannot be decompressed', async () => {
    const base = await localServer((_req, res) =>
      res.writeHead(200, { 'content-encoding': 'gzip' }).end('not gzip at all'),
    );
    await expect(fetchPage(base)).rejects.toThrow(/cannot decompress body \(gzip\)/);
  });

  it('gives up on a server that drips one byte a second, within the total timeout', async () => {
    const base = await localServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      const t = setInterval(() => res.write('x'), 1000);
      res.on('close', () => clearInterval(t));
    });
    const t0 = Date.now();
    await expect(fetchPage(`${base}drip`, { timeoutMs: 1500 })).rejects.toThrow(
      /Fetching .*\/drip failed: no complete answer within 1500 ms/,
    );
    expect(Date.now() - t0).toBeLessThan(3000);
  });

  it('reports a connection reset in the middle of the body', async () => {
    const base = await localServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/html', 'content-length': '100000' });
      res.write('<html><body>partial');
      setTimeout(() => req.socket.destroy(), 20);
    });
    await expect(fetchPage(base)).rejects.toThrow(/connection (reset|closed before the body was complete)/);
  });

  it('reports a refused connection by its code', async () => {
    const url = await closedPortUrl();
    await expect(fetchPage(url)).rejects.toThrow(new RegExp(`Fetching ${url} failed: ECONNREFUSED`));
  });
});

describe('parseRefresh()', () => {
  it('reads the delay and the URL in the forms browsers accept', () => {
    expect(parseRefresh('0; url=/next')).toEqual({ seconds: 0, url: '/next' });
    expect(parseRefresh("5;URL='https://x.example/'")).toEqual({ seconds: 5, url: 'https://x.example/' });
    expect(parseRefresh('3')).toEqual({ seconds: 3, url: null });
    expect(parseRefresh('soon')).toBeNull();
  });
});
