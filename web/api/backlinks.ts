// GET /api/backlinks/trend: links by state per day and money wasted per day, for the Backlinks charts.
// Datasets carry a stable `key` (the state, for its colour) and a `label` in the reader's language.
import { Hono } from 'hono';
import { deadLinks, moneyReport, vendorTable } from '../../src/backlinks/money.ts';
import { listBacklinks, statusEvents } from '../../src/backlinks/store.ts';
import { listEvents } from '../../src/db/events.ts';
import { addDays, dayIn } from '../../src/util/days.ts';
import type { Env } from '../types.ts';

export function siteMoney(
  db: Parameters<typeof listBacklinks>[0],
  siteId: number,
  timeZone: string,
  now: Date,
  days = 60,
) {
  const today = dayIn(now, timeZone);
  // Archived links still count in what was spent and in their vendor's record (the money functions know
  // them by archivedAt); the page's lists and counts see only the links not archived.
  const all = listBacklinks(db, siteId, { archived: 'with' });
  const links = all.filter((l) => !l.archivedAt);
  const events = statusEvents(db, siteId).map((e) => ({ backlinkId: e.backlinkId, at: e.at, to: e.to }));
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

export const backlinksApi = new Hono<Env>().get('/trend', (c) => {
  const { db, now } = c.get('deps');
  const site = c.get('site');
  const t = c.get('t');
  const b = t.backlinks;
  if (!site) return c.json({ error: t.common.noSite }, 404);
  const { report } = siteMoney(db, site.id, site.timeZone, now());
  const labels = report.daily.map((d) => d.day);
  const currency =
    Object.entries(report.totals).sort((a, b) => b[1].paidMicros - a[1].paidMicros)[0]?.[0] ?? '—';
  return c.json({
    labels,
    currency,
    events: labels.length
      ? listEvents(db, site.id, labels[0]!, labels[labels.length - 1]!).map((e) => ({
          day: e.day,
          title: e.title,
        }))
      : [],
    charts: {
      links: {
        type: 'bar',
        stacked: true,
        yTitle: b.axis.links,
        datasets: (['live', 'devalued', 'lost'] as const).map((key) => ({
          key,
          label: b.states[key],
          data: report.daily.map((d) => d[key]),
        })),
      },
      wasted: {
        type: 'line',
        // Drawn and told as money in `currency`, like the page's cards (web/public/app.js).
        format: 'money',
        yTitle: b.axis.perDay(currency),
        datasets: [
          {
            key: 'wasted',
            label: b.axis.wasted(currency),
            data: report.daily.map((d) => Math.round((d.wastedMicros[currency] ?? 0) / 10_000) / 100),
          },
        ],
      },
    },
  });
});
