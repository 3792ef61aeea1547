// What a backlink tool (Ahrefs, Semrush) last said about a link, as read from its export: rel flags,
// lost or not, and its dates. Shown beside our own verdict and used to pick which links to check first;
// never our verdict, since a tool's crawler saw the page days or weeks ago. Pure.
import { messages, type Messages } from '../i18n/index.ts';
import { parseDate } from './dates.ts';

export const BACKLINK_TOOLS = ['ahrefs', 'semrush'] as const;
export type BacklinkTool = (typeof BACKLINK_TOOLS)[number];

export interface ToolState {
  tool: BacklinkTool;
  /** null: the export has no such column. */
  nofollow: boolean | null;
  sponsored: boolean | null;
  ugc: boolean | null;
  lost: boolean;
  /** YYYY-MM-DD (UTC) the tool marked the link lost, when it says (Ahrefs does, Semrush does not). */
  lostOn: string | null;
  /** The tool's own words: Ahrefs' "Lost status" and "Drop reason". */
  lostReason: string | null;
  /** YYYY-MM-DD (UTC) */
  firstSeen: string | null;
  lastSeen: string | null;
}

export interface StoredToolState extends ToolState {
  backlinkId: number;
  /** ISO timestamp of the import that last wrote this state. */
  importedAt: string;
}

export const TOOL_NAMES: Record<BacklinkTool, string> = { ahrefs: 'Ahrefs', semrush: 'Semrush' };

/** The words of describeToolState(): English for the CLI, the reader's language on the dashboard. */
export type ToolStateWords = Messages['backlinks']['tools'];
const EN = messages('en').backlinks;

/**
 * Where each tool's export carries the state (header cells as the tools write them, in file order), also
 * what messages call them. Semrush Backlinks export: Nofollow, Sponsored, Ugc as true/false, First seen,
 * Last seen, Lost link. Ahrefs Backlinks export (2026 column set): Nofollow, UGC, Sponsored, Lost status
 * (the lost reason: https://help.ahrefs.com/en/articles/920461-understanding-link-lost-reasons), Drop
 * reason, First seen, Last seen, Lost (the date).
 */
const COLUMNS: Record<BacklinkTool, { field: ColumnField; label: string }[]> = {
  semrush: [
    { field: 'nofollow', label: 'Nofollow' },
    { field: 'sponsored', label: 'Sponsored' },
    { field: 'ugc', label: 'Ugc' },
    { field: 'firstSeen', label: 'First seen' },
    { field: 'lastSeen', label: 'Last seen' },
    { field: 'lostFlag', label: 'Lost link' },
  ],
  ahrefs: [
    { field: 'nofollow', label: 'Nofollow' },
    { field: 'ugc', label: 'UGC' },
    { field: 'sponsored', label: 'Sponsored' },
    { field: 'lostStatus', label: 'Lost status' },
    { field: 'dropReason', label: 'Drop reason' },
    { field: 'firstSeen', label: 'First seen' },
    { field: 'lastSeen', label: 'Last seen' },
    { field: 'lostOn', label: 'Lost' },
  ],
};
type ColumnField =
  | 'nofollow'
  | 'sponsored'
  | 'ugc'
  | 'firstSeen'
  | 'lastSeen'
  | 'lostFlag'
  | 'lostStatus'
  | 'dropReason'
  | 'lostOn';

/** One export row's state; every message starts with `where` and names the column and the value. */
export function readToolState(
  tool: BacklinkTool,
  get: (column: string) => string | undefined,
  where: string,
): { state: ToolState } | { errors: string[] } {
  const errors: string[] = [];
  const raw: Partial<Record<ColumnField, string>> = {};
  const bools: Partial<Record<ColumnField, boolean>> = {};
  const days: Partial<Record<ColumnField, string>> = {};
  for (const { field, label } of COLUMNS[tool]) {
    const value = get(label.toLowerCase())?.trim();
    if (!value) continue;
    raw[field] = value;
    const bad = (why: string) =>
      errors.push(`${where}: ${label} ${JSON.stringify(value.slice(0, 200))} ${why}`);
    if (field === 'nofollow' || field === 'sponsored' || field === 'ugc' || field === 'lostFlag') {
      const b = /^(true|false)$/i.test(value) ? value.toLowerCase() === 'true' : null;
      if (b === null) bad(EN.input.why.notBoolean);
      else bools[field] = b;
    } else if (field === 'firstSeen' || field === 'lastSeen' || field === 'lostOn') {
      const d = parseDate(value);
      if (typeof d === 'string') bad(d);
      else days[field] = d.day;
    }
  }
  if (errors.length) return { errors };
  const lostReason = [raw.lostStatus, raw.dropReason].filter(Boolean).join(': ') || null;
  const lost = bools.lostFlag ?? Boolean(lostReason || days.lostOn);
  return {
    state: {
      tool,
      nofollow: bools.nofollow ?? null,
      sponsored: bools.sponsored ?? null,
      ugc: bools.ugc ?? null,
      lost,
      lostOn: lost ? (days.lostOn ?? null) : null,
      lostReason: lost ? lostReason : null,
      firstSeen: days.firstSeen ?? null,
      lastSeen: days.lastSeen ?? null,
    },
  };
}

const flagged = (s: ToolState) => Boolean(s.nofollow || s.sponsored || s.ugc);

/**
 * One state for a page and target listed more than once (Ahrefs lists every link on the page): the
 * instance that counts most — live before lost, followed before flagged, lost later before lost
 * earlier — with the earliest first-seen and latest last-seen date of them all.
 */
export function mergeToolStates(a: ToolState, b: ToolState): ToolState {
  const rank = (s: ToolState) => (s.lost ? 2 : 0) + (flagged(s) ? 1 : 0);
  const best =
    rank(b) < rank(a) || (a.lost && b.lost && rank(a) === rank(b) && (b.lostOn ?? '') > (a.lostOn ?? ''))
      ? b
      : a;
  const pick = (x: string | null, y: string | null, later: boolean) =>
    x === null ? y : y === null ? x : y > x === later ? y : x;
  return {
    ...best,
    firstSeen: pick(a.firstSeen, b.firstSeen, false),
    lastSeen: pick(a.lastSeen, b.lastSeen, true),
  };
}

/**
 * "Ahrefs: lost 2025-11-03 (Link removed)", "Semrush: nofollow, ugc (seen 2026-05-19)"; the dashboard
 * passes its words and day format ("Ahrefs: потеряна 3 нояб. 2025 г."). The tool's own reason stays as
 * the tool wrote it.
 */
export function describeToolState(
  s: ToolState,
  t: ToolStateWords = EN.tools,
  day: (isoDay: string) => string = (d) => d,
): string {
  const name = TOOL_NAMES[s.tool];
  if (s.lost) {
    const when = s.lostOn ? ` ${day(s.lostOn)}` : '';
    const why = [s.lostReason, !s.lostOn && s.lastSeen ? t.lastSeen(day(s.lastSeen)) : null].filter(Boolean);
    return `${name}: ${t.lost}${when}${why.length ? ` (${why.join('; ')})` : ''}`;
  }
  const flags = (['nofollow', 'sponsored', 'ugc'] as const).filter((f) => s[f]);
  const known = s.nofollow !== null || s.sponsored !== null || s.ugc !== null;
  const what = flags.length ? flags.join(', ') : known ? t.followed : t.listed;
  return `${name}: ${what}${s.lastSeen ? ` (${t.seen(day(s.lastSeen))})` : ''}`;
}

/**
 * Splits links into the order their checks should start in: never-checked links a tool reports lost,
 * then never-checked links it reports nofollow, sponsored or ugc, then the rest — so the links most
 * likely wasted money are confirmed first. Order within each group is kept.
 */
export function firstCheckGroups<T extends { id: number; lastCheckedAt: string | null }>(
  links: T[],
  states: Map<number, ToolState[]>,
): [T[], T[], T[]] {
  const groups: [T[], T[], T[]] = [[], [], []];
  for (const l of links) {
    const said = l.lastCheckedAt === null ? (states.get(l.id) ?? []) : [];
    groups[said.some((s) => s.lost) ? 0 : said.some(flagged) ? 1 : 2].push(l);
  }
  return groups;
}
