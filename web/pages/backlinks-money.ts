// The money blocks of the Backlinks page, told as it was paid: the lost and devalued links with their
// prices and fees (the pro-rated estimate only beneath, labelled), the renewals worth making, and the
// vendor table. Kept apart from the page's link list so each can change without the other.
import type { Context } from 'hono';
import { html } from 'hono/html';
import type { DeadLink, DeadLinkTotals, MoneyReport, VendorRow } from '../../src/backlinks/money.ts';
import { siteHref } from '../layout.ts';
import type { Env } from '../types.ts';
import { backlinkWords } from './backlinks-words.ts';

type Words = ReturnType<typeof backlinkWords>;

/** "20 400 ₽ one-off + 1 300 ₽/month": the parts that are not zero. */
function paidAmounts(w: Words, t: DeadLinkTotals): string {
  const d = w.b.dead;
  return [
    t.oneOffMicros > 0 && d.oneOff(w.money(t.oneOffMicros, t.currency)),
    t.monthlyMicros > 0 && d.monthly(w.money(t.monthlyMicros, t.currency)),
  ]
    .filter(Boolean)
    .join(' + ');
}

/** The price as paid: "8 000 ₽ one-off" or "400 ₽/month". */
function paid(w: Words, l: Pick<DeadLink, 'priceMicros' | 'currency' | 'billing'>): string {
  const d = w.b.dead;
  if (l.priceMicros === null) return d.noPrice;
  const price = w.money(l.priceMicros, l.currency);
  return l.billing === 'monthly' ? d.monthly(price) : d.oneOff(price);
}

/** The "Lost and devalued links" block, for the top of the page. */
export function deadLinksBlock(
  c: Context<Env>,
  dead: { links: DeadLink[]; totals: DeadLinkTotals[] },
  report: MoneyReport,
  paidUntil: Map<number, string | null>,
) {
  const w = backlinkWords(c);
  const { b, fmt } = w;
  const d = b.dead;
  if (dead.links.length === 0)
    return html`<section class="dead-links"><h2>${d.heading}</h2><p>${d.none}</p></section>`;
  // Links without a price are counted under "—": they cost nothing, so they get no money line.
  const totals = dead.totals.filter((t) => t.oneOffMicros > 0 || t.monthlyMicros > 0);
  const proRated = Object.entries(report.totals).filter(([cur, x]) => cur !== '—' && x.wastedMicros > 0);
  const fee = (l: DeadLink) => {
    if (l.billing !== 'monthly') return '—';
    const until = paidUntil.get(l.id) ?? null;
    if (l.stillPaying) return html`<strong class="bad-text">${d.feeRuns(until && w.day(until))}</strong>`;
    return until ? d.feeStopped(w.day(until)) : '—';
  };
  return html`<section class="dead-links">
<h2>${d.heading} <small>${fmt.number(dead.links.length)}</small></h2>
${totals.map(
  (t) => html`<p class="money-total"><strong>${d.paid(paidAmounts(w, t))}</strong></p>
<p class="money-running">${t.stillPayingMonthlyMicros > 0 ? html`<strong class="bad-text">${d.stillPaying(w.money(t.stillPayingMonthlyMicros, t.currency))}</strong>` : d.notPaying}</p>`,
)}
<div class="table-wrap"><table><thead><tr><th>${d.head.donor}</th><th>${d.head.state}</th><th>${d.head.vendor}</th><th>${d.head.paid}</th><th>${d.head.since}</th><th>${d.head.fee}</th></tr></thead><tbody>
${dead.links.map(
  (
    l,
  ) => html`<tr class="${l.status === 'lost' ? 'bad' : ''}" data-dead-link="${l.id}"><td><a href="${siteHref(c, `/backlinks/${l.id}`)}">${l.donorUrl}</a></td>
<td><span class="status ${l.status === 'lost' ? 'failed' : 'interrupted'}" data-state="${l.status}">${w.state(l.status)}</span></td>
<td>${l.vendor ?? ''}</td><td>${paid(w, l)}</td>
<td>${l.since === null ? '—' : l.days ? d.since(w.day(l.since), fmt.days(l.days)) : d.sinceToday(w.day(l.since))}</td><td>${fee(l)}</td></tr>`,
)}
</tbody></table></div>
${proRated.map(([cur, x]) => html`<p class="hint pro-rated">${d.proRated(w.money(x.wastedMicros, cur))}</p>`)}
${proRated.length ? html`<p class="hint">${d.proRatedHint}</p>` : ''}
</section>`;
}

/** Renewals due within 14 days, of links worth renewing (money.ts renewable()). */
export function renewalsBlock(c: Context<Env>, report: MoneyReport, donors: Map<number, string>) {
  const w = backlinkWords(c);
  const r = w.b.renewals;
  if (report.renewalsDue.length === 0) return '';
  return html`<section class="renewals"><h2>${r.heading}</h2><ul>${report.renewalsDue.map(
    (x) =>
      html`<li>${w.day(x.paidUntil)}: <a href="${siteHref(c, `/backlinks/${x.id}`)}">${donors.get(x.id) ?? `#${x.id}`}</a> ${x.vendor ?? ''}${x.status === 'devalued' ? html` <span class="status interrupted" data-state="devalued">${w.state('devalued')}</span>` : ''}</li>`,
  )}</ul><p class="hint">${r.hint}</p></section>`;
}

/** The vendor table: spent in all and on dead links, loss rate, median lifetime. */
export function vendorsBlock(c: Context<Env>, vendors: VendorRow[]) {
  const w = backlinkWords(c);
  const { fmt } = w;
  const v = w.b.vendors;
  if (vendors.length === 0) return '';
  const amounts = (list: { currency: string; micros: number }[]) =>
    list
      .filter((x) => x.currency !== '—')
      .map((x) => w.money(x.micros, x.currency))
      .join(', ') || '—';
  return html`<section class="vendors"><h2>${v.heading}</h2>
<div class="table-wrap"><table><thead><tr><th>${v.vendor}</th><th>${v.bought}</th><th>${v.spent}</th><th>${v.spentOnDead}</th><th>${v.lossRate}</th><th>${v.lifetime}</th></tr></thead><tbody>
${vendors.map(
  (
    r,
  ) => html`<tr><td>${r.vendor ? html`${r.vendor}<br><small><a href="${siteHref(c, `/backlinks/evidence.zip?vendor=${encodeURIComponent(r.vendor)}`)}" download>${w.b.evidence.vendorPack}</a></small>` : html`<em>${v.noVendor}</em>`}</td><td>${fmt.number(r.links)}</td><td>${amounts(r.spent)}</td><td>${amounts(r.spentOnDead)}</td>
<td>${v.lossCell(fmt.number(r.dead), fmt.number(r.links), fmt.percent(r.lossRate, 0))}</td>
<td>${r.lifetime === null ? '—' : r.lifetime.atLeast ? v.atLeast(fmt.days(r.lifetime.days)) : fmt.days(r.lifetime.days)}</td></tr>`,
)}
</tbody></table></div>
<p class="hint">${v.hint}</p></section>`;
}
