// Judges one check of a donor page: does the link pass value for Google, for Yandex, and what is the
// page's state overall. Pure: facts in, verdict out.
// Google: https://developers.google.com/search/docs/crawling-indexing/qualify-outbound-links
// Yandex: https://yandex.ru/support/webmaster/controlling-robot/html.html (noindex tag, nofollow)
import type { FoundLink } from './types.ts';

export type Outcome = 'live' | 'devalued' | 'missing' | 'gone' | 'inconclusive';

export interface CheckFacts {
  mode: 'static' | 'rendered';
  donorUrl: string;
  http: { status: number | null; finalUrl: string | null; error: string | null };
  /** A captcha, challenge page or other bot wall instead of the page. */
  botWall: string | null;
  robotsAllows: { google: boolean; yandex: boolean };
  noindex: { google: boolean; yandex: boolean };
  pageNofollow: { google: boolean; yandex: boolean };
  /** The page's canonical when it names another page. */
  canonicalElsewhere: string | null;
  link: FoundLink | null;
  /** Rendered checks: why the link cannot be seen (display:none, zero size…), or null. */
  hidden: string | null;
  /** Rendered checks: the link exists only after JavaScript ran. */
  onlyAfterJs: boolean;
  /** Rendered checks: JavaScript sent the browser to another page. */
  jsRedirectTo: string | null;
  /** The body was cut at a size cap: only the part read was searched for the link. */
  bodyCut: BodyCut | null;
}

export interface BodyCut {
  limitBytes: number;
  /** 'download': bytes on the wire; 'decompression': bytes once unpacked (the gzip-bomb guard). */
  stage: 'download' | 'decompression';
}

const megabytes = (bytes: number) => `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;

/** Why a link not found in a cut body proves nothing: it may sit in the part that was not read. */
export function bodyCutReason(cut: BodyCut): string {
  const mb = megabytes(cut.limitBytes);
  return `page larger than ${mb}${cut.stage === 'decompression' ? ' once decompressed' : ''}; link not found in the first ${mb}`;
}

export interface EngineVerdict {
  passes: boolean;
  reasons: string[];
}

export interface Verdict {
  outcome: Outcome;
  reasons: string[];
  google: EngineVerdict;
  yandex: EngineVerdict;
}

/** Same page despite a move to https, to or from www., or a trailing slash. */
export function samePage(a: string, b: string): boolean {
  const key = (u: string) => {
    try {
      const x = new URL(u);
      return `${x.hostname.replace(/^www\./, '')}${x.pathname.replace(/\/+$/, '')}${x.search}`;
    } catch {
      return u;
    }
  };
  return key(a) === key(b);
}

export function judge(f: CheckFacts): Verdict {
  const fail = (outcome: Outcome, reason: string): Verdict => ({
    outcome,
    reasons: [reason],
    google: { passes: false, reasons: [reason] },
    yandex: { passes: false, reasons: [reason] },
  });
  const s = f.http.status;
  if (f.http.error !== null || s === null) return fail('inconclusive', f.http.error ?? 'no answer');
  if (f.botWall) return fail('inconclusive', `bot wall: ${f.botWall}`);
  if (s === 403 || s === 429)
    return fail('inconclusive', `answered ${s} (blocked or rate-limited, not proof of removal)`);
  if (s >= 500) return fail('inconclusive', `answered ${s} (server error)`);
  if (s === 404 || s === 410) return fail('gone', `page gone (${s})`);
  if (s >= 400) return fail('gone', `answered ${s}`);
  const moved = f.jsRedirectTo ?? f.http.finalUrl;
  if (moved && !samePage(moved, f.donorUrl))
    return fail('gone', `redirected elsewhere: ${moved}${f.jsRedirectTo ? ' (by JavaScript)' : ''}`);
  if (f.noindex.google && f.noindex.yandex) return fail('gone', 'the page is noindex');
  if (f.canonicalElsewhere) return fail('gone', `canonicalised away to ${f.canonicalElsewhere}`);
  const l = f.link;
  // Head-level facts above (noindex, canonical) sit at the top and were read; the link may come later.
  if (f.bodyCut && (!l || l.context.inComment || l.context.inScript))
    return fail('inconclusive', bodyCutReason(f.bodyCut));
  if (!l || l.context.inComment)
    return fail('missing', l ? 'link is inside an HTML comment' : 'link removed');
  if (l.context.inScript) return fail('missing', 'link exists only as text inside a script');

  const google = { passes: true, reasons: [] as string[] };
  const yandex = { passes: true, reasons: [] as string[] };
  const both = (reason: string) => {
    google.passes = yandex.passes = false;
    google.reasons.push(reason);
    yandex.reasons.push(reason);
  };
  const rel = new Set(l.rel);
  for (const token of ['nofollow', 'sponsored', 'ugc']) if (rel.has(token)) both(`rel="${token}"`);
  if (f.hidden) both(`hidden: ${f.hidden}`);
  if (!f.robotsAllows.google) ((google.passes = false), google.reasons.push('robots.txt blocks Googlebot'));
  if (!f.robotsAllows.yandex) ((yandex.passes = false), yandex.reasons.push('robots.txt blocks Yandex'));
  if (f.noindex.google) ((google.passes = false), google.reasons.push('noindex for Google'));
  if (f.noindex.yandex) ((yandex.passes = false), yandex.reasons.push('noindex for Yandex'));
  if (f.pageNofollow.google) ((google.passes = false), google.reasons.push('meta robots nofollow'));
  if (f.pageNofollow.yandex) ((yandex.passes = false), yandex.reasons.push('meta robots nofollow (Yandex)'));
  if (l.context.inNoindexTag || l.context.inNoindexComment)
    ((yandex.passes = false),
      yandex.reasons.push(
        `inside ${l.context.inNoindexTag ? '<noindex>' : '<!--noindex-->'}: Yandex ignores it`,
      ));
  if (f.onlyAfterJs)
    ((yandex.passes = false),
      yandex.reasons.push('present only after JavaScript: Yandex reads links from the HTML it downloads'));
  if (l.context.outsideBody) both('link is outside <body>');
  if (l.context.inForm) google.reasons.push('inside a form');
  const reasons = [...new Set([...google.reasons, ...yandex.reasons])];
  const outcome: Outcome = google.passes && yandex.passes ? 'live' : 'devalued';
  return { outcome, reasons, google, yandex };
}
