// JSON for the Rankings page: visibility, position distribution and share of voice per day, one keyword's
// position history (reversed axis, zoomed to the data), the keyword table (web/views/rankings.ts reads the view).
// Chart titles and dataset labels follow the request's language; each dataset keeps a stable `key`.
import { Hono } from 'hono';
import { cachedRead } from '../../src/db/read-cache.ts';
import type { Sql } from '../../src/db/store/types.ts';
import { listEvents } from '../../src/db/events.ts';
import type { SiteRow } from '../../src/db/sites.ts';
import { addSparklines, keywordTable } from '../../src/rank/keyword-table.ts';
import { rankProvider } from '../../src/rank/providers/index.ts';
import { keywordObservations, searchClicksPerDay } from '../../src/rank/queries.ts';
import { getKeyword } from '../../src/rank/store.ts';
import type { Keyword } from '../../src/rank/types.ts';
import type { VisibilityPoint } from '../../src/rank/visibility.ts';
import { addDays, dayIn } from '../../src/util/days.ts';
import type { Env } from '../types.ts';
import {
  keywordRowJson,
  rankView,
  share,
  siteDomain,
  sourceName,
  viewQuery,
  visibility,
  type RankView,
  type Words,
} from '../views/rankings.ts';

/** The distribution chart's bands: a stable key (web/public/app.js colours by it) and the field counted. */
export const DISTRIBUTION_BANDS = [
  ['top 3', 'top3'],
  ['4–10', 'top10'],
  ['11–30', 'top30'],
  ['31–100', 'top100'],
  ['not in top 100', 'notInTop'],
] as const satisfies readonly (readonly [string, keyof VisibilityPoint & keyof Words['bands']])[];

/** The three Rankings charts in the shape web/public/app.js draws; unknown days stay null. */
export async function trendJson(sql: Sql, v: RankView, t: Words) {
  const points = await visibility(sql, v);
  const clicks = await searchClicksPerDay(sql, v.site.id, v.labels, { engine: v.engine, tag: v.tag });
  const clicksLabel = v.tag ? t.axis.gscClicksTagged(v.tag) : t.axis.gscClicks;
  return {
    labels: v.labels,
    curve: v.curveName,
    events: (await listEvents(sql, v.site.id, v.labels[0]!, v.labels[v.labels.length - 1]!)).map((e) => ({
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
        datasets: (await share(sql, v)).map((s) => ({
          key: s.domain,
          label: s.domain === siteDomain(v.site) ? v.site.name : s.domain,
          data: s.share,
        })),
      },
    },
  };
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
export async function historyJson(sql: Sql, keyword: Keyword, site: SiteRow, today: string, t: Words) {
  const obs = (await keywordObservations(sql, keyword.id)).filter((o) => o.day <= today);
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
    // A provider's own colour (its file declares it); imports and unknown sources take the palette's.
    const colour = rankProvider(source)?.colour;
    return { key: source, label: sourceName(t, source), data, ...(colour ? { colour } : {}) };
  });
  const { yMin, yMax } = zoomedAxis(datasets.flatMap((d) => d.data));
  return {
    keyword: { id: keyword.id, query: keyword.query, engine: keyword.engine, region: keyword.region },
    labels,
    events: (await listEvents(sql, site.id, labels[0]!, today)).map((e) => ({
      day: e.day,
      title: e.title,
    })),
    charts: {
      positions: { type: 'line', yTitle: t.axis.position, reverse: true, yMin, yMax, datasets },
    },
  };
}

export const rankingsApi = new Hono<Env>()
  .get('/trend', async (c) => {
    const site = c.get('site');
    if (!site) return c.json({ error: c.get('t').common.noSite }, 404);
    const v = rankView(c, site);
    if (typeof v === 'string') return c.json({ error: v }, 400);
    const { sql } = c.get('deps');
    // Labels are in the request's language: the cache keeps one answer per language.
    const key = `rank-trend:${c.get('lang')}:${viewQuery(v)}:${v.today}`;
    return c.json(await cachedRead(sql, key, () => trendJson(sql, v, c.get('t').rankings)));
  })
  .get('/keywords', async (c) => {
    const site = c.get('site');
    if (!site) return c.json({ error: c.get('t').common.noSite }, 404);
    const v = rankView(c, site);
    if (typeof v === 'string') return c.json({ error: v }, 400);
    // Paged (?offset=&limit=, 200 by default, at most 1,000); sparklines read 30 days per keyword, so
    // they come only when asked for (?spark=1).
    const spark = c.req.query('spark') === '1';
    const offset = Math.max(0, Number.parseInt(c.req.query('offset') ?? '0', 10) || 0);
    const limit = Math.min(1000, Math.max(1, Number.parseInt(c.req.query('limit') ?? '200', 10) || 200));
    const { sql } = c.get('deps');
    const key = `rank-keywords:${viewQuery(v)}:${v.today}:${spark}:${offset}:${limit}`;
    const body = await cachedRead(sql, key, async () => {
      const all = await keywordTable(sql, site.id, v.today, { engine: v.engine, tag: v.tag, spark: false });
      const rows = all.slice(offset, offset + limit).map((r) => ({ ...r }));
      if (spark) await addSparklines(sql, rows, v.today);
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
  .get('/keywords/:id{[0-9]+}/history', async (c) => {
    const { sql, now } = c.get('deps');
    const keyword = await getKeyword(sql, Number(c.req.param('id')));
    const site = c.get('sites').find((s) => s.id === keyword?.siteId);
    if (!keyword || !site) return c.json({ error: c.get('t').rankings.keyword.noSuch }, 404);
    return c.json(await historyJson(sql, keyword, site, dayIn(now(), site.timeZone), c.get('t').rankings));
  });
