// Keeping secrets out of what we show: API keys, refresh tokens and bearer tokens never reach a message,
// a body excerpt, a log line or the alerts table.

const BODY_SHOWN = 200;

/**
 * Replaces every occurrence of the given secrets with *** (values shorter than 4 characters are left:
 * they would mangle ordinary text), then any bearer token or access/refresh token the text carries on
 * its own (an error body echoing our request, a URL with `access_token=` in its query).
 */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  // Longest first, so a secret that contains another is replaced whole.
  for (const s of [...secrets].sort((a, b) => b.length - a.length))
    if (s.length >= 4) out = out.split(s).join('***');
  return out
    .replace(/\b(Bearer|Basic|OAuth)\s+[A-Za-z0-9._~+/=-]{8,}/gi, '$1 ***')
    .replace(
      /\b(access_token|refresh_token|id_token|client_secret|api_key|apikey|assertion)(["']?\s*[=:]\s*["']?)[A-Za-z0-9._~+/-]{4,}/gi,
      '$1$2***',
    );
}

/** The start of an error body for a message: whitespace folded, at most 200 characters, secrets removed. */
export function bodyExcerpt(body: string, secrets: readonly string[]): string {
  const folded = scrub(body, secrets).replace(/\s+/g, ' ').trim();
  if (folded === '') return '(empty body)';
  return folded.length > BODY_SHOWN ? `${folded.slice(0, BODY_SHOWN)}…` : folded;
}

/**
 * A URL as it may be shown: origin and path with the secrets scrubbed (a Telegram bot token or a
 * webhook key lives in the path), and no query (API keys travel there: SerpApi's `api_key`).
 */
export function shownUrl(url: URL, secrets: readonly string[]): string {
  return scrub(`${url.origin}${url.pathname}`, secrets);
}
