// Rank tracking's shared vocabulary: keywords, observations and the interface every provider implements.
import type { z } from 'zod';
import type { BrowserPool } from '../browser/launcher.ts';

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

/** A config block as a provider receives it: its schema's output, each {"env": …} reference read. */
export type Resolved<S> = {
  [K in keyof S]: S[K] extends { env: string }
    ? string
    : S[K] extends { env: string } | undefined
      ? string | undefined
      : S[K];
};

/** What the tracker adds to every keyword provider's settings: results to look at per keyword. */
export interface KeywordSettings {
  depth: number;
  /** The shared Chromium, for a provider that `needsBrowser`. */
  browser?: BrowserPool;
}

export interface ProviderDeps<S = Record<string, unknown>> {
  fetch: typeof fetch;
  now: () => Date;
  signal?: AbortSignal;
  /** The provider's config block as its own schema validated it, secrets read from the environment,
   * plus `depth` (results per keyword, from the site's rankings.depth) and, for a provider that
   * `needsBrowser`, `browser` (the shared Chromium pool). */
  settings: S;
  /**
   * Called just before each request to the provider (each result page, task, API page or page load):
   * the tracker counts it against `dailyQuota`/`monthlyQuota` and throws a `quota` ProviderError instead
   * when the limit is used up. Providers let that error through (a SERP provider may keep the pages it
   * already read).
   */
  onRequest?: () => void | Promise<void>;
}

/**
 * What a provider can do, as data: the tracker reads these and never a provider's id.
 * - `engines`: the search engines it serves; keywords of other engines are not asked for.
 * - `devices`: the devices it can search as (keyword providers); other keywords are not asked for.
 * - `countries`: whether its answers are per country (Google's gl) — false means it sees one market.
 * - `maxDepth`: the most results it can look at per keyword (null: averages, no depth).
 * - `fullSerp`: true when it returns the whole result page (competitors visible, stored for later);
 *   false when it only says where the site itself stands.
 * - `quotaUnit`: what `dailyQuota`/`monthlyQuota` count: every request it makes (`request`), or one per
 *   keyword however many pages that takes (`keyword`).
 * - `needsBrowser`: it reads pages in the shared Chromium (handed over as `settings.browser`).
 * - `optIn`: off unless its config block says `"enabled": true` (reading pages in a browser is).
 * - `pause`: the default pause between two keywords (config `delayMs`/`jitterMs` override); null: none.
 * - `priority`: whose reading wins when two sources saw a keyword the same day (exact result pages beat
 *   averages; an import sits at 20 between them).
 */
export interface ProviderCapabilities {
  engines: readonly Engine[];
  devices: readonly Device[];
  countries: boolean;
  maxDepth: number | null;
  fullSerp: boolean;
  quotaUnit: 'request' | 'keyword';
  needsBrowser: boolean;
  optIn: boolean;
  pause: { delayMs: number; jitterMs: number } | null;
  priority: number;
}

/** What every provider says about itself: the config, the dashboard, `init` and the CLI read these. */
interface ProviderDescription<S, K extends string> {
  /** Source name stored with each observation ("serpapi", "gsc"…) and written in `rankings.providers[].use`. */
  id: string;
  /** The human name, per language (a brand stays a brand). */
  label: { en: string; ru: string };
  /** Its account block lives at `providers.<configKey>` in the config. */
  configKey: K;
  /** The zod schema of that block; the config loader validates it, the provider gets its output. */
  settings: z.ZodType<S>;
  /** Keys of the block that are references to environment variables ({"env": "VAR"}). */
  secrets: readonly string[];
  /** The block `promowatch init` writes (values that work as they are; `off()`/`note()` from jsonc.ts). */
  example: unknown;
  /** Its line colour where sources are drawn (a keyword's chart). */
  colour: string;
  capabilities: ProviderCapabilities;
}

/** A provider that looks at one keyword at a time (SERP APIs, the browser): one result page per call,
 * which may take several requests (pages), each reported through `ProviderDeps.onRequest`. */
export interface SerpProvider<
  S = Record<string, unknown>,
  K extends string = string,
> extends ProviderDescription<S, K> {
  kind: 'serp';
  fetchPositions(keyword: Keyword, deps: ProviderDeps<Resolved<S> & KeywordSettings>): Promise<SerpPage>;
}

/** A provider that reports statistics for a whole site over a date range (webmaster APIs). */
export interface StatsProvider<
  S = Record<string, unknown>,
  K extends string = string,
> extends ProviderDescription<S, K> {
  kind: 'stats';
  /** How the API names the site unless the config does (`rankings.providers[].property` or the
   * legacy per-site key named by `propertySetting`). */
  property(baseUrl: URL): string;
  /** The per-site key in `rankings` that names the site for this API ("searchConsoleProperty"), if any. */
  propertySetting?: 'searchConsoleProperty' | 'yandexHostId' | 'bingSiteUrl';
  /** `property`: the site as the API names it (Search Console "sc-domain:example.com" or the URL
   * prefix, Yandex host id "https:example.com:443", Bing site URL). Days are YYYY-MM-DD, inclusive. */
  fetchPositions(
    req: { property: string; from: string; to: string },
    deps: ProviderDeps<Resolved<S>>,
  ): Promise<QueryStat[]>;
}

// `any` settings: the registry holds providers of different settings types; each one's own functions
// stay typed by its own schema.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type RankProvider = SerpProvider<any> | StatsProvider<any>;

/** The deps a provider's operation takes, its settings typed by its own schema (for tests and callers). */
export type DepsOf<P extends RankProvider> = Parameters<P['fetchPositions']>[1];

/** The priority of an import (CSV/XLSX of positions): below result pages, above averages. */
export const IMPORT_PRIORITY = 20;
/** The priority of averaged statistics (webmaster APIs): a reading at or below it is an average. */
export const AVERAGE_PRIORITY = 10;
