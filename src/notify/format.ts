// Text helpers shared by the channels: HTML escaping, the plain-text rendering, fitting lines into a size limit.
import { formatter, messages } from '../i18n/index.ts';
import type { AlertText } from './types.ts';

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML element content and quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/** "Warning · studio · lost backlinks": the line under the title in every channel. */
export function contextLine(message: AlertText): string {
  const t = messages(message.lang).alerts;
  return [t.severity[message.severity], message.siteName, t.kinds[message.kind]].filter(Boolean).join(' · ');
}

/** The label of the link to the dashboard, in the message's language. */
export function openLabel(message: AlertText): string {
  return messages(message.lang).alerts.open;
}

/** "…and 3 more" in the message's language, for lines left out. */
export function moreLines(message: AlertText): (n: number) => string {
  const t = messages(message.lang).alerts;
  const f = formatter(message.lang);
  return (n) => t.more(f, n);
}

/** The message as plain text: title, context, lines, link. Used for e-mail, webhooks and the alerts table. */
export function plainText(message: AlertText): string {
  const parts = [message.title, contextLine(message), '', ...message.lines];
  if (message.url) parts.push('', message.url);
  return parts.join('\n').trimEnd();
}

/** Longest line kept as is; even fully escaped (5× for "&" → "&amp;") it fits every channel's limit. */
export const MAX_LINE = 500;

/** Cuts text to `max` characters, marking the cut with an ellipsis. */
export function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * Renders lines with `render` (an escaper) and keeps whole lines while they fit in `maxChars` joined
 * with newlines, then says how many were left out (`more`, e.g. moreLines()): chat APIs reject
 * over-long texts outright.
 */
export function fitLines(
  lines: readonly string[],
  maxChars: number,
  render: (s: string) => string,
  more: (n: number) => string,
): string {
  const rendered = lines.map((l) => render(clip(l, MAX_LINE)));
  const all = rendered.join('\n');
  if (all.length <= maxChars) return all;
  const kept: string[] = [];
  let used = 0;
  for (const [i, line] of rendered.entries()) {
    // Room for this line and for the note about the lines after it.
    const noteAfter = render(more(rendered.length - i));
    if (used + line.length + 1 + noteAfter.length > maxChars) break;
    kept.push(line);
    used += line.length + 1;
  }
  kept.push(render(more(rendered.length - kept.length)));
  return kept.join('\n');
}
