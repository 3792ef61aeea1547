// Pulls each ad account of a site: re-reads a lookback window and replaces the account's rows in it, one
// transaction per account; a queued report (Yandex Direct) ends "pending" and is picked up next run; one
// failing account never stops the others.
import { resolveSecrets } from '../config/load.ts';
import type { Config, SecretRef } from '../config/schema.ts';
import { sleep } from '../util/sleep.ts';
import type { Sql } from '../db/store/types.ts';
import type { SiteRow } from '../db/sites.ts';
import { addDays, dayIn } from '../util/days.ts';
import type { Logger } from '../util/log.ts';
import {
  finishSync,
  listAccounts,
  pendingResume,
  replaceWindow,
  startSync,
  updateAccountFacts,
} from './store.ts';
import { AdsError, type AdAccount, type AdPlatform } from './types.ts';

export type AdsSettings = Config['sites'][number]['ads'];

export interface SyncDeps {
  sql: Sql;
  config: Config;
  now: () => Date;
  fetch: typeof fetch;
  log: Logger;
  signal?: AbortSignal;
  runId: number | null;
  secret: (ref: SecretRef, field: string) => string;
  platforms: readonly AdPlatform[];
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export interface AccountOutcome {
  account: AdAccount;
  status: 'ok' | 'pending' | 'failed';
  from: string;
  to: string;
  rows: number;
  error?: string;
}

/** providers.<configKey> with the account's own credentials over it, secrets read from the environment. */
export function platformSettings(
  deps: Pick<SyncDeps, 'config' | 'secret'>,
  platform: AdPlatform,
  account: AdAccount,
) {
  const key = platform.configKey;
  const section = ((deps.config.providers as Record<string, unknown>)[key] ?? {}) as Record<string, unknown>;
  const out = resolveSecrets(section, deps.secret, `providers.${key}`);
  for (const [k, v] of Object.entries(account.credentials))
    out[k] = deps.secret(v, `ad account "${account.name}" credential ${k}`);
  return out;
}

export function lookbackFor(platform: AdPlatform, account: AdAccount, settings: AdsSettings): number {
  return account.lookbackDays ?? settings.lookbackDays?.[account.platform] ?? platform.defaultLookbackDays;
}

/** Pulls every account of the site (or those given); `range` overrides the lookback window. */
export async function syncSiteAds(
  deps: SyncDeps,
  site: SiteRow,
  settings: AdsSettings,
  opts: { accountIds?: Set<number>; range?: { from: string; to: string } } = {},
): Promise<AccountOutcome[]> {
  const outcomes: AccountOutcome[] = [];
  for (const account of await listAccounts(deps.sql, site.id)) {
    if (opts.accountIds && !opts.accountIds.has(account.id)) continue;
    if (deps.signal?.aborted) break;
    outcomes.push(await syncAccount(deps, account, settings, opts.range));
  }
  return outcomes;
}

export async function syncAccount(
  deps: SyncDeps,
  account: AdAccount,
  settings: AdsSettings,
  range?: { from: string; to: string },
): Promise<AccountOutcome> {
  const platform = deps.platforms.find((p) => p.id === account.platform);
  const today = dayIn(deps.now(), account.timeZone);
  // A report the platform was still building last time is asked for again, identically.
  const pending = range ? null : await pendingResume(deps.sql, account.id);
  const from =
    range?.from ??
    pending?.from ??
    addDays(today, -(platform ? lookbackFor(platform, account, settings) : 14) + 1);
  const to = range?.to ?? pending?.to ?? today;
  const syncId = await startSync(deps.sql, account.id, 'api', from, to, deps.runId, deps.now());
  const outcome: AccountOutcome = { account, status: 'ok', from, to, rows: 0 };
  try {
    if (!platform)
      throw new Error(
        `"${account.platform}" is not an ad platform this promowatch knows (known: ${deps.platforms.map((p) => p.id).join(', ')}); remove the account or upgrade`,
      );
    const result = await platform.pullDaily(
      { account, from, to, resume: pending?.resume ?? null },
      {
        fetch: deps.fetch,
        now: deps.now,
        signal: deps.signal,
        sleep: deps.sleep ?? sleep,
        settings: {
          ...platformSettings(deps, platform, account),
          maxQueueWaitSeconds: settings.maxQueueWaitSeconds,
        },
      },
    );
    if (result.status === 'pending') {
      outcome.status = 'pending';
      outcome.error = result.message;
      await finishSync(
        deps.sql,
        syncId,
        { status: 'pending', resume: result.resume, error: result.message },
        deps.now(),
      );
      return outcome;
    }
    await deps.sql.transaction(async (tx) => {
      if (result.account) await updateAccountFacts(tx, account.id, result.account);
      outcome.rows = await replaceWindow(tx, account.id, from, to, result.rows, 'api');
      await finishSync(tx, syncId, { status: 'ok', rows: outcome.rows }, deps.now());
    });
  } catch (err) {
    outcome.status = 'failed';
    const message = err instanceof Error ? err.message : String(err);
    const name = platform?.name ?? account.platform;
    outcome.error =
      err instanceof AdsError || message.startsWith(name)
        ? `${account.name}: ${message}`
        : `${account.name} (${name}): ${message}`;
    await finishSync(deps.sql, syncId, { status: 'failed', error: outcome.error }, deps.now());
    deps.log.warn(`ads: ${outcome.error}`);
  }
  return outcome;
}
