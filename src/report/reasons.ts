// Why a link was lost or devalued, in the report's language. The backlink checks store their reasons as
// English sentences (src/backlinks/verdict.ts, check.ts); each known wording is read back into a message
// with its values, and anything else (a network error, a reason from a newer version) is shown as stored.
import { en } from '../i18n/messages/report.ts';

type Reasons = typeof en.reasons;
type FixedKey = { [K in keyof Reasons]: Reasons[K] extends string ? K : never }[keyof Reasons];

/** The stored wordings with values: a pattern and the message that says it again. */
const WITH_VALUES: [RegExp, (t: Reasons, m: string[], day: (iso: string) => string) => string][] = [
  [/^bot wall: (.+)$/s, (t, m) => t.botWall(m[1]!)],
  [/^answered (\d{3}) \(blocked or rate-limited, not proof of removal\)$/, (t, m) => t.blocked(m[1]!)],
  [/^answered (\d{3}) \(server error\)$/, (t, m) => t.serverError(m[1]!)],
  [/^page gone \((\d{3})\)$/, (t, m) => t.pageGone(m[1]!)],
  [/^answered (\d{3})$/, (t, m) => t.answered(m[1]!)],
  [/^redirected elsewhere: (.+) \(by JavaScript\)$/s, (t, m) => t.redirectedByJs(m[1]!)],
  [/^redirected elsewhere: (.+)$/s, (t, m) => t.redirected(m[1]!)],
  [/^canonicalised away to (.+)$/s, (t, m) => t.canonical(m[1]!)],
  [/^rel="([a-z]+)"$/, (t, m) => t.rel(m[1]!)],
  // src/backlinks/monitor.ts notes when a static check reuses what a rendered one saw.
  [
    /^hidden: (.+) \(seen by the rendered check of (\d{4}-\d{2}-\d{2}); the page has not changed since\)$/s,
    (t, m, day) => t.hiddenSeen(m[1]!, day(m[2]!)),
  ],
  [/^hidden: (.+)$/s, (t, m) => t.hidden(m[1]!)],
  [/^inside (<noindex>|<!--noindex-->): Yandex ignores it$/, (t, m) => t.noindexTag(m[1]!)],
  [
    /^possible cloaking: Googlebot gets HTTP (\d{3}), a browser (\d{3}) \(not proof: some sites block fake Googlebots\)$/,
    (t, m) => t.cloakingStatus(m[1]!, m[2]!),
  ],
];

/** The fixed wordings: the English catalogue holds them exactly as the checks store them. */
const FIXED = new Map(
  (Object.entries(en.reasons) as [keyof Reasons, unknown][])
    .filter((e): e is [FixedKey, string] => typeof e[1] === 'string')
    .map(([key, text]) => [text, key]),
);

/** A stored reason in the language of `t` (a report's `reasons` messages); an unknown one as it is. */
export function reasonText(t: Reasons, stored: string, day: (iso: string) => string): string {
  const fixed = FIXED.get(stored);
  if (fixed) return t[fixed];
  for (const [pattern, say] of WITH_VALUES) {
    const m = pattern.exec(stored);
    if (m) return say(t, m, day);
  }
  return stored;
}
