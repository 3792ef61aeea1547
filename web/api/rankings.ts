// JSON for the Rankings page: visibility, position distribution and share of voice per day, one keyword's
// position history (reversed axis, zoomed to the data), the keyword table; and the helpers the page shares.
// Chart titles and dataset labels follow the request's language; each dataset keeps a stable `key`.
import type { Context } from 'hono';
import { Hono } from 'hono';
import { cachedRead } from '../../src/db/read-cache.ts';
import type { Config } from '../../src/config/schema.ts';
import type { Db } from '../../src/db/open.ts';
import { listEvents } from '../../src/db/events.ts';
import type { SiteRow } from '../../src/db/sites.ts';
import type { Messages } from '../../src/i18n/index.ts';
import { addSparklines, keywordTable, type KeywordRow } from '../../src/rank/keyword-table.ts';
import { getKeyword, listCompetitors, listKeywords, normaliseDomain } from '../../src/rank/store.ts';
import {
  ENGINES,
  type Engine,
  type FailureKind,
  type Keyword,
  type ObservationState,
} from '../../src/rank/types.ts';
import {
  curveFor,
  shareOfVoice,
  visibilitySeries,
  type CurveName,
  type VisibilityPoint,
} from '../../src/rank/visibility.ts';
import { addDays, dayIn, lastDays } from '../../src/util/days.ts';
import type { Env } from '../types.ts';

type RankSettings = Config['sites'][number]['rankings'];
type Words = Messages['rankings'];

export const PERIODS = [30, 90, 365] as const;
export const PRESET_CURVES = ['sistrix', 'seranking', 'topvisor'] as const;

/** What the Rankings page and its charts show: one site, filtered and weighed the same way everywhere. */
export interface RankView {
  site: SiteRow;
  settings: RankSettings | undefined;
  engine?: Engine;
  tag?: string;
  curveName: CurveName;
  curve: readonly number[];
  /** The curves this site can be shown under ("custom" only when the config has one). */
  curves: CurveName[];
  days: number;
  today: string;
  labels: string[];
}

export function rankSettings(c: Context<Env>, site: SiteRow): RankSettings | undefined {
  return c.get('deps').config.sites.find((s) => s.name === site.name)?.rankings;
}

/** Reads ?engine=&tag=&curve=&days= for the chosen site; a string says which value is wrong. */
export function rankView(c: Context<Env>, site: SiteRow): RankView | string {
  const say = c.get('t').rankings.view;
  const settings = rankSettings(c, site);
  const q = (k: string) => c.req.query(k) || undefined;
  const engine = q('engine');
  if (engine !== undefined && !(ENGINES as readonly string[]).includes(engine))
    return say.engine(engine, ENGINES.join(', '));
  const curves: CurveName[] = [
    ...PRESET_CURVES,
    ...(settings?.customCurve?.length ? ['custom' as const] : []),
  ];
  const asked = q('curve');
  if (asked !== undefined && !(curves as string[]).includes(asked))
    return asked === 'custom' ? say.customCurve : say.curve(asked, curves.join(', '));
  // A configured "custom" without its numbers falls back to the default rather than breaking the page.
  const configured = settings?.ctrCurve && curves.includes(settings.ctrCurve) ? settings.ctrCurve : 'sistrix';
  const curveName = (asked as CurveName | undefined) ?? configured;
  const daysRaw = q('days') ?? '30';
  const days = Number(daysRaw);
  if (!/^\d+$/.test(daysRaw) || days < 7 || days > 730) return say.days(daysRaw);
  const now = c.get('deps').now();
  return {
    site,
    settings,
    engine: engine as Engine | undefined,
    tag: q('tag'),
    curveName,
    curve: curveFor(curveName, settings?.customCurve),
    curves,
    days,
    today: dayIn(now, site.timeZone),
    labels: lastDays(now, site.timeZone, days),
  };
}

/** The query string that reproduces a view (for chart sources, paging links and the CSV link). */
export function viewQuery(v: RankView, extra: Record<string, string | number | undefined> = {}): string {
  const p = new URLSearchParams({ site: v.site.name });
  if (v.engine) p.set('engine', v.engine);
  if (v.tag) p.set('tag', v.tag);
  p.set('curve', v.curveName);
  p.set('days', String(v.days));
  for (const [k, x] of Object.entries(extra)) if (x !== undefined && x !== '') p.set(k, String(x));
  return p.toString();
}

export function siteDomain(site: SiteRow): string {
  return normaliseDomain(site.baseUrl);
}

/** Search Console clicks per day (null = no statistics that day). With a tag, only the tagged queries. */
function clicksPerDay(db: Db, v: RankView): (number | null)[] | null {
  if (v.engine && v.engine !== 'google') return null;
  const from = v.labels[0]!;
  const to = v.labels[v.labels.length - 1]!;
  const byDay = new Map<string, number>();
  if (v.tag) {
    const queries = new Set(
      listKeywords(db, v.site.id, { tag: v.tag }).map((k) => k.query.toLocaleLowerCase()),
    );
    const rows = db
      .prepare(
        `SELECT day, query, sum(clicks) AS clicks FROM search_stats
         WHERE site_id = ? AND source = 'gsc' AND day BETWEEN ? AND ? GROUP BY day, query`,
      )
      .all(v.site.id, from, to) as { day: string; query: string; clicks: number }[];
    for (const r of rows) {
      byDay.set(r.day, (byDay.get(r.day) ?? 0) + (queries.has(r.query.toLocaleLowerCase()) ? r.clicks : 0));
    }
  } else {
    const rows = db
      .prepare(
        `SELECT day, sum(clicks) AS clicks FROM search_stats
         WHERE site_id = ? AND source = 'gsc' AND day BETWEEN ? AND ? GROUP BY day`,
      )
      .all(v.site.id, from, to) as { day: string; clicks: number }[];
    for (const r of rows) byDay.set(r.day, r.clicks);
  }
  if (byDay.size === 0) return null;
  return v.labels.map((d) => byDay.get(d) ?? null);
}

/** The distribution chart's bands: a stable key (web/public/app.js colours by it) and the field counted. */
export const DISTRIBUTION_BANDS = [
  ['top 3', 'top3'],
  ['4–10', 'top10'],
  ['11–30', 'top30'],
  ['31–100', 'top100'],
  ['not in top 100', 'notInTop'],
] as const satisfies readonly (readonly [string, keyof VisibilityPoint & keyof Words['bands']])[];

export function visibility(db: Db, v: RankView): VisibilityPoint[] {
  return visibilitySeries(db, v.site.id, v.labels, { engine: v.engine, tag: v.tag, curve: v.curve });
}

export function share(db: Db, v: RankView) {
  const competitors = listCompetitors(db, v.site.id).map((x) => x.domain);
  return shareOfVoice(db, v.site.id, siteDomain(v.site), competitors, v.labels, {
    engine: v.engine,
    tag: v.tag,
    curve: v.curve,
  });
}

/** The three Rankings charts in the shape web/public/app.js draws; unknown days stay null. */
export function trendJson(db: Db, v: RankView, t: Words) {
  const points = visibility(db, v);
  const clicks = clicksPerDay(db, v);
  const clicksLabel = v.tag ? t.axis.gscClicksTagged(v.tag) : t.axis.gscClicks;
  return {
    labels: v.labels,
    curve: v.curveName,
    events: listEvents(db, v.site.id, v.labels[0]!, v.labels[v.labels.length - 1]!).map((e) => ({
      day: e.day,
      title: e.title,
    })),
    charts: {
      visibility: {
        type: 'line',
        yTitle: t.axis.visibility(t.curves[v.curveName]),
        ...(clicks ? { y2Title: t.axis.clicks } : {}),
        datasets: [
          { key: 'visibility', label: t.axis.visibilityDataset, data: points.map((p) => p.index) },
          ...(clicks ? [{ key: 'gsc-clicks', label: clicksLabel, data: clicks, yAxisID: 'y2' }] : []),
        ],
      },
      distribution: {
        type: 'bar',
        stacked: true,
        yTitle: t.axis.keywords,
        datasets: DISTRIBUTION_BANDS.map(([band, field]) => ({
          key: band,
          label: t.bands[field],
          data: points.map((p) => (p.observed > 0 ? (p[field] as number) : null)),
        })),
      },
      share: {
        type: 'line',
        yTitle: t.axis.share,
        yMax: 100,
        // The site by its name ("studio"), not its host (the demo's is "127.0.0.1"); rivals by domain.
        datasets: share(db, v).map((s) => ({
          key: s.domain,
          label: s.domain === siteDomain(v.site) ? v.site.name : s.domain,
          data: s.share,
        })),
      },
    },
  };
}

export interface CompetitorStat {
  domain: string;
  /** Keywords whose latest stored result page has the domain in the top 10. */
  top10: number;
  /** Keywords where both the site and this domain appear on the latest page. */
  common: number;
  /** The domain's average position on those keywords, and the site's on the same keywords. */
  avgPosition: number | null;
  siteAvgPosition: number | null;
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/** Competitors on the latest stored result page of each keyword (within the view's engine and tag). */
export function competitorStats(db: Db, v: RankView, domains: readonly string[]): CompetitorStat[] {
  const own = siteDomain(v.site);
  const all = [own, ...domains.filter((d) => d !== own)];
  const match = all.map(() => '(r.domain = ? OR r.domain LIKE ?)').join(' OR ');
  // The latest page per keyword first (one indexed look-up each), then only its results for our domains.
  const rows = db
    .prepare(
      `WITH latest AS (
         SELECT k.id AS keyword_id,
                (SELECT p.id FROM serp_pages p WHERE p.keyword_id = k.id AND p.day <= ?
                 ORDER BY p.day DESC, p.source LIMIT 1) AS page_id
         FROM keywords k
         WHERE k.site_id = ? AND (? IS NULL OR k.engine = ?)
           AND (? IS NULL OR EXISTS (SELECT 1 FROM keyword_tags t WHERE t.keyword_id = k.id AND t.tag = ?))
       )
       SELECT l.keyword_id AS keywordId, r.domain, min(r.position) AS position
       FROM latest l JOIN serp_results r ON r.page_id = l.page_id
       WHERE ${match}
       GROUP BY l.keyword_id, r.domain`,
    )
    .all(
      v.today,
      v.site.id,
      v.engine ?? null,
      v.engine ?? null,
      v.tag ?? null,
      v.tag ?? null,
      ...all.flatMap((d) => [d, `%.${d}`]),
    ) as { keywordId: number; domain: string; position: number }[];
  // Best position per (domain we track, keyword): subdomains count for their domain.
  const best = new Map<string, Map<number, number>>(all.map((d) => [d, new Map()]));
  for (const r of rows)
    for (const d of all)
      if (r.domain === d || r.domain.endsWith(`.${d}`)) {
        const m = best.get(d)!;
        m.set(r.keywordId, Math.min(m.get(r.keywordId) ?? Infinity, r.position));
      }
  const mine = best.get(own)!;
  return domains.map((domain) => {
    const theirs = best.get(domain) ?? new Map<number, number>();
    const common = [...theirs.keys()].filter((k) => mine.has(k));
    const avg = (m: Map<number, number>) =>
      common.length ? round1(common.reduce((s, k) => s + m.get(k)!, 0) / common.length) : null;
    return {
      domain,
      top10: [...theirs.values()].filter((p) => p <= 10).length,
      common: common.length,
      avgPosition: avg(theirs),
      siteAvgPosition: avg(mine),
    };
  });
}

export interface ObservationRow {
  day: string;
  source: string;
  state: ObservationState;
  position: number | null;
  url: string | null;
  depth: number | null;
  error: string | null;
  errorKind: FailureKind | null;
}

export function keywordObservations(db: Db, keywordId: number): ObservationRow[] {
  return db
    .prepare(
      `SELECT day, source, state, position, url, depth, error, error_kind AS errorKind FROM rank_observations
       WHERE keyword_id = ? ORDER BY day DESC, priority DESC, source`,
    )
    .all(keywordId) as ObservationRow[];
}

/**
 * The position axis for a keyword's chart: reversed (1 on top) and fitted to the positions seen, with a
 * little room, inside 1..100 — a keyword moving between 3 and 6 is drawn on 2..7, not on 1..100.
 */
export function zoomedAxis(values: readonly (number | null)[]): { yMin: number; yMax: number } {
  const seen = values.filter((x): x is number => x !== null);
  if (seen.length === 0) return { yMin: 1, yMax: 10 };
  const lo = Math.min(...seen);
  const hi = Math.max(...seen);
  const pad = Math.max(1, Math.round((hi - lo) * 0.1));
  const clamp = (x: number) => Math.min(100, Math.max(1, x));
  let yMin = clamp(Math.floor(lo) - pad);
  let yMax = clamp(Math.ceil(hi) + pad);
  if (yMax - yMin < 2) {
    yMin = Math.max(1, yMax - 2);
    yMax = Math.min(100, yMin + 2);
  }
  return { yMin, yMax };
}

const HISTORY_MAX_DAYS = 730;

/** One keyword's positions per source and day, from its first observation (at most two years back). */
export function historyJson(db: Db, keyword: Keyword, site: SiteRow, today: string, t: Words) {
  const obs = keywordObservations(db, keyword.id).filter((o) => o.day <= today);
  const first = obs.length ? obs[obs.length - 1]!.day : today;
  let from = first < addDays(today, -29) ? first : addDays(today, -29);
  if (from < addDays(today, -HISTORY_MAX_DAYS + 1)) from = addDays(today, -HISTORY_MAX_DAYS + 1);
  const labels: string[] = [];
  for (let d = from; d <= today; d = addDays(d, 1)) labels.push(d);
  const index = new Map(labels.map((d, i) => [d, i]));
  const sources = [...new Set(obs.filter((o) => o.state === 'ranked').map((o) => o.source))].sort();
  const datasets = sources.map((source) => {
    const data = new Array<number | null>(labels.length).fill(null);
    for (const o of obs)
      if (o.source === source && o.state === 'ranked') {
        const i = index.get(o.day);
        if (i !== undefined) data[i] = o.position;
      }
    return { key: source, label: sourceName(t, source), data };
  });
  const { yMin, yMax } = zoomedAxis(datasets.flatMap((d) => d.data));
  return {
    keyword: { id: keyword.id, query: keyword.query, engine: keyword.engine, region: keyword.region },
    labels,
    events: listEvents(db, site.id, labels[0]!, today).map((e) => ({ day: e.day, title: e.title })),
    charts: {
      positions: { type: 'line', yTitle: t.axis.position, reverse: true, yMin, yMax, datasets },
    },
  };
}

/** A source's human name (a provider or an import); one we do not know is shown by its id. */
export function sourceName(t: Words, source: string): string {
  return Object.hasOwn(t.sources, source) ? t.sources[source as keyof Words['sources']] : source;
}

export function keywordRowJson(r: KeywordRow) {
  const k = r.keyword;
  return {
    id: k.id,
    query: k.query,
    engine: k.engine,
    region: k.region,
    device: k.device,
    tags: k.tags,
    volume: k.volume,
    targetUrl: k.targetUrl,
    current: r.current,
    change7: r.change7,
    change30: r.change30,
    best: r.best,
    failure: r.failure,
    mismatch: r.mismatch,
    spark: r.spark,
  };
}

export const rankingsApi = new Hono<Env>()
  .get('/trend', (c) => {
    const site = c.get('site');
    if (!site) return c.json({ error: c.get('t').common.noSite }, 404);
    const v = rankView(c, site);
    if (typeof v === 'string') return c.json({ error: v }, 400);
    const db = c.get('deps').db;
    // Labels are in the request's language: the cache keeps one answer per language.
    const key = `rank-trend:${c.get('lang')}:${viewQuery(v)}:${v.today}`;
    return c.json(cachedRead(db, key, () => trendJson(db, v, c.get('t').rankings)));
  })
  .get('/keywords', (c) => {
    const site = c.get('site');
    if (!site) return c.json({ error: c.get('t').common.noSite }, 404);
    const v = rankView(c, site);
    if (typeof v === 'string') return c.json({ error: v }, 400);
    // Paged (?offset=&limit=, 200 by default, at most 1,000); sparklines read 30 days per keyword, so
    // they come only when asked for (?spark=1).
    const spark = c.req.query('spark') === '1';
    const offset = Math.max(0, Number.parseInt(c.req.query('offset') ?? '0', 10) || 0);
    const limit = Math.min(1000, Math.max(1, Number.parseInt(c.req.query('limit') ?? '200', 10) || 200));
    const db = c.get('deps').db;
    const key = `rank-keywords:${viewQuery(v)}:${v.today}:${spark}:${offset}:${limit}`;
    const body = cachedRead(db, key, () => {
      const all = keywordTable(db, site.id, v.today, { engine: v.engine, tag: v.tag, spark: false });
      const rows = all.slice(offset, offset + limit).map((r) => ({ ...r }));
      if (spark) addSparklines(db, rows, v.today);
      const next =
        offset + limit < all.length
          ? `/api/rankings/keywords?${viewQuery(v, { offset: offset + limit, limit, spark: spark ? '1' : undefined })}`
          : null;
      return JSON.stringify({
        site: site.name,
        today: v.today,
        total: all.length,
        offset,
        limit,
        next,
        keywords: rows.map(keywordRowJson),
      });
    });
    return c.body(body, 200, { 'content-type': 'application/json; charset=UTF-8' });
  })
  .get('/keywords/:id{[0-9]+}/history', (c) => {
    const { db, now } = c.get('deps');
    const keyword = getKeyword(db, Number(c.req.param('id')));
    const site = c.get('sites').find((s) => s.id === keyword?.siteId);
    if (!keyword || !site) return c.json({ error: c.get('t').rankings.keyword.noSuch }, 404);
    return c.json(historyJson(db, keyword, site, dayIn(now(), site.timeZone), c.get('t').rankings));
  });
