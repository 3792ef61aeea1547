// analyzeDonorPage() and targetSpec() on saved donor pages and on hostile markup.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeDonorPage, targetSpec } from '../../src/backlinks/analyze.ts';
import type { DonorFacts, FoundLink, LinkContext } from '../../src/backlinks/types.ts';

const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/donors/${name}.html`, import.meta.url), 'utf8');

const PAGE = 'https://kadr-studio.example/uslugi/svadebnaya-semka/';
const TARGET = targetSpec(PAGE);
const DOMAIN = targetSpec('kadr-studio.example');
const DONOR = 'https://donor.example/blog/post-1';

const NO_CONTEXT: LinkContext = {
  inNoindexTag: false,
  inNoindexComment: false,
  inComment: false,
  inScript: false,
  inIframe: false,
  inForm: false,
  outsideBody: false,
};
/** The context flags that are set, by name: reads better in a failure than seven booleans. */
const flags = (l: FoundLink | null | undefined) =>
  Object.entries(l?.context ?? {})
    .filter(([, on]) => on)
    .map(([name]) => name);
const summary = (f: DonorFacts) => f.links.map((l) => [l.match, l.href, ...flags(l)]);
const analyze = (html: string, target = TARGET, brand?: string) =>
  analyzeDonorPage(html, DONOR, target, { brand });

describe('targetSpec()', () => {
  it('normalises a URL target and keeps its host, lower-cased and without "www.", as the domain', () => {
    expect(targetSpec('https://Studio.example/a?b')).toEqual({
      url: 'https://studio.example/a?b',
      domain: 'studio.example',
    });
    expect(targetSpec(' HTTP://WWW.Studio.Example/a/#top ')).toEqual({
      url: 'http://www.studio.example/a/',
      domain: 'studio.example',
    });
  });

  it('reads a bare host, with or without "www." or a trailing slash, as a domain-only target', () => {
    for (const raw of ['studio.example', 'www.studio.example', 'Studio.Example/', 'studio.example.'])
      expect(targetSpec(raw)).toEqual({ url: null, domain: 'studio.example' });
  });

  it('reads a host with a path but no scheme as a URL target', () => {
    expect(targetSpec('studio.example/prices')).toEqual({
      url: 'https://studio.example/prices',
      domain: 'studio.example',
    });
  });

  it('turns an internationalised domain into the punycode that hrefs normalise to', () => {
    expect(targetSpec('кадр.рф').domain).toBe('xn--80aiq0a.xn--p1ai');
  });

  it('rejects garbage with a message that names the input and shows the accepted forms', () => {
    for (const raw of [
      '',
      '   ',
      'not a url',
      'hello',
      'ftp://studio.example/',
      'http://[',
      'javascript:alert(1)',
      'mailto:a@studio.example',
    ])
      expect(() => targetSpec(raw), raw).toThrow(
        `Backlink target must be a URL like "https://studio.example/page" or a domain like "studio.example", got "${raw}"`,
      );
  });
});

describe('analyzeDonorPage() matching', () => {
  it('counts http/https, "www." and trailing-slash spellings of the target URL as exact', () => {
    const f = analyze(`<p>
      <a href="https://kadr-studio.example/uslugi/svadebnaya-semka/">1</a>
      <a href="http://kadr-studio.example/uslugi/svadebnaya-semka/">2</a>
      <a href="https://www.kadr-studio.example/uslugi/svadebnaya-semka">3</a>
      <a href="HTTP://WWW.KADR-STUDIO.EXAMPLE:80/uslugi/./svadebnaya-semka/#price">4</a>
      <a href="//kadr-studio.example/uslugi/svadebnaya-semka/">5</a></p>`);
    expect(f.links.map((l) => [l.anchor, l.match])).toEqual([
      ['1', 'exact'],
      ['2', 'exact'],
      ['3', 'exact'],
      ['4', 'exact'],
      ['5', 'exact'],
    ]);
  });

  it('counts another path, another query or a subdomain of the target as a domain match only', () => {
    const f = analyze(`
      <a href="https://kadr-studio.example/uslugi/">path</a>
      <a href="https://kadr-studio.example/uslugi/svadebnaya-semka/?utm_source=blog">query</a>
      <a href="https://Blog.Kadr-Studio.example/uslugi/svadebnaya-semka/">subdomain</a>`);
    expect(f.links.map((l) => [l.anchor, l.match])).toEqual([
      ['path', 'domain'],
      ['query', 'domain'],
      ['subdomain', 'domain'],
    ]);
  });

  it('ignores hosts that merely end with or contain the target domain', () => {
    const f = analyze(`
      <a href="https://notkadr-studio.example/uslugi/svadebnaya-semka/">lookalike</a>
      <a href="https://kadr-studio.example.evil.example/">suffix</a>
      <a href="https://evil.example/?u=https://kadr-studio.example/">in query</a>`);
    expect(f.links).toEqual([]);
    expect(f.best).toBeNull();
  });

  it('reports every match as a domain match for a domain-only target', () => {
    const f = analyze(
      `<a href="${PAGE}">page</a><a href="https://www.kadr-studio.example/">home</a>`,
      DOMAIN,
    );
    expect(f.links.map((l) => [l.anchor, l.match])).toEqual([
      ['page', 'domain'],
      ['home', 'domain'],
    ]);
  });

  it('lists exact matches first, then domain matches, each in document order', () => {
    const f = analyze(`
      <a href="https://kadr-studio.example/a">d1</a><a href="${PAGE}">e1</a>
      <a href="https://kadr-studio.example/b">d2</a><a href="${PAGE}">e2</a>`);
    expect(f.links.map((l) => l.anchor)).toEqual(['e1', 'e2', 'd1', 'd2']);
  });

  it('picks as best the first exact match without context, then any exact, then domain matches alike', () => {
    const exactClean = analyze(`<noindex><a href="${PAGE}">hidden</a></noindex><a href="${PAGE}">clean</a>`);
    expect(exactClean.best?.anchor).toBe('clean');
    const exactFlagged = analyze(
      `<a href="https://kadr-studio.example/">home</a><noindex><a href="${PAGE}">hidden</a></noindex>`,
    );
    expect(exactFlagged.best?.anchor).toBe('hidden');
    const domainOnly = analyze(
      `<form><a href="https://kadr-studio.example/a">in form</a></form><a href="https://kadr-studio.example/b">free</a>`,
    );
    expect(domainOnly.best?.anchor).toBe('free');
    const domainFlagged = analyze(`<form><a href="https://kadr-studio.example/a">in form</a></form>`);
    expect(domainFlagged.best?.anchor).toBe('in form');
  });
});

describe('analyzeDonorPage() on saved donor pages', () => {
  it('finds the paid link in a blog post and flags the sold sidebar links inside <noindex>', () => {
    const f = analyzeDonorPage(
      fixture('blog-post-ru'),
      'https://mamochki-blog.example/2024/05/kak-vybrat-videografa-na-svadbu/',
      TARGET,
      { brand: 'Кадр' },
    );
    expect(summary(f)).toEqual([
      ['exact', PAGE],
      ['exact', PAGE, 'inNoindexTag'],
      ['domain', 'https://kadr-studio.example/'],
      // The sidebar's </div> closes the element that holds <noindex>; Yandex still reads on to </noindex>.
      ['domain', 'https://kadr-studio.example/portfolio/', 'inNoindexTag'],
    ]);
    expect(f.best).toEqual({
      href: PAGE,
      match: 'exact',
      anchor: 'свадебную видеосъёмку в студии «Кадр»',
      image: false,
      rel: [],
      context: NO_CONTEXT,
      snippet: `<a href="${PAGE}">свадебную видеосъёмку в студии «Кадр»</a>`,
    });
    expect(f.links[2]!.rel).toEqual(['external', 'nofollow', 'ugc']);
    // Instagram, four links to the studio, two sold sidebar links and the counter; not the blog's own.
    expect(f.externalLinks).toBe(8);
    expect(f.title).toBe('Как выбрать видеографа на свадьбу: 7 советов от невесты | Блог для мамочек');
    expect(f.metaRobots).toEqual({ robots: 'index, follow, max-image-preview:large, max-snippet:-1' });
    expect(f.canonical).toBe('https://mamochki-blog.example/2024/05/kak-vybrat-videografa-na-svadbu/');
    expect(f.baseHref).toBeNull();
  });

  it('counts brand mentions in the visible text of a press release that has no link', () => {
    const f = analyzeDonorPage(
      fixture('press-release'),
      'https://pressa-news.example/releases/2024/06/kadr-10-let/',
      TARGET,
      { brand: 'Кадр' },
    );
    expect(f.links).toEqual([]);
    expect(f.best).toBeNull();
    // h1, lead, "КАДР" in the quote and "Кадр&nbsp;—"; not the title, style, script, comment, noscript,
    // "Кадровое" or "Кадры".
    expect(f.brandMentions).toBe(4);
    expect(f.metaRobots).toEqual({ robots: 'noindex, nofollow', yandex: 'noarchive' });
    expect(f.canonical).toBe('https://pressa-news.example/releases/2024/06/kadr-10-let/');
    expect(f.externalLinks).toBe(1);
  });

  it('reads rel tokens of a directory listing lower-cased, and <area> links with their alt', () => {
    const f = analyzeDonorPage(fixture('directory'), 'https://biz-katalog.example/moskva/video/', DOMAIN);
    expect(f.links.map((l) => [l.href, l.anchor, l.rel, ...flags(l)])).toEqual([
      ['https://kadr-studio.example/akcii/', 'видеосъёмка со скидкой', [], 'inForm'],
      ['https://kadr-studio.example/', 'kadr-studio.example', ['nofollow', 'sponsored']],
      ['https://kadr-studio.example/kontakty/', 'Кадр на Летниковской', []],
    ]);
    expect(f.best?.href).toBe('https://kadr-studio.example/');
    expect(f.links[2]!.snippet).toBe(
      '<area shape="circle" coords="120,88,12" href="https://kadr-studio.example/kontakty/" alt="Кадр на Летниковской">',
    );
    // <a> only: the four studio sites, whether in the form or not; <area> and the pager are not counted.
    expect(f.externalLinks).toBe(4);
    expect(f.metaRobots).toEqual({ googlebot: 'noindex' });
  });

  it('reports links in a comment, in script strings and in iframe fallback content, flagged', () => {
    const f = analyzeDonorPage(
      fixture('hidden-links'),
      'https://city-portal.example/afisha/festival-video/',
      TARGET,
      { brand: 'Кадр' },
    );
    expect(summary(f)).toEqual([
      ['exact', PAGE, 'inComment'],
      ['exact', 'https://www.kadr-studio.example/uslugi/svadebnaya-semka/', 'inScript'],
      ['domain', 'https://kadr-studio.example/', 'inScript', 'outsideBody'],
      ['domain', 'https://kadr-studio.example/portfolio/', 'inIframe'],
    ]);
    const [comment, script, jsonLd] = f.links;
    expect(comment).toMatchObject({
      anchor: 'свадебная видеосъёмка «Кадр» & монтаж',
      rel: ['nofollow'],
      snippet: `<a href="${PAGE}" rel="nofollow" title="Свадебная видеосъёмка">свадебная видеосъёмка «Кадр» &amp; монтаж</a>`,
    });
    expect(script?.anchor).toBe('Видеостудия Кадр');
    expect(script?.snippet).toContain(`'<a href="https://www.kadr-studio.example/uslugi/svadebnaya-semka/">`);
    expect(jsonLd?.anchor).toBe('');
    // None of them is a link a crawler follows, so the first exact one stands, flagged.
    expect(f.best).toBe(comment);
    expect(f.brandMentions).toBe(0);
    expect(f.externalLinks).toBe(1);
  });

  it('resolves hrefs and the canonical against <base href>', () => {
    const f = analyzeDonorPage(fixture('base-href'), 'https://news-agregator.example/story/12345', TARGET);
    expect(f.baseHref).toBe('https://kadr-studio.example/novosti/');
    expect(summary(f)).toEqual([
      ['exact', PAGE],
      ['domain', 'https://kadr-studio.example/'],
    ]);
    expect(f.canonical).toBe('https://kadr-studio.example/novosti/10-let/');
    expect(f.externalLinks).toBe(2);
  });

  it('resolves a relative <base href> against the page URL', () => {
    const f = analyzeDonorPage(
      '<base href="../mirror/"><base href="/other/"><a href="page">x</a><link rel="canonical" href="c">',
      'https://donor.example/blog/post-1',
      targetSpec('donor.example'),
    );
    expect(f.baseHref).toBe('https://donor.example/mirror/');
    expect(f.links.map((l) => l.href)).toEqual(['https://donor.example/mirror/page']);
    expect(f.canonical).toBe('https://donor.example/mirror/c');
  });

  it('runs an unclosed <!--noindex--> to the end of the page, after a closed one', () => {
    const f = analyzeDonorPage(
      fixture('noindex-comment-unclosed'),
      'https://forum-nevest.example/topic/8812/',
      targetSpec('https://kadr-studio.example/'),
    );
    expect(summary(f)).toEqual([
      ['exact', 'https://kadr-studio.example/', 'inNoindexComment'],
      ['domain', PAGE],
    ]);
    expect(f.best?.match).toBe('exact');
  });

  it('takes the alt text of an image link as its anchor and keeps the <img> in the snippet', () => {
    const f = analyzeDonorPage(
      fixture('image-link'),
      'https://svadebny-portal.example/podryadchiki/',
      TARGET,
    );
    expect(f.links.map((l) => [l.match, l.anchor, l.image])).toEqual([
      ['exact', 'Свадебное видео "под ключ"', true],
      ['domain', 'Видеостудия «Кадр» — свадебная съёмка', true],
      ['domain', 'Кадр logo', false],
      ['domain', '', true],
    ]);
    expect(f.best?.snippet).toBe(
      `<a href="${PAGE}" class="banner banner--small"><img src="/upload/banners/kadr-120x60.png" alt="Свадебное видео &quot;под ключ&quot;"></a>`,
    );
    expect(f.links[1]!.href).toBe(`${PAGE}?utm_source=wedding-portal&utm_medium=banner`);
    expect(f.links[1]!.snippet).toContain('?utm_source=wedding-portal&amp;utm_medium=banner"');
  });

  it('ignores a <head> written inside the body, as browsers do', () => {
    const f = analyze(`<head></head><body><div class="widget"><head><a href="${PAGE}">x</a></div></body>`);
    expect(flags(f.best)).toEqual([]);
  });

  it('flags links written in <head> and after </body> as outside the body', () => {
    const f = analyzeDonorPage(fixture('link-in-head'), 'https://recepty.example/', TARGET);
    expect(summary(f)).toEqual([
      ['exact', PAGE, 'outsideBody'],
      ['domain', 'https://kadr-studio.example/', 'outsideBody'],
    ]);
  });
});

describe('analyzeDonorPage() contexts', () => {
  it('runs an unclosed <noindex> to the end and ignores a stray </noindex>', () => {
    const f = analyze(`
      <p></noindex><a href="https://kadr-studio.example/1">after stray close</a></p>
      <noindex><noindex><a href="https://kadr-studio.example/2">nested</a></noindex>
      <a href="https://kadr-studio.example/3">still inside the outer one</a></noindex>
      <a href="https://kadr-studio.example/4">outside</a>
      <div><NOINDEX><p>sold</div></p>
      <a href="https://kadr-studio.example/5">after the parent closed</a>`);
    expect(f.links.map((l) => [l.anchor, l.context.inNoindexTag])).toEqual([
      ['after stray close', false],
      ['nested', true],
      ['still inside the outer one', true],
      ['outside', false],
      ['after the parent closed', true],
    ]);
  });

  it('reads <!--noindex--> markers whatever their case and spacing, and ignores a stray close', () => {
    const f = analyze(`
      <!--/noindex--><a href="https://kadr-studio.example/1">a</a>
      <!--  NoIndex  --><a href="https://kadr-studio.example/2">b</a><!-- / NOINDEX -->
      <a href="https://kadr-studio.example/3">c</a>
      <!-- noindex here? no: an ordinary comment --><a href="https://kadr-studio.example/4">d</a>`);
    expect(f.links.map((l) => [l.anchor, l.context.inNoindexComment])).toEqual([
      ['a', false],
      ['b', true],
      ['c', false],
      ['d', false],
    ]);
  });

  it('reports only target links from comments and scripts, with single-quoted and unquoted hrefs', () => {
    const f = analyze(`
      <!-- <a href="https://other.example/">other</a> <A class=x HREF=${PAGE}>unquoted</A> -->
      <!-- <a href='https://kadr-studio.example/q'><img src="b.png" alt="banner"></a> -->
      <!-- <a href="https://kadr-studio.example/open">never closed <a href="https://kadr-studio.example/next">next</a> -->
      <script>var cfg = { home: "https:\\/\\/kadr-studio.example\\/", other: "https://other.example/",
        rel: "//kadr-studio.example/r", t: \`https://kadr-studio.example/tpl\` };</script>`);
    expect(f.links.map((l) => [l.href, l.anchor, l.image, ...flags(l)])).toEqual([
      [PAGE, 'unquoted', false, 'inComment'],
      ['https://kadr-studio.example/q', 'banner', true, 'inComment'],
      ['https://kadr-studio.example/open', 'never closed', false, 'inComment'],
      ['https://kadr-studio.example/next', 'next', false, 'inComment'],
      ['https://kadr-studio.example/', '', false, 'inScript'],
      ['https://kadr-studio.example/r', '', false, 'inScript'],
      ['https://kadr-studio.example/tpl', '', false, 'inScript'],
    ]);
    expect(f.externalLinks).toBe(0);
  });

  it('flags links inside <form> and <iframe> only until they close', () => {
    const f = analyze(`
      <form><a href="https://kadr-studio.example/1">in form</a></form><a href="https://kadr-studio.example/2">after form</a>
      <iframe><a href="https://kadr-studio.example/3">fallback</a></iframe><a href="https://kadr-studio.example/4">after</a>`);
    expect(f.links.map((l) => [l.anchor, ...flags(l)])).toEqual([
      ['in form', 'inForm'],
      ['after form'],
      ['fallback', 'inIframe'],
      ['after'],
    ]);
  });
});

describe('analyzeDonorPage() anchors, snippets and page facts', () => {
  it('collapses whitespace in anchors, clips them at 300 characters and lower-cases rel tokens', () => {
    const long = 'слово '.repeat(100);
    const f = analyze(`<a href="${PAGE}" rel=" NoFollow
      UGC ">  Свадебная\n\t<b>видеосъёмка</b>  </a><a href="${PAGE}">${long}</a>`);
    expect(f.links[0]).toMatchObject({ anchor: 'Свадебная видеосъёмка', rel: ['nofollow', 'ugc'] });
    expect(f.links[1]!.anchor).toHaveLength(300);
    expect(f.links[1]!.anchor.startsWith('слово слово')).toBe(true);
  });

  it('ends a link at the next <a>, as browsers do, and at the end of the page when never closed', () => {
    const f = analyze(`<a href="${PAGE}">first <a href="https://kadr-studio.example/2">second`);
    expect(f.links.map((l) => [l.anchor, l.snippet])).toEqual([
      ['first', `<a href="${PAGE}">first</a>`],
      ['second', '<a href="https://kadr-studio.example/2">second</a>'],
    ]);
  });

  it('re-escapes attribute values and text in the snippet and keeps it within 500 characters', () => {
    const f = analyze(
      `<a href="${PAGE}" title="&quot;Кадр&quot; &amp; co" data-x='a<b'>R&amp;D &lt;3</a>` +
        `<a href="${PAGE}" data-long="${'x'.repeat(2000)}">long</a>`,
    );
    expect(f.links[0]!.snippet).toBe(
      `<a href="${PAGE}" title="&quot;Кадр&quot; &amp; co" data-x="a&lt;b">R&amp;D &lt;3</a>`,
    );
    expect(f.links[0]!.anchor).toBe('R&D <3');
    expect(f.links[1]!.snippet).toHaveLength(500);
  });

  it('keeps the first canonical and title, and joins repeated robots tags', () => {
    const f = analyze(`<head><title> Первый\n заголовок </title><title>Второй</title>
      <link rel="alternate canonical" href="/canon"><link rel="canonical" href="/second">
      <meta name="Robots" content="noindex"><meta name="robots" content=" nofollow ">
      <meta name="googlebot" content="noarchive"><meta name="YANDEX" content="none"><meta name="bingbot" content="x">`);
    expect(f.title).toBe('Первый заголовок');
    expect(f.canonical).toBe('https://donor.example/canon');
    expect(f.metaRobots).toEqual({ robots: 'noindex, nofollow', googlebot: 'noarchive', yandex: 'none' });
  });

  it('counts brand mentions case-insensitively as whole words, in any script, and 0 without a brand', () => {
    const html =
      '<p>студия «Кадр» сняла; КАДР снова; кадр.</p><p>Кадровик и ПодКадр не в счёт.</p>' +
      '<p>Kadr Studio и kadr studio, но не Kadr Studios</p>';
    expect(analyze(html, TARGET, 'Кадр').brandMentions).toBe(3);
    expect(analyze(html, TARGET, ' Kadr   Studio ').brandMentions).toBe(2);
    expect(analyze(html, TARGET, 'К.а(д)р').brandMentions).toBe(0);
    expect(analyze(html).brandMentions).toBe(0);
  });

  it('hashes the HTML as UTF-8 with sha256', () => {
    const html = '<p>Кадр</p>';
    expect(analyze(html).htmlHash).toBe(createHash('sha256').update(Buffer.from(html, 'utf8')).digest('hex'));
    expect(analyze('').htmlHash).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
});

describe('analyzeDonorPage() on hostile input', () => {
  it('skips invalid and non-web hrefs without throwing', () => {
    const f = analyze(`
      <a href="http://[">a</a><a href="javascript:void(0)">b</a><a href="mailto:x@kadr-studio.example">c</a>
      <a href="">d</a><a href>e</a><a href="http://">f</a><a href="https://exa mple.example/">g</a>
      <a href="tel:+7">h</a><a href="${PAGE}">ok</a><base href="javascript:alert(1)"><a href="x">i</a>`);
    expect(f.links.map((l) => l.anchor)).toEqual(['ok']);
    expect(f.externalLinks).toBe(1);
    expect(f.baseHref).toBeNull();
  });

  it('survives an invalid page URL, broken tags and unclosed everything', () => {
    const html = `<html><head><title>unclosed<a href="${PAGE}">x<script>var a = "<!--";
      <div <a href= <img alt=x <iframe><form><noindex><!--noindex--><!-- <a href="${PAGE}">`;
    expect(() => analyzeDonorPage(html, 'not a url', TARGET, { brand: 'x' })).not.toThrow();
    const f = analyzeDonorPage(`<a href="${PAGE}">abs</a><a href="/rel">rel</a>`, 'not a url', TARGET);
    expect(f.links.map((l) => l.anchor)).toEqual(['abs']);
    expect(f.externalLinks).toBe(1);
  });

  it('reads a realistic 5 MB page in well under a few seconds', () => {
    const post =
      '<div class="post"><p>Студия «Кадр» сняла ролик, <a href="/p/1">статья</a> и ' +
      '<a href="https://other.example/x?a=1" rel="nofollow">ссылка</a>.</p><!-- счётчик --></div>\n';
    const html = `<html><body>${post.repeat(Math.ceil((5 * 1024 * 1024) / post.length))}<a href="${PAGE}">в конце</a></body></html>`;
    const started = performance.now();
    const f = analyze(html, TARGET, 'Кадр');
    expect(performance.now() - started).toBeLessThan(5000);
    expect(f.best?.anchor).toBe('в конце');
    expect(f.brandMentions).toBeGreaterThan(30_000);
  });

  // Each of these is quadratic in a naive parser (an element stack, a rescanning regex): 5 MB would take minutes.
  it.each([
    ['deeply nested unclosed elements', '', '<div><span>'],
    ['stray close tags', '', '</b></noindex>'],
    ['a comment full of unfinished <a', '<!--', '<a <a href=x <a '],
    ['a script full of quotes, never closed', '<script>', '"//kadr-studio.example \'x" `'],
    ['text in a link never closed', `<a href="${PAGE}">`, 'слово '],
    ['links that never close', '', `<a href="${PAGE}">слово `],
    [
      'links after an unclosed <!--noindex-->',
      '<!--noindex-->',
      '<p><a href="https://kadr-studio.example/">x</a>',
    ],
  ])('stays linear on 5 MB of %s', (_, prefix, unit) => {
    const html = prefix + unit.repeat(Math.ceil((5 * 1024 * 1024) / unit.length));
    const started = performance.now();
    analyze(html, TARGET, 'Кадр');
    // A quadratic pass over 5 MB takes minutes; the bound leaves room for a busy CI machine.
    expect(performance.now() - started).toBeLessThan(8000);
  });
});
