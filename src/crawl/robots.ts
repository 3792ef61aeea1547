// Reads robots.txt and answers whether our crawler may fetch a path, following RFC 9309.
// https://www.rfc-editor.org/rfc/rfc9309

export interface RobotsRule {
  allow: boolean;
  pattern: string;
}
export interface RobotsGroup {
  agents: string[];
  rules: RobotsRule[];
  crawlDelay?: number;
}
export interface ParsedRobots {
  groups: RobotsGroup[];
  sitemaps: string[];
}
export interface RobotsVerdict {
  allowed: boolean;
  rule: RobotsRule | null;
  /** The user-agent token of the group used, '*', or 'none' when no group applied. */
  group: string;
}

// §2.5: crawlers must parse at least the first 500 KiB; stopping there bounds work on hostile files.
const MAX_ROBOTS_BYTES = 500 * 1024;

type Field = 'user-agent' | 'allow' | 'disallow' | 'sitemap' | 'crawl-delay';
// Includes misspellings seen in the wild that Google's parser also accepts (github.com/google/robotstxt).
const FIELDS: [RegExp, Field][] = [
  [/^user[- _]?agent$/, 'user-agent'],
  [/^allow$/, 'allow'],
  [/^dis+al+ow$/, 'disallow'],
  [/^site-?map$/, 'sitemap'],
  [/^crawl-delay$/, 'crawl-delay'],
];

/** Parses robots.txt tolerantly: lines it does not understand are skipped, never fatal. */
export function parseRobots(text: string): ParsedRobots {
  const groups: RobotsGroup[] = [];
  const sitemaps: string[] = [];
  let group: RobotsGroup | undefined;
  // §2.1: consecutive user-agent lines share one group; any rule line ends that run.
  let readingAgents = false;
  const lines = firstBytes(text, MAX_ROBOTS_BYTES)
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\r|\n/);
  for (const raw of lines) {
    // Google accepts "Disallow /x" without the colon; so do we, for known field names only.
    const m = /^([a-z_-]+(?: agent)?)\s*(?::|\s)\s*(.*)$/i.exec(raw.replace(/#.*/, '').trim());
    const field = m && FIELDS.find(([re]) => re.test(m[1]!.toLowerCase()))?.[1];
    if (!m || !field) continue;
    const value = m[2]!;
    if (field === 'sitemap') {
      // §2.2.4: sitemap records stand outside groups, wherever they appear.
      if (value) sitemaps.push(value);
    } else if (field === 'user-agent') {
      const token = productToken(value);
      if (!token) continue;
      if (!group || !readingAgents) groups.push((group = { agents: [], rules: [] }));
      group.agents.push(token);
      readingAgents = true;
    } else if (group) {
      readingAgents = false;
      if (field === 'crawl-delay') {
        const delay = /^(\d+(\.\d*)?|\.\d+)$/.test(value) ? Number(value) : NaN;
        if (Number.isFinite(delay)) group.crawlDelay ??= delay;
      } else if (value) {
        // §2.2.2: an empty Disallow is no rule at all; an empty Allow could never change a verdict.
        group.rules.push({ allow: field === 'allow', pattern: value });
      }
    }
  }
  return { groups, sitemaps };
}

/** §2.2.1: the product token is letters, '_' and '-'; "Googlebot/2.1" names Googlebot. */
function productToken(value: string): string | undefined {
  if (value.startsWith('*')) return '*';
  return /^[A-Za-z_-]+/.exec(value)?.[0];
}

function firstBytes(text: string, max: number): string {
  if (text.length * 3 <= max) return text; // no UTF-8 character takes more than 3 bytes per UTF-16 unit
  const bytes = new TextEncoder().encode(text);
  if (bytes.length <= max) return text;
  const cut = new TextDecoder().decode(bytes.subarray(0, max));
  // Drop the line cut in half: a truncated "Allow: /public-stuff" would allow more than it says.
  return cut.slice(0, Math.max(0, cut.search(/[\r\n][^\r\n]*$/)));
}

const UTF8 = new TextEncoder();
const UNRESERVED = /^[A-Za-z0-9\-._~]$/;

function percent(byte: number): string {
  return '%' + byte.toString(16).toUpperCase().padStart(2, '0');
}

/**
 * Brings a path or a pattern to one comparable form (§2.2.2): %XX of unreserved characters decoded,
 * other %XX upper-cased, non-ASCII and control characters UTF-8 percent-encoded. In paths '*' and '$'
 * become %2A and %24, so that a pattern's %2A / %24 matches them literally (§2.2.3); in patterns '*'
 * stays the wildcard and only a final '$' stays the anchor.
 */
function normalise(s: string, isPattern: boolean): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    const code = c.charCodeAt(0);
    if (c === '%') {
      const hex = s.slice(i + 1, i + 3);
      if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
        const decoded = String.fromCharCode(parseInt(hex, 16));
        out += UNRESERVED.test(decoded) ? decoded : '%' + hex.toUpperCase();
        i += 2;
      } else out += '%25';
    } else if (c === '*') out += isPattern ? '*' : '%2A';
    else if (c === '$') out += isPattern && i === s.length - 1 ? '$' : '%24';
    else if (code > 0x20 && code < 0x7f) out += c;
    else {
      const cp = s.codePointAt(i)!;
      if (cp > 0xffff) i++;
      for (const byte of UTF8.encode(String.fromCodePoint(cp))) out += percent(byte);
    }
  }
  return out;
}

/**
 * '*' matches any run of characters, a final '$' anchors at the end (§2.2.3). Tracks the set of
 * reachable positions instead of using a RegExp, so hostile patterns like /*a*a*a*a*b cannot backtrack
 * exponentially.
 */
function matches(path: string, pattern: string): boolean {
  const anchored = pattern.endsWith('$');
  const body = anchored ? pattern.slice(0, -1) : pattern;
  let positions = [0];
  for (let k = 0; k < body.length; k++) {
    const c = body[k]!;
    if (c === '*') {
      const from = positions[0]!;
      positions = Array.from({ length: path.length - from + 1 }, (_, j) => from + j);
      while (body[k + 1] === '*') k++;
    } else {
      positions = positions.filter((p) => path[p] === c).map((p) => p + 1);
      if (positions.length === 0) return false;
    }
  }
  return !anchored || positions.includes(path.length);
}

interface CompiledRule {
  rule: RobotsRule;
  normalised: string;
}
interface Selection {
  group: string;
  rules: CompiledRule[];
  crawlDelay?: number;
}

export class Robots {
  readonly reason: string;
  readonly sitemaps: string[];
  readonly #groups: RobotsGroup[];
  readonly #blanket: boolean | null; // true/false = allow/disallow everything; null = use the rules
  readonly #selections = new Map<string, Selection>();

  private constructor(parsed: ParsedRobots, blanket: boolean | null, reason: string) {
    this.#groups = parsed.groups;
    this.sitemaps = parsed.sitemaps;
    this.#blanket = blanket;
    this.reason = reason;
  }

  static fromText(text: string): Robots {
    return new Robots(parseRobots(text), null, 'parsed');
  }

  static allowAll(reason: string): Robots {
    return new Robots({ groups: [], sitemaps: [] }, true, reason);
  }

  static disallowAll(reason: string): Robots {
    return new Robots({ groups: [], sitemaps: [] }, false, reason);
  }

  /**
   * Builds the answer from the final response after redirects; `status` null means unreachable.
   * §2.3.1.3: 4xx means there are no rules, so everything is allowed — except 429, which (like
   * Google) we read as "slow down" and treat as a server error. §2.3.1.4: 5xx or no answer means
   * everything is disallowed. §2.3.1.2: a 3xx left over (too many redirects) counts as unavailable.
   */
  static fromFetch(status: number | null, body: string): Robots {
    if (status === null) return Robots.disallowAll('robots.txt unreachable: everything disallowed');
    if (status >= 200 && status < 300) return Robots.fromText(body);
    const unavailable = status >= 300 && status < 500 && status !== 429;
    if (unavailable) return Robots.allowAll(`robots.txt answered ${status}: everything allowed`);
    return Robots.disallowAll(`robots.txt answered ${status}: everything disallowed`);
  }

  check(pathWithQuery: string, userAgent: string): RobotsVerdict {
    const path = pathWithQuery.startsWith('/') ? pathWithQuery : '/' + pathWithQuery;
    // §2.2.2: "/robots.txt" itself is implicitly allowed.
    if (path.split('?')[0] === '/robots.txt') return { allowed: true, rule: null, group: 'none' };
    if (this.#blanket !== null) return { allowed: this.#blanket, rule: null, group: 'none' };
    const selection = this.#select(userAgent);
    const target = normalise(path, false);
    let best: CompiledRule | null = null;
    for (const candidate of selection.rules) {
      if (!matches(target, candidate.normalised)) continue;
      // §2.2.2: the most specific (longest, in octets) match wins; Allow wins a tie.
      const longer = !best || candidate.normalised.length > best.normalised.length;
      const tieToAllow =
        best && candidate.normalised.length === best.normalised.length && candidate.rule.allow;
      if (longer || tieToAllow) best = candidate;
    }
    return { allowed: best ? best.rule.allow : true, rule: best?.rule ?? null, group: selection.group };
  }

  isAllowed(pathWithQuery: string, userAgent: string): boolean {
    return this.check(pathWithQuery, userAgent).allowed;
  }

  /** Seconds to wait between requests, from the group that applies to this agent, if it says. */
  crawlDelay(userAgent: string): number | undefined {
    return this.#blanket === null ? this.#select(userAgent).crawlDelay : undefined;
  }

  /**
   * §2.2.1: all groups naming the agent (case-insensitively) are merged; only if none does, the '*'
   * groups apply. A specific group replaces '*' entirely rather than adding to it.
   */
  #select(userAgent: string): Selection {
    const token = userAgent.trim().toLowerCase();
    const cached = this.#selections.get(token);
    if (cached) return cached;
    const named = (agent: string) =>
      this.#groups.filter((g) => g.agents.some((a) => a.toLowerCase() === agent));
    const specific = token === '*' ? [] : named(token);
    const chosen = specific.length > 0 ? specific : named('*');
    const label =
      specific[0]?.agents.find((a) => a.toLowerCase() === token) ?? (chosen.length ? '*' : 'none');
    const delays = chosen.flatMap((g) => (g.crawlDelay === undefined ? [] : [g.crawlDelay]));
    const selection: Selection = {
      group: label,
      rules: chosen.flatMap((g) =>
        g.rules.map((rule) => ({ rule, normalised: normalise(rule.pattern, true) })),
      ),
      // Merged groups may disagree; the longest delay is the polite reading.
      ...(delays.length > 0 ? { crawlDelay: Math.max(...delays) } : {}),
    };
    this.#selections.set(token, selection);
    return selection;
  }
}
