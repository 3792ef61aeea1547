// Uptime page: is each page of the site up and fast, what ran, and the dated events drawn on every chart
// (moved here from the Overview, which now tells what needs attention and links here for uptime).
import { Hono } from 'hono';
import { html } from 'hono/html';
import { addEvent, listEvents } from '../../src/db/events.ts';
import { listRuns } from '../../src/db/job-runs.ts';
import { latestChecks } from '../../src/uptime/checks.ts';
import { addDays, dayIn } from '../../src/util/days.ts';
import { csrfField, emptyState, layout, readOnlyNote, siteHref } from '../layout.ts';
import { mayWrite } from '../access.ts';
import { jobName } from './jobs.ts';
import type { Env } from '../types.ts';

function chart(name: string, title: string, src: string) {
  return html`<figure class="chart"><figcaption>${title}</figcaption><canvas data-chart="${name}" data-src="${src}" role="img" aria-label="${title}"></canvas></figure>`;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export const uptimePage = new Hono<Env>()
  .get('/uptime', async (c) => {
    const { now } = c.get('deps');
    const site = c.get('site');
    const { common, overview: t, jobs } = c.get('t');
    const fmt = c.get('fmt');
    if (!site) return layout(c, t.uptimeTitle, emptyState(common.noSite, common.noSiteHint));
    const checks = await latestChecks(c.get('deps').sql, site.id);
    const up = checks.filter((x) => x.ok).length;
    const today = dayIn(now(), site.timeZone);
    const events = await listEvents(c.get('deps').sql, site.id, addDays(today, -90), addDays(today, 365));
    const lastFailure = (await listRuns(c.get('deps').sql, { siteId: site.id, limit: 200 })).find(
      (r) => r.status === 'failed',
    );
    const api = `/api/overview?site=${encodeURIComponent(site.name)}`;
    const ms = (x: number | null) => (x === null ? '—' : fmt.duration(Math.round(x)));
    return layout(
      c,
      t.uptimeTitle,
      html`
<section class="cards">
  <div class="card"><span class="label">${t.cards.pagesUp}</span><span class="value">${checks.length ? `${fmt.number(up)} / ${fmt.number(checks.length)}` : '—'}</span></div>
  <div class="card"><span class="label">${t.cards.lastCheck}</span><span class="value">${fmt.dateTime(checks[0]?.checkedAt ?? null)}</span></div>
  <div class="card"><span class="label">${t.cards.lastFailure}</span><span class="value">${lastFailure ? html`<a href="${siteHref(c, '/jobs')}">${jobName(jobs, lastFailure.job)}, ${fmt.dateTime(lastFailure.startedAt)}</a>` : common.none}</span></div>
</section>
${
  checks.length === 0
    ? emptyState(t.noChecks, t.noChecksHint(site.name))
    : html`<section class="charts">
  ${chart('responseTime', t.charts.responseTime, api)}
  ${chart('uptime', t.charts.uptime, api)}
  ${chart('jobRuns', t.charts.jobRuns, api)}
</section>
<section>
<h2>${t.latestCheck}</h2>
<table><thead><tr><th>${t.columns.page}</th><th>${t.columns.status}</th><th>${t.columns.firstByte}</th><th>${t.columns.total}</th><th>${t.columns.problem}</th></tr></thead><tbody>
${checks.map(
  (x) =>
    html`<tr class="${x.ok ? '' : 'bad'}"><td>${x.url}</td><td>${x.status ?? '—'}</td><td>${ms(x.ttfbMs)}</td><td>${ms(x.totalMs)}</td><td>${x.error ?? ''}</td></tr>`,
)}
</tbody></table>
</section>`
}
<section>
<h2>${t.events}</h2>
<p class="hint">${t.eventsHint}</p>
<ul class="events">${events.map((e) => html`<li><time datetime="${e.day}">${fmt.day(e.day)}</time> ${e.title}${e.siteId === null ? html` <small>(${common.allSites})</small>` : ''}</li>`)}</ul>
${
  mayWrite(c, site.id)
    ? html`<form method="post" action="/events" class="inline">
  ${csrfField(c)}
  <input type="hidden" name="site" value="${site.name}">
  <label>${t.eventDay} <input type="date" name="day" required value="${today}"></label>
  <label>${t.eventTitle} <input type="text" name="title" required maxlength="200"></label>
  <button type="submit">${t.addEvent}</button>
</form>`
    : readOnlyNote(c)
}
</section>`,
    );
  })
  .post('/events', async (c) => {
    const { now } = c.get('deps');
    const { common, overview: t } = c.get('t');
    const body = await c.req.parseBody();
    const site = c.get('sites').find((s) => s.name === body.site);
    if (!site) return c.text(common.errors.unknownSite(String(body.site)), 400);
    const day = String(body.day ?? '');
    const title = String(body.title ?? '').trim();
    // The same checks addEvent() makes, answered in the visitor's language; addEvent stays the guard.
    if (!DAY.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`)))
      return c.text(t.eventBadDay(day.slice(0, 40)), 400);
    if (title.length < 1 || title.length > 200) return c.text(t.eventBadTitle, 400);
    try {
      await addEvent(c.get('deps').sql, { siteId: site.id, day, title }, now());
    } catch (err) {
      return c.text((err as Error).message, 400);
    }
    return c.redirect(`/uptime?site=${encodeURIComponent(site.name)}`, 303);
  });
