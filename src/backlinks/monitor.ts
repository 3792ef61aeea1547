// Checks every backlink of a site: politely (one request at a time per donor host, with a minimum delay),
// statically first and in Chromium when the link is not in the HTML or the rendered check is due, then
// records the evidence and the state changes. Used by the check-backlinks job and `links check`.
import { dirname, join } from 'node:path';
import type { BrowserPool } from '../browser/launcher.ts';
import type { SiteConfig } from '../config/schema.ts';
import { HostLimiter } from '../crawl/rate-limit.ts';
import type { Db } from '../db/open.ts';
import type { Sql } from '../db/store/types.ts';
import type { SiteRow } from '../db/sites.ts';
import type { Logger } from '../util/log.ts';
import type { Progress } from '../util/progress.ts';
import { targetSpec } from './analyze.ts';
import {
  checkRendered,
  checkStatic,
  cloakingSuspicion,
  DEFAULT_CHECK_SETTINGS,
  type CheckContext,
  type CheckResult,
} from './check.ts';
import { DEFAULT_CONFIRM, nextState } from './state.ts';
import { readHidden } from './reasons.ts';
import { judge, withReason } from './verdict.ts';
import type { FoundLink } from './types.ts';
import { lastRenderedCheck, listBacklinks, recordCheck, type BacklinkRow } from './store.ts';
import type { StateChange } from './state.ts';
import { firstCheckGroups } from './tool-state.ts';
import { toolStatesBySite } from './tool-state-store.ts';

export type BacklinkSettings = SiteConfig['backlinks'];

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
  changes: { link: BacklinkRow; change: StateChange; result: CheckResult }[];
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
  const minDelay = settings.minDelayMs ?? 2000;
  const hosts = new Map<string, HostLimiter>();
  const ctx: CheckContext = {
    settings: {
      ...DEFAULT_CHECK_SETTINGS,
      timeoutMs: settings.timeoutMs ?? DEFAULT_CHECK_SETTINGS.timeoutMs,
      userAgent: settings.userAgent ?? DEFAULT_CHECK_SETTINGS.userAgent,
      fallbackCharset: settings.fallbackCharset ?? 'utf-8',
    },
    robotsCache: new Map(),
    signal: deps.signal,
    acquire: (host) => {
      let l = hosts.get(host);
      if (!l)
        hosts.set(
          host,
          (l = new HostLimiter({ concurrency: 1, requestsPerSecond: minDelay > 0 ? 1000 / minDelay : 0 })),
        );
      // A stopping run leaves the host's queue at once: with the politeness delay, the last of 50 links
      // on one donor would otherwise start minutes after the stop.
      return l.acquire(deps.signal);
    },
  };
  const rule = {
    checks: settings.confirmChecks ?? DEFAULT_CONFIRM.checks,
    hoursApart: settings.confirmHours ?? DEFAULT_CONFIRM.hoursApart,
  };
  const renderMode = settings.render ?? 'fallback';
  const renderEveryMs = (settings.renderEveryDays ?? 7) * 86_400_000;
  const evidenceRoot = deps.evidenceDir ?? join(dirname(deps.db.name), 'evidence');
  const summary: MonitorSummary = { checked: 0, rendered: 0, byOutcome: {}, changes: [] };
  const progress = deps.progress?.('backlinks', links.length);
  // Links a backlink tool already reports lost or nofollow and we never checked go first: they are the
  // likeliest money wasted. Hosts are interleaved within each group.
  const queue = firstCheckGroups(links, await toolStatesBySite(deps.sql, site.id)).flatMap((group) =>
    interleaveByHost(group),
  );
  const checkOne = async (link: BacklinkRow): Promise<CheckResult> => {
    const target = targetSpec(link.target);
    let result = await checkStatic(link.donorUrl, target, ctx, link.brand ?? undefined);
    const renderDue =
      !link.lastRenderedAt || deps.now().getTime() - Date.parse(link.lastRenderedAt) >= renderEveryMs;
    // A plain fetch cannot see JavaScript or CSS. While the latest rendered check is recent and the
    // page's HTML has not changed since, its findings stand in for a new render.
    const last = await lastRenderedCheck(deps.sql, link.id);
    const sameHtml = Boolean(
      last && last.hash !== null && last.hash === result.donor?.htmlHash && !renderDue,
    );
    // The plain fetch read only the first part of a page past the size cap and did not find the link
    // there; the browser loads the whole page, so it decides (the hash of the part read proves nothing).
    const cutBeforeLink =
      result.facts.bodyCut !== null &&
      result.verdict.outcome === 'inconclusive' &&
      result.verdict.why[0]?.code === 'body-cut';
    // A check that will change the link's state is evidence kept for good (the first confirmed-live one
    // and every change after): it gets a screenshot even when a render was not otherwise due.
    const changesState =
      result.verdict.outcome !== 'inconclusive' &&
      nextState(
        link,
        { outcome: result.verdict.outcome, reasons: result.verdict.reasons, at: deps.now() },
        rule,
      ).change !== null;
    const wantRender =
      deps.browser &&
      renderMode !== 'never' &&
      (cutBeforeLink ||
        (changesState && settings.screenshots !== false) ||
        (result.verdict.outcome !== 'inconclusive' &&
          result.verdict.outcome !== 'gone' &&
          (renderMode === 'always' || renderDue || (result.verdict.outcome === 'missing' && !sameHtml))));
    if (
      !wantRender &&
      sameHtml &&
      last &&
      renderMode !== 'always' &&
      result.verdict.outcome !== 'inconclusive' &&
      result.verdict.outcome !== 'gone'
    ) {
      const seen = last.link ? (JSON.parse(last.link) as FoundLink & { hidden?: unknown }) : null;
      const hidden = readHidden(seen?.hidden);
      const facts = {
        ...result.facts,
        link: seen ?? result.facts.link,
        // Said with the day of the rendered check it comes from.
        hidden: hidden && { ...hidden, seenOn: last.at.slice(0, 10) },
        onlyAfterJs:
          Boolean(seen) &&
          (!result.donor?.best || result.donor.best.context.inScript || result.donor.best.context.inComment),
      };
      result = { ...result, facts, verdict: judge(facts) };
    }
    if (wantRender) {
      const at = deps.now();
      result = await checkRendered(
        link.donorUrl,
        target,
        ctx,
        deps.browser!,
        settings.screenshots === false
          ? null
          : {
              dir: join(evidenceRoot, String(site.id)),
              name: `${link.id}-${at.getTime()}`,
              stamp: `${link.donorUrl} · ${at.toISOString()}`,
            },
        result,
      );
      summary.rendered++;
    }
    if (settings.cloaking && result.http.status !== null) {
      const suspicion = await cloakingSuspicion(link.donorUrl, target, ctx, result);
      if (suspicion) result = { ...result, verdict: withReason(result.verdict, suspicion) };
    }
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
        if (change) summary.changes.push({ link, change, result });
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
