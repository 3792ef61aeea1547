// The API clients' shared transport against local servers: answers, the size cap, the time limit, a
// refused connection, and the caller's own abort.
import { describe, expect, it } from 'vitest';
import { apiRequest, apiRequestBytes, TransportError } from '../../src/fetch/api-request.ts';
import { closedPortUrl, localServer } from '../helpers.ts';

const limits = { timeoutMs: 2000, maxBytes: 1024 };

async function failure(p: Promise<unknown>): Promise<TransportError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TransportError);
  return err as TransportError;
}

describe('apiRequest()', () => {
  it('returns the status, headers and body of an answer, without following a redirect', async () => {
    const base = await localServer((req, res) => {
      if (req.url === '/moved') return void res.writeHead(302, { location: '/elsewhere' }).end();
      res.writeHead(201, { 'x-request-id': 'r-1' }).end('{"ok":true}');
    });
    const a = await apiRequest(fetch, new URL(base), {}, limits);
    expect([a.status, a.headers.get('x-request-id'), a.body]).toEqual([201, 'r-1', '{"ok":true}']);
    expect((await apiRequest(fetch, new URL('moved', base), {}, limits)).status).toBe(302);
  });

  it('stops reading past the size cap', async () => {
    const base = await localServer((_req, res) => res.writeHead(200).end('x'.repeat(5000)));
    const err = await failure(apiRequestBytes(fetch, new URL(base), {}, limits));
    expect(err.kind).toBe('too-large');
  });

  it('gives up on a server that never answers, saying how long it waited', async () => {
    const base = await localServer(() => {});
    const err = await failure(apiRequest(fetch, new URL(base), {}, { ...limits, timeoutMs: 200 }));
    expect(err.kind).toBe('timeout');
    expect(err.message).toMatch(/could not be reached: no answer within 0\.2 s/);
  });

  it('names the origin when nothing listens there', async () => {
    const base = await closedPortUrl();
    const err = await failure(apiRequest(fetch, new URL('api/x?key=secret', base), {}, limits));
    expect(err.kind).toBe('unreachable');
    expect(err.message.startsWith(new URL(base).origin)).toBe(true);
    expect(err.message).not.toContain('secret');
  });

  it("rethrows the caller's abort reason as it is", async () => {
    const base = await localServer(() => {});
    const stop = new AbortController();
    const reason = new Error('shutting down');
    setTimeout(() => stop.abort(reason), 50);
    await expect(apiRequest(fetch, new URL(base), {}, { ...limits, signal: stop.signal })).rejects.toBe(
      reason,
    );
  });
});
