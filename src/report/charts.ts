// The weekly report's charts (visibility, ad spend per currency, site health), drawn with svg-chart.ts.
// Titles, legends, day labels and axis ticks are in the report's language.
import { barChart, chartLocale, lineChart, SERIES_COLOURS } from './svg-chart.ts';
import type { ChartImage, ReportData } from './types.ts';
import { curve, wording } from './wording.ts';

/** The visibility line's colour (the PDF test looks for it) and the health trend's. */
export const VISIBILITY_COLOUR = SERIES_COLOURS[0];
export const HEALTH_COLOUR = SERIES_COLOURS[2];

function weekDays(from: string, to: string): string[] {
  const days: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000)
    days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}

/**
 * The report's charts, only for the sections that have something to draw: "visibility", ad spend
 * ("ads-spend", or "ads-spend-<currency>" each when the week had several currencies), "health".
 */
export function reportCharts(data: ReportData): ChartImage[] {
  const w = wording(data);
  const t = w.t.charts;
  const locale = chartLocale(w.fmt);
  const charts: ChartImage[] = [];
  const v = data.visibility;
  if (v && v.series.some((p) => p.index !== null)) {
    charts.push(
      lineChart({
        id: 'visibility',
        title: t.visibilityTitle,
        labels: v.series.map((p) => p.day),
        series: [
          {
            label: t.visibilitySeries(curve(w, v.curve)),
            values: v.series.map((p) => p.index),
            colour: VISIBILITY_COLOUR,
          },
        ],
        events: data.events,
        yTitle: t.visibilityAxis,
        yMin: 0,
        locale,
      }),
    );
  }
  const a = data.ads;
  if (a && a.daily.length > 0) {
    const days = weekDays(data.week.from, data.week.to);
    const currencies = [...new Set(a.daily.map((d) => d.currency))].sort();
    // One chart per currency, each with its own axis: amounts in different currencies are never added
    // together, and on a shared axis 60 USD would be an invisible sliver next to 6,500 RUB.
    const ids = new Set<string>();
    currencies.forEach((cur, i) => {
      let id =
        currencies.length === 1 ? 'ads-spend' : `ads-spend-${cur.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
      if (ids.has(id) || id.endsWith('-')) id = `ads-spend-${i + 1}`;
      ids.add(id);
      const values = days.map((day) => {
        const rows = a.daily.filter((d) => d.day === day && d.currency === cur);
        return rows.length ? rows.reduce((sum, d) => sum + d.micros, 0) / 1e6 : null;
      });
      charts.push(
        barChart({
          id,
          title: t.spendTitle(cur),
          labels: days,
          series: [{ label: t.spendSeries(cur), values, colour: SERIES_COLOURS[1] }],
          events: data.events,
          yTitle: cur,
          locale,
        }),
      );
    });
  }
  const h = data.health;
  if (h && h.trend.length > 0) {
    charts.push(
      lineChart({
        id: 'health',
        title: t.healthTitle,
        labels: h.trend.map((p) => p.day),
        series: [{ label: t.healthSeries, values: h.trend.map((p) => p.score), colour: HEALTH_COLOUR }],
        events: data.events,
        yTitle: t.healthAxis,
        yMin: 0,
        yMax: 100,
        locale,
      }),
    );
  }
  return charts;
}
