// SQL for the backlink inventory, its checks (the evidence) and its confirmed changes of state.
// Past 400 lines on purpose: a check is written with the link's new state in one transaction (writeCheck
// reads and moves the inventory row), so the three tables' SQL stays in one file.
import type { Sql } from '../db/store/types.ts';
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

const INSERT = `INSERT INTO backlinks (site_id, donor_url, target, target_kind, expected_anchor, kind, vendor, price_micros, currency, billing,
     bought_on, paid_until, tags, notes, brand, created_at)
   VALUES (@siteId, @donorUrl, @target, @targetKind, @expectedAnchor, @kind, @vendor, @priceMicros, @currency, @billing,
     @boughtOn, @paidUntil, @tags, @notes, @brand, @createdAt) RETURNING id`;

/** Inserts all or nothing; returns the new ids. A duplicate (same donor page and target) fails the lot. */
export async function insertBacklinks(
  sql: Sql,
  siteId: number,
  inputs: BacklinkInput[],
  now: Date,
): Promise<number[]> {
  return sql.transaction(async (tx) => {
    const ids: number[] = [];
    for (const i of inputs)
      ids.push(
        (await tx.get<{ id: number }>(INSERT, {
          ...i,
          siteId,
          tags: JSON.stringify(i.tags),
          createdAt: now.toISOString(),
        }))!.id,
      );
    return ids;
  });
}

export async function existingKeys(
  sql: Sql,
  siteId: number,
  key: (donorUrl: string, target: string) => string,
): Promise<Set<string>> {
  return new Set((await existingIds(sql, siteId, key)).keys());
}

/** The id of every link of a site, by `key(donorUrl, target)`. */
export async function existingIds(
  sql: Sql,
  siteId: number,
  key: (donorUrl: string, target: string) => string,
): Promise<Map<string, number>> {
  const rows = await sql.all<{ id: number; d: string; t: string }>(
    `SELECT id, donor_url AS d, target AS t FROM backlinks WHERE site_id = ?`,
    [siteId],
  );
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

// Tags are a JSON array in a text column: SQLite reads it with json_each, PostgreSQL with
// json_array_elements_text. The archive test is spelled with OR rather than a CASE mixing a comparison
// and 1, which PostgreSQL refuses (a CASE's branches must share one type).
function listSql(dialect: Sql['dialect']): string {
  const tagged =
    dialect === 'postgres'
      ? `EXISTS (SELECT 1 FROM json_array_elements_text(tags::json) AS t(value) WHERE t.value = @tag)`
      : `EXISTS (SELECT 1 FROM json_each(tags) WHERE value = @tag)`;
  return `SELECT ${COLUMNS} FROM backlinks WHERE site_id = @site
     AND (@status IS NULL OR status = @status) AND (@vendor IS NULL OR vendor = @vendor) AND (@kind IS NULL OR kind = @kind)
     AND (@tag IS NULL OR ${tagged})
     AND (@engine IS NULL OR (@engine = 'google-fails' AND google_passes = 0) OR (@engine = 'yandex-fails' AND yandex_passes = 0))
     AND ((@archived IS NULL AND archived_at IS NULL) OR (@archived = 'only' AND archived_at IS NOT NULL) OR @archived = 'with')
   ORDER BY CASE status WHEN 'lost' THEN 0 WHEN 'devalued' THEN 1 WHEN 'inconclusive' THEN 2 WHEN 'unchecked' THEN 3 ELSE 4 END, donor_url`;
}

function listParams(siteId: number, f: BacklinkFilter) {
  return {
    site: siteId,
    status: f.status ?? null,
    vendor: f.vendor ?? null,
    kind: f.kind ?? null,
    tag: f.tag ?? null,
    engine: f.engine ?? null,
    archived: f.archived ?? null,
  };
}

export async function listBacklinks(
  sql: Sql,
  siteId: number,
  f: BacklinkFilter = {},
): Promise<BacklinkRow[]> {
  return (await sql.all(listSql(sql.dialect), listParams(siteId, f))).map(fromRow);
}

export async function getBacklink(sql: Sql, id: number): Promise<BacklinkRow | undefined> {
  const r = await sql.get(`SELECT ${COLUMNS} FROM backlinks WHERE id = ?`, [id]);
  return r && fromRow(r);
}

/**
 * Replaces what the owner typed about a link (the fields of the add form); its checks, events and state
 * stay. Refuses ('duplicate') when another link of the site already has the same donor page and target.
 */
export async function updateBacklink(
  sql: Sql,
  id: number,
  input: BacklinkInput,
): Promise<'updated' | 'duplicate' | 'missing'> {
  return sql.transaction(async (tx) => {
    const link = await getBacklink(tx, id);
    if (!link) return 'missing' as const;
    const clash = await tx.get(
      `SELECT 1 AS one FROM backlinks WHERE site_id = ? AND donor_url = ? AND target = ? AND id <> ?`,
      [link.siteId, input.donorUrl, input.target, id],
    );
    if (clash) return 'duplicate' as const;
    await tx.run(
      `UPDATE backlinks SET donor_url = @donorUrl, target = @target, target_kind = @targetKind, expected_anchor = @expectedAnchor,
         kind = @kind, vendor = @vendor, price_micros = @priceMicros, currency = @currency, billing = @billing, bought_on = @boughtOn,
         paid_until = @paidUntil, tags = @tags, notes = @notes, brand = @brand WHERE id = @id`,
      { ...input, tags: JSON.stringify(input.tags), id },
    );
    return 'updated' as const;
  });
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
export async function bulkEditBacklinks(sql: Sql, ids: number[], edit: BulkEdit): Promise<number> {
  return sql.transaction(async (tx) => {
    let changed = 0;
    for (const id of ids) {
      const l = await getBacklink(tx, id);
      if (!l) continue;
      const tags = [...new Set([...l.tags, ...(edit.addTags ?? [])])].filter(
        (t) => !(edit.removeTags ?? []).includes(t),
      );
      const vendor = edit.vendor === undefined ? l.vendor : edit.vendor.trim() || null;
      const priceMicros = edit.price ? edit.price.micros : l.priceMicros;
      const currency = edit.price ? edit.price.currency : l.currency;
      changed += (
        await tx.run(
          `UPDATE backlinks SET vendor = ?, tags = ?, price_micros = ?, currency = ? WHERE id = ?`,
          [vendor, JSON.stringify(tags), priceMicros, currency, id],
        )
      ).changes;
    }
    return changed;
  });
}

/** Archives (at = now) or brings back (at = null) links; their checks and events are kept either way. */
export async function setArchived(sql: Sql, ids: number[], at: Date | null): Promise<number> {
  // Only links not already in the asked state count: archiving twice keeps the first date.
  const stmt = at
    ? `UPDATE backlinks SET archived_at = ? WHERE id = ? AND archived_at IS NULL`
    : `UPDATE backlinks SET archived_at = NULL WHERE id = ? AND archived_at IS NOT NULL`;
  return sql.transaction(async (tx) => {
    let n = 0;
    for (const id of ids) n += (await tx.run(stmt, at ? [at.toISOString(), id] : [id])).changes;
    return n;
  });
}

/** Deletes links with their checks and events (ON DELETE CASCADE); returns the screenshots they had, for
 * the caller to remove from disk once the rows are gone. */
export async function deleteBacklinks(
  sql: Sql,
  ids: number[],
): Promise<{ deleted: number; screenshots: string[] }> {
  return sql.transaction(async (tx) => {
    const shots: string[] = [];
    let deleted = 0;
    for (const id of ids) {
      const rows = await tx.all<{ screenshot: string }>(
        `SELECT screenshot FROM backlink_checks WHERE backlink_id = ? AND screenshot IS NOT NULL ORDER BY id`,
        [id],
      );
      shots.push(...rows.map((r) => r.screenshot));
      deleted += (await tx.run(`DELETE FROM backlinks WHERE id = ?`, [id])).changes;
    }
    return { deleted, screenshots: shots };
  });
}

const INSERT_CHECK = `INSERT INTO backlink_checks (backlink_id, run_id, checked_at, mode, outcome, reasons, google_passes, google_reasons, yandex_passes,
     yandex_reasons, http_status, final_url, redirects, headers, html_hash, link, external_links, brand_mentions, screenshot, error)
   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

// The flags are compared with 1 (`? = 1`) rather than used bare: PostgreSQL wants a boolean after WHEN.
const UPDATE_LINK = `UPDATE backlinks SET status = ?, status_since = CASE WHEN ? = 1 THEN ? ELSE status_since END,
     status_reasons = CASE WHEN ? = 1 THEN ? ELSE status_reasons END,
     google_passes = CASE WHEN ? = 1 THEN ? ELSE google_passes END, yandex_passes = CASE WHEN ? = 1 THEN ? ELSE yandex_passes END,
     fail_streak = ?, fail_since = ?, last_checked_at = ?, last_rendered_at = CASE WHEN ? = 1 THEN ? ELSE last_rendered_at END
   WHERE id = ?`;

const INSERT_EVENT = `INSERT INTO backlink_events (backlink_id, at, from_status, to_status, reasons) VALUES (?, ?, ?, ?, ?)`;

/** Stores one check and moves the link's state; returns the state change, if any. One transaction. */
export async function recordCheck(
  sql: Sql,
  link: BacklinkRow,
  result: CheckResult,
  at: Date,
  runId: number | null,
  rule: ConfirmRule,
): Promise<StateChange | null> {
  return sql.transaction((tx) => writeCheck(tx, link, result, at, runId, rule));
}

/**
 * Stores a run's check of a link once, however often it is called: what a queued task writes, since a
 * task can run twice (a worker killed after this commit but before the queue heard; a lease that ran out
 * while the first try was still going). The link's row is locked first, so a second writer waits for the
 * first and then finds its check; the state moves from the link as it is now, read under that lock.
 * 'already': the run had checked this link (nothing written); 'gone': the link was deleted meanwhile.
 */
export async function recordCheckOnce(
  sql: Sql,
  linkId: number,
  result: CheckResult,
  at: Date,
  runId: number,
  rule: ConfirmRule,
): Promise<{ change: StateChange | null } | 'already' | 'gone'> {
  return sql.transaction(async (tx) => {
    // On SQLite the transaction already holds the database's write lock (BEGIN IMMEDIATE).
    const lock = tx.dialect === 'postgres' ? ' FOR UPDATE' : '';
    if (!(await tx.get(`SELECT id FROM backlinks WHERE id = ?${lock}`, [linkId]))) return 'gone' as const;
    if (await checkedInRun(tx, linkId, runId)) return 'already' as const;
    const link = (await getBacklink(tx, linkId))!;
    return { change: await writeCheck(tx, link, result, at, runId, rule) };
  });
}

/** Whether run `runId` has stored a check of the link. */
export async function checkedInRun(sql: Sql, linkId: number, runId: number): Promise<boolean> {
  return Boolean(
    await sql.get(`SELECT 1 AS one FROM backlink_checks WHERE run_id = ? AND backlink_id = ? LIMIT 1`, [
      runId,
      linkId,
    ]),
  );
}

/** What a run stored, link by link in the order the checks were stored: outcome, mode and the confirmed
 * change the check made, if any (recordCheck writes a change's event at its check's instant). */
export async function runChecks(
  sql: Sql,
  siteId: number,
  runId: number,
): Promise<{ linkId: number; mode: string; outcome: string; change: StateChange | null }[]> {
  const rows = await sql.all<{
    linkId: number;
    mode: string;
    outcome: string;
    from: Status | null;
    to: Status | null;
    reasons: string | null;
  }>(
    `SELECT c.backlink_id AS "linkId", c.mode, c.outcome, e.from_status AS "from", e.to_status AS "to", e.reasons
       FROM backlink_checks c JOIN backlinks b ON b.id = c.backlink_id
       LEFT JOIN backlink_events e ON e.backlink_id = c.backlink_id AND e.at = c.checked_at
      WHERE c.run_id = ? AND b.site_id = ? ORDER BY c.id, e.id`,
    [runId, siteId],
  );
  return rows.map((r) => ({
    linkId: r.linkId,
    mode: r.mode,
    outcome: r.outcome,
    change:
      r.from && r.to ? { from: r.from, to: r.to, reasons: JSON.parse(r.reasons ?? '[]') as string[] } : null,
  }));
}

async function writeCheck(
  tx: Sql,
  link: BacklinkRow,
  result: CheckResult,
  at: Date,
  runId: number | null,
  rule: ConfirmRule,
): Promise<StateChange | null> {
  const v = result.verdict;
  await tx.run(INSERT_CHECK, [
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
  ]);
  const state: LinkState = { status: link.status, failStreak: link.failStreak, failSince: link.failSince };
  const { state: next, change } = nextState(state, { outcome: v.outcome, reasons: v.reasons, at }, rule);
  const settled = v.outcome === 'live' || v.outcome === 'devalued';
  await tx.run(UPDATE_LINK, [
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
  ]);
  if (change)
    await tx.run(INSERT_EVENT, [
      link.id,
      at.toISOString(),
      change.from,
      change.to,
      JSON.stringify(change.reasons),
    ]);
  return change;
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

export async function checkHistory(sql: Sql, backlinkId: number, limit = 200): Promise<CheckRow[]> {
  return (
    await sql.all(
      `SELECT ${CHECK_COLUMNS} FROM backlink_checks WHERE backlink_id = ? ORDER BY checked_at DESC, id DESC LIMIT ?`,
      [backlinkId, limit],
    )
  ).map(checkFromRow);
}

/** The newest rendered check of a link: what the monitor compares a plain fetch with. */
export async function lastRenderedCheck(
  sql: Sql,
  backlinkId: number,
): Promise<{ at: string; hash: string | null; link: string | null } | undefined> {
  return sql.get(
    `SELECT checked_at AS at, html_hash AS hash, link FROM backlink_checks WHERE backlink_id = ? AND mode = 'rendered'
     ORDER BY checked_at DESC, id DESC LIMIT 1`,
    [backlinkId],
  );
}

/**
 * Every confirmed change of state of a link, oldest first, each with the check that confirmed it (recordCheck
 * stores the check and its event at the same instant). These are the evidence kept for good: the first one
 * to "live" is the first confirmed-live check.
 */
export async function stateChangeChecks(
  sql: Sql,
  backlinkId: number,
): Promise<{ at: string; from: Status; to: Status; reasons: string[]; check: CheckRow | null }[]> {
  const events = await sql.all<{ at: string; from: Status; to: Status; reasons: string }>(
    `SELECT at, from_status AS "from", to_status AS "to", reasons FROM backlink_events WHERE backlink_id = ? ORDER BY at, id`,
    [backlinkId],
  );
  const out = [];
  for (const e of events) {
    const r = await sql.get(
      `SELECT ${CHECK_COLUMNS} FROM backlink_checks WHERE backlink_id = ? AND checked_at = ? ORDER BY id DESC LIMIT 1`,
      [backlinkId, e.at],
    );
    out.push({ ...e, reasons: JSON.parse(e.reasons) as string[], check: r ? checkFromRow(r) : null });
  }
  return out;
}

const STATUS_EVENTS = `SELECT e.backlink_id AS backlinkId, e.at, e.from_status AS "from", e.to_status AS "to" FROM backlink_events e
   JOIN backlinks b ON b.id = e.backlink_id WHERE b.site_id = ? ORDER BY e.at, e.id`;

export async function statusEvents(
  sql: Sql,
  siteId: number,
): Promise<{ backlinkId: number; at: string; from: Status; to: Status }[]> {
  return sql.all(STATUS_EVENTS, [siteId]);
}

/** The screenshot path a check of a link stored (null when it took none; undefined when no such check). */
export async function checkScreenshot(
  sql: Sql,
  backlinkId: number,
  checkId: number,
): Promise<string | null | undefined> {
  const row = await sql.get<{ screenshot: string | null }>(
    `SELECT screenshot FROM backlink_checks WHERE id = ? AND backlink_id = ?`,
    [checkId, backlinkId],
  );
  return row ? row.screenshot : undefined;
}

/** A site's link by the key an alert names it by (donor page and target), or undefined. */
export async function findBacklinkId(
  sql: Sql,
  siteId: number,
  donorUrl: string,
  target: string,
): Promise<number | undefined> {
  const row = await sql.get<{ id: number }>(
    'SELECT id FROM backlinks WHERE site_id = ? AND donor_url = ? AND target = ?',
    [siteId, donorUrl, target],
  );
  return row?.id;
}
