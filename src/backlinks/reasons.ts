// Why a check of a donor page came out as it did, as codes with values: the verdict and the checks
// produce these, the database keeps their English text (as it did before codes existed, so old rows,
// reports and alerts read the same), and the pages render them in the reader's language from
// src/i18n/messages/backlinks.ts. parseReason() reads a stored text back into its code. Pure.
import { messages, type Formatter, type Messages } from '../i18n/index.ts';

export type Engine = 'google' | 'yandex';
export type BotWall = 'captcha' | 'browser challenge' | 'access denied page';
export const REL_FLAGS = ['nofollow', 'sponsored', 'ugc'] as const;
export type RelFlag = (typeof REL_FLAGS)[number];

/** How a rendered check found a link hidden from visitors; CSS ones named as the CSS says it. */
export const HIDDEN_HOWS = [
  'display:none',
  'visibility:hidden',
  'opacity:0',
  'font-size:0',
  'zero-size',
  'off-screen',
  'same-colour',
] as const;
export type HiddenHow = (typeof HIDDEN_HOWS)[number];

export interface Hidden {
  how: HiddenHow;
  /** The link's own style is fine; an element around it hides it. */
  onParent: boolean;
  /** YYYY-MM-DD of an earlier rendered check whose finding stands in for a new one (the page is unchanged). */
  seenOn?: string;
}

export type Reason =
  | { code: 'no-answer' }
  | { code: 'fetch-failed'; message: string }
  | { code: 'bot-wall'; wall: BotWall }
  | { code: 'blocked'; status: number }
  | { code: 'server-error'; status: number }
  | { code: 'page-gone'; status: number }
  | { code: 'http-error'; status: number }
  | { code: 'redirected'; to: string; byJs: boolean }
  | { code: 'page-noindex' }
  | { code: 'canonical-elsewhere'; to: string }
  | { code: 'body-cut'; megabytes: number; decompressed: boolean }
  | { code: 'in-comment' }
  | { code: 'removed' }
  | { code: 'in-script' }
  | { code: 'rel'; rel: RelFlag }
  | { code: 'hidden'; hidden: Hidden }
  | { code: 'robots-blocks'; engine: Engine }
  | { code: 'noindex-for'; engine: Engine }
  | { code: 'meta-nofollow'; engine: Engine }
  | { code: 'in-noindex'; marker: 'tag' | 'comment' }
  | { code: 'only-after-js' }
  | { code: 'outside-body' }
  | { code: 'in-form' }
  | { code: 'cloaking-status'; bot: number; browser: number }
  | { code: 'cloaking-link'; shownTo: 'googlebot' | 'browsers' }
  | { code: 'render-failed'; message: string }
  /** A stored text no pattern knows (an older wording): shown as it is. */
  | { code: 'text'; text: string };

export type ReasonCode = Reason['code'];
export type ReasonWords = Messages['backlinks']['reasons'];

/** The formatting a reason needs. Stored texts keep days as YYYY-MM-DD and plain numbers. */
export type ReasonFormat = Pick<Formatter, 'day' | 'number'>;

const STORED: ReasonFormat = { day: (d) => d, number: (n) => String(n) };
const EN: ReasonWords = messages('en').backlinks.reasons;

/** Bytes as the megabytes a reason names, to one decimal. */
export function megabytes(bytes: number): number {
  return Math.round((bytes / (1024 * 1024)) * 10) / 10;
}

/** A reason in words: the reader's (with their formatter), or by default the English text stored. */
export function reasonText(r: Reason, say: ReasonWords = EN, fmt: ReasonFormat = STORED): string {
  switch (r.code) {
    case 'no-answer':
      return say.noAnswer;
    case 'fetch-failed':
      return say.fetchFailed(r.message);
    case 'bot-wall':
      return say.botWall(say.botWalls[r.wall]);
    case 'blocked':
      return say.blocked(r.status);
    case 'server-error':
      return say.serverError(r.status);
    case 'page-gone':
      return say.pageGone(r.status);
    case 'http-error':
      return say.httpError(r.status);
    case 'redirected':
      return say.redirected(r.to, r.byJs);
    case 'page-noindex':
      return say.pageNoindex;
    case 'canonical-elsewhere':
      return say.canonicalElsewhere(r.to);
    case 'body-cut':
      return say.bodyCut(fmt.number(r.megabytes, 1), r.decompressed);
    case 'in-comment':
      return say.inComment;
    case 'removed':
      return say.removed;
    case 'in-script':
      return say.inScript;
    case 'rel':
      return say.rel(r.rel);
    case 'hidden': {
      const h = r.hidden;
      return say.hidden(say.hiddenHow[h.how], h.onParent, h.seenOn ? fmt.day(h.seenOn) : null);
    }
    case 'robots-blocks':
      return say.robotsBlocks[r.engine];
    case 'noindex-for':
      return say.noindexFor[r.engine];
    case 'meta-nofollow':
      return say.metaNofollow[r.engine];
    case 'in-noindex':
      return say.inNoindex[r.marker];
    case 'only-after-js':
      return say.onlyAfterJs;
    case 'outside-body':
      return say.outsideBody;
    case 'in-form':
      return say.inForm;
    case 'cloaking-status':
      return say.cloakingStatus(r.bot, r.browser);
    case 'cloaking-link':
      return say.cloakingLink[r.shownTo];
    case 'render-failed':
      return say.renderFailed(r.message);
    case 'text':
      return r.text;
  }
}

/** The English texts the database keeps, in order. */
export function storedTexts(reasons: Reason[]): string[] {
  return reasons.map((r) => reasonText(r));
}

/** Fixed texts, by what the English catalogue says (the stored form). */
const FIXED = new Map<string, Reason>([
  [EN.noAnswer, { code: 'no-answer' }],
  [EN.pageNoindex, { code: 'page-noindex' }],
  [EN.inComment, { code: 'in-comment' }],
  [EN.removed, { code: 'removed' }],
  [EN.inScript, { code: 'in-script' }],
  [EN.onlyAfterJs, { code: 'only-after-js' }],
  [EN.outsideBody, { code: 'outside-body' }],
  [EN.inForm, { code: 'in-form' }],
  ...(['google', 'yandex'] as const).flatMap((engine): [string, Reason][] => [
    [EN.robotsBlocks[engine], { code: 'robots-blocks', engine }],
    [EN.noindexFor[engine], { code: 'noindex-for', engine }],
    [EN.metaNofollow[engine], { code: 'meta-nofollow', engine }],
  ]),
  [EN.inNoindex.tag, { code: 'in-noindex', marker: 'tag' }],
  [EN.inNoindex.comment, { code: 'in-noindex', marker: 'comment' }],
  [EN.cloakingLink.googlebot, { code: 'cloaking-link', shownTo: 'googlebot' }],
  [EN.cloakingLink.browsers, { code: 'cloaking-link', shownTo: 'browsers' }],
]);

const HOW_BY_TEXT = new Map(HIDDEN_HOWS.map((how) => [EN.hiddenHow[how], how]));
const BOT_WALLS = new Set<string>(Object.keys(EN.botWalls));

/** Texts with values. The patterns mirror the English catalogue; tests render every code and read it back. */
const PATTERNS: [RegExp, (m: RegExpExecArray) => Reason | null][] = [
  [/^could not load the page: ([\s\S]*)$/, (m) => ({ code: 'fetch-failed', message: m[1]! })],
  [/^rendering failed: ([\s\S]*)$/, (m) => ({ code: 'render-failed', message: m[1]! })],
  [/^bot wall: (.*)$/, (m) => (BOT_WALLS.has(m[1]!) ? { code: 'bot-wall', wall: m[1] as BotWall } : null)],
  [
    /^answered (\d+) \(blocked or rate-limited, not proof of removal\)$/,
    (m) => ({ code: 'blocked', status: Number(m[1]) }),
  ],
  [/^answered (\d+) \(server error\)$/, (m) => ({ code: 'server-error', status: Number(m[1]) })],
  [/^page gone \((\d+)\)$/, (m) => ({ code: 'page-gone', status: Number(m[1]) })],
  [/^answered (\d+)$/, (m) => ({ code: 'http-error', status: Number(m[1]) })],
  [
    /^redirected elsewhere: ([\s\S]*?)( \(by JavaScript\))?$/,
    (m) => ({ code: 'redirected', to: m[1]!, byJs: m[2] !== undefined }),
  ],
  [/^canonicalised away to ([\s\S]*)$/, (m) => ({ code: 'canonical-elsewhere', to: m[1]! })],
  [
    /^page larger than (\d+(?:\.\d+)?) MB( once decompressed)?; link not found in the first \1 MB$/,
    (m) => ({ code: 'body-cut', megabytes: Number(m[1]), decompressed: m[2] !== undefined }),
  ],
  [/^rel="(nofollow|sponsored|ugc)"$/, (m) => ({ code: 'rel', rel: m[1] as RelFlag })],
  [
    /^hidden: (.+?)( \(on a parent\))?(?: \(seen by the rendered check of (\d{4}-\d{2}-\d{2}); the page has not changed since\))?$/,
    (m) => {
      const how = HOW_BY_TEXT.get(m[1]!);
      if (!how) return null;
      const hidden: Hidden = { how, onParent: m[2] !== undefined };
      if (m[3]) hidden.seenOn = m[3];
      return { code: 'hidden', hidden };
    },
  ],
  [
    /^possible cloaking: Googlebot gets HTTP (\d+), a browser (\d+) \(not proof: some sites block fake Googlebots\)$/,
    (m) => ({ code: 'cloaking-status', bot: Number(m[1]), browser: Number(m[2]) }),
  ],
];

/** A stored text read back into its code; one no pattern knows stays as it is. */
export function parseReason(text: string): Reason {
  const fixed = FIXED.get(text);
  if (fixed) return fixed;
  for (const [re, make] of PATTERNS) {
    const m = re.exec(text);
    const r = m && make(m);
    if (r) return r;
  }
  return { code: 'text', text };
}

/** Stored texts in the reader's words, joined as the pages show them. */
export function showReasons(texts: string[], say: ReasonWords, fmt: ReasonFormat): string {
  return texts.map((t) => reasonText(parseReason(t), say, fmt)).join('; ');
}

/** What a rendered check stored of a hidden link: a Hidden now, an English text in rows from before. */
export function readHidden(stored: unknown): Hidden | null {
  if (typeof stored === 'string') {
    const r = parseReason(`hidden: ${stored}`);
    return r.code === 'hidden' ? r.hidden : null;
  }
  if (stored && typeof stored === 'object' && HIDDEN_HOWS.includes((stored as Hidden).how))
    return stored as Hidden;
  return null;
}
