// Keyword moves between two periods (the end of each period, as the weekly report, the overview and the
// Rankings page's movers panel all tell them): biggest gains and losses, keywords entering and leaving the
// top 10, and ranking URLs that differ from the target. One place, so the three never disagree.
import type { Sql } from '../db/store/types.ts';
import { sameUrl } from './keyword-table.ts';

export interface Period {
  from: string;
  to: string;
}

export interface KeywordMove {
  keywordId: number;
  query: string;
  engine: string;
  region: string;
  device: string;
  /** Position at the end of the earlier and of the later period (null = not in the top 100). */
  before: number | null;
  after: number | null;
  /** Positive = moved up. */
  change: number;
}

export interface Moves {
  /** Every keyword seen at both ends. */
  moves: KeywordMove[];
  /** Keywords whose ranking URL at the end of the later period is not their target URL. */
  mismatches: { query: string; url: string; target: string }[];
}

export interface MoversSummary {
  gains: KeywordMove[];
  losses: KeywordMove[];
  enteredTop10: KeywordMove[];
  leftTop10: KeywordMove[];
}

interface Chosen {
  keywordId: number;
  day: string;
  state: 'ranked' | 'not-in-top';
  position: number | null;
  url: string | null;
}

const round1 = (x: number) => Math.round(x * 10) / 10;
/** A position as rank_daily buckets it: beyond 100 (rounded) is "not in the top 100". */
const inTop = (c: Chosen | undefined) =>
  c && c.state === 'ranked' && c.position !== null && c.position < 100.5 ? c.position : null;
const top10 = (p: number | null) => p !== null && Math.round(p) <= 10;

/** The period of `days` days ending on `today`, and the one before it (e.g. this week and last week). */
export function lastPeriods(today: string, days = 7): { now: Period; prev: Period } {
  const shift = (d: string, n: number) => {
    const t = new Date(`${d}T00:00:00Z`);
    t.setUTCDate(t.getUTCDate() + n);
    return t.toISOString().slice(0, 10);
  };
  return {
    now: { from: shift(today, -(days - 1)), to: today },
    prev: { from: shift(today, -(2 * days - 1)), to: shift(today, -days) },
  };
}

export async function keywordMoves(sql: Sql, siteId: number, now: Period, prev: Period): Promise<Moves> {
  const keywords = await sql.all<{
    id: number;
    query: string;
    engine: string;
    region: string;
    device: string;
    targetUrl: string | null;
  }>(`SELECT id, query, engine, region, device, target_url AS targetUrl FROM keywords WHERE site_id = ?`, [
    siteId,
  ]);
  // The chosen observation per keyword and day, as src/rank/summary.ts picks it: the highest-priority
  // source that saw it (the first row of each keyword and day here); failed looks never count. Each
  // keyword's end of a period is its last observed day in it.
  const chosen: Chosen[] = [];
  for (const o of await sql.all<Chosen>(
    `SELECT o.keyword_id AS keywordId, o.day, o.state, o.position, o.url
     FROM rank_observations o JOIN keywords k ON k.id = o.keyword_id
     WHERE k.site_id = ? AND o.state != 'failed' AND o.day BETWEEN ? AND ?
     ORDER BY o.keyword_id, o.day, o.priority DESC`,
    [siteId, prev.from, now.to],
  )) {
    const last = chosen.at(-1);
    if (!last || last.keywordId !== o.keywordId || last.day !== o.day) chosen.push(o);
  }
  const endOf = (w: Period) => {
    const m = new Map<number, Chosen>();
    for (const c of chosen) if (c.day >= w.from && c.day <= w.to) m.set(c.keywordId, c);
    return m;
  };
  const endPrev = endOf(prev);
  const endNow = endOf(now);
  const moves: KeywordMove[] = [];
  const mismatches: Moves['mismatches'] = [];
  for (const k of keywords) {
    const a = endNow.get(k.id);
    const b = endPrev.get(k.id);
    if (a && a.state === 'ranked' && a.url && k.targetUrl && !sameUrl(a.url, k.targetUrl))
      mismatches.push({ query: k.query, url: a.url, target: k.targetUrl });
    if (!a || !b) continue; // unknown at one end: no move to report
    const after = inTop(a);
    const beforePos = inTop(b);
    // Out of the top 100 counts as 101, so a keyword that dropped out (or came in) moves by the distance.
    const change = round1((beforePos ?? 101) - (after ?? 101));
    moves.push({
      keywordId: k.id,
      query: k.query,
      engine: k.engine,
      region: k.region,
      device: k.device,
      before: beforePos,
      after,
      change,
    });
  }
  return { moves, mismatches: mismatches.sort((x, y) => x.query.localeCompare(y.query)) };
}

/** The biggest `shown` gains and losses, and every keyword entering or leaving the top 10. */
export function summarizeMoves(moves: KeywordMove[], shown: number): MoversSummary {
  const byQuery = (x: KeywordMove, y: KeywordMove) =>
    x.query.localeCompare(y.query) || x.keywordId - y.keywordId;
  return {
    gains: moves
      .filter((m) => m.change > 0)
      .sort((x, y) => y.change - x.change || byQuery(x, y))
      .slice(0, shown),
    losses: moves
      .filter((m) => m.change < 0)
      .sort((x, y) => x.change - y.change || byQuery(x, y))
      .slice(0, shown),
    enteredTop10: moves
      .filter((m) => top10(m.after) && !top10(m.before))
      .sort((x, y) => x.after! - y.after! || byQuery(x, y)),
    leftTop10: moves
      .filter((m) => top10(m.before) && !top10(m.after))
      .sort((x, y) => x.before! - y.before! || byQuery(x, y)),
  };
}
