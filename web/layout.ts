// The one page layout: navigation, site switcher, demo banner. Everything interpolated is escaped by `html`.
import type { Context } from 'hono';
import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import { DATE_LOCALE, LANGS, messages, NUMBER_LOCALE } from '../src/i18n/index.ts';
import { countOpenAlerts } from '../src/db/alerts.ts';
import { mayWrite, visibleSiteIds } from './access.ts';
import type { Env } from './types.ts';

type Body = HtmlEscapedString | Promise<HtmlEscapedString>;

/** The navigation: paths and their keys in the `common.nav` messages. */
export const NAV = [
  { path: '/', key: 'overview' },
  { path: '/uptime', key: 'uptime' },
  { path: '/audit', key: 'audit' },
  { path: '/backlinks', key: 'backlinks' },
  { path: '/rankings', key: 'rankings' },
  { path: '/ads', key: 'ads' },
  { path: '/reports', key: 'reports' },
  { path: '/jobs', key: 'jobs' },
  { path: '/alerts', key: 'alerts' },
  // Only for those who may change things (web/access.ts declares /share as a write route).
  { path: '/share', key: 'share', writers: true },
] as const;

/** A link that keeps the chosen site. */
export function siteHref(c: Context<Env>, path: string): string {
  const site = c.get('site');
  return site ? `${path}${path.includes('?') ? '&' : '?'}site=${encodeURIComponent(site.name)}` : path;
}

export function csrfField(c: Context<Env>) {
  return html`<input type="hidden" name="_csrf" value="${c.get('csrf')}">`;
}

/** The language switcher: a form posting to /lang that comes back to this page. */
function languageSwitcher(c: Context<Env>) {
  const t = c.get('t').common;
  const lang = c.get('lang');
  const back = c.req.path + (new URL(c.req.url).search || '');
  return html`<form class="lang-switcher" method="post" action="/lang">
    ${csrfField(c)}<input type="hidden" name="back" value="${back}">
    <label>${t.language}
      <select name="lang" data-autosubmit>
        ${LANGS.map((l) => html`<option value="${l}" lang="${l}"${l === lang ? html` selected` : ''}>${t.languageNames[l]}</option>`)}
      </select>
    </label>
    <noscript><button type="submit">${t.show}</button></noscript>
  </form>`;
}

/** The head shared by the layout and the login page: the language and what the script needs to know. */
export function documentStart(c: Context<Env>, title: string) {
  const lang = c.get('lang');
  const t = c.get('t').common;
  return html`<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · ${t.brand}</title>
<link rel="stylesheet" href="/static/app.css">
<link rel="icon" href="data:,">
<script src="/static/chart.umd.min.js" defer></script>
<script src="/static/app.js" defer></script>
</head>
<body data-locale="${NUMBER_LOCALE[lang]}" data-date-locale="${DATE_LOCALE[lang]}" data-i18n="${JSON.stringify(t.client)}">`;
}

export interface LayoutOptions {
  /** Leave the chosen site out of the heading (error pages are not about a site). */
  noSiteInTitle?: boolean;
}

export async function layout(
  c: Context<Env>,
  title: string,
  body: Body,
  status?: 400 | 403 | 404 | 500,
  options: LayoutOptions = {},
) {
  const deps = c.get('deps');
  const sites = c.get('sites') ?? [];
  const site = c.get('site') ?? null;
  const t = c.get('t').common;
  const current = c.req.path;
  // The navigation is a disclosure, so it opens and closes on a phone without JS; wide screens show it
  // open (app.css). The site and language switchers stay outside it, always in reach.
  // Open alerts of the chosen site (all sites when none is configured), for the badge on "Alerts";
  // none on an error page drawn before the request's formatter is set.
  const fmt = c.get('fmt');
  const principal = c.get('principal');
  const open = fmt ? await countOpenAlerts(deps.sql, site ? [site.id] : visibleSiteIds(c)) : 0;
  // Share links are made by those who may change the chosen site; a shared view is told it is one.
  const mayShare = mayWrite(c, site?.id ?? null);
  const page = html`${documentStart(c, title)}
${deps.demo ? html`<div class="banner" role="note">${t.demoBanner}</div>` : ''}
${principal?.kind === 'share' ? html`<div class="banner" role="note">${c.get('t').share.banner}</div>` : ''}
<header>
  <a class="brand" href="${siteHref(c, '/')}">${t.brand}</a>
  <details class="menu">
  <summary>${t.menu}</summary>
  <nav>
    ${NAV.filter((n) => !('writers' in n) || mayShare).map(
      (n) =>
        html`<a href="${siteHref(c, n.path)}"${n.path === current ? html` aria-current="page"` : ''}>${t.nav[n.key]}${n.key === 'alerts' && open > 0 ? html` <span class="badge" title="${c.get('t').alerts.inbox.badge(fmt, open)}">${fmt.number(open)}</span>` : ''}</a>`,
    )}
  </nav>
  </details>
  <div class="switchers">
  <form class="site-switcher" method="get" action="${current}">
    <label>${t.site}
      <select name="site" data-autosubmit>
        ${sites.length > 1 ? html`<option value=""${site ? '' : html` selected`}>${c.get('t').overview.attention.allSites}</option>` : ''}
        ${sites.map((s) => html`<option value="${s.name}"${s.id === site?.id ? html` selected` : ''}>${s.name}</option>`)}
      </select>
    </label>
    <noscript><button type="submit">${t.show}</button></noscript>
  </form>
  ${languageSwitcher(c)}
  ${
    c.get('user')
      ? html`<nav class="account"><a href="/account"${current === '/account' ? html` aria-current="page"` : ''}>${c.get('t').users.nav.account}</a>${c.get('user')?.role === 'admin' ? html` <a href="/users"${current === '/users' ? html` aria-current="page"` : ''}>${c.get('t').users.nav.users}</a> <a href="/audit-log"${current === '/audit-log' ? html` aria-current="page"` : ''}>${c.get('t').auditLog.nav}</a>` : ''}</nav>`
      : ''
  }
  ${
    deps.auth || c.get('user')
      ? html`<form method="post" action="/logout" class="logout">${csrfField(c)}<button type="submit">${t.logOut}</button></form>`
      : ''
  }
  </div>
</header>
<main>
<h1>${title}${site && !options.noSiteInTitle ? html` <small>${site.name} · ${site.baseUrl}</small>` : ''}</h1>
${body}
</main>
</body>
</html>`;
  return status ? c.html(page, status) : c.html(page);
}

/** A 404 or 500 inside the layout, in the visitor's language; `message` says more when known. */
export async function errorPage(c: Context<Env>, status: 400 | 403 | 404 | 500, message: string | null) {
  // An error before the language middleware ran still gets a page, in the configured language.
  if (!c.get('t')) {
    const lang = c.get('deps')?.config.web.language ?? 'en';
    c.set('lang', lang);
    c.set('t', messages(lang));
  }
  const t = c.get('t').common.errors;
  const title =
    status === 404
      ? t.notFound
      : status === 403
        ? t.forbidden
        : status === 500
          ? t.internalTitle
          : (message ?? '');
  const hint = status === 404 ? t.notFoundHint : status === 500 ? t.internalHint : '';
  const body = html`<section class="empty">
    <p>${message ?? hint}</p>
    ${message && hint ? html`<p class="hint">${hint}</p>` : ''}
    <p><a href="${siteHref(c, '/')}">${t.toOverview}</a></p>
  </section>`;
  try {
    return await layout(c, title, body, status, { noSiteInTitle: true });
  } catch (err) {
    // The layout itself failed (a missing request value): the words still reach the visitor.
    c.get('deps')?.log.error(`dashboard: the error page could not be drawn: ${(err as Error).message}`);
    return c.text(`${title}\n${message ?? hint}`, status);
  }
}

/** Shown where an area has no data yet: says which job fills it, instead of an empty chart. */
export function emptyState(message: string, hint: string) {
  return html`<section class="empty"><p>${message}</p><p class="hint">${hint}</p></section>`;
}

/** Where a page's forms are left out for someone who may only read: one quiet line instead of a gap. */
export function readOnlyNote(c: Context<Env>) {
  return html`<p class="hint read-only">${c.get('t').access.readOnly}</p>`;
}
