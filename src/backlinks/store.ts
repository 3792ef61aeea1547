// SQL for the backlink inventory, its checks (the evidence) and its confirmed changes of state.
import type { Db } from '../db/open.ts';
import type { CheckResult } from './check.ts';
import { nextState, type ConfirmRule, type LinkState, type StateChange, type Status } from './state.ts';
import type { BacklinkInput } from './types.ts';

export interface BacklinkRow extends BacklinkInput {
  id: number;
  siteId: number;
  status: Status;
  statusSince: string | null;
  statusReasons: string[];
  googlePasses: boolean | null;
  yandexPasses: boolean | null;
  failStreak: number;
  failSince: string | null;
  lastCheckedAt: string | null;
  lastRenderedAt: string | null;
  createdAt: string;
  /** Set when the owner archived the link: kept for history and money, out of lists, checks and alerts. */
  archivedAt: string | null;
}

const COLUMNS = `id, site_id AS siteId, donor_url AS donorUrl, target, target_kind AS targetKind, expected_anchor AS expectedAnchor,
  kind, vendor, price_micros AS priceMicros, currency, billing, bought_on AS boughtOn, paid_until AS paidUntil, tags, notes, brand,
  created_at AS createdAt, status, status_since AS statusSince, status_reasons AS statusReasons, google_passes AS googlePasses,
  yandex_passes AS yandexPasses, fail_streak AS failStreak, fail_since AS failSince, last_checked_at AS lastCheckedAt,
  last_rendered_at AS lastRenderedAt, archived_at AS archivedAt`;

function fromRow(r: Record<string, unknown>): BacklinkRow {
  const bool = (v: unknown) => (v === null || v === undefined ? null : v === 1);
  return {
    ...(r as unknown as BacklinkRow),
    tags: JSON.parse(r.tags as string) as string[],
    statusReasons: JSON.parse(r.statusReasons as string) as string[],
    googlePasses: bool(r.googlePasses),
    yandexPasses: bool(r.yandexPasses),
  };
}

/** Inserts all or nothing; returns the new ids. A duplicate (same donor page and target) fails the lot. */
export function insertBacklinks(db: Db, siteId: number, inputs: BacklinkInput[], now: Date): number[] {
  const stmt = db.prepare(
    `INSERT INTO backlinks (site_id, donor_url, target, target_kind, expected_anchor, kind, vendor, price_micros, currency, billing,
       bought_on, paid_until, tags, notes, brand, created_at)
     VALUES (@siteId, @donorUrl, @target, @targetKind, @expectedAnchor, @kind, @vendor, @priceMicros, @currency, @billing,
       @boughtOn, @paidUntil, @tags, @notes, @brand, @createdAt)`,
  );
  return db.transaction(() =>
    inputs.map((i) =>
      Number(
        stmt.run({ ...i, siteId, tags: JSON.stringify(i.tags), createdAt: now.toISOString() })
          .lastInsertRowid,
      ),
    ),
  )();
}

export function existingKeys(
  db: Db,
  siteId: number,
  key: (donorUrl: string, target: string) => string,
): Set<string> {
  return new Set(existingIds(db, siteId, key).keys());
}

/** The id of every link of a site, by `key(donorUrl, target)`. */
export function existingIds(
  db: Db,
  siteId: number,
  key: (donorUrl: string, target: string) => string,
): Map<string, number> {
  const rows = db
    .prepare(`SELECT id, donor_url AS d, target AS t FROM backlinks WHERE site_id = ?`)
    .all(siteId) as { id: number; d: string; t: string }[];
  return new Map(rows.map((r) => [key(r.d, r.t), r.id]));
}

export interface BacklinkFilter {
  status?: string;
  vendor?: string;
  kind?: string;
  tag?: string;
  engine?: 'google-fails' | 'yandex-fails';
}

export function listBacklinks(db: Db, siteId: number, f: BacklinkFilter = {}): BacklinkRow[] {
  return (
    db
      .prepare(
        `SELECT ${COLUMNS} FROM backlinks WHERE site_id = @site
           AND (@status IS NULL OR status = @status) AND (@vendor IS NULL OR vendor = @vendor) AND (@kind IS NULL OR kind = @kind)
           AND (@tag IS NULL OR EXISTS (SELECT 1 FROM json_each(tags) WHERE value = @tag))
           AND (@engine IS NULL OR (@engine = 'google-fails' AND google_passes = 0) OR (@engine = 'yandex-fails' AND yandex_passes = 0))
         ORDER BY CASE status WHEN 'lost' THEN 0 WHEN 'devalued' THEN 1 WHEN 'inconclusive' THEN 2 WHEN 'unchecked' THEN 3 ELSE 4 END, donor_url`,
      )
      .all({
        site: siteId,
        status: f.status ?? null,
        vendor: f.vendor ?? null,
        kind: f.kind ?? null,
        tag: f.tag ?? null,
        engine: f.engine ?? null,
      }) as Record<string, unknown>[]
  ).map(fromRow);
}

export function getBacklink(db: Db, id: number): BacklinkRow | undefined {
  const r = db.prepare(`SELECT ${COLUMNS} FROM backlinks WHERE id = ?`).get(id) as
    Record<string, unknown> | undefined;
  return r && fromRow(r);
}

/** recordCheck's statements, compiled once per connection: preparing them costs more than running them. */
const recordStatements = new WeakMap<Db, ReturnType<typeof prepareRecord>>();

function prepareRecord(db: Db) {
  return {
    insertCheck: db.prepare(
      `INSERT INTO backlink_checks (backlink_id, run_id, checked_at, mode, outcome, reasons, google_passes, google_reasons, yandex_passes,
         yandex_reasons, http_status, final_url, redirects, headers, html_hash, link, external_links, brand_mentions, screenshot, error)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    updateLink: db.prepare(
      `UPDATE backlinks SET status = ?, status_since = CASE WHEN ? THEN ? ELSE status_since END, status_reasons = CASE WHEN ? THEN ? ELSE status_reasons END,
         google_passes = CASE WHEN ? THEN ? ELSE google_passes END, yandex_passes = CASE WHEN ? THEN ? ELSE yandex_passes END,
         fail_streak = ?, fail_since = ?, last_checked_at = ?, last_rendered_at = CASE WHEN ? THEN ? ELSE last_rendered_at END
       WHERE id = ?`,
    ),
    insertEvent: db.prepare(
      `INSERT INTO backlink_events (backlink_id, at, from_status, to_status, reasons) VALUES (?, ?, ?, ?, ?)`,
    ),
  };
}

/** Stores one check and moves the link's state; returns the state change, if any. One transaction. */
export function recordCheck(
  db: Db,
  link: BacklinkRow,
  result: CheckResult,
  at: Date,
  runId: number | null,
  rule: ConfirmRule,
): StateChange | null {
  let sql = recordStatements.get(db);
  if (!sql) recordStatements.set(db, (sql = prepareRecord(db)));
  const { insertCheck, updateLink, insertEvent } = sql;
  return db.transaction(() => {
    const v = result.verdict;
    insertCheck.run(
      link.id,
      runId,
      at.toISOString(),
      result.mode,
      v.outcome,
      JSON.stringify(v.reasons),
      v.google.passes ? 1 : 0,
      JSON.stringify(v.google.reasons),
      v.yandex.passes ? 1 : 0,
      JSON.stringify(v.yandex.reasons),
      result.http.status,
      result.http.finalUrl,
      JSON.stringify(result.http.redirects),
      JSON.stringify(result.http.headers),
      result.donor?.htmlHash ?? null,
      result.facts.link
        ? JSON.stringify({
            ...result.facts.link,
            hidden: result.facts.hidden,
            inNoindex: result.facts.link.context.inNoindexTag || result.facts.link.context.inNoindexComment,
          })
        : null,
      result.donor?.externalLinks ?? null,
      result.donor?.brandMentions ?? null,
      result.screenshot,
      result.error,
    );
    const state: LinkState = { status: link.status, failStreak: link.failStreak, failSince: link.failSince };
    const { state: next, change } = nextState(state, { outcome: v.outcome, reasons: v.reasons, at }, rule);
    const settled = v.outcome === 'live' || v.outcome === 'devalued';
    updateLink.run(
      next.status,
      change ? 1 : 0,
      at.toISOString(),
      change || settled ? 1 : 0,
      JSON.stringify(v.reasons),
      settled || next.status === 'lost' ? 1 : 0,
      v.google.passes ? 1 : 0,
      settled || next.status === 'lost' ? 1 : 0,
      v.yandex.passes ? 1 : 0,
      next.failStreak,
      next.failSince,
      at.toISOString(),
      result.mode === 'rendered' ? 1 : 0,
      at.toISOString(),
      link.id,
    );
    if (change)
      insertEvent.run(link.id, at.toISOString(), change.from, change.to, JSON.stringify(change.reasons));
    return change;
  })();
}

export interface CheckRow {
  id: number;
  checkedAt: string;
  mode: string;
  outcome: string;
  reasons: string[];
  googlePasses: boolean;
  yandexPasses: boolean;
  httpStatus: number | null;
  finalUrl: string | null;
  redirects: unknown[];
  headers: Record<string, string>;
  htmlHash: string | null;
  link: Record<string, unknown> | null;
  brandMentions: number | null;
  externalLinks: number | null;
  screenshot: string | null;
  error: string | null;
}

export function checkHistory(db: Db, backlinkId: number, limit = 200): CheckRow[] {
  return (
    db
      .prepare(
        `SELECT id, checked_at AS checkedAt, mode, outcome, reasons, google_passes AS googlePasses, yandex_passes AS yandexPasses,
           http_status AS httpStatus, final_url AS finalUrl, redirects, headers, html_hash AS htmlHash, link, screenshot, error,
           brand_mentions AS brandMentions, external_links AS externalLinks
         FROM backlink_checks WHERE backlink_id = ? ORDER BY checked_at DESC, id DESC LIMIT ?`,
      )
      .all(backlinkId, limit) as Record<string, unknown>[]
  ).map((r) => ({
    ...(r as unknown as CheckRow),
    reasons: JSON.parse(r.reasons as string) as string[],
    googlePasses: r.googlePasses === 1,
    yandexPasses: r.yandexPasses === 1,
    redirects: JSON.parse(r.redirects as string) as unknown[],
    headers: JSON.parse(r.headers as string) as Record<string, string>,
    link: r.link ? (JSON.parse(r.link as string) as Record<string, unknown>) : null,
  }));
}

export function statusEvents(
  db: Db,
  siteId: number,
): { backlinkId: number; at: string; from: Status; to: Status }[] {
  return db
    .prepare(
      `SELECT e.backlink_id AS backlinkId, e.at, e.from_status AS "from", e.to_status AS "to" FROM backlink_events e
       JOIN backlinks b ON b.id = e.backlink_id WHERE b.site_id = ? ORDER BY e.at, e.id`,
    )
    .all(siteId) as { backlinkId: number; at: string; from: Status; to: Status }[];
}
