// A link's evidence kept for good (the first confirmed-live check and every change of state) and the
// evidence pack: a ZIP with a summary in the reader's language and, per link, each item's screenshot and
// HTTP evidence (status, redirect chain, headers, the link's HTML), each stamped with URL, time and verdict.
// What a vendor is asked to refund rests on these files, so they say what they show on their own.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { resolveDbPath, type Db } from '../db/open.ts';
import type { StoreTarget } from '../db/store/open.ts';
import type { Sql } from '../db/store/types.ts';
import type { Formatter, Messages } from '../i18n/index.ts';
import { writeZip } from '../util/zip.ts';
import { showReasons } from './reasons.ts';
import { checkHistory, stateChangeChecks, type BacklinkRow, type CheckRow } from './store.ts';

export interface EvidenceItem {
  /** 'change': a confirmed change of state (the first to live is the first confirmed-live check); 'latest': the newest check. */
  kind: 'change' | 'latest';
  from: string | null;
  to: string | null;
  check: CheckRow;
}

/** The evidence of one link, oldest first: every change of state with its check, then the latest check
 * unless it is one of those. */
export async function evidenceItems(sql: Sql, linkId: number): Promise<EvidenceItem[]> {
  const items: EvidenceItem[] = (await stateChangeChecks(sql, linkId))
    .filter((e) => e.check)
    .map((e) => ({ kind: 'change', from: e.from, to: e.to, check: e.check! }));
  const [latest] = await checkHistory(sql, linkId, 1);
  if (latest && !items.some((i) => i.check.id === latest.id))
    items.push({ kind: 'latest', from: null, to: null, check: latest });
  return items;
}

/** The evidence folder beside a SQLite file: where screenshots have always gone (data/evidence by default). */
export function evidenceDirBeside(dbFile: string): string {
  return join(dirname(dbFile), 'evidence');
}

/**
 * Where an install keeps its evidence: beside the SQLite file it opens, as always; on PostgreSQL, where
 * there is no such file, in the data folder all the same — beside where the SQLite file would be
 * (PROMOWATCH_DB's folder, data/ by default), so the one data volume (/data in the Docker image) still
 * holds the screenshots and an install moved with `migrate-data` finds them where they were.
 */
export function evidenceDirFor(target: StoreTarget, env: NodeJS.ProcessEnv): string {
  return evidenceDirBeside(target.kind === 'sqlite' ? target.file : resolveDbPath(undefined, env));
}

/**
 * The evidence folder of a process's deps: the one it was given (the runtime's, evidenceDirFor), else
 * beside the SQLite file of `db` — on PostgreSQL without a folder given, `db` is a stand-in that says
 * the folder is missing rather than guessing one.
 */
export function evidenceDirOf(deps: { evidenceDir?: string | undefined; db: Db }): string {
  return deps.evidenceDir ?? evidenceDirBeside(deps.db.name);
}

/**
 * The screenshot file of a check, only when it lies under the evidence folder (`where`: the folder, or a
 * SQLite connection still used for it, whose file it lies beside).
 */
export function evidenceFile(where: string | Db, path: string | null): string | null {
  const root = resolve(typeof where === 'string' ? where : evidenceDirBeside(where.name)) + sep;
  const file = path ? resolve(path) : null;
  return file && file.startsWith(root) && existsSync(file) ? file : null;
}

export interface PackOptions {
  words: Messages['backlinks'];
  fmt: Formatter;
  /** What the pack is for: "#12 https://donor…" or a vendor's name. */
  title: string;
  siteName: string;
  now: Date;
}

const esc = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** The evidence pack of some links as ZIP bytes: summary.html, then link-ID/ with each item's files.
 * `evidenceDir`: where the screenshots are (evidenceDirFor / evidenceDirOf). */
export async function evidencePack(
  sql: Sql,
  evidenceDir: string,
  links: BacklinkRow[],
  o: PackOptions,
): Promise<Buffer> {
  const { words: b, fmt } = o;
  const e = b.evidence;
  const state = (s: string) => (b.states as Record<string, string>)[s] ?? s;
  const outcome = (s: string) => (b.outcomes as Record<string, string>)[s] ?? s;
  const files: { name: string; data: string | Uint8Array; store?: boolean }[] = [];
  const rows: string[] = [];
  for (const l of links) {
    const items = await evidenceItems(sql, l.id);
    const listed: string[] = [];
    items.forEach((item, n) => {
      const k = item.check;
      const base = `link-${l.id}/${String(n + 1).padStart(2, '0')}-${k.checkedAt.replace(/[:.]/g, '-')}-${k.outcome}`;
      const what = item.kind === 'change' ? e.change(state(item.from!), state(item.to!)) : e.latest;
      const redirects = (k.redirects as { url?: string; status?: number; location?: string }[]).map(
        (r) => `  ${r.status ?? ''} ${r.url ?? ''} → ${r.location ?? ''}`,
      );
      const snippet = k.link ? String(k.link.snippet ?? '') : e.noLink;
      const text = [
        `${e.url}: ${l.donorUrl}`,
        `${e.checkedAt}: ${fmt.dateTime(k.checkedAt)} (${k.checkedAt})`,
        `${e.verdict}: ${outcome(k.outcome)} — ${what}`,
        showReasons(k.reasons, b.reasons, fmt),
        `${e.httpStatus}: ${k.httpStatus ?? '—'}${k.error ? ` (${k.error})` : ''}`,
        `${e.finalUrl}: ${k.finalUrl ?? '—'}`,
        `${e.redirects}:`,
        ...(redirects.length ? redirects : ['  —']),
        `${e.headers}:`,
        ...Object.entries(k.headers).map(([h, v]) => `  ${h}: ${v}`),
        `${e.snippet}:`,
        `  ${snippet}`,
        '',
      ].join('\n');
      files.push({ name: `${base}.txt`, data: text });
      const shot = evidenceFile(evidenceDir, k.screenshot);
      // PNGs are already compressed: stored, not deflated again.
      if (shot) files.push({ name: `${base}.png`, data: readFileSync(shot), store: true });
      listed.push(
        `<li>${esc(fmt.dateTime(k.checkedAt))}: ${esc(outcome(k.outcome))} — ${esc(what)}; HTTP ${k.httpStatus ?? '—'}` +
          ` — <a href="${esc(base)}.txt">${esc(e.headers)}</a>` +
          (shot ? ` · <a href="${esc(base)}.png"><img src="${esc(base)}.png" alt="" width="240"></a>` : '') +
          `</li>`,
      );
    });
    const price =
      l.priceMicros === null
        ? '—'
        : `${fmt.money(l.priceMicros, l.currency ?? '')} ${(b.billing as Record<string, string>)[l.billing] ?? l.billing}`;
    const dead = l.status === 'lost' || l.status === 'devalued';
    rows.push(
      `<tr><td>#${l.id} <a href="${esc(l.donorUrl)}">${esc(l.donorUrl)}</a><br>→ ${esc(l.target)}${l.vendor ? `<br>${esc(l.vendor)}` : ''}</td>` +
        `<td>${esc(price)}</td><td>${l.boughtOn ? esc(fmt.day(l.boughtOn)) : '—'}</td>` +
        `<td>${dead && l.statusSince ? esc(fmt.dateTime(l.statusSince)) : '—'}</td><td>${esc(state(l.status))}</td>` +
        `<td><ul>${listed.join('')}</ul></td></tr>`,
    );
  }
  const title = e.packTitle(o.title);
  const summary = `<!doctype html><html><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>body{font:14px sans-serif;margin:1.5em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 6px;vertical-align:top;text-align:left}img{display:block;margin-top:4px}</style></head>
<body><h1>${esc(title)}</h1><p>${esc(e.packFor(o.siteName, fmt.dateTime(o.now.toISOString())))}</p>
<table><thead><tr><th>${esc(e.link)}</th><th>${esc(e.price)}</th><th>${esc(e.boughtOn)}</th><th>${esc(e.lostOn)}</th><th>${esc(e.state)}</th><th>${esc(e.items)}</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table></body></html>
`;
  return writeZip([{ name: 'summary.html', data: summary }, ...files], o.now);
}
