// The shared API client (src/fetch/) as the ad platforms use it: one client per pull, and its typed
// ApiError turned into the AdsError the ads area reports, keeping the client's scrubbed message.
import { apiClient, ApiError, scrub, type ApiClient, type ApiClientOptions } from '../../fetch/index.ts';
import { AdsError, type AdsErrorKind, type PlatformDeps, type PlatformName } from '../types.ts';

/** A client whose messages name the platform; `service` defaults to the platform's name. */
export function platformClient(
  who: PlatformName,
  deps: PlatformDeps<unknown>,
  options: Omit<ApiClientOptions, 'service'> & { service?: string },
): ApiClient {
  return apiClient(deps, { service: who.name, ...options });
}

const KINDS: Record<ApiError['kind'], AdsErrorKind> = {
  timeout: 'network',
  aborted: 'network',
  unreachable: 'network',
  'too-large': 'malformed',
  parse: 'malformed',
  http: 'http',
  auth: 'auth',
  'rate-limit': 'quota',
};

/**
 * An ApiError as the platform's AdsError: its kind mapped, its wait kept. The client's message starts
 * with the service's name, which AdsError adds again, so that prefix is left out; `hint` says what to do;
 * `secrets` the client did not know of are scrubbed too.
 */
export function adsErrorFrom(
  who: PlatformName,
  err: ApiError,
  hint?: string,
  secrets: readonly string[] = [],
): AdsError {
  const own = `${who.name} `;
  let text = err.message.startsWith(own) ? err.message.slice(own.length) : err.message;
  // "Meta (https://graph.facebook.com) could not be reached" → "https://graph.facebook.com could not be reached"
  text = text.replace(/^\(([^)\s]+)\) /, '$1 ');
  const message = scrub(hint ? `${text} — ${hint}` : text, [...secrets]);
  return new AdsError(who, KINDS[err.kind], message, err.retryAfterMs);
}

/** Runs a request; a failure of the client becomes the platform's AdsError (a stop passes through). */
export async function asAds<T>(who: PlatformName, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof ApiError) throw adsErrorFrom(who, err);
    throw err;
  }
}
