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
import { formatter, messages } from '../../i18n/index.ts';
import { EXIT, UsageError, type Command } from '../command.ts';

/** Reasons in the English catalogue's words, as the dashboard shows them in English. */
function say(why: Reason[]): string {
  const words = messages('en').backlinks.reasons;
  const fmt = formatter('en');
  return why.map((r) => reasonText(r, words, fmt)).join('; ');
}

export function checkLinkJson(r: CheckResult) {
  const l = r.facts.link;
  return {
    status: r.verdict.outcome,
    reasons: r.verdict.reasons,
    /** The same reasons as codes with their values (src/backlinks/reasons.ts). */
    why: r.verdict.why,
    google: r.verdict.google,
    yandex: r.verdict.yandex,
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

export const checkLinkCommand: Command = {
  name: 'check-link',
  summary:
    'check one backlink now, without a config: is it there, and does it pass value for Google and Yandex',
  usage: 'promowatch check-link <page-url> --target <url-or-domain> [--render] [--json]',
  help: `  <page-url>        the donor page
  --target T        the URL (or domain) the link should point to
  --render          also look after JavaScript runs, in headless Chromium (finds CSS-hidden links; saves a screenshot)
  --json            one JSON document: status, reasons[], google, yandex, http, link
  -h, --help        show this help

Exit code 0 when the link is live, 1 when it is missing, lost, devalued or the check was inconclusive,
2 for a usage error.`,
  options: {
    target: { type: 'string' },
    render: { type: 'boolean' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
  positionals: { min: 1, max: 1 },
  async run(values, [page], io) {
    if (!values.target) throw new UsageError('--target is needed');
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
      io.out(`${doc.status.toUpperCase()}${doc.why.length ? `: ${say(doc.why)}` : ''}`);
      io.out(
        `HTTP ${doc.http.status ?? '—'}${doc.http.redirects.length ? ` after ${doc.http.redirects.length} redirect(s) to ${doc.http.finalUrl}` : ''}`,
      );
      io.out(
        `Google: ${doc.google.passes ? 'passes' : 'does not pass'}${doc.google.why.length ? ` (${say(doc.google.why)})` : ''}`,
      );
      io.out(
        `Yandex: ${doc.yandex.passes ? 'passes' : 'does not pass'}${doc.yandex.why.length ? ` (${say(doc.yandex.why)})` : ''}`,
      );
      if (doc.link) io.out(`Link: ${doc.link.snippet}`);
      if (doc.screenshot) io.out(`Screenshot: ${doc.screenshot}`);
    }
    return doc.status === 'live' ? EXIT.ok : EXIT.failed;
  },
};
