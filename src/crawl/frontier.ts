// The crawl's frontier stage: which URLs are crawled (scope, robots.txt, depth, the page cap), in which
// order (by depth, sitemap-only URLs last), and each URL once (the store's URL table is the seen-set).
import type { Robots } from './robots.ts';
import type { Scope } from './scope.ts';
import { SITEMAP_DEPTH, type CrawlStore, type QueuedUrl, type UrlKind } from './store.ts';
import { pathWithQuery } from './url.ts';
import type { Outlink } from './page-record.ts';

/**
 * Hops followed from one URL before the chain counts as too long. Google's crawlers follow up to 10
 * redirect hops and then give up on the URL
 * (https://developers.google.com/search/docs/crawling-indexing/http-network-errors), so a page behind
 * more than that is not reached; an endless chain (/r/0 → /r/1 → …) stops here too.
 */
export const MAX_REDIRECT_HOPS = 10;
const TOO_LONG_REASON = `redirect chain longer than ${MAX_REDIRECT_HOPS} hops`;

export interface FrontierSettings {
  maxPages: number;
  concurrency: number;
  robotsToken: string;
  checkResources: boolean;
  checkExternal: boolean;
}

/** How a URL was met: a link, a resource (img, css, js…), a redirect target, a canonical or hreflang. */
export type Via = 'a' | 'resource' | 'redirect' | 'canonical' | 'hreflang';

/** What becomes of a URL when first met: its kind, and queued, or blocked/skipped with the reason why. */
export interface Verdict {
  kind: UrlKind;
  state: 'queued' | 'blocked' | 'skipped';
  reason: string | null;
}

/**
 * The frontier's rules for a URL met for the first time (scope, robots.txt, crawl.checkExternal,
 * resources, include/exclude, depth, trap guards). Every crawl store applies the same ones.
 */
export function judgeUrl(
  scope: Scope,
  robots: Robots,
  s: FrontierSettings,
  url: string,
  via: Via,
  depth: number,
): Verdict {
  if (!scope.isSameSite(url))
    return s.checkExternal
      ? { kind: 'external', state: 'queued', reason: null }
      : {
          kind: 'external',
          state: 'skipped',
          reason: 'external links are not checked (crawl.checkExternal)',
        };
  const blocked = !robots.isAllowed(pathWithQuery(url), s.robotsToken);
  if (via === 'resource') {
    if (blocked) return { kind: 'resource', state: 'blocked', reason: 'blocked by robots.txt' };
    return s.checkResources
      ? { kind: 'resource', state: 'queued', reason: null }
      : { kind: 'resource', state: 'skipped', reason: 'resources are not checked' };
  }
  if (blocked) return { kind: 'page', state: 'blocked', reason: 'blocked by robots.txt' };
  // Sitemap-only URLs have no click depth yet; the depth limit applies to links.
  const reason = scope.skipReason(url, depth >= SITEMAP_DEPTH ? 0 : depth);
  return { kind: 'page', state: reason ? 'skipped' : 'queued', reason };
}

/** A redirect target past MAX_REDIRECT_HOPS: kept, not followed. */
export function tooLongVerdict(scope: Scope, from: { kind: UrlKind }, redirect: string): Verdict {
  const kind = from.kind === 'resource' ? 'resource' : scope.isSameSite(redirect) ? 'page' : 'external';
  return { kind, state: 'skipped', reason: TOO_LONG_REASON };
}

export class Frontier {
  readonly #buffer: QueuedUrl[] = [];
  /** Redirect hops from where its chain started, for URLs reached by a redirect and not yet fetched. */
  readonly #chainHops = new Map<number, number>();
  /** Pages handed out so far; the cap is crawl.maxPages. */
  #pages = 0;

  constructor(
    private readonly store: CrawlStore,
    private readonly scope: Scope,
    private readonly robots: Robots,
    private readonly s: FrontierSettings,
  ) {}

  /** Adds a same-site or external URL met on a page; returns its id. */
  discover(url: string, via: Via, depth: number): number {
    const { store } = this;
    // A URL met again (navigation, footers: most links) keeps the verdict it got the first time; judging
    // it again costs three URL parses and would count its repeats as query-string variants.
    const known = store.knownId(url);
    if (known !== undefined) return known;
    const v = judgeUrl(this.scope, this.robots, this.s, url, via, depth);
    return store.discover(url, v.kind, depth, v.state, v.reason);
  }

  /** The start URL, at depth 0. */
  seed(start: string): void {
    this.store.inTransaction(() => this.discover(start, 'a', 0));
  }

  /** The sitemaps' URLs (same site only), marked as listed there, in one transaction. */
  seedFromSitemaps(urls: readonly string[]): void {
    this.store.inTransaction(() => {
      for (const url of urls)
        if (this.scope.isSameSite(url)) this.store.markInSitemap(this.discover(url, 'a', SITEMAP_DEPTH));
    });
  }

  /**
   * Queues what a fetched URL points to and saves the links to it, in the page's order: its redirect
   * target first (followed at most MAX_REDIRECT_HOPS hops from where the chain started), then links,
   * canonical and hreflang alternates.
   */
  follow(q: QueuedUrl, redirect: string | null, outlinks: readonly Outlink[]): void {
    const hopsHere = this.#chainHops.get(q.id) ?? 0;
    this.#chainHops.delete(q.id);
    if (redirect !== null) {
      let toId: number;
      const hops = hopsHere + 1;
      if (hops > MAX_REDIRECT_HOPS) {
        // Past the cap the chain is not followed: an endless one (/r/0 → /r/1 → …) ends here.
        const v = tooLongVerdict(this.scope, q, redirect);
        toId = this.store.discover(redirect, v.kind, q.depth, v.state, v.reason);
      } else {
        toId = this.discover(redirect, q.kind === 'resource' ? 'resource' : 'redirect', q.depth);
        if (!this.#chainHops.has(toId)) this.#chainHops.set(toId, hops);
      }
      this.store.saveLink({ fromId: q.id, toId, kind: 'redirect', anchor: null, rel: null, hasAlt: null });
    }
    for (const o of outlinks) {
      const toId = this.discover(o.url, o.via, o.depth);
      this.store.saveLink({ fromId: q.id, toId, ...o.link });
    }
  }

  /**
   * The next URL to fetch, or undefined when none is queued now. The queue lives on disk; a small buffer
   * is refilled from it. Sitemap-only URLs come when nothing else is queued or in flight (`inFlight`),
   * so that links get the chance to reach them first and give them a click depth.
   */
  next(inFlight: number): QueuedUrl | undefined {
    const { store, s } = this;
    if (this.#buffer.length === 0) {
      const room = s.maxPages - this.#pages;
      const batch = Math.max(s.concurrency * 4, 32);
      this.#buffer.push(...store.inTransaction(() => store.claim(batch, room > 0)));
      if (this.#buffer.length === 0 && inFlight === 0)
        this.#buffer.push(...store.inTransaction(() => store.claim(batch, room > 0, true)));
    }
    while (this.#buffer.length) {
      const q = this.#buffer.shift()!;
      if (q.kind === 'page') {
        if (this.#pages >= s.maxPages) {
          store.requeue(q.id);
          continue;
        }
        this.#pages++;
      }
      return q;
    }
    return undefined;
  }
}
