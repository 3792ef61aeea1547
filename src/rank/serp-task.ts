// Result pages through the queue: task kind `serp` reads one batch of a site's keywords from one SERP
// provider (any `promowatch worker`, or `promowatch start`'s own queue), paced per search engine and
// counted against the provider's quota in the database, so every worker on every machine keeps to them.
import type { SecretRef } from '../config/schema.ts';
import { engineKey, markStarted, release, waitForSlot } from '../limits/host-slots.ts';
import type { Sql } from '../db/store/types.ts';
import type { SiteRow } from '../db/sites.ts';
import { fanOut } from '../queue/fan-out.ts';
import type { Task, TaskContext, TaskKind, TaskQueue } from '../queue/types.ts';
import { rankProvider } from './providers/index.ts';
import { listKeywords } from './store.ts';
import { readSerps, type SerpPacer, type SerpTally, type TrackedSettings } from './read-serps.ts';
import { trackedSettings, type SerpWork } from './track.ts';
import type { SerpProvider } from './types.ts';

export interface SerpTaskPayload {
  siteId: number;
  /** The job run the observations are stored under (how a retried task knows what is done). */
  runId: number;
  provider: string;
  keywordIds: number[];
}

/** Where a task leaves its tally for the job that fanned it out (`meta`, removed once read). */
export const tallyKey = (taskKey: string) => `serp-task:${taskKey}`;

/** How long one result page may take to load, unless the provider's block says (the browser's default). */
const PAGE_TIMEOUT_MS = 30_000;
/** Pages of 10 results a keyword takes at most, for the slot's lease. */
const pagesFor = (depth: number) => Math.max(1, Math.ceil(depth / 10));

/**
 * Paces keywords on one search engine across every worker: a keyword waits for the engine's slot in the
 * database (src/limits/host-slots.ts, one holder per engine), reads its pages, and sets the engine's next
 * start one pause (delay + random jitter) after its last page — what the in-process pause between
 * keywords did, now shared by all processes. A worker killed while holding the slot blocks the engine
 * only until the slot's lease (the keyword's longest honest read) runs out.
 */
export function enginePacer(
  ctx: { sql: Sql; signal?: AbortSignal },
  pause: { delayMs: number; jitterMs: number },
  settings: Pick<TrackedSettings, 'depth'> & { timeoutMs?: unknown },
  // Wall time, not the task's clock: a pause is real time between real requests (and is waited out
  // with real timers), whatever day the injected clock says it is.
  wall: () => Date = () => new Date(),
): SerpPacer {
  const timeout = typeof settings.timeoutMs === 'number' ? settings.timeoutMs : PAGE_TIMEOUT_MS;
  const pages = pagesFor(settings.depth);
  const leaseMs = pages * timeout + (pages - 1) * (pause.delayMs + pause.jitterMs) + 5_000;
  return async (keyword, _first, read) => {
    const slot = await waitForSlot(
      ctx.sql,
      engineKey(keyword.engine),
      { concurrency: 1, minGapMs: pause.delayMs, jitterMs: pause.jitterMs, leaseMs, pollMs: 50 },
      { now: wall, signal: ctx.signal },
    );
    try {
      return await read();
    } finally {
      // "Started" is recorded once the keyword's last page is in: the next keyword on this engine, in
      // any process, is booked one pause after it, never while this one's pages are still loading.
      await markStarted(ctx.sql, slot, wall());
      await release(ctx.sql, slot);
    }
  };
}

async function siteById(sql: Sql, id: number): Promise<SiteRow | undefined> {
  return sql.get<SiteRow>(
    'SELECT id, name, base_url AS "baseUrl", time_zone AS "timeZone" FROM sites WHERE id = ?',
    [id],
  );
}

/** Keywords of the batch this run already stored an observation for (a retried task skips them). */
async function doneInRun(sql: Sql, p: SerpTaskPayload): Promise<Set<number>> {
  if (p.keywordIds.length === 0) return new Set();
  const rows = await sql.all<{ keyword_id: number }>(
    `SELECT keyword_id FROM rank_observations WHERE source = ? AND run_id = ?
       AND keyword_id IN (${p.keywordIds.map(() => '?').join(', ')})`,
    [p.provider, p.runId, ...p.keywordIds],
  );
  return new Set(rows.map((r) => r.keyword_id));
}

type SecretFn = (ref: SecretRef, field: string) => string;

/**
 * One try of a `serp` task: the batch's keywords not yet stored in this run, read and stored as `track`
 * does (observations and result pages are upserts keyed by keyword, day and source, so a second try
 * writes the same rows), then its tally left for the job.
 */
export async function runSerpTask(task: Task<SerpTaskPayload>, ctx: TaskContext): Promise<SerpTally> {
  const p = task.payload;
  const config = ctx.config;
  if (!config) throw new Error('serp task: this process has no config loaded, so it cannot read providers');
  const secret: SecretFn =
    ctx.secret ??
    ((ref, field) => {
      throw new Error(`serp task: ${field} refers to ${ref.env}, but this worker was handed no secrets`);
    });
  const site = await siteById(ctx.sql, p.siteId);
  if (!site) throw new Error(`serp task: site ${p.siteId} is no longer in the database`);
  const siteConfig = config.sites.find((s) => s.name === site.name);
  const provider = rankProvider(p.provider);
  if (!provider || provider.kind !== 'serp')
    throw new Error(`serp task: no result-page provider "${p.provider}" is built into this worker`);
  const settings = trackedSettings(
    { config, secret, browser: ctx.browser },
    provider,
    siteConfig?.rankings ?? { depth: undefined },
  );
  const done = await doneInRun(ctx.sql, p);
  const wanted = new Set(p.keywordIds.filter((id) => !done.has(id)));
  const keywords = (await listKeywords(ctx.sql, site.id)).filter((k) => wanted.has(k.id));
  const pause = provider.capabilities.pause;
  const pace: SerpPacer = pause
    ? enginePacer(
        ctx,
        {
          delayMs: Number(settings.delayMs ?? pause.delayMs),
          jitterMs: Number(settings.jitterMs ?? pause.jitterMs),
        },
        settings,
      )
    : (_k, _first, read) => read();
  const tally = await readSerps(
    { sql: ctx.sql, now: ctx.now, fetch: ctx.fetch, signal: ctx.signal, runId: p.runId },
    site,
    provider as SerpProvider,
    settings,
    keywords,
    pace,
  );
  // Stopped by the worker going away: the try fails, and the retry carries on where this one left off.
  if (ctx.signal.aborted) throw ctx.signal.reason instanceof Error ? ctx.signal.reason : new Error('stopped');
  if (task.key)
    await ctx.sql.run(
      `INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
      [tallyKey(task.key), JSON.stringify(tally)],
    );
  return tally;
}

/**
 * Tries one lease may take: a batch waits for the engine behind every other worker's keywords, so its
 * lease is long. PROMOWATCH_SERP_LEASE_SECONDS shortens it where a killed worker's batch should come back
 * sooner (and in tests).
 */
export function serpLeaseSeconds(env: NodeJS.ProcessEnv): number {
  const text = env.PROMOWATCH_SERP_LEASE_SECONDS;
  if (!text) return 30 * 60;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n >= 24 * 3600)
    throw new Error(
      `PROMOWATCH_SERP_LEASE_SECONDS must be whole seconds from 1 to under 24 hours, got "${text}"`,
    );
  return n;
}

export function serpTask(o: { leaseSeconds: number }): TaskKind<SerpTaskPayload> {
  return { kind: 'serp', handler: runSerpTask, retryLimit: 3, leaseSeconds: o.leaseSeconds };
}

/** The kind `promowatch worker` and `start` register (src/queue/kinds.ts). */
export const serpTaskKind = serpTask({ leaseSeconds: serpLeaseSeconds(process.env) });

/** Keywords per task: a browser batch takes minutes at a person's pace; an API batch takes seconds. */
export const BROWSER_BATCH = 5;
export const API_BATCH = 25;

/**
 * The tracker's `serpTasks` on a queue: a provider's keywords as `serp` tasks of a few keywords each,
 * waited for, then summed up from what they stored — observations by this run, and each task's tally for
 * the requests made and why it stopped. A task that failed for good leaves its unread keywords deferred.
 */
export function serpTasksOn(
  queue: TaskQueue,
  o: { sql: Sql; runId: number; signal: AbortSignal; pollMs?: number },
): (work: SerpWork) => Promise<SerpTally> {
  return async ({ site, provider, keywords }) => {
    const size = provider.capabilities.pause ? BROWSER_BATCH : API_BATCH;
    const items = [];
    for (let i = 0; i < keywords.length; i += size)
      items.push({
        key: `${o.runId}:${provider.id}:${i / size}`,
        payload: {
          siteId: site.id,
          runId: o.runId,
          provider: provider.id,
          keywordIds: keywords.slice(i, i + size).map((k) => k.id),
        } satisfies SerpTaskPayload,
      });
    const result = await fanOut(queue, serpTaskKind.kind, items, { signal: o.signal, pollMs: o.pollMs });
    const tally: SerpTally = { requests: 0, ranked: 0, notInTop: 0, failed: 0, deferred: 0, stop: null };
    const stops: NonNullable<SerpTally['stop']>[] = [];
    for (const item of items) {
      const row = await o.sql.get<{ value: string }>('SELECT value FROM meta WHERE key = ?', [
        tallyKey(item.key),
      ]);
      if (!row) continue;
      const t = JSON.parse(row.value) as SerpTally;
      tally.requests += t.requests;
      if (t.stop) stops.push(t.stop);
    }
    // What was seen is counted from the rows the run stored: a task retried after a kill stored part
    // of its batch in a try whose tally was lost.
    const ids = keywords.map((k) => k.id);
    const seen = new Map<number, string>();
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      const rows = await o.sql.all<{ keyword_id: number; state: string }>(
        `SELECT keyword_id, state FROM rank_observations WHERE source = ? AND run_id = ?
           AND keyword_id IN (${chunk.map(() => '?').join(', ')})`,
        [provider.id, o.runId, ...chunk],
      );
      for (const r of rows) seen.set(r.keyword_id, r.state);
    }
    for (const state of seen.values())
      if (state === 'ranked') tally.ranked++;
      else if (state === 'not-in-top') tally.notInTop++;
      else tally.failed++;
    tally.deferred = keywords.length - seen.size;
    for (const f of result.failed) stops.push({ kind: 'other', message: `a serp task failed: ${f.error}` });
    // The request limit speaks for every batch it stopped; otherwise the first error that stopped one.
    if (tally.deferred > 0)
      tally.stop = stops.find((s) => s.kind === 'quota') ??
        stops.find((s) => s.kind === 'provider') ??
        stops[0] ?? { kind: 'other', message: 'some keywords were not read' };
    else tally.stop = stops.find((s) => s.kind === 'provider') ?? null;
    await o.sql.run(`DELETE FROM meta WHERE key IN (${items.map(() => '?').join(', ') || 'NULL'})`, [
      ...items.map((i) => tallyKey(i.key)),
    ]);
    return tally;
  };
}
