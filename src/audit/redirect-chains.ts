// Redirect chains through a crawl's own rows: where each one ends, and where each one starts (so a
// chain is reported once, not again from every URL inside it).
import { MAX_REDIRECT_HOPS } from '../crawl/frontier.ts';

// The hop cap is the crawl's: it stops following a chain there (see src/crawl/frontier.ts).
export { MAX_REDIRECT_HOPS };

export interface RedirectRow {
  id: number;
  url: string;
  location: string;
}

export type ChainEnd =
  /** `url` answers without redirecting (or was not fetched): the chain's final URL after `hops` hops. */
  | { outcome: 'final'; hops: number; url: string }
  /** `url` was passed already: the chain comes back on itself. */
  | { outcome: 'loop'; hops: number; url: string }
  /** `url`, reached after `maxHops` hops, redirects again: the chain is longer than `maxHops`. */
  | { outcome: 'too-long'; hops: number; url: string };

/** Follows the redirects from `from` (which redirects) through `next` (URL → Location) for at most `maxHops` hops. */
export function followChain(
  next: ReadonlyMap<string, string>,
  from: string,
  maxHops = MAX_REDIRECT_HOPS,
): ChainEnd {
  const seen = new Set([from]);
  let at = next.get(from)!;
  let hops = 1;
  for (;;) {
    if (seen.has(at)) return { outcome: 'loop', hops, url: at };
    const onward = next.get(at);
    if (onward === undefined) return { outcome: 'final', hops, url: at };
    if (hops >= maxHops) return { outcome: 'too-long', hops, url: at };
    seen.add(at);
    at = onward;
    hops++;
  }
}

/**
 * The redirecting rows a chain starts from, with where the chain ends: every row no other redirect
 * leads to, plus, for each loop nobody enters, its first-crawled row (lowest id). URLs inside a chain
 * are not starts: they are part of the chain reported from its start.
 */
export function chainStarts(
  rows: readonly RedirectRow[],
  maxHops = MAX_REDIRECT_HOPS,
): { row: RedirectRow; end: ChainEnd }[] {
  const next = new Map(rows.map((r) => [r.url, r.location]));
  const targets = new Set(rows.map((r) => r.location));
  const out: { row: RedirectRow; end: ChainEnd }[] = [];
  const passed = new Set<string>();
  const walk = (from: string) => {
    for (let at: string | undefined = from, n = 0; at !== undefined && !passed.has(at) && n <= maxHops; n++) {
      passed.add(at);
      at = next.get(at);
    }
  };
  for (const row of rows)
    if (!targets.has(row.url)) {
      out.push({ row, end: followChain(next, row.url, maxHops) });
      walk(row.url);
    }
  // What is left unreached and comes back to itself is a loop with no way in (every member is a target).
  for (const row of [...rows].sort((a, b) => a.id - b.id)) {
    if (passed.has(row.url)) continue;
    const end = followChain(next, row.url, maxHops);
    if (end.outcome !== 'loop' || end.url !== row.url) continue;
    out.push({ row, end });
    walk(row.url);
  }
  return out;
}
