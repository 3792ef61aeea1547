// Plain HTTP fetcher on node:http(s): returns what it got (status, headers, bounded and decompressed body,
// redirect hops, timings) as a value. Used by the crawler, the uptime job and the backlink checks.
import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';

export interface RedirectHop {
  url: string;
  status: number;
  location: string;
  /** 'http' for a 3xx Location, 'refresh' for a Refresh header. */
  via: 'http' | 'refresh';
}

export interface FetchResult {
  url: string;
  finalUrl: string;
  status: number;
  headers: Record<string, string>;
  /** Decompressed body, at most maxDecodedBytes. */
  body: Uint8Array;
  /** Why the body was cut short, if it was. */
  truncated: null | 'max-bytes' | 'max-decoded-bytes';
  /** Bytes received on the wire (compressed). */
  wireBytes: number;
  redirects: RedirectHop[];
  timings: { ttfbMs: number; totalMs: number };
  /** Browser fetcher only: the document after its scripts ran, or why rendering failed. */
  rendered?: { html: string } | { error: string };
}

/**
 * What the crawler fetches through. The plain HTTP fetcher below and the browser fetcher
 * (src/browser/browser-fetcher.ts) return the same FetchResult, so the code reading pages does not
 * change when a site needs JavaScript.
 */
export interface Fetcher {
  fetch(url: string, opts: FetchOptions): Promise<FetchResult>;
}

export interface FetchOptions {
  method?: 'GET' | 'HEAD';
  /** Whole request, body included. */
  timeoutMs?: number;
  connectTimeoutMs?: number;
  /** Bytes accepted on the wire before the body is cut. */
  maxBytes?: number;
  /** Bytes accepted after decompression (gzip-bomb guard). */
  maxDecodedBytes?: number;
  /** 0: return a 3xx as it is, with its Location header. */
  maxRedirects?: number;
  headers?: Record<string, string>;
  userAgent?: string;
  signal?: AbortSignal;
  agents?: { http: http.Agent; https: https.Agent };
}

const HTML_TYPES = /^(text\/html|application\/xhtml\+xml)\b/i;

/** A 2xx answer that is an HTML document: served as one, or untyped and starting with "<". */
export function isHtmlDocument(res: FetchResult): boolean {
  const type = res.headers['content-type'] ?? '';
  return res.status >= 200 && res.status < 300 && (HTML_TYPES.test(type) || (!type && res.body[0] === 0x3c));
}

export const USER_AGENT = 'Mozilla/5.0 (compatible; promowatch/0.1; site monitor)';

export class FetchError extends Error {
  constructor(
    readonly url: string,
    readonly code: 'timeout' | 'connect-timeout' | 'network' | 'redirects' | 'aborted' | 'bad-response',
    detail: string,
  ) {
    super(`Fetching ${url} failed: ${detail}`);
    this.name = 'FetchError';
  }
}

const defaultAgents = {
  http: new http.Agent({ keepAlive: true, maxSockets: 16 }),
  https: new https.Agent({ keepAlive: true, maxSockets: 16 }),
};

export function createAgents(maxSocketsPerHost: number) {
  return {
    http: new http.Agent({ keepAlive: true, maxSockets: maxSocketsPerHost }),
    https: new https.Agent({ keepAlive: true, maxSockets: maxSocketsPerHost }),
  };
}

/** Refresh: 0; url=/next (https://html.spec.whatwg.org/multipage/semantics.html#shared-declarative-refresh-steps) */
export function parseRefresh(value: string): { seconds: number; url: string | null } | null {
  const m = /^\s*(\d+(?:\.\d*)?)\s*(?:[;,]\s*(?:url\s*=\s*)?(['"]?)(.*?)\2\s*)?$/i.exec(value);
  if (!m) return null;
  const url = m[3]?.trim();
  return { seconds: Number(m[1]), url: url ? url : null };
}

interface OneAnswer {
  status: number;
  headers: Record<string, string>;
  body: Uint8Array;
  truncated: FetchResult['truncated'];
  wireBytes: number;
  ttfbMs: number;
}

function decoderFor(
  encoding: string | undefined,
  first: Buffer,
): zlib.Gunzip | zlib.Inflate | zlib.BrotliDecompress | null {
  switch ((encoding ?? '').trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return zlib.createGunzip();
    case 'deflate':
      // "deflate" is meant to be zlib-wrapped (RFC 9110 §8.4.1.2) but some servers send raw deflate.
      return first.length >= 2 && (first[0]! & 0x0f) === 8 && ((first[0]! << 8) | first[1]!) % 31 === 0
        ? zlib.createInflate()
        : zlib.createInflateRaw();
    case 'br':
      return zlib.createBrotliDecompress();
    default:
      return null;
  }
}

/**
 * Why a fetch stops early — its deadline or the caller's signal — and how to stop the request in flight.
 * A plain object rather than an AbortController per fetch (and AbortSignal.any with the caller's): the
 * controller, the merged signal and node:http's listeners on it cost ~15 µs a request, a tenth of a
 * crawled page's time on the crawler's thread (issue 15).
 */
interface Stop {
  reason: { code: 'timeout' | 'aborted'; message: string } | null;
  /** Set by the request in flight, cleared when it settles. */
  cancel: (() => void) | null;
}

function halt(stop: Stop, code: 'timeout' | 'aborted', message: string): void {
  if (stop.reason) return;
  stop.reason = { code, message };
  stop.cancel?.();
}

function stopError(url: string, stop: Stop): FetchError {
  return new FetchError(url, stop.reason!.code, stop.reason!.message);
}

function requestOnce(url: string, opts: FetchOptions, t0: number, stop: Stop): Promise<OneAnswer> {
  const u = new URL(url);
  const lib = u.protocol === 'https:' ? https : http;
  const agents = opts.agents ?? defaultAgents;
  const maxBytes = opts.maxBytes ?? 5 * 1024 * 1024;
  const maxDecoded = opts.maxDecodedBytes ?? 4 * maxBytes;
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (err: Error) => {
      if (settled) return;
      settled = true;
      stop.cancel = null;
      req.destroy();
      reject(err);
    };
    const req = lib.request(
      u,
      {
        method: opts.method ?? 'GET',
        agent: u.protocol === 'https:' ? agents.https : agents.http,
        headers: {
          'user-agent': opts.userAgent ?? USER_AGENT,
          accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
          'accept-encoding': 'gzip, deflate, br',
          ...opts.headers,
        },
      },
      (res) => {
        const ttfbMs = performance.now() - t0;
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers))
          if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
        const status = res.statusCode ?? 0;
        const chunks: Buffer[] = [];
        let wire = 0;
        let decoded = 0;
        let truncated: FetchResult['truncated'] = null;
        let decoder: ReturnType<typeof decoderFor> | undefined;
        const finish = () => {
          if (settled) return;
          settled = true;
          stop.cancel = null;
          res.destroy();
          decoder?.destroy();
          resolve({ status, headers, body: Buffer.concat(chunks), truncated, wireBytes: wire, ttfbMs });
        };
        const take = (chunk: Buffer) => {
          if (settled) return;
          const room = maxDecoded - decoded;
          if (chunk.length >= room) {
            chunks.push(chunk.subarray(0, room));
            decoded += room;
            truncated = 'max-decoded-bytes';
            finish();
            return;
          }
          chunks.push(chunk);
          decoded += chunk.length;
        };
        res.on('data', (chunk: Buffer) => {
          if (settled) return;
          if (decoder === undefined) {
            decoder =
              status === 204 || status === 304 ? null : decoderFor(headers['content-encoding'], chunk);
            if (decoder) {
              decoder.on('data', take);
              decoder.on('error', (err) =>
                fail(
                  new FetchError(
                    url,
                    'bad-response',
                    `cannot decompress body (${headers['content-encoding']}): ${err.message}`,
                  ),
                ),
              );
              decoder.on('end', finish);
            }
          }
          const room = maxBytes - wire;
          const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
          wire += part.length;
          if (decoder) decoder.write(part);
          else take(part);
          if (chunk.length > room && !settled) {
            truncated = 'max-bytes';
            if (decoder) {
              // Flush what the decompressor has; a cut stream cannot end cleanly, so finish on the flush.
              decoder.flush(() => finish());
            } else finish();
          }
        });
        res.on('end', () => {
          if (decoder) decoder.end();
          else finish();
        });
        res.on('error', (err) => fail(stop.reason ? stopError(url, stop) : networkError(url, err)));
        res.on('close', () => {
          if (!res.complete)
            fail(
              stop.reason
                ? stopError(url, stop)
                : new FetchError(url, 'network', 'connection closed before the body was complete'),
            );
        });
      },
    );
    if (opts.connectTimeoutMs) {
      const timer = setTimeout(
        () =>
          fail(new FetchError(url, 'connect-timeout', `no connection within ${opts.connectTimeoutMs} ms`)),
        opts.connectTimeoutMs,
      );
      req.on('socket', (socket) => {
        if (!socket.connecting) clearTimeout(timer);
        else socket.once('connect', () => clearTimeout(timer));
      });
      req.on('close', () => clearTimeout(timer));
    }
    req.on('error', (err) => fail(stop.reason ? stopError(url, stop) : networkError(url, err)));
    stop.cancel = () => fail(stopError(url, stop));
    req.end();
  });
}

function networkError(url: string, err: Error & { code?: string }): FetchError {
  if (err instanceof FetchError) return err;
  if (err.code === 'ECONNRESET' || err.message === 'aborted')
    return new FetchError(url, 'network', `connection reset (${err.code ?? err.message})`);
  return new FetchError(url, 'network', err.code ? `${err.code} (${err.message})` : err.message);
}

/**
 * Fetches a URL, following up to maxRedirects redirects (3xx Location and the Refresh header) by hand
 * so every hop is recorded. A network failure or timeout throws a FetchError naming the URL; an HTTP
 * error status is a result, not an exception.
 */
export async function fetchPage(url: string, opts: FetchOptions = {}): Promise<FetchResult> {
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const maxRedirects = opts.maxRedirects ?? 10;
  const stop: Stop = { reason: null, cancel: null };
  const timer = setTimeout(
    () => halt(stop, 'timeout', `no complete answer within ${timeoutMs} ms`),
    timeoutMs,
  );
  // The caller's signal stops the fetch with its reason's message (a reason coded 'timeout' counts as one).
  const external = opts.signal;
  const onAbort = () => {
    const reason = external?.reason as { code?: string; message?: string } | undefined;
    if (reason?.code === 'timeout') halt(stop, 'timeout', reason.message ?? 'timed out');
    else halt(stop, 'aborted', reason?.message ?? 'aborted');
  };
  if (external?.aborted) onAbort();
  else external?.addEventListener('abort', onAbort, { once: true });
  const redirects: RedirectHop[] = [];
  const t0 = performance.now();
  let current = url;
  try {
    for (;;) {
      if (stop.reason) throw stopError(current, stop);
      const a = await requestOnce(current, opts, t0, stop);
      let next: string | null = null;
      let via: RedirectHop['via'] = 'http';
      if (a.status >= 300 && a.status < 400 && a.headers.location) next = a.headers.location;
      else if (a.headers.refresh) {
        const r = parseRefresh(a.headers.refresh);
        if (r?.url) {
          next = r.url;
          via = 'refresh';
        }
      }
      if (next !== null && maxRedirects > 0) {
        let target: string;
        try {
          target = new URL(next, current).href;
        } catch {
          throw new FetchError(current, 'redirects', `redirect to an invalid URL "${next.slice(0, 200)}"`);
        }
        redirects.push({ url: current, status: a.status, location: target, via });
        if (redirects.some((h) => h.url === target))
          throw new FetchError(url, 'redirects', `redirect loop back to ${target}`);
        if (redirects.length > maxRedirects)
          throw new FetchError(url, 'redirects', `more than ${maxRedirects} redirects`);
        current = target;
        continue;
      }
      return {
        url,
        finalUrl: current,
        status: a.status,
        headers: a.headers,
        body: a.body,
        truncated: a.truncated,
        wireBytes: a.wireBytes,
        redirects,
        timings: { ttfbMs: a.ttfbMs, totalMs: performance.now() - t0 },
      };
    }
  } catch (err) {
    if (err instanceof FetchError) throw err;
    throw stop.reason ? stopError(current, stop) : networkError(current, err as Error);
  } finally {
    clearTimeout(timer);
    external?.removeEventListener('abort', onAbort);
  }
}

/** Plain HTTP behind the Fetcher interface. */
export const httpFetcher: Fetcher = { fetch: fetchPage };
