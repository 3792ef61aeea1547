// The Rankings reads the dashboard shows: competitors on the latest result pages, Search Console clicks per
// day (all, or a tag's queries), and a keyword's latest stored top 10.
import { afterAll, describe, expect, it } from 'vitest';
import { competitorStats } from '../../src/rank/competitors.ts';
import { latestResultPages, searchClicksPerDay } from '../../src/rank/queries.ts';
import { insertKeywords, saveQueryStats, saveSerpPage } from '../../src/rank/store.ts';
import { BACKENDS, stopPgServer } from '../pg/backends.ts';
import { addSite } from './store-setup.ts';

const google = { engine: 'google', device: 'desktop', gl: 'ru', hl: 'ru' } as const;

afterAll(stopPgServer);

describe.each(BACKENDS)('Rankings reads on $name', (backend) => {
  async function setup() {
    const { sql: db } = await backend.open();
    const clock = { now: () => new Date('2026-11-27T06:00:00Z') };
    const site = await addSite(db, 'studio');
    const [sofa, table, chairs] = await insertKeywords(
      db,
      site.id,
      [
        { ...google, query: 'Диван', tags: ['sofas'] },
        { ...google, query: 'стол' },
        { query: 'стулья', engine: 'yandex', device: 'desktop', lr: 213 },
      ],
      clock.now(),
    );
    const page = (keywordId: number, day: string, urls: string[]) =>
      saveSerpPage(
        db,
        keywordId,
        day,
        'serpapi',
        { items: urls.map((url, i) => ({ position: i + 1, url, title: `r${i + 1}` })), depth: 100 },
        clock.now(),
      );
    // The sofa keyword's older page had the rival first; its latest page up to "today" has us first.
    await page(sofa!, '2026-11-20', ['https://rival.example/', 'https://studio.example/sofas']);
    await page(sofa!, '2026-11-26', [
      'https://studio.example/sofas',
      'https://shop.rival.example/',
      'https://x.example/',
    ]);
    // A page after "today" is not read.
    await page(sofa!, '2026-11-28', ['https://rival.example/']);
    await page(table!, '2026-11-26', [
      'https://rival.example/t',
      'https://x.example/',
      'https://studio.example/tables',
    ]);
    await page(chairs!, '2026-11-26', ['https://rival.example/c']);
    return { db, site, sofa: sofa!, table: table! };
  }

  describe('Rankings reads', () => {
    it('competitorStats() counts a rival (and its subdomains) on the latest page up to today, with averages on common keywords', async () => {
      const { db, site } = await setup();
      expect(
        await competitorStats(db, site.id, 'studio.example', '2026-11-27', ['rival.example', 'none.example']),
      ).toEqual([
        { domain: 'rival.example', top10: 3, common: 2, avgPosition: 1.5, siteAvgPosition: 2 },
        { domain: 'none.example', top10: 0, common: 0, avgPosition: null, siteAvgPosition: null },
      ]);
      // Within an engine and a tag.
      expect(
        await competitorStats(db, site.id, 'studio.example', '2026-11-27', ['rival.example'], {
          engine: 'google',
          tag: 'sofas',
        }),
      ).toEqual([{ domain: 'rival.example', top10: 1, common: 1, avgPosition: 2, siteAvgPosition: 1 }]);
    });

    it('latestResultPages() gives the latest day up to today with its top 10 in order', async () => {
      const { db, sofa } = await setup();
      const pages = await latestResultPages(db, sofa, '2026-11-27');
      expect(pages.map((p) => [p.day, p.source])).toEqual([['2026-11-26', 'serpapi']]);
      expect(pages[0]!.results.map((r) => [r.position, r.domain])).toEqual([
        [1, 'studio.example'],
        [2, 'shop.rival.example'],
        [3, 'x.example'],
      ]);
    });

    it('searchClicksPerDay() gives clicks per label (null on days without statistics), a tag counts its queries only', async () => {
      const { db, site } = await setup();
      const stat = (day: string, query: string, clicks: number) => ({
        day,
        query,
        page: '',
        device: 'DESKTOP',
        country: 'rus',
        clicks,
        impressions: clicks * 10,
        position: 3,
      });
      await saveQueryStats(db, site.id, 'gsc', '2026-11-25', '2026-11-26', [
        stat('2026-11-25', 'диван', 4),
        stat('2026-11-25', 'стол', 3),
        stat('2026-11-26', 'стол', 2),
      ]);
      const labels = ['2026-11-24', '2026-11-25', '2026-11-26'];
      expect(await searchClicksPerDay(db, site.id, labels)).toEqual([null, 7, 2]);
      expect(await searchClicksPerDay(db, site.id, labels, { tag: 'sofas' })).toEqual([null, 4, 0]);
      expect(await searchClicksPerDay(db, site.id, labels, { engine: 'yandex' })).toBeNull();
      expect(await searchClicksPerDay(db, site.id, ['2026-10-01'])).toBeNull();
    });
  });
});
