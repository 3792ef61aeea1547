import { once } from 'node:events';
import { createGzip, gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { gunzipBounded, looksGzipped, parseSitemap } from '../../src/crawl/sitemap.ts';

const URLSET = `<?xml version="1.0" encoding="UTF-8"?>
<?xml-stylesheet type="text/xsl" href="/sitemap.xsl"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
  <url>
    <loc>https://studio.example/</loc>
    <lastmod>2026-11-01</lastmod>
    <changefreq>weekly</changefreq>
    <priority>1.0</priority>
  </url>
  <url>
    <image:image><image:loc>https://cdn.example/photo.jpg</image:loc></image:image>
    <loc>
      https://studio.example/catalog?item=12&amp;sort=price
    </loc>
  </url>
  <!-- <url><loc>https://studio.example/draft/</loc></url> -->
  <url><loc><![CDATA[https://studio.example/a&b?x=<1>]]></loc></url>
  <url><loc>https://studio.example/&#1082;&#x430;&lt;&gt;&quot;&apos;</loc></url>
</urlset>`;

describe('parseSitemap()', () => {
  it('reads page URLs from a urlset, decoding entities and CDATA and skipping image locs and comments', () => {
    expect(parseSitemap(URLSET)).toEqual({
      kind: 'urlset',
      urls: [
        'https://studio.example/',
        'https://studio.example/catalog?item=12&sort=price',
        'https://studio.example/a&b?x=<1>',
        `https://studio.example/ка<>"'`,
      ],
      sitemaps: [],
      errors: [],
    });
  });

  it('reads child sitemaps from a sitemap index', () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>https://studio.example/sitemap-pages.xml</loc><lastmod>2026-11-01T10:00:00+03:00</lastmod></sitemap>
  <sitemap>
    <loc>https://studio.example/sitemap-posts.xml.gz</loc>
  </sitemap>
</sitemapindex>`;
    expect(parseSitemap(xml)).toEqual({
      kind: 'sitemapindex',
      urls: [],
      sitemaps: ['https://studio.example/sitemap-pages.xml', 'https://studio.example/sitemap-posts.xml.gz'],
      errors: [],
    });
  });

  it('tolerates namespace prefixes, a BOM, attributes and CRLF', () => {
    const xml =
      '\uFEFF<?xml version="1.0"?>\r\n<sm:urlset xmlns:sm="http://www.sitemaps.org/schemas/sitemap/0.9">\r\n' +
      '<sm:url id="1"><sm:loc>https://a.example/one</sm:loc></sm:url>\r\n' +
      '<sm:url><sm:loc >https://a.example/two</sm:loc ></sm:url >\r\n</sm:urlset>';
    expect(parseSitemap(xml)).toMatchObject({
      kind: 'urlset',
      urls: ['https://a.example/one', 'https://a.example/two'],
    });
  });

  it('does not take <urlset> or <sitemapindex> for an entry', () => {
    const xml = '<sitemapindex><sitemap><loc>https://a.example/s.xml</loc></sitemap></sitemapindex>';
    expect(parseSitemap(xml)).toMatchObject({ sitemaps: ['https://a.example/s.xml'], urls: [], errors: [] });
  });

  it('skips relative and non-http(s) locs, naming them', () => {
    const xml = `<urlset>
      <url><loc>/relative/page</loc></url>
      <url><loc>ftp://a.example/file</loc></url>
      <url><loc>javascript:alert(1)</loc></url>
      <url><loc>https://a.example/ok</loc></url>
      <url><lastmod>2026-01-01</lastmod></url>
      <url><loc>   </loc></url>
    </urlset>`;
    expect(parseSitemap(xml)).toEqual({
      kind: 'urlset',
      urls: ['https://a.example/ok'],
      sitemaps: [],
      errors: [
        'skipped "/relative/page": not an absolute http(s) URL',
        'skipped "ftp://a.example/file": not an absolute http(s) URL',
        'skipped "javascript:alert(1)": not an absolute http(s) URL',
        'skipped a <url> entry without a <loc>',
        'skipped a <url> entry without a <loc>',
      ],
    });
  });

  it('names at most 20 bad locs, then gives a count', () => {
    const bad = Array.from({ length: 57 }, (_, i) => `<url><loc>/page-${i}</loc></url>`).join('');
    const { errors, urls } = parseSitemap(`<urlset>${bad}<url><loc>https://a.example/</loc></url></urlset>`);
    expect(urls).toEqual(['https://a.example/']);
    expect(errors).toHaveLength(21);
    expect(errors[19]).toBe('skipped "/page-19": not an absolute http(s) URL');
    expect(errors[20]).toBe('skipped 37 more invalid entries');
  });

  it('drops entries beyond maxEntries and says how many', () => {
    const entries = Array.from({ length: 12 }, (_, i) => `<url><loc>https://a.example/${i}</loc></url>`).join(
      '\n',
    );
    const parsed = parseSitemap(`<urlset>${entries}</urlset>`, 5);
    expect(parsed.urls).toEqual([0, 1, 2, 3, 4].map((i) => `https://a.example/${i}`));
    expect(parsed.errors).toEqual(['dropped 7 entries beyond the limit of 5']);
  });

  it('applies the 50,000 limit of the protocol by default', () => {
    const one = '<url><loc>https://a.example/p</loc></url>';
    const parsed = parseSitemap(`<urlset>${one.repeat(50_003)}</urlset>`);
    expect(parsed.urls).toHaveLength(50_000);
    expect(parsed.errors).toEqual(['dropped 3 entries beyond the limit of 50000']);
  });

  it('reads a plain-text sitemap, one URL per line', () => {
    const text =
      'https://a.example/\r\nhttps://a.example/about\n\n   https://a.example/contacts  \nnot a url\n';
    expect(parseSitemap(text)).toEqual({
      kind: 'text',
      urls: ['https://a.example/', 'https://a.example/about', 'https://a.example/contacts'],
      sitemaps: [],
      errors: ['skipped "not a url": not an absolute http(s) URL'],
    });
  });

  it('recognises HTML, feeds, gzip bytes and empty bodies as not sitemaps', () => {
    expect(parseSitemap('<!doctype html><html><body>Not found</body></html>')).toEqual({
      kind: 'unknown',
      urls: [],
      sitemaps: [],
      errors: ['not a sitemap: the root element is <html>, expected <urlset> or <sitemapindex>'],
    });
    expect(parseSitemap('<?xml version="1.0"?><rss version="2.0"><channel/></rss>').errors[0]).toMatch(
      /^not a sitemap: <rss> feeds are not supported/,
    );
    const gz = new TextDecoder().decode(gzipSync('<urlset/>'));
    expect(parseSitemap(gz).errors).toEqual([
      'not a sitemap: the data looks gzipped; decompress it before parsing',
    ]);
    expect(parseSitemap('  \n').errors).toEqual(['the sitemap is empty']);
    expect(parseSitemap('Sorry, no sitemap here').kind).toBe('unknown');
  });

  it('keeps going through broken XML without hanging', () => {
    const unclosed = '<url><loc>https://a.example/x</loc>'.repeat(20_000);
    const started = performance.now();
    const parsed = parseSitemap(`<urlset>${unclosed}<url><loc><![CDATA[https://a.example/never-closed`);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(parsed.urls).toHaveLength(20_000);
    expect(parsed.errors).toEqual(['skipped a <url> entry without a <loc>']);
    expect(parseSitemap('<urlset><url><loc>https://a.example/</loc></url><!-- unclosed').urls).toHaveLength(
      1,
    );
  });

  it('does not throw on garbage', () => {
    for (const text of ['<', '<<<>>>', '<urlset', '<urlset><url><loc>', '&#xFFFFFFFF;', '\0'.repeat(100)]) {
      expect(() => parseSitemap(text)).not.toThrow();
    }
    expect(
      parseSitemap('<urlset><url><loc>https://a.example/&#xD800;&#0;&nosuch;</loc></url></urlset>').urls,
    ).toEqual(['https://a.example/&#xD800;&#0;&nosuch;']);
  });
});

describe('looksGzipped()', () => {
  it('recognises the gzip magic number', () => {
    expect(looksGzipped(gzipSync('hello'))).toBe(true);
    expect(looksGzipped(new TextEncoder().encode('<?xml'))).toBe(false);
    expect(looksGzipped(Uint8Array.of(0x1f))).toBe(false);
  });
});

describe('gunzipBounded()', () => {
  // 200 MB of zeros, compressed in 1 MB pieces so that building the bomb never holds 200 MB either.
  const BOMB_SIZE = 200 * 1024 * 1024;
  let bomb: Uint8Array;
  beforeAll(async () => {
    const gzip = createGzip({ level: 9 });
    const parts: Buffer[] = [];
    gzip.on('data', (part: Buffer) => parts.push(part));
    const zeros = Buffer.alloc(1024 * 1024);
    for (let written = 0; written < BOMB_SIZE; written += zeros.length) {
      if (!gzip.write(zeros)) await once(gzip, 'drain');
    }
    gzip.end();
    await once(gzip, 'end');
    bomb = Buffer.concat(parts);
  });

  it('stops a gzip bomb at the limit without inflating it', () => {
    expect(bomb.length).toBeLessThan(BOMB_SIZE / 500);
    const before = process.memoryUsage().arrayBuffers;
    const started = performance.now();
    expect(() => gunzipBounded(bomb, 1024 * 1024)).toThrow(
      new Error('gzip data decompresses to more than 1048576 bytes'),
    );
    expect(performance.now() - started).toBeLessThan(1000);
    // Inflating the whole bomb would leave ~200 MB of buffers behind until the next GC.
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(32 * 1024 * 1024);
  });

  it('returns the data when it fits, up to exactly the limit', () => {
    const xml = new TextEncoder().encode('<urlset><url><loc>https://a.example/</loc></url></urlset>');
    const gz = gzipSync(xml);
    expect(new TextDecoder().decode(gunzipBounded(gz, 1024))).toBe(new TextDecoder().decode(xml));
    expect(gunzipBounded(gz, xml.length)).toHaveLength(xml.length);
    expect(() => gunzipBounded(gz, xml.length - 1)).toThrow(
      `gzip data decompresses to more than ${xml.length - 1} bytes`,
    );
  });

  it('rejects data that is not gzip, or is cut short', () => {
    expect(() => gunzipBounded(new TextEncoder().encode('<urlset/>'), 1024)).toThrow(/^not valid gzip: /);
    const truncated = gzipSync(Buffer.alloc(10_000, 'a')).subarray(0, 20);
    expect(() => gunzipBounded(truncated, 1024 * 1024)).toThrow(/^not valid gzip: /);
  });

  it('refuses a limit that is not a positive integer', () => {
    expect(() => gunzipBounded(gzipSync('x'), 0)).toThrow('maxBytes must be a positive integer, got 0');
  });
});
