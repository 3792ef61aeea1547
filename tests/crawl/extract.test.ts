import { describe, expect, it } from 'vitest';
import { extractHtml, scanWords, simhashDistance } from '../../src/crawl/extract.ts';

const PAGE = `<!doctype html><html lang="ru"><head>
<title>Кадр — студия &amp; видео</title><meta name="description" content="Описание">
<meta name="robots" content="noindex, follow"><meta name="yandex" content="nofollow">
<link rel="canonical" href="/x/"><link rel="alternate" hreflang="EN" href="/en/"><link rel="stylesheet" href="/s.css">
<meta name="viewport" content="width=device-width"><meta http-equiv="refresh" content="5; url=/next">
<script>var s = "<a href='/not-a-link'>";</script><style>p{}</style></head>
<body><h1>Привет,  мир</h1><p>Съёмка, монтаж и анимация — под ключ. It's well-known.</p>
<a href="/a" rel="nofollow sponsored">Link <b>one</b><img src="i.png" alt="logo"></a><img src="/x.png">
<!-- <a href="/commented">c</a> --><base href="/ignored-because-late/"><iframe src="/frame"></iframe><script src="/app.js"></script></body></html>`;

describe('extractHtml()', () => {
  const f = extractHtml(PAGE);

  it('reads head facts with entities decoded', () => {
    expect(f).toMatchObject({
      title: 'Кадр — студия & видео',
      titleCount: 1,
      metaDescription: 'Описание',
      metaRobots: { robots: 'noindex, follow', yandex: 'nofollow' },
      metaRefresh: { seconds: 5, url: '/next' },
      canonicals: ['/x/'],
      hreflang: [{ lang: 'en', href: '/en/' }],
      lang: 'ru',
      viewport: 'width=device-width',
      h1: ['Привет, мир'],
    });
  });

  it('collects links with anchor text, rel and image alt, and ignores script text and comments', () => {
    expect(f.links).toEqual([
      { href: '/s.css', kind: 'css', text: '', rel: '' },
      { href: 'i.png', kind: 'img', text: 'logo', rel: '', hasAlt: true },
      { href: '/a', kind: 'a', text: 'Link one logo', rel: 'nofollow sponsored' },
      { href: '/x.png', kind: 'img', text: '', rel: '', hasAlt: false },
      { href: '/frame', kind: 'iframe', text: '', rel: '' },
      { href: '/app.js', kind: 'js', text: '', rel: '' },
    ]);
  });

  it('counts Cyrillic and Latin words in visible text only', () => {
    // Привет, мир | Съёмка, монтаж, и, анимация, под, ключ, It's, well-known | Link, one
    expect(f.wordCount).toBe(12);
  });

  it('gives equal content hashes to the same text in different markup', () => {
    const a = extractHtml('<div><p>Same words here</p></div>');
    const b = extractHtml('<section>Same   <b>words</b>\n here</section>');
    expect(a.contentHash).toBe(b.contentHash);
    expect(extractHtml('<p>Other words here</p>').contentHash).not.toBe(a.contentHash);
  });

  it('gives near simhashes to near-identical text and distant ones to unrelated text', () => {
    const words = Array.from({ length: 600 }, (_, i) => `w${(i * 7919) % 1009}`);
    const a = extractHtml(`<p>${words.join(' ')}</p>`).simhash;
    const b = extractHtml(`<p>${words.map((w, i) => (i === 300 ? 'changed' : w)).join(' ')}</p>`).simhash;
    const c = extractHtml(`<p>${words.map((_, i) => `z${(i * 104729) % 997}`).join(' ')}</p>`).simhash;
    expect(simhashDistance(a, b)).toBeLessThanOrEqual(6);
    expect(simhashDistance(a, c)).toBeGreaterThan(12);
  });

  it('caps the number of links it keeps', () => {
    const many = extractHtml(`<body>${'<a href="/x">x</a>'.repeat(30)}</body>`, { maxLinks: 10 });
    expect(many.links).toHaveLength(10);
    expect(many.linksDropped).toBe(20);
  });
});

describe('extractHtml() on hostile markup', () => {
  it('reads at most 30,000 tags, so unclosed nesting cannot stall it', () => {
    const html = `<html><head><title>Deep</title></head><body>${'<div><span>x '.repeat(200_000)}`;
    const t0 = performance.now();
    const f = extractHtml(html);
    expect(f.tagsCut).toBe(true);
    expect(f.title).toBe('Deep');
    // Uncut, this page takes minutes (htmlparser2's Parser is quadratic in unclosed elements).
    expect(performance.now() - t0).toBeLessThan(5000);
  });
});

describe('scanWords()', () => {
  // The reference: the regular expression the scanner replaces, and FNV-1a over each word it matches.
  const L =
    'a-zA-Z0-9\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u024F\u0370-\u03FF\u0400-\u052F\u0531-\u0587\u05D0-\u05EA\u0620-\u064A\u0660-\u0669\u10A0-\u10FF';
  const WORD = new RegExp(`[${L}]+(?:['’\\-][${L}]+)*`, 'g');
  const fnv1a = (w: string) => {
    let h = 0x811c9dc5;
    for (let i = 0; i < w.length; i++) h = Math.imul(h ^ w.charCodeAt(i), 0x01000193) >>> 0;
    return h >>> 0;
  };

  it('finds exactly the words the regular expression matches, with their hashes and joined bytes', () => {
    const texts = [
      "don't stop -- it’s rock’n’roll, it's a ’quote’ and re-entry, l'été; x' 'y - -z",
      'Съёмка, монтаж и анимация — под ключ. Привет-мир',
      'ελληνικά Հայերեն עברית العربية ١٢٣ ٠١٢ ქართული 中文 日本語 ǅ ß ﬀ İ',
      '  leading and trailing  ',
      '',
      Array.from({ length: 2000 }, (_, i) => String.fromCharCode(32 + ((i * 7919) % 0x1200))).join(''),
    ];
    for (const text of texts) {
      const words = text.match(WORD) ?? [];
      const hashes: number[] = [];
      const got = scanWords(text, (h) => hashes.push(h));
      expect(got.count).toBe(words.length);
      expect(got.joined.toString('utf8')).toBe(words.join(' '));
      expect(hashes).toEqual(words.map(fnv1a));
    }
  });
});
