// One request to a JSON/CSV API for the rank providers and ad platforms: a time limit joined to the caller's
// abort signal, redirects not followed unless asked, and a body read up to a size cap.

export interface ApiRequestLimits {
  /** The caller's signal (a run being stopped). When it fires, its reason is rethrown as it is. */
  signal?: AbortSignal;
  /** For the whole exchange, body included. */
  timeoutMs: number;
  /** Bytes of body accepted; past this the read is cancelled. */
  maxBytes: number;
}

export interface ApiAnswer<Body = string> {
  status: number;
  headers: Headers;
  body: Body;
}

/**
 * - `timeout`: the request's own time limit fired;
 * - `aborted`: fetch threw an AbortError or TimeoutError that neither the time limit nor the caller caused
 *   (a wrapping fetch with signals of its own); its detail still reads "no answer within N s";
 * - `unreachable`: no connection, or the answer broke off;
 * - `too-large`: the body passed `maxBytes`.
 */
export type TransportErrorKind = 'timeout' | 'aborted' | 'unreachable' | 'too-large';

/**
 * Why an API request got no usable answer. The message reads "<origin> could not be reached: <detail>"
 * (or "<origin> sent more than N MiB in one answer"); `detail` is the part after the colon and `cause` the
 * error fetch threw. Clients map it to their own error class and wording, scrubbing their secrets.
 */
export class TransportError extends Error {
  constructor(
    readonly kind: TransportErrorKind,
    readonly detail: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'TransportError';
  }
}

/**
 * Fetches `url` and reads the whole body as bytes. `init.redirect` defaults to 'manual': a followed 301/302
 * turns a POST into a GET, and a redirect elsewhere would carry our headers along.
 * Throws a TransportError, or the caller's abort reason when `limits.signal` fired.
 */
export async function apiRequestBytes(
  fetchFn: typeof fetch,
  url: URL,
  init: RequestInit,
  limits: ApiRequestLimits,
): Promise<ApiAnswer<Buffer>> {
  const timeout = AbortSignal.timeout(limits.timeoutMs);
  const signal = limits.signal ? AbortSignal.any([limits.signal, timeout]) : timeout;
  try {
    const res = await fetchFn(url, { redirect: 'manual', ...init, signal });
    return { status: res.status, headers: res.headers, body: await readCapped(res, url, limits.maxBytes) };
  } catch (err) {
    if (limits.signal?.aborted) throw limits.signal.reason;
    if (err instanceof TransportError) throw err;
    const abortedFetch = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
    const kind = timeout.aborted ? 'timeout' : abortedFetch ? 'aborted' : 'unreachable';
    // undici says "fetch failed" and keeps the useful part (ECONNREFUSED, ENOTFOUND…) in `cause`.
    const detail =
      kind === 'unreachable'
        ? err instanceof Error && err.cause instanceof Error
          ? err.cause.message
          : String(err)
        : `no answer within ${limits.timeoutMs / 1000} s`;
    throw new TransportError(kind, detail, `${url.origin} could not be reached: ${detail}`, { cause: err });
  }
}

/** As apiRequestBytes, with the body decoded as UTF-8 (a byte-order mark is kept). */
export async function apiRequest(
  fetchFn: typeof fetch,
  url: URL,
  init: RequestInit,
  limits: ApiRequestLimits,
): Promise<ApiAnswer> {
  const answer = await apiRequestBytes(fetchFn, url, init, limits);
  return { ...answer, body: answer.body.toString('utf8') };
}

async function readCapped(res: Response, url: URL, maxBytes: number): Promise<Buffer> {
  if (!res.body) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      const cap = maxBytes % 2 ** 20 === 0 ? `${maxBytes / 2 ** 20} MiB` : `${maxBytes} bytes`;
      const detail = `more than ${cap} in one answer`;
      throw new TransportError('too-large', detail, `${url.origin} sent ${detail}`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}
