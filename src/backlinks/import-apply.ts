// Stores a checked inventory file: the new links, and what an Ahrefs or Semrush export says of every link
// in it (new or already known), in one transaction. Our verdicts are never touched by an import.
import type { Db } from '../db/open.ts';
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
export function applyBacklinkImport(db: Db, siteId: number, parsed: ImportResult, now: Date): AppliedImport {
  if (parsed.errors.length)
    throw new Error(`Refusing to store an import with ${parsed.errors.length} error(s): fix the file first`);
  return db.transaction(() => {
    const inserted = insertBacklinks(
      db,
      siteId,
      parsed.rows.map((r) => r.input),
      now,
    );
    const ids = existingIds(db, siteId, backlinkKey);
    const items = parsed.toolStates.map((t) => {
      const backlinkId = ids.get(backlinkKey(t.donorUrl, t.target));
      // Every tool state comes from a row that was added or matched a known link.
      if (backlinkId === undefined)
        throw new Error(`line ${t.line}: no stored link for ${t.donorUrl} → ${t.target}`);
      return { backlinkId, state: t.state };
    });
    saveToolStates(db, items, now);
    return { inserted, toolStates: items.length };
  })();
}
