// The rankings store on both storage backends: what each query writes and reads back is the same on
// SQLite and on PostgreSQL.
import { afterAll, describe, expect, it } from 'vitest';
import { keywordTable } from '../../src/rank/keyword-table.ts';
import {
  addCompetitor,
  countRequest,
  deleteCompetitor,
  deleteKeyword,
  getKeyword,
  insertKeywords,
  lastPull,
  listCompetitors,
  listKeywords,
  markPulled,
  observationWriter,
  providerUsage,
  saveQueryStats,
  saveSerpPage,
  setKeywordTags,
  siteTags,
} from '../../src/rank/store.ts';
import { rebuildRankSummary } from '../../src/rank/summary.ts';
import { BACKENDS, stopPgServer } from '../pg/backends.ts';
import { addSite } from './store-setup.ts';

afterAll(stopPgServer);

const NOW = new Date('2026-11-27T06:00:00Z');
const google = { engine: 'google', device: 'desktop', gl: 'ru', hl: 'ru' } as const;

describe.each(BACKENDS)('rankings store on $name', (backend) => {
  async function setup() {
    const { sql } = await backend.open();
    const site = await addSite(sql, 'studio');
    const other = await addSite(sql, 'bakery');
    return { sql, site, other };
  }

  it('addCompetitor() stores a normalised domain once per site, keeps its name unless a new one is given', async () => {
    const { sql, site, other } = await setup();
    const id = await addCompetitor(sql, site.id, 'https://www.Rival.example/prices', 'Rival', NOW);
    expect(await addCompetitor(sql, site.id, 'rival.example', null, NOW)).toBe(id);
    await addCompetitor(sql, site.id, 'another.example', null, NOW);
    await addCompetitor(sql, other.id, 'rival.example', 'Not ours', NOW);
    expect(await listCompetitors(sql, site.id)).toEqual([
      { id: expect.any(Number), domain: 'another.example', name: null },
      { id, domain: 'rival.example', name: 'Rival' },
    ]);
    expect(await addCompetitor(sql, site.id, 'rival.example', 'Rival Ltd', NOW)).toBe(id);
    expect((await listCompetitors(sql, site.id)).find((c) => c.id === id)?.name).toBe('Rival Ltd');
  });

  it('deleteCompetitor() removes only the site’s own competitor and says whether it did', async () => {
    const { sql, site, other } = await setup();
    const id = await addCompetitor(sql, site.id, 'rival.example', null, NOW);
    expect(await deleteCompetitor(sql, other.id, id)).toBe(false);
    expect(await deleteCompetitor(sql, site.id, id)).toBe(true);
    expect(await deleteCompetitor(sql, site.id, id)).toBe(false);
    expect(await listCompetitors(sql, site.id)).toEqual([]);
  });

  it('insertKeywords() and listKeywords() keep tags, order by query and filter by engine and tag', async () => {
    const { sql, site, other } = await setup();
    const [sofa, table] = await insertKeywords(
      sql,
      site.id,
      [
        { ...google, query: 'Диван "угловой" 🛋', volume: 1000, tags: ['sofas', 'sofas', 'big'] },
        { query: 'Стол', engine: 'yandex', device: 'desktop', lr: 213 },
      ],
      NOW,
    );
    await insertKeywords(sql, other.id, [{ ...google, query: 'торт' }], NOW);
    expect((await listKeywords(sql, site.id)).map((k) => [k.id, k.query, k.region, k.tags])).toEqual([
      [sofa, 'Диван "угловой" 🛋', 'gl=ru;hl=ru', ['sofas', 'big']],
      [table, 'Стол', 'lr=213', []],
    ]);
    expect((await listKeywords(sql, site.id, { engine: 'yandex' })).map((k) => k.id)).toEqual([table]);
    expect((await listKeywords(sql, site.id, { tag: 'big' })).map((k) => k.id)).toEqual([sofa]);
    expect(await getKeyword(sql, sofa!)).toMatchObject({ siteId: site.id, volume: 1000, targetUrl: null });
    expect(await getKeyword(sql, 999_999)).toBeUndefined();
    expect(await siteTags(sql, site.id)).toEqual(['big', 'sofas']);
    // A duplicate of a stored keyword aborts the whole batch.
    await expect(
      insertKeywords(
        sql,
        site.id,
        [
          { ...google, query: 'new' },
          { ...google, query: 'Диван "угловой" 🛋' },
        ],
        NOW,
      ),
    ).rejects.toMatchObject({ violation: 'unique' });
    expect(await listKeywords(sql, site.id)).toHaveLength(2);
    expect(await setKeywordTags(sql, site.id, table!, [' kitchen ', 'kitchen', ''])).toBe(true);
    expect(await setKeywordTags(sql, other.id, table!, ['x'])).toBe(false);
    expect(await siteTags(sql, site.id)).toEqual(['big', 'kitchen', 'sofas']);
    expect(await deleteKeyword(sql, other.id, table!)).toBe(false);
    expect(await deleteKeyword(sql, site.id, table!)).toBe(true);
    expect(await siteTags(sql, site.id)).toEqual(['big', 'sofas']);
  });

  it('observations: a failure never overwrites a reading of the same source and day; the best source wins the day', async () => {
    const { sql, site } = await setup();
    const [a, b] = await insertKeywords(
      sql,
      site.id,
      [
        { ...google, query: 'a', volume: 100, tags: ['t'] },
        { ...google, query: 'b', volume: 50 },
      ],
      NOW,
    );
    const write = observationWriter(sql, null, NOW);
    const seen = { url: null, depth: 100, error: null } as const;
    await write({
      ...seen,
      keywordId: a!,
      day: '2026-11-19',
      source: 'serpapi',
      state: 'ranked',
      position: 9,
      url: 'https://studio.example/a',
    });
    await write({
      ...seen,
      keywordId: a!,
      day: '2026-11-26',
      source: 'serpapi',
      state: 'ranked',
      position: 2,
      url: 'https://studio.example/a',
    });
    await write({
      ...seen,
      keywordId: a!,
      day: '2026-11-26',
      source: 'serpapi',
      state: 'failed',
      position: null,
      depth: null,
      error: 'timeout',
    });
    await write({
      ...seen,
      keywordId: a!,
      day: '2026-11-26',
      source: 'gsc',
      state: 'ranked',
      position: 4.5,
      depth: null,
    });
    await write({
      ...seen,
      keywordId: b!,
      day: '2026-11-26',
      source: 'gsc',
      state: 'ranked',
      position: 2.5,
      depth: null,
    });
    await write({
      ...seen,
      keywordId: b!,
      day: '2026-11-25',
      source: 'serpapi',
      state: 'not-in-top',
      position: null,
    });
    await rebuildRankSummary(sql, site.id);
    const rows = await keywordTable(sql, site.id, '2026-11-26');
    const [ra, rb] = rows;
    expect(ra!.current).toMatchObject({ day: '2026-11-26', position: 2, source: 'serpapi' });
    expect(ra!.change7).toBe(7);
    expect(ra!.best).toEqual({ position: 2, day: '2026-11-26', averaged: false });
    expect(ra!.spark.at(-1)).toBe(2);
    expect(rb!.current).toMatchObject({ day: '2026-11-26', position: 2.5, source: 'gsc' });
    expect(rb!.best).toEqual({ position: 2.5, day: '2026-11-26', averaged: true });
    // The daily histogram: 2.5 rounds half up to 3 on both databases, as it did in SQLite's round().
    const day = await sql.get<{ keywords: string; volume: string }>(
      "SELECT keywords, volume FROM rank_daily WHERE site_id = ? AND tag = '' AND day = '2026-11-26'",
      [site.id],
    );
    const keywords = JSON.parse(day!.keywords) as number[];
    expect([keywords[2], keywords[3]]).toEqual([1, 1]);
    expect((JSON.parse(day!.volume) as number[])[3]).toBe(50);
    const tagged = await sql.get<{ keywords: string }>(
      "SELECT keywords FROM rank_daily WHERE site_id = ? AND tag = 't' AND day = '2026-11-19'",
      [site.id],
    );
    expect((JSON.parse(tagged!.keywords) as number[])[9]).toBe(1);
    const notInTop = await sql.get<{ keywords: string }>(
      "SELECT keywords FROM rank_daily WHERE site_id = ? AND tag = '' AND day = '2026-11-25'",
      [site.id],
    );
    expect((JSON.parse(notInTop!.keywords) as number[])[0]).toBe(1);
  });

  it('saveSerpPage() replaces the page of a keyword, day and source; saveQueryStats() replaces its days', async () => {
    const { sql, site } = await setup();
    const [k] = await insertKeywords(sql, site.id, [{ ...google, query: 'a' }], NOW);
    const items = (urls: string[]) => urls.map((url, i) => ({ position: i + 1, url, title: null }));
    await saveSerpPage(
      sql,
      k!,
      '2026-11-26',
      'serpapi',
      { items: items(['https://x.example/']), depth: 100, raw: 'page' },
      NOW,
    );
    const second = await saveSerpPage(
      sql,
      k!,
      '2026-11-26',
      'serpapi',
      {
        items: [
          ...items(['https://www.Blog.Rival.co.uk/p', 'https://studio.example/']),
          { position: 2, url: 'https://dup.example/', title: 'a second 2' },
        ],
        depth: 100,
      },
      NOW,
    );
    // (SQLite may give the new page the old one's id; only the new page's results are left either way.)
    expect(await sql.all('SELECT id FROM serp_pages')).toEqual([{ id: second }]);
    expect(
      await sql.all('SELECT page_id, position, domain, root FROM serp_results ORDER BY page_id, position'),
    ).toEqual([
      { page_id: second, position: 1, domain: 'blog.rival.co.uk', root: 'rival.co.uk' },
      { page_id: second, position: 2, domain: 'studio.example', root: 'studio.example' },
    ]);
    const stat = (day: string, query: string, clicks: number) => ({
      day,
      query,
      page: '',
      device: '',
      country: '',
      clicks,
      impressions: 10,
      position: 3.5,
    });
    await saveQueryStats(sql, site.id, 'gsc', '2026-11-24', '2026-11-25', [
      stat('2026-11-24', 'a', 1),
      stat('2026-11-25', 'a', 2),
    ]);
    expect(
      await saveQueryStats(sql, site.id, 'gsc', '2026-11-25', '2026-11-26', [
        stat('2026-11-25', 'b', 5),
        stat('2026-11-26', 'a', 3),
        stat('2026-11-26', 'a', 4),
      ]),
    ).toBe(3);
    expect(
      await sql.all('SELECT day, query, clicks, position FROM search_stats ORDER BY day, query'),
    ).toEqual([
      { day: '2026-11-24', query: 'a', clicks: 1, position: 3.5 },
      { day: '2026-11-25', query: 'b', clicks: 5, position: 3.5 },
      { day: '2026-11-26', query: 'a', clicks: 4, position: 3.5 },
    ]);
  });

  it('counts provider requests per day and calendar month, and keeps each pull time', async () => {
    const { sql, site } = await setup();
    await countRequest(sql, 'serpapi', '2026-10-31', 7);
    await countRequest(sql, 'serpapi', '2026-11-01');
    await countRequest(sql, 'serpapi', '2026-11-26', 2);
    await countRequest(sql, 'serpapi', '2026-11-26');
    await countRequest(sql, 'dataforseo', '2026-11-26', 40);
    expect(await providerUsage(sql, 'serpapi', '2026-11-26')).toEqual({ day: 3, month: 4 });
    expect(await providerUsage(sql, 'serpapi', '2026-12-01')).toEqual({ day: 0, month: 0 });
    expect(await lastPull(sql, site.id, 'gsc')).toBeNull();
    await markPulled(sql, site.id, 'gsc', NOW);
    await markPulled(sql, site.id, 'gsc', new Date('2026-11-28T00:00:00Z'));
    expect(await lastPull(sql, site.id, 'gsc')).toEqual(new Date('2026-11-28T00:00:00Z'));
  });
});
