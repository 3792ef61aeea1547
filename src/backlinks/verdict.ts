// Judges one check of a donor page: does the link pass value for Google, for Yandex, and what is the
// page's state overall. Pure: facts in, verdict out.
// Google: https://developers.google.com/search/docs/crawling-indexing/qualify-outbound-links
// Yandex: https://yandex.ru/support/webmaster/controlling-robot/html.html (noindex tag, nofollow)
import { megabytes, REL_FLAGS, storedTexts, type BotWall, type Hidden, type Reason } from './reasons.ts';
import type { FoundLink } from './types.ts';

export type Outcome = 'live' | 'devalued' | 'missing' | 'gone' | 'inconclusive';

export interface CheckFacts {
  mode: 'static' | 'rendered';
  donorUrl: string;
  http: { status: number | null; finalUrl: string | null; error: string | null };
  /** A captcha, challenge page or other bot wall instead of the page. */
  botWall: BotWall | null;
  robotsAllows: { google: boolean; yandex: boolean };
  noindex: { google: boolean; yandex: boolean };
  pageNofollow: { google: boolean; yandex: boolean };
  /** The page's canonical when it names another page. */
  canonicalElsewhere: string | null;
  link: FoundLink | null;
  /** Rendered checks: why the link cannot be seen (display:none, zero size…), or null. */
  hidden: Hidden | null;
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

/** Why a link not found in a cut body proves nothing: it may sit in the part that was not read. */
export function bodyCutReason(cut: BodyCut): Reason {
  return {
    code: 'body-cut',
    megabytes: megabytes(cut.limitBytes),
    decompressed: cut.stage === 'decompression',
  };
}

export interface EngineVerdict {
  passes: boolean;
  /** The English text of `why`, as the database keeps it. */
  reasons: string[];
  why: Reason[];
}

export interface Verdict {
  outcome: Outcome;
  /** The English text of `why`, as the database keeps it. */
  reasons: string[];
  why: Reason[];
  google: EngineVerdict;
  yandex: EngineVerdict;
}

/** A verdict with one more reason (the cloaking suspicion), its text kept beside it. */
export function withReason(v: Verdict, reason: Reason): Verdict {
  return { ...v, why: [...v.why, reason], reasons: [...v.reasons, ...storedTexts([reason])] };
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
  const engine = (passes: boolean, why: Reason[]): EngineVerdict => ({
    passes,
    reasons: storedTexts(why),
    why,
  });
  const fail = (outcome: Outcome, reason: Reason): Verdict => ({
    outcome,
    reasons: storedTexts([reason]),
    why: [reason],
    google: engine(false, [reason]),
    yandex: engine(false, [reason]),
  });
  const s = f.http.status;
  if (f.http.error !== null || s === null)
    return fail(
      'inconclusive',
      f.http.error === null ? { code: 'no-answer' } : { code: 'fetch-failed', message: f.http.error },
    );
  if (f.botWall) return fail('inconclusive', { code: 'bot-wall', wall: f.botWall });
  if (s === 403 || s === 429) return fail('inconclusive', { code: 'blocked', status: s });
  if (s >= 500) return fail('inconclusive', { code: 'server-error', status: s });
  if (s === 404 || s === 410) return fail('gone', { code: 'page-gone', status: s });
  if (s >= 400) return fail('gone', { code: 'http-error', status: s });
  const moved = f.jsRedirectTo ?? f.http.finalUrl;
  if (moved && !samePage(moved, f.donorUrl))
    return fail('gone', { code: 'redirected', to: moved, byJs: f.jsRedirectTo !== null });
  if (f.noindex.google && f.noindex.yandex) return fail('gone', { code: 'page-noindex' });
  if (f.canonicalElsewhere) return fail('gone', { code: 'canonical-elsewhere', to: f.canonicalElsewhere });
  const l = f.link;
  // Head-level facts above (noindex, canonical) sit at the top and were read; the link may come later.
  if (f.bodyCut && (!l || l.context.inComment || l.context.inScript))
    return fail('inconclusive', bodyCutReason(f.bodyCut));
  if (!l || l.context.inComment) return fail('missing', { code: l ? 'in-comment' : 'removed' });
  if (l.context.inScript) return fail('missing', { code: 'in-script' });

  const google = { passes: true, why: [] as Reason[] };
  const yandex = { passes: true, why: [] as Reason[] };
  const both = (reason: Reason) => {
    google.passes = yandex.passes = false;
    google.why.push(reason);
    yandex.why.push(reason);
  };
  const only = (e: typeof google, reason: Reason) => {
    e.passes = false;
    e.why.push(reason);
  };
  const rel = new Set(l.rel);
  for (const token of REL_FLAGS) if (rel.has(token)) both({ code: 'rel', rel: token });
  if (f.hidden) both({ code: 'hidden', hidden: f.hidden });
  if (!f.robotsAllows.google) only(google, { code: 'robots-blocks', engine: 'google' });
  if (!f.robotsAllows.yandex) only(yandex, { code: 'robots-blocks', engine: 'yandex' });
  if (f.noindex.google) only(google, { code: 'noindex-for', engine: 'google' });
  if (f.noindex.yandex) only(yandex, { code: 'noindex-for', engine: 'yandex' });
  if (f.pageNofollow.google) only(google, { code: 'meta-nofollow', engine: 'google' });
  if (f.pageNofollow.yandex) only(yandex, { code: 'meta-nofollow', engine: 'yandex' });
  if (l.context.inNoindexTag || l.context.inNoindexComment)
    only(yandex, { code: 'in-noindex', marker: l.context.inNoindexTag ? 'tag' : 'comment' });
  if (f.onlyAfterJs) only(yandex, { code: 'only-after-js' });
  if (l.context.outsideBody) both({ code: 'outside-body' });
  // A link in a form still passes; the note is for the reader.
  if (l.context.inForm) google.why.push({ code: 'in-form' });
  // One reason per text, in the order Google's then Yandex's came.
  const why = [...new Map([...google.why, ...yandex.why].map((r) => [storedTexts([r])[0], r])).values()];
  const outcome: Outcome = google.passes && yandex.passes ? 'live' : 'devalued';
  return {
    outcome,
    reasons: storedTexts(why),
    why,
    google: engine(google.passes, google.why),
    yandex: engine(yandex.passes, yandex.why),
  };
}
