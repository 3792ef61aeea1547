// GET /api/backlinks/trend: links by state per day and money wasted per day, for the Backlinks charts.
// Datasets carry a stable `key` (the state, for its colour) and a `label` in the reader's language.
import { Hono } from 'hono';
import { siteMoney } from '../../src/backlinks/site-money.ts';
import { listEvents } from '../../src/db/events.ts';
import type { Env } from '../types.ts';

export const backlinksApi = new Hono<Env>().get('/trend', async (c) => {
  const { sql, now } = c.get('deps');
  const site = c.get('site');
  const t = c.get('t');
  const b = t.backlinks;
  if (!site) return c.json({ error: t.common.noSite }, 404);
  const { report } = await siteMoney(sql, site.id, site.timeZone, now());
  const labels = report.daily.map((d) => d.day);
  const currency =
    Object.entries(report.totals).sort((a, b) => b[1].paidMicros - a[1].paidMicros)[0]?.[0] ?? '—';
  return c.json({
    labels,
    currency,
    events: labels.length
      ? (await listEvents(c.get('deps').sql, site.id, labels[0]!, labels[labels.length - 1]!)).map((e) => ({
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
