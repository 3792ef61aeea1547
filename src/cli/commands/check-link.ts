// `promowatch check-link <page-url> --target <url-or-domain>`: one backlink checked now, without a config.
import { BrowserPool } from '../../browser/launcher.ts';
import { targetSpec } from '../../backlinks/analyze.ts';
import {
  checkRendered,
  checkStatic,
  DEFAULT_CHECK_SETTINGS,
  type CheckResult,
} from '../../backlinks/check.ts';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reasonText, type Reason } from '../../backlinks/reasons.ts';
import type { Status } from '../../backlinks/state.ts';
import type { EngineVerdict, Outcome } from '../../backlinks/verdict.ts';
import { formatter, messages } from '../../i18n/index.ts';
import { EXIT, UsageError, type Command } from '../command.ts';

/** Reasons in the English catalogue's words, as the dashboard shows them in English. */
function say(why: Reason[]): string {
  const words = messages('en').backlinks.reasons;
  const fmt = formatter('en');
  return why.map((r) => reasonText(r, words, fmt)).join('; ');
}

/**
 * The state word this one check points to, in the backlinks catalogue's vocabulary: a missing link or
 * a gone page reads "lost" (the monitor confirms a loss over several checks; a one-off check cannot).
 */
export function checkState(outcome: Outcome): Exclude<Status, 'unchecked'> {
  return outcome === 'missing' || outcome === 'gone' ? 'lost' : outcome;
}

/** An engine's answer: null when the page could not be checked at all (refused, timeout, 5xx, bot wall). */
function engineJson(e: EngineVerdict, outcome: Outcome) {
  return { ...e, passes: outcome === 'inconclusive' ? null : e.passes };
}

export function checkLinkJson(r: CheckResult) {
  const l = r.facts.link;
  return {
    /** The check's outcome (live, devalued, missing, gone, inconclusive) — kept for scripts. */
    status: r.verdict.outcome,
    /** The same in the words the dashboard and the other commands use for a link's state. */
    state: checkState(r.verdict.outcome),
    reasons: r.verdict.reasons,
    /** The same reasons as codes with their values (src/backlinks/reasons.ts). */
    why: r.verdict.why,
    google: engineJson(r.verdict.google, r.verdict.outcome),
    yandex: engineJson(r.verdict.yandex, r.verdict.outcome),
    http: { status: r.http.status, finalUrl: r.http.finalUrl, redirects: r.http.redirects },
    link: l && {
      href: l.href,
      anchor: l.anchor,
      rel: l.rel,
      hidden: r.facts.hidden,
      inNoindex: l.context.inNoindexTag || l.context.inNoindexComment,
      context: l.context,
      snippet: l.snippet,
    },
    mode: r.mode,
    screenshot: r.screenshot,
    error: r.error,
  };
}

/**
 * What a static check cannot know, and the way to know it: CSS hiding is only seen in a browser, and
 * a link missing from the HTML may be written by JavaScript.
 */
export function renderHint(doc: ReturnType<typeof checkLinkJson>): string | null {
  // --render asked for, but the browser did not open: the verdict is the static one, and says so.
  if (doc.mode === 'rendered' && doc.error && doc.http.status !== null)
    return `Not checked in the browser (${doc.error}): the verdict above is from the static HTML, so CSS hiding was not judged. Fix the browser (PROMOWATCH_CHROMIUM, or a chromium on PATH) and run again.`;
  if (doc.mode !== 'static') return null;
  if (doc.status === 'live' || doc.status === 'devalued')
    return 'Not checked: whether CSS hides the link (the static HTML cannot tell). Run again with --render to look in a browser.';
  if (doc.why.some((r) => r.code === 'removed'))
    return 'The link is not in the static HTML; a script may add it. Run again with --render to look after JavaScript runs.';
  return null;
}

function engineLine(name: string, e: ReturnType<typeof engineJson>): string {
  if (e.passes === null) return `${name}: unknown (could not check the page)`;
  return `${name}: ${e.passes ? 'passes' : 'does not pass'}${e.why.length ? ` (${say(e.why)})` : ''}`;
}

export const checkLinkCommand: Command = {
  name: 'check-link',
  summary:
    'check one backlink now, without a config: is it there, and does it pass value for Google and Yandex',
  usage: 'promowatch check-link <page-url> --target <url-or-domain> [--render] [--json]',
  help: `  <page-url>        the donor page
  --target T        the URL (or domain) the link should point to
  --render          also look after JavaScript runs, in headless Chromium (finds CSS-hidden links; saves a screenshot)
  --json            one JSON document: status (this check's outcome: live, devalued, missing, gone,
                    inconclusive), state (the words above), reasons[], google and yandex (passes:
                    true, false, or null when the page could not be checked), http, link
  -h, --help        show this help

States: live, devalued, lost (link removed or page gone), inconclusive (the page could not be
checked: refused, timed out, blocked, server error — Google and Yandex then read "unknown").
Without --render, CSS hiding is not judged and a link added by JavaScript is not seen.

Exit code 0 when the link is live, 1 when it is lost, devalued or the check was inconclusive,
2 for a usage error.`,
  options: {
    target: { type: 'string' },
    render: { type: 'boolean' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
  positionals: { min: 1, max: 1 },
  async run(values, [page], io) {
    if (!values.target)
      throw new UsageError(
        '--target is needed: the URL or domain the link should point to, e.g. --target https://studio.example.com/',
      );
    let target;
    try {
      if (!/^https?:\/\//i.test(page!)) throw new Error();
      new URL(page!);
      target = targetSpec(values.target as string);
    } catch (err) {
      throw new UsageError((err as Error).message || `"${page}" is not an absolute http(s) URL`);
    }
    const ctx = { settings: DEFAULT_CHECK_SETTINGS, robotsCache: new Map() };
    let result = await checkStatic(page!, target, ctx);
    const browser = values.render ? new BrowserPool() : null;
    try {
      if (browser)
        result = await checkRendered(
          page!,
          target,
          ctx,
          browser,
          { dir: mkdtempSync(join(tmpdir(), 'promowatch-evidence-')), name: 'link' },
          result,
        );
    } finally {
      await browser?.close();
    }
    const doc = checkLinkJson(result);
    if (values.json) io.out(JSON.stringify(doc));
    else {
      const state = messages('en').backlinks.states[doc.state];
      io.out(`${state.toUpperCase()}${doc.why.length ? `: ${say(doc.why)}` : ''}`);
      io.out(
        `HTTP ${doc.http.status ?? 'no answer'}${doc.http.redirects.length ? ` after ${doc.http.redirects.length} redirect(s) to ${doc.http.finalUrl}` : ''}`,
      );
      io.out(engineLine('Google', doc.google));
      io.out(engineLine('Yandex', doc.yandex));
      if (doc.link) io.out(`Link: ${doc.link.snippet}`);
      if (doc.screenshot) io.out(`Screenshot: ${doc.screenshot}`);
      const hint = renderHint(doc);
      if (hint) io.out(hint);
    }
    return doc.status === 'live' ? EXIT.ok : EXIT.failed;
  },
};
