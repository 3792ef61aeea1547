// Reads indexing directives from <meta name="robots"> and the X-Robots-Tag header
// (https://developers.google.com/search/docs/crawling-indexing/robots-meta-tag).

export interface Directives {
  noindex: boolean;
  nofollow: boolean;
}

/** Directives for `bot` (lower-case, e.g. "googlebot", "yandex"): generic ones plus those addressed to it. */
export function xRobotsDirectives(header: string | null | undefined, bot: string): Directives {
  const out = { noindex: false, nofollow: false };
  if (!header) return out;
  // "googlebot: noindex, nofollow, otherbot: noarchive" — a "name:" prefix applies to what follows it.
  let target: string | null = null;
  for (const raw of header.split(',')) {
    let part = raw.trim().toLowerCase();
    const m = /^([a-z0-9_-]+)\s*:\s*(.*)$/.exec(part);
    if (
      m &&
      !['unavailable_after', 'max-snippet', 'max-image-preview', 'max-video-preview'].includes(m[1]!)
    ) {
      target = m[1]!;
      part = m[2]!;
    }
    if (target !== null && target !== bot) continue;
    apply(out, part);
  }
  return out;
}

function apply(out: Directives, directive: string): void {
  if (directive === 'noindex' || directive === 'none') out.noindex = true;
  if (directive === 'nofollow' || directive === 'none') out.nofollow = true;
}

/** Directives from meta tags: `robots` for everyone plus the tag named after `bot`. */
export function metaRobotsDirectives(metaRobots: Record<string, string>, bot: string): Directives {
  const out = { noindex: false, nofollow: false };
  for (const name of ['robots', bot]) {
    const content = metaRobots[name];
    if (content) for (const d of content.split(',')) apply(out, d.trim().toLowerCase());
  }
  return out;
}

export function combine(...ds: Directives[]): Directives {
  return { noindex: ds.some((d) => d.noindex), nofollow: ds.some((d) => d.nofollow) };
}
