// One site's backlink money as the Backlinks page and its charts read it: the links not archived, the money
// report over a window, the dead links still costing money and the vendor table.
import type { Sql } from '../db/store/types.ts';
import { addDays, dayIn } from '../util/days.ts';
import { deadLinks, moneyReport, vendorTable } from './money.ts';
import { listBacklinks, statusEvents } from './store.ts';

export async function siteMoney(sql: Sql, siteId: number, timeZone: string, now: Date, days = 60) {
  const today = dayIn(now, timeZone);
  // Archived links still count in what was spent and in their vendor's record (the money functions know
  // them by archivedAt); the page's lists and counts see only the links not archived.
  const all = await listBacklinks(sql, siteId, { archived: 'with' });
  const links = all.filter((l) => !l.archivedAt);
  const events = (await statusEvents(sql, siteId)).map((e) => ({
    backlinkId: e.backlinkId,
    at: e.at,
    to: e.to,
  }));
  const dayOf = (iso: string) => dayIn(new Date(iso), timeZone);
  return {
    today,
    links,
    report: moneyReport(all, events, today, addDays(today, -days + 1)),
    /** The money as it was paid: lost and devalued links with their prices, and the vendor table. */
    dead: deadLinks(all, today, dayOf),
    vendors: vendorTable(all, today, dayOf),
  };
}
