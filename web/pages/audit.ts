// Site audit pages: health over time, what changed since the last crawl, issues by rule, one page's facts, CSV.
import type { Context } from 'hono';
import { Hono } from 'hono';
import { html } from 'hono/html';
import {
  crawlPages,
  diffCrawls,
  issuesByRule,
  issuesForRule,
  listCrawls,
  pageDetail,
  severityCounts,
  type IssueItem,
} from '../../src/audit/queries.ts';
import { RULES } from '../../src/audit/rules/index.ts';
import { csvDownload } from '../csv.ts';
import { emptyState, fmtTime, layout, siteHref } from '../layout.ts';
import type { Env } from '../types.ts';

function chart(name: string, title: string, src: string) {
  return html`<figure class="chart"><figcaption>${title}</figcaption><canvas data-chart="${name}" data-src="${src}" role="img" aria-label="${title}"></canvas></figure>`;
}

/** The crawl asked for (?crawl=) if it belongs to the selected site, else the site's latest. */
function chosenCrawl(c: Context<Env>) {
  const { db } = c.get('deps');
  const site = c.get('site');
  if (!site) return null;
  const crawls = listCrawls(db, site.id);
  const wanted = Number(c.req.query('crawl'));
  const crawl = (wanted && crawls.find((x) => x.id === wanted)) || crawls[0];
  if (!crawl) return null;
  const previous = crawls[crawls.indexOf(crawl) + 1] ?? null;
  return { site, crawl, previous, crawls };
}

const sev = (s: string) => html`<span class="sev ${s}">${s}</span>`;

function issueTable(c: Context<Env>, crawlId: number, items: IssueItem[], showRule: boolean) {
  return html`<table><thead><tr>${showRule ? html`<th>Issue</th>` : ''}<th>URL</th><th>Status</th><th>Details</th></tr></thead><tbody>
${items.map(
  (i) =>
    html`<tr>${showRule ? html`<td>${sev(i.severity)} ${RULES.get(i.rule)?.title ?? i.rule}</td>` : ''}<td><a href="${siteHref(c, `/audit/page?crawl=${crawlId}&url=${encodeURIComponent(i.url)}`)}">${i.url}</a></td><td>${i.status ?? '—'}</td><td>${i.details ?? ''}</td></tr>`,
)}
</tbody></table>`;
}

export const auditPages = new Hono<Env>()
  .get('/audit', (c) => {
    const chosen = chosenCrawl(c);
    if (!chosen) {
      const site = c.get('site');
      return layout(
        c,
        'Site audit',
        emptyState(
          'No crawl of this site yet.',
          `The crawl-site job fills this page; run it now with: promowatch run crawl-site${site ? ` --site ${site.name}` : ''}`,
        ),
      );
    }
    const { db } = c.get('deps');
    const { site, crawl, previous, crawls } = chosen;
    const counts = severityCounts(db, crawl.id);
    const rules = issuesByRule(db, crawl.id);
    const diff = previous ? diffCrawls(db, crawl.id, previous.id, 200) : null;
    const api = `/api/audit/trend?site=${encodeURIComponent(site.name)}`;
    const delta =
      previous?.health !== null && previous?.health !== undefined && crawl.health !== null
        ? crawl.health - previous.health
        : null;
    return layout(
      c,
      'Site audit',
      html`
<form method="get" action="/audit" class="inline">
  <input type="hidden" name="site" value="${site.name}">
  <label>Crawl <select name="crawl" data-autosubmit>${crawls.map((x) => html`<option value="${x.id}"${x.id === crawl.id ? html` selected` : ''}>#${x.id} · ${fmtTime(x.startedAt, site.timeZone)} · ${x.pages} pages</option>`)}</select></label>
  <noscript><button type="submit">Show</button></noscript>
</form>
<section class="cards">
  <div class="card"><span class="label">Health score</span><span class="value">${crawl.health ?? '—'}${delta !== null ? html` <small class="${delta < 0 ? 'down' : 'up'}">${delta >= 0 ? '+' : ''}${delta.toFixed(1)}</small>` : ''}</span></div>
  <div class="card"><span class="label">Pages crawled</span><span class="value">${crawl.pages}</span></div>
  <div class="card"><span class="label">Errors · warnings · notices</span><span class="value">${counts.error} · ${counts.warning} · ${counts.notice}</span></div>
  <div class="card"><span class="label">robots.txt</span><span class="value small">${crawl.robots ?? '—'}</span></div>
</section>
<section class="charts">
  ${chart('health', 'Health score per crawl', api)}
  ${chart('issues', 'Issues per crawl', api)}
</section>
${
  diff
    ? html`<section>
<h2>Since the previous crawl (#${previous!.id}, ${fmtTime(previous!.startedAt, site.timeZone)})</h2>
<p>${diff.newIssues.length} new issue(s), ${diff.fixedIssues.length} fixed, ${diff.pagesAdded.length} page(s) added, ${diff.pagesGone.length} gone.</p>
${diff.newIssues.length ? html`<h3>New <small><a href="${siteHref(c, `/audit/export.csv?crawl=${crawl.id}&list=new`)}">CSV</a></small></h3>${issueTable(c, crawl.id, diff.newIssues, true)}` : ''}
${diff.fixedIssues.length ? html`<h3>Fixed <small><a href="${siteHref(c, `/audit/export.csv?crawl=${crawl.id}&list=fixed`)}">CSV</a></small></h3>${issueTable(c, previous!.id, diff.fixedIssues, true)}` : ''}
${diff.pagesAdded.length ? html`<h3>Pages added</h3><ul>${diff.pagesAdded.map((u) => html`<li>${u}</li>`)}</ul>` : ''}
${diff.pagesGone.length ? html`<h3>Pages gone</h3><ul>${diff.pagesGone.map((u) => html`<li>${u}</li>`)}</ul>` : ''}
</section>`
    : html`<p class="hint">This is the first crawl of the site; the next one will show what changed.</p>`
}
<section>
<h2>Issues by rule</h2>
<p><a href="${siteHref(c, `/audit/export.csv?crawl=${crawl.id}&list=issues`)}">Download all issues (CSV)</a> · <a href="${siteHref(c, `/audit/pages?crawl=${crawl.id}`)}">All pages</a></p>
${
  rules.length === 0
    ? html`<p>No issues found.</p>`
    : html`<table><thead><tr><th>Severity</th><th>Issue</th><th>Area</th><th>URLs</th><th>What to do</th></tr></thead><tbody>
${rules.map((r) => html`<tr><td>${sev(r.severity)}</td><td><a href="${siteHref(c, `/audit/rule?crawl=${crawl.id}&rule=${encodeURIComponent(r.rule)}`)}">${r.title}</a></td><td>${r.family}</td><td>${r.count}</td><td class="hint">${r.advice}</td></tr>`)}
</tbody></table>`
}
</section>`,
    );
  })
  .get('/audit/rule', (c) => {
    const chosen = chosenCrawl(c);
    const rule = c.req.query('rule') ?? '';
    const info = RULES.get(rule);
    if (!chosen || !info) return c.text('No such crawl or rule', 404);
    const items = issuesForRule(c.get('deps').db, chosen.crawl.id, rule);
    return layout(
      c,
      info.title,
      html`<p>${sev(info.severity)} ${info.advice}</p>
<p><a href="${siteHref(c, `/audit?crawl=${chosen.crawl.id}`)}">← Site audit</a> · <a href="${siteHref(c, `/audit/export.csv?crawl=${chosen.crawl.id}&list=rule&rule=${encodeURIComponent(rule)}`)}">Download (CSV)</a></p>
${issueTable(c, chosen.crawl.id, items, false)}`,
    );
  })
  .get('/audit/pages', (c) => {
    const chosen = chosenCrawl(c);
    if (!chosen) return c.text('No such crawl', 404);
    const rows = crawlPages(c.get('deps').db, chosen.crawl.id, 5000);
    return layout(
      c,
      'Crawled pages',
      html`<p><a href="${siteHref(c, `/audit?crawl=${chosen.crawl.id}`)}">← Site audit</a> · <a href="${siteHref(c, `/audit/export.csv?crawl=${chosen.crawl.id}&list=pages`)}">Download (CSV)</a></p>
<table><thead><tr><th>URL</th><th>Status</th><th>Depth</th><th>Title</th><th>Words</th><th>Inlinks</th><th>State</th></tr></thead><tbody>
${rows.map((r) => html`<tr><td><a href="${siteHref(c, `/audit/page?crawl=${chosen.crawl.id}&url=${encodeURIComponent(String(r.url))}`)}">${String(r.url)}</a></td><td>${String(r.status ?? '—')}</td><td>${Number(r.depth) >= 1_000_000 ? 'sitemap only' : String(r.depth)}</td><td>${String(r.title ?? '')}</td><td>${String(r.words ?? '')}</td><td>${String(r.inlinks)}</td><td>${String(r.state)}${r.skip_reason ? html` <small>${String(r.skip_reason)}</small>` : ''}</td></tr>`)}
</tbody></table>`,
    );
  })
  .get('/audit/page', (c) => {
    const chosen = chosenCrawl(c);
    const url = c.req.query('url') ?? '';
    const detail = chosen ? pageDetail(c.get('deps').db, chosen.crawl.id, url) : undefined;
    if (!chosen || !detail) return c.text('No such page in this crawl', 404);
    const hidden = new Set(['id', 'crawl_id']);
    return layout(
      c,
      'Page',
      html`<p><a href="${siteHref(c, `/audit?crawl=${chosen.crawl.id}`)}">← Site audit</a></p>
<h2 class="url">${url}</h2>
<section><h3>Issues</h3>${detail.issues.length ? html`<ul>${detail.issues.map((i) => html`<li>${sev(i.severity)} ${RULES.get(i.rule)?.title ?? i.rule}${i.details ? html` — ${i.details}` : ''}</li>`)}</ul>` : html`<p>None.</p>`}</section>
<section><h3>Facts</h3><table><tbody>${Object.entries(detail.facts)
        .filter(([k, v]) => !hidden.has(k) && v !== null)
        .map(([k, v]) => html`<tr><th>${k}</th><td>${String(v)}</td></tr>`)}</tbody></table></section>
<section><h3>Links to this page (${detail.inlinks.length})</h3><table><thead><tr><th>From</th><th>Anchor</th><th>Kind</th><th>rel</th></tr></thead><tbody>
${detail.inlinks.map((l) => html`<tr><td>${l.from}</td><td>${l.anchor ?? ''}</td><td>${l.kind}</td><td>${l.rel ?? ''}</td></tr>`)}</tbody></table></section>
<section><h3>Links from this page (${detail.outlinks.length})</h3><table><thead><tr><th>To</th><th>Anchor</th><th>Kind</th><th>Status</th></tr></thead><tbody>
${detail.outlinks.map((l) => html`<tr class="${l.status !== null && l.status >= 400 ? 'bad' : ''}"><td>${l.to}</td><td>${l.anchor ?? ''}</td><td>${l.kind}</td><td>${l.status ?? l.state}</td></tr>`)}</tbody></table></section>`,
    );
  })
  .get('/audit/export.csv', (c) => {
    const chosen = chosenCrawl(c);
    if (!chosen) return c.text('No such crawl', 404);
    const { db } = c.get('deps');
    const list = c.req.query('list') ?? 'issues';
    let rows: Record<string, unknown>[];
    if (list === 'pages') rows = crawlPages(db, chosen.crawl.id);
    else if ((list === 'new' || list === 'fixed') && chosen.previous) {
      const d = diffCrawls(db, chosen.crawl.id, chosen.previous.id, 1_000_000);
      rows = (list === 'new' ? d.newIssues : d.fixedIssues) as unknown as Record<string, unknown>[];
    } else if (list === 'rule')
      rows = issuesForRule(db, chosen.crawl.id, c.req.query('rule') ?? '', 1_000_000) as unknown as Record<
        string,
        unknown
      >[];
    else
      rows = db
        .prepare(
          `SELECT i.rule, i.severity, u.url, u.status, i.details FROM crawl_issues i LEFT JOIN crawl_urls u ON u.id = i.url_id WHERE i.crawl_id = ? ORDER BY i.severity, i.rule, u.url`,
        )
        .all(chosen.crawl.id) as Record<string, unknown>[];
    return csvDownload(c, `${chosen.site.name}-crawl-${chosen.crawl.id}-${list}.csv`, rows);
  });
