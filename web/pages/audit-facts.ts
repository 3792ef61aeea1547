// What the Site audit's page view says about one crawled URL: its stored facts (crawl_urls columns) as
// labelled values in the reader's language: durations, sizes, yes/no, local times, states in words.
import { redirectHops, skipReason } from '../../src/audit/explain.ts';
import { SITEMAP_DEPTH } from '../../src/crawl/store.ts';
import type { Formatter, Messages } from '../../src/i18n/index.ts';

type Audit = Messages['audit'];
type Column = keyof Audit['facts'];

/**
 * Bookkeeping columns (claimed_at: when a crawl worker took the URL, set where crawl batches are shared,
 * as on PostgreSQL), the URL the page view already shows as its heading, and the text fingerprints
 * (hex hashes the duplicate rules compare: the reader gets their verdict as an issue, not the digits).
 */
const HIDDEN = new Set(['id', 'crawl_id', 'url', 'claimed_at', 'content_hash', 'simhash']);

function fromJson(v: unknown): unknown {
  try {
    return JSON.parse(String(v));
  } catch {
    return v;
  }
}

/** One column's value as the reader reads it; stored data (titles, URLs, headers) stays as it is. */
function value(column: string, v: unknown, t: Audit, common: Messages['common'], fmt: Formatter): string {
  const yesNo = () => (Number(v) ? common.yes : common.no);
  switch (column as Column) {
    case 'kind':
      return t.urlKinds[v as keyof Audit['urlKinds']] ?? String(v);
    case 'state':
      return urlState(String(v), t);
    case 'skip_reason':
      return skipReason(String(v), t);
    case 'depth':
      return Number(v) >= SITEMAP_DEPTH ? t.pages.sitemapOnly : fmt.number(Number(v));
    case 'in_sitemap':
    case 'noindex':
    case 'nofollow':
      return yesNo();
    case 'redirect_type':
      return t.redirectTypes[v as keyof Audit['redirectTypes']] ?? String(v);
    case 'redirect_hops':
      return redirectHops(Number(v), t);
    case 'truncated':
      return t.truncated[v as keyof Audit['truncated']] ?? String(v);
    case 'bytes':
      return t.kilobytes(Number(v) / 1024);
    case 'ttfb_ms':
    case 'total_ms':
      return fmt.duration(Number(v));
    case 'title_count':
    case 'meta_description_count':
    case 'canonical_count':
    case 'word_count':
    case 'inlinks':
      return fmt.number(Number(v));
    case 'fetched_at':
      return fmt.dateTime(String(v));
    case 'h1': {
      const h1 = fromJson(v);
      return Array.isArray(h1) ? h1.map(String).join(' · ') : String(v);
    }
    case 'hreflang': {
      const alternates = fromJson(v);
      return Array.isArray(alternates)
        ? alternates.map((a: { lang?: string; href?: string }) => `${a.lang} → ${a.href}`).join(', ')
        : String(v);
    }
    default:
      return String(v);
  }
}

/**
 * The facts of one crawled URL in the catalogue's order, each with its label; a column the catalogue
 * does not name yet (a newer migration) comes last under its own name. Empty facts (no H1s…) are left out.
 */
export function factRows(
  facts: Record<string, unknown>,
  t: Audit,
  common: Messages['common'],
  fmt: Formatter,
): { label: string; value: string }[] {
  const known = Object.keys(t.facts);
  const columns = [...known, ...Object.keys(facts).filter((k) => !known.includes(k))];
  return columns
    .filter((k) => !HIDDEN.has(k) && k in facts && facts[k] !== null)
    .map((k) => ({
      label: (t.facts as Record<string, string>)[k] ?? k,
      value: value(k, facts[k], t, common, fmt),
    }))
    .filter((f) => f.value !== '');
}

/** A link's kind (crawl_links.kind) in words. */
export function linkKind(kind: string, t: Audit): string {
  return t.linkKinds[kind as keyof Audit['linkKinds']] ?? kind;
}

/** A URL's state (crawl_urls.state) in words. */
export function urlState(state: string, t: Audit): string {
  return t.states[state as keyof Audit['states']] ?? state;
}
