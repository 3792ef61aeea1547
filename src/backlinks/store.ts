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
  /** Archived links are out of every list unless asked for: 'only' shows just them, 'with' shows all. */
  archived?: 'only' | 'with';
}

export function listBacklinks(db: Db, siteId: number, f: BacklinkFilter = {}): BacklinkRow[] {
  return (
    db
      .prepare(
        `SELECT ${COLUMNS} FROM backlinks WHERE site_id = @site
           AND (@status IS NULL OR status = @status) AND (@vendor IS NULL OR vendor = @vendor) AND (@kind IS NULL OR kind = @kind)
           AND (@tag IS NULL OR EXISTS (SELECT 1 FROM json_each(tags) WHERE value = @tag))
           AND (@engine IS NULL OR (@engine = 'google-fails' AND google_passes = 0) OR (@engine = 'yandex-fails' AND yandex_passes = 0))
           AND (CASE @archived WHEN 'only' THEN archived_at IS NOT NULL WHEN 'with' THEN 1 ELSE archived_at IS NULL END)
         ORDER BY CASE status WHEN 'lost' THEN 0 WHEN 'devalued' THEN 1 WHEN 'inconclusive' THEN 2 WHEN 'unchecked' THEN 3 ELSE 4 END, donor_url`,
      )
      .all({
        site: siteId,
        status: f.status ?? null,
        vendor: f.vendor ?? null,
        kind: f.kind ?? null,
        tag: f.tag ?? null,
        engine: f.engine ?? null,
        archived: f.archived ?? null,
      }) as Record<string, unknown>[]
  ).map(fromRow);
}

export function getBacklink(db: Db, id: number): BacklinkRow | undefined {
  const r = db.prepare(`SELECT ${COLUMNS} FROM backlinks WHERE id = ?`).get(id) as
    Record<string, unknown> | undefined;
  return r && fromRow(r);
}

/**
 * Replaces what the owner typed about a link (the fields of the add form); its checks, events and state
 * stay. Refuses ('duplicate') when another link of the site already has the same donor page and target.
 */
export function updateBacklink(
  db: Db,
  id: number,
  input: BacklinkInput,
): 'updated' | 'duplicate' | 'missing' {
  return db.transaction(() => {
    const link = getBacklink(db, id);
    if (!link) return 'missing' as const;
    const clash = db
      .prepare(`SELECT 1 FROM backlinks WHERE site_id = ? AND donor_url = ? AND target = ? AND id <> ?`)
      .get(link.siteId, input.donorUrl, input.target, id);
    if (clash) return 'duplicate' as const;
    db.prepare(
      `UPDATE backlinks SET donor_url = @donorUrl, target = @target, target_kind = @targetKind, expected_anchor = @expectedAnchor,
         kind = @kind, vendor = @vendor, price_micros = @priceMicros, currency = @currency, billing = @billing, bought_on = @boughtOn,
         paid_until = @paidUntil, tags = @tags, notes = @notes, brand = @brand WHERE id = @id`,
    ).run({ ...input, tags: JSON.stringify(input.tags), id });
    return 'updated' as const;
  })();
}

/** What a bulk edit may change on many links at once; absent parts stay as they are. */
export interface BulkEdit {
  /** A new vendor; '' clears it. */
  vendor?: string;
  addTags?: string[];
  removeTags?: string[];
  price?: { micros: number; currency: string };
}

/** Applies one bulk edit to the given links, all or nothing; returns how many links changed. */
export function bulkEditBacklinks(db: Db, ids: number[], edit: BulkEdit): number {
  return db.transaction(() => {
    let changed = 0;
    for (const id of ids) {
      const l = getBacklink(db, id);
      if (!l) continue;
      const tags = [...new Set([...l.tags, ...(edit.addTags ?? [])])].filter(
        (t) => !(edit.removeTags ?? []).includes(t),
      );
      const vendor = edit.vendor === undefined ? l.vendor : edit.vendor.trim() || null;
      const priceMicros = edit.price ? edit.price.micros : l.priceMicros;
      const currency = edit.price ? edit.price.currency : l.currency;
      changed += db
        .prepare(`UPDATE backlinks SET vendor = ?, tags = ?, price_micros = ?, currency = ? WHERE id = ?`)
        .run(vendor, JSON.stringify(tags), priceMicros, currency, id).changes;
    }
    return changed;
  })();
}

/** Archives (at = now) or brings back (at = null) links; their checks and events are kept either way. */
export function setArchived(db: Db, ids: number[], at: Date | null): number {
  const stmt = db.prepare(
    `UPDATE backlinks SET archived_at = ? WHERE id = ? AND (archived_at IS NULL) = (? IS NOT NULL)`,
  );
  return db.transaction(() =>
    ids.reduce((n, id) => n + stmt.run(at?.toISOString() ?? null, id, at?.toISOString() ?? null).changes, 0),
  )();
}

/** Deletes links with their checks and events (ON DELETE CASCADE); returns the screenshots they had, for
 * the caller to remove from disk once the rows are gone. */
export function deleteBacklinks(db: Db, ids: number[]): { deleted: number; screenshots: string[] } {
  return db.transaction(() => {
    const shots: string[] = [];
    let deleted = 0;
    for (const id of ids) {
      shots.push(
        ...(
          db
            .prepare(
              `SELECT screenshot FROM backlink_checks WHERE backlink_id = ? AND screenshot IS NOT NULL`,
            )
            .all(id) as { screenshot: string }[]
        ).map((r) => r.screenshot),
      );
      deleted += db.prepare(`DELETE FROM backlinks WHERE id = ?`).run(id).changes;
    }
    return { deleted, screenshots: shots };
  })();
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

const CHECK_COLUMNS = `id, checked_at AS checkedAt, mode, outcome, reasons, google_passes AS googlePasses, yandex_passes AS yandexPasses,
  http_status AS httpStatus, final_url AS finalUrl, redirects, headers, html_hash AS htmlHash, link, screenshot, error,
  brand_mentions AS brandMentions, external_links AS externalLinks`;

function checkFromRow(r: Record<string, unknown>): CheckRow {
  return {
    ...(r as unknown as CheckRow),
    reasons: JSON.parse(r.reasons as string) as string[],
    googlePasses: r.googlePasses === 1,
    yandexPasses: r.yandexPasses === 1,
    redirects: JSON.parse(r.redirects as string) as unknown[],
    headers: JSON.parse(r.headers as string) as Record<string, string>,
    link: r.link ? (JSON.parse(r.link as string) as Record<string, unknown>) : null,
  };
}

export function checkHistory(db: Db, backlinkId: number, limit = 200): CheckRow[] {
  return (
    db
      .prepare(
        `SELECT ${CHECK_COLUMNS} FROM backlink_checks WHERE backlink_id = ? ORDER BY checked_at DESC, id DESC LIMIT ?`,
      )
      .all(backlinkId, limit) as Record<string, unknown>[]
  ).map(checkFromRow);
}

/**
 * Every confirmed change of state of a link, oldest first, each with the check that confirmed it (recordCheck
 * stores the check and its event at the same instant). These are the evidence kept for good: the first one
 * to "live" is the first confirmed-live check.
 */
export function stateChangeChecks(
  db: Db,
  backlinkId: number,
): { at: string; from: Status; to: Status; reasons: string[]; check: CheckRow | null }[] {
  const events = db
    .prepare(
      `SELECT at, from_status AS "from", to_status AS "to", reasons FROM backlink_events WHERE backlink_id = ? ORDER BY at, id`,
    )
    .all(backlinkId) as { at: string; from: Status; to: Status; reasons: string }[];
  const checkAt = db.prepare(
    `SELECT ${CHECK_COLUMNS} FROM backlink_checks WHERE backlink_id = ? AND checked_at = ? ORDER BY id DESC LIMIT 1`,
  );
  return events.map((e) => {
    const r = checkAt.get(backlinkId, e.at) as Record<string, unknown> | undefined;
    return { ...e, reasons: JSON.parse(e.reasons) as string[], check: r ? checkFromRow(r) : null };
  });
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

/** The screenshot path a check of a link stored (null when it took none; undefined when no such check). */
export function checkScreenshot(db: Db, backlinkId: number, checkId: number): string | null | undefined {
  const row = db
    .prepare(`SELECT screenshot FROM backlink_checks WHERE id = ? AND backlink_id = ?`)
    .get(checkId, backlinkId) as { screenshot: string | null } | undefined;
  return row ? row.screenshot : undefined;
}

/** A site's link by the key an alert names it by (donor page and target), or undefined. */
export function findBacklinkId(db: Db, siteId: number, donorUrl: string, target: string): number | undefined {
  return db
    .prepare('SELECT id FROM backlinks WHERE site_id = ? AND donor_url = ? AND target = ?')
    .pluck()
    .get(siteId, donorUrl, target) as number | undefined;
}
