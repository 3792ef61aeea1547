// Checks every backlink of a site: politely (one request at a time per donor host, with a minimum delay),
// statically first and in Chromium when the link is not in the HTML or the rendered check is due, then
// records the evidence and the state changes. Used by the check-backlinks job and `links check`.
import { dirname, join } from 'node:path';
import type { BrowserPool } from '../browser/launcher.ts';
import { HostLimiter } from '../crawl/rate-limit.ts';
import type { Db } from '../db/open.ts';
import type { Sql } from '../db/store/types.ts';
import type { SiteRow } from '../db/sites.ts';
import type { Logger } from '../util/log.ts';
import type { Progress } from '../util/progress.ts';
import type { CheckContext, CheckResult } from './check.ts';
import {
  checkLink,
  checkSettingsOf,
  confirmRuleOf,
  minDelayOf,
  type BacklinkSettings,
} from './check-link.ts';
import { listBacklinks, recordCheck, type BacklinkRow } from './store.ts';
import type { StateChange } from './state.ts';
import { firstCheckGroups } from './tool-state.ts';
import { toolStatesBySite } from './tool-state-store.ts';

export type { BacklinkSettings } from './check-link.ts';

export interface MonitorDeps {
  sql: Sql;
  /** The SQLite connection, only to find the evidence folder next to its file when evidenceDir is not given. */
  db: Db;
  now: () => Date;
  log: Logger;
  signal?: AbortSignal;
  browser?: BrowserPool;
  progress?: (label: string, total: number) => Progress;
  runId?: number | null;
  /** Where screenshots go; default: data/evidence next to the database. */
  evidenceDir?: string;
}

export interface MonitorSummary {
  checked: number;
  rendered: number;
  byOutcome: Record<string, number>;
  changes: { link: BacklinkRow; change: StateChange }[];
}

/** Checks stored per transaction, and the longest a finished check waits to be stored. */
const RECORD_BATCH = 64;
const RECORD_EVERY_MS = 250;

export async function checkSiteBacklinks(
  deps: MonitorDeps,
  site: SiteRow,
  settings: BacklinkSettings,
  only?: number[],
): Promise<MonitorSummary> {
  const links = (await listBacklinks(deps.sql, site.id)).filter((l) => !only || only.includes(l.id));
  const minDelay = minDelayOf(settings);
  const hosts = new Map<string, HostLimiter>();
  const ctx: CheckContext = {
    settings: checkSettingsOf(settings),
    robotsCache: new Map(),
    signal: deps.signal,
    polite: async (host, fn) => {
      let l = hosts.get(host);
      if (!l)
        hosts.set(
          host,
          (l = new HostLimiter({ concurrency: 1, requestsPerSecond: minDelay > 0 ? 1000 / minDelay : 0 })),
        );
      // A stopping run leaves the host's queue at once: with the politeness delay, the last of 50 links
      // on one donor would otherwise start minutes after the stop.
      const release = await l.acquire(deps.signal);
      try {
        return await fn();
      } finally {
        release();
      }
    },
  };
  const rule = confirmRuleOf(settings);
  const evidenceRoot = deps.evidenceDir ?? join(dirname(deps.db.name), 'evidence');
  const summary: MonitorSummary = { checked: 0, rendered: 0, byOutcome: {}, changes: [] };
  const progress = deps.progress?.('backlinks', links.length);
  const queue = await checkOrder(deps.sql, site.id, links);
  const checkOne = async (link: BacklinkRow): Promise<CheckResult> => {
    const { result, rendered } = await checkLink(deps, link, settings, ctx, evidenceRoot);
    if (rendered) summary.rendered++;
    return result;
  };
  const worker = async () => {
    for (let link = queue.shift(); link && !deps.signal?.aborted; link = queue.shift()) {
      let result: CheckResult;
      try {
        result = await checkOne(link);
      } catch (err) {
        // The stop took the link out of its host's queue (or closed its render): it was not checked.
        if (deps.signal?.aborted) break;
        throw err;
      }
      // A check the stop cut short (its fetch or render aborted) says nothing about the link: not stored,
      // so the link keeps its last real check rather than an "inconclusive" made up by the shutdown.
      if (deps.signal?.aborted) break;
      pending.push({ link, result, at: deps.now() });
      if (pending.length >= RECORD_BATCH) await flush();
      else flushTimer ??= setTimeout(flushLater, RECORD_EVERY_MS);
    }
  };
  // Checks are stored in batches, one transaction each: a commit per check costs as much as the check's SQL.
  // Batches are stored one after the other (a chain of promises), in the order they were taken.
  let pending: { link: BacklinkRow; result: CheckResult; at: Date }[] = [];
  let flushTimer: NodeJS.Timeout | null = null;
  let flushFailure: unknown = null;
  let stored: Promise<void> = Promise.resolve();
  const store = async (batch: typeof pending) => {
    if (!batch.length) return;
    await deps.sql.transaction(async (tx) => {
      for (const { link, result, at } of batch) {
        const change = await recordCheck(tx, link, result, at, deps.runId ?? null, rule);
        summary.checked++;
        summary.byOutcome[result.verdict.outcome] = (summary.byOutcome[result.verdict.outcome] ?? 0) + 1;
        if (change) summary.changes.push({ link, change });
        progress?.tick();
      }
    });
  };
  const flush = (): Promise<void> => {
    if (flushTimer) clearTimeout(flushTimer);
    flushTimer = null;
    const batch = pending;
    pending = [];
    stored = stored.then(() => store(batch));
    return stored;
  };
  // A timer's rejection would crash the process: keep it, and throw it from here once the workers stop.
  const flushLater = () => {
    flush().catch((err: unknown) => {
      flushFailure ??= err;
    });
  };
  try {
    await Promise.all(
      Array.from({ length: Math.min(settings.concurrency ?? 8, Math.max(1, links.length)) }, worker),
    );
  } finally {
    await flush();
  }
  if (flushFailure) throw flushFailure;
  progress?.done();
  return summary;
}

/**
 * The order links are checked in: those a backlink tool already reports lost or nofollow and we never
 * checked go first (the likeliest money wasted); hosts are interleaved within each group.
 */
export async function checkOrder<T extends BacklinkRow>(sql: Sql, siteId: number, links: T[]): Promise<T[]> {
  return firstCheckGroups(links, await toolStatesBySite(sql, siteId)).flatMap((group) =>
    interleaveByHost(group),
  );
}

/** Orders links so consecutive ones come from different hosts: workers then spread over donors instead of
 * queueing behind one host's politeness delay. */
export function interleaveByHost<T extends { donorUrl: string }>(links: T[]): T[] {
  const byHost = new Map<string, T[]>();
  for (const l of links) {
    let host: string;
    try {
      host = new URL(l.donorUrl).host;
    } catch {
      host = l.donorUrl;
    }
    (byHost.get(host) ?? byHost.set(host, []).get(host)!).push(l);
  }
  const lists = [...byHost.values()];
  const out: T[] = [];
  for (let i = 0; out.length < links.length; i++)
    for (const list of lists) if (i < list.length) out.push(list[i]!);
  return out;
}
