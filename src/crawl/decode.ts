// Turns the bytes of an HTML page into text, choosing the charset in the order browsers do.
// https://html.spec.whatwg.org/multipage/parsing.html#determining-the-character-encoding

export interface Decoded {
  text: string;
  /** The WHATWG name of the encoding used, e.g. 'windows-1251' for a page that said "cp1251". */
  charset: string;
  source: 'bom' | 'header' | 'meta' | 'fallback';
  problems: string[];
}

/**
 * The charset parameter of a Content-Type header as written, not yet checked against known labels.
 * Parameters per https://mimesniff.spec.whatwg.org/#parsing-a-mime-type: the first non-empty wins.
 */
export function charsetFromContentType(contentType: string | undefined): string | undefined {
  for (const param of (contentType ?? '').split(';').slice(1)) {
    const eq = param.indexOf('=');
    if (eq < 0 || param.slice(0, eq).trim().toLowerCase() !== 'charset') continue;
    let value = param.slice(eq + 1).trim();
    if (value.startsWith('"')) {
      const close = value.indexOf('"', 1);
      value = value.slice(1, close < 0 ? undefined : close).trim();
    }
    if (value) return value;
  }
  return undefined;
}

/**
 * The encoding a `<meta>` in the first 1024 bytes declares, as a WHATWG name, or undefined.
 * https://html.spec.whatwg.org/multipage/parsing.html#prescan-a-byte-stream-to-determine-its-encoding
 */
export function prescanMetaCharset(bytes: Uint8Array): string | undefined {
  for (const label of metaLabels(bytes)) {
    const encoding = metaEncoding(label);
    if (encoding) return encoding;
  }
  return undefined;
}

/** Decodes: BOM first, then the Content-Type charset, then `<meta>`, then `fallback`. */
export function decodeBody(bytes: Uint8Array, contentType: string | undefined, fallback = 'utf-8'): Decoded {
  const problems: string[] = [];
  const bom = bomEncoding(bytes);
  if (bom) return decodeAs(bytes, bom, 'bom', problems);
  const headerLabel = charsetFromContentType(contentType);
  if (headerLabel !== undefined) {
    // Unlike <meta>, a header saying utf-16 is honoured: the spec only rewrites utf-16 found by the prescan.
    const encoding = encodingFor(headerLabel);
    if (encoding) return decodeAs(bytes, encoding, 'header', problems);
    problems.push(`unknown charset "${headerLabel}" in Content-Type`);
  }
  for (const label of metaLabels(bytes)) {
    const encoding = metaEncoding(label);
    if (encoding) return decodeAs(bytes, encoding, 'meta', problems);
    problems.push(`unknown charset "${label}" in <meta>`);
  }
  const encoding = encodingFor(fallback);
  if (!encoding) {
    throw new Error(
      `decodeBody: unknown fallback charset "${fallback}"; use a label like "utf-8" or "windows-1251"`,
    );
  }
  return decodeAs(bytes, encoding, 'fallback', problems);
}

function decodeAs(
  bytes: Uint8Array,
  charset: string,
  source: Decoded['source'],
  problems: string[],
): Decoded {
  if (charset === 'utf-8') {
    try {
      return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), charset, source, problems };
    } catch {
      problems.push(
        source === 'fallback'
          ? 'bytes are not valid utf-8 (no charset was declared)'
          : 'bytes are not valid utf-8 as declared',
      );
    }
  }
  // TextDecoder drops a BOM matching its encoding, so the text never starts with U+FEFF.
  return { text: new TextDecoder(charset).decode(bytes), charset, source, problems };
}

// https://encoding.spec.whatwg.org/#bom-sniff
function bomEncoding(bytes: Uint8Array): string | undefined {
  const [a, b, c] = bytes;
  if (a === 0xef && b === 0xbb && c === 0xbf) return 'utf-8';
  if (a === 0xfe && b === 0xff) return 'utf-16be';
  if (a === 0xff && b === 0xfe) return 'utf-16le';
  return undefined;
}

/**
 * WHATWG name for a label, or undefined if unknown. Labels of the "replacement" encoding
 * (iso-2022-kr and friends) also count as unknown: decoding a page to a single U+FFFD helps no one.
 */
function encodingFor(label: string): string | undefined {
  try {
    return new TextDecoder(label).encoding;
  } catch {
    return undefined;
  }
}

/** The prescan's two substitutions: a page cannot be ASCII-readable and UTF-16 at once. */
function metaEncoding(label: string): string | undefined {
  if (label.trim().toLowerCase() === 'x-user-defined') return 'windows-1252';
  const encoding = encodingFor(label);
  return encoding?.startsWith('utf-16') ? 'utf-8' : encoding;
}

const SPACE = new Set(['\t', '\n', '\f', '\r', ' ']);

/** Charset labels declared by `<meta>` elements in the first 1024 bytes, in order, unvalidated. */
function* metaLabels(bytes: Uint8Array): Generator<string> {
  const s = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 1024)).toString('latin1');
  let pos = 0;
  while (pos < s.length) {
    if (s.startsWith('<!--', pos)) {
      const end = s.indexOf('-->', pos + 2); // "<!-->" is a whole comment
      if (end < 0) return;
      pos = end + 2; // on the '>'; the loop steps past it
    } else if (/^<meta[\t\n\f\r /]/i.test(s.slice(pos, pos + 6))) {
      pos += 6;
      const seen = new Set<string>();
      let gotPragma = false;
      let needPragma: boolean | null = null;
      let charset: string | null = null;
      for (let attr = getAttribute(s, pos); attr; attr = getAttribute(s, pos)) {
        if (attr === 'end') return;
        pos = attr.end;
        if (seen.has(attr.name)) continue;
        seen.add(attr.name);
        if (attr.name === 'http-equiv') gotPragma ||= attr.value === 'content-type';
        else if (attr.name === 'content' && charset === null) {
          charset = charsetFromMetaContent(attr.value) ?? null;
          if (charset !== null) needPragma = true;
        } else if (attr.name === 'charset') {
          charset = attr.value;
          needPragma = false;
        }
      }
      if (charset !== null && (needPragma === false || (needPragma === true && gotPragma))) yield charset;
    } else if (/^<\/?[A-Za-z]/.test(s.slice(pos, pos + 3))) {
      // Another tag: skip its attributes properly, so a '>' or "<meta" inside a quoted value is not misread.
      while (pos < s.length && !SPACE.has(s[pos]!) && s[pos] !== '>') pos++;
      for (let attr = getAttribute(s, pos); attr; attr = getAttribute(s, pos)) {
        if (attr === 'end') return;
        pos = attr.end;
      }
    } else if (s.startsWith('<!', pos) || s.startsWith('</', pos) || s.startsWith('<?', pos)) {
      const end = s.indexOf('>', pos);
      if (end < 0) return;
      pos = end;
    }
    pos++;
  }
}

type Attribute = { name: string; value: string; end: number };

/**
 * https://html.spec.whatwg.org/multipage/parsing.html#concept-get-attributes-when-sniffing — null when
 * the tag ends here, 'end' when the 1024 bytes run out mid-tag (the spec then gives up the prescan).
 */
function getAttribute(s: string, start: number): Attribute | null | 'end' {
  let pos = start;
  while (pos < s.length && (SPACE.has(s[pos]!) || s[pos] === '/')) pos++;
  if (pos >= s.length) return 'end';
  if (s[pos] === '>') return null;
  let name = '';
  let value = '';
  for (; ; pos++) {
    const c = s[pos];
    if (c === undefined) return 'end';
    if (c === '=' && name) break;
    if (SPACE.has(c)) {
      while (pos < s.length && SPACE.has(s[pos]!)) pos++;
      if (s[pos] !== '=') return pos < s.length ? { name, value, end: pos } : 'end';
      break;
    }
    if (c === '/' || c === '>') return { name, value, end: pos };
    name += c.toLowerCase();
  }
  pos++; // past '='
  while (pos < s.length && SPACE.has(s[pos]!)) pos++;
  const quote = s[pos];
  if (quote === '"' || quote === "'") {
    const close = s.indexOf(quote, pos + 1);
    if (close < 0) return 'end';
    return { name, value: s.slice(pos + 1, close).toLowerCase(), end: close + 1 };
  }
  for (; ; pos++) {
    const c = s[pos];
    if (c === undefined) return 'end';
    if (SPACE.has(c) || c === '>') return { name, value, end: pos };
    value += c.toLowerCase();
  }
}

/** https://html.spec.whatwg.org/multipage/urls-and-fetching.html#algorithm-for-extracting-a-character-encoding-from-a-meta-element */
function charsetFromMetaContent(content: string): string | undefined {
  const m = /charset[\t\n\f\r ]*=[\t\n\f\r ]*(?:"([^"]*)"|'([^']*)'|(["']?)([^\t\n\f\r ;"']*))/i.exec(
    content,
  );
  if (!m || m[3]) return undefined; // an unmatched quote means no charset
  return (m[1] ?? m[2] ?? m[4]) || undefined;
}
