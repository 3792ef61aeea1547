// The demo's simulated search market, and the simulated APIs that serve it to the real rank clients.
import { describe, expect, it } from 'vitest';
import { getSiteByName } from '../../src/db/sites.ts';
import { startSearchApis, DEMO_API_ENV } from '../../src/demo/search-apis.ts';
import { HISTORY_DAYS, searchWorld, type SearchWorld } from '../../src/demo/search-world.ts';
import { studioPageTitle } from '../../src/demo/world.ts';
import { makeSecretResolver } from '../../src/config/load.ts';
import { regionKey } from '../../src/rank/import-keywords.ts';
import { RANK_PROVIDERS } from '../../src/rank/providers/index.ts';
import { insertKeywords, listKeywords } from '../../src/rank/store.ts';
import { trackSite } from '../../src/rank/track.ts';
import type { KeywordInput } from '../../src/rank/types.ts';
import { CTR_CURVES } from '../../src/rank/visibility.ts';
import { addDays } from '../../src/util/days.ts';
import { FakeClock, onCleanup, testConfig, testStoreDeps } from '../helpers.ts';

const STUDIO = 'http://127.0.0.1:4711/';
const TODAY = '2026-11-27';

const region = (k: KeywordInput) => regionKey(k, k.engine);
const serpOf = (w: SearchWorld, k: KeywordInput, day: string) =>
  w.serp(k.query, k.engine, region(k), k.device, day);

/** The visibility index the Rankings page computes (volume-weighted Sistrix CTR), from the simulation. */
function visibility(w: SearchWorld, day: string): number {
  let weighted = 0;
  let volume = 0;
  for (const k of w.keywords) {
    const p = w.position(k, day);
    weighted += k.volume! * (p === null ? 0 : (CTR_CURVES.sistrix[p - 1] ?? 0));
    volume += k.volume!;
  }
  return (100 * weighted) / volume;
}

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

describe('searchWorld()', () => {
  const world = searchWorld({ studioUrl: STUDIO, today: TODAY });

  it('tracks 40 keywords: Russian ones in Yandex (Moscow) and Google Russia, English ones in Google US', () => {
    const ks = world.keywords;
    expect(ks).toHaveLength(40);
    const ru = ks.filter((k) => k.tags!.includes('ru'));
    const en = ks.filter((k) => k.tags!.includes('en'));
    expect(ru.length + en.length).toBe(40);
    expect(ru.every((k) => (k.engine === 'yandex' ? k.lr === 213 : k.gl === 'ru' && k.hl === 'ru'))).toBe(
      true,
    );
    expect(en.every((k) => k.engine === 'google' && k.gl === 'us' && k.hl === 'en')).toBe(true);
    expect(ks.filter((k) => k.device === 'mobile').every((k) => k.engine === 'yandex')).toBe(true);
    expect(ks.filter((k) => k.device === 'mobile').length).toBeGreaterThan(0);
    expect(new Set(ks.map((k) => k.query)).size).toBeGreaterThanOrEqual(20);
    // Every target is a page the simulated studio serves.
    for (const k of ks) {
      expect(k.targetUrl!.startsWith(STUDIO)).toBe(true);
      expect(studioPageTitle(`/${k.targetUrl!.slice(STUDIO.length)}`)).toBeDefined();
      expect(k.volume).toBeGreaterThan(0);
    }
  });

  it('is deterministic: the same day gives the same result pages and statistics', () => {
    const again = searchWorld({ studioUrl: STUDIO, today: TODAY });
    const day = addDays(TODAY, -17);
    for (const k of world.keywords) expect(serpOf(again, k, day)).toEqual(serpOf(world, k, day));
    expect(again.gscRows(addDays(TODAY, -10), TODAY, TODAY)).toEqual(
      world.gscRows(addDays(TODAY, -10), TODAY, TODAY),
    );
    // …while days differ from one another (daily noise).
    const series = world.keywords.map((k) => world.position(k, addDays(TODAY, -20)));
    expect(world.keywords.map((k) => world.position(k, addDays(TODAY, -21)))).not.toEqual(series);
  });

  it('lists 100 distinct results with the studio exactly at its simulated position', () => {
    for (const k of world.keywords)
      for (const age of [0, 6, 45, HISTORY_DAYS - 1]) {
        const day = addDays(TODAY, -age);
        const results = serpOf(world, k, day);
        expect(results).toHaveLength(100);
        expect(new Set(results.map((r) => r.url)).size).toBe(100);
        expect(results.every((r) => r.title.length > 0 && /^https?:\/\//.test(r.url))).toBe(true);
        const own = results.findIndex((r) => r.url.startsWith(STUDIO));
        const p = world.position(k, day);
        expect(own === -1 ? null : own + 1).toBe(p);
        expect(results.filter((r) => r.url.startsWith(STUDIO))).toHaveLength(p === null ? 0 : 1);
        expect(
          results.every((r) => r.url.startsWith(STUDIO) || new URL(r.url).hostname.endsWith('.example')),
        ).toBe(true);
      }
  });

  it('puts both competitors on most result pages, with changing fortunes', () => {
    expect(world.competitors.map((c) => c.domain)).toEqual(['framefactory.example', 'motionhub.example']);
    for (const c of world.competitors) {
      const best = (day: string) =>
        world.keywords.map((k) => {
          const i = serpOf(world, k, day).findIndex((r) => new URL(r.url).hostname === c.domain);
          return i === -1 ? 101 : i + 1;
        });
      const now = best(TODAY);
      expect(now.filter((p) => p <= 100).length).toBeGreaterThan(world.keywords.length / 2);
      expect(now.filter((p) => p <= 10).length).toBeGreaterThan(0);
      expect(best(addDays(TODAY, -(HISTORY_DAYS - 1)))).not.toEqual(now);
    }
    // Frame Factory climbs over the 90 days, MotionHub slips.
    const avg = (domain: string, day: string) =>
      mean(
        world.keywords.map((k) => {
          const i = serpOf(world, k, day).findIndex((r) => new URL(r.url).hostname === domain);
          return i === -1 ? 101 : i + 1;
        }),
      );
    const first = addDays(TODAY, -(HISTORY_DAYS - 1));
    expect(avg('framefactory.example', TODAY)).toBeLessThan(avg('framefactory.example', first));
    expect(avg('motionhub.example', TODAY)).toBeGreaterThan(avg('motionhub.example', first));
  });

  it('has a keyword whose ranking page is a blog post instead of its target service page', () => {
    const mismatched = world.keywords.filter((k) => {
      const hit = serpOf(world, k, TODAY).find((r) => r.url.startsWith(STUDIO));
      return hit !== undefined && hit.url !== k.targetUrl;
    });
    expect(mismatched.map((k) => k.query)).toEqual(['explainer video production']);
    expect(mismatched[0]!.targetUrl).toBe(`${STUDIO}services/video-production/`);
    expect(serpOf(world, mismatched[0]!, TODAY).find((r) => r.url.startsWith(STUDIO))!.url).toBe(
      `${STUDIO}blog/how-much-does-an-explainer-cost/`,
    );
  });

  it('has keywords never in the top 100, and trends both up and down', () => {
    const days = Array.from({ length: HISTORY_DAYS }, (_, i) => addDays(TODAY, -i));
    const never = world.keywords.filter((k) => days.every((d) => world.position(k, d) === null));
    expect(never.length).toBeGreaterThanOrEqual(3);
    const early = (k: KeywordInput) => mean(days.slice(-10).map((d) => world.position(k, d) ?? 101));
    const late = (k: KeywordInput) => mean(days.slice(7, 17).map((d) => world.position(k, d) ?? 101));
    const ranked = world.keywords.filter((k) => !never.includes(k));
    expect(ranked.filter((k) => late(k) < early(k) - 3).length).toBeGreaterThan(5);
    expect(ranked.filter((k) => late(k) > early(k) + 3).length).toBeGreaterThan(0);
  });

  it('dips for three days from the relaunch, then recovers a little above the level before, whatever the date', () => {
    for (let i = 0; i < 24; i++) {
      const today = addDays('2026-01-05', i * 17);
      const w = searchWorld({ studioUrl: STUDIO, today });
      expect(w.relaunchDay).toBe(addDays(today, -6));
      const at = (offset: number) => visibility(w, addDays(w.relaunchDay, offset));
      const before = mean([-4, -3, -2, -1].map(at));
      const dip = [0, 1, 2].map(at);
      const after = mean([3, 4, 5, 6].map(at));
      // Several places lost for two days, half of that on the third.
      expect(Math.max(dip[0]!, dip[1]!), today).toBeLessThan(0.6 * Math.min(...[-3, -2, -1].map(at)));
      expect(dip[2]!, today).toBeLessThan(0.9 * before);
      expect(after, today).toBeGreaterThan(before * 1.05);
      expect(after, today).toBeLessThan(before * 2);
    }
  });

  it('reports Search Console rows only up to two days ago, near the result page position', () => {
    const rows = world.gscRows(addDays(TODAY, -10), TODAY, TODAY);
    const days = [...new Set(rows.map((r) => r.day))].sort();
    expect(days[0]).toBe(addDays(TODAY, -10));
    expect(days.at(-1)).toBe(addDays(TODAY, -2));
    expect(new Set(rows.map((r) => r.device))).toEqual(new Set(['DESKTOP', 'MOBILE']));
    expect(new Set(rows.map((r) => r.country))).toEqual(new Set(['rus', 'usa']));
    for (const r of rows) {
      expect(r.clicks).toBeLessThanOrEqual(r.impressions);
      expect(r.impressions).toBeGreaterThan(0);
      expect(r.page.startsWith(STUDIO)).toBe(true);
    }
    const google = world.keywords.filter((k) => k.engine === 'google');
    let compared = 0;
    for (const r of rows.filter((x) => x.device === 'DESKTOP')) {
      const k = google.find((x) => x.query === r.query);
      if (!k) continue; // the studio's name, searched for and tracked by no keyword
      expect(r.country).toBe(k.gl === 'ru' ? 'rus' : 'usa');
      expect(Math.abs(r.position! - world.position(k, r.day)!)).toBeLessThanOrEqual(0.81);
      compared++;
    }
    expect(compared).toBeGreaterThan(100);
    // A better position earns more clicks: a keyword in the top 3 against one past 30, same period.
    const clicks = (q: string) => rows.filter((r) => r.query === q).reduce((s, r) => s + r.clicks, 0);
    expect(clicks('студия моушн дизайна москва')).toBeGreaterThan(clicks('разработка айдентики'));
  });

  it('plans two SERP API failures: one today, one weeks ago', () => {
    expect(world.failures.map((f) => f.day)).toEqual([addDays(TODAY, -40), TODAY]);
    for (const f of world.failures) {
      const k = f.keyword;
      expect(world.failure(k.query, k.engine, region(k), k.device, f.day)).toBe(f.fault);
      expect(world.failure(k.query, k.engine, region(k), k.device, addDays(f.day, -1))).toBeNull();
    }
    const other = world.keywords.find((k) => !world.failures.some((f) => f.keyword === k))!;
    expect(world.failure(other.query, other.engine, region(other), other.device, TODAY)).toBeNull();
  });
});

describe('startSearchApis()', () => {
  it('serves the simulation to the real DataForSEO and Search Console clients, a planned failure as a failure', async () => {
    const world = searchWorld({ studioUrl: STUDIO, today: TODAY });
    const apis = await startSearchApis(world, 'Europe/Moscow', () => new Date(`${TODAY}T04:00:00Z`));
    onCleanup(() => apis.close());
    const config = testConfig({
      sites: [
        {
          name: 'studio',
          baseUrl: STUDIO,
          timeZone: 'Europe/Moscow',
          rankings: {
            providers: [{ use: 'dataforseo' }, { use: 'gsc', lookbackDays: 4 }],
            depth: 100,
          },
        },
      ],
      providers: apis.providers,
    });
    const clock = new FakeClock(Date.parse(`${TODAY}T04:00:00Z`));
    const deps = await testStoreDeps(config, clock);
    const { sql } = deps;
    const site = (await getSiteByName(sql, 'studio'))!;
    await insertKeywords(sql, site.id, world.keywords, clock.now());
    apis.setClock(clock.now());
    const outcomes = await trackSite(
      {
        ...deps,
        runId: null,
        secret: makeSecretResolver(DEMO_API_ENV, 'test'),
        providers: RANK_PROVIDERS,
      },
      site,
      config.sites[0]!.rankings,
    );
    expect(outcomes.map((o) => [o.provider, o.requests, o.failed])).toEqual([
      ['dataforseo', 40, 1],
      ['gsc', 1, 0],
    ]);
    const stored = await sql.all<{
      keyword_id: number;
      day: string;
      source: string;
      state: string;
      position: number | null;
      url: string | null;
      error: string | null;
    }>(`SELECT keyword_id, day, source, state, position, url, error FROM rank_observations`);
    const failing = world.failures.find((f) => f.day === TODAY)!.keyword;
    for (const k of await listKeywords(sql, site.id)) {
      const seen = stored.find((o) => o.keyword_id === k.id && o.source === 'dataforseo' && o.day === TODAY)!;
      if (k.query === failing.query && k.engine === failing.engine && k.device === failing.device) {
        expect(seen).toMatchObject({ state: 'failed', position: null });
        expect(seen.error).toMatch(/DataForSEO .* answered HTTP 500: status 50000/);
        continue;
      }
      const p = world.position(k, TODAY);
      expect([k.query, seen.state, seen.position]).toEqual([
        k.query,
        p === null ? 'not-in-top' : 'ranked',
        p,
      ]);
    }
    // Search Console: averages for the days it has, two days behind, close to the result pages.
    const gsc = stored.filter((o) => o.source === 'gsc');
    expect([...new Set(gsc.map((o) => o.day))].sort()).toEqual([addDays(TODAY, -3), addDays(TODAY, -2)]);
    for (const o of gsc) {
      const k = (await listKeywords(sql, site.id)).find((x) => x.id === o.keyword_id)!;
      expect(k.engine).toBe('google');
      expect(Math.abs(o.position! - world.position(k, o.day)!)).toBeLessThanOrEqual(0.81);
    }
  });
});
