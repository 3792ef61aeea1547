// The movers panel at the top of the Rankings page: the biggest gains and losses since last week and the
// keywords entering or leaving the top 10, told as the weekly report and the overview tell them
// (src/rank/movers.ts), each keyword linking to its own page.
import type { Context } from 'hono';
import { html } from 'hono/html';
import type { Sql } from '../../src/db/store/types.ts';
import type { KeywordRow } from '../../src/rank/keyword-table.ts';
import { keywordMoves, lastPeriods, summarizeMoves, type KeywordMove } from '../../src/rank/movers.ts';
import { siteHref } from '../layout.ts';
import type { Env } from '../types.ts';
import { changeCell, keywordWhere, placeText, sayFor } from './rankings-cells.ts';

/** Gains and losses shown in each list; entering and leaving the top 10 are capped the same way. */
const SHOWN = 5;

/** The week's moves of the keywords the page shows (its engine and tag filters apply). */
export async function viewMoves(sql: Sql, siteId: number, today: string, rows: readonly KeywordRow[]) {
  const { now, prev } = lastPeriods(today, 7);
  const inView = new Set(rows.map((r) => r.keyword.id));
  const moves = (await keywordMoves(sql, siteId, now, prev)).moves.filter((m) => inView.has(m.keywordId));
  return { now, prev, measured: moves.length, summary: summarizeMoves(moves, SHOWN) };
}

export type ViewMoves = Awaited<ReturnType<typeof viewMoves>>;

export function moversPanel(c: Context<Env>, m: ViewMoves, rows: readonly KeywordRow[]) {
  const { t, fmt } = sayFor(c);
  const w = t.movers;
  const keywords = new Map(rows.map((r) => [r.keyword.id, r.keyword]));
  const place = (p: number | null) => (p === null ? w.notInTop100 : placeText(c, p, !Number.isInteger(p)));
  const item = (x: KeywordMove) => {
    const k = keywords.get(x.keywordId);
    return html`<li><a href="${siteHref(c, `/rankings/keywords/${x.keywordId}`)}">${x.query}</a> ${changeCell(c, x.change)}<br><small>${place(x.before)} → ${place(x.after)}${k ? html` · ${keywordWhere(c, k)}` : ''}</small></li>`;
  };
  const list = (key: 'gains' | 'losses' | 'enteredTop10' | 'leftTop10', all: KeywordMove[]) => {
    const shown = all.slice(0, SHOWN);
    return html`<div class="movers-list ${key}"><h3>${w[key]}</h3>${
      shown.length === 0
        ? html`<p class="muted">${w.none}</p>`
        : html`<ol>${shown.map(item)}</ol>${all.length > SHOWN ? html`<p class="muted">${w.more(all.length - SHOWN)}</p>` : ''}`
    }</div>`;
  };
  const s = m.summary;
  return html`<section id="movers" class="movers"><h2>${w.heading}</h2>
<p class="hint">${w.period(fmt.dayRange(m.now.from, m.now.to), fmt.dayRange(m.prev.from, m.prev.to))}</p>
${
  m.measured === 0
    ? html`<p class="muted">${w.noData}</p>`
    : html`<div class="movers-lists">${list('losses', s.losses)}${list('gains', s.gains)}${list('leftTop10', s.leftTop10)}${list('enteredTop10', s.enteredTop10)}</div>`
}
</section>`;
}
