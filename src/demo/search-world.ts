// The demo's simulated search market: what Google and Yandex list for the studio's keywords on any day and
// what Search Console reports about them. Deterministic (seeded hashes, no Math.random), so every start
// tells the same story: slow trends, daily noise, two competitors, a blog post outranking a service page,
// and a relaunch that costs a few places for three days and then leaves the site a little higher.
import { regionKey } from '../rank/import-keywords.ts';
import type { Device, Engine, KeywordInput, QueryStat } from '../rank/types.ts';
import { CTR_CURVES } from '../rank/visibility.ts';
import { addDays } from '../util/days.ts';
import { studioPageTitle } from './world.ts';

interface QuerySpec {
  q: string;
  lang: 'ru' | 'en';
  /** Monthly searches. */
  volume: number;
  tags: string[];
  /** The studio's page meant to rank. */
  path: string;
  /** Position 90 days ago → today, before the relaunch; null: never in the top 100. */
  trend: [number, number] | null;
  /** Also tracked on Yandex mobile. */
  mobile: boolean;
  /** The page that does rank, when another one outranks the target (cannibalisation). */
  ranks?: string;
}

type Row = [
  query: string,
  volume: number,
  tags: string,
  path: string,
  trend: [number, number] | null,
  extra?: string,
];

const COST_POST = '/blog/how-much-does-an-explainer-cost/';

// Query, monthly searches, tags, target page, position 90 days ago → today; "mobile": also tracked on
// Yandex mobile; a path: the page that outranks the target. Russian queries are tracked in Yandex (Moscow)
// and Google (gl=ru), English ones in Google (gl=us).
const ROWS: Row[] = [
  ['видеопродакшн москва', 2400, 'video', '/ru/uslugi/', [18, 9], 'mobile'],
  ['моушн дизайн студия', 1300, 'motion', '/ru/', [14, 6], 'mobile'],
  ['заказать анимационный ролик', 880, 'animation', '/ru/uslugi/', [25, 12]],
  ['съёмка рекламного ролика', 1900, 'video', '/ru/uslugi/', [31, 38], 'mobile'],
  ['3d анимация для бизнеса', 590, 'animation', '/ru/uslugi/', [45, 27]],
  ['студия моушн дизайна москва', 720, 'motion', '/ru/', [8, 4]],
  ['объясняющее видео заказать', 390, 'animation video', '/ru/uslugi/', [12, 15]],
  ['разработка айдентики', 1600, 'brand', '/ru/uslugi/', [60, 48]],
  ['видеоролик для презентации компании', 480, 'video', '/ru/uslugi/', [22, 19]],
  ['студия кадр видеопродакшн', 140, 'brand', '/ru/', [1, 1]],
  ['анимационный логотип', 320, 'motion brand', '/ru/uslugi/', null],
  ['рекламный ролик для маркетплейса', 1000, 'video', '/ru/uslugi/', [97, 88]],
  ['инфографика видео', 260, 'animation', '/ru/o-studii/', [35, 30]],
  ['motion design studio', 2900, 'motion', '/services/motion-design/', [38, 24]],
  ['explainer video production', 1600, 'video animation', '/services/video-production/', [29, 21], COST_POST],
  ['2d animation studio', 1300, 'animation', '/services/motion-design/', [52, 41]],
  ['brand video agency', 880, 'brand video', '/services/video-production/', [27, 33]],
  ['explainer video cost', 720, 'video', COST_POST, [11, 7]],
  ['motion graphics agency', 1000, 'motion', '/services/motion-design/', [64, 55]],
  ['brand identity design studio', 1600, 'brand', '/services/branding/', null],
  ['video production portfolio', 210, 'video', '/portfolio/', [16, 12]],
  ['storyboard for explainer video', 170, 'animation', '/blog/storyboards/', [6, 3]],
  ['fintech explainer video', 90, 'animation', '/portfolio/fintech-explainer/', [4, 2]],
  ['corporate video production company', 2400, 'video', '/services/video-production/', null],
];

// Last week's news for the movers panels: a competitor's new page pushes two small queries down a few days
// ago (one leaves the top 10), so the overview and the report have a real drop to tell, not only noise.
// Query → [days ago it started, places lost]. Small volumes: the visibility index barely notices.
const SLIPS: Record<string, [since: number, places: number]> = {
  'storyboard for explainer video': [3, 8],
  'видеоролик для презентации компании': [3, 9],
};

const QUERIES: QuerySpec[] = ROWS.map(([q, volume, tags, path, trend, extra]) => ({
  q,
  lang: /[а-яё]/i.test(q) ? 'ru' : 'en',
  volume,
  tags: tags.split(' '),
  path,
  trend,
  mobile: extra === 'mobile',
  ...(extra?.startsWith('/') ? { ranks: extra } : {}),
}));

export const COMPETITORS = [
  // Strong in Russian and gaining; strong in English and slipping. `home`: where they start, by language.
  { domain: 'framefactory.example', name: 'Frame Factory', home: { ru: [4, 30], en: [20, 60] }, drift: -4 },
  { domain: 'motionhub.example', name: 'MotionHub', home: { ru: [6, 40], en: [1, 8] }, drift: 4 },
] as const;

// Everyone else on the result pages: 160 fictional studios, agencies and directories.
const FILLERS = 'pixel reel lumen kino vid story nord atlas nova orbit spark cadence prism echo vector studio'
  .split(' ')
  .flatMap((a) =>
    'lab works house craft point wave line box yard forge'.split(' ').map((b) => `${a}${b}.example`),
  );

/** Days from the first simulated check to today; the relaunch is this many days before today. */
export const HISTORY_DAYS = 90;
export const RELAUNCH_AGE = 6;

export type SerpFault = 'internal' | 'se-error';

export interface SearchWorld {
  today: string;
  relaunchDay: string;
  keywords: KeywordInput[];
  competitors: { domain: string; name: string }[];
  /** The checks on which the SERP API fails: recorded as failures by the tracker, never as positions. */
  failures: { keyword: KeywordInput; day: string; fault: SerpFault }[];
  /** The studio's position for a tracked keyword on a day; null: not in the top 100. */
  position(k: KeywordInput, day: string): number | null;
  /** The organic results (top 100, rank order) for a query; `region` is a key like "gl=ru;hl=ru" or "lr=213". */
  serp(query: string, engine: string, region: string, device: string, day: string): SerpResult[];
  failure(query: string, engine: string, region: string, device: string, day: string): SerpFault | null;
  /** Search Console rows (date, query, page, device, country) for days up to two days before `today`. */
  gscRows(from: string, to: string, today: string): QueryStat[];
}

export interface SerpResult {
  url: string;
  title: string;
}

interface Variant {
  spec: QuerySpec;
  input: KeywordInput;
  key: string;
}

/** A number in [0, 1) from its arguments: FNV-1a, then murmur3's finaliser to spread the bits. */
export function unit(...parts: (string | number)[]): number {
  const text = parts.join('\u0000');
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return mix(h);
}

/** murmur3's 32-bit finaliser, as a number in [0, 1). */
function mix(x: number): number {
  let h = x;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 2 ** 32;
}

const keyOf = (q: string, engine: string, region: string, device: string) =>
  [q, engine, region, device].join('\u0000');

const cap = (s: string) => s.charAt(0).toLocaleUpperCase('ru') + s.slice(1);

const TRANSLIT: Record<string, string> = Object.fromEntries(
  [...'абвгдеёжзийклмнопрстуфхцчшщъыьэюя'].map((c, i) => [
    c,
    'a b v g d e e zh z i y k l m n o p r s t u f h ts ch sh sch  y  e yu ya'.split(' ')[i] ?? '',
  ]),
);
const slug = (q: string) =>
  [...q.toLocaleLowerCase('ru')]
    .map((c) => TRANSLIT[c] ?? c)
    .join('')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

/** A small seeded generator (mulberry32) for many numbers from one hash. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** ±1 place in the top 10, ±2 to 30, ±3 beyond. */
function noise(key: string, day: string, p: number): number {
  const amplitude = p <= 10 ? 1 : p <= 30 ? 2 : 3;
  return Math.round((unit(key, day, 'noise') * 2 - 1) * amplitude) || 0;
}

/** Places lost on the relaunch day and the two after it (re-crawling, redirects); afterwards the faster
 * hosting is worth a place or so for good to the pages it helps (positive = lower on the page). */
export function relaunchEffect(daysSinceRelaunch: number, p: number, helped: boolean): number {
  if (daysSinceRelaunch < 0) return 0;
  if (daysSinceRelaunch <= 1) return Math.max(3, Math.round(p * 0.35));
  if (daysSinceRelaunch === 2) return Math.max(2, Math.round(p * 0.2));
  return helped && p > 8 ? -Math.max(1, Math.round(p * 0.05)) : 0;
}

export function searchWorld(opts: { studioUrl: string; today: string; lastCheckDay?: string }): SearchWorld {
  const { studioUrl, today } = opts;
  const relaunchDay = addDays(today, -RELAUNCH_AGE);
  const ageOf = (day: string) => Math.round((Date.parse(today) - Date.parse(day)) / 86_400_000);
  const variants: Variant[] = QUERIES.flatMap((spec) => {
    const common = {
      query: spec.q,
      volume: spec.volume,
      tags: [...spec.tags, spec.lang],
      targetUrl: studioUrl + spec.path.slice(1),
    };
    const inputs: KeywordInput[] =
      spec.lang === 'en'
        ? [{ ...common, engine: 'google', device: 'desktop', gl: 'us', hl: 'en' }]
        : [
            { ...common, engine: 'yandex', device: 'desktop', lr: 213 },
            ...(spec.mobile ? [{ ...common, engine: 'yandex', device: 'mobile', lr: 213 } as const] : []),
            { ...common, engine: 'google', device: 'desktop', gl: 'ru', hl: 'ru' },
          ];
    return inputs.map((input) => ({
      spec,
      input,
      key: keyOf(spec.q, input.engine, regionKey(input, input.engine), input.device),
    }));
  });
  const byKey = new Map(variants.map((v) => [v.key, v]));
  const variantOf = (k: KeywordInput) =>
    byKey.get(keyOf(k.query, k.engine, regionKey(k, k.engine), k.device));

  /** The slow part: a line from 90 days ago to today, a gentle swell, Yandex and mobile a few places apart. */
  function trendAt(v: Variant, age: number): number | null {
    if (!v.spec.trend) return null;
    const [from, to] = v.spec.trend;
    const a = Math.min(HISTORY_DAYS - 1, Math.max(0, age));
    const base = to + ((from - to) * a) / (HISTORY_DAYS - 1);
    const shift =
      to <= 2
        ? 0
        : (v.input.engine === 'yandex' ? Math.round((unit(v.spec.q, 'yandex') - 0.4) * 8) : 0) +
          (v.input.device === 'mobile' ? 2 : 0);
    const wave = base > 12 ? Math.sin(age / 15 + unit(v.key, 'phase') * 6.28) * Math.min(3, base / 12) : 0;
    return Math.max(1, base + shift + wave);
  }

  function studioPosition(v: Variant, day: string): number | null {
    const t = trendAt(v, ageOf(day));
    if (t === null) return null;
    let p = Math.round(t);
    p += relaunchEffect(RELAUNCH_AGE - ageOf(day), p, unit(v.key, 'hosting') < 0.5);
    const slip = SLIPS[v.spec.q];
    if (slip && ageOf(day) <= slip[0]) p += slip[1];
    p = Math.max(1, p + noise(v.key, day, p));
    return p > 100 ? null : p;
  }

  function competitorPosition(c: (typeof COMPETITORS)[number], v: Variant, day: string): number | null {
    const key = `${c.domain}\u0000${v.key}`;
    if (unit(key, 'absent') < 0.15) return null;
    const [best, spread] = c.home[v.spec.lang];
    const start = best + unit(key, 'start') * spread;
    const end = Math.max(1, start + c.drift * (0.5 + unit(key, 'drift')));
    const a = Math.min(HISTORY_DAYS - 1, Math.max(0, ageOf(day)));
    const p = Math.round(end + ((start - end) * a) / (HISTORY_DAYS - 1));
    const seen = Math.max(1, p + noise(key, day, p));
    return seen > 100 ? null : seen;
  }

  const studioPage = (v: Variant) => v.spec.ranks ?? v.spec.path;

  // Per query, everyone else's result and its usual standing (computed once: serp() runs per request).
  const fillerCache = new Map<string, { base: number; result: SerpResult }[]>();
  function fillersFor(key: string, query: string) {
    let list = fillerCache.get(key);
    if (!list) {
      const title = cap(query);
      const path = slug(query);
      list = FILLERS.map((d) => ({
        base: unit(key, d),
        result: {
          url: `https://${d}/${unit(key, d, 'blog') < 0.3 ? 'blog/' : ''}${path}/`,
          title: `${title} — ${cap(d.replace('.example', ''))}`,
        },
      }));
      fillerCache.set(key, list);
    }
    return list;
  }

  function serp(query: string, engine: string, region: string, device: string, day: string): SerpResult[] {
    const key = keyOf(query, engine, region, device);
    const v = byKey.get(key);
    const slots: (SerpResult | null)[] = new Array<SerpResult | null>(100).fill(null);
    if (v) {
      const p = studioPosition(v, day);
      const path = studioPage(v);
      if (p !== null)
        slots[p - 1] = { url: studioUrl + path.slice(1), title: studioPageTitle(path) || cap(query) };
      for (const c of COMPETITORS) {
        const cp = competitorPosition(c, v, day);
        if (cp === null) continue;
        // A place the studio holds goes to the studio; the competitor takes the next free one.
        const free = slots.findIndex((s, i) => i >= cp - 1 && s === null);
        if (free >= 0)
          slots[free] = { url: `https://${c.domain}/${slug(query)}/`, title: `${cap(query)} — ${c.name}` };
      }
    }
    // The rest keep a stable order per query with a little daily reshuffling.
    const rng = mulberry32(unit(key, day, 'shuffle') * 2 ** 32);
    const others = fillersFor(key, query)
      .map((f) => ({ f, score: f.base + 0.06 * rng() }))
      .sort((a, b) => a.score - b.score);
    let next = 0;
    for (let i = 0; i < slots.length; i++) if (!slots[i]) slots[i] = others[next++]!.f.result;
    return slots as SerpResult[];
  }

  const find = (q: string, engine: Engine, device: Device) =>
    variants.find((v) => v.spec.q === q && v.input.engine === engine && v.input.device === device)!.input;
  const lastCheckDay = opts.lastCheckDay ?? today;
  const failures = [
    {
      keyword: find('моушн дизайн студия', 'yandex', 'desktop'),
      day: addDays(today, -40),
      fault: 'se-error',
    },
    { keyword: find('съёмка рекламного ролика', 'yandex', 'desktop'), day: lastCheckDay, fault: 'internal' },
  ] satisfies SearchWorld['failures'];
  const failureKeys = new Map(failures.map((f) => [`${variantOf(f.keyword)!.key}\u0000${f.day}`, f.fault]));

  function gscRows(from: string, to: string, now: string): QueryStat[] {
    const last = to < addDays(now, -2) ? to : addDays(now, -2);
    const rows: QueryStat[] = [];
    const push = (r: QueryStat | null) => r && rows.push(r);
    for (let day = from; day <= last; day = addDays(day, 1)) {
      for (const v of variants) {
        if (v.input.engine !== 'google') continue;
        const p = studioPosition(v, day);
        if (p === null) continue;
        const page = studioUrl + studioPage(v).slice(1);
        const country = v.spec.lang === 'ru' ? 'rus' : 'usa';
        push(stat(v.key, day, v.spec.q, page, 'DESKTOP', country, v.spec.volume * 0.6, p));
        // Phones search too; no keyword tracks Google mobile, so these only add to the clicks.
        push(stat(v.key, day, v.spec.q, page, 'MOBILE', country, v.spec.volume * 0.4, p + 1));
      }
      // Searches for the studio's name: most of its clicks, tracked by no keyword.
      push(stat('brand-ru', day, 'кадр студия', `${studioUrl}ru/`, 'MOBILE', 'rus', 1500, 1));
      push(stat('brand-en', day, 'kadr studio', studioUrl, 'DESKTOP', 'usa', 400, 1));
    }
    return rows;
  }

  return {
    today,
    relaunchDay,
    keywords: variants.map((v) => v.input),
    competitors: COMPETITORS.map((c) => ({ domain: c.domain, name: c.name })),
    failures,
    position: (k, day) => {
      const v = variantOf(k);
      return v ? studioPosition(v, day) : null;
    },
    serp,
    failure: (query, engine, region, device, day) =>
      failureKeys.get(`${keyOf(query, engine, region, device)}\u0000${day}`) ?? null,
    gscRows,
  };
}

/** One Search Console row: impressions from volume and how visible the position is, clicks by CTR, and an
 * average position near the result page's (Search Console averages every impression of the day). */
function stat(
  key: string,
  day: string,
  query: string,
  page: string,
  device: string,
  country: string,
  monthly: number,
  p: number,
): QueryStat | null {
  const seen = p <= 10 ? 0.95 : p <= 20 ? 0.3 : p <= 30 ? 0.12 : p <= 50 ? 0.05 : 0.015;
  const impressions = Math.round((monthly / 30) * seen * (0.8 + 0.4 * unit(key, day, device, 'impressions')));
  if (impressions === 0) return null;
  const ctr = CTR_CURVES.sistrix[p - 1] ?? (p <= 20 ? 0.01 : 0.002);
  const clicks = Math.round(impressions * ctr * (0.7 + 0.6 * unit(key, day, device, 'clicks')));
  const position = Math.max(1, Math.round((p + (unit(key, day, device, 'position') - 0.5) * 1.6) * 10) / 10);
  return { day, query, page, device, country, clicks, impressions, position };
}
