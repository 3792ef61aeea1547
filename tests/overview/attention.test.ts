// The Overview's own query, on both backends: which rank providers failed at their latest look.
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Sql } from '../../src/db/store/types.ts';
import { failingProviders } from '../../src/overview/attention.ts';
import { BACKENDS, stopPgServer } from '../pg/backends.ts';

afterAll(stopPgServer);

const TODAY = '2026-11-27';
const NOW = '2026-11-27T09:00:00.000Z';

async function addSite(sql: Sql, name: string): Promise<number> {
  return (await sql.get<{ id: number }>(
    `INSERT INTO sites (name, base_url, time_zone, created_at) VALUES (?, ?, 'Europe/Moscow', ?) RETURNING id`,
    [name, `https://${name}.example/`, NOW],
  ))!.id;
}

async function addKeyword(sql: Sql, siteId: number, query: string): Promise<number> {
  return (await sql.get<{ id: number }>(
    `INSERT INTO keywords (site_id, query, engine, device, region, created_at)
     VALUES (?, ?, 'google', 'desktop', 'gl=ru;hl=ru', ?) RETURNING id`,
    [siteId, query, NOW],
  ))!.id;
}

async function observe(
  sql: Sql,
  keywordId: number,
  day: string,
  source: string,
  failure: { kind: string | null; error: string } | null,
): Promise<void> {
  await sql.run(
    `INSERT INTO rank_observations (keyword_id, day, source, priority, state, position, error, error_kind)
     VALUES (?, ?, ?, 1, ?, ?, ?, ?)`,
    [
      keywordId,
      day,
      source,
      failure ? 'failed' : 'ranked',
      failure ? null : 4,
      failure?.error ?? null,
      failure?.kind ?? null,
    ],
  );
}

describe.each(BACKENDS)('failingProviders() on $name', (backend) => {
  let sql: Sql;
  beforeEach(async () => {
    sql = (await backend.open()).sql;
  });
  afterEach(async () => {
    await sql.close();
  });

  it("lists the providers whose latest look failed, counting the site's keywords, and forgets old failures", async () => {
    const studio = await addSite(sql, 'studio');
    const bakery = await addSite(sql, 'bakery');
    const [video, motion, design] = [
      await addKeyword(sql, studio, 'видеопродакшн'),
      await addKeyword(sql, studio, 'motion design'),
      await addKeyword(sql, studio, 'дизайн студия'),
    ];
    const bread = await addKeyword(sql, bakery, 'хлеб');
    const quota = { kind: 'quota', error: 'Payment required: balance is 0' };
    // dataforseo: worked yesterday, failed today on two keywords.
    await observe(sql, video!, '2026-11-26', 'dataforseo', null);
    await observe(sql, video!, TODAY, 'dataforseo', quota);
    await observe(sql, motion!, TODAY, 'dataforseo', quota);
    await observe(sql, design!, TODAY, 'dataforseo', null);
    // The other site's failure is not this site's.
    await observe(sql, bread, TODAY, 'dataforseo', quota);
    // serp-browser: failed yesterday (its latest look, no kind known).
    await observe(sql, design!, '2026-11-26', 'serp-browser', { kind: null, error: 'captcha' });
    // yandex-xml: failed on the 25th but works now — not news.
    await observe(sql, video!, '2026-11-25', 'yandex-xml', { kind: 'auth', error: 'bad key' });
    await observe(sql, video!, TODAY, 'yandex-xml', null);
    // serpapi: failed three days ago and has not looked since — too old for this morning.
    await observe(sql, motion!, '2026-11-24', 'serpapi', { kind: 'network', error: 'timeout' });

    expect(await failingProviders(sql, studio, TODAY)).toEqual([
      { source: 'dataforseo', day: TODAY, keywords: 2, kind: 'quota', error: quota.error },
      { source: 'serp-browser', day: '2026-11-26', keywords: 1, kind: null, error: 'captcha' },
    ]);
    expect(await failingProviders(sql, bakery, TODAY)).toEqual([
      { source: 'dataforseo', day: TODAY, keywords: 1, kind: 'quota', error: quota.error },
    ]);
  });
});
