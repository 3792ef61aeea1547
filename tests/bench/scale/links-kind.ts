// The `links` task kind bench:scale runs — the program's own (src/backlinks/link-check-task.ts, registered in
// src/queue/kinds.ts) — and how a run hands a backlink to it, exactly as check-backlinks fans out.
import type { BacklinkSettings } from '../../../src/backlinks/check-link.ts';
import { LINK_CHECK_KIND, type LinkCheckPayload } from '../../../src/backlinks/link-check-task.ts';

export const LINKS_KIND = LINK_CHECK_KIND;

/** The task for one backlink of a run, and its idempotency key (as jobs/check-backlinks.ts keys it). */
export function linkTask(
  runId: number,
  linkId: number,
  settings: BacklinkSettings,
  evidenceDir: string,
): { payload: LinkCheckPayload; key: string } {
  return { payload: { runId, linkId, settings, evidenceDir }, key: `${runId}:${linkId}` };
}
