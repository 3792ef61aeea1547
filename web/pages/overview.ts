// Overview page: is each site up and fast, what ran, and the dated events drawn on every chart.
import { Hono } from 'hono';
import { html } from 'hono/html';
import { addEvent, listEvents } from '../../src/db/events.ts';
import { listRuns } from '../../src/db/job-runs.ts';
import { latestChecks } from '../../src/uptime/checks.ts';
import { addDays, dayIn } from '../../src/util/days.ts';
import { csrfField, emptyState, fmtTime, layout, siteHref } from '../layout.ts';
import type { Env } from '../types.ts';

function chart(name: string, title: string, src: string) {
  return html`<figure class="chart"><figcaption>${title}</figcaption><canvas data-chart="${name}" data-src="${src}" role="img" aria-label="${title}"></canvas></figure>`;
}

export const overviewPage = new Hono<Env>()
  .get('/', (c) => {
    const { db, now } = c.get('deps');
    const site = c.get('site');
    if (!site)
      return layout(
        c,
        'Overview',
        emptyState('No site is configured yet.', 'Add one under "sites" in promowatch.config.json.'),
      );
    const checks = latestChecks(db, site.id);
    const up = checks.filter((x) => x.ok).length;
    const today = dayIn(now(), site.timeZone);
    const events = listEvents(db, site.id, addDays(today, -90), addDays(today, 365));
    const lastFailure = listRuns(db, { siteId: site.id, limit: 200 }).find((r) => r.status === 'failed');
    const api = `/api/overview?site=${encodeURIComponent(site.name)}`;
    return layout(
      c,
      'Overview',
      html`
<section class="cards">
  <div class="card"><span class="label">Pages answering now</span><span class="value">${checks.length ? `${up} / ${checks.length}` : '—'}</span></div>
  <div class="card"><span class="label">Last check</span><span class="value">${fmtTime(checks[0]?.checkedAt ?? null, site.timeZone)}</span></div>
  <div class="card"><span class="label">Last failed job</span><span class="value">${lastFailure ? html`<a href="${siteHref(c, '/jobs')}">${lastFailure.job}, ${fmtTime(lastFailure.startedAt, site.timeZone)}</a>` : 'none'}</span></div>
</section>
${
  checks.length === 0
    ? emptyState(
        'No uptime checks yet.',
        'The uptime job fills these charts; run it now with: promowatch run uptime --site ' + site.name,
      )
    : html`<section class="charts">
  ${chart('responseTime', 'Response time per day', api)}
  ${chart('uptime', 'Uptime per day', api)}
  ${chart('jobRuns', 'Job runs per day', api)}
</section>
<section>
<h2>Latest check</h2>
<table><thead><tr><th>Page</th><th>Status</th><th>First byte</th><th>Total</th><th>Problem</th></tr></thead><tbody>
${checks.map(
  (x) =>
    html`<tr class="${x.ok ? '' : 'bad'}"><td>${x.url}</td><td>${x.status ?? '—'}</td><td>${x.ttfbMs === null ? '—' : `${Math.round(x.ttfbMs)} ms`}</td><td>${x.totalMs === null ? '—' : `${Math.round(x.totalMs)} ms`}</td><td>${x.error ?? ''}</td></tr>`,
)}
</tbody></table>
</section>`
}
<section>
<h2>Events</h2>
<p class="hint">Dated notes drawn as lines on every chart: a relaunch, a press release, a price change.</p>
<ul class="events">${events.map((e) => html`<li><time>${e.day}</time> ${e.title}${e.siteId === null ? html` <small>(all sites)</small>` : ''}</li>`)}</ul>
<form method="post" action="/events" class="inline">
  ${csrfField(c)}
  <input type="hidden" name="site" value="${site.name}">
  <label>Day <input type="date" name="day" required value="${today}"></label>
  <label>What happened <input type="text" name="title" required maxlength="200"></label>
  <button type="submit">Add event</button>
</form>
</section>`,
    );
  })
  .post('/events', async (c) => {
    const { db, now } = c.get('deps');
    const body = await c.req.parseBody();
    const site = c.get('sites').find((s) => s.name === body.site);
    if (!site) return c.text(`Unknown site "${String(body.site)}"`, 400);
    try {
      addEvent(db, { siteId: site.id, day: String(body.day ?? ''), title: String(body.title ?? '') }, now());
    } catch (err) {
      return c.text((err as Error).message, 400);
    }
    return c.redirect(`/?site=${encodeURIComponent(site.name)}`, 303);
  });
