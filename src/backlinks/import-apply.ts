// Stores a checked inventory file: the new links, and what an Ahrefs or Semrush export says of every link
// in it (new or already known), in one transaction. Our verdicts are never touched by an import.
import type { Sql } from '../db/store/types.ts';
import { backlinkKey, type ImportResult } from './import.ts';
import { existingIds, insertBacklinks } from './store.ts';
import { saveToolStates } from './tool-state-store.ts';

export interface AppliedImport {
  /** Ids of the links added. */
  inserted: number[];
  /** Links whose tool state was written (added and already known ones). */
  toolStates: number;
}

/** All or nothing; refuses a parse result that has errors, since the file as a whole was refused. */
export async function applyBacklinkImport(
  sql: Sql,
  siteId: number,
  parsed: ImportResult,
  now: Date,
): Promise<AppliedImport> {
  if (parsed.errors.length)
    throw new Error(`Refusing to store an import with ${parsed.errors.length} error(s): fix the file first`);
  return sql.transaction(async (tx) => {
    const inserted = await insertBacklinks(
      tx,
      siteId,
      parsed.rows.map((r) => r.input),
      now,
    );
    const ids = await existingIds(tx, siteId, backlinkKey);
    const items = parsed.toolStates.map((t) => {
      const backlinkId = ids.get(backlinkKey(t.donorUrl, t.target));
      // Every tool state comes from a row that was added or matched a known link.
      if (backlinkId === undefined)
        throw new Error(`line ${t.line}: no stored link for ${t.donorUrl} → ${t.target}`);
      return { backlinkId, state: t.state };
    });
    await saveToolStates(tx, items, now);
    return { inserted, toolStates: items.length };
  });
}
