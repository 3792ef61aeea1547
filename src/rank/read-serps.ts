// Reading a SERP provider's keywords one after another, within its request limits: what `track` does
// in-process for a site (track.ts) and what one `serp` task does for its batch (serp-task.ts).
import { sleep } from '../util/sleep.ts';
import type { Sql } from '../db/store/types.ts';
import type { SiteRow } from '../db/sites.ts';
import { dayIn } from '../util/days.ts';
import { reserve, type QuotaLimits } from '../limits/quota.ts';
import { observationWriter, providerUsage, saveSerpPage } from './store.ts';
import { observeSerp, siteMatcher } from './observe.ts';
import {
  ProviderError,
  type Keyword,
  type KeywordSettings,
  type ProviderDeps,
  type SerpPage,
  type SerpProvider,
} from './types.ts';

/** A provider's config block as the tracker hands it over: validated by the provider's schema at load,
 * secrets read, plus the depth (and the browser, for a provider that needs one). */
export type TrackedSettings = Record<string, unknown> & KeywordSettings;

/** What reading a provider's keywords came to: counts, and why it stopped early if it did. */
export interface SerpTally {
  requests: number;
  ranked: number;
  notInTop: number;
  failed: number;
  /** Keywords not asked for this run (quota reached, or the provider stopped). */
  deferred: number;
  /** Why the rest were not asked: the request limit (`quota`, worded with the keywords left), an error
   * every further request would repeat (`provider`: auth, quota, captcha), or another reason as it is. */
  stop: { kind: 'quota' | 'provider' | 'other'; message: string } | null;
}

/**
 * How a keyword's reading is paced against others: `wait` runs before it (the in-process pause), or
 * `around` wraps it (the queue's slot on the engine, shared by every worker).
 */
export type SerpPacer = <T>(keyword: Keyword, first: boolean, read: () => Promise<T>) => Promise<T>;

export async function quotaLeft(
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

export const QUOTA_USED_UP = 'the daily or monthly request limit set in the config is used up';

/**
 * Counts each request a provider makes (a result page, a task, an API page) against its configured
 * limits, and refuses the one that would go past them.
 */
export function requestCounter(
  deps: Pick<ReadDeps, 'sql' | 'now'>,
  provider: string,
  settings: Record<string, unknown>,
  outcome: { requests: number },
): () => Promise<void> {
  return async () => {
    // Checked and counted in one transaction (src/limits/quota.ts): workers asking at once never pass
    // the limit together.
    const r = await reserve(deps.sql, provider, 1, quotaLimits(settings), deps.now());
    if (!r.granted) throw new ProviderError(provider, 'quota', QUOTA_USED_UP);
    outcome.requests += 1;
  };
}

/** The provider block's `dailyQuota`/`monthlyQuota` as limits for reserve(). */
export function quotaLimits(settings: Record<string, unknown>): QuotaLimits {
  return {
    day: typeof settings.dailyQuota === 'number' ? settings.dailyQuota : undefined,
    month: typeof settings.monthlyQuota === 'number' ? settings.monthlyQuota : undefined,
  };
}

export interface ReadDeps {
  sql: Sql;
  now: () => Date;
  fetch: typeof fetch;
  signal?: AbortSignal;
  runId: number | null;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/**
 * Reads keywords one after another and stores each one's observation (and result page) as it comes:
 * what `track` does for a SERP provider, and what one `serp` task does for its batch. Stops at the
 * request limit, at the shutdown signal, and at an error that every further request would repeat.
 */
export async function readSerps(
  deps: ReadDeps,
  site: SiteRow,
  provider: SerpProvider,
  settings: TrackedSettings,
  keywords: readonly Keyword[],
  pace: SerpPacer,
): Promise<SerpTally> {
  const caps = provider.capabilities;
  const tally: SerpTally = { requests: 0, ranked: 0, notInTop: 0, failed: 0, deferred: 0, stop: null };
  const providerDeps: ProviderDeps<TrackedSettings> = {
    fetch: deps.fetch,
    now: deps.now,
    signal: deps.signal,
    settings,
    onRequest: requestCounter(deps, provider.id, settings, tally),
  };
  const isSite = siteMatcher(site.baseUrl);
  const write = observationWriter(deps.sql, deps.runId, deps.now());
  const wait = deps.sleep ?? sleep;
  for (const [i, k] of keywords.entries()) {
    if (deps.signal?.aborted) {
      tally.deferred = keywords.length - i;
      tally.stop = { kind: 'other', message: 'stopped: the process is shutting down' };
      break;
    }
    if ((await quotaLeft(deps.sql, provider.id, settings, deps.now())) <= 0) {
      tally.deferred = keywords.length - i;
      tally.stop = { kind: 'quota', message: QUOTA_USED_UP };
      break;
    }
    // A provider billed per keyword counts it once here, however many requests it makes for it.
    const perKeyword = caps.quotaUnit === 'keyword';
    if (perKeyword) {
      try {
        await providerDeps.onRequest?.();
      } catch (err) {
        tally.deferred = keywords.length - i;
        tally.stop =
          err instanceof ProviderError && err.kind === 'quota'
            ? { kind: 'quota', message: err.message }
            : { kind: 'other', message: err instanceof Error ? err.message : String(err) };
        break;
      }
    }
    const keywordDeps = perKeyword ? { ...providerDeps, onRequest: undefined } : providerDeps;
    const asked = tally.requests;
    let got: { page: SerpPage | null; error: Error | null };
    try {
      got = await pace(k, i === 0, async () => {
        let page: SerpPage | null = null;
        let error: Error | null = null;
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
        return { page, error };
      });
    } catch (err) {
      // The pacing itself gave up (the task's signal aborted while waiting for the engine).
      tally.deferred = keywords.length - i;
      tally.stop = { kind: 'other', message: err instanceof Error ? err.message : String(err) };
      break;
    }
    const { page, error } = got;
    // The limit was reached before this keyword's first request (another worker took the last one):
    // nothing was asked, so it waits for the next pull like the rest, as when the check above stops.
    if (!page && error instanceof ProviderError && error.kind === 'quota' && tally.requests === asked) {
      tally.deferred = keywords.length - i;
      tally.stop = { kind: 'quota', message: error.message };
      break;
    }
    const day = dayIn(deps.now(), site.timeZone);
    if (page) {
      const found = page;
      const o = observeSerp(k.id, day, provider.id, found, isSite);
      await deps.sql.transaction(async (tx) => {
        // Only a whole result page shows competitors; a provider that reports the site's own place keeps none.
        if (caps.fullSerp && found.items.length)
          await saveSerpPage(tx, k.id, day, provider.id, found, deps.now());
        await observationWriter(tx, deps.runId, deps.now())(o);
      });
      if (o.state === 'ranked') tally.ranked += 1;
      else if (o.state === 'not-in-top') tally.notInTop += 1;
      else tally.failed += 1;
    } else if (error) {
      const e = error;
      await write({
        keywordId: k.id,
        day,
        source: provider.id,
        state: 'failed',
        position: null,
        url: null,
        depth: null,
        error: e.message.slice(0, 500),
        errorKind: e instanceof ProviderError ? e.kind : null,
      });
      tally.failed += 1;
      if (e instanceof ProviderError && ['auth', 'quota', 'blocked'].includes(e.kind)) {
        tally.deferred = keywords.length - i - 1;
        tally.stop = { kind: 'provider', message: e.message };
        break;
      }
    }
  }
  return tally;
}
