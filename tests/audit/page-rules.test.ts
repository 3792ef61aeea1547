// Page rules are pure: facts in, issues out.
import { describe, expect, it } from 'vitest';
import { extractHtml } from '../../src/crawl/extract.ts';
import { resourceRules } from '../../src/audit/rules/resources.ts';
import { responseRules } from '../../src/audit/rules/response.ts';
import { DEFAULT_THRESHOLDS } from '../../src/audit/thresholds.ts';
import type { PageFacts } from '../../src/audit/types.ts';

function facts(url: string, html: string, extra: Partial<PageFacts> = {}): PageFacts {
  const h = extractHtml(html);
  return {
    url,
    status: 200,
    contentType: 'text/html',
    bytes: html.length,
    truncated: null,
    ttfbMs: 50,
    decodeProblems: [],
    xRobotsTag: null,
    noindex: false,
    html: h,
    canonicalResolved: null,
    resolvedLinks: h.links.map((l) => ({
      url: new URL(l.href, url).href,
      raw: l.href,
      kind: l.kind,
      hasAlt: l.hasAlt,
    })),
    ...extra,
  };
}

describe('resource rules', () => {
  it('flags mixed content and http links on an https page, not on an http one', () => {
    const html =
      '<img src="http://cdn.example/a.png" alt="a"><script src="https://cdn.example/ok.js"></script><a href="http://partner.example/">p</a>';
    expect(resourceRules.page!(facts('https://studio.example/', html), DEFAULT_THRESHOLDS)).toEqual([
      { rule: 'mixed-content', details: '1 resource(s), e.g. http://cdn.example/a.png' },
      { rule: 'http-link-from-https', details: '1 link(s), e.g. http://partner.example/' },
    ]);
    expect(resourceRules.page!(facts('http://studio.example/', html), DEFAULT_THRESHOLDS)).toEqual([]);
  });
});

describe('response rules', () => {
  it('calls a short "not found" page served with 200 a soft 404, in Russian too', () => {
    expect(
      responseRules.page!(
        facts('https://s.example/x', '<title>Страница не найдена</title><p>Увы.</p>'),
        DEFAULT_THRESHOLDS,
      ),
    ).toContainEqual(expect.objectContaining({ rule: 'soft-404' }));
    const long = `<title>How we handle 404 errors in our apps</title><p>${'word '.repeat(400)}</p>`;
    expect(
      responseRules.page!(facts('https://s.example/y', long), DEFAULT_THRESHOLDS).map((i) => i.rule),
    ).not.toContain('soft-404');
  });
});
