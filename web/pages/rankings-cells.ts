// What the Rankings page and a keyword's page show alike: positions, changes, failures, where a keyword is
// searched, ranking URLs, sparklines and chart frames — in the visitor's language, numbers and days through
// the request's Formatter. Keywords, URLs and result titles are shown as they are.
import type { Context } from 'hono';
import { html } from 'hono/html';
import type { Formatter, Messages } from '../../src/i18n/index.ts';
import { isAverage, type KeywordRow } from '../../src/rank/keyword-table.ts';
import type { FailureKind, Keyword } from '../../src/rank/types.ts';
import { sourceName } from '../views/rankings.ts';
import type { Env } from '../types.ts';

export type RankWords = Messages['rankings'];

/** The words and the formatter of this request. */
export function sayFor(c: Context<Env>) {
  return { t: c.get('t').rankings, common: c.get('t').common, fmt: c.get('fmt') };
}

/** A position: whole, or an average with one decimal ("4,5"). */
export const fmtPos = (fmt: Formatter, p: number) => fmt.number(p, 1);

/**
 * A place on a result page is whole ("3"); an average over impressions (Search Console) says it is one
 * ("≈ 4.3 avg"), so a reader never takes 4.3 for a place on the page.
 */
export function placeText(c: Context<Env>, position: number, averaged: boolean) {
  const { t, fmt } = sayFor(c);
  return averaged
    ? html`<span class="avg" title="${t.position.averageTitle}">${t.position.average(fmtPos(fmt, position))}</span>`
    : html`${fmt.number(Math.round(position))}`;
}

export function chart(name: string, title: string, src: string) {
  return html`<figure class="chart"><figcaption>${title}</figcaption><canvas data-chart="${name}" data-src="${src}" role="img" aria-label="${title}"></canvas></figure>`;
}

/** A command to copy: machine text, never translated. */
export const command = (text: string) => html`<code>${text}</code>`;

/** Only http(s) links are made clickable: result pages are third-party text. */
export function extLink(url: string | null) {
  if (!url) return '—';
  return /^https?:\/\//i.test(url)
    ? html`<a href="${url}" rel="noopener noreferrer nofollow">${url}</a>`
    : html`${url}`;
}

/** Where a keyword is searched, by name ("Yandex · Moscow · desktop"); the region key in a tooltip. */
export function keywordWhere(
  c: Context<Env>,
  k: Pick<Keyword, 'engine' | 'device' | 'region' | 'lr' | 'gl' | 'hl' | 'location'>,
) {
  const { t, common } = sayFor(c);
  const region =
    k.engine === 'yandex' && k.lr != null
      ? t.region.yandex(k.lr)
      : k.gl && k.hl
        ? t.region.country(k.gl, k.hl, k.location ?? null)
        : k.region;
  return html`${common.engines[k.engine]} · <span title="${k.region}">${region}</span> · ${common.devices[k.device]}`;
}

/** A failed check in the reader's words: what its kind means, and who failed. */
export const failureText = (t: RankWords, source: string, kind: FailureKind | null) =>
  t.position.failure(sourceName(t, source), t.failures[kind ?? 'unknown']);

/** What the provider (or the network) answered, kept as it came, under Details. */
export const upstream = (t: RankWords, message: string | null) =>
  message
    ? html`<details class="upstream"><summary>${t.position.details}</summary><small>${message}</small></details>`
    : '';

/**
 * The position column: the position (or the last one known), and a failed check as a short badge whose
 * story — what failed, when, the last known position — is in its title, and opens on tap with the
 * provider's own message under Details. A provider's message can be a paragraph: inline it would widen
 * the column of every row.
 */
export function positionCell(c: Context<Env>, r: KeywordRow) {
  const { t, fmt } = sayFor(c);
  const cur = r.current;
  const averaged = cur?.state === 'ranked' && isAverage(cur.source, cur.position);
  const place = (muted: boolean) =>
    !cur
      ? null
      : cur.state === 'ranked'
        ? muted
          ? html`<span class="muted">${placeText(c, cur.position!, averaged)}</span>`
          : html`<strong>${placeText(c, cur.position!, averaged)}</strong>`
        : html`<span class="muted">${t.position.notInTop(cur.depth ?? 100)}</span>`;
  if (!r.failure)
    return place(false) ?? html`<span class="muted" title="${t.position.neverChecked}">—</span>`;
  const f = r.failure;
  const source = sourceName(t, f.source);
  const said = failureText(t, f.source, f.kind);
  // Another source may have seen the keyword the day this one failed: its position stands as it is.
  const sameDay = cur !== null && cur.day === f.day;
  const known = sameDay
    ? t.position.sourceOn(source, fmt.day(f.day))
    : !cur
      ? t.position.neverObserved
      : cur.state === 'ranked'
        ? t.position.lastKnown(
            averaged ? t.position.average(fmtPos(fmt, cur.position!)) : fmt.number(cur.position!),
            fmt.day(cur.day),
          )
        : t.position.lastKnownNotInTop(cur.depth ?? 100, fmt.day(cur.day));
  const when = sameDay ? known : t.position.failedOn(source, fmt.day(f.day));
  // The provider's own message (any language, any length) stays under Details in the note, as it came.
  const title = [said, when, ...(sameDay ? [] : [known])].join('\n');
  const shown = place(!sameDay) ?? html`<span class="muted">—</span>`;
  return html`${shown} <details class="fail"><summary title="${title}">${t.position.failedBadge}</summary><div class="fail-note">${said}<br><small>${when}${sameDay ? '' : html`; ${known}`}</small>${upstream(t, f.error)}</div></details>`;
}

/** Positive = moved up. */
export function changeCell(c: Context<Env>, n: number | null) {
  const { t, fmt } = sayFor(c);
  if (n === null) return '';
  if (n === 0) return html`<span class="change">=</span>`;
  return n > 0
    ? html`<span class="change up" title="${t.table.movedUp(fmtPos(fmt, n))}">▲ ${fmt.signed(n, 1)}</span>`
    : html`<span class="change down" title="${t.table.movedDown(fmtPos(fmt, -n))}">▼ ${fmt.signed(n, 1)}</span>`;
}

/** A keyword's positions as an inline SVG (no script needed): 1 at the top, gaps where unknown. */
export function sparkline(c: Context<Env>, values: readonly (number | null)[]) {
  const { t, fmt } = sayFor(c);
  const W = 100;
  const H = 24;
  const seen = values.filter((x): x is number => x !== null);
  if (seen.length === 0 || values.length === 0) return html`<span class="muted">—</span>`;
  const lo = Math.min(...seen);
  const hi = Math.max(...seen);
  // SVG coordinates are machine text: a dot for decimals whatever the language.
  const x = (i: number) => (values.length === 1 ? W / 2 : (i * W) / (values.length - 1)).toFixed(1);
  const y = (p: number) => (hi === lo ? H / 2 : 2 + ((p - lo) * (H - 4)) / (hi - lo)).toFixed(1);
  const runs: string[][] = [];
  let run: string[] = [];
  values.forEach((p, i) => {
    if (p === null) {
      if (run.length) runs.push(run);
      run = [];
    } else run.push(`${x(i)},${y(p)}`);
  });
  if (run.length) runs.push(run);
  const label = t.table.sparkline(values.length, fmtPos(fmt, lo), fmtPos(fmt, hi));
  return html`<svg class="spark" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${label}"><title>${label}</title>${runs.map(
    (r) =>
      r.length === 1
        ? html`<circle cx="${r[0]!.split(',')[0]}" cy="${r[0]!.split(',')[1]}" r="1.5"></circle>`
        : html`<polyline points="${r.join(' ')}"></polyline>`,
  )}</svg>`;
}

export function urlCell(c: Context<Env>, r: KeywordRow) {
  const { t } = sayFor(c);
  const url = r.current?.url ?? null;
  const target = r.keyword.targetUrl;
  return html`${extLink(url)}${
    target
      ? html`<br><small>${t.table.target(target)}</small>${r.mismatch ? html` <span class="flag mismatch" title="${t.table.mismatchTitle}">${t.table.mismatch}</span>` : ''}`
      : ''
  }`;
}
