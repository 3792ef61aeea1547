// GET /api/backlinks/trend: links by state per day and money wasted per day, for the Backlinks charts.
import { Hono } from 'hono';
import { moneyReport } from '../../src/backlinks/money.ts';
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
  const links = listBacklinks(db, siteId);
  const events = statusEvents(db, siteId).map((e) => ({ backlinkId: e.backlinkId, at: e.at, to: e.to }));
  return { links, report: moneyReport(links, events, today, addDays(today, -days + 1)) };
}

export const backlinksApi = new Hono<Env>().get('/trend', (c) => {
  const { db, now } = c.get('deps');
  const site = c.get('site');
  if (!site) return c.json({ error: 'no site configured' }, 404);
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
        yTitle: 'links',
        datasets: [
          { label: 'live', data: report.daily.map((d) => d.live) },
          { label: 'devalued', data: report.daily.map((d) => d.devalued) },
          { label: 'lost', data: report.daily.map((d) => d.lost) },
        ],
      },
      wasted: {
        type: 'line',
        yTitle: `${currency} per day`,
        datasets: [
          {
            label: `Paid for lost or devalued links (${currency})`,
            data: report.daily.map((d) => Math.round((d.wastedMicros[currency] ?? 0) / 10_000) / 100),
          },
        ],
      },
    },
  });
});
