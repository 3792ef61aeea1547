// Reports page: the site's archived weekly reports, each report's permalink, and its PDF. The list speaks
// the visitor's language; each report is served as archived, in the language it was written in.
import type { Context } from 'hono';
import { Hono } from 'hono';
import { html } from 'hono/html';
import { getReport, listReports, type ReportRow } from '../../src/report/store.ts';
import { emptyState, errorPage, layout, siteHref } from '../layout.ts';
import type { Env } from '../types.ts';

/**
 * The report asked for, if it belongs to a configured site and, when the URL names a site, to that one.
 * Without ?site= any configured site's report is shown: the permalink mailed with a report
 * ("/reports/12") carries no site, and every site is open to whoever is logged in.
 */
async function chosenReport(c: Context<Env>): Promise<ReportRow | null> {
  const id = c.req.param('id') ?? '';
  if (!/^\d{1,15}$/.test(id)) return null;
  const report = await getReport(c.get('deps').sql, Number(id));
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

const notFound = (c: Context<Env>) => errorPage(c, 404, null);

export const reportsPages = new Hono<Env>()
  .get('/reports', async (c) => {
    const { config } = c.get('deps');
    const site = c.get('site');
    const { common, reports: t } = c.get('t');
    const fmt = c.get('fmt');
    const lang = c.get('lang');
    const title = common.nav.reports;
    if (!site) return layout(c, title, emptyState(common.noSite, common.noSiteHint));
    const reports = await listReports(c.get('deps').sql, site.id);
    if (reports.length === 0) {
      const schedule = config.jobs['weekly-report']?.schedule;
      return layout(
        c,
        title,
        emptyState(
          t.noReports,
          schedule ? t.noReportsScheduled(schedule, site.name) : t.noReportsDefault(site.name),
        ),
      );
    }
    return layout(
      c,
      title,
      html`<section>
<div class="table-wrap"><table><thead><tr><th>${t.head.week}</th><th>${t.head.subject}</th><th>${t.head.created}</th><th>${t.head.sent}</th><th></th></tr></thead><tbody>
${reports.map(
  (r) => html`<tr class="${r.sentAt === null && r.sendError !== null ? 'bad' : ''}">
<td><strong>${r.week}</strong><br><small>${fmt.dayRange(r.weekFrom, r.weekTo)}</small></td>
<td lang="${r.lang}">${r.subject}${
    r.lang !== lang ? html` <small lang="${lang}">(${t.writtenIn(t.languages[r.lang])})</small>` : ''
  }</td>
<td>${fmt.dateTime(r.createdAt)}</td>
<td>${
    r.sentAt
      ? html`<span class="status ok">${t.sent}</span> ${fmt.dateTime(r.sentAt)}`
      : html`<span class="status${r.sendError ? ' failed' : ''}">${t.notSent}</span>`
  }${r.sendError ? html`<br><small class="error">${r.sendError}</small>` : ''}${
    r.attempts > 0 ? html`<br><small>${t.attempts(r.attempts)}</small>` : ''
  }</td>
<td><a href="${siteHref(c, `/reports/${r.id}`)}">${t.view}</a>${
    r.hasPdf ? html` · <a href="${siteHref(c, `/reports/${r.id}/pdf`)}">${t.pdf}</a>` : ''
  }</td>
</tr>`,
)}
</tbody></table></div>
</section>`,
    );
  })
  .get('/reports/:id', async (c) => {
    const report = await chosenReport(c);
    if (!report) return notFound(c);
    return c.html(splitStyles(report.html, cssHref(report)).html);
  })
  .get('/reports/:id/report.css', async (c) => {
    const report = await chosenReport(c);
    if (!report) return notFound(c);
    return c.body(splitStyles(report.html, cssHref(report)).css, 200, {
      'Content-Type': 'text/css; charset=utf-8',
    });
  })
  .get('/reports/:id/pdf', async (c) => {
    const report = await chosenReport(c);
    if (!report?.pdf) return notFound(c);
    const site = c.get('sites').find((s) => s.id === report.siteId)!;
    // Site names are [a-z0-9-] and weeks "2026-W47" (both checked), so the file name needs no quoting.
    return c.body(new Uint8Array(report.pdf), 200, {
      'Content-Type': 'application/pdf',
      'Content-Disposition': `attachment; filename="promowatch-${site.name}-${report.week}.pdf"`,
    });
  });
