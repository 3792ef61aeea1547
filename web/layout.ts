// The one page layout: navigation, site switcher, demo banner. Everything interpolated is escaped by `html`.
import type { Context } from 'hono';
import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { Env } from './types.ts';

type Body = HtmlEscapedString | Promise<HtmlEscapedString>;

export const NAV = [
  { path: '/', label: 'Overview' },
  { path: '/audit', label: 'Site audit' },
  { path: '/backlinks', label: 'Backlinks' },
  { path: '/rankings', label: 'Rankings' },
  { path: '/ads', label: 'Ads' },
  { path: '/reports', label: 'Reports' },
  { path: '/jobs', label: 'Jobs' },
] as const;

/** A link that keeps the chosen site. */
export function siteHref(c: Context<Env>, path: string): string {
  const site = c.get('site');
  return site ? `${path}${path.includes('?') ? '&' : '?'}site=${encodeURIComponent(site.name)}` : path;
}

export function csrfField(c: Context<Env>) {
  return html`<input type="hidden" name="_csrf" value="${c.get('csrf')}">`;
}

export function layout(c: Context<Env>, title: string, body: Body) {
  const deps = c.get('deps');
  const sites = c.get('sites');
  const site = c.get('site');
  const current = c.req.path;
  return c.html(html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · promowatch</title>
<link rel="stylesheet" href="/static/app.css">
<link rel="icon" href="data:,">
<script src="/static/chart.umd.min.js" defer></script>
<script src="/static/app.js" defer></script>
</head>
<body>
${
  deps.demo
    ? html`<div class="banner" role="note">Demo: every site, donor page and API here is a simulation running on this machine (127.0.0.1). Nothing is real.</div>`
    : ''
}
<header>
  <a class="brand" href="${siteHref(c, '/')}">promowatch</a>
  <nav>
    ${NAV.map(
      (n) =>
        html`<a href="${siteHref(c, n.path)}"${n.path === current ? html` aria-current="page"` : ''}>${n.label}</a>`,
    )}
  </nav>
  <form class="site-switcher" method="get" action="${current}">
    <label>Site
      <select name="site" data-autosubmit>
        ${sites.map((s) => html`<option value="${s.name}"${s.id === site?.id ? html` selected` : ''}>${s.name}</option>`)}
      </select>
    </label>
    <noscript><button type="submit">Show</button></noscript>
  </form>
  ${
    deps.auth
      ? html`<form method="post" action="/logout" class="logout">${csrfField(c)}<button type="submit">Log out</button></form>`
      : ''
  }
</header>
<main>
<h1>${title}${site ? html` <small>${site.name} · ${site.baseUrl}</small>` : ''}</h1>
${body}
</main>
</body>
</html>`);
}

/** Shown where an area has no data yet: says which job fills it, instead of an empty chart. */
export function emptyState(message: string, hint: string) {
  return html`<section class="empty"><p>${message}</p><p class="hint">${hint}</p></section>`;
}

export function fmtTime(iso: string | null, timeZone: string): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    year: 'numeric',
    month: 'short',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).format(new Date(iso));
}

export function fmtDuration(startIso: string, endIso: string | null): string {
  if (!endIso) return '—';
  const ms = Date.parse(endIso) - Date.parse(startIso);
  return ms < 1000
    ? `${ms} ms`
    : ms < 120_000
      ? `${(ms / 1000).toFixed(1)} s`
      : `${Math.round(ms / 60_000)} min`;
}
