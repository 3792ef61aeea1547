// Managing bought links from the dashboard: edit one link (the add form's fields, validated the same way),
// archive and bring back, delete after a confirmation page, re-check now (a manual run of the
// check-backlinks job), the list's selection (re-check, archive, bulk edit of vendor, tags and price), the
// archived links, and the evidence packs (ZIP) per link and per vendor.
import { rmSync } from 'node:fs';
import type { Context } from 'hono';
import { Hono } from 'hono';
import { html } from 'hono/html';
import { evidenceDirOf, evidencePack } from '../../src/backlinks/evidence.ts';
import { validateBacklinkInput, type BacklinkField } from '../../src/backlinks/import.ts';
import {
  bulkEditBacklinks,
  checkHistory,
  deleteBacklinks,
  getBacklink,
  listBacklinks,
  setArchived,
  updateBacklink,
  type BacklinkRow,
  type BulkEdit,
} from '../../src/backlinks/store.ts';
import { BACKLINK_KINDS } from '../../src/backlinks/types.ts';
import type { SiteRow } from '../../src/db/sites.ts';
import { dayIn } from '../../src/util/days.ts';
import { csrfField, errorPage, layout, readOnlyNote, siteHref } from '../layout.ts';
import { mayWrite } from '../access.ts';
import type { Env } from '../types.ts';
import { backlinkWords, fieldLabels } from './backlinks-words.ts';

const BILLINGS = ['one-off', 'monthly'] as const;
type Words = ReturnType<typeof backlinkWords>;

/** The currency a price without one is in: the install's base currency, else roubles (the add form's default). */
export function defaultCurrency(config: Env['Variables']['deps']['config']): string {
  return config.currency?.base ?? 'RUB';
}

/** The link of the `:id` parameter, when it belongs to a site this dashboard shows. */
async function linkOf(c: Context<Env>): Promise<{ link: BacklinkRow; site: SiteRow } | null> {
  const link = await getBacklink(c.get('deps').sql, Number(c.req.param('id')));
  const site = link && c.get('sites').find((s) => s.id === link.siteId);
  return link && site ? { link, site } : null;
}

const linkUrl = (site: SiteRow, id: number, done?: string) =>
  `/backlinks/${id}?site=${encodeURIComponent(site.name)}${done ? `&done=${done}` : ''}`;

function labels(w: Words): Partial<Record<BacklinkField, string>> {
  const m = w.b.manage;
  // The add form's labels, and the fields only the edit form has.
  return { ...fieldLabels(w.b.form), tags: m.tags, notes: m.notes, brand: m.brand };
}

/** A link's fields as the form shows them (what the owner typed, as text). */
function formValues(l: BacklinkRow): Record<BacklinkField, string> {
  return {
    donor_url: l.donorUrl,
    target: l.target,
    anchor: l.expectedAnchor ?? '',
    kind: l.kind,
    vendor: l.vendor ?? '',
    price: l.priceMicros === null ? '' : String(l.priceMicros / 1e6),
    currency: l.currency ?? '',
    billing: l.billing,
    bought_on: l.boughtOn ?? '',
    paid_until: l.paidUntil ?? '',
    tags: l.tags.join('; '),
    notes: l.notes ?? '',
    brand: l.brand ?? '',
  };
}

/** The edit form of one link, filled with `v` (the link, or what was just typed when it was refused). */
export function editForm(
  c: Context<Env>,
  id: number,
  v: Record<BacklinkField, string>,
  errors: string[] = [],
) {
  const w = backlinkWords(c);
  const { b } = w;
  const l = labels(w);
  const text = (name: BacklinkField, type = 'text', extra = '') =>
    html`<label>${l[name]} <input type="${type}" name="${name}" value="${v[name]}"${extra ? html` ${extra}` : ''}></label>`;
  return html`<form method="post" action="${siteHref(c, `/backlinks/${id}/edit`)}" class="inline" data-form="edit">
  ${csrfField(c)}
  ${errors.length ? html`<ul class="errors" role="alert">${errors.map((e) => html`<li>${e}</li>`)}</ul>` : ''}
  ${text('donor_url', 'url', 'required')} ${text('target')} ${text('anchor')}
  <label>${l.kind} <select name="kind">${BACKLINK_KINDS.map((k) => html`<option value="${k}"${k === v.kind ? html` selected` : ''}>${w.kind(k)}</option>`)}</select></label>
  ${text('vendor')} ${text('price')} ${text('currency')}
  <label>${l.billing} <select name="billing">${BILLINGS.map((x) => html`<option value="${x}"${x === v.billing ? html` selected` : ''}>${w.billing(x)}</option>`)}</select></label>
  ${text('bought_on', 'date')} ${text('paid_until', 'date')} ${text('tags')} ${text('notes')} ${text('brand')}
  <button type="submit">${b.manage.save}</button>
</form>`;
}

/** The link page's management part: re-check, edit, archive or bring back, delete, the evidence pack. */
export function manageSection(c: Context<Env>, link: BacklinkRow) {
  const w = backlinkWords(c);
  const m = w.b.manage;
  const post = (path: string, label: string, fields = html``) =>
    html`<form method="post" action="${siteHref(c, `/backlinks/${link.id}/${path}`)}" class="inline">${csrfField(c)}${fields}<button type="submit">${label}</button></form>`;
  // Someone who may only read keeps the evidence packs (reading) and is shown no change.
  const writer = mayWrite(c, link.siteId);
  return html`<section class="manage"><h2>${writer ? m.actions : m.packs}</h2>
<p class="actions">
${
  writer
    ? html`${c.get('deps').recheck && !link.archivedAt ? post('recheck', m.recheck) : ''}
${link.archivedAt ? post('archive', m.unarchive, html`<input type="hidden" name="to" value="current">`) : post('archive', m.archive, html`<input type="hidden" name="to" value="archived">`)}
<a href="${siteHref(c, `/backlinks/${link.id}/delete`)}">${m.delete}</a>`
    : ''
}
<a href="${siteHref(c, `/backlinks/${link.id}/evidence.zip`)}" download>${w.b.evidence.download}</a>
${link.vendor ? html`<a href="${siteHref(c, `/backlinks/evidence.zip?vendor=${encodeURIComponent(link.vendor)}`)}" download>${w.b.evidence.downloadVendor(link.vendor)}</a>` : ''}
</p>
${
  writer
    ? html`<p class="hint">${m.archiveHint}</p>
<details><summary>${m.edit}</summary>${editForm(c, link.id, formValues(link))}</details>`
    : readOnlyNote(c)
}
</section>`;
}

/** Controls under the list's table, inside the selection form (web/pages/backlinks.ts wraps the table). */
export function selectionControls(c: Context<Env>) {
  const w = backlinkWords(c);
  const m = w.b.manage;
  const recheck = c.get('deps').recheck;
  return html`<fieldset class="selection"><legend>${m.selected}</legend>
${recheck ? html`<button type="submit" name="action" value="recheck">${m.recheckSelected}</button>` : ''}
<button type="submit" name="action" value="archive">${m.archiveSelected}</button>
<details><summary>${m.bulkHeading}</summary>
<label>${m.bulkVendor} <input type="text" name="vendor"></label>
<label>${m.bulkAddTags} <input type="text" name="add_tags"></label>
<label>${m.bulkRemoveTags} <input type="text" name="remove_tags"></label>
<label>${m.bulkPrice} <input type="text" name="price" size="8"></label>
<label>${w.b.form.currency} <input type="text" name="currency" size="4" value="${defaultCurrency(c.get('deps').config)}"></label>
<button type="submit" name="action" value="edit">${m.bulkApply}</button>
</details>
<a href="${siteHref(c, '/backlinks/archived')}">${m.showArchived}</a>
</fieldset>`;
}

const splitTags = (s: string | undefined) =>
  [...new Set((s ?? '').split(/[;|,]/).map((t) => t.trim()))].filter(Boolean);

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

export const backlinksManage = new Hono<Env>()
  .post('/backlinks/:id{[0-9]+}/edit', async (c) => {
    const found = await linkOf(c);
    if (!found) return errorPage(c, 404, c.get('t').backlinks.link.noSuchLink);
    const { link, site } = found;
    const { sql, now, config } = c.get('deps');
    const w = backlinkWords(c);
    const body = await c.req.parseBody();
    const typed = Object.fromEntries(
      Object.keys(formValues(link)).map((k) => [k, str(body[k]) ?? '']),
    ) as Record<BacklinkField, string>;
    const v = validateBacklinkInput(
      Object.fromEntries(Object.entries(typed).map(([k, x]) => [k, x || undefined])),
      w.b.form.where,
      {
        today: dayIn(now(), site.timeZone),
        labels: labels(w),
        say: w.b.input,
        day: w.fmt.day,
        defaultCurrency: defaultCurrency(config),
      },
    );
    const refuse = (errors: string[]) =>
      layout(
        c,
        w.b.manage.editHeading,
        html`<p><a href="${siteHref(c, `/backlinks/${link.id}`)}">${w.b.back}</a></p><h2 class="url">${link.donorUrl}</h2>${editForm(c, link.id, typed, errors)}`,
        400,
      );
    if ('errors' in v) return refuse(v.errors);
    const r = await updateBacklink(sql, link.id, v.input);
    if (r === 'duplicate') return refuse([w.b.form.duplicate]);
    return c.redirect(linkUrl(site, link.id, 'saved'), 303);
  })
  .post('/backlinks/:id{[0-9]+}/archive', async (c) => {
    const found = await linkOf(c);
    if (!found) return errorPage(c, 404, c.get('t').backlinks.link.noSuchLink);
    const body = await c.req.parseBody();
    const archive = body.to !== 'current';
    await setArchived(c.get('deps').sql, [found.link.id], archive ? c.get('deps').now() : null);
    return c.redirect(linkUrl(found.site, found.link.id, archive ? 'archived' : 'unarchived'), 303);
  })
  .get('/backlinks/:id{[0-9]+}/delete', async (c) => {
    const found = await linkOf(c);
    if (!found) return errorPage(c, 404, c.get('t').backlinks.link.noSuchLink);
    const { link } = found;
    const m = c.get('t').backlinks.manage;
    const checks = (await checkHistory(c.get('deps').sql, link.id, 100_000)).length;
    return layout(
      c,
      m.deleteHeading,
      html`<h2 class="url">${link.donorUrl} → ${link.target}</h2>
<p>${m.deleteWarning(checks)}</p>
<form method="post" action="${siteHref(c, `/backlinks/${link.id}/delete`)}" class="inline">${csrfField(c)}<input type="hidden" name="confirm" value="yes">
<button type="submit" class="danger">${m.deleteConfirm}</button> <a href="${siteHref(c, `/backlinks/${link.id}`)}">${m.cancel}</a></form>
${link.archivedAt ? '' : html`<form method="post" action="${siteHref(c, `/backlinks/${link.id}/archive`)}" class="inline">${csrfField(c)}<input type="hidden" name="to" value="archived"><button type="submit">${m.archive}</button></form>`}`,
    );
  })
  .post('/backlinks/:id{[0-9]+}/delete', async (c) => {
    const found = await linkOf(c);
    if (!found) return errorPage(c, 404, c.get('t').backlinks.link.noSuchLink);
    const body = await c.req.parseBody();
    // Only the confirmation page's form says yes: anything else is sent there first.
    if (body.confirm !== 'yes')
      return c.redirect(
        `/backlinks/${found.link.id}/delete?site=${encodeURIComponent(found.site.name)}`,
        303,
      );
    const { screenshots } = await deleteBacklinks(c.get('deps').sql, [found.link.id]);
    for (const f of screenshots) rmSync(f, { force: true });
    return c.redirect(`/backlinks?site=${encodeURIComponent(found.site.name)}`, 303);
  })
  .post('/backlinks/:id{[0-9]+}/recheck', async (c) => {
    const found = await linkOf(c);
    if (!found) return errorPage(c, 404, c.get('t').backlinks.link.noSuchLink);
    const { recheck } = c.get('deps');
    if (!recheck) return c.text(c.get('t').jobs.noScheduler, 409);
    if (found.link.archivedAt) return errorPage(c, 400, c.get('t').backlinks.manage.cannotCheckArchived);
    const r = await recheck(found.site, [found.link.id]);
    // The runner skips a run while the scheduled one of the same job and site is at work.
    if (r.status === 'skipped') return errorPage(c, 400, c.get('t').backlinks.manage.recheckBusy);
    return c.redirect(linkUrl(found.site, found.link.id, 'rechecked'), 303);
  })
  .post('/backlinks/selected', async (c) => {
    const { sql, now, config, recheck } = c.get('deps');
    const w = backlinkWords(c);
    const m = w.b.manage;
    const body = await c.req.parseBody({ all: true });
    const site = c.get('sites').find((s) => s.name === body.site);
    if (!site) return c.text(w.t.common.errors.unknownSite(String(body.site)), 400);
    const raw = body.id;
    const wanted = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map(Number);
    // Only links of this site, never archived ones: a forged id of another site's link is ignored.
    const current = new Set((await listBacklinks(sql, site.id)).map((l) => l.id));
    const ids = wanted.filter((id) => current.has(id));
    const back = `/backlinks?site=${encodeURIComponent(site.name)}`;
    if (ids.length === 0) return errorPage(c, 400, m.noneSelected);
    const action = str(body.action);
    if (action === 'recheck') {
      if (!recheck) return c.text(w.t.jobs.noScheduler, 409);
      const r = await recheck(site, ids);
      if (r.status === 'skipped') return errorPage(c, 400, m.recheckBusy);
      return c.redirect(`${back}&done=rechecked`, 303);
    }
    if (action === 'archive') {
      await setArchived(sql, ids, now());
      return c.redirect(`${back}&done=archived`, 303);
    }
    const edit: BulkEdit = {};
    const vendor = str(body.vendor)?.trim();
    if (vendor) edit.vendor = vendor;
    const add = splitTags(str(body.add_tags));
    const remove = splitTags(str(body.remove_tags));
    if (add.length) edit.addTags = add;
    if (remove.length) edit.removeTags = remove;
    const price = str(body.price)?.trim();
    if (price) {
      // The add form's rules for a price and its currency, with the form's wording of any refusal.
      const v = validateBacklinkInput(
        { donor_url: 'https://price.invalid/', target: 'price.invalid', price, currency: str(body.currency) },
        w.b.form.where,
        {
          today: dayIn(now(), site.timeZone),
          labels: labels(w),
          say: w.b.input,
          day: w.fmt.day,
          defaultCurrency: defaultCurrency(config),
        },
      );
      if ('errors' in v) return errorPage(c, 400, v.errors.join(' '));
      edit.price = { micros: v.input.priceMicros!, currency: v.input.currency! };
    }
    if (Object.keys(edit).length === 0) return errorPage(c, 400, m.nothingToChange);
    await bulkEditBacklinks(sql, ids, edit);
    return c.redirect(`${back}&done=edited`, 303);
  })
  .get('/backlinks/archived', async (c) => {
    const site = c.get('site');
    const w = backlinkWords(c);
    const m = w.b.manage;
    if (!site) return errorPage(c, 404, w.t.common.noSite);
    const links = await listBacklinks(c.get('deps').sql, site.id, { archived: 'only' });
    const writer = mayWrite(c, site.id);
    return layout(
      c,
      m.archivedHeading,
      html`<p><a href="${siteHref(c, '/backlinks')}">${m.hideArchived}</a></p>
${
  links.length === 0
    ? html`<section class="empty"><p>${m.noArchived}</p></section>`
    : html`<div class="table-scroll"><table><thead><tr><th>${w.b.list.donor}</th><th>${w.b.list.state}</th><th>${w.b.list.vendor}</th><th>${w.b.list.price}</th>${writer ? html`<th></th>` : ''}</tr></thead><tbody>
${links.map(
  (
    l,
  ) => html`<tr data-archived="${l.id}"><td><a href="${siteHref(c, `/backlinks/${l.id}`)}">${l.donorUrl}</a><br><small>→ ${l.target}</small><br><small>${m.archivedOn(w.fmt.dateTime(l.archivedAt))}</small></td>
<td>${w.state(l.status)}</td><td>${l.vendor ?? ''}</td><td>${l.priceMicros === null ? '' : w.money(l.priceMicros, l.currency)}</td>
${writer ? html`<td><form method="post" action="${siteHref(c, `/backlinks/${l.id}/archive`)}" class="inline">${csrfField(c)}<input type="hidden" name="to" value="current"><button type="submit">${m.unarchive}</button></form></td>` : ''}</tr>`,
)}
</tbody></table></div>`
}`,
    );
  })
  .get('/backlinks/:id{[0-9]+}/evidence.zip', async (c) => {
    const found = await linkOf(c);
    if (!found) return errorPage(c, 404, c.get('t').backlinks.link.noSuchLink);
    const { link, site } = found;
    return zip(c, `evidence-link-${link.id}.zip`, [link], `#${link.id} ${link.donorUrl}`, site);
  })
  .get('/backlinks/evidence.zip', async (c) => {
    const site = c.get('site');
    const w = backlinkWords(c);
    if (!site) return errorPage(c, 404, w.t.common.noSite);
    const vendor = c.req.query('vendor') ?? '';
    // Archived links too: a refund claim is about what was bought, whatever the owner did since.
    const links = await listBacklinks(c.get('deps').sql, site.id, { vendor, archived: 'with' });
    if (!vendor || links.length === 0) return errorPage(c, 404, w.b.evidence.noVendor);
    const file = `evidence-${vendor.replace(/[^\p{L}\p{N}._-]+/gu, '-')}.zip`;
    return zip(c, file, links, vendor, site);
  });

async function zip(c: Context<Env>, file: string, links: BacklinkRow[], title: string, site: SiteRow) {
  const bytes = await evidencePack(c.get('deps').sql, evidenceDirOf(c.get('deps')), links, {
    words: c.get('t').backlinks,
    fmt: c.get('fmt'),
    title,
    siteName: site.name,
    now: c.get('deps').now(),
  });
  c.header('Content-Type', 'application/zip');
  // RFC 6266: an ASCII fallback and the UTF-8 name (vendors are often named in Cyrillic).
  c.header(
    'Content-Disposition',
    `attachment; filename="${file.replace(/[^\x20-\x7e]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(file)}`,
  );
  return c.body(new Uint8Array(bytes));
}
