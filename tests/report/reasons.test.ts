// Link reasons as the report shows them: every wording the backlink checks store is said again in
// Russian, the English is given back unchanged, and a reason nobody knows is shown as stored.
import { describe, expect, it } from 'vitest';
import type { FoundLink } from '../../src/backlinks/types.ts';
import { judge, type CheckFacts } from '../../src/backlinks/verdict.ts';
import { formatter, messages } from '../../src/i18n/index.ts';
import { reasonText } from '../../src/report/reasons.ts';

const link = (o: Partial<FoundLink> = {}, ctx: Partial<FoundLink['context']> = {}): FoundLink => ({
  href: 'https://studio.example/',
  match: 'exact',
  anchor: 'моушн дизайн',
  image: false,
  rel: [],
  snippet: '<a href="https://studio.example/">моушн дизайн</a>',
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
  bodyCut: null,
  jsRedirectTo: null,
  ...o,
});

/** Checks that between them give every reason judge() can: the wordings the report must know. */
const CASES: CheckFacts[] = [
  facts({ http: { status: null, finalUrl: null, error: null } }),
  facts({ botWall: 'Cloudflare challenge' }),
  facts({ http: { status: 429, finalUrl: null, error: null } }),
  facts({ http: { status: 503, finalUrl: null, error: null } }),
  facts({ http: { status: 404, finalUrl: null, error: null } }),
  facts({ http: { status: 451, finalUrl: null, error: null } }),
  facts({ http: { status: 200, finalUrl: 'https://elsewhere.example/', error: null } }),
  facts({ jsRedirectTo: 'https://elsewhere.example/' }),
  facts({ noindex: { google: true, yandex: true } }),
  facts({ canonicalElsewhere: 'https://donor.example/other/' }),
  facts({ link: link({}, { inComment: true }) }),
  facts({ link: null }),
  facts({ link: link({}, { inScript: true }) }),
  facts({
    link: link({ rel: ['nofollow'] }, { inNoindexTag: true, outsideBody: true, inForm: true }),
    hidden: 'display:none',
    robotsAllows: { google: false, yandex: false },
    noindex: { google: true, yandex: false },
    pageNofollow: { google: true, yandex: true },
    onlyAfterJs: true,
  }),
  facts({ link: link({}, { inNoindexComment: true }), noindex: { google: false, yandex: true } }),
];

const RU = messages('ru').report.reasons;
const EN = messages('en').report.reasons;
const ruDay = formatter('ru').day;
const enDay = formatter('en').day;
/** Reasons that read the same in both languages: attribute values and directives as written in HTML. */
const SAME = /^(rel="[a-z]+"|meta robots nofollow)$/;

describe('reasonText()', () => {
  const stored = [...new Set(CASES.flatMap((f) => judge(f).reasons))];

  it('says every reason the checks store in Russian', () => {
    expect(stored.length).toBeGreaterThan(20);
    for (const r of stored) if (!SAME.test(r)) expect(reasonText(RU, r, ruDay), r).not.toBe(r);
    expect(reasonText(RU, 'link removed', ruDay)).toBe('ссылка снята');
    expect(reasonText(RU, 'answered 429 (blocked or rate-limited, not proof of removal)', ruDay)).toBe(
      'ответ 429 (доступ заблокирован или ограничен; это не доказательство, что ссылку сняли)',
    );
    expect(reasonText(RU, 'inside <!--noindex-->: Yandex ignores it', ruDay)).toBe(
      'в noindex (<!--noindex-->): Яндекс её не учитывает',
    );
    expect(reasonText(RU, 'redirected elsewhere: https://x.example/ (by JavaScript)', ruDay)).toBe(
      'редирект на другую страницу: https://x.example/ (через JavaScript)',
    );
  });

  it('gives the English back as stored', () => {
    for (const r of stored) expect(reasonText(EN, r, enDay)).toBe(r);
  });

  it('knows the cloaking suspicions and the note of a reused rendered check', () => {
    expect(
      reasonText(
        RU,
        'possible cloaking: Googlebot gets HTTP 403, a browser 200 (not proof: some sites block fake Googlebots)',
        ruDay,
      ),
    ).toMatch(/^возможен клоакинг: Googlebot получает HTTP 403, браузер — 200/);
    expect(
      reasonText(
        RU,
        'possible cloaking: the link is shown to browsers only (not proof: some sites block fake Googlebots)',
        ruDay,
      ),
    ).toMatch(/^возможен клоакинг: ссылку видят только браузеры/);
    expect(
      reasonText(
        RU,
        'hidden: display:none (seen by the rendered check of 2026-11-20; the page has not changed since)',
        ruDay,
      ),
    ).toBe(
      `ссылка скрыта: display:none (так её увидела проверка в браузере ${ruDay('2026-11-20')}; с тех пор страница не менялась)`,
    );
  });

  it('shows a reason it does not know as stored', () => {
    expect(reasonText(RU, 'getaddrinfo ENOTFOUND donor.example', ruDay)).toBe(
      'getaddrinfo ENOTFOUND donor.example',
    );
  });
});
