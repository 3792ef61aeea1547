// What the crawler and the audit rules note about one URL, in words: an issue's details ("answered 404;
// linked from 3 pages…"), why a URL was skipped, how robots.txt was read, a URL's state and a link's
// kind. The crawl stores these facts in English (the CLI, its JSON and alerts read them so);
// src/audit/explain.ts reads them back and says them with these messages.
import type { Catalog } from '../catalog.ts';
import { formatter } from '../format.ts';

const enF = formatter('en');
const ruF = formatter('ru');
const n = (x: number) => enF.number(x);
const en1 = (x: number, one: string, other: string) => enF.count(x, { one, other });
/** Russian count with its noun: 1 страница, 2 страницы, 5 страниц (fractions take the `few` form). */
const ru3 = (x: number, one: string, few: string, many: string) =>
  ruF.count(x, { one, few, many, other: few });
const ruPick = (x: number, one: string, few: string, many: string) =>
  ruF.plural(x, { one, few, many, other: few });

export const en = {
  details: {
    answered: (status: number) => `answered ${status}`,
    noAnswer: 'no answer',
    noAnswerWithin: (ms: number) => `no complete answer within ${enF.duration(ms)}`,
    linkedFrom: (pages: number, example: string) =>
      `linked from ${en1(pages, 'page', 'pages')}, e.g. ${example}`,
    notLinked: 'not linked from any crawled page',
    /** What the URL answered, then who links to it. */
    answeredAndLinks: (answer: string, links: string) => `${answer}; ${links}`,
    urlAnswered: (url: string, status: number) => `${url} answered ${status}`,
    urlFailed: (url: string, error: string) => `${url}: ${error}`,
    urlRedirects: (url: string, to: string) => `${url} redirects to ${to}`,
    urlNoindex: (url: string) => `${url} is noindex`,
    redirectsTo: (url: string) => `redirects to ${url}`,
    words: (count: number) => en1(count, 'word', 'words'),
    sameText: (others: number, example: string) =>
      `same text as ${en1(others, 'other page', 'other pages')}, e.g. ${example}`,
    nearBits: (bits: number, url: string) => `${n(bits)} of 64 bits from ${url}`,
    noReturn: (lang: string, url: string) => `${lang} → ${url} does not link back`,
    alternateAnswered: (lang: string, url: string, status: number) => `${lang} → ${url} answered ${status}`,
    alternateBlocked: (lang: string, url: string) => `${lang} → ${url} is blocked by robots.txt`,
    alternateFailed: (lang: string, url: string, error: string) => `${lang} → ${url}: ${error}`,
    listedInSitemap: 'listed in the sitemap',
    loopsThrough: (url: string) => `loops back through ${url}`,
    chainTooLong: (hops: number, url: string) =>
      `chain longer than ${en1(hops, 'hop', 'hops')}; stopped following at ${url}`,
    hopsTo: (hops: number, url: string) => `${en1(hops, 'hop', 'hops')} to ${url}`,
    refreshesTo: (url: string) => `refreshes to ${url}`,
    linksToRedirects: (links: number, from: string, to: string) =>
      `${en1(links, 'link', 'links')} to redirecting URLs, e.g. ${from} → ${to}`,
    imagesWithoutAlt: (images: number, example: string) =>
      `${en1(images, 'image', 'images')}, e.g. ${example}`,
    httpResources: (resources: number, example: string) =>
      `${en1(resources, 'resource', 'resources')}, e.g. ${example}`,
    httpLinks: (links: number, example: string) => `${en1(links, 'link', 'links')}, e.g. ${example}`,
    kilobytes: (kb: number) => `${n(kb)} KB`,
    heading: (text: string) => `title/H1: "${text}"`,
    ttfb: (ms: number) => `${enF.duration(ms)} to first byte`,
    htmlMegabytes: (mb: number) => `${enF.number(mb, 1)} MB of HTML`,
    tagsCut: 'more than 30,000 tags: only the part before them was read',
    bodyCut: (bytes: number, limit: string) => `body cut at ${n(bytes)} bytes (${limit})`,
    unknownCharsetHeader: (label: string) => `unknown charset "${label}" in Content-Type`,
    unknownCharsetMeta: (label: string) => `unknown charset "${label}" in <meta>`,
    notUtf8Undeclared: 'bytes are not valid UTF-8 (no charset was declared)',
    notUtf8Declared: 'bytes are not valid UTF-8 as declared',
    binary: 'body looks binary (NUL bytes) although served as HTML',
    renderingFailed: (error: string) => `rendering failed: ${error}`,
    characters: (count: number) => en1(count, 'character', 'characters'),
    charactersOf: (count: number, text: string) => `${en1(count, 'character', 'characters')}: "${text}"`,
    titleElements: (count: number) => `${n(count)} <title> elements`,
    descriptions: (count: number) => en1(count, 'description', 'descriptions'),
    h1s: (count: number) => `${n(count)} H1s`,
    sharedBy: (pages: number, text: string) => `shared by ${en1(pages, 'page', 'pages')}: "${text}"`,
    inSitemapNoInlinks: 'in the sitemap, no inlinks',
    clicksFromStart: (clicks: number) => `${en1(clicks, 'click', 'clicks')} from the start page`,
  },
  /** Why a URL was not fetched (crawl_urls.skip_reason). */
  skip: {
    externalNotChecked: 'external links are not checked (crawl.checkExternal)',
    blockedByRobots: 'blocked by robots.txt',
    resourcesNotChecked: 'resources are not checked',
    notIncluded: 'not matched by crawl.include',
    excluded: 'matched by crawl.exclude',
    tooDeep: (depth: number) => `deeper than crawl.maxDepth (${depth})`,
    repeatedSegment: (segment: string, times: number) =>
      `trap guard: path segment "${segment}" repeats ${n(times)} times`,
    queryVariants: (most: number, path: string) =>
      `trap guard: more than ${n(most)} query-string variants of ${path}`,
    redirectTooLong: (hops: number) => `redirect chain longer than ${en1(hops, 'hop', 'hops')}`,
    overMaxPages: (pages: number) => `over crawl.maxPages (${n(pages)})`,
    stopped: 'the crawl was stopped before reaching it',
  },
  /** How robots.txt was read (crawls.robots). */
  robots: {
    parsed: 'read and followed',
    unreachable: 'robots.txt unreachable: everything disallowed',
    allowAll: (status: number) => `robots.txt answered ${status}: everything allowed`,
    disallowAll: (status: number) => `robots.txt answered ${status}: everything disallowed`,
  },
  /** crawl_urls.state */
  states: {
    queued: 'queued',
    fetching: 'fetching',
    done: 'fetched',
    blocked: 'blocked by robots.txt',
    skipped: 'skipped',
  },
  /** crawl_urls.kind */
  urlKinds: { page: 'page', resource: 'resource', external: 'external link' },
  /** crawl_links.kind */
  linkKinds: {
    a: 'link',
    img: 'image',
    css: 'stylesheet',
    js: 'script',
    iframe: 'iframe',
    media: 'video or audio',
    other: 'other',
    redirect: 'redirect',
    canonical: 'canonical',
    hreflang: 'hreflang',
  },
  /** crawl_urls.redirect_type */
  redirectTypes: { http: 'HTTP redirect', refresh: 'Refresh header', 'meta-refresh': 'meta refresh' },
  /** crawl_urls.truncated */
  truncated: {
    'max-bytes': 'cut at crawl.maxBytes',
    'max-decoded-bytes': 'cut at the size limit after decompression',
  },
};

export const ru: Catalog<typeof en> = {
  details: {
    answered: (status: number) => `ответ ${status}`,
    noAnswer: 'ответа нет',
    noAnswerWithin: (ms: number) => `полного ответа не было за ${ruF.duration(ms)}`,
    linkedFrom: (pages: number, example: string) =>
      `на URL ${ruPick(pages, 'ссылается', 'ссылаются', 'ссылаются')} ${ru3(pages, 'страница', 'страницы', 'страниц')}, например ${example}`,
    notLinked: 'ни одна из обойдённых страниц сюда не ссылается',
    answeredAndLinks: (answer: string, links: string) => `${answer}; ${links}`,
    urlAnswered: (url: string, status: number) => `${url} — ответ ${status}`,
    urlFailed: (url: string, error: string) => `${url}: ${error}`,
    urlRedirects: (url: string, to: string) => `${url} перенаправляет на ${to}`,
    urlNoindex: (url: string) => `${url} закрыт от индексации (noindex)`,
    redirectsTo: (url: string) => `перенаправляет на ${url}`,
    words: (count: number) => ru3(count, 'слово', 'слова', 'слов'),
    sameText: (others: number, example: string) =>
      `тот же текст ещё на ${ru3(others, 'странице', 'страницах', 'страницах')}, например ${example}`,
    nearBits: (bits: number, url: string) =>
      `отличается от ${url} на ${ru3(bits, 'бит', 'бита', 'бит')} из 64`,
    noReturn: (lang: string, url: string) => `${lang} → ${url}: обратной ссылки нет`,
    alternateAnswered: (lang: string, url: string, status: number) => `${lang} → ${url}: ответ ${status}`,
    alternateBlocked: (lang: string, url: string) => `${lang} → ${url}: закрыт в robots.txt`,
    alternateFailed: (lang: string, url: string, error: string) => `${lang} → ${url}: ${error}`,
    listedInSitemap: 'есть в карте сайта',
    loopsThrough: (url: string) => `цепочка возвращается через ${url}`,
    chainTooLong: (hops: number, url: string) =>
      `цепочка длиннее ${ru3(hops, 'перехода', 'переходов', 'переходов')}; проверка остановлена на ${url}`,
    hopsTo: (hops: number, url: string) => `${ru3(hops, 'переход', 'перехода', 'переходов')} до ${url}`,
    refreshesTo: (url: string) => `meta refresh на ${url}`,
    linksToRedirects: (links: number, from: string, to: string) =>
      `ссылок на URL с редиректом: ${ruF.number(links)}, например ${from} → ${to}`,
    imagesWithoutAlt: (images: number, example: string) =>
      `изображений: ${ruF.number(images)}, например ${example}`,
    httpResources: (resources: number, example: string) =>
      `ресурсов по http: ${ruF.number(resources)}, например ${example}`,
    httpLinks: (links: number, example: string) =>
      `ссылок на http: ${ruF.number(links)}, например ${example}`,
    kilobytes: (kb: number) => `${ruF.number(kb)} КБ`,
    heading: (text: string) => `title/H1: «${text}»`,
    ttfb: (ms: number) => `${ruF.duration(ms)} до первого байта`,
    htmlMegabytes: (mb: number) => `${ruF.number(mb, 1)} МБ HTML`,
    tagsCut: 'больше 30 000 тегов: прочитана только часть до них',
    bodyCut: (bytes: number, limit: string) => `страница обрезана на ${ruF.number(bytes)} байтах (${limit})`,
    unknownCharsetHeader: (label: string) => `неизвестная кодировка «${label}» в Content-Type`,
    unknownCharsetMeta: (label: string) => `неизвестная кодировка «${label}» в <meta>`,
    notUtf8Undeclared: 'байты не являются корректным UTF-8 (кодировка не указана)',
    notUtf8Declared: 'байты не являются корректным UTF-8, хотя он указан',
    binary: 'содержимое похоже на двоичное (байты NUL), хотя отдано как HTML',
    renderingFailed: (error: string) => `не удалось отрисовать страницу: ${error}`,
    characters: (count: number) => ru3(count, 'символ', 'символа', 'символов'),
    charactersOf: (count: number, text: string) =>
      `${ru3(count, 'символ', 'символа', 'символов')}: «${text}»`,
    titleElements: (count: number) => `элементов <title>: ${ruF.number(count)}`,
    descriptions: (count: number) => `тегов description: ${ruF.number(count)}`,
    h1s: (count: number) => `заголовков H1: ${ruF.number(count)}`,
    sharedBy: (pages: number, text: string) =>
      `повторяется на ${ru3(pages, 'странице', 'страницах', 'страницах')}: «${text}»`,
    inSitemapNoInlinks: 'есть в карте сайта, входящих ссылок нет',
    clicksFromStart: (clicks: number) => `${ru3(clicks, 'клик', 'клика', 'кликов')} от стартовой страницы`,
  },
  skip: {
    externalNotChecked: 'внешние ссылки не проверяются (crawl.checkExternal)',
    blockedByRobots: 'закрыт в robots.txt',
    resourcesNotChecked: 'ресурсы не проверяются',
    notIncluded: 'не подходит под crawl.include',
    excluded: 'исключён правилом crawl.exclude',
    tooDeep: (depth: number) => `глубже crawl.maxDepth (${depth})`,
    repeatedSegment: (segment: string, times: number) =>
      `защита от ловушек: часть пути «${segment}» повторяется ${ru3(times, 'раз', 'раза', 'раз')}`,
    queryVariants: (most: number, path: string) =>
      `защита от ловушек: у ${path} больше ${ruF.number(most)} вариантов параметров`,
    redirectTooLong: (hops: number) =>
      `цепочка редиректов длиннее ${ru3(hops, 'перехода', 'переходов', 'переходов')}`,
    overMaxPages: (pages: number) => `сверх лимита crawl.maxPages (${ruF.number(pages)})`,
    stopped: 'обход остановили раньше, чем он дошёл до этого URL',
  },
  robots: {
    parsed: 'прочитан, правила соблюдаются',
    unreachable: 'robots.txt недоступен: обход запрещён целиком',
    allowAll: (status: number) => `robots.txt ответил ${status}: обход разрешён целиком`,
    disallowAll: (status: number) => `robots.txt ответил ${status}: обход запрещён целиком`,
  },
  states: {
    queued: 'в очереди',
    fetching: 'загружается',
    done: 'загружен',
    blocked: 'закрыт в robots.txt',
    skipped: 'пропущен',
  },
  urlKinds: { page: 'страница', resource: 'ресурс', external: 'внешняя ссылка' },
  linkKinds: {
    a: 'ссылка',
    img: 'изображение',
    css: 'стили',
    js: 'скрипт',
    iframe: 'iframe',
    media: 'видео или аудио',
    other: 'другое',
    redirect: 'редирект',
    canonical: 'canonical',
    hreflang: 'hreflang',
  },
  redirectTypes: { http: 'HTTP-редирект', refresh: 'заголовок Refresh', 'meta-refresh': 'meta refresh' },
  truncated: {
    'max-bytes': 'обрезана по crawl.maxBytes',
    'max-decoded-bytes': 'обрезана по лимиту размера после распаковки',
  },
};
