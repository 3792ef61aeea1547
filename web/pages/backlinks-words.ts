// The words and formats the Backlinks pages share: labels of the stable ids (states, kinds, billing,
// outcomes), money, days, reasons and what backlink tools said, in the reader's language.
import type { Context } from 'hono';
import { html } from 'hono/html';
import { showReasons } from '../../src/backlinks/reasons.ts';
import { describeToolState, type StoredToolState } from '../../src/backlinks/tool-state.ts';
import type { Outcome } from '../../src/backlinks/verdict.ts';
import type { BacklinkField } from '../../src/backlinks/import.ts';
import type { Env } from '../types.ts';

/** The words and formats of one request. */
export function backlinkWords(c: Context<Env>) {
  const t = c.get('t');
  const fmt = c.get('fmt');
  const b = t.backlinks;
  const label = <T extends string>(names: Record<T, string>, id: string) =>
    (names as Record<string, string>)[id] ?? id;
  return {
    t,
    b,
    fmt,
    state: (s: string) => label(b.states, s),
    kind: (k: string) => label(b.kinds, k),
    billing: (x: string) => label(b.billing, x),
    outcome: (o: string) => label<Outcome>(b.outcomes, o),
    mode: (m: string) => label(b.modes, m),
    money: (micros: number, currency: string | null) => fmt.money(micros, currency ?? ''),
    day: (d: string | null) => (d ? fmt.day(d) : ''),
    reasons: (texts: string[]) => showReasons(texts, b.reasons, fmt),
    yesNo: (v: boolean | null) =>
      v === null ? '—' : v ? t.common.yes : html`<strong class="bad-text">${t.common.no}</strong>`,
    /** What backlink tools last said, beside (never instead of) our verdict. */
    toolSays: (states: StoredToolState[], imported?: (s: StoredToolState) => string) =>
      states.map(
        (s, i) =>
          html`${i ? html`<br>` : ''}<small title="${b.tools.notOurs}">${describeToolState(s, b.tools, fmt.day)}${imported ? `, ${imported(s)}` : ''}</small>`,
      ),
  };
}

/** The form's fields as its labels name them, for the messages about what was typed. */
export function fieldLabels(
  f: Env['Variables']['t']['backlinks']['form'],
): Partial<Record<BacklinkField, string>> {
  return {
    donor_url: f.donor,
    target: f.target,
    anchor: f.anchor,
    kind: f.kind,
    vendor: f.vendor,
    price: f.price,
    currency: f.currency,
    billing: f.billing,
    bought_on: f.boughtOn,
    paid_until: f.paidUntil,
  };
}
