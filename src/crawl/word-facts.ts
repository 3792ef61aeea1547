// The visible text's word facts for the audit: word count, content hash (sha1 of the lower-cased words)
// and simhash (of word 3-shingles), in one pass over the text with no string per word.
import { createHash } from 'node:crypto';

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
export function scanWords(text: string, onWord: (hash: number) => void): { count: number; joined: Buffer } {
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

// rotl and fmix32 return signed 32-bit integers (same bits as unsigned): values stay small integers in
// V8's optimised code instead of becoming heap numbers on every word.
function rotl(x: number, r: number): number {
  return (x << r) | (x >>> (32 - r));
}

/** MurmurHash3's finaliser: spreads every input bit over the output. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
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

export interface WordFacts {
  wordCount: number;
  contentHash: string;
  simhash: string;
}

/**
 * Per UTF-16 code unit of the text as served: its lower case if that is a word letter (> 0), 0 for a
 * separator, JOINER for ' - ’, or COMPLEX when lower-casing one unit alone may differ from
 * String.prototype.toLowerCase() on the whole text (Σ's final form depends on the next letter; İ
 * becomes two units), in which case the page takes the plain path. Surrogates stay themselves: no
 * astral character lower-cases into a word letter.
 */
const JOINER = -2;
const COMPLEX = -1;
const WORD_CLASS = (() => {
  const table = new Int32Array(0x10000);
  for (let c = 0; c < 0x10000; c++) {
    if (c >= 0xd800 && c <= 0xdfff) continue;
    const lower = String.fromCharCode(c).toLowerCase();
    if (lower.length !== 1 || c === 0x3a3) table[c] = COMPLEX;
    else {
      const l = lower.charCodeAt(0);
      table[c] = isLetter(l) ? l : isJoiner(l) ? JOINER : 0;
    }
  }
  return table;
})();

const lanes = new Uint32Array(16);
const ones = new Uint32Array(64);

/** Adds the 16 byte-lane counts into the per-bit counts (see SimhashVotes). */
function drainLanes(): void {
  for (let j = 0; j < 16; j++) {
    const word = lanes[j]!;
    const base = j < 8 ? j : 32 + j - 8;
    for (let lane = 0; lane < 4; lane++) ones[base + 8 * lane]! += (word >>> (8 * lane)) & 0xff;
  }
  lanes.fill(0);
}

/**
 * wordCount, contentHash and simhash of `text`'s words: the same bits as scanWords() over
 * text.toLowerCase() with the shingle votes of extractHtml(), in one loop with no callback, no
 * lower-cased copy and no per-word string. tests/crawl/extract-differential.test.ts checks them against
 * the reference extractor.
 */
export function wordFacts(text: string): WordFacts {
  const fast = wordFactsFast(text);
  return fast ?? wordFactsPlain(text.toLowerCase());
}

function hex8(x: number): string {
  return (x >>> 0).toString(16).padStart(8, '0');
}

function votesResult(votes: number): string {
  drainLanes();
  let hi = 0;
  let lo = 0;
  for (let b = 0; b < 32; b++) {
    if (2 * ones[b]! > votes) hi |= 1 << b;
    if (2 * ones[b + 32]! > votes) lo |= 1 << b;
  }
  return hex8(hi) + hex8(lo);
}

/** The one-pass version; null when the text has a COMPLEX unit. */
function wordFactsFast(text: string): WordFacts | null {
  const count = scanWordsFast(text);
  if (count < 0) return null;
  return {
    wordCount: count,
    contentHash: createHash('sha1').update(scratch.subarray(0, scannedBytes)).digest('hex'),
    simhash: votesResult(scannedVotes),
  };
}

/** Bytes of joined words in `scratch` and simhash votes of the last scanWordsFast() call. */
let scannedBytes = 0;
let scannedVotes = 0;

/**
 * The loop alone, returning the word count (or -1 for a COMPLEX unit) and leaving the rest in
 * module variables. V8 compiles the hot loop while the first page runs (on-stack replacement); code after
 * the loop that had not run yet then deoptimised at the end of every later call (2,394 deopts on 6,000
 * pages) — here nothing after the loop needs type feedback. The loop itself ran optimised either way.
 */
function scanWordsFast(text: string): number {
  const len = text.length;
  if (scratch.length < len * 3 + 1) scratch = Buffer.allocUnsafe(len * 3 + 1);
  const buf = scratch;
  lanes.fill(0);
  ones.fill(0);
  let pending = 0;
  let votes = 0;
  let n = 0;
  let count = 0;
  let w1 = 0;
  let w2 = 0;
  let i = 0;
  while (i < len) {
    let c = WORD_CLASS[text.charCodeAt(i)]!;
    if (c <= 0) {
      if (c === COMPLEX) return -1;
      i++;
      continue;
    }
    if (count > 0) buf[n++] = 0x20;
    let h = 0x811c9dc5 | 0;
    for (;;) {
      // c is a letter, lower-cased: FNV-1a step and its UTF-8 bytes.
      do {
        h = Math.imul(h ^ c, 0x01000193);
        if (c < 0x80) buf[n++] = c;
        else if (c < 0x800) {
          buf[n++] = 0xc0 | (c >> 6);
          buf[n++] = 0x80 | (c & 0x3f);
        } else {
          buf[n++] = 0xe0 | (c >> 12);
          buf[n++] = 0x80 | ((c >> 6) & 0x3f);
          buf[n++] = 0x80 | (c & 0x3f);
        }
        if (++i >= len) break;
        c = WORD_CLASS[text.charCodeAt(i)]!;
      } while (c > 0);
      if (i >= len) break;
      if (c === COMPLEX) return -1;
      // A joiner belongs to the word only with a letter after it.
      if (c === JOINER && i + 1 < len) {
        const next = WORD_CLASS[text.charCodeAt(i + 1)]!;
        if (next === COMPLEX) return -1;
        if (next > 0) {
          const j = text.charCodeAt(i); // ' - ’ are their own lower case
          h = Math.imul(h ^ j, 0x01000193);
          if (j < 0x80) buf[n++] = j;
          else {
            buf[n++] = 0xe0 | (j >> 12);
            buf[n++] = 0x80 | ((j >> 6) & 0x3f);
            buf[n++] = 0x80 | (j & 0x3f);
          }
          i++;
          c = next;
          continue;
        }
      }
      i++;
      break;
    }
    const w3 = h;
    if (++count >= 3) {
      // Only a quarter of the word 3-shingles vote, chosen by their own hash so the same text always
      // picks the same ones: four times cheaper, and still stable for near-duplicate detection.
      const x = fmix32(Math.imul(w1, 0x9e3779b1) ^ rotl(w2, 13) ^ rotl(w3, 27));
      if ((x & 3) === 0) {
        const y = fmix32(x ^ 0x85ebca6b);
        for (let j = 0; j < 8; j++) {
          lanes[j]! += (x >>> j) & 0x01010101;
          lanes[j + 8]! += (y >>> j) & 0x01010101;
        }
        votes++;
        if (++pending === 255) {
          drainLanes();
          pending = 0;
        }
      }
    }
    w1 = w2;
    w2 = w3;
  }
  scannedBytes = n;
  scannedVotes = votes;
  return count;
}

/** The plain path over already lower-cased text: scanWords() and SimhashVotes, as before. */
function wordFactsPlain(lower: string): WordFacts {
  let w1 = 0;
  let w2 = 0;
  let i = 0;
  const votes = new SimhashVotes();
  const words = scanWords(lower, (w3) => {
    if (i >= 2) {
      const x = fmix32(Math.imul(w1, 0x9e3779b1) ^ rotl(w2, 13) ^ rotl(w3, 27));
      if ((x & 3) === 0) votes.add(x, fmix32(x ^ 0x85ebca6b));
    }
    w1 = w2;
    w2 = w3;
    i++;
  });
  const [hi, lo] = votes.result();
  return {
    wordCount: words.count,
    contentHash: createHash('sha1').update(words.joined).digest('hex'),
    simhash: hex8(hi) + hex8(lo),
  };
}
