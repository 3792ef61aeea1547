// Shared HTTP plumbing for channels that POST JSON (through the API client in src/fetch): error statuses,
// and URLs shown without their secrets.
import { ApiError, apiClient, bodyExcerpt, isTransientStatus, retryAfterMs, scrub } from '../fetch/client.ts';
import { ChannelError, type ChannelDeps } from './types.ts';

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

/** Channel answers are a few bytes ("ok", a Bot API result); anything near this is not one. */
const MAX_ANSWER_BYTES = 1 << 20;

/**
 * POSTs `payload` as JSON through the API client (time limit, the run's stop signal, no redirects
 * followed: a followed 301/302 would turn the POST into a GET and "succeed" without delivering anything).
 * Any status comes back for the channel to judge; no answer at all becomes a ChannelError that names
 * `what` (which must already be free of secrets, e.g. "Slack webhook https://hooks.slack.com").
 */
export async function postJson(
  deps: ChannelDeps,
  url: URL,
  payload: unknown,
  what: string,
  secrets: readonly string[],
  /** Extra headers computed from the exact bytes sent (a webhook's signature). */
  sign?: (body: string) => Record<string, string>,
): Promise<HttpAnswer> {
  const api = apiClient(deps, {
    service: what,
    secrets,
    timeoutMs: HTTP_TIMEOUT_MS,
    maxBytes: MAX_ANSWER_BYTES,
  });
  try {
    // Serialised here, not by the client, so a signature covers exactly the bytes that go out.
    const body = JSON.stringify(payload);
    const headers = { 'content-type': 'application/json; charset=utf-8', ...sign?.(body) };
    const answer = await api.request(url, { method: 'POST', body, headers, expect: 'text', statuses: 'any' });
    return { status: answer.status, headers: answer.headers, body: answer.body };
  } catch (err) {
    if (err instanceof ApiError) throw new ChannelError(err.message);
    throw err;
  }
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
