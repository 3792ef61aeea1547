// Turns a fetched HTML body into facts: charset sniffing, then the streaming extractor. Pure, so it can
// run on the crawler's thread or in a worker.
import { decodeBody } from './decode.ts';
import { extractHtml, type HtmlFacts } from './extract.ts';

export interface ParseInput {
  body: Uint8Array;
  contentType: string;
  fallbackCharset: string;
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
  const decoded = decodeBody(input.body, input.contentType, input.fallbackCharset);
  return { facts: extractHtml(decoded.text), charset: decoded.charset, problems: decoded.problems };
}
