// A stand-in for the `links` task kind, used by bench:scale only while the real one
// (src/backlinks/link-check-task.ts, branch i17-links) is not merged: one static check of one backlink,
// stored as today's monitor stores it (recordCheck), with per-host politeness through the database
// (withSlot's pieces in src/limits/host-slots.ts) so it holds across worker processes. The benchmark's
// worker entry registers it only when the program has no `links` kind of its own.
import { targetSpec } from '../../../src/backlinks/analyze.ts';
import { checkStatic, DEFAULT_CHECK_SETTINGS, type CheckContext } from '../../../src/backlinks/check.ts';
import type { BacklinkSettings } from '../../../src/backlinks/monitor.ts';
import { DEFAULT_CONFIRM } from '../../../src/backlinks/state.ts';
import { getBacklink, recordCheck } from '../../../src/backlinks/store.ts';
import type { Robots } from '../../../src/crawl/robots.ts';
import { hostKey, markStarted, release, waitForSlot } from '../../../src/limits/host-slots.ts';
import type { Task, TaskContext, TaskKind } from '../../../src/queue/types.ts';

/** The real kind's payload (src/backlinks/link-check-task.ts on i17-links): the run, the link, the settings. */
export interface LinkTaskPayload {
  runId: number;
  linkId: number;
  settings: BacklinkSettings;
  evidenceDir: string;
}

/** robots.txt per donor origin, read once per worker process (as a run reads it once today). */
const robotsCache = new Map<string, Promise<Robots>>();

async function handler(task: Task<LinkTaskPayload>, ctx: TaskContext): Promise<{ outcome: string }> {
  const link = await getBacklink(ctx.sql, task.payload.linkId);
  if (!link) throw new Error(`Backlink ${task.payload.linkId} is gone: nothing to check`);
  const settings = task.payload.settings;
  const timeoutMs = settings.timeoutMs ?? DEFAULT_CHECK_SETTINGS.timeoutMs;
  const slot = { concurrency: 1, minGapMs: settings.minDelayMs ?? 2000, leaseMs: timeoutMs + 5000 };
  const check: CheckContext = {
    settings: { ...DEFAULT_CHECK_SETTINGS, timeoutMs },
    robotsCache,
    signal: ctx.signal,
    acquire: async (host) => {
      const held = await waitForSlot(ctx.sql, hostKey(host), slot, { now: ctx.now, signal: ctx.signal });
      await markStarted(ctx.sql, held, ctx.now());
      return () => void release(ctx.sql, held).catch(() => undefined);
    },
  };
  const result = await checkStatic(link.donorUrl, targetSpec(link.target), check, link.brand ?? undefined);
  ctx.signal.throwIfAborted();
  await recordCheck(ctx.sql, link, result, ctx.now(), task.payload.runId, DEFAULT_CONFIRM);
  return { outcome: result.verdict.outcome };
}

export const standInLinksKind: TaskKind<LinkTaskPayload> = {
  kind: 'links',
  retryLimit: 2,
  leaseSeconds: 120,
  handler,
};
