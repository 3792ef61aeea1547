// The API client's errors (src/fetch) in the tracker's terms: a ProviderError whose kind says what the
// tracker does next (stop the provider, wait once, fail one keyword), in the provider's own words.
import { ApiError, TransportError, type ApiErrorKind } from '../fetch/index.ts';
import { ProviderError, type ProviderErrorKind } from './types.ts';

const KIND: Record<ApiErrorKind, ProviderErrorKind> = {
  timeout: 'network',
  aborted: 'network',
  unreachable: 'network',
  'too-large': 'malformed',
  parse: 'malformed',
  http: 'http',
  auth: 'auth',
  'rate-limit': 'rate-limit',
};

export interface ProviderErrorWords {
  /** What was asked, starting the message: `SerpApi (google, "query")`. */
  what: string;
  /** The origin asked (shown: never the path or query, which may carry a key). */
  origin: string;
  /** What to check when the service cannot be reached: "providers.serpApi.baseUrl and the network". */
  check?: string;
}

/**
 * A transport failure (the run stopped, no connection, a time limit, a body past the cap) as the
 * provider's error; anything else is rethrown as it is. The client has already scrubbed secrets.
 */
export function transportFailure(
  provider: string,
  err: unknown,
  words: ProviderErrorWords,
  signal?: AbortSignal,
): never {
  if (signal?.aborted)
    throw new ProviderError(provider, 'network', `${words.what}: the request was cancelled`);
  if (!(err instanceof ApiError)) throw err;
  const detail = err.cause instanceof TransportError ? err.cause.detail : err.message;
  if (err.kind === 'too-large')
    throw new ProviderError(provider, 'malformed', `${words.what} sent ${detail}`);
  if (err.kind === 'timeout' || err.kind === 'unreachable' || err.kind === 'aborted')
    throw new ProviderError(
      provider,
      'network',
      `${words.what} could not be reached at ${words.origin}: ${detail}${words.check ? `; check ${words.check}` : ''}`,
    );
  throw new ProviderError(provider, KIND[err.kind], err.message, err.retryAfterMs);
}

/** Any ApiError as the provider's error, keeping the client's message and Retry-After wait. */
export function asProviderError(provider: string, err: unknown): unknown {
  if (!(err instanceof ApiError)) return err;
  return new ProviderError(provider, KIND[err.kind], err.message, err.retryAfterMs);
}
