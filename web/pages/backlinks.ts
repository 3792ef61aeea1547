// The Backlinks page: the bought links with their verdicts and filters, money, vendors, renewals, the add
// form and the CSV export; one link's page is web/pages/backlink.ts.
// Every word comes from the backlinks catalogue (src/i18n/messages/backlinks.ts); what people typed (URLs,
// anchors, vendors, tags) and what tools wrote is shown as it is.
import type { Context } from 'hono';
import { Hono } from 'hono';
import { html } from 'hono/html';
import { backlinkKey, validateBacklinkInput } from '../../src/backlinks/import.ts';
import { showReasons } from '../../src/backlinks/reasons.ts';
import type { Status } from '../../src/backlinks/state.ts';
import {
  existingKeys,
  insertBacklinks,
  listBacklinks,
  type BacklinkFilter,
} from '../../src/backlinks/store.ts';
import { siteMoney } from '../../src/backlinks/site-money.ts';
import { toolStatesBySite } from '../../src/backlinks/tool-state-store.ts';
import { BACKLINK_KINDS } from '../../src/backlinks/types.ts';
import { dayIn } from '../../src/util/days.ts';
import { csvDownload, excelHref } from '../csv.ts';
import { csrfField, emptyState, layout, readOnlyNote, siteHref } from '../layout.ts';
import { mayWrite } from '../access.ts';
import type { Env } from '../types.ts';
import { backlinkPage } from './backlink.ts';
import { deadLinksBlock, renewalsBlock, vendorsBlock } from './backlinks-money.ts';
import { backlinksManage, selectionControls } from './backlinks-manage.ts';
import { backlinkWords, fieldLabels } from './backlinks-words.ts';

const STATES = ['live', 'devalued', 'lost', 'inconclusive', 'unchecked'] as const satisfies Status[];
const ENGINE_FILTERS = ['google-fails', 'yandex-fails'] as const;
const BILLINGS = ['one-off', 'monthly'] as const;
/** The status pill's class per state (the colours the Jobs page uses). */
const STATE_CLASS: Partial<Record<string, string>> = { live: 'ok', lost: 'failed', devalued: 'interrupted' };

function filters(c: Context<Env>): BacklinkFilter {
  const q = (k: string) => c.req.query(k) || undefined;
  const engine = q('engine');
  return {
    status: q('status'),
    vendor: q('vendor'),
    kind: q('kind'),
    tag: q('tag'),
    engine: engine === 'google-fails' || engine === 'yandex-fails' ? engine : undefined,
  };
}

export const backlinksPages = new Hono<Env>()
  .get('/backlinks', async (c) => {
    const { sql, now } = c.get('deps');
    const site = c.get('site');
    const w = backlinkWords(c);
    const { b, t, fmt } = w;
    if (!site) return layout(c, b.title, emptyState(t.common.noSite, t.common.noSiteHint));
    const { links, report, dead, vendors: vendorRows } = await siteMoney(sql, site.id, site.timeZone, now());
    const f = filters(c);
    const shown = await listBacklinks(sql, site.id, f);
    const said = await toolStatesBySite(sql, site.id);
    // Links without a price are counted under "—": they cost nothing, so they get no money cards.
    const moneyTotals = Object.entries(report.totals).filter(([cur]) => cur !== '—');
    const count = (s: string) => fmt.number(links.filter((l) => l.status === s).length);
    const vendors = [...new Set(links.map((l) => l.vendor).filter(Boolean))] as string[];
    const tags = [...new Set(links.flatMap((l) => l.tags))];
    const api = `/api/backlinks/trend?site=${encodeURIComponent(site.name)}`;
    const query = new URLSearchParams(
      Object.entries(f).filter(([, v]) => v) as [string, string][],
    ).toString();
    const csv = siteHref(c, `/backlinks/export.csv${query ? `?${query}` : ''}`);
    // The selection, its actions and the add form are for those whose changes would not be refused.
    const writer = mayWrite(c, site.id);
    const importCommand = html`<code>promowatch links import FILE --site ${site.name}</code>`;
    // Options: the value stays the id (the query parameter); the reader sees `show(id)`.
    const sel = (
      name: keyof BacklinkFilter,
      label: string,
      options: readonly string[],
      value: string | undefined,
      show: (o: string) => string = (o) => o,
    ) =>
      html`<label>${label} <select name="${name}"><option value="">${t.common.any}</option>${options.map((o) => html`<option value="${o}"${o === value ? html` selected` : ''}>${show(o)}</option>`)}</select></label>`;
    return layout(
      c,
      b.title,
      html`
${links.length ? deadLinksBlock(c, dead, report, new Map(links.map((l) => [l.id, l.paidUntil]))) : ''}
<section class="cards">
  <div class="card"><span class="label">${b.cards.live}</span><span class="value">${count('live')}</span></div>
  <div class="card"><span class="label">${b.cards.devalued}</span><span class="value">${count('devalued')}</span></div>
  <div class="card"><span class="label">${b.cards.lost}</span><span class="value">${count('lost')}</span></div>
  <div class="card"><span class="label">${b.cards.unsure}</span><span class="value">${fmt.number(links.filter((l) => l.status === 'inconclusive' || l.status === 'unchecked').length)}</span></div>
  ${moneyTotals.map(
    ([cur, x]) =>
      html`<div class="card"><span class="label">${b.cards.costPerLiveDay(cur)}</span><span class="value">${x.costPerLiveDayMicros === null ? '—' : w.money(x.costPerLiveDayMicros, cur)}</span></div>`,
  )}
</section>
${
  links.length === 0
    ? html`<section class="empty"><p>${b.empty.noLinks}</p>${writer ? html`<p class="hint">${b.empty.noLinksHint} ${importCommand}</p>` : ''}</section>`
    : html`<section class="charts">
  <figure class="chart"><figcaption>${b.charts.links}</figcaption><canvas data-chart="links" data-src="${api}" role="img" aria-label="${b.charts.linksAria}"></canvas></figure>
  <figure class="chart"><figcaption>${b.charts.wasted}</figcaption><canvas data-chart="wasted" data-src="${api}" role="img" aria-label="${b.charts.wastedAria}"></canvas></figure>
</section>`
}
<section>
<h2>${b.list.heading} <small>${b.list.shown(shown.length, links.length)}</small></h2>
<form method="get" action="/backlinks" class="inline">
  <input type="hidden" name="site" value="${site.name}">
  ${sel('status', b.filter.status, STATES, f.status, w.state)}
  ${sel('engine', b.filter.engine, ENGINE_FILTERS, f.engine, (e) => b.filter.engines[e as (typeof ENGINE_FILTERS)[number]])}
  ${sel('vendor', b.filter.vendor, vendors, f.vendor)} ${sel('kind', b.filter.kind, BACKLINK_KINDS, f.kind, w.kind)} ${sel('tag', b.filter.tag, tags, f.tag)}
  <button type="submit">${t.common.filter}</button> <a href="${csv}">${t.common.downloadCsv}</a> <a href="${excelHref(csv)}">${t.common.downloadCsvExcel}</a>
</form>
${writer ? html`<form method="post" action="/backlinks/selected" id="selection">${csrfField(c)}<input type="hidden" name="site" value="${site.name}">` : ''}
<div class="table-wrap"><table><thead><tr>${writer ? html`<th>${b.manage.select}</th>` : ''}<th>${b.list.donor}</th><th>${b.list.state}</th><th>${b.engines.google}</th><th>${b.engines.yandex}</th><th>${b.list.why}</th><th>${b.list.toolsSay}</th><th>${b.list.vendor}</th><th>${b.list.price}</th><th>${b.list.paidUntil}</th><th>${b.list.checked}</th></tr></thead><tbody>
${shown.map((l) => {
  const price = l.priceMicros === null ? '' : w.money(l.priceMicros, l.currency);
  return html`<tr class="${l.status === 'lost' ? 'bad' : ''}">${writer ? html`<td><input type="checkbox" name="id" value="${l.id}" aria-label="${b.manage.select}"></td>` : ''}<td><a href="${siteHref(c, `/backlinks/${l.id}`)}">${l.donorUrl}</a><br><small>→ ${l.target}</small></td>
<td><span class="status ${STATE_CLASS[l.status] ?? ''}" data-state="${l.status}">${w.state(l.status)}</span>${l.failStreak > 0 && l.status !== 'lost' ? html`<br><small>${b.list.failing(l.failStreak)}</small>` : ''}</td>
<td>${w.yesNo(l.googlePasses)}</td><td>${w.yesNo(l.yandexPasses)}</td><td><small>${w.reasons(l.statusReasons)}</small></td><td>${w.toolSays(said.get(l.id) ?? [])}</td>
<td>${l.vendor ?? ''}</td><td>${price && l.billing === 'monthly' ? b.list.perMonth(price) : price}</td><td>${w.day(l.paidUntil)}</td><td>${fmt.dateTime(l.lastCheckedAt)}</td></tr>`;
})}
</tbody></table></div>
${writer ? html`${selectionControls(c)}</form>` : html`<p><a href="${siteHref(c, '/backlinks/archived')}">${b.manage.showArchived}</a></p>`}
</section>
${renewalsBlock(c, report, new Map(links.map((l) => [l.id, l.donorUrl])))}
${vendorsBlock(c, vendorRows)}
${
  writer
    ? html`<section><h2>${b.form.heading}</h2>
<form method="post" action="/backlinks" class="inline">
  ${csrfField(c)}<input type="hidden" name="site" value="${site.name}">
  <label>${b.form.donor} <input type="url" name="donor_url" required></label>
  <label>${b.form.target} <input type="text" name="target" value="${site.baseUrl}"></label>
  <label>${b.form.anchor} <input type="text" name="anchor"></label>
  <label>${b.form.kind} <select name="kind">${BACKLINK_KINDS.map((k) => html`<option value="${k}">${w.kind(k)}</option>`)}</select></label>
  <label>${b.form.vendor} <input type="text" name="vendor"></label>
  <label>${b.form.price} <input type="text" name="price" size="8"></label>
  <label>${b.form.currency} <input type="text" name="currency" size="4" value="RUB"></label>
  <label>${b.form.billing} <select name="billing">${BILLINGS.map((x) => html`<option value="${x}">${w.billing(x)}</option>`)}</select></label>
  <label>${b.form.boughtOn} <input type="date" name="bought_on"></label>
  <label>${b.form.paidUntil} <input type="date" name="paid_until"></label>
  <button type="submit">${t.common.add}</button>
</form>
<p class="hint">${b.form.importMany} ${importCommand}</p>
</section>`
    : html`<section>${readOnlyNote(c)}</section>`
}`,
    );
  })
  .post('/backlinks', async (c) => {
    const { sql, now } = c.get('deps');
    const { b, t, fmt } = backlinkWords(c);
    const body = await c.req.parseBody();
    const site = c.get('sites').find((s) => s.name === body.site);
    if (!site) return c.text(t.common.errors.unknownSite(String(body.site)), 400);
    const raw = Object.fromEntries(
      Object.entries(body).map(([k, v]) => [k, typeof v === 'string' && v !== '' ? v : undefined]),
    );
    const v = validateBacklinkInput(raw, b.form.where, {
      today: dayIn(now(), site.timeZone),
      labels: fieldLabels(b.form),
      say: b.input,
      day: fmt.day,
    });
    if ('errors' in v) return c.text(v.errors.join('\n'), 400);
    if ((await existingKeys(sql, site.id, backlinkKey)).has(backlinkKey(v.input.donorUrl, v.input.target)))
      return c.text(b.form.duplicate, 409);
    await insertBacklinks(sql, site.id, [v.input], now());
    return c.redirect(`/backlinks?site=${encodeURIComponent(site.name)}`, 303);
  })
  .get('/backlinks/export.csv', async (c) => {
    const site = c.get('site');
    const { b, t, fmt } = backlinkWords(c);
    if (!site) return c.text(t.common.noSite, 404);
    // Values stay as stored (ids, ISO dates, plain numbers) so a spreadsheet can sort and sum them; the
    // headers and the reasons, which are sentences, are in the reader's language.
    const rows = (await listBacklinks(c.get('deps').sql, site.id, filters(c))).map((l) => ({
      id: l.id,
      donor_url: l.donorUrl,
      target: l.target,
      status: l.status,
      google_passes: l.googlePasses,
      yandex_passes: l.yandexPasses,
      reasons: showReasons(l.statusReasons, b.reasons, fmt),
      kind: l.kind,
      vendor: l.vendor,
      price: l.priceMicros === null ? '' : l.priceMicros / 1e6,
      currency: l.currency,
      billing: l.billing,
      bought_on: l.boughtOn,
      paid_until: l.paidUntil,
      tags: l.tags.join(';'),
      last_checked_at: l.lastCheckedAt,
    }));
    const columns = Object.keys(b.csv);
    return csvDownload(c, `${site.name}-backlinks.csv`, rows, columns, b.csv);
  })
  .route('/', backlinksManage)
  .route('/', backlinkPage);
