// The visibility index: Σ(volume × CTR(position)) / Σ(volume) over the keywords observed that day,
// under a selectable CTR curve; plus the position distribution and competitors' share of voice.
import type { Sql } from '../db/store/types.ts';
import { rootDomain } from './store.ts';

export type CurveName = 'sistrix' | 'seranking' | 'topvisor' | 'custom';

/**
 * CTR by position (index 0 = position 1). "sistrix": an organic click-through curve of the kind
 * Sistrix and Advanced Web Ranking publish (≈28.5 % at 1 falling to ≈2.5 % at 10), page 2 and beyond
 * counted as 0. "seranking": SE Ranking's visibility weights (1 for 1–3, then 0.85, 0.6, 0.5, 0.5,
 * 0.3, 0.3, 0.2). "topvisor": the same with 0.1 for 11–15 and 0.05 for 16–20.
 */
export const CTR_CURVES: Record<Exclude<CurveName, 'custom'>, readonly number[]> = {
  sistrix: [0.285, 0.157, 0.11, 0.08, 0.072, 0.051, 0.04, 0.032, 0.028, 0.025],
  seranking: [1, 1, 1, 0.85, 0.6, 0.5, 0.5, 0.3, 0.3, 0.2],
  topvisor: [
    1, 1, 1, 0.85, 0.6, 0.5, 0.5, 0.3, 0.3, 0.2, 0.1, 0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05, 0.05,
  ],
};

export function curveFor(name: CurveName | undefined, custom?: readonly number[]): readonly number[] {
  if (name === 'custom') {
    if (!custom?.length) throw new Error('ctrCurve "custom" needs rankings.customCurve in the config');
    return custom;
  }
  return CTR_CURVES[name ?? 'sistrix'];
}

/** CTR for a (possibly fractional, averaged) position: 0 when not in the curve. */
export function ctrAt(curve: readonly number[], position: number | null): number {
  if (position === null || position < 1) return 0;
  return curve[Math.round(position) - 1] ?? 0;
}

export interface VisibilityPoint {
  day: string;
  /** Percent (0–100); null when no keyword was observed that day (unknown, not zero). */
  index: number | null;
  observed: number;
  top3: number;
  top10: number;
  top30: number;
  top100: number;
  notInTop: number;
}

/**
 * Visibility per day from rank_daily. Keywords weigh by their search volume; when none of the day's
 * keywords has a volume, each keyword weighs 1 (otherwise the index would be 0/0).
 */
export async function visibilitySeries(
  sql: Sql,
  siteId: number,
  days: readonly string[],
  opts: { engine?: string; tag?: string; curve: readonly number[] },
): Promise<VisibilityPoint[]> {
  if (days.length === 0) return [];
  const rows = await sql.all<{ day: string; keywords: string; volume: string }>(
    `SELECT day, keywords, volume FROM rank_daily
     WHERE site_id = ? AND tag = ? AND (? IS NULL OR engine = ?) AND day BETWEEN ? AND ?`,
    [siteId, opts.tag ?? '', opts.engine ?? null, opts.engine ?? null, days[0], days[days.length - 1]],
  );
  // Engines of one day add up: one histogram per day.
  const byDay = new Map<string, { keywords: number[]; volume: number[] }>();
  for (const { day, keywords: k, volume: v } of rows) {
    const keywords = JSON.parse(k) as number[];
    const volume = JSON.parse(v) as number[];
    const h = byDay.get(day);
    if (!h) byDay.set(day, { keywords, volume });
    else
      for (let p = 0; p <= 100; p++) {
        h.keywords[p]! += keywords[p] ?? 0;
        h.volume[p]! += volume[p] ?? 0;
      }
  }
  return days.map((day) => {
    const h = byDay.get(day);
    const point: VisibilityPoint = {
      day,
      index: null,
      observed: 0,
      top3: 0,
      top10: 0,
      top30: 0,
      top100: 0,
      notInTop: 0,
    };
    if (!h) return point;
    let volume = 0;
    let weighted = 0;
    let weightedByCount = 0;
    for (let position = 0; position <= 100; position++) {
      const keywords = h.keywords[position] ?? 0;
      if (keywords === 0) continue;
      const vol = h.volume[position] ?? 0;
      const ctr = ctrAt(opts.curve, position || null);
      point.observed += keywords;
      volume += vol;
      weighted += vol * ctr;
      weightedByCount += keywords * ctr;
      if (position === 0) point.notInTop += keywords;
      else if (position <= 3) point.top3 += keywords;
      else if (position <= 10) point.top10 += keywords;
      else if (position <= 30) point.top30 += keywords;
      else point.top100 += keywords;
    }
    if (point.observed > 0)
      point.index = round2(100 * (volume > 0 ? weighted / volume : weightedByCount / point.observed));
    return point;
  });
}

const round2 = (x: number) => Math.round(x * 100) / 100;

export interface ShareOfVoice {
  domain: string;
  /** Percent of the summed visibility of the site and its competitors, per day; null = no pages. */
  share: (number | null)[];
  /** Visibility of the domain alone under the curve (percent), per day. */
  visibility: (number | null)[];
}

/**
 * Share of voice from stored result pages: each domain's volume-weighted CTR over the keywords whose
 * page was stored that day. Computed at read time, so a competitor added today has its full history.
 */
export async function shareOfVoice(
  sql: Sql,
  siteId: number,
  siteDomain: string,
  competitors: readonly string[],
  days: readonly string[],
  opts: { engine?: string; tag?: string; curve: readonly number[] },
): Promise<ShareOfVoice[]> {
  const domains = [siteDomain, ...competitors.filter((d) => d !== siteDomain)];
  if (days.length === 0) return domains.map((domain) => ({ domain, share: [], visibility: [] }));
  const from = days[0]!;
  const to = days[days.length - 1]!;
  const filter = `k.site_id = ? AND p.day BETWEEN ? AND ? AND (? IS NULL OR k.engine = ?)
    AND (? IS NULL OR EXISTS (SELECT 1 FROM keyword_tags t WHERE t.keyword_id = k.id AND t.tag = ?))`;
  const args = [
    siteId,
    from,
    to,
    opts.engine ?? null,
    opts.engine ?? null,
    opts.tag ?? null,
    opts.tag ?? null,
  ];
  // One page per keyword and day (the highest-priority source's) so two sources do not double-count.
  const pages = await sql.all<{ id: number; day: string; volume: number }>(
    `SELECT p.id, p.day, coalesce(k.volume, 0) AS volume FROM serp_pages p JOIN keywords k ON k.id = p.keyword_id
     WHERE ${filter} AND p.id = (SELECT p2.id FROM serp_pages p2 WHERE p2.keyword_id = p.keyword_id AND p2.day = p.day ORDER BY p2.source LIMIT 1)`,
    args,
  );
  const pageInfo = new Map(pages.map((p) => [p.id, p]));
  const volumeByDay = new Map<string, { volume: number; pages: number }>();
  for (const p of pages) {
    const v = volumeByDay.get(p.day) ?? { volume: 0, pages: 0 };
    v.volume += p.volume;
    v.pages += 1;
    volumeByDay.set(p.day, v);
  }
  const found = `SELECT r.page_id, min(r.position) AS position FROM serp_results r JOIN serp_pages p ON p.id = r.page_id
     JOIN keywords k ON k.id = p.keyword_id
     WHERE r.root = ? AND (r.domain = ? OR r.domain LIKE ?) AND ${filter} GROUP BY r.page_id`;
  const dayIndex = new Map(days.map((d, i) => [d, i]));
  const perDomain: { domain: string; weighted: number[]; visibility: (number | null)[] }[] = [];
  for (const domain of domains) {
    const weighted = new Array<number>(days.length).fill(0);
    for (const r of await sql.all<{ page_id: number; position: number }>(found, [
      rootDomain(domain),
      domain,
      `%.${domain}`,
      ...args,
    ])) {
      const p = pageInfo.get(r.page_id);
      if (!p) continue;
      const i = dayIndex.get(p.day);
      if (i === undefined) continue;
      const v = volumeByDay.get(p.day)!;
      weighted[i]! += (v.volume > 0 ? p.volume : 1) * ctrAt(opts.curve, r.position);
    }
    const visibility = days.map((d, i) => {
      const v = volumeByDay.get(d);
      if (!v) return null;
      return round2((100 * weighted[i]!) / (v.volume > 0 ? v.volume : v.pages));
    });
    perDomain.push({ domain, weighted, visibility });
  }
  return perDomain.map(({ domain, weighted, visibility }) => ({
    domain,
    visibility,
    share: days.map((d, i) => {
      if (!volumeByDay.has(d)) return null;
      const total = perDomain.reduce((s, x) => s + x.weighted[i]!, 0);
      return total > 0 ? round2((100 * weighted[i]!) / total) : 0;
    }),
  }));
}
