// The Share page (editors and admins): read-only links to one site's dashboard or one report for someone
// without an account; and /s/:token, where such a link is opened. Who may do what is web/access.ts's.
import type { Context } from 'hono';
import { Hono } from 'hono';
import { setCookie } from 'hono/cookie';
import { html } from 'hono/html';
import {
  createShareLink,
  getShareLink,
  listShareLinks,
  openShareLink,
  revokeShareLink,
  type ShareLinkRow,
} from '../../src/auth/share-links.ts';
import { getReport, listReports } from '../../src/report/store.ts';
import type { SiteRow } from '../../src/db/sites.ts';
import { SHARE_COOKIE } from '../auth.ts';
import { clientOf } from '../client.ts';
import { csrfField, emptyState, errorPage, layout } from '../layout.ts';
import type { Env } from '../types.ts';

/** Expiry choices in days (0: never). */
const EXPIRY_DAYS = [7, 30, 90, 0] as const;

const str = (v: unknown) => (typeof v === 'string' ? v : '');

function state(row: ShareLinkRow, now: Date): 'live' | 'expired' | 'revoked' {
  if (row.revokedAt) return 'revoked';
  if (row.expiresAt && Date.parse(row.expiresAt) <= now.getTime()) return 'expired';
  return 'live';
}

async function page(
  c: Context<Env>,
  site: SiteRow | null,
  shown: { url?: string; flash?: string; error?: string } = {},
  status?: 400,
) {
  const t = c.get('t').share;
  const fmt = c.get('fmt');
  const { sql, now } = c.get('deps');
  if (!site) return layout(c, t.title, emptyState(c.get('t').common.noSite, c.get('t').common.noSiteHint));
  const reports = await listReports(c.get('deps').sql, site.id, 52);
  const weekOf = new Map(reports.map((r) => [r.id, r.week]));
  const links = await listShareLinks(sql, [site.id]);
  const body = html`<p class="hint">${t.intro}</p>
${shown.url ? html`<p class="flash" role="status">${t.made}<br><input type="text" readonly value="${shown.url}" class="share-url" aria-label="${t.made}"></p>` : ''}
${shown.flash ? html`<p class="flash" role="status">${shown.flash}</p>` : ''}
${shown.error ? html`<p class="flash bad" role="alert">${shown.error}</p>` : ''}
<section><h2>${t.make}</h2>
<form method="post" action="/share" class="stack">${csrfField(c)}<input type="hidden" name="site" value="${site.name}">
<label>${t.what} <select name="what"><option value="site">${t.wholeSite(site.name)}</option>${reports.map((r) => html`<option value="${r.id}">${t.oneReport(r.week)}</option>`)}</select></label>
<label>${t.label} <input type="text" name="label" maxlength="200"></label>
<label>${t.expires} <select name="days">${EXPIRY_DAYS.map((d) => html`<option value="${d}"${d === 30 ? html` selected` : ''}>${d === 0 ? t.never : t.days(d)}</option>`)}</select></label>
<button type="submit">${t.create}</button></form></section>
<section><h2>${t.list}</h2>
${
  links.length === 0
    ? html`<p class="hint">${t.none}</p>`
    : html`<div class="table-wrap"><table class="share-links"><thead><tr><th>${t.colWhat}</th><th>${t.label}</th><th>${t.colBy}</th><th>${t.colCreated}</th><th>${t.colExpires}</th><th>${t.colUsed}</th><th>${t.colState}</th><th></th></tr></thead><tbody>
${links.map((l) => {
  const s = state(l, now());
  return html`<tr data-share="${l.id}"><td>${l.reportId === null ? t.site : t.report(weekOf.get(l.reportId) ?? String(l.reportId))}</td><td>${l.label}</td><td>${l.createdByEmail ?? t.owner}</td><td>${fmt.dateTime(l.createdAt)}</td><td>${l.expiresAt ? fmt.dateTime(l.expiresAt) : t.never}</td><td>${l.lastUsedAt ? fmt.dateTime(l.lastUsedAt) : t.notUsed}</td><td>${t[s]}</td>
<td>${s === 'live' ? html`<form method="post" action="/share/${l.id}/revoke">${csrfField(c)}<input type="hidden" name="site" value="${site.name}"><button type="submit">${t.revoke}</button></form>` : ''}</td></tr>`;
})}
</tbody></table></div>`
}</section>`;
  return layout(c, t.title, body, status);
}

export const sharePages = new Hono<Env>()
  .get('/share', (c) => {
    const flash = c.req.query('done') === 'revoked' ? c.get('t').share.revokedFlash : undefined;
    return page(c, c.get('site'), { flash });
  })
  .post('/share', async (c) => {
    const { sql, now } = c.get('deps');
    const body = await c.req.parseBody();
    // The access check has already judged the posted site against the asker's sites.
    const site = c.get('sites').find((s) => s.name === str(body.site));
    if (!site) return errorPage(c, 404, null);
    c.set('site', site);
    const what = str(body.what);
    let reportId: number | null = null;
    if (what !== 'site') {
      const report = /^\d{1,15}$/.test(what) ? await getReport(c.get('deps').sql, Number(what)) : undefined;
      if (!report || report.siteId !== site.id)
        return page(c, site, { error: c.get('t').share.noReport }, 400);
      reportId = report.id;
    }
    const days = Number(str(body.days));
    const expiresAt =
      (EXPIRY_DAYS as readonly number[]).includes(days) && days > 0
        ? new Date(now().getTime() + days * 86_400_000)
        : null;
    const user = c.get('user');
    const { token } = await createShareLink(
      sql,
      {
        siteId: site.id,
        reportId,
        label: str(body.label).trim().slice(0, 200),
        by: user ? { id: user.id, email: user.email } : null,
        expiresAt,
      },
      now(),
    );
    return page(c, site, { url: `${clientOf(c).origin}/s/${token}` });
  })
  .post('/share/:id{[0-9]+}/revoke', async (c) => {
    const { sql, now } = c.get('deps');
    const link = await getShareLink(sql, Number(c.req.param('id')));
    const site = link && c.get('sites').find((s) => s.id === link.siteId);
    if (!link || !site) return errorPage(c, 404, null);
    await revokeShareLink(sql, link.id, now());
    return c.redirect(`/share?site=${encodeURIComponent(site.name)}&done=revoked`, 303);
  })
  .get('/s/:token', async (c) => {
    const { sql, now } = c.get('deps');
    const token = c.req.param('token');
    const view = await openShareLink(sql, token, now());
    // Revoked, expired or made up: nothing is shown, not even which sites this dashboard has.
    if (!view) {
      c.set('sites', []);
      c.set('site', null);
      return errorPage(c, 404, null);
    }
    setCookie(c, SHARE_COOKIE, token, {
      httpOnly: true,
      // Lax: the link arrives from a mail or a chat, another site's page.
      sameSite: 'Lax',
      path: '/',
      secure: clientOf(c).https,
    });
    return c.redirect(view.reportId === null ? '/' : `/reports/${view.reportId}`, 303);
  });
