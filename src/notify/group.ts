// Folds a batch of alerts into one message per site and kind, so a bad night sends a digest rather than a flood.
import type { AlertFacts, AlertMessage, Severity } from './types.ts';

/** Lines a digest shows (each alert's title and its lines, indented) before "…and N more". */
export const GROUP_MAX_LINES = 50;

const RANK: Record<Severity, number> = { info: 0, warning: 1, critical: 2 };

/**
 * Merges messages with the same site and kind, keeping first-seen order. A merged message takes
 * the highest severity, digest facts holding each original's facts (text.ts words them: a title with
 * the count, each original title as a line with its own lines indented under it, at most 50 lines),
 * and the link only if all agree.
 */
export function groupMessages(messages: readonly AlertMessage[]): AlertMessage[] {
  const groups = new Map<string, AlertMessage[]>();
  for (const m of messages) {
    const key = JSON.stringify([m.siteName, m.kind]);
    const group = groups.get(key);
    if (group) group.push(m);
    else groups.set(key, [m]);
  }
  return [...groups.values()].map((group) => (group.length === 1 ? group[0]! : merge(group)));
}

function merge(group: AlertMessage[]): AlertMessage {
  const first = group[0]!;
  const severity = group.reduce<Severity>(
    (top, m) => (RANK[m.severity] > RANK[top] ? m.severity : top),
    first.severity,
  );
  // A digest of digests is flattened: its title counts the original alerts.
  const items = group.flatMap((m): AlertFacts[] => (m.facts.type === 'digest' ? m.facts.items : [m.facts]));
  const merged: AlertMessage = {
    siteName: first.siteName,
    kind: first.kind,
    severity,
    facts: { type: 'digest', items },
  };
  // Different links cannot be merged into one; the dashboard page for the site is the caller's choice.
  if (first.url !== undefined && group.every((m) => m.url === first.url)) merged.url = first.url;
  return merged;
}
