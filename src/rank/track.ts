// The rank tracking engine: for one site, asks each due provider (on its own schedule, within its quota)
// and stores what it saw: observations, result pages, search statistics. One keyword's failure is recorded
// and the rest carry on; a provider that cannot go on (expired token, quota, captcha) stops alone.
import type { BrowserPool } from '../browser/launcher.ts';
import type { Config, SecretRef } from '../config/schema.ts';
import { firstFireBetween } from '../config/cron.ts';
import { resolveSecrets } from '../config/load.ts';
import { sleep } from '../util/sleep.ts';
import type { Sql } from '../db/store/types.ts';
import type { SiteRow } from '../db/sites.ts';
import { addDays, dayIn } from '../util/days.ts';
import type { Logger } from '../util/log.ts';
import {
  countRequest,
  lastPull,
  listKeywords,
  markPulled,
  observationWriter,
  providerUsage,
  saveQueryStats,
  saveSerpPage,
} from './store.ts';
import { observeSerp, observeStats, siteMatcher } from './observe.ts';
import { rebuildRankSummary } from './summary.ts';
import {
  ProviderError,
  type KeywordSettings,
  type ProviderDeps,
  type RankProvider,
  type SerpPage,
  type SerpProvider,
  type StatsProvider,
} from './types.ts';

// The pure readers live in observe.ts; callers that imported them from here keep working.
export { observeSerp, observeStats, siteMatcher } from './observe.ts';

export type RankSettings = Config['sites'][number]['rankings'];
type ProviderEntry = RankSettings['providers'][number];

/** A provider's config block as the tracker hands it over: validated by the provider's schema at load,
 * secrets read, plus the depth (and the browser, for a provider that needs one). */
type TrackedSettings = Record<string, unknown> & KeywordSettings;

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

async function quotaLeft(
  sql: Sql,
  provider: string,
  settings: Record<string, unknown>,
  now: Date,
): Promise<number> {
  const usage = await providerUsage(sql, provider, now.toISOString().slice(0, 10));
  const daily = typeof settings.dailyQuota === 'number' ? settings.dailyQuota - usage.day : Infinity;
  const monthly = typeof settings.monthlyQuota === 'number' ? settings.monthlyQuota - usage.month : Infinity;
  return Math.max(0, Math.min(daily, monthly));
}

const QUOTA_USED_UP = 'the daily or monthly request limit set in the config is used up';

/**
 * Counts each request a provider makes (a result page, a task, an API page) against its configured
 * limits, and refuses the one that would go past them.
 */
function requestCounter(
  deps: TrackDeps,
  provider: string,
  settings: Record<string, unknown>,
  outcome: ProviderOutcome,
): () => Promise<void> {
  return async () => {
    const now = deps.now();
    if ((await quotaLeft(deps.sql, provider, settings, now)) <= 0)
      throw new ProviderError(provider, 'quota', QUOTA_USED_UP);
    await countRequest(deps.sql, provider, now.toISOString().slice(0, 10));
    outcome.requests += 1;
  };
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
      const caps = provider.capabilities;
      const resolved = providerSettings(deps, provider);
      if (caps.optIn && resolved.enabled !== true)
        throw new ProviderError(
          provider.id,
          'auth',
          `provider "${provider.id}" is opt-in: set providers.${provider.configKey}.enabled to true`,
        );
      const depth = Math.min(settings.depth ?? 100, caps.maxDepth ?? Infinity);
      const providerDeps: ProviderDeps<TrackedSettings> = {
        fetch: deps.fetch,
        now: deps.now,
        signal: deps.signal,
        settings: { ...resolved, depth, ...(caps.needsBrowser ? { browser: deps.browser } : {}) },
        onRequest: requestCounter(deps, provider.id, resolved, outcome),
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

async function pullSerps(
  deps: TrackDeps,
  site: SiteRow,
  entry: ProviderEntry,
  provider: SerpProvider,
  providerDeps: ProviderDeps<TrackedSettings>,
  outcome: ProviderOutcome,
  opts: TrackOptions,
) {
  const caps = provider.capabilities;
  const engines = entry.engines ?? caps.engines;
  const keywords = (await listKeywords(deps.sql, site.id)).filter(
    (k) =>
      engines.includes(k.engine) &&
      caps.engines.includes(k.engine) &&
      caps.devices.includes(k.device) &&
      (!opts.keywordIds || opts.keywordIds.has(k.id)),
  );
  const isSite = siteMatcher(site.baseUrl);
  const write = observationWriter(deps.sql, deps.runId, deps.now());
  const wait = deps.sleep ?? sleep;
  const s = providerDeps.settings;
  let stopped: string | null = null;
  for (const [i, k] of keywords.entries()) {
    if (deps.signal?.aborted) {
      outcome.deferred = keywords.length - i;
      stopped = 'stopped: the process is shutting down';
      break;
    }
    if ((await quotaLeft(deps.sql, provider.id, s, deps.now())) <= 0) {
      outcome.deferred = keywords.length - i;
      stopped = `request limit from the config reached; ${outcome.deferred} keyword(s) wait for the next pull`;
      break;
    }
    // A provider that reads pages as a person would (the browser) waits between keywords.
    if (caps.pause && i > 0)
      await (deps.browserPause ?? defaultPause)(
        Number(s.delayMs ?? caps.pause.delayMs),
        Number(s.jitterMs ?? caps.pause.jitterMs),
        deps.signal,
      );
    // A provider billed per keyword counts it once here, however many requests it makes for it.
    const perKeyword = caps.quotaUnit === 'keyword';
    if (perKeyword) {
      try {
        await providerDeps.onRequest?.();
      } catch (err) {
        outcome.deferred = keywords.length - i;
        stopped = err instanceof Error ? err.message : String(err);
        break;
      }
    }
    const keywordDeps = perKeyword ? { ...providerDeps, onRequest: undefined } : providerDeps;
    let page: SerpPage | null = null;
    let error: ProviderError | Error | null = null;
    for (let attempt = 0; attempt < 2 && !page; attempt++) {
      try {
        page = await provider.fetchPositions(k, keywordDeps);
        error = null;
      } catch (err) {
        error = err instanceof Error ? err : new Error(String(err));
        // One wait for a rate limit, as the API asked, then the keyword counts as failed.
        if (err instanceof ProviderError && err.kind === 'rate-limit' && attempt === 0)
          await wait(Math.min(err.retryAfterMs ?? 5000, 60_000), deps.signal);
        else break;
      }
    }
    const day = dayIn(deps.now(), site.timeZone);
    if (page) {
      const o = observeSerp(k.id, day, provider.id, page, isSite);
      const found = page;
      await deps.sql.transaction(async (tx) => {
        // Only a whole result page shows competitors; a provider that reports the site's own place keeps none.
        if (caps.fullSerp && found.items.length)
          await saveSerpPage(tx, k.id, day, provider.id, found, deps.now());
        await observationWriter(tx, deps.runId, deps.now())(o);
      });
      if (o.state === 'ranked') outcome.ranked += 1;
      else if (o.state === 'not-in-top') outcome.notInTop += 1;
      else outcome.failed += 1;
    } else if (error) {
      await write({
        keywordId: k.id,
        day,
        source: provider.id,
        state: 'failed',
        position: null,
        url: null,
        depth: null,
        error: error.message.slice(0, 500),
        errorKind: error instanceof ProviderError ? error.kind : null,
      });
      outcome.failed += 1;
      if (error instanceof ProviderError && ['auth', 'quota', 'blocked'].includes(error.kind)) {
        outcome.deferred = keywords.length - i - 1;
        stopped = `${error.message}${outcome.deferred ? ` (${outcome.deferred} keyword(s) not asked this run)` : ''}`;
        break;
      }
    }
  }
  if (stopped) {
    outcome.status = outcome.ranked + outcome.notInTop > 0 ? 'partial' : 'failed';
    outcome.error = stopped;
  } else if (outcome.failed > 0) {
    outcome.status = outcome.ranked + outcome.notInTop > 0 ? 'partial' : 'failed';
    outcome.error = `${outcome.failed} of ${keywords.length} keyword(s) failed`;
  }
}

async function defaultPause(delayMs: number, jitterMs: number, signal?: AbortSignal) {
  await sleep(delayMs + Math.random() * jitterMs, signal);
}
