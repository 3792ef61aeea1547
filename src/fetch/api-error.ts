// The one error an API request throws: what kind of failure, from which service, with what to do.

/**
 * - `timeout`: our time limit fired; `aborted`: fetch was aborted by something other than the caller;
 * - `unreachable`: no connection, or the answer broke off; `too-large`: the body passed the cap;
 * - `http`: a non-2xx status; `auth`: 401/403 or a refused grant; `rate-limit`: 429 (or the service's own
 *   "too many requests"); `parse`: a 2xx body that is not what `expect` asked for.
 */
export type ApiErrorKind =
  'timeout' | 'aborted' | 'unreachable' | 'too-large' | 'http' | 'auth' | 'rate-limit' | 'parse';

export interface ApiErrorDetails {
  /** The service, as a person names it ("Search Console", "the Google token endpoint"). */
  service: string;
  status?: number;
  /** How long the service asked us to wait (Retry-After), in ms. */
  retryAfterMs?: number;
  /** The start of the body, whitespace folded, secrets removed (bodyExcerpt). */
  excerpt?: string;
  /** The whole body with secrets removed (capped), for a connector to read the service's error JSON. */
  body?: string;
  headers?: Headers;
  /** An OAuth error code (`invalid_grant`) or the service's own error code, when known. */
  code?: string;
  cause?: unknown;
}

/**
 * Its message names the service, says what happened and, where we know, what to do; it never holds a
 * secret (the client scrubs every configured secret and token before building it).
 */
export class ApiError extends Error {
  readonly kind: ApiErrorKind;
  readonly service: string;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
  readonly excerpt: string | undefined;
  readonly body: string | undefined;
  readonly headers: Headers | undefined;
  readonly code: string | undefined;

  constructor(kind: ApiErrorKind, message: string, details: ApiErrorDetails) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'ApiError';
    this.kind = kind;
    this.service = details.service;
    this.status = details.status;
    this.retryAfterMs = details.retryAfterMs;
    this.excerpt = details.excerpt;
    this.body = details.body;
    this.headers = details.headers;
    this.code = details.code;
  }

  /** Whether trying again later can help (network trouble, server errors, rate limits). */
  get transient(): boolean {
    if (this.kind === 'timeout' || this.kind === 'unreachable' || this.kind === 'rate-limit') return true;
    return this.kind === 'http' && this.status !== undefined && (this.status >= 500 || this.status === 408);
  }
}
