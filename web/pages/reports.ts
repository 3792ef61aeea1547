// Reports page: the site's archived weekly reports, each report's permalink, and its PDF.
import type { Context } from 'hono';
import { Hono } from 'hono';
import { html } from 'hono/html';
import { getReport, listReports, type ReportRow } from '../../src/report/store.ts';
import { emptyState, fmtTime, layout, siteHref } from '../layout.ts';
import type { Env } from '../types.ts';

/**
 * The report asked for, if it belongs to a configured site and, when the URL names a site, to that one.
 * Without ?site= any configured site's report is shown: the permalink mailed with a report
 * ("/reports/12") carries no site, and every site is open to whoever is logged in.
 */
function chosenReport(c: Context<Env>): ReportRow | null {
  const id = c.req.param('id') ?? '';
  if (!/^\d{1,15}$/.test(id)) return null;
  const report = getReport(c.get('deps').db, Number(id));
  if (!report || !c.get('sites').some((s) => s.id === report.siteId)) return null;
  if (c.req.query('site') !== undefined && c.get('site')?.id !== report.siteId) return null;
  return report;
}

const STYLE_ELEMENT = /<style\b([^>]*)>([\s\S]*?)<\/style\s*>/gi;

/**
 * The report is a standalone document styled by <style> elements. Our CSP (web/security.ts, set on
 * every answer) allows only same-origin stylesheets, so rather than weakening it for this page the
 * styles move to /reports/:id/report.css and the document links to it; the report then shows with the
 * same policy as every other page (no inline script or style can run, whatever a crawled title says).
 * The HTML is our renderer's, with every inserted value escaped, so a literal "<style" can only be one
 * of its own elements.
 */
export function splitStyles(doc: string, cssHref: string): { html: string; css: string } {
  const parts: string[] = [];
  let linked = false;
  const body = doc.replace(STYLE_ELEMENT, (_all, attrs: string, css: string) => {
    const media = /\bmedia\s*=\s*"([^"]*)"/i.exec(attrs)?.[1];
    parts.push(media ? `@media ${media} {\n${css}\n}` : css);
    if (linked) return '';
    linked = true;
    // Where the first <style> stood, so the cascade order stays as written.
    return `<link rel="stylesheet" href="${cssHref}">`;
  });
  return { html: body, css: parts.join('\n') };
}

const cssHref = (r: ReportRow) => `/reports/${r.id}/report.css`;

const notFound = (c: Context<Env>) => c.text('Not found', 404);

export const reportsPages = new Hono<Env>()
  .get('/reports', (c) => {
    const { db, config } = c.get('deps');
    const site = c.get('site');
    if (!site)
      return layout(
        c,
        'Reports',
        emptyState('No site is configured yet.', 'Add one under "sites" in promowatch.config.json.'),
      );
    const reports = listReports(db, site.id);
    if (reports.length === 0) {
      const schedule = config.jobs['weekly-report']?.schedule;
      const when = schedule ? `on its schedule (${schedule})` : 'every Monday at 08:00';
      return layout(
        c,
        'Reports',
        emptyState(
          'No reports yet',
          `The weekly-report job makes one ${when}, or run promowatch report --site ${site.name}`,
        ),
      );
    }
    return layout(
      c,
      'Reports',
      html`<section>
<table><thead><tr><th>Week</th><th>Subject</th><th>Created</th><th>Sent</th><th></th></tr></thead><tbody>
${reports.map(
  (r) => html`<tr class="${r.sentAt === null && r.sendError !== null ? 'bad' : ''}">
<td><strong>${r.week}</strong><br><small>${r.weekFrom} – ${r.weekTo}</small></td>
<td>${r.subject}</td>
<td>${fmtTime(r.createdAt, site.timeZone)}</td>
<td>${
    r.sentAt
      ? html`<span class="status ok">sent</span> ${fmtTime(r.sentAt, site.timeZone)}`
      : html`<span class="status${r.sendError ? ' failed' : ''}">not sent</span>`
  }${r.sendError ? html`<br><small class="error">${r.sendError}</small>` : ''}${
    r.attempts > 0 ? html`<br><small>${r.attempts} attempt${r.attempts === 1 ? '' : 's'}</small>` : ''
  }</td>
<td><a href="${siteHref(c, `/reports/${r.id}`)}">View</a>${
    r.hasPdf ? html` · <a href="${siteHref(c, `/reports/${r.id}/pdf`)}">PDF</a>` : ''
  }</td>
</tr>`,
)}
</tbody></table>
</section>`,
    );
  })
  .get('/reports/:id', (c) => {
    const report = chosenReport(c);
    if (!report) return notFound(c);
    return c.html(splitStyles(report.html, cssHref(report)).html);
  })
  .get('/reports/:id/report.css', (c) => {
    const report = chosenReport(c);
    if (!report) return notFound(c);
    return c.body(splitStyles(report.html, cssHref(report)).css, 200, {
      'Content-Type': 'text/css; charset=utf-8',
    });
  })
  .get('/reports/:id/pdf', (c) => {
    const report = chosenReport(c);
    if (!report?.pdf) return notFound(c);
    const site = c.get('sites').find((s) => s.id === report.siteId)!;
    // Site names are [a-z0-9-] and weeks "2026-W47" (both checked), so the file name needs no quoting.
    return c.body(new Uint8Array(report.pdf), 200, {
      'Content-Type': 'application/pdf',
      'Content-Disposition': `attachment; filename="promowatch-${site.name}-${report.week}.pdf"`,
    });
  });
