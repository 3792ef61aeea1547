// Plain HTTP fetcher: returns what it got (status, headers, bounded body, redirect hops, timings) as a value.

export interface RedirectHop {
  url: string;
  status: number;
  location: string;
}

export interface FetchResult {
  url: string;
  finalUrl: string;
  status: number;
  headers: Record<string, string>;
  body: Uint8Array;
  truncated: boolean;
  redirects: RedirectHop[];
  timings: { ttfbMs: number; totalMs: number };
}

export interface FetchOptions {
  fetch?: typeof fetch;
  timeoutMs?: number;
  maxBytes?: number;
  maxRedirects?: number;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export const USER_AGENT = 'promowatch/0.1 (+https://github.com/promowatch; site monitor)';

/** Fetches a URL following redirects by hand so every hop is recorded. Throws on network failure or timeout
 * with a message naming the URL; an HTTP error status is a result, not an exception. */
export async function fetchPage(url: string, opts: FetchOptions = {}): Promise<FetchResult> {
  const doFetch = opts.fetch ?? fetch;
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const maxBytes = opts.maxBytes ?? 5 * 1024 * 1024;
  const maxRedirects = opts.maxRedirects ?? 10;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
  const redirects: RedirectHop[] = [];
  const t0 = performance.now();
  let current = url;
  try {
    for (;;) {
      const res = await doFetch(current, {
        redirect: 'manual',
        signal,
        headers: { 'user-agent': USER_AGENT, accept: '*/*', ...opts.headers },
      });
      const location = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && location) {
        await res.body?.cancel();
        const next = new URL(location, current).href;
        redirects.push({ url: current, status: res.status, location: next });
        if (redirects.length > maxRedirects) throw new Error(`more than ${maxRedirects} redirects`);
        if (redirects.some((h) => h.url === next)) throw new Error(`redirect loop back to ${next}`);
        current = next;
        continue;
      }
      const ttfbMs = performance.now() - t0;
      const { body, truncated } = await readBounded(res, maxBytes);
      const headers: Record<string, string> = {};
      res.headers.forEach((v, k) => (headers[k] = v));
      return {
        url,
        finalUrl: current,
        status: res.status,
        headers,
        body,
        truncated,
        redirects,
        timings: { ttfbMs, totalMs: performance.now() - t0 },
      };
    }
  } catch (err) {
    const reason = timeout.aborted ? `no complete answer within ${timeoutMs} ms` : describeNetworkError(err);
    throw new Error(`Fetching ${current} failed: ${reason}`, { cause: err });
  }
}

function describeNetworkError(err: unknown): string {
  const e = err as { message?: string; cause?: { code?: string; message?: string } };
  // undici wraps the real reason ("connect ECONNREFUSED", "bad port") in a generic "fetch failed".
  if (e.cause?.code) return `${e.cause.code}${e.cause.message ? ` (${e.cause.message})` : ''}`;
  if (e.cause?.message) return e.cause.message;
  return e.message ?? String(err);
}

async function readBounded(
  res: Response,
  maxBytes: number,
): Promise<{ body: Uint8Array; truncated: boolean }> {
  if (!res.body) return { body: new Uint8Array(), truncated: false };
  const chunks: Uint8Array[] = [];
  let size = 0;
  let truncated = false;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (size + value.byteLength > maxBytes) {
      chunks.push(value.subarray(0, maxBytes - size));
      size = maxBytes;
      truncated = true;
      await reader.cancel();
      break;
    }
    chunks.push(value);
    size += value.byteLength;
  }
  const body = new Uint8Array(size);
  let off = 0;
  for (const c of chunks) {
    body.set(c, off);
    off += c.byteLength;
  }
  return { body, truncated };
}
