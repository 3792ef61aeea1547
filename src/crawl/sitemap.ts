// Reads XML and plain-text sitemaps into page and child-sitemap URLs, and unpacks .gz sitemaps safely.
// https://www.sitemaps.org/protocol.html
import { constants as bufferConstants } from 'node:buffer';
import { gunzipSync } from 'node:zlib';

export interface ParsedSitemap {
  kind: 'urlset' | 'sitemapindex' | 'text' | 'unknown';
  urls: string[];
  sitemaps: string[];
  errors: string[];
}

// One message per bad entry up to this many, then a count: a broken generator can emit thousands.
const MAX_DETAILED_ERRORS = 20;

// <url>, <sitemap> and <loc> tags, opening or closing, with an optional namespace prefix ("sm:").
const TAG = /<(\/?)((?:[A-Za-z_][\w.-]*:)?)(url|sitemap|loc)(?=[\s/>])[^>]*>/g;
const ROOT = /<(?![?!])(?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)/;
const CDATA = /<!\[CDATA\[([\s\S]*?)\]\]>/g;

/**
 * Parses a sitemap, sitemap index or text sitemap with one scan over the tags rather than a DOM, so a
 * 50 MB file costs little more than its string. `maxEntries` defaults to the protocol's 50,000 per file.
 */
export function parseSitemap(text: string, maxEntries = 50_000): ParsedSitemap {
  const result: ParsedSitemap = { kind: 'unknown', urls: [], sitemaps: [], errors: [] };
  const collect = collector(result, maxEntries);
  const body = text.replace(/^\uFEFF/, '').trim();
  if (body === '') {
    result.errors.push('the sitemap is empty');
    return result;
  }
  if (body.startsWith('\u001f')) {
    result.errors.push('not a sitemap: the data looks gzipped; decompress it before parsing');
    return result;
  }
  if (!body.startsWith('<')) {
    // https://www.sitemaps.org/protocol.html#otherformats: a text file with one URL per line.
    const lines = body.split(/\r\n|\r|\n/).map((l) => l.trim());
    if (!lines.some(isHttpUrl)) {
      result.errors.push(`not a sitemap: neither XML nor lines of URLs (starts with ${quote(body)})`);
      return result;
    }
    result.kind = 'text';
    for (const line of lines) if (line) collect(line, result.urls);
    return collect.finish();
  }
  const xml = withoutComments(body);
  const root = ROOT.exec(xml)?.[1];
  if (root !== 'urlset' && root !== 'sitemapindex') {
    const feed = root === 'rss' || root === 'feed';
    result.errors.push(
      feed
        ? `not a sitemap: <${root}> feeds are not supported; list the pages in a <urlset> instead`
        : `not a sitemap: the root element is <${root ?? '?'}>, expected <urlset> or <sitemapindex>`,
    );
    return result;
  }
  result.kind = root;
  scanEntries(xml, (name, loc) => collect(loc, name === 'url' ? result.urls : result.sitemaps, name));
  return collect.finish();
}

/**
 * Walks the tags once, left to right, so that broken files (unclosed entries, truncated downloads)
 * cost linear time. An entry's <loc> is the first one in the entry's own namespace prefix: an
 * <image:loc> inside a <url> names an image, not a page.
 */
function scanEntries(xml: string, emit: (name: string, loc: string | undefined) => void): void {
  let entry: { name: string; prefix: string; loc?: string } | undefined;
  const flush = () => {
    if (entry) emit(entry.name, entry.loc);
    entry = undefined;
  };
  const tags = new RegExp(TAG);
  for (let m = tags.exec(xml); m; m = tags.exec(xml)) {
    const [tag, closing, prefix, name] = m as unknown as [string, string, string, string];
    if (name !== 'loc') {
      if (!closing) {
        flush(); // a new entry also ends one whose closing tag is missing
        entry = { name, prefix };
      }
      if (closing || tag.endsWith('/>')) flush();
    } else if (!closing && entry && entry.prefix === prefix && entry.loc === undefined) {
      const end = textEnd(xml, tags.lastIndex);
      if (end < 0) break; // an unclosed CDATA section runs to the end of the file
      entry.loc = textContent(xml.slice(tags.lastIndex, end));
      tags.lastIndex = end;
    }
  }
  flush();
}

/** Comments could hide whole <url> entries that the author meant to switch off. */
function withoutComments(xml: string): string {
  let out = '';
  let pos = 0;
  for (let open = xml.indexOf('<!--'); open >= 0; open = xml.indexOf('<!--', pos)) {
    out += xml.slice(pos, open);
    const close = xml.indexOf('-->', open + 4);
    if (close < 0) return out; // an unclosed comment hides the rest of the file
    pos = close + 3;
  }
  return out + xml.slice(pos);
}

/** Where the character data starting at `from` ends: the next tag that is not a CDATA section. */
function textEnd(xml: string, from: number): number {
  for (let pos = from; ;) {
    const lt = xml.indexOf('<', pos);
    if (lt < 0 || !xml.startsWith('<![CDATA[', lt)) return lt < 0 ? xml.length : lt;
    const close = xml.indexOf(']]>', lt);
    if (close < 0) return -1;
    pos = close + 3;
  }
}

function collector(result: ParsedSitemap, maxEntries: number) {
  let accepted = 0;
  let dropped = 0;
  let invalid = 0;
  const problem = (message: string) => {
    if (++invalid <= MAX_DETAILED_ERRORS) result.errors.push(message);
  };
  const collect = (loc: string | undefined, into: string[], element = 'line') => {
    if (accepted >= maxEntries) dropped++;
    else if (!loc) problem(`skipped a <${element}> entry without a <loc>`);
    else if (!isHttpUrl(loc)) problem(`skipped ${quote(loc)}: not an absolute http(s) URL`);
    else {
      into.push(loc);
      accepted++;
    }
  };
  collect.finish = (): ParsedSitemap => {
    const unnamed = invalid - MAX_DETAILED_ERRORS;
    if (unnamed > 0) result.errors.push(`skipped ${unnamed} more invalid entries`);
    if (dropped > 0) result.errors.push(`dropped ${dropped} entries beyond the limit of ${maxEntries}`);
    return result;
  };
  return collect;
}

function isHttpUrl(s: string): boolean {
  if (!/^https?:\/\//i.test(s)) return false;
  try {
    new URL(s);
    return true;
  } catch {
    return false;
  }
}

function quote(s: string): string {
  return JSON.stringify(s.length > 200 ? s.slice(0, 200) + '…' : s);
}

/** Text of a <loc>: CDATA sections taken literally, entities decoded outside them, whitespace trimmed. */
function textContent(raw: string): string {
  let out = '';
  let last = 0;
  for (const m of raw.matchAll(CDATA)) {
    out += decodeEntities(raw.slice(last, m.index)) + m[1];
    last = m.index + m[0].length;
  }
  return (out + decodeEntities(raw.slice(last))).trim();
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

// The five predefined XML entities and character references: https://www.w3.org/TR/xml/#sec-predefined-ent
function decodeEntities(s: string): string {
  return s.replace(/&(?:#x([0-9A-Fa-f]+)|#([0-9]+)|(amp|lt|gt|quot|apos));/g, (whole, hex, dec, name) => {
    if (name) return NAMED[name as string]!;
    const cp = hex ? parseInt(hex as string, 16) : parseInt(dec as string, 10);
    const valid = cp > 0 && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff);
    return valid ? String.fromCodePoint(cp) : whole;
  });
}

/** True when the bytes start with the gzip magic number 1f 8b (RFC 1952 §2.3.1). */
export function looksGzipped(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Gunzips, stopping as soon as the output passes `maxBytes`, so a small "gzip bomb" cannot fill memory.
 * zlib checks maxOutputLength after each chunk it inflates: https://nodejs.org/api/zlib.html#class-options
 */
export function gunzipBounded(bytes: Uint8Array, maxBytes: number): Uint8Array {
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 1) {
    throw new Error(`gunzipBounded: maxBytes must be a positive integer, got ${maxBytes}`);
  }
  try {
    return gunzipSync(bytes, { maxOutputLength: Math.min(maxBytes, bufferConstants.MAX_LENGTH) });
  } catch (err) {
    if ((err as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new Error(`gzip data decompresses to more than ${maxBytes} bytes`, { cause: err });
    }
    throw new Error(`not valid gzip: ${(err as Error).message}`, { cause: err });
  }
}
