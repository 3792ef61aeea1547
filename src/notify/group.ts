// Folds a batch of alerts into one message per site and kind, so a bad night sends a digest rather than a flood.
import type { AlertKind, AlertMessage, Severity } from './types.ts';

export const GROUP_MAX_LINES = 50;

/** How a count of each kind reads in a digest title: "3 lost backlinks". */
const KIND_PLURAL: Record<AlertKind, string> = {
  'lost-backlink': 'lost backlinks',
  'devalued-backlink': 'devalued backlinks',
  'recovered-backlink': 'recovered backlinks',
  'renewal-due': 'backlink renewals due',
  budget: 'budget alerts',
  anomaly: 'anomalies',
  'site-issue': 'site issues',
  'job-failure': 'failed jobs',
  'weekly-report': 'weekly reports',
};

const RANK: Record<Severity, number> = { info: 0, warning: 1, critical: 2 };

/**
 * Merges messages with the same site and kind, keeping first-seen order. A merged message takes
 * the highest severity, a title with the count, each original title as a line with its own lines
 * indented under it (at most 50 lines, then "…and N more"), and the link only if all agree.
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
  const all = group.flatMap((m) => [m.title, ...m.lines.map((l) => `  ${l}`)]);
  const lines =
    all.length > GROUP_MAX_LINES
      ? [...all.slice(0, GROUP_MAX_LINES), `…and ${all.length - GROUP_MAX_LINES} more`]
      : all;
  const count = `${group.length} ${KIND_PLURAL[first.kind]}`;
  const merged: AlertMessage = {
    siteName: first.siteName,
    kind: first.kind,
    severity,
    title: first.siteName ? `${first.siteName}: ${count}` : count,
    lines,
  };
  // Different links cannot be merged into one; the dashboard page for the site is the caller's choice.
  if (first.url !== undefined && group.every((m) => m.url === first.url)) merged.url = first.url;
  return merged;
}
