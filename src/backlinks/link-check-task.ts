// Task kind `links`: one bought link checked by whichever process takes the task — a `promowatch worker`
// on any machine (PostgreSQL), or `promowatch start` itself (SQLite) — exactly as the inline run checks
// it (check-link.ts), its check stored once per run however often the task runs, and its donor host
// kept polite across every process through a slot in the database (src/limits/host-slots.ts).
import type { Robots } from '../crawl/robots.ts';
import { hostKey, withSlot, type SlotOptions } from '../limits/host-slots.ts';
import type { TaskContext, TaskKind } from '../queue/types.ts';
import type { CheckContext } from './check.ts';
import {
  checkLink,
  checkSettingsOf,
  confirmRuleOf,
  minDelayOf,
  type BacklinkSettings,
} from './check-link.ts';
import { checkedInRun, getBacklink, recordCheckOnce } from './store.ts';

export const LINK_CHECK_KIND = 'links';

/** Plain JSON (it is stored in the queue): everything a worker needs besides the database. */
export interface LinkCheckPayload {
  runId: number;
  linkId: number;
  /** The site's backlink settings as the job run read them, so every worker checks alike. */
  settings: BacklinkSettings;
  /** Screenshots go to `<evidenceDir>/<site id>/` (the data volume the dashboard reads). */
  evidenceDir: string;
}

/** What the task leaves in the queue's record: the outcome stored, or why nothing was. */
export type LinkCheckOutput =
  | { linkId: number; outcome: string; change: string | null }
  | { linkId: number; skipped: 'deleted' | 'archived' | 'already checked in this run' };

/**
 * One request to a donor host at a time across every process (as the inline run keeps one per host),
 * and at least the site's minimum delay between two requests' starts. A slot not given back (its
 * worker killed mid-request) frees itself after the longest a request may take: a fetch is cut at the
 * timeout, a render takes at most about two of them.
 */
export function donorSlot(settings: BacklinkSettings): SlotOptions {
  const timeoutMs = checkSettingsOf(settings).timeoutMs;
  return { concurrency: 1, minGapMs: minDelayOf(settings), leaseMs: 2 * timeoutMs + 10_000 };
}

// robots.txt per run and donor origin, kept for the runs this process worked on lately: the inline run
// reads each donor's robots.txt once, and a worker taking 50 links of one donor should not read it 50
// times. A few runs only — a worker runs for months.
const ROBOTS_RUNS = 16;
const robotsByRun = new Map<number, Map<string, Promise<Robots>>>();

function robotsCacheFor(runId: number): Map<string, Promise<Robots>> {
  let cache = robotsByRun.get(runId);
  if (!cache) {
    robotsByRun.set(runId, (cache = new Map()));
    while (robotsByRun.size > ROBOTS_RUNS) robotsByRun.delete(robotsByRun.keys().next().value!);
  }
  return cache;
}

const wallClock = () => new Date();

/** Checks the payload's link and stores the check, once per run (the task may run twice). */
export async function runLinkCheck(p: LinkCheckPayload, deps: TaskContext): Promise<LinkCheckOutput> {
  const link = await getBacklink(deps.sql, p.linkId);
  // Deleted or archived after the run listed it: the inline run would not have checked it either.
  if (!link) return { linkId: p.linkId, skipped: 'deleted' };
  if (link.archivedAt) return { linkId: p.linkId, skipped: 'archived' };
  // A retry after a crash that came after the store: the donor is not asked again.
  if (await checkedInRun(deps.sql, link.id, p.runId))
    return { linkId: link.id, skipped: 'already checked in this run' };
  const slot = donorSlot(p.settings);
  const ctx: CheckContext = {
    settings: checkSettingsOf(p.settings),
    robotsCache: robotsCacheFor(p.runId),
    signal: deps.signal,
    // Politeness is real time between real requests, as the inline run's limiter counts it: the wall
    // clock, not the run's (a demo or a test may hold the run's clock still).
    polite: (host, fn) =>
      withSlot(deps.sql, hostKey(host), slot, { now: wallClock, signal: deps.signal }, fn),
  };
  const { result } = await checkLink(deps, link, p.settings, ctx, p.evidenceDir).finally(() => {
    // A robots.txt read this try's stop cut short would pass for "no robots.txt" to the run's other links.
    if (deps.signal.aborted) robotsByRun.delete(p.runId);
  });
  // A check its lease or a stop cut short says nothing about the link (as in the inline run): not
  // stored; the task is tried again.
  deps.signal.throwIfAborted();
  const stored = await recordCheckOnce(
    deps.sql,
    link.id,
    result,
    deps.now(),
    p.runId,
    confirmRuleOf(p.settings),
  );
  if (stored === 'gone') return { linkId: link.id, skipped: 'deleted' };
  if (stored === 'already') return { linkId: link.id, skipped: 'already checked in this run' };
  const change = stored.change && `${stored.change.from} → ${stored.change.to}`;
  return { linkId: link.id, outcome: result.verdict.outcome, change };
}

export const linkCheckTask: TaskKind<LinkCheckPayload> = {
  kind: LINK_CHECK_KIND,
  handler: (task, ctx) => runLinkCheck(task.payload, ctx),
  // Failures of the donor (timeouts, 5xx, refusals) are results, stored as inconclusive; what throws is
  // the database or the worker itself, worth two more tries.
  retryLimit: 2,
  retryDelaySeconds: 5,
  // Waiting for the donor's turn, the fetch with its retry and meta refreshes, a render and the Googlebot
  // comparison: minutes at worst. A killed worker's link is retried after this.
  leaseSeconds: 600,
};
