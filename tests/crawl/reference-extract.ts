// The reference extractor: src/crawl/extract.ts as it was before its purpose-built scanner, on
// htmlparser2's SAX parser with its own word scan and hashes. tests/crawl/extract-differential.test.ts holds
// the shipped extractor to it: the same HtmlFacts, bit for bit, on every page shape we know.
import { createHash } from 'node:crypto';
import { Parser } from 'htmlparser2';
import { parseRefresh } from '../../src/fetch/http-fetcher.ts';
import type { ExtractOptions, HtmlFacts, LinkFact } from '../../src/crawl/extract.ts';

/**
 * Where to cut a document so that it holds at most `maxTags` start tags, or -1 when it has fewer.
 * htmlparser2's Parser slows down quadratically on many unclosed nested elements (80,000 take 1.5 s,
 * a hostile 5 MB page minutes), so a page past the limit is read up to the limit and says so.
 */
function tagLimitCut(html: string, maxTags: number): number {
  const re = /<[a-zA-Z]/g;
  let n = 0;
  while (re.exec(html) !== null) if (++n > maxTags) return re.lastIndex - 2;
  return -1;
}

const SKIP_TEXT = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'svg',
  'math',
  'head',
  'title',
  'textarea',
  'select',
]);
const MAX_KEPT_TEXT = 1000;
// A word: letters or digits, with inner apostrophes or hyphens — the regular expression
// [L]+(?:['’-][L]+)* where L lists letters by script (Latin, Greek, Cyrillic, Armenian, Hebrew, Arabic,
// Georgian) rather than \p{L}, so Cyrillic words count like Latin ones. Words are scanned by hand
// (scanWords) rather than matched: no string per word, hashes computed as the scan goes — a third of a
// page's parsing time. tests/crawl/extract.test.ts holds the expression as the reference.
const LETTER_RANGES: readonly [number, number][] = [
  [0x30, 0x39],
  [0x41, 0x5a],
  [0x61, 0x7a],
  [0xc0, 0xd6],
  [0xd8, 0xf6],
  [0xf8, 0x24f],
  [0x370, 0x3ff],
  [0x400, 0x52f],
  [0x531, 0x587],
  [0x5d0, 0x5ea],
  [0x620, 0x64a],
  [0x660, 0x669],
  [0x10a0, 0x10ff],
];
const IS_LETTER = new Uint8Array(0x1100);
for (const [from, to] of LETTER_RANGES) IS_LETTER.fill(1, from, to + 1);
const isLetter = (c: number) => c < 0x1100 && IS_LETTER[c] === 1;
const isJoiner = (c: number) => c === 0x27 || c === 0x2d || c === 0x2019; // ' - ’

/** The words joined by single spaces, as UTF-8; reused from page to page (one parse at a time per thread). */
let scratch = Buffer.allocUnsafe(64 * 1024);

/** Appends `c` (a BMP code point, never a surrogate here) as UTF-8 at `n`; returns the new length. */
function putUtf8(buf: Buffer, n: number, c: number): number {
  if (c < 0x80) buf[n++] = c;
  else if (c < 0x800) {
    buf[n++] = 0xc0 | (c >> 6);
    buf[n++] = 0x80 | (c & 0x3f);
  } else {
    buf[n++] = 0xe0 | (c >> 12);
    buf[n++] = 0x80 | ((c >> 6) & 0x3f);
    buf[n++] = 0x80 | (c & 0x3f);
  }
  return n;
}

/**
 * Walks the words of `text` in order: calls `onWord` with each word's FNV-1a hash, and returns how many
 * there were and the UTF-8 bytes of the words joined by single spaces (valid until the next call).
 */
function scanWords(text: string, onWord: (hash: number) => void): { count: number; joined: Buffer } {
  if (scratch.length < text.length * 3 + 1) scratch = Buffer.allocUnsafe(text.length * 3 + 1);
  const buf = scratch;
  const len = text.length;
  let n = 0;
  let count = 0;
  let i = 0;
  while (i < len) {
    let c = text.charCodeAt(i);
    if (!isLetter(c)) {
      i++;
      continue;
    }
    if (count > 0) buf[n++] = 0x20;
    let h = 0x811c9dc5;
    for (;;) {
      while (i < len && isLetter((c = text.charCodeAt(i)))) {
        h = Math.imul(h ^ c, 0x01000193) >>> 0;
        n = putUtf8(buf, n, c);
        i++;
      }
      // A joiner belongs to the word only with a letter after it.
      if (i + 1 < len && isJoiner(c) && isLetter(text.charCodeAt(i + 1))) {
        h = Math.imul(h ^ c, 0x01000193) >>> 0;
        n = putUtf8(buf, n, c);
        i++;
        continue;
      }
      break;
    }
    count++;
    onWord(h >>> 0);
  }
  return { count, joined: buf.subarray(0, n) };
}

function rotl(x: number, r: number): number {
  return ((x << r) | (x >>> (32 - r))) >>> 0;
}

/** MurmurHash3's finaliser: spreads every input bit over the output. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * The simhash's 64 bit votes. A bit is set when more votes had it than not, so counting the ones per bit
 * is enough. They are counted eight bits to a 32-bit word, one byte lane per bit (SWAR): `(x >>> j) &
 * 0x01010101` adds bits j, j+8, j+16 and j+24 in one addition, 16 additions a vote instead of 64 — a
 * lane holds 255, so the lanes are emptied into `ones` every 255 votes. Same bits as a counter per bit.
 */
class SimhashVotes {
  readonly #lanes = new Uint32Array(16);
  readonly #ones = new Uint32Array(64);
  #pending = 0;
  #votes = 0;

  add(hi: number, lo: number): void {
    const l = this.#lanes;
    for (let j = 0; j < 8; j++) {
      l[j]! += (hi >>> j) & 0x01010101;
      l[j + 8]! += (lo >>> j) & 0x01010101;
    }
    this.#votes++;
    if (++this.#pending === 255) this.#drain();
  }

  #drain(): void {
    const l = this.#lanes;
    for (let j = 0; j < 16; j++) {
      const word = l[j]!;
      const base = j < 8 ? j : 32 + j - 8;
      for (let lane = 0; lane < 4; lane++) this.#ones[base + 8 * lane]! += (word >>> (8 * lane)) & 0xff;
    }
    l.fill(0);
    this.#pending = 0;
  }

  /** The two 32-bit halves: bit b set when more than half the votes had it. */
  result(): [number, number] {
    this.#drain();
    let hi = 0;
    let lo = 0;
    for (let b = 0; b < 32; b++) {
      if (2 * this.#ones[b]! > this.#votes) hi |= 1 << b;
      if (2 * this.#ones[b + 32]! > this.#votes) lo |= 1 << b;
    }
    return [hi, lo];
  }
}

function clip(s: string): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > MAX_KEPT_TEXT ? t.slice(0, MAX_KEPT_TEXT) : t;
}

export function referenceExtractHtml(html: string, opts: ExtractOptions = {}): HtmlFacts {
  const maxLinks = opts.maxLinks ?? 5000;
  const facts: HtmlFacts = {
    title: null,
    titleCount: 0,
    metaDescription: null,
    metaDescriptionCount: 0,
    metaRobots: {},
    metaRefresh: null,
    canonicals: [],
    hreflang: [],
    baseHref: null,
    lang: null,
    viewport: null,
    h1: [],
    links: [],
    linksDropped: 0,
    tagsCut: false,
    wordCount: 0,
    contentHash: '',
    simhash: '',
  };
  let skipDepth = 0;
  let titleText: string | null = null;
  let h1Text: string | null = null;
  let anchor: LinkFact | null = null;
  let anchorText = '';
  // Visible text is collected and tokenised once at the end: one native lower-casing and one regex
  // pass over the page beat doing both per text event.
  const chunks: string[] = [];

  const addLink = (l: LinkFact) => {
    if (!l.href) return;
    if (facts.links.length >= maxLinks) facts.linksDropped++;
    else facts.links.push(l);
  };
  const parser = new Parser(
    {
      onopentag(name, a) {
        switch (name) {
          case 'html':
            if (a.lang !== undefined && facts.lang === null) facts.lang = a.lang.trim();
            break;
          case 'title':
            facts.titleCount++;
            if (facts.titleCount === 1) titleText = '';
            break;
          case 'meta': {
            const metaName = (a.name ?? '').toLowerCase();
            const equiv = (a['http-equiv'] ?? '').toLowerCase();
            if (metaName === 'description') {
              facts.metaDescriptionCount++;
              if (facts.metaDescription === null) facts.metaDescription = clip(a.content ?? '');
            } else if (['robots', 'googlebot', 'yandex', 'bingbot'].includes(metaName)) {
              const prev = facts.metaRobots[metaName];
              facts.metaRobots[metaName] = prev ? `${prev}, ${a.content ?? ''}` : (a.content ?? '');
            } else if (metaName === 'viewport') facts.viewport = a.content ?? '';
            else if (equiv === 'refresh' && facts.metaRefresh === null)
              facts.metaRefresh = parseRefresh(a.content ?? '');
            break;
          }
          case 'link': {
            const rel = (a.rel ?? '').toLowerCase().split(/\s+/);
            const href = a.href ?? '';
            if (rel.includes('canonical')) facts.canonicals.push(href.trim());
            else if (rel.includes('alternate') && a.hreflang !== undefined)
              facts.hreflang.push({ lang: a.hreflang.trim().toLowerCase(), href: href.trim() });
            else if (rel.includes('stylesheet')) addLink({ href, kind: 'css', text: '', rel: '' });
            else if (rel.includes('icon')) addLink({ href, kind: 'other', text: '', rel: '' });
            break;
          }
          case 'base':
            if (facts.baseHref === null && a.href) facts.baseHref = a.href.trim();
            break;
          case 'h1':
            h1Text = '';
            break;
          case 'a':
          case 'area':
            if (a.href !== undefined) {
              anchor = { href: a.href, kind: 'a', text: '', rel: (a.rel ?? '').toLowerCase() };
              anchorText = '';
              if (name === 'area') {
                anchor.text = a.alt ?? '';
                addLink(anchor);
                anchor = null;
              }
            }
            break;
          case 'img':
            if (a.src)
              addLink({ href: a.src, kind: 'img', text: a.alt ?? '', rel: '', hasAlt: a.alt !== undefined });
            if (anchor && a.alt) anchorText += ` ${a.alt}`;
            break;
          case 'script':
            if (a.src) addLink({ href: a.src, kind: 'js', text: '', rel: '' });
            break;
          case 'iframe':
            if (a.src) addLink({ href: a.src, kind: 'iframe', text: '', rel: '' });
            break;
          case 'video':
          case 'audio':
          case 'source':
          case 'embed':
            if (a.src) addLink({ href: a.src, kind: 'media', text: '', rel: '' });
            break;
        }
        if (SKIP_TEXT.has(name)) skipDepth++;
      },
      ontext(data) {
        if (titleText !== null) titleText += data;
        if (h1Text !== null) h1Text += data;
        if (anchor) anchorText += data;
        if (skipDepth === 0) chunks.push(data);
      },
      onclosetag(name) {
        if (SKIP_TEXT.has(name) && skipDepth > 0) skipDepth--;
        if (name === 'title' && titleText !== null) {
          facts.title = clip(titleText);
          titleText = null;
        } else if (name === 'h1' && h1Text !== null) {
          facts.h1.push(clip(h1Text));
          h1Text = null;
        } else if (name === 'a' && anchor) {
          anchor.text = clip(anchorText);
          addLink(anchor);
          anchor = null;
        }
        // A word never continues across an element boundary like </p> or <br>.
        if (skipDepth === 0) chunks.push(' ');
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  const cut = tagLimitCut(html, opts.maxTags ?? 30_000);
  if (cut >= 0) facts.tagsCut = true;
  parser.write(cut >= 0 ? html.slice(0, cut) : html);
  parser.end();
  let w1 = 0;
  let w2 = 0;
  let i = 0;
  const votes = new SimhashVotes();
  const words = scanWords(chunks.join('').toLowerCase(), (w3) => {
    if (i >= 2) {
      const x = fmix32(Math.imul(w1, 0x9e3779b1) ^ rotl(w2, 13) ^ rotl(w3, 27));
      // Only a quarter of the word 3-shingles vote, chosen by their own hash so the same text always
      // picks the same ones: four times cheaper, and still stable for near-duplicate detection.
      if ((x & 3) === 0) votes.add(x, fmix32(x ^ 0x85ebca6b));
    }
    w1 = w2;
    w2 = w3;
    i++;
  });
  facts.wordCount = words.count;
  facts.contentHash = createHash('sha1').update(words.joined).digest('hex');
  const [hi, lo] = votes.result();
  facts.simhash = (hi >>> 0).toString(16).padStart(8, '0') + (lo >>> 0).toString(16).padStart(8, '0');
  return facts;
}
