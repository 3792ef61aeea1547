// Shared HTTP plumbing for channels that POST JSON: timeouts, error statuses, and URLs shown without their secrets.
import { bodyExcerpt, isTransientStatus, retryAfterMs, scrub } from '../fetch/client.ts';
import { ChannelError, type ChannelDeps } from './types.ts';

// These moved to src/fetch; the re-export keeps connectors that still import them from here working
// until they move onto the API client.
export { bodyExcerpt, isTransientStatus, retryAfterMs, scrub };

export const HTTP_TIMEOUT_MS = 30_000;

/**
 * Resolves a secret that holds a URL (a webhook whose path is the credential) and checks its shape
 * without ever echoing it. Only `url.origin` may be shown afterwards.
 */
export function secretUrl(deps: ChannelDeps, ref: { env: string }, field: string): URL {
  const value = deps.secret(ref, field);
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    // fall through
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:'))
    throw new ChannelError(
      `Config: ${field} refers to ${ref.env}, which does not hold an absolute http(s) URL; set it to the full URL`,
      { permanent: true },
    );
  return url;
}

export interface HttpAnswer {
  status: number;
  headers: Headers;
  body: string;
}

/**
 * POSTs `payload` as JSON. A network failure or a timeout becomes a ChannelError that names `what`
 * (which must already be free of secrets, e.g. "Slack webhook https://hooks.slack.com").
 */
export async function postJson(
  deps: ChannelDeps,
  url: URL,
  payload: unknown,
  what: string,
  secrets: readonly string[],
): Promise<HttpAnswer> {
  let res: Response;
  try {
    res = await deps.fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', 'user-agent': 'promowatch' },
      body: JSON.stringify(payload),
      signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
      // A followed 301/302 would turn the POST into a GET and "succeed" without delivering anything.
      redirect: 'manual',
    });
  } catch (err) {
    throw new ChannelError(scrub(`${what} could not be reached: ${networkReason(err)}`, secrets));
  }
  let body: string;
  try {
    body = await res.text();
  } catch (err) {
    throw new ChannelError(scrub(`${what} broke off its answer: ${networkReason(err)}`, secrets));
  }
  return { status: res.status, headers: res.headers, body };
}

function networkReason(err: unknown): string {
  if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError'))
    return `no answer within ${HTTP_TIMEOUT_MS / 1000} s`;
  // undici says "fetch failed" and keeps the useful part (ECONNREFUSED, ENOTFOUND…) in `cause`.
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause : undefined;
  const reason = cause?.message || (err instanceof Error ? err.message : String(err));
  return `${reason}; check the address and that the service is up`;
}

/** The ChannelError for a non-2xx answer: status, start of the body, an optional hint, retry hints. */
export function statusError(
  what: string,
  answer: HttpAnswer,
  now: Date,
  secrets: readonly string[],
  hint?: string,
): ChannelError {
  const location = answer.headers.get('location');
  if (answer.status >= 300 && answer.status < 400 && location && !hint)
    hint = `it redirects to ${originOfLocation(location)}; configure the final URL instead`;
  const message = `${what} answered HTTP ${answer.status}: ${bodyExcerpt(answer.body, secrets)}${hint ? ` (${hint})` : ''}`;
  return new ChannelError(scrub(message, secrets), {
    permanent: !isTransientStatus(answer.status),
    retryAfterMs: retryAfterMs(answer.headers.get('retry-after'), now),
  });
}

/** Where a redirect points, reduced to its origin: the path may carry the same secret as ours. */
function originOfLocation(location: string): string {
  try {
    return new URL(location).origin;
  } catch {
    return 'another path on the same host';
  }
}
