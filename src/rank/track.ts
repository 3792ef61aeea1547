// The rank tracking engine: for one site, asks each due provider (on its own schedule, within its quota)
// and stores what it saw: observations, result pages, search statistics. One keyword's failure is recorded
// and the rest carry on; a provider that cannot go on (expired token, quota, captcha) stops alone.
// Reading one SERP provider's keywords, shared with the `serp` task, is in read-serps.ts.
import type { BrowserPool } from '../browser/launcher.ts';
import type { Config, SecretRef } from '../config/schema.ts';
import { firstFireBetween } from '../config/cron.ts';
import { resolveSecrets } from '../config/load.ts';
import { sleep } from '../util/sleep.ts';
import type { Sql } from '../db/store/types.ts';
import type { SiteRow } from '../db/sites.ts';
import { addDays, dayIn } from '../util/days.ts';
import type { Logger } from '../util/log.ts';
import { lastPull, listKeywords, markPulled, observationWriter, saveQueryStats } from './store.ts';
import { observeStats } from './observe.ts';
import {
  quotaLeft,
  QUOTA_USED_UP,
  readSerps,
  requestCounter,
  type SerpPacer,
  type SerpTally,
  type TrackedSettings,
} from './read-serps.ts';
import { rebuildRankSummary } from './summary.ts';
import {
  ProviderError,
  type Keyword,
  type ProviderDeps,
  type RankProvider,
  type SerpProvider,
  type StatsProvider,
} from './types.ts';

// The pure readers live in observe.ts; callers that imported them from here keep working.
export { observeSerp, observeStats, siteMatcher } from './observe.ts';

export type RankSettings = Config['sites'][number]['rankings'];
type ProviderEntry = RankSettings['providers'][number];

export interface TrackDeps {
  sql: Sql;
  config: Config;
  now: () => Date;
  fetch: typeof fetch;
  log: Logger;
  signal?: AbortSignal;
  runId: number | null;
  secret: (ref: SecretRef, field: string) => string;
  browser?: BrowserPool;
  /** The providers to ask (the registry, `rankProviders()`, unless a test hands in its own). */
  providers: readonly RankProvider[];
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Pause between two browser requests (tests pass a no-op). */
  browserPause?: (delayMs: number, jitterMs: number, signal?: AbortSignal) => Promise<void>;
  /**
   * Reads a SERP provider's keywords somewhere else — as `serp` tasks on the queue (serp-task.ts) — and
   * says how it went; absent: the keywords are read here, one after another.
   */
  serpTasks?: (work: SerpWork) => Promise<SerpTally>;
}

/** One SERP provider's keywords for a site, to be read through the queue. */
export interface SerpWork {
  site: SiteRow;
  provider: SerpProvider;
  keywords: readonly Keyword[];
}

export interface ProviderOutcome {
  provider: string;
  status: 'ok' | 'partial' | 'failed' | 'not-due';
  requests: number;
  ranked: number;
  notInTop: number;
  failed: number;
  /** Keywords not asked for this run (quota reached, or the provider stopped). */
  deferred: number;
  stats: number;
  error?: string;
}

export interface TrackOptions {
  /** Pull every configured provider now, whatever its schedule (a person asked). */
  force?: boolean;
  /** Only these keyword ids (for `promowatch rank --keyword`). */
  keywordIds?: Set<number>;
}

/** The provider's config block with secrets read from the environment. */
export function providerSettings(deps: Pick<TrackDeps, 'config' | 'secret'>, provider: RankProvider) {
  const key = provider.configKey;
  const section = (deps.config.providers as Record<string, Record<string, unknown> | undefined>)[key];
  if (!section)
    throw new ProviderError(provider.id, 'auth', `not configured: add "providers.${key}" to the config`);
  return resolveSecrets(section, deps.secret, `providers.${key}`);
}

/**
 * What a provider is handed for a site's pull: its config block (secrets read) with the depth, and the
 * browser for one that needs it. Refuses an opt-in provider its block did not switch on.
 */
export function trackedSettings(
  deps: Pick<TrackDeps, 'config' | 'secret' | 'browser'>,
  provider: RankProvider,
  settings: Pick<RankSettings, 'depth'>,
): TrackedSettings {
  const caps = provider.capabilities;
  const resolved = providerSettings(deps, provider);
  if (caps.optIn && resolved.enabled !== true)
    throw new ProviderError(
      provider.id,
      'auth',
      `provider "${provider.id}" is opt-in: set providers.${provider.configKey}.enabled to true`,
    );
  const depth = Math.min(settings.depth ?? 100, caps.maxDepth ?? Infinity);
  return { ...resolved, depth, ...(caps.needsBrowser ? { browser: deps.browser } : {}) };
}

/** How a webmaster API names the site: the provider entry's `property`, the site's legacy key for that
 * API, or the provider's own rule from the site's address. */
export function siteProperty(
  provider: StatsProvider,
  site: SiteRow,
  s: RankSettings,
  entry?: Pick<ProviderEntry, 'property'>,
): string {
  return (
    entry?.property ??
    (provider.propertySetting ? s[provider.propertySetting] : undefined) ??
    provider.property(new URL(site.baseUrl))
  );
}

export async function trackSite(
  deps: TrackDeps,
  site: SiteRow,
  settings: RankSettings,
  opts: TrackOptions = {},
): Promise<ProviderOutcome[]> {
  const now = deps.now();
  const today = dayIn(now, site.timeZone);
  const outcomes: ProviderOutcome[] = [];
  let earliest = today;
  for (const entry of settings.providers) {
    if (deps.signal?.aborted) break;
    const outcome: ProviderOutcome = {
      provider: entry.use,
      status: 'ok',
      requests: 0,
      ranked: 0,
      notInTop: 0,
      failed: 0,
      deferred: 0,
      stats: 0,
    };
    outcomes.push(outcome);
    const last = await lastPull(deps.sql, site.id, entry.use);
    if (!opts.force && last && !firstFireBetween(entry.schedule, site.timeZone, last, now)) {
      outcome.status = 'not-due';
      continue;
    }
    const provider = deps.providers.find((p) => p.id === entry.use);
    // A pull of some keywords only (`rank --fetch --keyword`) reads nothing for the others: the provider's
    // scheduled slot stays due for them.
    const wholePull = !opts.keywordIds;
    try {
      if (!provider) throw new Error(`no provider "${entry.use}" is built in`);
      const tracked = trackedSettings(deps, provider, settings);
      const providerDeps: ProviderDeps<TrackedSettings> = {
        fetch: deps.fetch,
        now: deps.now,
        signal: deps.signal,
        settings: tracked,
        onRequest: requestCounter(deps, provider.id, tracked, outcome),
      };
      if (provider.kind === 'stats') {
        const from = addDays(today, -(entry.lookbackDays ?? 7) + 1);
        await pullStats(deps, site, settings, entry, provider, providerDeps, from, today, outcome, opts);
        if (from < earliest) earliest = from;
      } else {
        await pullSerps(deps, site, entry, provider, providerDeps, outcome, opts);
      }
      if (wholePull) await markPulled(deps.sql, site.id, entry.use, now);
    } catch (err) {
      outcome.status = 'failed';
      outcome.error = err instanceof Error ? err.message : String(err);
      deps.log.warn(`rankings ${site.name}: ${outcome.error}`);
      // Counted as a pull: an expired token must not be retried every hour until someone fixes it.
      if (wholePull) await markPulled(deps.sql, site.id, entry.use, now);
    }
  }
  await rebuildRankSummary(deps.sql, site.id, earliest, today);
  return outcomes;
}

async function pullStats(
  deps: TrackDeps,
  site: SiteRow,
  settings: RankSettings,
  entry: ProviderEntry,
  provider: StatsProvider,
  providerDeps: ProviderDeps<TrackedSettings>,
  from: string,
  to: string,
  outcome: ProviderOutcome,
  opts: TrackOptions,
) {
  if ((await quotaLeft(deps.sql, provider.id, providerDeps.settings, deps.now())) <= 0)
    throw new ProviderError(provider.id, 'quota', QUOTA_USED_UP);
  // The provider reports each request it makes (pages, one history per query) through onRequest.
  const stats = await provider.fetchPositions(
    { property: siteProperty(provider, site, settings, entry), from, to },
    providerDeps,
  );
  const keywords = (await listKeywords(deps.sql, site.id)).filter(
    (k) =>
      provider.capabilities.engines.includes(k.engine) && (!opts.keywordIds || opts.keywordIds.has(k.id)),
  );
  const observations = observeStats(keywords, stats, provider.id);
  await deps.sql.transaction(async (tx) => {
    // The whole site's statistics were read for these days, whichever keywords were asked for.
    outcome.stats = await saveQueryStats(tx, site.id, provider.id, from, to, stats);
    // The observations of the keywords worked out now are replaced for these days, so a day the API
    // revised no longer carries the old average; other keywords' observations were not re-read and stay.
    for (const k of keywords)
      await tx.run(
        'DELETE FROM rank_observations WHERE source = ? AND keyword_id = ? AND day BETWEEN ? AND ?',
        [provider.id, k.id, from, to],
      );
    const write = observationWriter(tx, deps.runId, deps.now());
    for (const o of observations) await write(o);
  });
  outcome.ranked = observations.length;
}

/** The site's keywords a SERP provider reads this run: its engines and devices, the ones asked for. */
export async function serpKeywords(
  sql: Sql,
  siteId: number,
  entry: Pick<ProviderEntry, 'engines'>,
  provider: SerpProvider,
  opts: TrackOptions = {},
): Promise<Keyword[]> {
  const caps = provider.capabilities;
  const engines = entry.engines ?? caps.engines;
  return (await listKeywords(sql, siteId)).filter(
    (k) =>
      engines.includes(k.engine) &&
      caps.engines.includes(k.engine) &&
      caps.devices.includes(k.device) &&
      (!opts.keywordIds || opts.keywordIds.has(k.id)),
  );
}

async function pullSerps(
  deps: TrackDeps,
  site: SiteRow,
  entry: ProviderEntry,
  provider: SerpProvider,
  providerDeps: ProviderDeps<TrackedSettings>,
  outcome: ProviderOutcome,
  opts: TrackOptions,
) {
  const keywords = await serpKeywords(deps.sql, site.id, entry, provider, opts);
  const tally = deps.serpTasks
    ? await deps.serpTasks({ site, provider, keywords })
    : await readSerps(
        deps,
        site,
        provider,
        providerDeps.settings,
        keywords,
        pauseBetween(deps, provider, providerDeps.settings),
      );
  settleOutcome(outcome, tally, keywords.length);
}

/** A tally's counts and stop reason as the provider's outcome, worded as the run records it. */
export function settleOutcome(outcome: ProviderOutcome, tally: SerpTally, keywords: number): void {
  outcome.requests += tally.requests;
  outcome.ranked += tally.ranked;
  outcome.notInTop += tally.notInTop;
  outcome.failed += tally.failed;
  outcome.deferred += tally.deferred;
  const seen = outcome.ranked + outcome.notInTop;
  if (tally.stop) {
    outcome.status = seen > 0 ? 'partial' : 'failed';
    const { kind, message } = tally.stop;
    outcome.error =
      kind === 'quota'
        ? `request limit from the config reached; ${outcome.deferred} keyword(s) wait for the next pull`
        : kind === 'provider' && outcome.deferred
          ? `${message} (${outcome.deferred} keyword(s) not asked this run)`
          : message;
  } else if (outcome.failed > 0) {
    outcome.status = seen > 0 ? 'partial' : 'failed';
    outcome.error = `${outcome.failed} of ${keywords} keyword(s) failed`;
  }
}

/** In one process: a provider that reads pages as a person would (the browser) waits between keywords. */
function pauseBetween(deps: TrackDeps, provider: SerpProvider, s: TrackedSettings): SerpPacer {
  const pause = provider.capabilities.pause;
  return async (_k, first, read) => {
    if (pause && !first) {
      await (deps.browserPause ?? defaultPause)(
        Number(s.delayMs ?? pause.delayMs),
        Number(s.jitterMs ?? pause.jitterMs),
        deps.signal,
      );
    }
    return read();
  };
}

async function defaultPause(delayMs: number, jitterMs: number, signal?: AbortSignal) {
  await sleep(delayMs + Math.random() * jitterMs, signal);
}
