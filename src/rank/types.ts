// Rank tracking's shared vocabulary: keywords, observations and the interface every provider implements.

export const ENGINES = ['google', 'yandex', 'bing'] as const;
export type Engine = (typeof ENGINES)[number];
export const DEVICES = ['desktop', 'mobile'] as const;
export type Device = (typeof DEVICES)[number];

/** Where a keyword is searched: Google/Bing by country and language (and an optional location name),
 * Yandex by region id (`lr`: 213 Moscow, 2 Saint Petersburg…). */
export interface Region {
  gl?: string | null;
  hl?: string | null;
  location?: string | null;
  lr?: number | null;
}

export interface KeywordInput extends Region {
  query: string;
  engine: Engine;
  device: Device;
  targetUrl?: string | null;
  volume?: number | null;
  tags?: string[];
}

export interface Keyword extends KeywordInput {
  id: number;
  siteId: number;
  /** Canonical region key, e.g. "gl=ru;hl=ru" or "lr=213". */
  region: string;
  targetUrl: string | null;
  volume: number | null;
  tags: string[];
}

export type ObservationState = 'ranked' | 'not-in-top' | 'failed';

/** One look at one keyword on one day by one source. A failed look carries its error and no position:
 * "unknown" is never stored as 0 or 101, and "not in the top `depth`" is its own state. */
export interface Observation {
  keywordId: number;
  day: string;
  source: string;
  state: ObservationState;
  /** Set only when ranked; an average (Search Console) may be fractional. */
  position: number | null;
  /** The site's page that ranks. */
  url: string | null;
  /** How many results were looked at (100 for a top-100 request); null for averaged statistics. */
  depth: number | null;
  error: string | null;
  /** Why a failed look failed (the dashboard words it in the reader's language); absent = unknown. */
  errorKind?: FailureKind | null;
}

/** An organic result as read from a result page or a SERP API. `position` counts organic results only
 * (1-based), never ads, maps, "people also ask" or AI blocks. */
export interface SerpItem {
  position: number;
  url: string;
  title: string | null;
}

/** A whole result page: kept so competitors added later get their history without refetching. */
export interface SerpPage {
  items: SerpItem[];
  /** How many results were asked for (the page is "complete" down to this depth unless items ran out). */
  depth: number;
  /** The raw body (JSON or HTML) as received, kept as evidence; bounded by the store. */
  raw?: string;
}

/** Search statistics as Search Console, Yandex Webmaster and Bing Webmaster report them. */
export interface QueryStat {
  day: string;
  query: string;
  /** The site's page; '' when the API does not break down by page. */
  page: string;
  device: string;
  country: string;
  clicks: number;
  impressions: number;
  /** Average position (1 = top); null when the API gave none. */
  position: number | null;
}

/** Why a provider could not answer, in a form the tracker acts on: `auth` and `quota` stop that
 * provider for the run (every further request would fail the same way), `blocked` (captcha, consent,
 * "unusual traffic") stops it too, `rate-limit` waits `retryAfterMs` once, the others fail one keyword. */
export type ProviderErrorKind =
  'auth' | 'quota' | 'rate-limit' | 'blocked' | 'malformed' | 'http' | 'network';

/** Why a stored check failed: a provider's error kind, or a result page without organic results. */
export type FailureKind = ProviderErrorKind | 'no-results';

export const FAILURE_KINDS: readonly FailureKind[] = [
  'auth',
  'quota',
  'rate-limit',
  'blocked',
  'malformed',
  'http',
  'network',
  'no-results',
];

export class ProviderError extends Error {
  constructor(
    readonly provider: string,
    readonly kind: ProviderErrorKind,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(`${provider}: ${message}`);
    this.name = 'ProviderError';
  }
}

export interface ProviderDeps {
  fetch: typeof fetch;
  now: () => Date;
  signal?: AbortSignal;
  /** Resolved provider settings from config (secrets already read from the environment). */
  settings: Record<string, unknown>;
  /**
   * Called just before each request to the provider (each result page, task, API page or page load):
   * the tracker counts it against `dailyQuota`/`monthlyQuota` and throws a `quota` ProviderError instead
   * when the limit is used up. Providers let that error through (a SERP provider may keep the pages it
   * already read).
   */
  onRequest?: () => void;
}

/** A provider that fetches one keyword's result page at a time (SERP APIs, the browser). A call may
 * take several requests (pages); each one is reported through `ProviderDeps.onRequest`. */
export interface SerpProvider {
  kind: 'serp';
  /** Source name stored with each observation: "serpapi", "dataforseo", "browser". */
  id: string;
  label: string;
  engines: readonly Engine[];
  fetchSerp(keyword: Keyword, deps: ProviderDeps): Promise<SerpPage>;
}

/** A provider that reports statistics for a whole site over a date range (webmaster APIs). */
export interface StatsProvider {
  kind: 'stats';
  /** Source name: "gsc", "yandex-webmaster", "bing-webmaster". */
  id: string;
  label: string;
  engine: Engine;
  /** `property`: the site as the API names it (Search Console "sc-domain:example.com" or the URL
   * prefix, Yandex host id "https:example.com:443", Bing site URL). Days are YYYY-MM-DD, inclusive. */
  fetchStats(req: { property: string; from: string; to: string }, deps: ProviderDeps): Promise<QueryStat[]>;
}

export type RankProvider = SerpProvider | StatsProvider;

/** Exact result pages beat averages when two sources saw the same keyword on the same day. */
export const SOURCE_PRIORITY: Record<string, number> = {
  serpapi: 30,
  dataforseo: 30,
  browser: 25,
  import: 20,
  gsc: 10,
  'yandex-webmaster': 10,
  'bing-webmaster': 10,
};
