import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseBacklinkImport, type ImportOptions } from '../../src/backlinks/import.ts';
import { backlinkKey } from '../../src/backlinks/input.ts';
import type { ToolState } from '../../src/backlinks/tool-state.ts';
import type { BacklinkInput } from '../../src/backlinks/types.ts';

const fixture = (name: string) =>
  new Uint8Array(readFileSync(new URL(`../fixtures/imports/${name}`, import.meta.url)));
const utf8 = (s: string) => new TextEncoder().encode(s);
const TODAY = '2026-05-25';
const opts = (more: Partial<ImportOptions> = {}): ImportOptions => ({
  existing: new Set(),
  today: TODAY,
  ...more,
});

const HEADER =
  'donor_url,target,anchor,kind,vendor,price,currency,billing,bought_on,paid_until,tags,notes,brand';

const BLANK: BacklinkInput = {
  donorUrl: '',
  target: '',
  targetKind: 'domain',
  expectedAnchor: null,
  kind: 'bought',
  vendor: null,
  priceMicros: null,
  currency: null,
  billing: 'one-off',
  boughtOn: null,
  paidUntil: null,
  tags: [],
  notes: null,
  brand: null,
};

/** A tool state that says nothing against the link. */
const CLEAN: Omit<ToolState, 'tool'> = {
  nofollow: false,
  sponsored: false,
  ugc: false,
  lost: false,
  lostOn: null,
  lostReason: null,
  firstSeen: null,
  lastSeen: null,
};

describe('parseBacklinkImport() on our own format', () => {
  it('reads quoted fields holding commas, newlines and quotes, and fills in the default target', () => {
    const r = parseBacklinkImport(
      fixture('promowatch-links.csv'),
      opts({ defaultTarget: 'https://studio.example/' }),
    );
    expect(r.errors).toEqual([]);
    expect(r.format).toBe('promowatch');
    expect(r.duplicates).toEqual([]);
    expect(r.rows).toEqual([
      {
        line: 2,
        input: {
          ...BLANK,
          donorUrl: 'https://blog.example/post-1',
          target: 'studio.example',
          expectedAnchor: 'ремонт, дизайн',
          kind: 'guest-post',
          vendor: 'Miralinks',
          priceMicros: 12_000_000_000,
          currency: 'RUB',
          boughtOn: '2026-01-10',
          tags: ['seo', 'q1'],
          notes: 'Статья с фото,\nдве ссылки\nв тексте',
        },
      },
      {
        line: 5,
        input: {
          ...BLANK,
          donorUrl: 'https://press.example/releases/42',
          target: 'https://studio.example/',
          targetKind: 'url',
          kind: 'press-release',
          vendor: 'PR-agency',
          priceMicros: 150_000_000,
          currency: 'USD',
          boughtOn: '2026-02-05',
          tags: ['pr', 'brand'],
          brand: 'Studio Example',
        },
      },
      {
        line: 6,
        input: {
          ...BLANK,
          donorUrl: 'https://directory.example/firms/studio',
          target: 'https://studio.example/',
          targetKind: 'url',
          kind: 'directory',
          priceMicros: 0,
          currency: 'EUR',
          billing: 'monthly',
          boughtOn: '2026-02-01',
          paidUntil: '2026-03-01',
          notes: 'He said "ok"',
        },
      },
    ]);
  });

  it('reports the one bad row with its physical line number and still lists the good rows', () => {
    const r = parseBacklinkImport(fixture('promowatch-one-bad-row.csv'), opts());
    expect(r.errors).toEqual([
      'line 6: donor_url "blog.example/post-2" is not an absolute http(s) URL',
      'line 6: currency "XYZ" is not an ISO 4217 currency code like RUB, USD or EUR',
      'line 6: bought_on "31.02.2026" is not a real calendar date',
    ]);
    expect(r.rows.map((row) => [row.line, row.input.donorUrl])).toEqual([
      [2, 'https://blog.example/post-1'],
      [5, 'https://forum.example/t/9'],
      [8, 'https://news.example/a'],
    ]);
    expect(r.rows[1]!.input.kind).toBe('bought'); // "link" is an alias
    expect(r.duplicates).toEqual([
      {
        line: 7,
        donorUrl: 'https://blog.example/post-1',
        target: 'studio.example',
        reason: 'repeated in the file (first on line 2)',
      },
    ]);
  });

  it('sets aside links already in the inventory, matching donor URLs as normalised and targets in any case', () => {
    const existing = new Set([backlinkKey('HTTPS://Blog.Example:443/post-1#top', 'Studio.Example')]);
    const r = parseBacklinkImport(fixture('promowatch-one-bad-row.csv'), opts({ existing }));
    expect(r.duplicates.map((d) => [d.line, d.reason])).toEqual([
      [2, 'already in the inventory'],
      [7, 'already in the inventory'],
    ]);
    expect(r.rows.map((row) => row.line)).toEqual([5, 8]);
  });

  it('needs a target in the row or a default one', () => {
    const r = parseBacklinkImport(utf8(`${HEADER}\nhttps://blog.example/p,,,,,,,,,,,,\n`), opts());
    expect(r.errors).toEqual(['line 2: target is missing: give the URL or domain the link points to']);
  });

  it('accepts a header of donor_url alone, in any case and order of columns', () => {
    const r = parseBacklinkImport(
      utf8('Target;DONOR_URL\r\nstudio.example;https://a.example/1\r\n;https://a.example/2\r\n'),
      opts({ defaultTarget: 'other.example' }),
    );
    expect(r.errors).toEqual([]);
    expect(r.rows.map((row) => [row.input.donorUrl, row.input.target])).toEqual([
      ['https://a.example/1', 'studio.example'],
      ['https://a.example/2', 'other.example'],
    ]);
  });

  it('refuses unknown and repeated columns rather than dropping their data', () => {
    const r = parseBacklinkImport(
      utf8('donor_url,target,ancor,target\nhttps://a.example/,b.example,x,\n'),
      opts(),
    );
    expect(r.errors).toEqual([
      'line 1: unknown column "ancor"; the columns are ' + HEADER,
      'line 1: column "target" appears twice',
    ]);
    expect(r.rows).toEqual([]);
  });

  it('refuses a row with more cells than the header: an unquoted comma', () => {
    const r = parseBacklinkImport(
      utf8(
        'donor_url,target,notes\nhttps://a.example/,b.example,one, two\nhttps://c.example/,b.example,ok,,\n',
      ),
      opts(),
    );
    expect(r.errors).toEqual([
      'line 2: 4 cells but the header has 3 columns; put a field that contains "," in double quotes',
    ]);
    expect(r.rows.map((row) => row.line)).toEqual([3]); // trailing empty cells are harmless
  });

  it('numbers rows after a multi-line quoted field by the line they start on', () => {
    const text = `donor_url,target,notes\n"https://a.example/",b.example,"1\n2\n3"\n\nftp://x.example/,b.example,\n`;
    expect(parseBacklinkImport(utf8(text), opts()).errors).toEqual([
      'line 6: donor_url "ftp://x.example/" is not an absolute http(s) URL',
    ]);
  });

  it('reports an unclosed quote as the only error', () => {
    const r = parseBacklinkImport(
      utf8(`donor_url,target\nhttps://a.example/,b.example\n"https://c.example/,d\n`),
      opts(),
    );
    expect(r).toEqual({
      format: 'promowatch',
      rows: [],
      errors: ['line 3: unterminated quoted field'],
      duplicates: [],
      toolStates: [],
    });
  });

  it('gives a header with no rows an empty, error-free result', () => {
    expect(parseBacklinkImport(utf8(`${HEADER}\n`), opts())).toEqual({
      format: 'promowatch',
      rows: [],
      errors: [],
      duplicates: [],
      toolStates: [],
    });
  });
});

describe('parseBacklinkImport() on Ahrefs exports', () => {
  it('reads the UTF-16LE tab-separated export, one link per referring page and target', () => {
    const bytes = fixture('ahrefs-backlinks-utf16le.tsv');
    expect([bytes[0], bytes[1]]).toEqual([0xff, 0xfe]);
    const r = parseBacklinkImport(bytes, opts());
    expect(r.format).toBe('ahrefs');
    expect(r.errors).toEqual([]);
    expect(
      r.rows.map(({ line, input: i }) => [
        line,
        i.donorUrl,
        i.target,
        i.targetKind,
        i.expectedAnchor,
        i.kind,
      ]),
    ).toEqual([
      [
        2,
        'https://remont-blog.example/kak-vybrat-studiyu/',
        'https://studio.example/',
        'url',
        'дизайн-студию «Пример»',
        'other',
      ],
      [
        4,
        'https://news.city.example/2026/03/otkrytie?utm_source=rss',
        'https://studio.example/portfolio/',
        'url',
        'портфолио',
        'other',
      ],
      [5, 'https://catalog.example/firms/1234', 'https://studio.example/', 'url', null, 'other'],
      [
        6,
        'https://www.forum.example/thread/55',
        'https://studio.example/uslugi/remont',
        'url',
        'ремонт под ключ',
        'other',
      ],
      [
        7,
        'https://old-blog.example/podborka-studij',
        'https://studio.example/',
        'url',
        'дизайн интерьера',
        'other',
      ],
      [
        8,
        'https://partner-shop.example/partners',
        'https://studio.example/',
        'url',
        'Студия «Пример»',
        'other',
      ],
    ]);
    expect(r.duplicates).toEqual([
      {
        line: 3,
        donorUrl: 'https://remont-blog.example/kak-vybrat-studiyu/',
        target: 'https://studio.example/',
        reason: 'repeated in the file (first on line 2)',
      },
    ]);
  });

  it("keeps each link's Ahrefs flags and lost state with its date and reason, the best of repeats", () => {
    const r = parseBacklinkImport(fixture('ahrefs-backlinks-utf16le.tsv'), opts());
    const state = (o: Partial<ToolState>): ToolState => ({ ...CLEAN, tool: 'ahrefs', ...o });
    expect(r.toolStates).toEqual([
      {
        line: 2,
        donorUrl: 'https://remont-blog.example/kak-vybrat-studiyu/',
        target: 'https://studio.example/',
        // Line 3 is the same page and target again, nofollow and sponsored: the clean link on line 2 counts.
        state: state({ firstSeen: '2026-01-18', lastSeen: '2026-05-21' }),
      },
      {
        line: 4,
        donorUrl: 'https://news.city.example/2026/03/otkrytie?utm_source=rss',
        target: 'https://studio.example/portfolio/',
        state: state({ nofollow: true, firstSeen: '2026-03-02', lastSeen: '2026-05-19' }),
      },
      {
        line: 5,
        donorUrl: 'https://catalog.example/firms/1234',
        target: 'https://studio.example/',
        state: state({ firstSeen: '2025-11-30', lastSeen: '2026-05-20' }),
      },
      {
        line: 6,
        donorUrl: 'https://www.forum.example/thread/55',
        target: 'https://studio.example/uslugi/remont',
        state: state({ ugc: true, firstSeen: '2026-04-10', lastSeen: '2026-05-22' }),
      },
      {
        line: 7,
        donorUrl: 'https://old-blog.example/podborka-studij',
        target: 'https://studio.example/',
        state: state({
          lost: true,
          lostOn: '2025-11-03',
          lostReason: 'Link removed',
          firstSeen: '2025-03-14',
          lastSeen: '2025-10-28',
        }),
      },
      {
        line: 8,
        donorUrl: 'https://partner-shop.example/partners',
        target: 'https://studio.example/',
        state: state({
          sponsored: true,
          lost: true,
          lostOn: '2026-02-10',
          lostReason: 'Page dropped: Not found (404)',
          firstSeen: '2025-08-01',
          lastSeen: '2026-01-30',
        }),
      },
    ]);
  });

  it('leaves flags unknown when the export has no such columns', () => {
    const text = 'Referring page URL,Target URL,Anchor\nhttps://a.example/,https://studio.example/,Студия\n';
    expect(parseBacklinkImport(utf8(text), opts()).toolStates).toEqual([
      {
        line: 2,
        donorUrl: 'https://a.example/',
        target: 'https://studio.example/',
        state: {
          tool: 'ahrefs',
          nofollow: null,
          sponsored: null,
          ugc: null,
          lost: false,
          lostOn: null,
          lostReason: null,
          firstSeen: null,
          lastSeen: null,
        },
      },
    ]);
  });

  it('finds the header below title lines and names Ahrefs columns in errors', () => {
    const text =
      'Backlinks: studio.example\n' +
      'Exported 2026-05-25, mode: exact URL\n' +
      '\n' +
      'Referring page title,Referring page URL,Target URL,Anchor\n' +
      'Main,https://a.example/,https://studio.example/,Студия\n' +
      'Broken,a.example/nope,studio.example/x,\n';
    const r = parseBacklinkImport(utf8(text), opts());
    expect(r.format).toBe('ahrefs');
    expect(r.rows.map((row) => row.line)).toEqual([5]);
    expect(r.errors).toEqual([
      'line 6: Referring page URL "a.example/nope" is not an absolute http(s) URL',
      'line 6: Target URL "studio.example/x" is neither an http(s) URL nor a bare domain like studio.example',
    ]);
  });
});

describe('parseBacklinkImport() on Semrush exports', () => {
  it('reads source, target and anchor', () => {
    const existing = new Set([
      backlinkKey('https://partners.example/contacts', 'http://studio.example/contacts'),
    ]);
    const r = parseBacklinkImport(fixture('semrush-backlinks.csv'), opts({ existing }));
    expect(r.format).toBe('semrush');
    expect(r.errors).toEqual([]);
    expect(r.rows).toEqual([
      {
        line: 2,
        input: {
          ...BLANK,
          donorUrl: 'https://top-interior.example/rating/',
          target: 'https://studio.example/',
          targetKind: 'url',
          expectedAnchor: 'Студия «Пример»',
          kind: 'other',
        },
      },
      {
        line: 4,
        input: {
          ...BLANK,
          donorUrl: 'https://review.example/obzor-studij',
          target: 'https://studio.example/',
          targetKind: 'url',
          kind: 'other',
        },
      },
      {
        line: 5,
        input: {
          ...BLANK,
          donorUrl: 'https://old-catalog.example/podryadchiki',
          target: 'https://studio.example/',
          targetKind: 'url',
          expectedAnchor: 'Пример',
          kind: 'other',
        },
      },
      {
        line: 6,
        input: {
          ...BLANK,
          donorUrl: 'https://forum.example/t/77',
          target: 'https://studio.example/uslugi',
          targetKind: 'url',
          expectedAnchor: 'ремонт под ключ',
          kind: 'other',
        },
      },
    ]);
    expect(r.duplicates).toEqual([
      {
        line: 3,
        donorUrl: 'https://partners.example/contacts',
        target: 'http://studio.example/contacts',
        reason: 'already in the inventory',
      },
    ]);
  });

  it("keeps Semrush's Nofollow, Sponsored, Ugc and Lost link with the dates, for known links too", () => {
    const existing = new Set([
      backlinkKey('https://partners.example/contacts', 'http://studio.example/contacts'),
    ]);
    const r = parseBacklinkImport(fixture('semrush-backlinks.csv'), opts({ existing }));
    const state = (o: Partial<ToolState>): ToolState => ({ ...CLEAN, tool: 'semrush', ...o });
    expect(r.toolStates.map((t) => [t.line, t.donorUrl, t.state])).toEqual([
      [2, 'https://top-interior.example/rating/', state({ firstSeen: '2026-01-14', lastSeen: '2026-05-20' })],
      [
        3,
        'https://partners.example/contacts',
        state({ nofollow: true, firstSeen: '2025-12-02', lastSeen: '2026-05-18' }),
      ],
      [
        4,
        'https://review.example/obzor-studij',
        state({ sponsored: true, firstSeen: '2026-02-27', lastSeen: '2026-05-21' }),
      ],
      // Semrush says a link is lost but not when: its last-seen date is the nearest there is.
      [
        5,
        'https://old-catalog.example/podryadchiki',
        state({ lost: true, firstSeen: '2025-06-11', lastSeen: '2026-03-02' }),
      ],
      [
        6,
        'https://forum.example/t/77',
        state({ nofollow: true, ugc: true, firstSeen: '2026-04-01', lastSeen: '2026-05-19' }),
      ],
    ]);
  });

  it('refuses flags and dates it cannot read, naming the line and the column', () => {
    const header =
      'Page ascore,Source title,Source url,Target url,Anchor,External links,Internal links,Nofollow,Sponsored,Ugc,Text,Frame,Form,Image,Sitewide,First seen,Last seen,New link,Lost link';
    const text =
      `${header}\n` +
      '1,A,https://a.example/,https://studio.example/,a,1,1,yes,false,false,true,false,false,false,false,2026-01-14,2026-05-20,false,false\n' +
      '2,B,https://b.example/,https://studio.example/,b,1,1,FALSE,False,false,true,false,false,false,false,2026/01/14,2026-02-30,false,maybe\n';
    const r = parseBacklinkImport(utf8(text), opts());
    expect(r.errors).toEqual([
      'line 2: Nofollow "yes" is not true or false',
      'line 3: First seen "2026/01/14" is not a date: write YYYY-MM-DD or DD.MM.YYYY',
      'line 3: Last seen "2026-02-30" is not a real calendar date',
      'line 3: Lost link "maybe" is not true or false',
    ]);
  });
});

describe('parseBacklinkImport() on Sape exports', () => {
  it('joins site and page, reads decimal commas and spaced thousands, and bills monthly in roubles', () => {
    const r = parseBacklinkImport(fixture('sape-links.csv'), opts({ defaultTarget: 'studio.example' }));
    expect(r.format).toBe('sape');
    expect(r.errors).toEqual([]);
    const sape = {
      ...BLANK,
      target: 'studio.example',
      kind: 'bought',
      vendor: 'Sape',
      currency: 'RUB',
      billing: 'monthly',
    };
    expect(r.rows).toEqual([
      {
        line: 2,
        input: {
          ...sape,
          donorUrl: 'http://stroy-forum.example/topic/123.html',
          priceMicros: 1_250_500_000,
          boughtOn: '2026-01-15',
          notes: 'Размещена в подписи, модератор разрешил',
        },
      },
      {
        line: 3,
        input: {
          ...sape,
          donorUrl: 'http://stroy-news.example/novosti/remont-2026/',
          priceMicros: 850_000_000,
          boughtOn: '2026-02-01',
        },
      },
      {
        line: 4,
        input: {
          ...sape,
          donorUrl: 'https://dacha.example/blog/post-7?page=2',
          priceMicros: 2_400_000_000,
          boughtOn: '2026-02-20',
          notes: 'Проверить индексацию; ссылка в сайдбаре',
        },
      },
    ]);
  });

  it('prices in the default currency when one is given', () => {
    const r = parseBacklinkImport(
      fixture('sape-links.csv'),
      opts({ defaultTarget: 'studio.example', defaultCurrency: 'usd' }),
    );
    expect(r.rows.map((row) => row.input.currency)).toEqual(['USD', 'USD', 'USD']);
  });

  it('refuses the file with one error when no target is given', () => {
    expect(parseBacklinkImport(fixture('sape-links.csv'), opts())).toEqual({
      format: 'sape',
      rows: [],
      errors: ['line 1: a Sape export does not say which site its links point to: choose the target site'],
      duplicates: [],
      toolStates: [],
    });
  });

  it('names Sape columns in errors', () => {
    const r = parseBacklinkImport(
      utf8('site_url;page_uri;price;date\n;/p;1,5;31.02.2026\n'),
      opts({ defaultTarget: 'studio.example' }),
    );
    expect(r.errors).toEqual([
      'line 2: site_url + page_uri "/p" is not an absolute http(s) URL',
      'line 2: date "31.02.2026" is not a real calendar date',
    ]);
  });
});

describe('parseBacklinkImport() on other files', () => {
  it('refuses a file of an unknown format with one error naming the columns it looks for', () => {
    const r = parseBacklinkImport(fixture('gsc-top-linking-sites.csv'), opts());
    expect(r.rows).toEqual([]);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toBe(
      'line 1: not a backlink file this importer knows: expected a header row within the first 5 lines with ' +
        `donor_url (ours: ${HEADER}), or "Referring page URL" and "Target URL" (Ahrefs), ` +
        'or "Source url" and "Target url" (Semrush), or site_url and page_uri (Sape); ' +
        'found "Site", "Linking pages", "Target pages"',
    );
  });

  it('looks for the header only in the first 5 lines', () => {
    const text = 'title\n\n\n\n\ndonor_url,target\nhttps://a.example/,b.example\n';
    expect(parseBacklinkImport(utf8(text), opts()).errors[0]).toMatch(/^line 1: not a backlink file/);
  });

  it('refuses an empty file and one in a legacy encoding', () => {
    expect(parseBacklinkImport(new Uint8Array(), opts()).errors[0]).toMatch(/found nothing$/);
    const cp1251 = Uint8Array.from([...utf8('donor_url,notes\nhttps://a.example/,'), 0xcf, 0xf0, 0xe8, 0x0a]);
    expect(parseBacklinkImport(cp1251, opts()).errors).toEqual(['file is not valid UTF-8 or UTF-16']);
  });
});
