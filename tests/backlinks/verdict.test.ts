import { describe, expect, it } from 'vitest';
import type { FoundLink } from '../../src/backlinks/types.ts';
import { judge, samePage, type CheckFacts } from '../../src/backlinks/verdict.ts';

const link = (o: Partial<FoundLink> = {}, ctx: Partial<FoundLink['context']> = {}): FoundLink => ({
  href: 'https://studio.example/',
  match: 'exact',
  anchor: 'motion design',
  image: false,
  rel: [],
  snippet: '<a href="https://studio.example/">motion design</a>',
  ...o,
  context: {
    inNoindexTag: false,
    inNoindexComment: false,
    inComment: false,
    inScript: false,
    inIframe: false,
    inForm: false,
    outsideBody: false,
    ...ctx,
  },
});

const facts = (o: Partial<CheckFacts> = {}): CheckFacts => ({
  mode: 'static',
  donorUrl: 'https://donor.example/post/',
  http: { status: 200, finalUrl: 'https://donor.example/post/', error: null },
  botWall: null,
  robotsAllows: { google: true, yandex: true },
  noindex: { google: false, yandex: false },
  pageNofollow: { google: false, yandex: false },
  canonicalElsewhere: null,
  link: link(),
  hidden: null,
  onlyAfterJs: false,
  jsRedirectTo: null,
  bodyCut: null,
  ...o,
});

describe('judge()', () => {
  it('calls a plain followed link on an indexable page live for both engines', () => {
    expect(judge(facts())).toEqual({
      outcome: 'live',
      reasons: [],
      why: [],
      google: { passes: true, reasons: [], why: [] },
      yandex: { passes: true, reasons: [], why: [] },
    });
  });

  it('devalues nofollow, sponsored and ugc links for both engines', () => {
    for (const rel of ['nofollow', 'sponsored', 'ugc']) {
      const v = judge(facts({ link: link({ rel: [rel] }) }));
      expect(v).toMatchObject({ outcome: 'devalued', google: { passes: false }, yandex: { passes: false } });
      expect(v.reasons).toEqual([`rel="${rel}"`]);
    }
  });

  it('devalues a link inside <noindex> for Yandex only', () => {
    const v = judge(facts({ link: link({}, { inNoindexTag: true }) }));
    expect(v.google.passes).toBe(true);
    expect(v.yandex).toEqual({
      passes: false,
      reasons: ['inside <noindex>: Yandex ignores it'],
      why: [{ code: 'in-noindex', marker: 'tag' }],
    });
  });

  it('treats robots.txt per engine', () => {
    const v = judge(facts({ robotsAllows: { google: true, yandex: false } }));
    expect(v).toMatchObject({
      outcome: 'devalued',
      google: { passes: true },
      yandex: { passes: false, reasons: ['robots.txt blocks Yandex'] },
    });
  });

  it('calls a page noindex for both engines, or canonicalised away, lost-type', () => {
    expect(judge(facts({ noindex: { google: true, yandex: true } })).outcome).toBe('gone');
    expect(judge(facts({ canonicalElsewhere: 'https://donor.example/other/' })).reasons).toEqual([
      'canonicalised away to https://donor.example/other/',
    ]);
    expect(judge(facts({ noindex: { google: false, yandex: true } })).outcome).toBe('devalued');
  });

  it('never calls a timeout, a 5xx, a 403/429 or a bot wall anything but inconclusive', () => {
    expect(
      judge(
        facts({
          http: {
            status: null,
            finalUrl: null,
            error: 'Fetching x failed: no complete answer within 20000 ms',
          },
        }),
      ).outcome,
    ).toBe('inconclusive');
    for (const status of [500, 503, 403, 429])
      expect(judge(facts({ http: { status, finalUrl: null, error: null } })).outcome).toBe('inconclusive');
    expect(judge(facts({ botWall: 'captcha', link: null })).outcome).toBe('inconclusive');
  });

  it('tells a page gone, a link removed and a redirect elsewhere apart', () => {
    expect(judge(facts({ http: { status: 410, finalUrl: null, error: null } })).reasons).toEqual([
      'page gone (410)',
    ]);
    expect(judge(facts({ link: null })).reasons).toEqual(['link removed']);
    expect(judge(facts({ link: link({}, { inComment: true }) })).outcome).toBe('missing');
    expect(
      judge(facts({ http: { status: 200, finalUrl: 'https://donor.example/', error: null } })).reasons,
    ).toEqual(['redirected elsewhere: https://donor.example/']);
  });

  it('does not count a move to https, www or a trailing slash as a redirect elsewhere', () => {
    expect(samePage('http://donor.example/post', 'https://www.donor.example/post/')).toBe(true);
    expect(samePage('http://donor.example/post', 'https://donor.example/other')).toBe(false);
    expect(
      judge(
        facts({
          donorUrl: 'http://donor.example/post',
          http: { status: 200, finalUrl: 'https://www.donor.example/post/', error: null },
        }),
      ).outcome,
    ).toBe('live');
  });

  it('devalues hidden links and, for Yandex, links that exist only after JavaScript', () => {
    expect(judge(facts({ mode: 'rendered', hidden: { how: 'opacity:0', onParent: false } })).reasons).toEqual(
      ['hidden: opacity:0'],
    );
    const js = judge(facts({ mode: 'rendered', onlyAfterJs: true }));
    expect(js).toMatchObject({ outcome: 'devalued', google: { passes: true }, yandex: { passes: false } });
    expect(judge(facts({ mode: 'rendered', jsRedirectTo: 'https://elsewhere.example/' })).outcome).toBe(
      'gone',
    );
  });

  it('calls a link not found in a body cut at the size cap inconclusive, naming the cap', () => {
    const download = { limitBytes: 5 * 1024 * 1024, stage: 'download' as const };
    const reason = 'page larger than 5 MB; link not found in the first 5 MB';
    const why = [{ code: 'body-cut', megabytes: 5, decompressed: false }];
    expect(judge(facts({ link: null, bodyCut: download }))).toEqual({
      outcome: 'inconclusive',
      reasons: [reason],
      why,
      google: { passes: false, reasons: [reason], why },
      yandex: { passes: false, reasons: [reason], why },
    });
    expect(judge(facts({ link: link({}, { inComment: true }), bodyCut: download })).outcome).toBe(
      'inconclusive',
    );
    expect(
      judge(
        facts({
          link: link({}, { inScript: true }),
          bodyCut: { limitBytes: 2.5 * 1024 * 1024, stage: 'decompression' },
        }),
      ).reasons,
    ).toEqual(['page larger than 2.5 MB once decompressed; link not found in the first 2.5 MB']);
  });

  it('judges a link found before the cut, and a page gone before it, as usual', () => {
    const bodyCut = { limitBytes: 5 * 1024 * 1024, stage: 'download' as const };
    expect(judge(facts({ bodyCut })).outcome).toBe('live');
    expect(judge(facts({ link: link({ rel: ['ugc'] }), bodyCut })).outcome).toBe('devalued');
    expect(judge(facts({ link: null, bodyCut, noindex: { google: true, yandex: true } })).outcome).toBe(
      'gone',
    );
  });
});
