import { describe, expect, it } from 'vitest';
import { parseRobots, Robots } from '../../src/crawl/robots.ts';

// RFC 9309 §5.1, verbatim.
const RFC_SIMPLE_EXAMPLE = `User-Agent: *
Disallow: *.gif$
Disallow: /example/
Allow: /publications/

User-Agent: foobot
Disallow:/
Allow:/example/page.html
Allow:/example/allowed.gif

User-Agent: barbot
User-Agent: bazbot
Disallow: /example/page.html

User-Agent: quxbot

EOF
`;

describe('parseRobots()', () => {
  it('groups consecutive user-agent lines and keeps rules in order', () => {
    expect(parseRobots(RFC_SIMPLE_EXAMPLE).groups).toEqual([
      {
        agents: ['*'],
        rules: [
          { allow: false, pattern: '*.gif$' },
          { allow: false, pattern: '/example/' },
          { allow: true, pattern: '/publications/' },
        ],
      },
      {
        agents: ['foobot'],
        rules: [
          { allow: false, pattern: '/' },
          { allow: true, pattern: '/example/page.html' },
          { allow: true, pattern: '/example/allowed.gif' },
        ],
      },
      { agents: ['barbot', 'bazbot'], rules: [{ allow: false, pattern: '/example/page.html' }] },
      { agents: ['quxbot'], rules: [] },
    ]);
  });

  it('tolerates a BOM, CRLF, comments, odd case, missing colons and junk lines', () => {
    const text =
      '\uFEFFUSER-AGENT: PromoWatch # our bot\r\n' +
      'this line means nothing\r\n' +
      '<html><body>oops</body></html>\r\n' +
      '# a whole-line comment\r\n' +
      'dIsAlLoW:   /private   # trailing comment\r\n' +
      'Disallow /no-colon\r\n' +
      'Dissallow: /misspelt\r\n' +
      'Allow:\r\n' +
      'Disallow:\r\n' +
      'Noindex: /whatever\r\n';
    expect(parseRobots(text).groups).toEqual([
      {
        agents: ['PromoWatch'],
        rules: [
          { allow: false, pattern: '/private' },
          { allow: false, pattern: '/no-colon' },
          { allow: false, pattern: '/misspelt' },
        ],
      },
    ]);
    expect(parseRobots('useragent: a\nuser agent: b\nDisallow: /').groups[0]?.agents).toEqual(['a', 'b']);
  });

  it('ignores rules that come before any user-agent line', () => {
    expect(parseRobots('Disallow: /\nUser-agent: *\nDisallow: /x').groups).toEqual([
      { agents: ['*'], rules: [{ allow: false, pattern: '/x' }] },
    ]);
  });

  it('starts a new group when a user-agent line follows a rule', () => {
    const { groups } = parseRobots('User-agent: a\nDisallow: /a\nUser-agent: b\nDisallow: /b');
    expect(groups.map((g) => g.agents)).toEqual([['a'], ['b']]);
  });

  it('reads the product token out of a versioned user-agent value', () => {
    expect(
      parseRobots('User-agent: Googlebot/2.1 (+http://www.google.com/bot.html)\nDisallow: /').groups[0]
        ?.agents,
    ).toEqual(['Googlebot']);
  });

  it('collects sitemaps wherever they appear, outside groups', () => {
    const parsed = parseRobots(
      'Sitemap: https://a.example/s1.xml\nUser-agent: *\nsitemap: https://a.example/s2.xml\nDisallow: /x\nUser-agent: b\nDisallow: /\nSITEMAP:https://a.example/s3.xml',
    );
    expect(parsed.sitemaps).toEqual([
      'https://a.example/s1.xml',
      'https://a.example/s2.xml',
      'https://a.example/s3.xml',
    ]);
    expect(parsed.groups).toHaveLength(2);
  });

  it('keeps a valid crawl-delay and ignores a malformed or negative one', () => {
    const parsed = parseRobots(
      'User-agent: a\nCrawl-delay: 2.5\n\nUser-agent: b\nCrawl-delay: soon\n\nUser-agent: c\nCrawl-delay: -1\n\nUser-agent: d\nCrawl-delay: 0',
    );
    expect(parsed.groups.map((g) => g.crawlDelay)).toEqual([2.5, undefined, undefined, 0]);
  });

  it('parses only the first 500 KiB, dropping the line cut in half', () => {
    const filler = '# ' + 'x'.repeat(1000) + '\n';
    const head = 'User-agent: *\nDisallow: /early\n';
    const padding = filler.repeat(Math.floor((500 * 1024 - head.length) / filler.length));
    const text =
      head + padding + 'Disallow: /this-line-straddles-the-limit\n'.repeat(20) + 'Disallow: /late\n';
    const rules = parseRobots(text).groups[0]?.rules.map((r) => r.pattern);
    expect(rules?.[0]).toBe('/early');
    expect(rules).not.toContain('/late');
    expect(rules?.every((p) => p === '/early' || p === '/this-line-straddles-the-limit')).toBe(true);
  });

  it('counts the limit in UTF-8 bytes, not characters', () => {
    const head = 'User-agent: *\n';
    const cyrillic = '# ' + 'я'.repeat(499) + '\n'; // 1001 bytes, 502 characters
    const text = head + cyrillic.repeat(300) + 'Disallow: /beyond-500-KiB\n'; // 300 KB: within the limit
    expect(parseRobots(text).groups[0]?.rules).toHaveLength(1);
    const tooMuch = head + cyrillic.repeat(520) + 'Disallow: /beyond-500-KiB\n';
    expect(tooMuch.length).toBeLessThan(500 * 1024);
    expect(parseRobots(tooMuch).groups[0]?.rules).toHaveLength(0);
  });

  it('does not throw on garbage', () => {
    const garbage = [
      '',
      '\0\0\0',
      ':::::',
      'User-agent:',
      'Disallow: /',
      '\uFFFD\uD800 broken surrogate',
      Array.from({ length: 2000 }, (_, i) => String.fromCharCode(i % 65536)).join(''),
      '<!doctype html><html><head><title>404</title></head></html>',
    ];
    for (const text of garbage) {
      const robots = Robots.fromText(text);
      expect(robots.isAllowed('/anything', 'promowatch')).toBe(true);
    }
  });
});

describe('Robots.check()', () => {
  const robots = Robots.fromText(RFC_SIMPLE_EXAMPLE);

  it('applies the RFC 9309 §5.1 example to each named crawler', () => {
    expect(robots.isAllowed('/example/page.html', 'foobot')).toBe(true);
    expect(robots.isAllowed('/example/allowed.gif', 'foobot')).toBe(true);
    expect(robots.isAllowed('/other', 'foobot')).toBe(false);
    expect(robots.isAllowed('/example/page.html', 'barbot')).toBe(false);
    expect(robots.isAllowed('/example/page.html', 'bazbot')).toBe(false);
    expect(robots.isAllowed('/example/other.html', 'bazbot')).toBe(true);
    expect(robots.isAllowed('/example/', 'quxbot')).toBe(true); // an empty group allows everything
    expect(robots.isAllowed('/example/', 'otherbot')).toBe(false);
    expect(robots.isAllowed('/a.gif', 'otherbot')).toBe(false);
    expect(robots.isAllowed('/publications/a.gif', 'otherbot')).toBe(true); // /publications/ is longer than *.gif$
  });

  it('matches the user-agent case-insensitively and reports the group used', () => {
    expect(robots.check('/x', 'FOOBOT')).toEqual({
      allowed: false,
      rule: { allow: false, pattern: '/' },
      group: 'foobot',
    });
    expect(robots.check('/x', 'otherbot')).toEqual({ allowed: true, rule: null, group: '*' });
    expect(Robots.fromText('User-agent: a\nDisallow: /').check('/x', 'b')).toEqual({
      allowed: true,
      rule: null,
      group: 'none',
    });
  });

  it('lets the longest match win (RFC 9309 §5.2)', () => {
    const r = Robots.fromText(
      'User-Agent: foobot\nAllow: /example/page/\nDisallow: /example/page/disallowed.gif',
    );
    expect(r.isAllowed('/example/page/', 'foobot')).toBe(true);
    expect(r.isAllowed('/example/page/other.gif', 'foobot')).toBe(true);
    expect(r.check('/example/page/disallowed.gif', 'foobot').rule).toEqual({
      allow: false,
      pattern: '/example/page/disallowed.gif',
    });
  });

  it('lets Allow win a tie of equal length, in either order', () => {
    const allowFirst = Robots.fromText('User-agent: *\nAllow: /page\nDisallow: /page');
    const disallowFirst = Robots.fromText('User-agent: *\nDisallow: /page\nAllow: /page');
    for (const r of [allowFirst, disallowFirst]) {
      expect(r.check('/page', 'x')).toEqual({
        allowed: true,
        rule: { allow: true, pattern: '/page' },
        group: '*',
      });
    }
    // Equal length with different patterns is a tie too: /pag* and /page are both 5 octets.
    expect(Robots.fromText('User-agent: *\nDisallow: /page\nAllow: /pag*').isAllowed('/page', 'x')).toBe(
      true,
    );
  });

  it("treats '*' as any run of characters and a final '$' as the end of the path", () => {
    const r = Robots.fromText(
      'User-agent: *\nDisallow: /*.php$\nDisallow: /fish*\nDisallow: /a/*/b\nAllow: /this/path/exactly$',
    );
    expect(r.isAllowed('/index.php', 'x')).toBe(false);
    expect(r.isAllowed('/dir/index.php', 'x')).toBe(false);
    expect(r.isAllowed('/index.php?x=1', 'x')).toBe(true); // the query string is part of the path
    expect(r.isAllowed('/index.php5', 'x')).toBe(true);
    expect(r.isAllowed('/fish', 'x')).toBe(false);
    expect(r.isAllowed('/fishheads/yummy.html', 'x')).toBe(false);
    expect(r.isAllowed('/Fish.asp', 'x')).toBe(true); // matching is case-sensitive
    expect(r.isAllowed('/a/x/y/b', 'x')).toBe(false);
    expect(r.isAllowed('/a/b', 'x')).toBe(true);
    const exact = Robots.fromText('User-agent: *\nDisallow: /this/\nAllow: /this/path/exactly$');
    expect(exact.isAllowed('/this/path/exactly', 'x')).toBe(true);
    expect(exact.isAllowed('/this/path/exactly/more', 'x')).toBe(false);
  });

  it("matches a percent-encoded '*' or '$' in a pattern literally (RFC 9309 §2.2.3)", () => {
    const r = Robots.fromText('User-agent: *\nDisallow: /path/file-with-a-%2A.html\nDisallow: /path/foo-%24');
    expect(r.isAllowed('/path/file-with-a-*.html', 'x')).toBe(false);
    expect(r.isAllowed('/path/file-with-a-b.html', 'x')).toBe(true);
    expect(r.isAllowed('/path/foo-$', 'x')).toBe(false);
    expect(r.isAllowed('/path/foo-', 'x')).toBe(true);
  });

  it('survives patterns that would make a backtracking matcher explode', () => {
    const r = Robots.fromText('User-agent: *\nDisallow: /' + '*a'.repeat(40) + 'b$');
    const started = performance.now();
    expect(r.isAllowed('/' + 'a'.repeat(3000), 'x')).toBe(true);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('merges all groups that name the same agent (RFC 9309 §2.2.1)', () => {
    const r = Robots.fromText(
      'user-agent: ExampleBot\ndisallow: /foo\ndisallow: /bar\n\nuser-agent: *\ndisallow: /star\n\nuser-agent: examplebot\ndisallow: /baz',
    );
    for (const path of ['/foo', '/bar', '/baz']) expect(r.isAllowed(path, 'ExampleBot')).toBe(false);
    expect(r.isAllowed('/star', 'ExampleBot')).toBe(true);
    expect(r.check('/baz', 'examplebot').group).toBe('ExampleBot');
  });

  it("lets a Yandex or Googlebot group replace the '*' group entirely", () => {
    const r = Robots.fromText(
      'User-agent: *\nDisallow: /admin/\nDisallow: /search\n\nUser-agent: Yandex\nDisallow: /search\nClean-param: utm_source\n\nUser-agent: Googlebot\nAllow: /',
    );
    expect(r.isAllowed('/admin/', 'Yandex')).toBe(true);
    expect(r.isAllowed('/search?q=1', 'Yandex')).toBe(false);
    expect(r.isAllowed('/admin/', 'Googlebot')).toBe(true);
    expect(r.isAllowed('/search', 'Googlebot')).toBe(true);
    expect(r.isAllowed('/admin/', 'promowatch')).toBe(false);
    expect(r.check('/admin/', 'yandex').group).toBe('Yandex');
  });

  it('needs the whole product token to match, not a prefix', () => {
    const r = Robots.fromText('User-agent: Googlebot\nDisallow: /\n\nUser-agent: *\nDisallow: /star');
    expect(r.check('/x', 'Googlebot-News').group).toBe('*');
    expect(r.isAllowed('/x', 'Googlebot-News')).toBe(true);
  });

  it('matches a UTF-8 pattern against its percent-encoded path, and encodings of unreserved characters', () => {
    const r = Robots.fromText(
      'User-agent: *\nDisallow: /ä\nDisallow: /каталог/\nDisallow: /foo/bar/%62%61%7A\nDisallow: /x%2fy',
    );
    expect(r.isAllowed('/%C3%A4', 'x')).toBe(false);
    expect(r.isAllowed('/%c3%a4rger', 'x')).toBe(false); // hex case does not matter
    expect(r.isAllowed('/ä', 'x')).toBe(false);
    expect(r.isAllowed('/a', 'x')).toBe(true);
    expect(r.isAllowed(new URL('https://a.example/каталог/стулья').pathname, 'x')).toBe(false);
    expect(r.isAllowed('/foo/bar/baz', 'x')).toBe(false);
    expect(r.isAllowed('/x%2Fy', 'x')).toBe(false);
    expect(r.isAllowed('/x/y', 'x')).toBe(true); // %2F is reserved: it is not the same as '/'
  });

  it('measures pattern length in octets of the encoded form', () => {
    // '/ä' is /%C3%A4: 7 octets, so it beats the 5-octet '/%C3*' (though it is only 2 characters).
    const r = Robots.fromText('User-agent: *\nAllow: /%C3*\nDisallow: /ä');
    expect(r.check('/%C3%A4', 'x').rule).toEqual({ allow: false, pattern: '/ä' });
  });

  it('always allows /robots.txt', () => {
    const r = Robots.fromText('User-agent: *\nDisallow: /');
    expect(r.isAllowed('/robots.txt', 'x')).toBe(true);
    expect(r.isAllowed('/robots.txt.bak', 'x')).toBe(false);
    expect(Robots.disallowAll('test').isAllowed('/robots.txt', 'x')).toBe(true);
  });

  it('gives the crawl-delay of the chosen group, the longest when merged groups disagree', () => {
    const r = Robots.fromText(
      'User-agent: *\nCrawl-delay: 1\n\nUser-agent: Yandex\nCrawl-delay: 2\n\nUser-agent: yandex\nCrawl-delay: 5\n\nUser-agent: Googlebot\nDisallow: /x',
    );
    expect(r.crawlDelay('promowatch')).toBe(1);
    expect(r.crawlDelay('Yandex')).toBe(5);
    expect(r.crawlDelay('Googlebot')).toBeUndefined();
    expect(Robots.fromText('').crawlDelay('x')).toBeUndefined();
  });

  it('exposes the sitemaps it found', () => {
    expect(Robots.fromText('Sitemap: https://a.example/sitemap.xml').sitemaps).toEqual([
      'https://a.example/sitemap.xml',
    ]);
  });
});

describe('Robots.fromFetch()', () => {
  const body = 'User-agent: *\nDisallow: /private';

  it('parses a 2xx body', () => {
    const r = Robots.fromFetch(200, body);
    expect(r.reason).toBe('parsed');
    expect(r.isAllowed('/private', 'x')).toBe(false);
    expect(r.isAllowed('/public', 'x')).toBe(true);
  });

  it('allows everything when robots.txt answers 4xx', () => {
    for (const status of [400, 401, 403, 404, 410]) {
      const r = Robots.fromFetch(status, body);
      expect(r.reason).toBe(`robots.txt answered ${status}: everything allowed`);
      expect(r.check('/private', 'x')).toEqual({ allowed: true, rule: null, group: 'none' });
    }
  });

  it('disallows everything on 5xx, on 429, and when unreachable', () => {
    expect(Robots.fromFetch(503, body).reason).toBe('robots.txt answered 503: everything disallowed');
    expect(Robots.fromFetch(429, body).reason).toBe('robots.txt answered 429: everything disallowed');
    expect(Robots.fromFetch(null, '').reason).toBe('robots.txt unreachable: everything disallowed');
    for (const r of [Robots.fromFetch(500, body), Robots.fromFetch(429, body), Robots.fromFetch(null, '')]) {
      expect(r.check('/public', 'x')).toEqual({ allowed: false, rule: null, group: 'none' });
      expect(r.crawlDelay('x')).toBeUndefined();
    }
  });

  it('treats a redirect that was never resolved as unavailable', () => {
    expect(Robots.fromFetch(301, '').isAllowed('/private', 'x')).toBe(true);
  });

  it('keeps the reason given to allowAll and disallowAll', () => {
    expect(Robots.allowAll('robots.txt ignored by config').reason).toBe('robots.txt ignored by config');
    expect(Robots.disallowAll('site paused').isAllowed('/', 'x')).toBe(false);
  });
});
