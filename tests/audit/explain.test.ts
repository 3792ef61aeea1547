// The audit's words: every rule has them in every language, and the crawl's English notes about a URL
// (issue details, skip reasons, robots.txt) are said again in the reader's language.
import { describe, expect, it } from 'vitest';
import {
  issueDetails,
  knownDetails,
  redirectHops,
  robotsReason,
  ruleFamily,
  ruleText,
  skipReason,
} from '../../src/audit/explain.ts';
import { FAMILIES, RULES } from '../../src/audit/rules/index.ts';
import { LANGS, messages } from '../../src/i18n/index.ts';

const en = messages('en').audit;
const ru = messages('ru').audit;
/** Intl puts no-break spaces in numbers and units; compare with plain ones. */
const plain = (s: string) => s.replace(/[\u00a0\u2009\u202f]/g, ' ');

describe('the audit rules in the catalogue', () => {
  const ids = FAMILIES.flatMap((f) => f.rules.map((r) => r.id as string));

  it.each(ids)('%s has a name, a meaning and a fix in every language', (id) => {
    for (const lang of LANGS) {
      const words = (messages(lang).audit.rules as Record<string, Record<string, string>>)[id];
      expect(words, `${lang} ${id}`).toBeDefined();
      for (const part of ['name', 'meaning', 'fix'])
        expect(words![part]?.trim().length, `${lang} ${id}.${part}`).toBeGreaterThan(1);
    }
    expect(ruleText(id, ru).name).not.toBe(ruleText(id, en).name);
    expect(ruleText(id, ru).fix).not.toBe(ruleText(id, en).fix);
    // The English name is the rule's title, which the CLI and English-only readers print.
    expect(RULES.get(id)!.title).toBe(ruleText(id, en).name);
  });

  it('has words for no rule the registry lacks, and names every family', () => {
    expect(Object.keys(en.rules).sort()).toEqual([...ids].sort());
    expect(new Set(ids).size).toBe(ids.length);
    for (const f of FAMILIES) {
      expect(en.families[f.id]).toBeTruthy();
      expect(ru.families[f.id]).toBeTruthy();
    }
    expect(ruleFamily('status-4xx', ru)).toBe('Ответы сервера');
    expect(ruleFamily('no-such-rule', ru)).toBe('');
  });

  it('names a rule id it does not know (an old crawl) by its id', () => {
    expect(ruleText('retired-rule', ru)).toEqual({ name: 'retired-rule', meaning: '', fix: '' });
    expect(ruleText('toString', ru).name).toBe('toString');
  });
});

/** [as the rules store it, in English, in Russian] */
const DETAILS: [string, string, string][] = [
  [
    'answered 404; linked from 3 page(s), e.g. https://s.example/a',
    'answered 404; linked from 3 pages, e.g. https://s.example/a',
    'ответ 404; на URL ссылаются 3 страницы, например https://s.example/a',
  ],
  [
    'answered 500; linked from 21 page(s), e.g. https://s.example/',
    'answered 500; linked from 21 pages, e.g. https://s.example/',
    'ответ 500; на URL ссылается 21 страница, например https://s.example/',
  ],
  [
    'no answer; not linked from any crawled page',
    'no answer; not linked from any crawled page',
    'ответа нет; ни одна из обойдённых страниц сюда не ссылается',
  ],
  [
    'no complete answer within 15000 ms; linked from 1 page(s), e.g. https://s.example/',
    'no complete answer within 15 sec; linked from 1 page, e.g. https://s.example/',
    'полного ответа не было за 15 с; на URL ссылается 1 страница, например https://s.example/',
  ],
  [
    'connect ECONNREFUSED 10.0.0.1:443; not linked from any crawled page',
    'connect ECONNREFUSED 10.0.0.1:443; not linked from any crawled page',
    'connect ECONNREFUSED 10.0.0.1:443; ни одна из обойдённых страниц сюда не ссылается',
  ],
  [
    'linked from 5 page(s), e.g. https://s.example/b',
    'linked from 5 pages, e.g. https://s.example/b',
    'на URL ссылаются 5 страниц, например https://s.example/b',
  ],
  ['answered 410', 'answered 410', 'ответ 410'],
  ['https://s.example/c answered 404', 'https://s.example/c answered 404', 'https://s.example/c — ответ 404'],
  [
    'https://s.example/c redirects to https://s.example/d',
    'https://s.example/c redirects to https://s.example/d',
    'https://s.example/c перенаправляет на https://s.example/d',
  ],
  [
    'https://s.example/c is noindex',
    'https://s.example/c is noindex',
    'https://s.example/c закрыт от индексации (noindex)',
  ],
  [
    'redirects to https://s.example/',
    'redirects to https://s.example/',
    'перенаправляет на https://s.example/',
  ],
  ['listed in the sitemap', 'listed in the sitemap', 'есть в карте сайта'],
  ['in the sitemap, no inlinks', 'in the sitemap, no inlinks', 'есть в карте сайта, входящих ссылок нет'],
  ['7 clicks from the start page', '7 clicks from the start page', '7 кликов от стартовой страницы'],
  ['1 words', '1 word', '1 слово'],
  ['42 words', '42 words', '42 слова'],
  [
    'same text as 2 other page(s), e.g. https://s.example/e',
    'same text as 2 other pages, e.g. https://s.example/e',
    'тот же текст ещё на 2 страницах, например https://s.example/e',
  ],
  [
    '3 of 64 bits from https://s.example/f',
    '3 of 64 bits from https://s.example/f',
    'отличается от https://s.example/f на 3 бита из 64',
  ],
  [
    'de → https://s.example/de/ does not link back',
    'de → https://s.example/de/ does not link back',
    'de → https://s.example/de/: обратной ссылки нет',
  ],
  [
    'de → https://s.example/de/ answered 404',
    'de → https://s.example/de/ answered 404',
    'de → https://s.example/de/: ответ 404',
  ],
  [
    'de → https://s.example/de/ answered blocked',
    'de → https://s.example/de/ is blocked by robots.txt',
    'de → https://s.example/de/: закрыт в robots.txt',
  ],
  [
    'loops back through https://s.example/g',
    'loops back through https://s.example/g',
    'цепочка возвращается через https://s.example/g',
  ],
  [
    'chain longer than 10 hops; stopped following at https://s.example/r/10',
    'chain longer than 10 hops; stopped following at https://s.example/r/10',
    'цепочка длиннее 10 переходов; проверка остановлена на https://s.example/r/10',
  ],
  ['2 hops to https://s.example/', '2 hops to https://s.example/', '2 перехода до https://s.example/'],
  ['refreshes to /new', 'refreshes to /new', 'meta refresh на /new'],
  [
    '3 link(s) to redirecting URLs, e.g. https://s.example/old → https://s.example/',
    '3 links to redirecting URLs, e.g. https://s.example/old → https://s.example/',
    'ссылок на URL с редиректом: 3, например https://s.example/old → https://s.example/',
  ],
  ['2 image(s), e.g. /a.png', '2 images, e.g. /a.png', 'изображений: 2, например /a.png'],
  [
    '1 resource(s), e.g. http://cdn.example/a.png',
    '1 resource, e.g. http://cdn.example/a.png',
    'ресурсов по http: 1, например http://cdn.example/a.png',
  ],
  [
    '4 link(s), e.g. http://partner.example/',
    '4 links, e.g. http://partner.example/',
    'ссылок на http: 4, например http://partner.example/',
  ],
  ['200 KB', '200 KB', '200 КБ'],
  ['title/H1: "Page not found"', 'title/H1: "Page not found"', 'title/H1: «Page not found»'],
  ['1234 ms to first byte', '1.2 sec to first byte', '1,2 с до первого байта'],
  ['2.5 MB of HTML', '2.5 MB of HTML', '2,5 МБ HTML'],
  [
    'more than 30,000 tags: only the part before them was read',
    'more than 30,000 tags: only the part before them was read',
    'больше 30 000 тегов: прочитана только часть до них',
  ],
  [
    'body cut at 5242880 bytes (max-bytes)',
    'body cut at 5,242,880 bytes (cut at crawl.maxBytes)',
    'страница обрезана на 5 242 880 байтах (обрезана по crawl.maxBytes)',
  ],
  [
    'unknown charset "x-mac-klingon" in Content-Type',
    'unknown charset "x-mac-klingon" in Content-Type',
    'неизвестная кодировка «x-mac-klingon» в Content-Type',
  ],
  [
    'unknown charset "x-mac-klingon" in <meta>',
    'unknown charset "x-mac-klingon" in <meta>',
    'неизвестная кодировка «x-mac-klingon» в <meta>',
  ],
  [
    'bytes are not valid utf-8 as declared',
    'bytes are not valid UTF-8 as declared',
    'байты не являются корректным UTF-8, хотя он указан',
  ],
  [
    'bytes are not valid utf-8 (no charset was declared)',
    'bytes are not valid UTF-8 (no charset was declared)',
    'байты не являются корректным UTF-8 (кодировка не указана)',
  ],
  [
    'body looks binary (NUL bytes) although served as HTML',
    'body looks binary (NUL bytes) although served as HTML',
    'содержимое похоже на двоичное (байты NUL), хотя отдано как HTML',
  ],
  ['rendering failed: Timeout', 'rendering failed: Timeout', 'не удалось отрисовать страницу: Timeout'],
  ['5 characters: "Short"', '5 characters: "Short"', '5 символов: «Short»'],
  ['171 characters', '171 characters', '171 символ'],
  ['2 <title> elements', '2 <title> elements', 'элементов <title>: 2'],
  ['2 descriptions', '2 descriptions', 'тегов description: 2'],
  ['3 H1s', '3 H1s', 'заголовков H1: 3'],
  [
    'shared by 2 pages: "The same title"',
    'shared by 2 pages: "The same title"',
    'повторяется на 2 страницах: «The same title»',
  ],
];

describe('issueDetails()', () => {
  it.each(DETAILS)('says "%s" in English and in Russian', (stored, english, russian) => {
    expect(knownDetails(stored)).toBe(true);
    expect(plain(issueDetails(stored, en))).toBe(english);
    expect(plain(issueDetails(stored, ru))).toBe(russian);
  });

  it('shows data and notes of no known shape as they are', () => {
    for (const data of ['noindex, nofollow', 'en, de', '→ https://s.example/', '/a | /b', 'something new'])
      expect(issueDetails(data, ru)).toBe(data);
    expect(knownDetails('something new')).toBe(false);
    expect(issueDetails(null, ru)).toBe('');
  });
});

describe('skip reasons, robots.txt and redirect hops in words', () => {
  it.each([
    ['over crawl.maxPages (10000)', 'сверх лимита crawl.maxPages (10 000)'],
    ['the crawl was stopped before reaching it', 'обход остановили раньше, чем он дошёл до этого URL'],
    ['blocked by robots.txt', 'закрыт в robots.txt'],
    [
      'external links are not checked (crawl.checkExternal)',
      'внешние ссылки не проверяются (crawl.checkExternal)',
    ],
    ['resources are not checked', 'ресурсы не проверяются'],
    ['not matched by crawl.include', 'не подходит под crawl.include'],
    ['matched by crawl.exclude', 'исключён правилом crawl.exclude'],
    ['deeper than crawl.maxDepth (20)', 'глубже crawl.maxDepth (20)'],
    ['trap guard: path segment "a" repeats 3 times', 'защита от ловушек: часть пути «a» повторяется 3 раза'],
    [
      'trap guard: more than 50 query-string variants of /search',
      'защита от ловушек: у /search больше 50 вариантов параметров',
    ],
    ['redirect chain longer than 10 hops', 'цепочка редиректов длиннее 10 переходов'],
  ])('skipReason("%s")', (stored, russian) => {
    expect(plain(skipReason(stored, ru))).toBe(russian);
    expect(skipReason(stored, en)).toBe(stored.replace('10000', '10,000'));
  });

  it('says how robots.txt was read', () => {
    expect(robotsReason('parsed', ru)).toBe('прочитан, правила соблюдаются');
    expect(robotsReason('robots.txt answered 503: everything disallowed', ru)).toBe(
      'robots.txt ответил 503: обход запрещён целиком',
    );
    expect(robotsReason('robots.txt answered 404: everything allowed', en)).toBe(
      'robots.txt answered 404: everything allowed',
    );
    expect(robotsReason('robots.txt unreachable: everything disallowed', ru)).toBe(
      'robots.txt недоступен: обход запрещён целиком',
    );
    expect(robotsReason(null, ru)).toBe('—');
  });

  it('says a loop and a chain never followed to its end', () => {
    expect(redirectHops(-1, ru)).toBe('цикл');
    expect(redirectHops(11, ru)).toBe('больше 10');
    expect(redirectHops(2, ru)).toBe('2');
  });
});
