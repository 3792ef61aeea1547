// One backlink's page: its state per engine, what tools said, the evidence kept for good (first confirmed
// live, every change of state), every check with its evidence (the link as found, redirects, the
// screenshot served from the evidence folder only), and managing the link (web/pages/backlinks-manage.ts).
import { readFileSync } from 'node:fs';
import { evidenceDirOf, evidenceFile, evidenceItems } from '../../src/backlinks/evidence.ts';
import { Hono } from 'hono';
import { html } from 'hono/html';
import { parseReason, reasonText } from '../../src/backlinks/reasons.ts';
import { checkHistory, checkScreenshot, getBacklink } from '../../src/backlinks/store.ts';
import type { StoredToolState } from '../../src/backlinks/tool-state.ts';
import { toolStatesOf } from '../../src/backlinks/tool-state-store.ts';
import { dayIn } from '../../src/util/days.ts';
import { layout, siteHref } from '../layout.ts';
import type { Env } from '../types.ts';
import { manageSection } from './backlinks-manage.ts';
import { backlinkWords } from './backlinks-words.ts';

export const backlinkPage = new Hono<Env>()
  .get('/backlinks/:id{[0-9]+}', async (c) => {
    const { sql } = c.get('deps');
    const w = backlinkWords(c);
    const { b, fmt } = w;
    const link = await getBacklink(sql, Number(c.req.param('id')));
    const site = c.get('sites').find((s) => s.id === link?.siteId);
    if (!link || !site) return c.text(b.link.noSuchLink, 404);
    const checks = await checkHistory(sql, link.id, 100);
    const kept = (await evidenceItems(sql, link.id)).filter((i) => i.kind === 'change');
    const m = b.manage;
    const done = c.req.query('done');
    const notice =
      done === 'saved'
        ? m.saved
        : done === 'rechecked'
          ? m.rechecked(1, checks[0] ? w.outcome(checks[0].outcome) : '')
          : null;
    const shot = (checkId: number) => siteHref(c, `/backlinks/${link.id}/evidence/${checkId}`);
    const said = await toolStatesOf(sql, link.id);
    const imported = (s: StoredToolState) =>
      b.tools.imported(fmt.day(dayIn(new Date(s.importedAt), site.timeZone)));
    const summary = b.link.summary({
      kind: w.kind(link.kind),
      vendor: link.vendor,
      price: link.priceMicros === null ? null : w.money(link.priceMicros, link.currency),
      billing: w.billing(link.billing),
      boughtOn: link.boughtOn && fmt.day(link.boughtOn),
      paidUntil: link.paidUntil && fmt.day(link.paidUntil),
    });
    /** A check's reasons, and its error unless a reason already says it. */
    const why = (reasons: string[], error: string | null) => {
      const parsed = reasons.map(parseReason);
      const told =
        error !== null &&
        parsed.some(
          (r) =>
            (r.code === 'fetch-failed' && r.message === error) || (r.code === 'text' && r.text === error),
        );
      const texts = parsed.map((r) => reasonText(r, b.reasons, fmt));
      if (error !== null && !told) {
        const e = parseReason(error);
        texts.push(
          reasonText(e.code === 'text' ? { code: 'fetch-failed', message: error } : e, b.reasons, fmt),
        );
      }
      return texts.join('; ');
    };
    return layout(
      c,
      b.linkTitle,
      html`<p><a href="${siteHref(c, '/backlinks')}">${b.back}</a></p>
${notice ? html`<p class="notice" role="status">${notice}</p>` : ''}
${link.archivedAt ? html`<p class="notice" data-archived>${m.archivedOn(fmt.dateTime(link.archivedAt))}</p>` : ''}
<h2 class="url">${link.donorUrl} → ${link.target}</h2>
<section class="cards">
  <div class="card"><span class="label">${b.link.state}</span><span class="value" data-state="${link.status}">${w.state(link.status)}</span></div>
  <div class="card"><span class="label">${b.engines.google}</span><span class="value">${w.yesNo(link.googlePasses)}</span></div>
  <div class="card"><span class="label">${b.engines.yandex}</span><span class="value">${w.yesNo(link.yandexPasses)}</span></div>
  <div class="card"><span class="label">${b.link.why}</span><span class="value small">${w.reasons(link.statusReasons) || '—'}</span></div>
  ${said.length ? html`<div class="card"><span class="label">${b.list.toolsSay}</span><span class="value small">${w.toolSays(said, imported)}</span></div>` : ''}
</section>
<p>${summary}
${link.expectedAnchor ? b.link.expectedAnchor(link.expectedAnchor) : ''}</p>
<section class="evidence-history"><h2>${b.evidence.heading}</h2>
<p class="hint">${b.evidence.hint}</p>
${
  kept.length === 0
    ? html`<p>${b.evidence.none}</p>`
    : html`<ol class="evidence-list">${kept.map(
        (
          i,
        ) => html`<li data-check="${i.check.id}"><time datetime="${i.check.checkedAt}">${fmt.dateTime(i.check.checkedAt)}</time>:
<strong>${b.evidence.change(w.state(i.from!), w.state(i.to!))}</strong> — ${w.outcome(i.check.outcome)}, HTTP ${i.check.httpStatus ?? '—'}${i.check.finalUrl && i.check.finalUrl !== link.donorUrl ? html`, ${i.check.finalUrl}` : ''}
${i.check.screenshot ? html`<br><a href="${shot(i.check.id)}"><img class="evidence" src="${shot(i.check.id)}" alt="${b.link.screenshot}" loading="lazy"></a>` : html`<br><small>${b.evidence.noScreenshot}</small>`}</li>`,
      )}</ol>`
}
</section>
${manageSection(c, link)}
<h2>${b.link.checks}</h2>
<div class="table-wrap"><table><thead><tr><th>${b.link.when}</th><th>${b.link.how}</th><th>${b.link.outcome}</th><th>HTTP</th><th>${b.link.why}</th><th>${b.link.found}</th><th>${b.link.hash}</th></tr></thead><tbody>
${checks.map(
  (
    k,
  ) => html`<tr class="${k.outcome === 'missing' || k.outcome === 'gone' ? 'bad' : ''}"><td>${fmt.dateTime(k.checkedAt)}</td><td>${w.mode(k.mode)}</td><td data-outcome="${k.outcome}">${w.outcome(k.outcome)}</td>
<td>${k.httpStatus ?? '—'}${k.redirects.length ? html`<br><small>${b.link.redirects(k.redirects.length, k.finalUrl ?? '')}</small>` : ''}</td>
<td><small>${why(k.reasons, k.error)}${link.brand && k.brandMentions ? html`<br>${b.link.brand(link.brand, k.brandMentions, !k.link)}` : ''}${k.externalLinks !== null ? html`<br>${b.link.externalLinks(k.externalLinks)}` : ''}</small></td>
<td><code>${k.link ? String(k.link.snippet ?? '') : '—'}</code>${k.screenshot ? html`<br><a href="${siteHref(c, `/backlinks/${link.id}/evidence/${k.id}`)}"><img class="evidence" src="${siteHref(c, `/backlinks/${link.id}/evidence/${k.id}`)}" alt="${b.link.screenshot}"></a>` : ''}</td>
<td><small>${k.htmlHash?.slice(0, 12) ?? ''}</small></td></tr>`,
)}
</tbody></table></div>
<p class="hint">${b.link.cloakingHint}</p>`,
    );
  })
  .get('/backlinks/:id{[0-9]+}/evidence/:check{[0-9]+}', async (c) => {
    const { sql } = c.get('deps');
    const screenshot = await checkScreenshot(sql, Number(c.req.param('id')), Number(c.req.param('check')));
    // Only files under the evidence folder are served, whatever the row says.
    const file = evidenceFile(evidenceDirOf(c.get('deps')), screenshot ?? null);
    if (!file) return c.text(c.get('t').backlinks.link.noScreenshot, 404);
    c.header('Content-Type', 'image/png');
    c.header('Cache-Control', 'private, max-age=86400');
    return c.body(new Uint8Array(readFileSync(file)));
  });
