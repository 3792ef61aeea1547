// Kept whole: a message catalogue is one list (en, and ru typed against it); splitting scatters its words.
// The site audit's rules in words: for each rule id (src/audit/rules/*.ts; ids are stored in the database
// and never change) its name, what it means and how to fix it, and the names of the rule families.
// The English texts are the rules' own: the rule files take their titles from here. Russian wording
// follows src/i18n/glossary.md and the words of Yandex Webmaster's «Диагностика сайта».
import type { Catalog } from '../catalog.ts';
import { MAX_REDIRECT_HOPS } from '../../audit/redirect-chains.ts';

/** The words of one rule: a short name, what it means, what to do. */
interface RuleText {
  name: string;
  meaning: string;
  fix: string;
}

export const en = {
  families: {
    responses: 'Responses',
    redirects: 'Redirects',
    indexability: 'Indexability',
    canonicals: 'Canonicals',
    titles: 'Titles and headings',
    content: 'Content',
    hreflang: 'Hreflang',
    resources: 'Images and resources',
    structure: 'Structure',
  },
  rules: {
    // Responses
    'status-4xx': {
      name: 'Page answers 4xx',
      meaning:
        'The page answers with a client error such as 404 or 410: visitors and search engines find nothing there.',
      fix: 'Fix or remove the links to it, or redirect it to the right page.',
    },
    'status-5xx': {
      name: 'Page answers 5xx',
      meaning: 'The server failed on this page; search engines drop pages that keep failing.',
      fix: 'Look for this URL in the server log and fix the error.',
    },
    'fetch-failed': {
      name: 'Page could not be fetched',
      meaning: 'No answer came: a timeout, a reset or a refused connection.',
      fix: 'Check the server and its limits (firewall, rate limits, timeouts).',
    },
    'broken-resource': {
      name: 'Broken image, CSS or script',
      meaning: 'A page loads a file that does not answer 2xx.',
      fix: "Correct the file's address or put the file back.",
    },
    'broken-external-link': {
      name: 'Broken external link',
      meaning: 'A link to another site does not answer 2xx/3xx.',
      fix: 'Update the link or remove it.',
    },
    'soft-404': {
      name: 'Soft 404',
      meaning: 'The page says "not found" but answers 200.',
      fix: 'Answer 404 or 410 instead.',
    },
    'slow-ttfb': {
      name: 'Slow response',
      meaning: 'Time to first byte is over the threshold.',
      fix: "Look at the server's caching, its database queries and the hosting.",
    },
    'large-html': {
      name: 'Large HTML',
      meaning: 'The HTML alone is over the size threshold.',
      fix: 'Move inline scripts, styles and data out of the page, or split it.',
    },
    'body-truncated': {
      name: 'Body cut at the size limit',
      meaning: 'The page is larger than crawl.maxBytes; facts come from its first part only.',
      fix: 'Make the page smaller, or raise crawl.maxBytes in the config.',
    },
    'charset-problem': {
      name: 'Character encoding problem',
      meaning: 'The declared charset is unknown or the bytes do not match it; text may show as garbage.',
      fix: 'Serve UTF-8 and declare it in Content-Type and <meta charset>.',
    },
    // Redirects
    'redirect-chain': {
      name: 'Redirect chain',
      meaning: 'Two or more hops before the final page.',
      fix: 'Link to and redirect straight to the final URL.',
    },
    'redirect-chain-too-long': {
      name: 'Redirect chain too long',
      meaning: `More than ${MAX_REDIRECT_HOPS} hops: search engines stop following before the final page.`,
      fix: 'Redirect straight to the final page.',
    },
    'redirect-loop': {
      name: 'Redirect loop',
      meaning: 'The redirects lead back to a URL already passed: the page cannot be reached.',
      fix: 'Break the loop: point one of the redirects at a page that answers 200.',
    },
    'redirect-meta-refresh': {
      name: 'Meta refresh redirect',
      meaning: 'The page sends visitors on with <meta http-equiv="refresh"> rather than an HTTP redirect.',
      fix: 'Use a 301 redirect instead.',
    },
    'internal-link-to-redirect': {
      name: 'Internal link to a redirect',
      meaning: 'The page links to a URL of the site that redirects elsewhere.',
      fix: 'Update the link to point to the final URL.',
    },
    // Indexability
    noindex: {
      name: 'Noindex page',
      meaning: 'This page asks search engines not to index it.',
      fix: 'Make sure that is meant.',
    },
    'noindex-in-sitemap': {
      name: 'Noindex page listed in the sitemap',
      meaning: 'The sitemap lists a page that asks not to be indexed.',
      fix: 'A sitemap should list only pages you want indexed: take it out, or drop the noindex.',
    },
    'blocked-by-robots-linked': {
      name: 'Internal link to a URL blocked by robots.txt',
      meaning: 'Search engines cannot read the page, yet the site links to it.',
      fix: 'Remove the links, or allow the URL in robots.txt if it should be found.',
    },
    'blocked-by-robots-in-sitemap': {
      name: 'Sitemap URL blocked by robots.txt',
      meaning: 'The sitemap asks for a page that robots.txt forbids.',
      fix: 'Take it out of the sitemap, or allow it in robots.txt.',
    },
    'sitemap-non-200': {
      name: 'Sitemap URL not answering 200',
      meaning: 'The sitemap lists a URL that is missing, failing or answers another 2xx.',
      fix: 'Remove dead URLs from the sitemap.',
    },
    'sitemap-redirect': {
      name: 'Sitemap URL redirects',
      meaning: 'The sitemap lists a URL that redirects elsewhere.',
      fix: 'List the final URL in the sitemap.',
    },
    'viewport-missing': {
      name: 'No viewport meta tag',
      meaning: 'Without it, phones show the desktop layout shrunk.',
      fix: 'Add <meta name="viewport" content="width=device-width, initial-scale=1">.',
    },
    'lang-missing': {
      name: 'No lang attribute on <html>',
      meaning: 'Browsers and search engines are not told the language of the page.',
      fix: 'Add it, e.g. <html lang="ru">.',
    },
    // Canonicals
    'canonical-missing': {
      name: 'No canonical link',
      meaning: 'The page names no preferred URL for itself.',
      fix: 'Add a self-referencing canonical: it protects against duplicate URLs (parameters, trailing slashes).',
    },
    'canonical-multiple': {
      name: 'More than one canonical link',
      meaning: 'Search engines may ignore them all.',
      fix: 'Keep one canonical link.',
    },
    'canonical-relative': {
      name: 'Relative canonical URL',
      meaning: 'The canonical is written without scheme and host; a slip in it easily points elsewhere.',
      fix: 'Use an absolute URL.',
    },
    canonicalised: {
      name: 'Canonical points to another URL',
      meaning: 'This page asks to be treated as a copy of another one.',
      fix: 'Right for real copies; otherwise point the canonical at the page itself.',
    },
    'canonical-to-non-200': {
      name: 'Canonical target does not answer 200',
      meaning: 'The canonical must be a working page.',
      fix: 'Point it at a page that answers 200.',
    },
    'canonical-to-redirect': {
      name: 'Canonical target redirects',
      meaning: 'The preferred URL redirects elsewhere.',
      fix: 'Point the canonical at the final URL.',
    },
    'canonical-to-noindex': {
      name: 'Canonical target is noindex',
      meaning: 'Conflicting signals: the preferred page asks not to be indexed.',
      fix: 'Point the canonical at an indexable page, or drop the noindex there.',
    },
    // Titles and headings
    'title-missing': {
      name: 'Title missing',
      meaning: 'The page has no <title>, and that is its headline in search results.',
      fix: 'Give every page a unique <title>.',
    },
    'title-multiple': {
      name: 'More than one title',
      meaning: 'The page has several <title> elements; search engines pick one of them.',
      fix: 'Keep one <title> element.',
    },
    'title-too-short': {
      name: 'Title too short',
      meaning: 'A short title wastes room in search results.',
      fix: 'Say what the page offers, in the words people search for.',
    },
    'title-too-long': {
      name: 'Title too long',
      meaning: 'Search engines cut long titles.',
      fix: 'Put the important words first and shorten it.',
    },
    'title-duplicate': {
      name: 'Duplicate title',
      meaning: 'Several pages share this title.',
      fix: 'Make each one describe its own page.',
    },
    'description-missing': {
      name: 'Meta description missing',
      meaning: 'Without one, search engines pick a snippet themselves.',
      fix: 'Write a sentence or two on why to visit the page.',
    },
    'description-multiple': {
      name: 'More than one meta description',
      meaning: 'The page has several description tags.',
      fix: 'Keep one meta description.',
    },
    'description-too-short': {
      name: 'Meta description too short',
      meaning: 'A short description leaves room in the snippet unused.',
      fix: 'Use the room to say why to click.',
    },
    'description-too-long': {
      name: 'Meta description too long',
      meaning: 'Search engines cut long descriptions.',
      fix: 'Shorten it, with the main point first.',
    },
    'description-duplicate': {
      name: 'Duplicate meta description',
      meaning: 'Several pages share this description.',
      fix: 'Write a description for each page.',
    },
    'h1-missing': {
      name: 'H1 missing',
      meaning: 'The page has no main heading.',
      fix: 'Give each page one main heading.',
    },
    'h1-multiple': {
      name: 'More than one H1',
      meaning: 'The page has several main headings.',
      fix: 'One main heading per page reads clearest.',
    },
    'h1-too-long': {
      name: 'H1 too long',
      meaning: 'The main heading is over the length threshold.',
      fix: 'Keep the main heading short.',
    },
    'h1-duplicate': {
      name: 'Duplicate H1',
      meaning: 'Several pages share this main heading.',
      fix: 'Give each page a heading of its own.',
    },
    // Content
    'thin-content': {
      name: 'Thin content',
      meaning: 'Few words on the page: search engines may see little value in it.',
      fix: 'Add useful text, or merge the page with a related one.',
    },
    'duplicate-content': {
      name: 'Duplicate content',
      meaning: 'The same text is served at several URLs.',
      fix: 'Canonicalise or merge them.',
    },
    'near-duplicate': {
      name: 'Near-duplicate content',
      meaning: 'Almost the same text as another page.',
      fix: 'Make the pages differ, or canonicalise one to the other.',
    },
    // Hreflang
    'hreflang-no-self': {
      name: 'Hreflang set without a self-reference',
      meaning: 'Each page in a set must list itself too.',
      fix: "Add the page's own language to its hreflang links.",
    },
    'hreflang-no-x-default': {
      name: 'Hreflang set without x-default',
      meaning: 'No page is named for visitors of every other language.',
      fix: 'Say which page serves everyone else, with hreflang="x-default".',
    },
    'hreflang-no-return': {
      name: 'Hreflang without a return link',
      meaning: 'The alternate page does not link back, so search engines ignore the pair.',
      fix: 'Add the matching hreflang link on the alternate page.',
    },
    'hreflang-to-non-200': {
      name: 'Hreflang to a page not answering 200',
      meaning: 'Alternates must be working pages.',
      fix: 'Point it at the working page, or remove it.',
    },
    // Images and resources
    'image-missing-alt': {
      name: 'Images without alt text',
      meaning: 'An image without alt text says nothing to screen readers and image search.',
      fix: 'Describe images with alt="…" (or alt="" for decoration).',
    },
    'image-oversized': {
      name: 'Oversized image',
      meaning: 'The image file is over the size threshold.',
      fix: 'Compress or resize it.',
    },
    'mixed-content': {
      name: 'Mixed content',
      meaning: 'An https page loads an http resource; browsers block it or warn about it.',
      fix: 'Load it over https.',
    },
    'http-link-from-https': {
      name: 'Link to http:// from an https page',
      meaning: 'The link leads from a secure page to an insecure address.',
      fix: 'Link to the https version.',
    },
    // Structure
    'orphan-page': {
      name: 'Orphan page',
      meaning:
        'Listed in the sitemap but no crawled page links to it. Only judged when the crawl read every page it found.',
      fix: 'Link to it from a related page, or take it out of the sitemap.',
    },
    'deep-page': {
      name: 'Page deep in the site',
      meaning: 'More clicks from the home page than the threshold.',
      fix: 'Link to it from higher up: the home page, a menu or a category.',
    },
    'url-too-long': {
      name: 'Long URL',
      meaning: 'Long URLs are cut in results and hard to share.',
      fix: 'Use a shorter, readable address.',
    },
  } satisfies Record<string, RuleText>,
};

export const ru: Catalog<typeof en> = {
  families: {
    responses: 'Ответы сервера',
    redirects: 'Редиректы',
    indexability: 'Индексация',
    canonicals: 'Канонические адреса',
    titles: 'Title, description и заголовки',
    content: 'Контент',
    hreflang: 'Hreflang',
    resources: 'Изображения и ресурсы',
    structure: 'Структура сайта',
  },
  rules: {
    'status-4xx': {
      name: 'Страница отвечает 4xx',
      meaning:
        'Страница отвечает ошибкой клиента, например 404 или 410: посетители и поисковые системы ничего на ней не находят.',
      fix: 'Исправьте или уберите ссылки на неё либо настройте редирект на нужную страницу.',
    },
    'status-5xx': {
      name: 'Страница отвечает 5xx',
      meaning:
        'На этой странице сервер выдаёт ошибку; страницы с постоянными ошибками поисковые системы исключают из индекса.',
      fix: 'Найдите этот URL в журнале сервера и устраните ошибку.',
    },
    'fetch-failed': {
      name: 'Страницу не удалось загрузить',
      meaning: 'Ответа не было: истекло время ожидания, соединение сброшено или отклонено.',
      fix: 'Проверьте сервер и его ограничения: файрвол, лимиты запросов, тайм-ауты.',
    },
    'broken-resource': {
      name: 'Битое изображение, CSS или скрипт',
      meaning: 'Страница загружает файл, который не отвечает кодом 2xx.',
      fix: 'Исправьте адрес файла или верните файл на место.',
    },
    'broken-external-link': {
      name: 'Битая внешняя ссылка',
      meaning: 'Ссылка на другой сайт не отвечает кодом 2xx или 3xx.',
      fix: 'Обновите ссылку или уберите её.',
    },
    'soft-404': {
      name: 'Мягкая 404 (soft 404)',
      meaning: 'Страница сообщает «не найдено», но отвечает кодом 200.',
      fix: 'Отдавайте вместо этого код 404 или 410.',
    },
    'slow-ttfb': {
      name: 'Медленный ответ сервера',
      meaning: 'Время до первого байта (TTFB) больше порога.',
      fix: 'Проверьте кеширование на сервере, запросы к базе данных и хостинг.',
    },
    'large-html': {
      name: 'Слишком большой HTML',
      meaning: 'Один только HTML страницы больше порога по размеру.',
      fix: 'Вынесите встроенные скрипты, стили и данные из страницы или разделите её.',
    },
    'body-truncated': {
      name: 'Страница обрезана по лимиту размера',
      meaning: 'Страница больше crawl.maxBytes; данные взяты только из её начала.',
      fix: 'Уменьшите страницу или увеличьте crawl.maxBytes в конфигурации.',
    },
    'charset-problem': {
      name: 'Проблема с кодировкой',
      meaning:
        'Заявленная кодировка неизвестна или байты ей не соответствуют; текст может отображаться нечитаемыми символами.',
      fix: 'Отдавайте страницы в UTF-8 и указывайте кодировку в Content-Type и <meta charset>.',
    },
    'redirect-chain': {
      name: 'Цепочка редиректов',
      meaning: 'До конечной страницы два перехода или больше.',
      fix: 'Ставьте ссылки и редирект сразу на конечный URL.',
    },
    'redirect-chain-too-long': {
      name: 'Слишком длинная цепочка редиректов',
      meaning: `Больше ${MAX_REDIRECT_HOPS} переходов: поисковые системы прекращают идти по цепочке, не дойдя до конечной страницы.`,
      fix: 'Настройте редирект сразу на конечную страницу.',
    },
    'redirect-loop': {
      name: 'Циклический редирект',
      meaning: 'Редиректы возвращают на уже пройденный URL: до страницы не добраться.',
      fix: 'Разорвите цикл: направьте один из редиректов на страницу, которая отвечает 200.',
    },
    'redirect-meta-refresh': {
      name: 'Редирект через meta refresh',
      meaning: 'Страница перенаправляет посетителей тегом <meta http-equiv="refresh">, а не HTTP-редиректом.',
      fix: 'Используйте вместо него 301-й редирект.',
    },
    'internal-link-to-redirect': {
      name: 'Внутренняя ссылка на редирект',
      meaning: 'Страница ссылается на URL сайта, который перенаправляет в другое место.',
      fix: 'Замените ссылку на конечный URL.',
    },
    noindex: {
      name: 'Страница закрыта от индексации (noindex)',
      meaning: 'Страница просит поисковые системы не индексировать её.',
      fix: 'Убедитесь, что так и задумано.',
    },
    'noindex-in-sitemap': {
      name: 'Страница с noindex в карте сайта',
      meaning: 'В карте сайта есть страница, закрытая от индексации.',
      fix: 'В карте сайта должны быть только страницы для индексации: уберите её оттуда или снимите noindex.',
    },
    'blocked-by-robots-linked': {
      name: 'Внутренняя ссылка на URL, закрытый в robots.txt',
      meaning: 'Поисковые системы не могут прочитать страницу, а сайт на неё ссылается.',
      fix: 'Уберите ссылки или откройте URL в robots.txt, если страницу должны находить.',
    },
    'blocked-by-robots-in-sitemap': {
      name: 'URL из карты сайта закрыт в robots.txt',
      meaning: 'Карта сайта предлагает страницу, которую запрещает robots.txt.',
      fix: 'Уберите её из карты сайта или откройте в robots.txt.',
    },
    'sitemap-non-200': {
      name: 'URL из карты сайта не отвечает 200',
      meaning: 'В карте сайта есть URL, который не существует, отвечает ошибкой или другим кодом 2xx.',
      fix: 'Уберите неработающие URL из карты сайта.',
    },
    'sitemap-redirect': {
      name: 'URL из карты сайта перенаправляет',
      meaning: 'В карте сайта есть URL с редиректом.',
      fix: 'Укажите в карте сайта конечный URL.',
    },
    'viewport-missing': {
      name: 'Нет мета-тега viewport',
      meaning: 'Без него телефоны показывают уменьшенную версию для компьютера.',
      fix: 'Добавьте <meta name="viewport" content="width=device-width, initial-scale=1">.',
    },
    'lang-missing': {
      name: 'Нет атрибута lang у <html>',
      meaning: 'Браузеры и поисковые системы не знают, на каком языке страница.',
      fix: 'Добавьте его, например <html lang="ru">.',
    },
    'canonical-missing': {
      name: 'Нет тега canonical',
      meaning: 'Страница не указывает свой предпочтительный (канонический) адрес.',
      fix: 'Добавьте canonical на саму страницу: он защищает от дублей URL (параметры, слеш в конце).',
    },
    'canonical-multiple': {
      name: 'Несколько тегов canonical',
      meaning: 'Поисковые системы могут проигнорировать их все.',
      fix: 'Оставьте один тег canonical.',
    },
    'canonical-relative': {
      name: 'Относительный адрес в canonical',
      meaning: 'Canonical указан без протокола и домена; ошибка в нём легко уводит на другую страницу.',
      fix: 'Укажите абсолютный URL.',
    },
    canonicalised: {
      name: 'Canonical указывает на другой URL',
      meaning: 'Страница просит считать её копией другой страницы.',
      fix: 'Для настоящих копий это правильно; иначе укажите в canonical саму страницу.',
    },
    'canonical-to-non-200': {
      name: 'Canonical ведёт на страницу, которая не отвечает 200',
      meaning: 'Канонический адрес должен быть работающей страницей.',
      fix: 'Укажите страницу, которая отвечает кодом 200.',
    },
    'canonical-to-redirect': {
      name: 'Canonical ведёт на редирект',
      meaning: 'Предпочтительный адрес перенаправляет в другое место.',
      fix: 'Укажите в canonical конечный URL.',
    },
    'canonical-to-noindex': {
      name: 'Canonical ведёт на страницу с noindex',
      meaning: 'Противоречивые сигналы: предпочтительная страница закрыта от индексации.',
      fix: 'Укажите в canonical индексируемую страницу или снимите noindex на ней.',
    },
    'title-missing': {
      name: 'Нет title',
      meaning: 'У страницы нет <title>, а это заголовок её сниппета в поисковой выдаче.',
      fix: 'Задайте каждой странице уникальный <title>.',
    },
    'title-multiple': {
      name: 'Несколько title',
      meaning: 'На странице несколько элементов <title>; поисковые системы выберут один из них.',
      fix: 'Оставьте один элемент <title>.',
    },
    'title-too-short': {
      name: 'Слишком короткий title',
      meaning: 'Короткий title не использует место, которое ему отведено в выдаче.',
      fix: 'Опишите, что предлагает страница, словами, которыми её ищут.',
    },
    'title-too-long': {
      name: 'Слишком длинный title',
      meaning: 'Поисковые системы обрезают длинные title.',
      fix: 'Поставьте важные слова в начало и сократите его.',
    },
    'title-duplicate': {
      name: 'Дубли title',
      meaning: 'Этот title повторяется на нескольких страницах.',
      fix: 'Пусть title каждой страницы описывает именно её.',
    },
    'description-missing': {
      name: 'Нет meta description',
      meaning: 'Без него поисковые системы сами выбирают текст сниппета.',
      fix: 'Напишите одно-два предложения о том, зачем переходить на страницу.',
    },
    'description-multiple': {
      name: 'Несколько meta description',
      meaning: 'На странице несколько тегов description.',
      fix: 'Оставьте один meta description.',
    },
    'description-too-short': {
      name: 'Слишком короткий meta description',
      meaning: 'Короткое описание оставляет часть места в сниппете пустой.',
      fix: 'Используйте это место, чтобы объяснить, почему стоит перейти.',
    },
    'description-too-long': {
      name: 'Слишком длинный meta description',
      meaning: 'Поисковые системы обрезают длинные описания.',
      fix: 'Сократите его, начав с главного.',
    },
    'description-duplicate': {
      name: 'Дубли meta description',
      meaning: 'Это описание повторяется на нескольких страницах.',
      fix: 'Напишите своё описание для каждой страницы.',
    },
    'h1-missing': {
      name: 'Нет H1',
      meaning: 'У страницы нет главного заголовка.',
      fix: 'Дайте каждой странице один главный заголовок.',
    },
    'h1-multiple': {
      name: 'Несколько H1',
      meaning: 'На странице несколько главных заголовков.',
      fix: 'Один главный заголовок на страницу читается яснее всего.',
    },
    'h1-too-long': {
      name: 'Слишком длинный H1',
      meaning: 'Главный заголовок длиннее порога.',
      fix: 'Сделайте главный заголовок короче.',
    },
    'h1-duplicate': {
      name: 'Дубли H1',
      meaning: 'Этот главный заголовок повторяется на нескольких страницах.',
      fix: 'Дайте каждой странице свой заголовок.',
    },
    'thin-content': {
      name: 'Мало текста',
      meaning: 'На странице мало слов: поисковые системы могут счесть её малополезной.',
      fix: 'Добавьте полезный текст или объедините страницу с близкой по теме.',
    },
    'duplicate-content': {
      name: 'Дубли страниц',
      meaning: 'Один и тот же текст доступен по нескольким URL.',
      fix: 'Укажите canonical или объедините страницы.',
    },
    'near-duplicate': {
      name: 'Почти дубли',
      meaning: 'Текст почти совпадает с текстом другой страницы.',
      fix: 'Сделайте страницы разными или укажите на одной из них canonical на другую.',
    },
    'hreflang-no-self': {
      name: 'Hreflang без ссылки на саму страницу',
      meaning: 'Каждая страница набора должна указывать в нём и себя.',
      fix: 'Добавьте в hreflang саму страницу с её языком.',
    },
    'hreflang-no-x-default': {
      name: 'Hreflang без x-default',
      meaning: 'Не указана страница для посетителей на всех остальных языках.',
      fix: 'Укажите её через hreflang="x-default".',
    },
    'hreflang-no-return': {
      name: 'Hreflang без обратной ссылки',
      meaning: 'Альтернативная страница не ссылается обратно, и поисковые системы не учитывают эту пару.',
      fix: 'Добавьте ответную ссылку hreflang на альтернативной странице.',
    },
    'hreflang-to-non-200': {
      name: 'Hreflang на страницу, которая не отвечает 200',
      meaning: 'Альтернативные версии должны быть работающими страницами.',
      fix: 'Укажите работающую страницу или уберите ссылку.',
    },
    'image-missing-alt': {
      name: 'Изображения без alt',
      meaning: 'Изображение без alt ничего не сообщает экранным дикторам и поиску по картинкам.',
      fix: 'Опишите изображения в alt="…" (для декоративных — alt="").',
    },
    'image-oversized': {
      name: 'Слишком тяжёлое изображение',
      meaning: 'Файл изображения больше порога по размеру.',
      fix: 'Сожмите его или уменьшите.',
    },
    'mixed-content': {
      name: 'Смешанный контент',
      meaning: 'Страница по https загружает ресурс по http; браузеры блокируют его или предупреждают о нём.',
      fix: 'Загружайте его по https.',
    },
    'http-link-from-https': {
      name: 'Ссылка на http:// со страницы по https',
      meaning: 'Ссылка ведёт с защищённой страницы на незащищённый адрес.',
      fix: 'Ссылайтесь на версию по https.',
    },
    'orphan-page': {
      name: 'Страница-сирота',
      meaning:
        'Страница есть в карте сайта, но ни одна из обойдённых страниц на неё не ссылается. Проверяется, только если обход прочитал все найденные страницы.',
      fix: 'Поставьте на неё ссылку с близкой по теме страницы или уберите её из карты сайта.',
    },
    'deep-page': {
      name: 'Страница глубоко в структуре',
      meaning: 'До неё больше кликов от главной, чем задано порогом.',
      fix: 'Поставьте на неё ссылку выше по структуре: с главной, из меню или из категории.',
    },
    'url-too-long': {
      name: 'Длинный URL',
      meaning: 'Длинные URL обрезаются в выдаче, и ими неудобно делиться.',
      fix: 'Используйте короткий читаемый адрес.',
    },
  },
};

/** A rule id the catalogue has words for. */
export type RuleId = keyof typeof en.rules;
/** A rule family id. */
export type FamilyId = keyof typeof en.families;
