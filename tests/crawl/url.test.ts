import { describe, expect, it } from 'vitest';
import { LinkNormalizer, normalizeUrl, normalizePercentEncoding } from '../../src/crawl/url.ts';

const norm = (raw: string, base?: string) => {
  const r = normalizeUrl(raw, base);
  return r.ok ? r.url : `!${r.reason}`;
};

describe('normalizeUrl()', () => {
  it('lower-cases scheme and host, drops the default port and the fragment', () => {
    expect(norm('HTTP://Example.COM:80/Path/#section')).toBe('http://example.com/Path/');
    expect(norm('https://example.com:443/a')).toBe('https://example.com/a');
    expect(norm('https://example.com:8443/a')).toBe('https://example.com:8443/a');
  });

  it('keeps path case, trailing slashes and the query as they are', () => {
    expect(norm('http://x.example/About')).not.toBe(norm('http://x.example/about'));
    expect(norm('http://x.example/a/')).not.toBe(norm('http://x.example/a'));
    expect(norm('http://x.example/a?b=1&a=2')).toBe('http://x.example/a?b=1&a=2');
    expect(norm('http://x.example/a?')).toBe('http://x.example/a?');
  });

  it('normalises percent-encoding without merging reserved characters', () => {
    expect(norm('http://x.example/%7euser/%2fslash?q=%3d')).toBe('http://x.example/~user/%2Fslash?q=%3D');
    expect(normalizePercentEncoding('%41%2f')).toBe('A%2F');
  });

  it('encodes spaces and non-ASCII paths, and converts IDN hosts to punycode', () => {
    expect(norm('/с пробелом/', 'https://пример.рф/')).toBe(
      'https://xn--e1afmkfd.xn--p1ai/%D1%81%20%D0%BF%D1%80%D0%BE%D0%B1%D0%B5%D0%BB%D0%BE%D0%BC/',
    );
  });

  it('resolves relative links and dot segments against the page', () => {
    expect(norm('../b/./c', 'http://x.example/a/d/e')).toBe('http://x.example/a/b/c');
    expect(norm('//cdn.example/x.js', 'https://x.example/')).toBe('https://cdn.example/x.js');
    expect(norm('  /a\n/b  ', 'http://x.example/')).toBe('http://x.example/a/b');
  });

  it('refuses what is not an http(s) URL, saying why', () => {
    expect(norm('mailto:a@b.example')).toBe('!not http(s): mailto:');
    expect(norm('javascript:void(0)')).toBe('!not http(s): javascript:');
    expect(norm('')).toBe('!empty URL');
    expect(norm('http://')).toMatch(/^!not a valid URL/);
    expect(normalizeUrl(`http://x.example/${'a'.repeat(3000)}`)).toEqual({
      ok: false,
      reason: 'URL longer than 2048 characters',
    });
  });
});

describe('LinkNormalizer', () => {
  // Bases differ in scheme, user info, host, port and path; hrefs are the ones whose answer could wrongly
  // be taken from another page if the memo keyed them too loosely.
  const BASES = [
    'http://site.example/',
    'http://site.example/blog/post?id=1',
    'https://site.example/blog/',
    'http://site.example:8080/a/b',
    'http://user:pw@site.example/x/',
    'http://other.example/deep/path/',
  ];
  const HREFS = [
    '/',
    '/about',
    '/About?x=1#top',
    '/a/../b/./c',
    '/%7euser/%2f',
    '/привет',
    '//evil.example/x',
    '/\\evil.example/x',
    '/\t/evil.example/x',
    '/\n/evil.example/x',
    ' /padded ',
    ' //evil.example/',
    'relative/page',
    '../up',
    '?page=2',
    '#frag',
    '',
    'http://abs.example/A',
    'https://abs.example:443/b',
    'HTTP://ABS.example/',
    'http:/half-absolute',
    'mailto:someone@site.example',
    'javascript:void(0)',
    `/${'x'.repeat(2100)}`,
  ];

  it('answers every href on every base exactly as normalizeUrl(), memo warm or cold', () => {
    const memo = new LinkNormalizer(2048);
    for (let round = 0; round < 2; round++)
      for (const base of round ? [...BASES].reverse() : BASES)
        for (const href of HREFS)
          expect(memo.normalize(href, base), `${href} on ${base}`).toEqual(normalizeUrl(href, base, 2048));
  });

  it('keeps answering correctly after the memo starts over', () => {
    const memo = new LinkNormalizer(2048);
    for (let i = 0; i < LinkNormalizer.MAX_ENTRIES + 50; i++)
      memo.normalize(`/p/${i}`, BASES[i % BASES.length]!);
    for (const base of BASES) expect(memo.normalize('/p/3', base)).toEqual(normalizeUrl('/p/3', base, 2048));
  });
});
