// Derived per-keyword facts for the Rankings table and `promowatch rank`: current position, change over
// 7 and 30 days, best ever, ranking URL vs target (cannibalisation), the last failure, a sparkline.
import type { Sql } from '../db/store/types.ts';
import { addDays } from '../util/days.ts';
import { listKeywords } from './store.ts';
import { sourcePriority } from './providers/index.ts';
import { AVERAGE_PRIORITY, type FailureKind, type Keyword, type ObservationState } from './types.ts';

/**
 * A position that is an average over impressions (Search Console, Yandex Webmaster, Bing Webmaster: the
 * lowest priority, AVERAGE_PRIORITY), or any fractional one (an imported average): pages label it as
 * an average, since result pages only ever give whole positions.
 */
export function isAverage(source: string, position: number | null): boolean {
  if (position !== null && !Number.isInteger(position)) return true;
  return (sourcePriority(source) ?? Infinity) <= AVERAGE_PRIORITY;
}

export interface Seen {
  day: string;
  state: Exclude<ObservationState, 'failed'>;
  position: number | null;
  url: string | null;
  source: string;
  depth: number | null;
}

export interface KeywordRow {
  keyword: Keyword;
  /** The latest day the keyword was observed (by its best source that day); null = never. */
  current: Seen | null;
  /** Positive = moved up. null when either end is unknown or not ranked. */
  change7: number | null;
  change30: number | null;
  /**
   * The best position a result page (or an import of whole positions) gave; only when there is none, the
   * best average, flagged so pages label it as one — an average of 2.4 is not a better place than a 3.
   */
  best: { position: number; day: string; averaged: boolean } | null;
  /**
   * The latest attempt failed after the current observation: shown, never turned into a position.
   * `kind` says why in a form pages can word in any language (null: not known); `error` is the
   * provider's own message, kept as it came.
   */
  failure: { day: string; source: string; error: string; kind: FailureKind | null } | null;
  /** The ranking URL differs from the target URL the keyword is meant to rank with. */
  mismatch: boolean;
  /** Positions over the sparkline days (null = unknown or not in top). */
  spark: (number | null)[];
}

/** Compares URLs the way a person would: scheme, "www.", case of the host and a trailing slash ignored. */
export function sameUrl(a: string, b: string): boolean {
  const norm = (s: string) => {
    try {
      const u = new URL(s);
      return `${u.hostname.toLowerCase().replace(/^www\./, '')}${u.port ? `:${u.port}` : ''}${u.pathname.replace(/\/+$/, '') || ''}${u.search}`;
    } catch {
      return s.trim();
    }
  };
  return norm(a) === norm(b);
}

interface StateRow {
  id: number;
  cur_day: string | null;
  cur_state: Seen['state'] | null;
  cur_position: number | null;
  cur_url: string | null;
  cur_source: string | null;
  cur_depth: number | null;
  change7: number | null;
  change30: number | null;
  best_position: number | null;
  best_day: string | null;
  fail_day: string | null;
  fail_source: string | null;
  fail_error: string | null;
  fail_kind: FailureKind | null;
}

/** Fills in the sparklines of the given rows (the ones a page shows): one range read each. */
export async function addSparklines(
  sql: Sql,
  rows: KeywordRow[],
  today: string,
  sparkDays = 30,
): Promise<void> {
  const spark = sparkReader(sql, today, sparkDays);
  for (const r of rows) r.spark = await spark(r.keyword.id);
}

function sparkReader(sql: Sql, today: string, sparkDays: number) {
  const first = addDays(today, -sparkDays + 1);
  const days = Array.from({ length: sparkDays }, (_, i) => addDays(first, i));
  return async (keywordId: number): Promise<(number | null)[]> => {
    const points = new Map<string, number | null>();
    for (const r of await sql.all<{ day: string; state: string; position: number | null }>(
      `SELECT day, state, position FROM rank_observations
       WHERE keyword_id = ? AND day BETWEEN ? AND ? AND state != 'failed' ORDER BY day, priority DESC`,
      [keywordId, first, today],
    ))
      if (!points.has(r.day)) points.set(r.day, r.state === 'ranked' ? r.position : null);
    return days.map((d) => points.get(d) ?? null);
  };
}

/**
 * The best whole position of a keyword. The stored best (src/rank/summary.ts) is the lowest of any
 * source; when that one is an average, the best exact position is looked up (one indexed read for those
 * keywords only).
 */
function bestReader(sql: Sql) {
  return async (
    keywordId: number,
    position: number | null,
    day: string | null,
  ): Promise<KeywordRow['best']> => {
    if (position === null || day === null) return null;
    const found = await sql.get<{ source: string }>(
      `SELECT source FROM rank_observations
       WHERE keyword_id = ? AND day = ? AND state = 'ranked' AND position = ? ORDER BY priority DESC LIMIT 1`,
      [keywordId, day, position],
    );
    if (!isAverage(found?.source ?? '', position)) return { position, day, averaged: false };
    for (const r of await sql.all<{ position: number; day: string; source: string }>(
      `SELECT position, day, source FROM rank_observations
       WHERE keyword_id = ? AND state = 'ranked' AND priority > ? ORDER BY position, day DESC`,
      [keywordId, AVERAGE_PRIORITY],
    ))
      if (!isAverage(r.source, r.position)) return { position: r.position, day: r.day, averaged: false };
    return { position, day, averaged: true };
  };
}

/**
 * The table rows, read from the per-keyword state src/rank/summary.ts keeps (one query for all
 * keywords). Sparklines cost a range read per keyword: `spark` limits them to the rows shown.
 */
export async function keywordTable(
  sql: Sql,
  siteId: number,
  today: string,
  opts: {
    tag?: string;
    engine?: string;
    sparkDays?: number;
    ids?: Set<number>;
    spark?: Set<number> | false;
  } = {},
): Promise<KeywordRow[]> {
  const state = new Map(
    (
      await sql.all<StateRow>(
        `SELECT id, cur_day, cur_state, cur_position, cur_url, cur_source, cur_depth, change7, change30,
                  best_position, best_day, fail_day, fail_source, fail_error, fail_kind FROM keywords WHERE site_id = ?`,
        [siteId],
      )
    ).map((r) => [r.id, r]),
  );
  const spark = sparkReader(sql, today, opts.sparkDays ?? 30);
  const best = bestReader(sql);
  const rows: KeywordRow[] = [];
  for (const k of await listKeywords(sql, siteId, opts)) {
    if (opts.ids && !opts.ids.has(k.id)) continue;
    const s = state.get(k.id)!;
    const wantSpark = opts.spark === undefined || (opts.spark !== false && opts.spark.has(k.id));
    const current: Seen | null =
      s.cur_day && s.cur_state
        ? {
            day: s.cur_day,
            state: s.cur_state,
            position: s.cur_position,
            url: s.cur_url,
            source: s.cur_source ?? '',
            depth: s.cur_depth,
          }
        : null;
    rows.push({
      keyword: k,
      current,
      change7: s.change7,
      change30: s.change30,
      best: await best(k.id, s.best_position, s.best_day),
      failure: s.fail_day
        ? {
            day: s.fail_day,
            source: s.fail_source ?? '',
            error: s.fail_error ?? '',
            kind: s.fail_kind ?? null,
          }
        : null,
      mismatch: Boolean(k.targetUrl && current?.url && !sameUrl(current.url, k.targetUrl)),
      spark: wantSpark ? await spark(k.id) : [],
    });
  }
  return rows;
}
