// Dated events drawn on the charts, on both backends: a site's own and those for every site, by day.
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addEvent, deleteEvent, listEvents } from '../../src/db/events.ts';
import type { Sql } from '../../src/db/store/types.ts';
import { BACKENDS, stopPgServer } from '../pg/backends.ts';

afterAll(stopPgServer);

const NOW = new Date('2026-11-27T09:00:00Z');

async function addSite(sql: Sql, name: string): Promise<number> {
  return (await sql.get<{ id: number }>(
    `INSERT INTO sites (name, base_url, time_zone, created_at) VALUES (?, ?, 'Europe/Moscow', ?) RETURNING id`,
    [name, `https://${name}.example/`, NOW.toISOString()],
  ))!.id;
}

describe.each(BACKENDS)('events on $name', (backend) => {
  let sql: Sql;
  beforeEach(async () => {
    sql = (await backend.open()).sql;
  });
  afterEach(async () => {
    await sql.close();
  });

  it("lists a site's events and those for every site within the days, by day then as added", async () => {
    const studio = await addSite(sql, 'studio');
    const bakery = await addSite(sql, 'bakery');
    const relaunch = await addEvent(
      sql,
      { siteId: studio, day: '2026-11-20', title: 'Перезапуск сайта' },
      NOW,
    );
    const update = await addEvent(sql, { siteId: null, day: '2026-11-12', title: '  Core update ' }, NOW);
    const bids = await addEvent(sql, { siteId: studio, day: '2026-11-20', title: 'Raised bids' }, NOW);
    await addEvent(sql, { siteId: bakery, day: '2026-11-15', title: 'Bakery opens' }, NOW);
    await addEvent(sql, { siteId: studio, day: '2026-10-31', title: 'Too early' }, NOW);
    expect(relaunch).toBeGreaterThan(0);
    expect(await listEvents(sql, studio, '2026-11-01', '2026-11-20')).toEqual([
      { id: update, siteId: null, day: '2026-11-12', title: 'Core update' },
      { id: relaunch, siteId: studio, day: '2026-11-20', title: 'Перезапуск сайта' },
      { id: bids, siteId: studio, day: '2026-11-20', title: 'Raised bids' },
    ]);
    // No site: only the events meant for every site.
    expect((await listEvents(sql, null, '2026-01-01', '2026-12-31')).map((e) => e.id)).toEqual([update]);
  });

  it('refuses a day that is not a date and an empty title, storing nothing', async () => {
    const studio = await addSite(sql, 'studio');
    await expect(addEvent(sql, { siteId: studio, day: '2026-02-30x', title: 'x' }, NOW)).rejects.toThrow(
      /Event day must be a date like 2026-11-27, got "2026-02-30x"/,
    );
    await expect(addEvent(sql, { siteId: studio, day: '2026-11-20', title: '   ' }, NOW)).rejects.toThrow(
      /1 to 200 characters/,
    );
    expect(await listEvents(sql, studio, '2000-01-01', '2100-01-01')).toEqual([]);
  });

  it("deletes a site's own event, but not one for every site nor another site's", async () => {
    const studio = await addSite(sql, 'studio');
    const bakery = await addSite(sql, 'bakery');
    const own = await addEvent(sql, { siteId: studio, day: '2026-11-20', title: 'Relaunch' }, NOW);
    const global = await addEvent(sql, { siteId: null, day: '2026-11-20', title: 'Core update' }, NOW);
    const other = await addEvent(sql, { siteId: bakery, day: '2026-11-20', title: 'Opens' }, NOW);
    expect(await deleteEvent(sql, studio, global)).toBe(false);
    expect(await deleteEvent(sql, studio, other)).toBe(false);
    expect(await deleteEvent(sql, studio, own)).toBe(true);
    expect(await deleteEvent(sql, studio, own)).toBe(false);
    expect((await listEvents(sql, studio, '2026-11-01', '2026-11-30')).map((e) => e.id)).toEqual([global]);
  });
});
