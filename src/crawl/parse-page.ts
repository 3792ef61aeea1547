// The crawl's extract stage for one page: charset sniffing, then the streaming extractor. Pure, so it
// can run on the crawler's thread or in a worker (src/crawl/parse-pool.ts).
import { decodeBody } from './decode.ts';
import { extractHtml, type HtmlFacts } from './extract.ts';

export interface ParseInput {
  body: Uint8Array;
  contentType: string;
  fallbackCharset: string;
  /** From the browser fetcher: the document after scripts ran (facts are read from it), or why not. */
  rendered?: { html: string } | { error: string };
}

export interface ParseOutput {
  facts: HtmlFacts | null;
  charset: string | null;
  problems: string[];
}

export function parsePage(input: ParseInput): ParseOutput {
  if (input.body.subarray(0, 1024).includes(0))
    return {
      facts: null,
      charset: null,
      problems: ['body looks binary (NUL bytes) although served as HTML'],
    };
  // Charset and decoding problems are the served bytes' even when the page was rendered.
  const decoded = decodeBody(input.body, input.contentType, input.fallbackCharset);
  const problems = [...decoded.problems];
  const r = input.rendered;
  if (r && 'error' in r) problems.push(`rendering failed: ${r.error}`);
  const facts = extractHtml(r && 'html' in r ? r.html : decoded.text);
  return { facts, charset: decoded.charset, problems };
}
