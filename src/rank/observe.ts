// What a provider's answer says about tracked keywords, as pure functions: the site's place on a result
// page, and impression-weighted averages from webmaster statistics (no I/O; src/rank/track.ts stores them).
import type { Keyword, Observation, QueryStat, SerpPage } from './types.ts';

/** Does a result URL belong to the site? Host without "www.", and the port when the site names one. */
export function siteMatcher(baseUrl: string): (url: string) => boolean {
  const base = new URL(baseUrl);
  const host = base.hostname.toLowerCase().replace(/^www\./, '');
  return (url) => {
    try {
      const u = new URL(url);
      const h = u.hostname.toLowerCase().replace(/^www\./, '');
      return (h === host || h.endsWith(`.${host}`)) && (base.port === '' || u.port === base.port);
    } catch {
      return false;
    }
  };
}

/** Turns a result page into the site's observation: first organic result of the site, or "not in top". */
export function observeSerp(
  keywordId: number,
  day: string,
  source: string,
  page: SerpPage,
  isSite: (u: string) => boolean,
): Observation {
  const base = { keywordId, day, source, depth: page.depth };
  if (page.items.length === 0)
    return {
      ...base,
      state: 'failed',
      position: null,
      url: null,
      error: 'the result page had no organic results',
      errorKind: 'no-results',
    };
  const hit = page.items.find((i) => isSite(i.url));
  return hit
    ? { ...base, state: 'ranked', position: hit.position, url: hit.url, error: null }
    : { ...base, state: 'not-in-top', position: null, url: null, error: null };
}

const norm = (q: string) => q.normalize('NFC').trim().replace(/\s+/g, ' ').toLocaleLowerCase('ru');

// Search Console reports countries as ISO 3166-1 alpha-3 codes; keywords carry Google's gl (alpha-2).
const ALPHA3: Record<string, string> = {
  ru: 'rus',
  us: 'usa',
  gb: 'gbr',
  uk: 'gbr',
  de: 'deu',
  fr: 'fra',
  kz: 'kaz',
  by: 'blr',
  ua: 'ukr',
  ca: 'can',
  au: 'aus',
  in: 'ind',
  es: 'esp',
  it: 'ita',
  nl: 'nld',
  pl: 'pol',
  tr: 'tur',
  br: 'bra',
  am: 'arm',
  ge: 'geo',
  uz: 'uzb',
  kg: 'kgz',
  az: 'aze',
  rs: 'srb',
  ae: 'are',
  il: 'isr',
  cy: 'cyp',
};

/**
 * Observations for tracked keywords from webmaster statistics: per keyword and day, the
 * impression-weighted average position over the rows that match its query, device and country, and the
 * page with the most clicks (then impressions). A keyword absent from a day's statistics gets nothing:
 * no impressions says nothing about its position.
 */
export function observeStats(
  keywords: readonly Keyword[],
  stats: readonly QueryStat[],
  source: string,
): Observation[] {
  const byQuery = new Map<string, QueryStat[]>();
  for (const s of stats) {
    const list = byQuery.get(norm(s.query)) ?? [];
    list.push(s);
    byQuery.set(norm(s.query), list);
  }
  const out: Observation[] = [];
  for (const k of keywords) {
    const rows = (byQuery.get(norm(k.query)) ?? []).filter((s) => {
      if (s.device && s.device.toLowerCase() !== k.device) return false;
      const country = k.gl ? ALPHA3[k.gl.toLowerCase()] : undefined;
      return !s.country || !country || s.country.toLowerCase() === country;
    });
    const days = new Map<string, QueryStat[]>();
    for (const r of rows) days.set(r.day, [...(days.get(r.day) ?? []), r]);
    for (const [day, list] of days) {
      const withPos = list.filter((r) => r.position !== null && r.position >= 1 && r.impressions > 0);
      if (withPos.length === 0) continue;
      const imp = withPos.reduce((s, r) => s + r.impressions, 0);
      const pos = withPos.reduce((s, r) => s + r.position! * r.impressions, 0) / imp;
      const top = [...list].sort((a, b) => b.clicks - a.clicks || b.impressions - a.impressions)[0]!;
      out.push({
        keywordId: k.id,
        day,
        source,
        state: 'ranked',
        position: Math.max(1, Math.round(pos * 10) / 10),
        url: top.page || null,
        depth: null,
        error: null,
      });
    }
  }
  return out;
}
