// Site audit pages: health over time, what changed since the last crawl, issues by rule, one page's facts, CSV.
// Every word comes from the audit catalogue (src/i18n/messages/audit.ts) in the visitor's language;
// crawled data (URLs, titles, anchors) is shown as it is.
import type { Context } from 'hono';
import { Hono } from 'hono';
import { html } from 'hono/html';
import { issueDetails, robotsReason, ruleFamily, ruleText, skipReason } from '../../src/audit/explain.ts';
import {
  crawlExtent,
  crawlIssues,
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
import type { Severity } from '../../src/audit/types.ts';
import { SITEMAP_DEPTH } from '../../src/crawl/store.ts';
import type { Messages } from '../../src/i18n/index.ts';
import { csvDownload, excelHref } from '../csv.ts';
import { errorPage, layout, siteHref } from '../layout.ts';
import type { Env } from '../types.ts';
import { factRows, linkKind, urlState } from './audit-facts.ts';

function chart(name: string, title: string, src: string) {
  return html`<figure class="chart"><figcaption>${title}</figcaption><canvas data-chart="${name}" data-src="${src}" role="img" aria-label="${title}"></canvas></figure>`;
}

/** The crawl asked for (?crawl=) if it belongs to the selected site, else the site's latest. */
async function chosenCrawl(c: Context<Env>) {
  const { sql } = c.get('deps');
  const site = c.get('site');
  if (!site) return null;
  const crawls = await listCrawls(sql, site.id);
  const wanted = Number(c.req.query('crawl'));
  const crawl = (wanted && crawls.find((x) => x.id === wanted)) || crawls[0];
  if (!crawl) return null;
  const previous = crawls[crawls.indexOf(crawl) + 1] ?? null;
  return { site, crawl, previous, crawls };
}

function sev(c: Context<Env>, s: Severity) {
  return html`<span class="sev ${s}">${c.get('t').audit.severity[s] ?? s}</span>`;
}

/** A CSV link and its Excel variant (";" and decimal commas), keeping the chosen site. */
function downloads(c: Context<Env>, path: string, csvLabel: string, excelLabel: string) {
  const href = siteHref(c, path);
  return html`<a href="${href}">${csvLabel}</a> · <a href="${excelHref(href)}">${excelLabel}</a>`;
}

function issueTable(c: Context<Env>, crawlId: number, items: IssueItem[], showRule: boolean) {
  const t = c.get('t').audit;
  const h = t.issueTable;
  return html`<div class="table-wrap"><table><thead><tr>${showRule ? html`<th>${h.issue}</th>` : ''}<th>${h.url}</th><th>${h.status}</th><th>${h.details}</th></tr></thead><tbody>
${items.map(
  (i) =>
    html`<tr>${showRule ? html`<td>${sev(c, i.severity)} ${ruleText(i.rule, t).name}</td>` : ''}<td><a href="${siteHref(c, `/audit/page?crawl=${crawlId}&url=${encodeURIComponent(i.url)}`)}">${i.url}</a></td><td>${i.status ?? '—'}</td><td>${issueDetails(i.details, t)}</td></tr>`,
)}
</tbody></table></div>`;
}

function noCrawl(c: Context<Env>) {
  const t = c.get('t').audit;
  const site = c.get('site');
  const command = `promowatch run crawl-site${site ? ` --site ${site.name}` : ''}`;
  return layout(
    c,
    t.title,
    html`<section class="empty"><p>${t.empty.noCrawl}</p><p class="hint">${t.empty.noCrawlHint} <code>${command}</code></p></section>`,
  );
}

export const auditPages = new Hono<Env>()
  .get('/audit', async (c) => {
    const chosen = await chosenCrawl(c);
    if (!chosen) return noCrawl(c);
    const { sql } = c.get('deps');
    const t = c.get('t').audit;
    const common = c.get('t').common;
    const fmt = c.get('fmt');
    const { site, crawl, previous, crawls } = chosen;
    const counts = await severityCounts(sql, crawl.id);
    const rules = await issuesByRule(sql, crawl.id);
    const extent = await crawlExtent(sql, crawl.id);
    const diff = previous ? await diffCrawls(sql, crawl.id, previous.id, 200) : null;
    const api = `/api/audit/trend?site=${encodeURIComponent(site.name)}`;
    const delta =
      previous?.health !== null && previous?.health !== undefined && crawl.health !== null
        ? crawl.health - previous.health
        : null;
    const extentNote = extent.stopped
      ? t.extent.stopped
      : extent.pagesLeft > 0 && extent.maxPages !== null
        ? t.extent.capped(extent.maxPages, extent.pagesLeft)
        : null;
    return layout(
      c,
      t.title,
      html`
<form method="get" action="/audit" class="inline">
  <input type="hidden" name="site" value="${site.name}">
  <label>${t.crawl} <select name="crawl" data-autosubmit>${crawls.map((x) => html`<option value="${x.id}"${x.id === crawl.id ? html` selected` : ''}>${t.crawlOption(x.id, fmt.dateTime(x.startedAt), x.pages)}</option>`)}</select></label>
  <noscript><button type="submit">${common.show}</button></noscript>
</form>
<section class="cards">
  <div class="card"><span class="label">${t.cards.health}</span><span class="value">${crawl.health === null ? '—' : fmt.number(crawl.health, 1)}${delta !== null ? html` <small class="${delta < 0 ? 'down' : 'up'}" title="${t.cards.healthChange}">${fmt.signed(delta, 1)}</small>` : ''}</span></div>
  <div class="card"><span class="label">${t.cards.pages}</span><span class="value">${fmt.number(crawl.pages)}</span></div>
  <div class="card"><span class="label">${t.cards.severities}</span><span class="value">${fmt.number(counts.error)} · ${fmt.number(counts.warning)} · ${fmt.number(counts.notice)}</span></div>
  <div class="card"><span class="label">${t.cards.robots}</span><span class="value small">${robotsReason(crawl.robots, t)}</span></div>
</section>
${extentNote ? html`<p class="hint">${extentNote}</p>` : ''}
<section class="charts">
  ${chart('health', t.charts.health, api)}
  ${chart('issues', t.charts.issues, api)}
</section>
${
  diff
    ? html`<section>
<h2>${t.diff.heading(previous!.id, fmt.dateTime(previous!.startedAt))}</h2>
<p>${t.diff.summary(diff.newIssues.length, diff.fixedIssues.length, diff.pagesAdded.length, diff.pagesGone.length)}</p>
${diff.newIssues.length ? html`<h3>${t.diff.new} <small>${downloads(c, `/audit/export.csv?crawl=${crawl.id}&list=new`, t.csvShort, t.excelShort)}</small></h3>${issueTable(c, crawl.id, diff.newIssues, true)}` : ''}
${diff.fixedIssues.length ? html`<h3>${t.diff.fixed} <small>${downloads(c, `/audit/export.csv?crawl=${crawl.id}&list=fixed`, t.csvShort, t.excelShort)}</small></h3>${issueTable(c, previous!.id, diff.fixedIssues, true)}` : ''}
${diff.pagesAdded.length ? html`<h3>${t.diff.pagesAdded}</h3><ul>${diff.pagesAdded.map((u) => html`<li>${u}</li>`)}</ul>` : ''}
${diff.pagesGone.length ? html`<h3>${t.diff.pagesGone}</h3><ul>${diff.pagesGone.map((u) => html`<li>${u}</li>`)}</ul>` : ''}
</section>`
    : html`<p class="hint">${t.diff.firstCrawl}</p>`
}
<section>
<h2>${t.byRule.heading}</h2>
<p>${downloads(c, `/audit/export.csv?crawl=${crawl.id}&list=issues`, t.byRule.downloadAll, common.downloadCsvExcel)} · <a href="${siteHref(c, `/audit/pages?crawl=${crawl.id}`)}">${t.byRule.allPages}</a></p>
${
  rules.length === 0
    ? html`<p>${t.byRule.none}</p>`
    : html`<div class="table-wrap"><table><thead><tr><th>${t.byRule.severity}</th><th>${t.byRule.issue}</th><th>${t.byRule.area}</th><th>${t.byRule.urls}</th><th>${t.byRule.whatToDo}</th></tr></thead><tbody>
${rules.map((r) => html`<tr><td>${sev(c, r.severity)}</td><td><a href="${siteHref(c, `/audit/rule?crawl=${crawl.id}&rule=${encodeURIComponent(r.rule)}`)}">${ruleText(r.rule, t).name}</a></td><td>${ruleFamily(r.rule, t)}</td><td>${fmt.number(r.count)}</td><td class="hint">${ruleText(r.rule, t).fix}</td></tr>`)}
</tbody></table></div>`
}
</section>`,
    );
  })
  .get('/audit/rule', async (c) => {
    const chosen = await chosenCrawl(c);
    const rule = c.req.query('rule') ?? '';
    const info = RULES.get(rule);
    const t = c.get('t').audit;
    if (!chosen || !info) return errorPage(c, 404, t.notFound.rule);
    const items = await issuesForRule(c.get('deps').sql, chosen.crawl.id, rule);
    const text = ruleText(rule, t);
    const csv = `/audit/export.csv?crawl=${chosen.crawl.id}&list=rule&rule=${encodeURIComponent(rule)}`;
    return layout(
      c,
      text.name,
      html`<p>${sev(c, info.severity)} ${text.meaning} ${text.fix}</p>
<p><a href="${siteHref(c, `/audit?crawl=${chosen.crawl.id}`)}">${t.back}</a> · ${downloads(c, csv, c.get('t').common.downloadCsv, c.get('t').common.downloadCsvExcel)}</p>
${issueTable(c, chosen.crawl.id, items, false)}`,
    );
  })
  .get('/audit/pages', async (c) => {
    const chosen = await chosenCrawl(c);
    const t = c.get('t').audit;
    if (!chosen) return errorPage(c, 404, t.notFound.crawl);
    const fmt = c.get('fmt');
    const common = c.get('t').common;
    const p = t.pages;
    const rows = await crawlPages(c.get('deps').sql, chosen.crawl.id, 5000);
    const csv = `/audit/export.csv?crawl=${chosen.crawl.id}&list=pages`;
    return layout(
      c,
      p.title,
      html`<p><a href="${siteHref(c, `/audit?crawl=${chosen.crawl.id}`)}">${t.back}</a> · ${downloads(c, csv, common.downloadCsv, common.downloadCsvExcel)}</p>
<div class="table-wrap"><table><thead><tr><th>${p.url}</th><th>${p.status}</th><th>${p.depth}</th><th>${p.pageTitle}</th><th>${p.words}</th><th>${p.inlinks}</th><th>${p.state}</th></tr></thead><tbody>
${rows.map((r) => html`<tr><td><a href="${siteHref(c, `/audit/page?crawl=${chosen.crawl.id}&url=${encodeURIComponent(String(r.url))}`)}">${String(r.url)}</a></td><td>${String(r.status ?? '—')}</td><td>${Number(r.depth) >= SITEMAP_DEPTH ? p.sitemapOnly : fmt.number(Number(r.depth))}</td><td>${String(r.title ?? '')}</td><td>${r.words === null ? '' : fmt.number(Number(r.words))}</td><td>${fmt.number(Number(r.inlinks))}</td><td>${urlState(String(r.state), t)}${r.skip_reason ? html` <small>${skipReason(String(r.skip_reason), t)}</small>` : ''}</td></tr>`)}
</tbody></table></div>`,
    );
  })
  .get('/audit/page', async (c) => {
    const chosen = await chosenCrawl(c);
    const url = c.req.query('url') ?? '';
    const detail = chosen ? await pageDetail(c.get('deps').sql, chosen.crawl.id, url) : undefined;
    const t = c.get('t').audit;
    if (!chosen || !detail) return errorPage(c, 404, t.notFound.page);
    const common = c.get('t').common;
    const p = t.page;
    const facts = factRows(detail.facts, t, common, c.get('fmt'));
    return layout(
      c,
      p.title,
      html`<p><a href="${siteHref(c, `/audit?crawl=${chosen.crawl.id}`)}">${t.back}</a></p>
<h2 class="url">${url}</h2>
<section><h3>${p.issues}</h3>${detail.issues.length ? html`<ul>${detail.issues.map((i) => html`<li>${sev(c, i.severity)} ${ruleText(i.rule, t).name}${i.details ? html` — ${issueDetails(i.details, t)}` : ''}</li>`)}</ul>` : html`<p>${p.none}</p>`}</section>
<section><h3>${p.facts}</h3><div class="table-wrap"><table><tbody>${facts.map((f) => html`<tr><th>${f.label}</th><td>${f.value}</td></tr>`)}</tbody></table></div></section>
<section><h3>${p.linksTo(detail.inlinks.length)}</h3><div class="table-wrap"><table><thead><tr><th>${p.from}</th><th>${p.anchor}</th><th>${p.kind}</th><th>${p.rel}</th></tr></thead><tbody>
${detail.inlinks.map((l) => html`<tr><td>${l.from}</td><td>${l.anchor ?? ''}</td><td>${linkKind(l.kind, t)}</td><td>${l.rel ?? ''}</td></tr>`)}</tbody></table></div></section>
<section><h3>${p.linksFrom(detail.outlinks.length)}</h3><div class="table-wrap"><table><thead><tr><th>${p.to}</th><th>${p.anchor}</th><th>${p.kind}</th><th>${p.status}</th></tr></thead><tbody>
${detail.outlinks.map((l) => html`<tr class="${l.status !== null && l.status >= 400 ? 'bad' : ''}"><td>${l.to}</td><td>${l.anchor ?? ''}</td><td>${linkKind(l.kind, t)}</td><td>${l.status ?? urlState(l.state, t)}</td></tr>`)}</tbody></table></div></section>`,
    );
  })
  .get('/audit/export.csv', async (c) => {
    const chosen = await chosenCrawl(c);
    const t = c.get('t').audit;
    if (!chosen) return errorPage(c, 404, t.notFound.crawl);
    const { sql } = c.get('deps');
    const list = c.req.query('list') ?? 'issues';
    let rows: Record<string, unknown>[];
    let columns: readonly string[] = ISSUE_COLUMNS;
    if (list === 'pages') {
      rows = await crawlPages(sql, chosen.crawl.id);
      columns = PAGE_COLUMNS;
    } else if ((list === 'new' || list === 'fixed') && chosen.previous) {
      const d = await diffCrawls(sql, chosen.crawl.id, chosen.previous.id, 1_000_000);
      rows = (list === 'new' ? d.newIssues : d.fixedIssues) as unknown as Record<string, unknown>[];
      columns = ITEM_COLUMNS;
    } else if (list === 'rule') {
      rows = (await issuesForRule(
        sql,
        chosen.crawl.id,
        c.req.query('rule') ?? '',
        1_000_000,
      )) as unknown as Record<string, unknown>[];
      columns = ITEM_COLUMNS;
    } else rows = await crawlIssues(sql, chosen.crawl.id);
    // Values stay as stored (rule ids, severities, English details) for scripts; the header row is in
    // the reader's language.
    return csvDownload(
      c,
      `${chosen.site.name}-crawl-${chosen.crawl.id}-${list}.csv`,
      rows,
      [...columns],
      t.csv,
    );
  });

type CsvColumn = keyof Messages['audit']['csv'];

/** The columns of each export, in order (crawlPages() and the issue queries name them so). */
const PAGE_COLUMNS = [
  'url',
  'status',
  'depth',
  'title',
  'description',
  'canonical',
  'noindex',
  'words',
  'inlinks',
  'ttfb_ms',
  'bytes',
  'final_url',
  'redirect_hops',
  'charset',
  'state',
  'skip_reason',
] as const satisfies readonly CsvColumn[];
/** All issues of a crawl. */
const ISSUE_COLUMNS = [
  'rule',
  'severity',
  'url',
  'status',
  'details',
] as const satisfies readonly CsvColumn[];
/** Issues of one rule, or new or fixed since the previous crawl (IssueItem). */
const ITEM_COLUMNS = ['url', 'rule', 'severity', 'details', 'status'] as const satisfies readonly CsvColumn[];
