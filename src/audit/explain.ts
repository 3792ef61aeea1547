// The crawl's notes about a URL, said in the reader's language. Rules and the crawler store an issue's
// details, a skip reason and how robots.txt was read as English text (the CLI, its JSON, alerts and
// old crawls keep reading them so); these pure functions recognise each shape they are written in and
// say it again with the catalogue's messages. A note of no known shape (a network error, a robots
// directive, a list of languages) is shown as it is.
import type { Messages } from '../i18n/index.ts';
import { MAX_REDIRECT_HOPS } from './redirect-chains.ts';
import { RULES } from './rules/index.ts';
import type { RuleId } from '../i18n/messages/audit-rules.ts';

type Audit = Messages['audit'];
type Shape = [RegExp, (m: RegExpExecArray, t: Audit) => string];

const num = (s: string | undefined) => Number(s);

/** What a URL answered: "answered 404", a bare status, "no answer", a timeout, or a network error left as it is. */
function answer(what: string, t: Audit): string {
  const status = /^(?:answered )?(\d{3})$/.exec(what);
  if (status) return t.details.answered(num(status[1]));
  if (what === 'no answer') return t.details.noAnswer;
  const timeout = /^no complete answer within (\d+) ms$/.exec(what);
  if (timeout) return t.details.noAnswerWithin(num(timeout[1]));
  return what;
}

/** Written by src/audit/rules/sql.ts LINKED_FROM. */
const LINKS = /^(?:linked from (\d+) page\(s\), e\.g\. (.+)|(not linked from any crawled page))$/s;

function links(m: RegExpExecArray, t: Audit): string {
  return m[3] ? t.details.notLinked : t.details.linkedFrom(num(m[1]), m[2]!);
}

/** Every shape src/audit/rules/*.ts and src/crawl/ write into crawl_issues.details. */
const DETAILS: Shape[] = [
  // response.ts: "answered 404; linked from 2 page(s), e.g. …"
  [
    /^(.+?); (linked from \d+ page\(s\), e\.g\. .+|not linked from any crawled page)$/s,
    (m, t) => t.details.answeredAndLinks(answer(m[1]!, t), links(LINKS.exec(m[2]!)!, t)),
  ],
  [LINKS, links],
  [/^answered (\d{3})$/, (m, t) => t.details.answered(num(m[1]))],
  [/^no complete answer within (\d+) ms$/, (m, t) => t.details.noAnswerWithin(num(m[1]))],
  // canonical.ts
  [/^(\S+) answered (\d{3})$/, (m, t) => t.details.urlAnswered(m[1]!, num(m[2]))],
  [/^(\S+) answered (.+)$/s, (m, t) => t.details.urlFailed(m[1]!, m[2]!)],
  [/^(\S+) redirects to (\S+)$/, (m, t) => t.details.urlRedirects(m[1]!, m[2]!)],
  [/^(\S+) is noindex$/, (m, t) => t.details.urlNoindex(m[1]!)],
  // indexability.ts, structure.ts
  [/^redirects to (\S+)$/, (m, t) => t.details.redirectsTo(m[1]!)],
  [/^listed in the sitemap$/, (_m, t) => t.details.listedInSitemap],
  [/^in the sitemap, no inlinks$/, (_m, t) => t.details.inSitemapNoInlinks],
  [/^(\d+) clicks from the start page$/, (m, t) => t.details.clicksFromStart(num(m[1]))],
  // content.ts
  [/^(\d+) words$/, (m, t) => t.details.words(num(m[1]))],
  [/^same text as (\d+) other page\(s\), e\.g\. (\S+)$/, (m, t) => t.details.sameText(num(m[1]), m[2]!)],
  [/^(\d+) of 64 bits from (\S+)$/, (m, t) => t.details.nearBits(num(m[1]), m[2]!)],
  // hreflang.ts: "<lang> → <url> …"
  [/^(.*) → (\S+) does not link back$/s, (m, t) => t.details.noReturn(m[1]!, m[2]!)],
  [/^(.*) → (\S+) answered (\d{3})$/s, (m, t) => t.details.alternateAnswered(m[1]!, m[2]!, num(m[3]))],
  [/^(.*) → (\S+) answered blocked$/s, (m, t) => t.details.alternateBlocked(m[1]!, m[2]!)],
  [/^(.*) → (\S+) answered (.+)$/s, (m, t) => t.details.alternateFailed(m[1]!, m[2]!, answer(m[3]!, t))],
  // redirects.ts
  [/^loops back through (\S+)$/, (m, t) => t.details.loopsThrough(m[1]!)],
  [
    /^chain longer than (\d+) hops; stopped following at (\S+)$/,
    (m, t) => t.details.chainTooLong(num(m[1]), m[2]!),
  ],
  [/^(\d+) hops to (\S+)$/, (m, t) => t.details.hopsTo(num(m[1]), m[2]!)],
  [/^refreshes to (.+)$/s, (m, t) => t.details.refreshesTo(m[1]!)],
  [
    /^(\d+) link\(s\) to redirecting URLs, e\.g\. (\S+) → (\S+)$/,
    (m, t) => t.details.linksToRedirects(num(m[1]), m[2]!, m[3]!),
  ],
  // resources.ts
  [/^(\d+) image\(s\), e\.g\. (.*)$/s, (m, t) => t.details.imagesWithoutAlt(num(m[1]), m[2]!)],
  [/^(\d+) resource\(s\), e\.g\. (.*)$/s, (m, t) => t.details.httpResources(num(m[1]), m[2]!)],
  [/^(\d+) link\(s\), e\.g\. (.*)$/s, (m, t) => t.details.httpLinks(num(m[1]), m[2]!)],
  [/^(\d+) KB$/, (m, t) => t.details.kilobytes(num(m[1]))],
  // response.ts page checks
  [/^title\/H1: "(.*)"$/s, (m, t) => t.details.heading(m[1]!)],
  [/^(\d+) ms to first byte$/, (m, t) => t.details.ttfb(num(m[1]))],
  [/^(\d+(?:\.\d+)?) MB of HTML$/, (m, t) => t.details.htmlMegabytes(num(m[1]))],
  // src/crawl/crawler.ts and decode.ts (body-truncated, charset-problem)
  [/^more than 30,000 tags: only the part before them was read$/, (_m, t) => t.details.tagsCut],
  [
    /^body cut at (\d+) bytes \((max-bytes|max-decoded-bytes)\)$/,
    (m, t) => t.details.bodyCut(num(m[1]), t.truncated[m[2] as 'max-bytes' | 'max-decoded-bytes']),
  ],
  [/^unknown charset "(.*)" in Content-Type$/s, (m, t) => t.details.unknownCharsetHeader(m[1]!)],
  [/^unknown charset "(.*)" in <meta>$/s, (m, t) => t.details.unknownCharsetMeta(m[1]!)],
  [/^bytes are not valid utf-8 \(no charset was declared\)$/, (_m, t) => t.details.notUtf8Undeclared],
  [/^bytes are not valid utf-8 as declared$/, (_m, t) => t.details.notUtf8Declared],
  [/^body looks binary \(NUL bytes\) although served as HTML$/, (_m, t) => t.details.binary],
  [/^rendering failed: (.*)$/s, (m, t) => t.details.renderingFailed(m[1]!)],
  // titles.ts, structure.ts
  [/^(\d+) characters: "(.*)"$/s, (m, t) => t.details.charactersOf(num(m[1]), m[2]!)],
  [/^(\d+) characters$/, (m, t) => t.details.characters(num(m[1]))],
  [/^(\d+) <title> elements$/, (m, t) => t.details.titleElements(num(m[1]))],
  [/^(\d+) descriptions$/, (m, t) => t.details.descriptions(num(m[1]))],
  [/^(\d+) H1s$/, (m, t) => t.details.h1s(num(m[1]))],
  [/^shared by (\d+) pages: "(.*)"$/s, (m, t) => t.details.sharedBy(num(m[1]), m[2]!)],
];

function first(shapes: Shape[], text: string, t: Audit): string | null {
  for (const [re, say] of shapes) {
    const m = re.exec(text);
    if (m) return say(m, t);
  }
  return null;
}

/** An issue's details in the reader's language; '' for none, the text itself when of no known shape. */
export function issueDetails(details: string | null, t: Audit): string {
  if (!details) return '';
  return first(DETAILS, details, t) ?? details;
}

/** Whether the details are of a shape issueDetails() knows (tests use it to find new, unknown shapes). */
export function knownDetails(details: string): boolean {
  return DETAILS.some(([re]) => re.test(details));
}

const SKIPS: Shape[] = [
  [/^external links are not checked \(crawl\.checkExternal\)$/, (_m, t) => t.skip.externalNotChecked],
  [/^blocked by robots\.txt$/, (_m, t) => t.skip.blockedByRobots],
  [/^resources are not checked$/, (_m, t) => t.skip.resourcesNotChecked],
  [/^not matched by crawl\.include$/, (_m, t) => t.skip.notIncluded],
  [/^matched by crawl\.exclude$/, (_m, t) => t.skip.excluded],
  [/^deeper than crawl\.maxDepth \((\d+)\)$/, (m, t) => t.skip.tooDeep(num(m[1]))],
  [
    /^trap guard: path segment "(.*)" repeats (\d+) times$/s,
    (m, t) => t.skip.repeatedSegment(m[1]!, num(m[2])),
  ],
  [
    /^trap guard: more than (\d+) query-string variants of (.*)$/s,
    (m, t) => t.skip.queryVariants(num(m[1]), m[2]!),
  ],
  [/^redirect chain longer than (\d+) hops$/, (m, t) => t.skip.redirectTooLong(num(m[1]))],
  [/^over crawl\.maxPages \((\d+)\)$/, (m, t) => t.skip.overMaxPages(num(m[1]))],
  [/^the crawl was stopped before reaching it$/, (_m, t) => t.skip.stopped],
];

/** Why a URL was skipped (src/crawl/crawler.ts, scope.ts, store.ts), in the reader's language. */
export function skipReason(reason: string | null, t: Audit): string {
  if (!reason) return '';
  return first(SKIPS, reason, t) ?? reason;
}

const ROBOTS: Shape[] = [
  [/^parsed$/, (_m, t) => t.robots.parsed],
  [/^robots\.txt unreachable: everything disallowed$/, (_m, t) => t.robots.unreachable],
  [/^robots\.txt answered (\d+): everything allowed$/, (m, t) => t.robots.allowAll(num(m[1]))],
  [/^robots\.txt answered (\d+): everything disallowed$/, (m, t) => t.robots.disallowAll(num(m[1]))],
];

/** How robots.txt was read (src/crawl/robots.ts Robots.reason), in the reader's language. */
export function robotsReason(reason: string | null, t: Audit): string {
  if (!reason) return '—';
  return first(ROBOTS, reason, t) ?? reason;
}

/** A redirect_hops value: -1 is a loop, more than the cap a chain never followed to its end. */
export function redirectHops(hops: number, t: Audit): string {
  if (hops < 0) return t.page.loop;
  if (hops > MAX_REDIRECT_HOPS) return t.page.moreThan(MAX_REDIRECT_HOPS);
  return String(hops);
}

/** A rule's words; a rule id the catalogue does not know (an old crawl's) gets its id for a name. */
export function ruleText(id: string, t: Audit): { name: string; meaning: string; fix: string } {
  const known = RULES.has(id) && Object.hasOwn(t.rules, id);
  return known ? t.rules[id as RuleId] : { name: id, meaning: '', fix: '' };
}

/** A rule's family name in the reader's language ('' for an unknown rule). */
export function ruleFamily(id: string, t: Audit): string {
  const family = RULES.get(id)?.family;
  return family ? t.families[family] : '';
}
