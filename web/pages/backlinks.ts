// Backlinks pages: the bought links with their verdicts and filters, money charts, one link's history and evidence.
import { existsSync, readFileSync } from 'node:fs';
import { resolve, sep, dirname, join } from 'node:path';
import type { Context } from 'hono';
import { Hono } from 'hono';
import { html } from 'hono/html';
import { backlinkKey, validateBacklinkInput } from '../../src/backlinks/import.ts';
import {
  checkHistory,
  existingKeys,
  getBacklink,
  insertBacklinks,
  listBacklinks,
  type BacklinkFilter,
} from '../../src/backlinks/store.ts';
import { describeToolState, TOOL_STATE_TEXT, type StoredToolState } from '../../src/backlinks/tool-state.ts';
import { toolStatesBySite, toolStatesOf } from '../../src/backlinks/tool-state-store.ts';
import { BACKLINK_KINDS } from '../../src/backlinks/types.ts';
import { dayIn } from '../../src/util/days.ts';
import { siteMoney } from '../api/backlinks.ts';
import { csvDownload } from '../csv.ts';
import { csrfField, emptyState, fmtTime, layout, siteHref } from '../layout.ts';
import type { Env } from '../types.ts';

const money = (micros: number, currency: string) =>
  `${(micros / 1e6).toLocaleString('en-US', { maximumFractionDigits: 0 })} ${currency}`;
/** What backlink tools last said, beside (never instead of) our verdict. */
const TOOLS_SAY = 'Tools say';
const toolSays = (states: StoredToolState[], imported?: (s: StoredToolState) => string) =>
  states.map(
    (s, i) =>
      html`${i ? html`<br>` : ''}<small title="${TOOL_STATE_TEXT.notOurs}">${describeToolState(s)}${imported ? `, ${imported(s)}` : ''}</small>`,
  );
const yesNo = (v: boolean | null) =>
  v === null ? '—' : v ? 'yes' : html`<strong class="bad-text">no</strong>`;

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
  .get('/backlinks', (c) => {
    const { db, now } = c.get('deps');
    const site = c.get('site');
    if (!site) return layout(c, 'Backlinks', emptyState('No site is configured yet.', ''));
    const { links, report } = siteMoney(db, site.id, site.timeZone, now());
    const f = filters(c);
    const shown = listBacklinks(db, site.id, f);
    const said = toolStatesBySite(db, site.id);
    const count = (s: string) => links.filter((l) => l.status === s).length;
    const vendors = [...new Set(links.map((l) => l.vendor).filter(Boolean))] as string[];
    const tags = [...new Set(links.flatMap((l) => l.tags))];
    const api = `/api/backlinks/trend?site=${encodeURIComponent(site.name)}`;
    const query = new URLSearchParams(
      Object.entries(f).filter(([, v]) => v) as [string, string][],
    ).toString();
    const sel = (name: string, options: string[], value: string | undefined) =>
      html`<label>${name} <select name="${name}"><option value="">any</option>${options.map((o) => html`<option value="${o}"${o === value ? html` selected` : ''}>${o}</option>`)}</select></label>`;
    return layout(
      c,
      'Backlinks',
      html`
<section class="cards">
  <div class="card"><span class="label">Live</span><span class="value">${count('live')}</span></div>
  <div class="card"><span class="label">Devalued</span><span class="value">${count('devalued')}</span></div>
  <div class="card"><span class="label">Lost (confirmed)</span><span class="value">${count('lost')}</span></div>
  <div class="card"><span class="label">Inconclusive / not checked</span><span class="value">${count('inconclusive') + count('unchecked')}</span></div>
  ${Object.entries(report.totals).map(
    ([
      cur,
      t,
    ]) => html`<div class="card"><span class="label">Paid for lost or devalued days (${cur})</span><span class="value">${money(t.wastedMicros, cur)}</span></div>
  <div class="card"><span class="label">Cost per live link-day (${cur})</span><span class="value">${t.costPerLiveDayMicros === null ? '—' : money(t.costPerLiveDayMicros, cur)}</span></div>`,
  )}
</section>
${
  links.length === 0
    ? emptyState(
        'No bought links yet.',
        'Add one below, or import a CSV with: promowatch links import FILE --site ' + site.name,
      )
    : html`<section class="charts">
  <figure class="chart"><figcaption>Links by state, per day</figcaption><canvas data-chart="links" data-src="${api}" role="img" aria-label="Links by state"></canvas></figure>
  <figure class="chart"><figcaption>Money paid for links that were lost or devalued, per day</figcaption><canvas data-chart="wasted" data-src="${api}" role="img" aria-label="Money wasted"></canvas></figure>
</section>`
}
<section>
<h2>Links</h2>
<form method="get" action="/backlinks" class="inline">
  <input type="hidden" name="site" value="${site.name}">
  ${sel('status', ['live', 'devalued', 'lost', 'inconclusive', 'unchecked'], f.status)}
  ${sel('engine', ['google-fails', 'yandex-fails'], f.engine)}
  ${sel('vendor', vendors, f.vendor)} ${sel('kind', [...BACKLINK_KINDS], f.kind)} ${sel('tag', tags, f.tag)}
  <button type="submit">Filter</button> <a href="${siteHref(c, `/backlinks/export.csv${query ? `?${query}` : ''}`)}">Download (CSV)</a>
</form>
<table><thead><tr><th>Donor page</th><th>State</th><th>Google</th><th>Yandex</th><th>Why</th><th>${TOOLS_SAY}</th><th>Vendor</th><th>Price</th><th>Paid until</th><th>Checked</th></tr></thead><tbody>
${shown.map(
  (
    l,
  ) => html`<tr class="${l.status === 'lost' ? 'bad' : ''}"><td><a href="${siteHref(c, `/backlinks/${l.id}`)}">${l.donorUrl}</a><br><small>→ ${l.target}</small></td>
<td><span class="status ${l.status === 'live' ? 'ok' : l.status === 'lost' ? 'failed' : l.status === 'devalued' ? 'interrupted' : ''}">${l.status}</span>${l.failStreak > 0 && l.status !== 'lost' ? html`<br><small>failing ${l.failStreak}×, not confirmed</small>` : ''}</td>
<td>${yesNo(l.googlePasses)}</td><td>${yesNo(l.yandexPasses)}</td><td><small>${l.statusReasons.join('; ')}</small></td><td>${toolSays(said.get(l.id) ?? [])}</td>
<td>${l.vendor ?? ''}</td><td>${l.priceMicros === null ? '' : `${money(l.priceMicros, l.currency ?? '')}${l.billing === 'monthly' ? '/mo' : ''}`}</td><td>${l.paidUntil ?? ''}</td><td>${fmtTime(l.lastCheckedAt, site.timeZone)}</td></tr>`,
)}
</tbody></table>
</section>
${
  report.renewalsDue.length
    ? html`<section><h2>Renewals due in 14 days</h2><ul>${report.renewalsDue.map((r) => html`<li>${r.paidUntil}: <a href="${siteHref(c, `/backlinks/${r.id}`)}">#${r.id}</a> ${r.vendor ?? ''}</li>`)}</ul></section>`
    : ''
}
<section><h2>Vendors</h2>
<table><thead><tr><th>Vendor</th><th>Links bought</th><th>Lost within 90 days</th><th>Paid for lost or devalued days</th></tr></thead><tbody>
${report.vendorReliability.map((v) => {
  const w = report.wastedByVendor.filter((x) => x.vendor === v.vendor);
  return html`<tr><td>${v.vendor}</td><td>${v.bought}</td><td>${v.lostWithin90Days} (${Math.round(v.share * 100)}%)</td><td>${w.map((x) => money(x.wastedMicros, x.currency)).join(', ') || '—'}</td></tr>`;
})}
</tbody></table></section>
<section><h2>Add a link</h2>
<form method="post" action="/backlinks" class="inline">
  ${csrfField(c)}<input type="hidden" name="site" value="${site.name}">
  <label>Donor page <input type="url" name="donor_url" required></label>
  <label>Target <input type="text" name="target" value="${site.baseUrl}"></label>
  <label>Anchor <input type="text" name="anchor"></label>
  <label>Kind <select name="kind">${BACKLINK_KINDS.map((k) => html`<option>${k}</option>`)}</select></label>
  <label>Vendor <input type="text" name="vendor"></label>
  <label>Price <input type="text" name="price" size="8"></label>
  <label>Currency <input type="text" name="currency" size="4" value="RUB"></label>
  <label>Billing <select name="billing"><option>one-off</option><option>monthly</option></select></label>
  <label>Bought on <input type="date" name="bought_on"></label>
  <label>Paid until <input type="date" name="paid_until"></label>
  <button type="submit">Add</button>
</form>
<p class="hint">Many links at once: <code>promowatch links import FILE --site ${site.name}</code> (our columns, Ahrefs, Semrush or Sape exports).</p>
</section>`,
    );
  })
  .post('/backlinks', async (c) => {
    const { db, now } = c.get('deps');
    const body = await c.req.parseBody();
    const site = c.get('sites').find((s) => s.name === body.site);
    if (!site) return c.text(`Unknown site "${String(body.site)}"`, 400);
    const raw = Object.fromEntries(
      Object.entries(body).map(([k, v]) => [k, typeof v === 'string' && v !== '' ? v : undefined]),
    );
    const v = validateBacklinkInput(raw, 'form', { today: dayIn(now(), site.timeZone) });
    if ('errors' in v) return c.text(v.errors.join('\n'), 400);
    if (existingKeys(db, site.id, backlinkKey).has(backlinkKey(v.input.donorUrl, v.input.target)))
      return c.text('This link is already in the inventory', 409);
    insertBacklinks(db, site.id, [v.input], now());
    return c.redirect(`/backlinks?site=${encodeURIComponent(site.name)}`, 303);
  })
  .get('/backlinks/export.csv', (c) => {
    const site = c.get('site');
    if (!site) return c.text('No site', 404);
    const rows = listBacklinks(c.get('deps').db, site.id, filters(c)).map((l) => ({
      id: l.id,
      donor_url: l.donorUrl,
      target: l.target,
      status: l.status,
      google_passes: l.googlePasses,
      yandex_passes: l.yandexPasses,
      reasons: l.statusReasons.join('; '),
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
    return csvDownload(c, `${site.name}-backlinks.csv`, rows);
  })
  .get('/backlinks/:id{[0-9]+}', (c) => {
    const { db } = c.get('deps');
    const link = getBacklink(db, Number(c.req.param('id')));
    const site = c.get('sites').find((s) => s.id === link?.siteId);
    if (!link || !site) return c.text('No such link', 404);
    const checks = checkHistory(db, link.id, 100);
    const said = toolStatesOf(db, link.id);
    return layout(
      c,
      'Backlink',
      html`<p><a href="${siteHref(c, '/backlinks')}">← Backlinks</a></p>
<h2 class="url">${link.donorUrl} → ${link.target}</h2>
<section class="cards">
  <div class="card"><span class="label">State</span><span class="value">${link.status}</span></div>
  <div class="card"><span class="label">Google</span><span class="value">${yesNo(link.googlePasses)}</span></div>
  <div class="card"><span class="label">Yandex</span><span class="value">${yesNo(link.yandexPasses)}</span></div>
  <div class="card"><span class="label">Why</span><span class="value small">${link.statusReasons.join('; ') || '—'}</span></div>
  ${said.length ? html`<div class="card"><span class="label">${TOOLS_SAY}</span><span class="value small">${toolSays(said, (s) => TOOL_STATE_TEXT.imported(dayIn(new Date(s.importedAt), site.timeZone)))}</span></div>` : ''}
</section>
<p>${link.kind}${link.vendor ? html`, from ${link.vendor}` : ''}${link.priceMicros !== null ? html`, ${money(link.priceMicros, link.currency ?? '')} ${link.billing}` : ''}${link.boughtOn ? html`, bought ${link.boughtOn}` : ''}${link.paidUntil ? html`, paid until ${link.paidUntil}` : ''}.
${link.expectedAnchor ? html`Expected anchor: “${link.expectedAnchor}”.` : ''}</p>
<h2>Checks (the evidence)</h2>
<table><thead><tr><th>When</th><th>How</th><th>Outcome</th><th>HTTP</th><th>Why</th><th>The link as found</th><th>Page hash</th></tr></thead><tbody>
${checks.map(
  (
    k,
  ) => html`<tr class="${k.outcome === 'missing' || k.outcome === 'gone' ? 'bad' : ''}"><td>${fmtTime(k.checkedAt, site.timeZone)}</td><td>${k.mode}</td><td>${k.outcome}</td>
<td>${k.httpStatus ?? '—'}${k.redirects.length ? html`<br><small>${k.redirects.length} redirect(s) → ${k.finalUrl}</small>` : ''}</td>
<td><small>${k.reasons.join('; ')}${k.error ? ` ${k.error}` : ''}${link.brand && k.brandMentions ? html`<br>“${link.brand}” mentioned ${k.brandMentions}×${k.link ? '' : ' without a link'}` : ''}${k.externalLinks !== null ? html`<br>${k.externalLinks} external links on the page` : ''}</small></td>
<td><code>${k.link ? String(k.link.snippet ?? '') : '—'}</code>${k.screenshot ? html`<br><a href="${siteHref(c, `/backlinks/${link.id}/evidence/${k.id}`)}"><img class="evidence" src="${siteHref(c, `/backlinks/${link.id}/evidence/${k.id}`)}" alt="Screenshot of the donor page"></a>` : ''}</td>
<td><small>${k.htmlHash?.slice(0, 12) ?? ''}</small></td></tr>`,
)}
</tbody></table>
<p class="hint">Cloaking checks compare a Googlebot fetch with a browser fetch; a difference is a warning sign, not proof — some sites block anything claiming to be Googlebot.</p>`,
    );
  })
  .get('/backlinks/:id{[0-9]+}/evidence/:check{[0-9]+}', (c) => {
    const { db } = c.get('deps');
    const row = db
      .prepare(`SELECT screenshot FROM backlink_checks WHERE id = ? AND backlink_id = ?`)
      .get(Number(c.req.param('check')), Number(c.req.param('id'))) as
      { screenshot: string | null } | undefined;
    // Only files under the evidence folder next to the database are served, whatever the row says.
    const root = resolve(join(dirname(db.name), 'evidence')) + sep;
    const file = row?.screenshot ? resolve(row.screenshot) : null;
    if (!file || !file.startsWith(root) || !existsSync(file)) return c.text('No screenshot', 404);
    c.header('Content-Type', 'image/png');
    c.header('Cache-Control', 'private, max-age=86400');
    return c.body(new Uint8Array(readFileSync(file)));
  });
