// Visibility, share of voice and keyword moves read the same from SQLite and PostgreSQL.
import { afterAll, describe, expect, it } from 'vitest';
import { keywordMoves, lastPeriods } from '../../src/rank/movers.ts';
import { addCompetitor, insertKeywords, observationWriter, saveSerpPage } from '../../src/rank/store.ts';
import { rebuildRankSummary } from '../../src/rank/summary.ts';
import { CTR_CURVES, shareOfVoice, visibilitySeries } from '../../src/rank/visibility.ts';
import { BACKENDS, stopPgServer } from '../pg/backends.ts';
import { addSite } from './store-setup.ts';

afterAll(stopPgServer);

const NOW = new Date('2026-11-27T06:00:00Z');
const google = { engine: 'google', device: 'desktop', gl: 'ru', hl: 'ru' } as const;

describe.each(BACKENDS)('visibility and moves on $name', (backend) => {
  async function setup() {
    const { sql } = await backend.open();
    const site = await addSite(sql, 'studio');
    const [a, b] = await insertKeywords(
      sql,
      site.id,
      [
        { ...google, query: 'a', volume: 300, targetUrl: 'https://studio.example/a' },
        { ...google, query: 'b', volume: 100 },
      ],
      NOW,
    );
    const write = observationWriter(sql, null, NOW);
    const ranked = (
      keywordId: number,
      day: string,
      source: string,
      position: number,
      url: string | null = null,
    ) => write({ keywordId, day, source, state: 'ranked', position, url, depth: 100, error: null });
    // Keyword a: 12 at the end of last week, 2 now on the result pages (its average says 5: pages win).
    await ranked(a!, '2026-11-20', 'serpapi', 12, 'https://studio.example/a');
    await ranked(a!, '2026-11-27', 'serpapi', 2, 'https://studio.example/other');
    await ranked(a!, '2026-11-27', 'gsc', 5);
    // Keyword b: 1 then 4.
    await ranked(b!, '2026-11-19', 'serpapi', 1);
    await ranked(b!, '2026-11-26', 'serpapi', 4);
    await rebuildRankSummary(sql, site.id);
    return { sql, site, a: a!, b: b! };
  }

  it('visibilitySeries() weighs keywords by volume per day; a day without observations is unknown', async () => {
    const { sql, site } = await setup();
    const points = await visibilitySeries(sql, site.id, ['2026-11-26', '2026-11-27', '2026-11-28'], {
      curve: CTR_CURVES.sistrix,
    });
    expect(points.map((p) => [p.day, p.index, p.observed, p.top3, p.top10])).toEqual([
      ['2026-11-26', 8, 1, 0, 1],
      ['2026-11-27', 15.7, 1, 1, 0],
      ['2026-11-28', null, 0, 0, 0],
    ]);
  });

  it('keywordMoves() compares the ends of two periods by the best source, and flags a URL off target', async () => {
    const { sql, site, a, b } = await setup();
    const { now, prev } = lastPeriods('2026-11-27', 7);
    const { moves, mismatches } = await keywordMoves(sql, site.id, now, prev);
    expect(moves.map((m) => [m.keywordId, m.before, m.after, m.change])).toEqual([
      [a, 12, 2, 10],
      [b, 1, 4, -3],
    ]);
    expect(mismatches).toEqual([
      { query: 'a', url: 'https://studio.example/other', target: 'https://studio.example/a' },
    ]);
  });

  it('shareOfVoice() splits the CTR-weighted volume between the site and a rival, subdomains included', async () => {
    const { sql, site, a } = await setup();
    await addCompetitor(sql, site.id, 'rival.example', null, NOW);
    const items = [
      { position: 1, url: 'https://shop.rival.example/', title: null },
      { position: 2, url: 'https://studio.example/a', title: null },
    ];
    await saveSerpPage(sql, a, '2026-11-27', 'serpapi', { items, depth: 100 }, NOW);
    const sov = await shareOfVoice(
      sql,
      site.id,
      'studio.example',
      ['rival.example'],
      ['2026-11-26', '2026-11-27'],
      {
        curve: CTR_CURVES.seranking,
      },
    );
    expect(sov).toEqual([
      { domain: 'studio.example', share: [null, 50], visibility: [null, 100] },
      { domain: 'rival.example', share: [null, 50], visibility: [null, 100] },
    ]);
  });
});
