// SQL for what backlink tools last said about each link (src/backlinks/tool-state.ts): written by
// imports, read beside our own verdict and by the check order.
import type { Sql } from '../db/store/types.ts';
import type { BacklinkTool, StoredToolState, ToolState } from './tool-state.ts';

const COLUMNS = `backlink_id AS backlinkId, tool, nofollow, sponsored, ugc, lost, lost_on AS lostOn,
  lost_reason AS lostReason, first_seen AS firstSeen, last_seen AS lastSeen, imported_at AS importedAt`;

function fromRow(r: Record<string, unknown>): StoredToolState {
  const bool = (v: unknown) => (v === null ? null : v === 1);
  return {
    backlinkId: r.backlinkId as number,
    tool: r.tool as BacklinkTool,
    nofollow: bool(r.nofollow),
    sponsored: bool(r.sponsored),
    ugc: bool(r.ugc),
    lost: r.lost === 1,
    lostOn: r.lostOn as string | null,
    lostReason: r.lostReason as string | null,
    firstSeen: r.firstSeen as string | null,
    lastSeen: r.lastSeen as string | null,
    importedAt: r.importedAt as string,
  };
}

/** Writes each link's state for its tool, replacing what that tool said before. One transaction. */
export async function saveToolStates(
  sql: Sql,
  items: { backlinkId: number; state: ToolState }[],
  importedAt: Date,
): Promise<void> {
  const stmt = `INSERT INTO backlink_tool_states (backlink_id, tool, nofollow, sponsored, ugc, lost, lost_on, lost_reason,
       first_seen, last_seen, imported_at)
     VALUES (@backlinkId, @tool, @nofollow, @sponsored, @ugc, @lost, @lostOn, @lostReason, @firstSeen, @lastSeen, @importedAt)
     ON CONFLICT (backlink_id, tool) DO UPDATE SET nofollow = excluded.nofollow, sponsored = excluded.sponsored,
       ugc = excluded.ugc, lost = excluded.lost, lost_on = excluded.lost_on, lost_reason = excluded.lost_reason,
       first_seen = excluded.first_seen, last_seen = excluded.last_seen, imported_at = excluded.imported_at`;
  const bit = (v: boolean | null) => (v === null ? null : v ? 1 : 0);
  await sql.transaction(async (tx) => {
    for (const { backlinkId, state: s } of items)
      await tx.run(stmt, {
        ...s,
        backlinkId,
        nofollow: bit(s.nofollow),
        sponsored: bit(s.sponsored),
        ugc: bit(s.ugc),
        lost: bit(s.lost),
        importedAt: importedAt.toISOString(),
      });
  });
}

/** Every link's tool states for a site, by backlink id, in tool order. */
export async function toolStatesBySite(sql: Sql, siteId: number): Promise<Map<number, StoredToolState[]>> {
  const rows = await sql.all(
    `SELECT ${COLUMNS} FROM backlink_tool_states
       WHERE backlink_id IN (SELECT id FROM backlinks WHERE site_id = ?) ORDER BY backlink_id, tool`,
    [siteId],
  );
  const out = new Map<number, StoredToolState[]>();
  for (const r of rows.map(fromRow))
    (out.get(r.backlinkId) ?? out.set(r.backlinkId, []).get(r.backlinkId)!).push(r);
  return out;
}

export async function toolStatesOf(sql: Sql, backlinkId: number): Promise<StoredToolState[]> {
  return (
    await sql.all(`SELECT ${COLUMNS} FROM backlink_tool_states WHERE backlink_id = ? ORDER BY tool`, [
      backlinkId,
    ])
  ).map(fromRow);
}
