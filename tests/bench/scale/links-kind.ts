// Which `links` task kind bench:scale runs, and how it hands a backlink to it: the program's own kind when
// src/queue/kinds.ts registers one, else the stand-in (stand-in-links.ts). Swapping is this file only.
import type { BacklinkSettings } from '../../../src/backlinks/monitor.ts';
import type { TaskRegistry } from '../../../src/queue/registry.ts';
import { standInLinksKind, type LinkTaskPayload } from './stand-in-links.ts';

export const LINKS_KIND = 'links';

/** The registry with a `links` kind in it: the program's, or the stand-in added. */
export function registryWithLinks(registry: TaskRegistry): TaskRegistry {
  if (!registry.has(LINKS_KIND)) registry.register(standInLinksKind);
  return registry;
}

/** True when the program registers its own `links` kind (then the figures are the real handler's). */
export const usesStandIn = (registry: TaskRegistry) => registry.get(LINKS_KIND) === standInLinksKind;

/** The task for one backlink of a run, and its idempotency key (as check-backlinks fans out). */
export function linkTask(
  runId: number,
  linkId: number,
  settings: BacklinkSettings,
  evidenceDir: string,
): { payload: LinkTaskPayload; key: string } {
  return { payload: { runId, linkId, settings, evidenceDir }, key: `${runId}:${linkId}` };
}
