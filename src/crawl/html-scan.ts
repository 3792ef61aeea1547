// A purpose-built HTML scanner for the crawl's extractor: the events htmlparser2's Parser would give
// (text, open tag with attributes, close tag — implied closes included), found with indexOf and
// charCodeAt instead of a state machine stepped per character. It reads only the attributes it is asked
// for and decodes entities only where an `&` occurs. Every rule below copies htmlparser2 10's Tokenizer
// and Parser (html mode, decodeEntities, lower-cased names), quirks included, so the extractor's facts
// stay identical: tests/crawl/extract-differential.test.ts holds it to the htmlparser2 reference.
// Over 400 lines on purpose: one scanner whose rules follow htmlparser2's in order; split, they would
// no longer read side by side with the original.
import { createRequire } from 'node:module';

// The entities copy htmlparser2 itself decodes with (it may differ from a hoisted older one), so text and
// attributes decode exactly as they did under htmlparser2.
const requireHere = createRequire(import.meta.url);
const entities = createRequire(requireHere.resolve('htmlparser2'))('entities/decode') as {
  decodeHTML(text: string): string;
  decodeHTMLAttribute(text: string): string;
};

/** The attributes the extractor reads; the first of duplicates wins, as in htmlparser2. */
export interface TagAttrs {
  lang: string | undefined;
  name: string | undefined;
  httpEquiv: string | undefined;
  content: string | undefined;
  rel: string | undefined;
  href: string | undefined;
  hreflang: string | undefined;
  alt: string | undefined;
  src: string | undefined;
}

export interface ScanHandler {
  /** Decoded text (raw inside script, style, textarea and xmp). */
  text(data: string): void;
  /** A start tag, lower-cased; `attrs` only for the tags in `attrTags`, else null. */
  open(name: string, attrs: TagAttrs | null): void;
  /** An element ends: by its end tag, implied by another tag, or at the end of the document. */
  close(name: string): void;
}

const P_TAG = new Set(['p']);
const FORM_TAGS = new Set(['input', 'option', 'optgroup', 'select', 'button', 'datalist', 'textarea']);
const TABLE_SECTION = new Set(['thead', 'tbody']);
const DD_DT = new Set(['dd', 'dt']);
const RT_RP = new Set(['rt', 'rp']);
// htmlparser2's openImpliesClose: a start tag closes these open elements first.
const OPEN_IMPLIES_CLOSE = new Map<string, Set<string>>([
  ['tr', new Set(['tr', 'th', 'td'])],
  ['th', new Set(['th'])],
  ['td', new Set(['thead', 'th', 'td'])],
  ['body', new Set(['head', 'link', 'script'])],
  ['li', new Set(['li'])],
  ['option', new Set(['option'])],
  ['optgroup', new Set(['optgroup', 'option'])],
  ['dd', DD_DT],
  ['dt', DD_DT],
  ['rt', RT_RP],
  ['rp', RT_RP],
  ['tbody', TABLE_SECTION],
  ['tfoot', TABLE_SECTION],
]);
for (const t of ['select', 'input', 'output', 'button', 'datalist', 'textarea'])
  OPEN_IMPLIES_CLOSE.set(t, FORM_TAGS);
for (const t of [
  ...['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'address', 'article', 'aside', 'blockquote', 'details'],
  ...['div', 'dl', 'fieldset', 'figcaption', 'figure', 'footer', 'form', 'header', 'hr', 'main', 'nav'],
  ...['ol', 'pre', 'section', 'table', 'ul'],
])
  OPEN_IMPLIES_CLOSE.set(t, P_TAG);

const VOID = new Set([
  ...['area', 'base', 'basefont', 'br', 'col', 'command', 'embed', 'frame', 'hr', 'img', 'input'],
  ...['isindex', 'keygen', 'link', 'meta', 'param', 'source', 'track', 'wbr'],
]);
const FOREIGN = new Set(['math', 'svg']);
const INTEGRATION = new Set([
  'mi',
  'mo',
  'mn',
  'ms',
  'mtext',
  'annotation-xml',
  'foreignobject',
  'desc',
  'title',
]);

const enum C {
  Tab = 0x9,
  Nl = 0xa,
  Ff = 0xc,
  Cr = 0xd,
  Space = 0x20,
  Bang = 0x21,
  Dq = 0x22,
  Amp = 0x26,
  Sq = 0x27,
  Dash = 0x2d,
  Slash = 0x2f,
  Lt = 0x3c,
  Eq = 0x3d,
  Gt = 0x3e,
  Question = 0x3f,
  LBracket = 0x5b,
}

const isWs = (c: number) => c === C.Space || c === C.Nl || c === C.Tab || c === C.Ff || c === C.Cr;
const isAlpha = (c: number) => (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a;
/** Ends a tag or attribute name: `/`, `>` or whitespace. */
const endsName = (c: number) => c === C.Slash || c === C.Gt || isWs(c);

/**
 * Raw-text end tags. htmlparser2's tokenizer picks one from a tag name's first two letters and then
 * matches the rest (so `<xitle>` reads like `<title>` and `<tmp>` like `<xmp>`): [first letters, second
 * letter, rest, end sequence].
 */
const SPECIALS: readonly [string, string, string, string][] = [
  ['s', 'c', 'ript', '</script'],
  ['s', 't', 'yle', '</style'],
  ['tx', 'i', 'tle', '</title'],
  ['tx', 'e', 'xtarea', '</textarea'],
  ['tx', 'm', 'p', '</xmp'],
];

/** ASCII case-insensitive: html[at…] equals `lower` (lower-case letters and punctuation). */
function matchesAt(html: string, at: number, lower: string): boolean {
  for (let k = 0; k < lower.length; k++)
    if ((html.charCodeAt(at + k) | 0x20) !== lower.charCodeAt(k)) return false;
  return true;
}

/** The raw-text end sequence for a tag name html[from, to), or null; `partial`: the name may still grow. */
function specialEnd(html: string, from: number, to: number, partial: boolean): string | null {
  const len = to - from;
  const first = html.charCodeAt(from) | 0x20;
  if (first !== 0x73 && first !== 0x74 && first !== 0x78) return null; // s, t, x
  for (const [firsts, second, rest, end] of SPECIALS) {
    if (firsts.charCodeAt(0) !== first && firsts.charCodeAt(1) !== first) continue;
    if (len === 1) return partial ? end : null;
    if ((html.charCodeAt(from + 1) | 0x20) !== second.charCodeAt(0)) continue;
    const wanted = 2 + rest.length;
    if (partial ? len > wanted : len !== wanted) continue;
    if (matchesAt(html, from + 2, rest.slice(0, len - 2))) return end;
  }
  return null;
}

const decodeText = (s: string) => (s.indexOf('&') < 0 ? s : entities.decodeHTML(s));
const decodeAttr = (s: string) => (s.indexOf('&') < 0 ? s : entities.decodeHTMLAttribute(s));

/**
 * <title> text is decoded, except an `&` right after the start of a possible `</title` (`<`, `</`, `</t`…):
 * htmlparser2's tokenizer is matching the end tag there and does not start an entity.
 */
function decodeTitle(s: string): string {
  let amp = s.indexOf('&');
  if (amp < 0) return s;
  let out = '';
  let from = 0;
  for (; amp >= 0; amp = s.indexOf('&', amp + 1)) {
    // The nearest `<` at most six characters back (a search further back would make a title of many
    // `&` quadratic), then the same case-folded comparison htmlparser2 makes.
    let lt = amp - 1;
    while (lt >= 0 && lt >= amp - 6 && s.charCodeAt(lt) !== C.Lt) lt--;
    if (lt < 0 || lt < amp - 6 || !matchesAt(s, lt, '</title'.slice(0, amp - lt))) continue;
    out += entities.decodeHTML(s.slice(from, amp)) + '&';
    from = amp + 1;
  }
  return out + entities.decodeHTML(s.slice(from));
}

function newAttrs(): TagAttrs {
  return {
    lang: undefined,
    name: undefined,
    httpEquiv: undefined,
    content: undefined,
    rel: undefined,
    href: undefined,
    hreflang: undefined,
    alt: undefined,
    src: undefined,
  };
}

/** Keeps a wanted attribute's value (first occurrence wins); names compare ASCII case-insensitively. */
function keepAttr(a: TagAttrs, html: string, from: number, to: number, value: string): void {
  const len = to - from;
  if (len < 2 || len > 10) return;
  // Attribute names are lower-cased with toLowerCase(); of the wanted names only ASCII letters and `-`.
  const name = html.slice(from, to).toLowerCase();
  switch (name) {
    case 'lang':
      if (a.lang === undefined) a.lang = decodeAttr(value);
      break;
    case 'name':
      if (a.name === undefined) a.name = decodeAttr(value);
      break;
    case 'http-equiv':
      if (a.httpEquiv === undefined) a.httpEquiv = decodeAttr(value);
      break;
    case 'content':
      if (a.content === undefined) a.content = decodeAttr(value);
      break;
    case 'rel':
      if (a.rel === undefined) a.rel = decodeAttr(value);
      break;
    case 'href':
      if (a.href === undefined) a.href = decodeAttr(value);
      break;
    case 'hreflang':
      if (a.hreflang === undefined) a.hreflang = decodeAttr(value);
      break;
    case 'alt':
      if (a.alt === undefined) a.alt = decodeAttr(value);
      break;
    case 'src':
      if (a.src === undefined) a.src = decodeAttr(value);
      break;
  }
}

/**
 * Scans html[0, end) and calls `h` with htmlparser2's events. Linear in the input: open elements are
 * counted per name, so an end tag that closes nothing costs O(1) however deep the document is.
 */
export function scanHtml(html: string, end: number, h: ScanHandler, attrTags: ReadonlySet<string>): void {
  // Open elements, innermost last, and how many of each name are open.
  const stack: string[] = [];
  const open = new Map<string, number>();
  // htmlparser2's foreign-content flags (svg, math: self-closing tags close), innermost last.
  const foreign: boolean[] = [false];

  const pop = (): string => {
    const name = stack.pop()!;
    open.set(name, open.get(name)! - 1);
    return name;
  };
  /** htmlparser2's emitOpenTag: implied closes, then the element is open (even if its tag never ends). */
  const openName = (name: string): void => {
    const implies = OPEN_IMPLIES_CLOSE.get(name);
    if (implies) while (stack.length > 0 && implies.has(stack[stack.length - 1]!)) h.close(pop());
    if (!VOID.has(name)) {
      stack.push(name);
      open.set(name, (open.get(name) ?? 0) + 1);
      if (FOREIGN.has(name)) foreign.push(true);
      else if (INTEGRATION.has(name)) foreign.push(false);
    }
  };
  const closeName = (name: string): void => {
    if (FOREIGN.has(name) || INTEGRATION.has(name)) foreign.pop();
    if (!VOID.has(name)) {
      if ((open.get(name) ?? 0) > 0) {
        for (;;) {
          const top = pop();
          h.close(top);
          if (top === name) break;
        }
      } else if (name === 'p') {
        // An end tag </p> with no open <p> is an empty paragraph.
        openName('p');
        h.open('p', attrTags.has('p') ? newAttrs() : null);
        if (stack[stack.length - 1] === 'p') h.close(pop());
      }
    } else if (name === 'br') {
      h.open('br', attrTags.has('br') ? newAttrs() : null);
      h.close('br');
    }
  };
  /** Text html[from, to) outside raw-text elements. */
  const text = (from: number, to: number): void => {
    if (to > from) h.text(decodeText(html.slice(from, to)));
  };
  /** At the end of the input in a state whose pending section htmlparser2 emits as raw text. */
  const rawTail = (from: number): void => {
    if (from < end) h.text(html.slice(from, end));
  };
  // htmlparser2 emits the section from -1 here (after a closing tag's name, or in `<br /` cut short):
  // String.slice(-1) is the input's last character.
  const lastChar = (): void => {
    if (end > 0) h.text(html.slice(end - 1, end));
  };

  let textStart = 0;
  let i = 0;
  while (i < end) {
    const lt = html.indexOf('<', i);
    if (lt < 0 || lt >= end - 1) break;
    const c = html.charCodeAt(lt + 1);

    if (isAlpha(c)) {
      // A start tag: its name runs to whitespace, `/` or `>`.
      text(textStart, lt);
      const nameFrom = lt + 1;
      let q = nameFrom + 1;
      while (q < end && !endsName(html.charCodeAt(q))) q++;
      if (q >= end) {
        // Cut short in the name: a possible raw-text tag name so far is text, any other name nothing.
        if (specialEnd(html, nameFrom, end, true) !== null) rawTail(nameFrom);
        return finish();
      }
      const special = specialEnd(html, nameFrom, q, false);
      const name = html.slice(nameFrom, q).toLowerCase();
      openName(name);
      const a = attrTags.has(name) ? newAttrs() : null;
      // Attributes, htmlparser2's states: 0 before a name, 1 in a name, 2 after a name, 3 before a
      // value, 4 after `/`.
      let state = 0;
      let nameStart = 0;
      let nameEnd = 0;
      let j = q;
      for (;;) {
        if (j >= end) {
          if (state === 4) lastChar();
          return finish();
        }
        const d = html.charCodeAt(j);
        if (state === 0) {
          if (d === C.Gt) break;
          if (d === C.Slash) state = 4;
          else if (!isWs(d)) {
            nameStart = j;
            state = 1;
          }
          j++;
        } else if (state === 1) {
          if (d === C.Eq || endsName(d)) {
            nameEnd = j;
            state = 2;
          } else j++;
        } else if (state === 2) {
          if (d === C.Eq) {
            state = 3;
            j++;
          } else if (d === C.Slash || d === C.Gt) {
            if (a) keepAttr(a, html, nameStart, nameEnd, '');
            state = 0;
          } else {
            if (!isWs(d)) {
              if (a) keepAttr(a, html, nameStart, nameEnd, '');
              nameStart = j;
              state = 1;
            }
            j++;
          }
        } else if (state === 3) {
          if (d === C.Dq || d === C.Sq) {
            const close = html.indexOf(d === C.Dq ? '"' : "'", j + 1);
            if (close < 0 || close >= end) return finish();
            if (a) keepAttr(a, html, nameStart, nameEnd, html.slice(j + 1, close));
            j = close + 1;
            state = 0;
          } else if (isWs(d)) j++;
          else {
            // Unquoted: up to whitespace or `>` (a `/` belongs to the value).
            let k = j;
            while (k < end && !isWs(html.charCodeAt(k)) && html.charCodeAt(k) !== C.Gt) k++;
            if (k >= end) return finish();
            if (a) keepAttr(a, html, nameStart, nameEnd, html.slice(j, k));
            j = k;
            state = 0;
          }
        } else {
          // After `/`: `>` makes the tag self-closing; anything else is read again as before a name.
          if (d === C.Gt) break;
          if (!isWs(d)) state = 0;
          else j++;
        }
      }
      const selfClosing = state === 4;
      // htmlparser2 honours `/>` only in foreign content (svg, math), where the element ends at once.
      if (selfClosing && foreign[foreign.length - 1]) {
        h.open(name, a);
        if (VOID.has(name)) h.close(name);
        if (stack[stack.length - 1] === name) h.close(pop());
      } else {
        h.open(name, a);
        if (VOID.has(name)) h.close(name);
      }
      i = j + 1;
      textStart = i;
      if (special !== null && !selfClosing) {
        // Raw text up to the matching end tag (case-insensitive, then whitespace or `>`).
        let k = i;
        for (;;) {
          k = html.indexOf('<', k);
          if (k < 0 || k + special.length >= end) {
            // No end tag: the rest is the element's text.
            if (i < end) h.text(special === '</title' ? decodeTitle(html.slice(i, end)) : html.slice(i, end));
            textStart = end;
            return finish();
          }
          const after = html.charCodeAt(k + special.length);
          if (matchesAt(html, k, special) && (after === C.Gt || isWs(after))) break;
          k++;
        }
        if (k > i) h.text(special === '</title' ? decodeTitle(html.slice(i, k)) : html.slice(i, k));
        closeName(html.slice(k + 2, k + special.length).toLowerCase());
        const at = k + special.length;
        const gt = html.charCodeAt(at) === C.Gt ? at : html.indexOf('>', at + 1);
        if (gt < 0 || gt >= end) {
          textStart = end;
          lastChar();
          return finish();
        }
        i = textStart = gt + 1;
      }
      continue;
    }

    if (c === C.Slash) {
      // An end tag. Whitespace after `</` is skipped; `</>` stays text.
      let j = lt + 2;
      while (j < end && isWs(html.charCodeAt(j))) j++;
      if (j >= end) break; // `</` at the end: text
      const d = html.charCodeAt(j);
      if (d === C.Gt) {
        i = j + 1;
        continue;
      }
      text(textStart, lt);
      if (!isAlpha(d)) {
        // `</1…>`: a bogus comment to the next `>`.
        const gt = html.indexOf('>', j + 1);
        if (gt < 0 || gt >= end) {
          textStart = end;
          rawTail(j);
          return finish();
        }
        i = textStart = gt + 1;
        continue;
      }
      let q = j + 1;
      while (q < end && html.charCodeAt(q) !== C.Gt && !isWs(html.charCodeAt(q))) q++;
      if (q >= end) {
        textStart = end;
        return finish();
      }
      closeName(html.slice(j, q).toLowerCase());
      const gt = html.charCodeAt(q) === C.Gt ? q : html.indexOf('>', q + 1);
      if (gt < 0 || gt >= end) {
        textStart = end;
        lastChar();
        return finish();
      }
      i = textStart = gt + 1;
      continue;
    }

    if (c === C.Bang) {
      text(textStart, lt);
      const p = lt + 2;
      let gt: number;
      if (p >= end) {
        textStart = end;
        return finish();
      }
      const d = html.charCodeAt(p);
      if (d === C.LBracket) {
        // `<![CDATA[…]]>` is a comment in HTML; anything else after `<![` a declaration.
        let m = 0;
        while (m < 6 && p + 1 + m < end && html.charCodeAt(p + 1 + m) === 'CDATA['.charCodeAt(m)) m++;
        if (m === 6) {
          const close = html.indexOf(']]>', p + 7);
          if (close < 0 || close + 2 >= end) {
            textStart = end;
            return finish();
          }
          i = textStart = close + 3;
          continue;
        }
        if (p + 1 + m >= end) {
          textStart = end;
          rawTail(p);
          return finish();
        }
        const at = p + 1 + m;
        gt = html.charCodeAt(at) === C.Gt ? at : html.indexOf('>', at + 1);
      } else if (d === C.Dash) {
        if (p + 1 >= end) {
          textStart = end;
          rawTail(p);
          return finish();
        }
        if (html.charCodeAt(p + 1) === C.Dash) {
          // A comment ends at the first `>` after two dashes, the opening ones included (`<!-->`).
          const close = html.indexOf('-->', p);
          if (close < 0 || close + 2 >= end) {
            textStart = end;
            return finish();
          }
          i = textStart = close + 3;
          continue;
        }
        gt = html.indexOf('>', p + 2);
      } else gt = html.indexOf('>', p + 1);
      // A declaration (`<!doctype …>`), to the next `>`.
      if (gt < 0 || gt >= end) {
        textStart = end;
        rawTail(p);
        return finish();
      }
      i = textStart = gt + 1;
      continue;
    }

    if (c === C.Question) {
      text(textStart, lt);
      const gt = html.indexOf('>', lt + 2);
      if (gt < 0 || gt >= end) {
        textStart = end;
        rawTail(lt + 2);
        return finish();
      }
      i = textStart = gt + 1;
      continue;
    }

    // `<` not starting a tag is text.
    i = lt + 1;
  }
  text(textStart, end);
  finish();

  /** The end of the input closes every open element, innermost first. */
  function finish(): void {
    for (let k = stack.length - 1; k >= 0; k--) h.close(stack[k]!);
  }
}
