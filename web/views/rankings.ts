// The Rankings view model the page and its JSON share: the chosen site, engine, tag, curve and period read
// from the query string, the query string that reproduces them, and the names and rows both show.
import type { Context } from 'hono';
import type { Config } from '../../src/config/schema.ts';
import type { Db } from '../../src/db/open.ts';
import type { Sql } from '../../src/db/store/types.ts';
import type { SiteRow } from '../../src/db/sites.ts';
import type { Messages } from '../../src/i18n/index.ts';
import { competitorStats } from '../../src/rank/competitors.ts';
import type { KeywordRow } from '../../src/rank/keyword-table.ts';
import { listCompetitors, normaliseDomain } from '../../src/rank/store.ts';
import { ENGINES, type Engine } from '../../src/rank/types.ts';
import {
  curveFor,
  shareOfVoice,
  visibilitySeries,
  type CurveName,
  type VisibilityPoint,
} from '../../src/rank/visibility.ts';
import { dayIn, lastDays } from '../../src/util/days.ts';
import type { Env } from '../types.ts';

type RankSettings = Config['sites'][number]['rankings'];
export type Words = Messages['rankings'];

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

export function visibility(sql: Sql, v: RankView): Promise<VisibilityPoint[]> {
  return visibilitySeries(sql, v.site.id, v.labels, { engine: v.engine, tag: v.tag, curve: v.curve });
}

export async function share(sql: Sql, v: RankView) {
  const competitors = (await listCompetitors(sql, v.site.id)).map((x) => x.domain);
  return shareOfVoice(sql, v.site.id, siteDomain(v.site), competitors, v.labels, {
    engine: v.engine,
    tag: v.tag,
    curve: v.curve,
  });
}

/** The competitors' standing on the latest result pages, within the view's engine and tag. */
export function competitorsIn(sql: Sql, v: RankView, domains: readonly string[]) {
  return competitorStats(sql, v.site.id, siteDomain(v.site), v.today, domains, {
    engine: v.engine,
    tag: v.tag,
  });
}

/** A source's human name (a provider or an import); one we do not know is shown by its id. */
export function sourceName(t: Words, source: string): string {
  const provider = t.providerName(source);
  if (provider !== null) return provider;
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
