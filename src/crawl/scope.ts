// Which discovered URLs a crawl follows: same site, include/exclude patterns, depth, and guards
// against crawler traps (endless calendars, repeated path segments, query-string explosions).

export interface ScopeSettings {
  include: string[];
  exclude: string[];
  maxDepth: number;
  maxQueryVariantsPerPath: number;
  maxRepeatedSegment: number;
}

export class Scope {
  readonly #include: RegExp[];
  readonly #exclude: RegExp[];
  /** path → number of distinct query strings seen; bounded: paths are few compared to URLs. */
  readonly #variants = new Map<string, number>();

  constructor(
    private readonly site: URL,
    private readonly s: ScopeSettings,
  ) {
    this.#include = s.include.map((p) => new RegExp(p));
    this.#exclude = s.exclude.map((p) => new RegExp(p));
  }

  isSameSite(url: string): boolean {
    const u = new URL(url);
    return u.host === this.site.host && u.protocol === this.site.protocol;
  }

  /** Why a same-site page URL is not followed, or null when it is. Counts query variants as it goes. */
  skipReason(url: string, depth: number): string | null {
    if (this.#include.length > 0 && !this.#include.some((r) => r.test(url)))
      return 'not matched by crawl.include';
    if (this.#exclude.some((r) => r.test(url))) return 'matched by crawl.exclude';
    if (depth > this.s.maxDepth) return `deeper than crawl.maxDepth (${this.s.maxDepth})`;
    const u = new URL(url);
    const segments = u.pathname.split('/').filter(Boolean);
    const counts = new Map<string, number>();
    for (const seg of segments) {
      const n = (counts.get(seg) ?? 0) + 1;
      counts.set(seg, n);
      if (n > this.s.maxRepeatedSegment)
        return `trap guard: path segment "${seg.slice(0, 40)}" repeats ${n} times`;
    }
    if (u.search) {
      const n = (this.#variants.get(u.pathname) ?? 0) + 1;
      this.#variants.set(u.pathname, n);
      if (n > this.s.maxQueryVariantsPerPath)
        return `trap guard: more than ${this.s.maxQueryVariantsPerPath} query-string variants of ${u.pathname.slice(0, 80)}`;
    }
    return null;
  }
}
