// The visible text's word facts for the audit: word count, content hash (sha1 of the lower-cased words)
// and simhash (of word 3-shingles), in one pass over the text with no string per word.
// Past 400 lines on purpose: the fast path and the plain path it must match bit for bit sit side by side.
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
 * Per UTF-16 code unit of the text as served, its lower case as the fast path writes it: 0 for a
 * separator; for a word letter, its UTF-8 bytes (first byte lowest) with their count, 1–3, in the top
 * byte; for a joiner ' - ’, the same with JOINER_BIT set (the scan decides whether it is in a word); or
 * COMPLEX when lower-casing one unit alone may differ from String.prototype.toLowerCase() on the whole
 * text (Σ's final form depends on the next letter; İ becomes two units), in which case the page takes
 * the plain path. Surrogates stay themselves: no astral character lower-cases into a word letter.
 */
const UNIT_UTF8 = new Int32Array(0x10000);
/** Per UTF-16 code unit: the lower case that goes into the word's FNV-1a hash (a joiner is its own). */
const UNIT_LOWER = new Uint16Array(0x10000);
const COMPLEX = -1;
const JOINER_BIT = 0x80000000 | 0;
const FNV_OFFSET = 0x811c9dc5 | 0;

/** `c` (a BMP code point, never a surrogate here) as UTF-8, first byte lowest, with the byte count on top. */
function utf8Entry(c: number): number {
  if (c < 0x80) return (1 << 24) | c;
  if (c < 0x800) return (2 << 24) | ((0x80 | (c & 0x3f)) << 8) | (0xc0 | (c >> 6));
  return (3 << 24) | ((0x80 | (c & 0x3f)) << 16) | ((0x80 | ((c >> 6) & 0x3f)) << 8) | (0xe0 | (c >> 12));
}

for (let c = 0; c < 0x10000; c++) {
  if (c >= 0xd800 && c <= 0xdfff) continue;
  const lower = String.fromCharCode(c).toLowerCase();
  if (lower.length !== 1 || c === 0x3a3) UNIT_UTF8[c] = COMPLEX;
  else {
    const l = lower.charCodeAt(0);
    if (isLetter(l)) {
      UNIT_UTF8[c] = utf8Entry(l);
      UNIT_LOWER[c] = l;
    } else if (isJoiner(l)) {
      // ' - ’ are their own lower case
      UNIT_UTF8[c] = utf8Entry(c) | JOINER_BIT;
      UNIT_LOWER[c] = c;
    }
  }
}

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
 * text.toLowerCase() with the shingle votes of extractHtml(), with no callback, no lower-cased copy and
 * no per-word string. tests/crawl/extract-differential.test.ts checks them against the reference
 * extractor.
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

// The fast path. On the bench site's pages (24,000 characters of visible text, mostly ASCII prose) the
// previous version, one branchy loop over text.charCodeAt(), took 178 µs a page on one machine (155 µs on
// the crawler's) and this one takes 83 µs; Russian prose 183 → 96 µs (medians, same bits; SHA-1 alone is
// 13 and 20 µs of them), and extractHtml() as a whole 276 → 175 µs a page. Where the time went:
// - charCodeAt() looks at the string's representation on every call: the text is copied into a
//   Uint16Array once instead (Buffer#write 'utf16le', 2 µs a page).
// - Typed arrays held in `let` variables cost a map check and three loads per access; module-level
//   consts of fixed size are folded into the code (constant address and length). A longer text is
//   scanned in slices of that size. (Once any ArrayBuffer in the thread has been detached, e.g. by a
//   postMessage transfer list, V8 adds a check per access: 83 → 98 µs. The parse workers transfer none.)
// - The end of a word was a mispredicted branch (~4,000 a page), and so was each vote (a quarter of the
//   shingles, chosen by hash): the loop over the units now has no branch that depends on the text, and
//   the votes are picked and counted afterwards (addShingleVotes), lanes in locals.

/** Units per slice of the text; a page's visible text rarely needs more than one. */
const SLICE = 1 << 16;
/** The slice's UTF-16 units, then the unit after it (0 after the text's end: a separator). */
const units = new Uint16Array(SLICE + 1);
const unitBytes = Buffer.from(units.buffer);
/** Uint16Array reads the 'utf16le' bytes as the same units only on a little-endian machine. */
const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;
/**
 * The lower-cased words joined by single spaces, as UTF-8: a held-back space, at most 3 bytes per unit,
 * and the 4-byte slack of the last write. Written through a DataView, 4 bytes a unit whatever its length.
 */
const joined = Buffer.allocUnsafe(1 + 3 * (SLICE + 1) + 4);
const joinedView = new DataView(joined.buffer, joined.byteOffset, joined.length);
/** FNV-1a hashes of the words that end in the slice; then addShingleVotes()'s voters, in place. */
const wordHashes = new Int32Array((SLICE >> 1) + 4);

// What the scan carries from one slice to the next.
let wordHash = FNV_OFFSET;
/** 1 when the last unit scanned belongs to a word. */
let inWord = 0;
/** Bytes in `joined` not hashed yet. */
let joinedLength = 0;
let totalWords = 0;
/** The hashes of the last two words, for the next 3-shingles. */
let w1 = 0;
let w2 = 0;
let totalVotes = 0;

/** The fast path; null when the text has a COMPLEX unit. */
function wordFactsFast(text: string): WordFacts | null {
  if (!LITTLE_ENDIAN) return null;
  const sha1 = createHash('sha1');
  wordHash = FNV_OFFSET;
  inWord = 0;
  joinedLength = 0;
  totalWords = 0;
  w1 = 0;
  w2 = 0;
  totalVotes = 0;
  lanes.fill(0);
  ones.fill(0);
  const len = text.length;
  for (let start = 0; ; start += SLICE) {
    const end = Math.min(len, start + SLICE);
    const last = end === len;
    // The slice and the unit after it, which says whether a joiner at the slice's end is in a word.
    unitBytes.write(start === 0 && last ? text : text.slice(start, last ? end : end + 1), 0, 'utf16le');
    if (last) units[end - start] = 0;
    // The last slice also scans the 0 after the text, which ends the last word.
    const words = scanSlice(last ? end - start + 1 : end - start);
    if (words < 0) return null;
    totalWords += words;
    addShingleVotes(words);
    // The space after the last word so far is hashed only once another word follows it.
    const held = inWord === 0 && totalWords > 0 ? 1 : 0;
    sha1.update(joined.subarray(0, joinedLength - held));
    if (last) break;
    joined[0] = 0x20;
    joinedLength = held;
  }
  return { wordCount: totalWords, contentHash: sha1.digest('hex'), simhash: votesResult(totalVotes) };
}

/**
 * Scans units[0, stop): appends the lower-cased words to `joined`, stores the hash of each word that ends
 * in wordHashes, and returns how many did, or -1 for a COMPLEX unit. The loop is alone in its function
 * so that nothing after it needs type feedback: V8 compiles the loop while the first page runs (on-stack
 * replacement), and code after the loop that had not run yet then deoptimised at the end of every later
 * call (2,394 deopts on 6,000 pages).
 */
function scanSlice(stop: number): number {
  const u = units;
  const utf8 = UNIT_UTF8;
  const lowerOf = UNIT_LOWER;
  const out = joinedView;
  const hashes = wordHashes;
  // `| 0`: int32 from the start, else V8 keeps them tagged through the loop (h is a heap number in between).
  let n = joinedLength | 0;
  let h = wordHash | 0;
  let prev = inWord | 0;
  let count = 0;
  for (let i = 0; i < stop; i++) {
    const c = u[i]!;
    let e = utf8[c]!;
    if (e < 0) {
      if (e === COMPLEX) return -1;
      // A joiner belongs to the word only between two letters.
      e = prev !== 0 && utf8[u[i + 1]!]! > 0 ? e & ~JOINER_BIT : 0;
    }
    // No branch from here: a word's end is where the text decides, and the CPU cannot guess it.
    const size = e >>> 24; // UTF-8 bytes; 0 for a separator
    const letter = (size + 3) >>> 2; // 1 in a word, else 0
    const mask = (0 - letter) | 0;
    const ends = prev & (letter ^ 1); // 1 on the separator right after a word
    // The letter's bytes, or a space, which stays (n moves past it) only right after a word.
    out.setUint32(n, e | (0x20 & ~mask), true);
    n = (n + size + ends) | 0;
    hashes[count] = h;
    count = (count + ends) | 0;
    h = (Math.imul(h ^ lowerOf[c]!, 0x01000193) & mask) | (FNV_OFFSET & ~mask);
    prev = letter;
  }
  joinedLength = n;
  wordHash = h;
  inWord = prev;
  return count;
}

/** The simhash votes of the 3-shingles that end at the slice's words (wordHashes[0, words)), into `ones`. */
function addShingleVotes(words: number): void {
  const hashes = wordHashes;
  let a = w1 | 0;
  let b = w2 | 0;
  let seen = (totalWords - words) | 0;
  let v = 0;
  for (let k = 0; k < words; k++) {
    const c = hashes[k]!;
    if (++seen >= 3) {
      // Only a quarter of the word 3-shingles vote, chosen by their own hash so the same text always
      // picks the same ones: four times cheaper, and still stable for near-duplicate detection. Kept in
      // place (v <= k), counted without a branch: which shingles vote is as good as random.
      const x = fmix32(Math.imul(a, 0x9e3779b1) ^ rotl(b, 13) ^ rotl(c, 27));
      hashes[v] = x;
      v += (((x & 3) + 3) >>> 2) ^ 1;
    }
    a = b;
    b = c;
  }
  w1 = a;
  w2 = b;
  totalVotes += v;
  // As SimhashVotes.add(x, fmix32(x ^ 0x85ebca6b)) for each voter x, 255 votes at a time.
  for (let from = 0; from < v; from += 255) {
    const to = Math.min(v, from + 255);
    addLanes(from, to, 0);
    for (let k = from; k < to; k++) hashes[k] = fmix32(hashes[k]! ^ 0x85ebca6b);
    addLanes(from, to, 8);
    drainLanes();
  }
}

/**
 * Adds the bits of wordHashes[from, to) (at most 255 values) into lanes[base, base + 8), the lanes in
 * locals meanwhile: eight of them stay in registers, where sixteen typed-array updates a vote did not.
 */
function addLanes(from: number, to: number, base: number): void {
  const hashes = wordHashes;
  let l0 = 0;
  let l1 = 0;
  let l2 = 0;
  let l3 = 0;
  let l4 = 0;
  let l5 = 0;
  let l6 = 0;
  let l7 = 0;
  for (let k = from; k < to; k++) {
    const x = hashes[k]!;
    l0 = (l0 + (x & 0x01010101)) | 0;
    l1 = (l1 + ((x >>> 1) & 0x01010101)) | 0;
    l2 = (l2 + ((x >>> 2) & 0x01010101)) | 0;
    l3 = (l3 + ((x >>> 3) & 0x01010101)) | 0;
    l4 = (l4 + ((x >>> 4) & 0x01010101)) | 0;
    l5 = (l5 + ((x >>> 5) & 0x01010101)) | 0;
    l6 = (l6 + ((x >>> 6) & 0x01010101)) | 0;
    l7 = (l7 + ((x >>> 7) & 0x01010101)) | 0;
  }
  lanes[base] = l0;
  lanes[base + 1] = l1;
  lanes[base + 2] = l2;
  lanes[base + 3] = l3;
  lanes[base + 4] = l4;
  lanes[base + 5] = l5;
  lanes[base + 6] = l6;
  lanes[base + 7] = l7;
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
