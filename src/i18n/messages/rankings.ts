// Messages of the rankings area: the Rankings page, a keyword's page, their charts' JSON, the add-keyword
// and competitor forms (and the keyword checks the CLI and file imports share, English by default), the
// CSV headers. Russian wording follows src/i18n/glossary.md and the words of Topvisor and Yandex
// Webmaster (позиции, запросы, видимость, доля видимости, топ-10, нет в топ-100).
// Kept whole past 400 lines: one area's catalogue, its English and Russian halves checked key by key.
import type { Catalog } from '../catalog.ts';
import { formatter } from '../format.ts';
import { rankProvider } from '../../rank/providers/index.ts';

type Source = 'gsc-export' | 'yandex-webmaster-export';

const enF = formatter('en');
const ruF = formatter('ru');

/** Country and language names from the CLDR data Intl ships; a code it does not know stays a code. */
function displayName(lang: 'en' | 'ru', type: 'region' | 'language', code: string): string {
  try {
    return new Intl.DisplayNames(lang, { type, fallback: 'code' }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** Yandex region ids a studio meets most (https://yandex.ru/dev/xml/doc/ru/reference/regions). */
const YANDEX_REGIONS: Record<number, { en: string; ru: string }> = {
  225: { en: 'Russia', ru: 'Россия' },
  1: { en: 'Moscow and region', ru: 'Москва и область' },
  213: { en: 'Moscow', ru: 'Москва' },
  10174: { en: 'Saint Petersburg and region', ru: 'Санкт-Петербург и область' },
  2: { en: 'Saint Petersburg', ru: 'Санкт-Петербург' },
  54: { en: 'Yekaterinburg', ru: 'Екатеринбург' },
  65: { en: 'Novosibirsk', ru: 'Новосибирск' },
  43: { en: 'Kazan', ru: 'Казань' },
  47: { en: 'Nizhny Novgorod', ru: 'Нижний Новгород' },
  56: { en: 'Chelyabinsk', ru: 'Челябинск' },
  51: { en: 'Samara', ru: 'Самара' },
  39: { en: 'Rostov-on-Don', ru: 'Ростов-на-Дону' },
  172: { en: 'Ufa', ru: 'Уфа' },
  35: { en: 'Krasnodar', ru: 'Краснодар' },
  62: { en: 'Krasnoyarsk', ru: 'Красноярск' },
  66: { en: 'Omsk', ru: 'Омск' },
  50: { en: 'Perm', ru: 'Пермь' },
  193: { en: 'Voronezh', ru: 'Воронеж' },
  38: { en: 'Volgograd', ru: 'Волгоград' },
};

const googleRegion = (lang: 'en' | 'ru', gl: string, hl: string, location: string | null) =>
  [displayName(lang, 'region', gl.toUpperCase()), displayName(lang, 'language', hl), location]
    .filter(Boolean)
    .join(', ');

const SOURCE_OF_EN: Record<Source, string> = {
  'gsc-export': 'Search Console',
  'yandex-webmaster-export': 'Yandex Webmaster',
};

export const en = {
  title: 'Rankings',
  /** Sources other than providers by their human names (the ids stay in URLs, JSON and the CSV); engines
   * and devices: common.ts. */
  sources: {
    import: 'import',
    'gsc-export': 'Search Console',
    'yandex-webmaster-export': 'Yandex Webmaster',
  },
  /** A rank provider's name, as its own file gives it (src/rank/providers/index.ts); null: not a provider. */
  providerName: (id: string): string | null => rankProvider(id)?.label.en ?? null,
  /** Where a keyword is searched: a Yandex region by name, Google and Bing by country and language. */
  region: {
    yandex: (lr: number) => YANDEX_REGIONS[lr]?.en ?? `region ${lr}`,
    country: (gl: string, hl: string, location: string | null) => googleRegion('en', gl, hl, location),
  },
  curves: { sistrix: 'Sistrix', seranking: 'SE Ranking', topvisor: 'Topvisor', custom: 'custom' },
  filter: {
    engine: 'Engine',
    tag: 'Tag',
    curve: 'CTR curve',
    period: 'Period',
    days: (n: number) => enF.days(n),
  },
  cards: {
    visibility: (curve: string) => `Visibility (${curve} curve)`,
    changeOver: (days: number) => `change over ${enF.days(days)}`,
    inTop: 'Keywords in top 3 · top 10',
    ofTotal: (n: number) => `of ${enF.number(n)}`,
    observedToday: 'Observed today · failed today',
  },
  added:
    'Added. The track-rankings job checks new keywords on its next run (or use “Run now” on the Jobs page).',
  keywordNotAdded: (error: string) => `Keyword not added: ${error}`,
  competitorNotAdded: (error: string) => `Competitor not added: ${error}`,
  empty: {
    noMatch: 'No keywords match these filters.',
    noKeywords: 'No keywords tracked yet.',
    addHint: 'Add one below, or from the command line:',
    importHint: 'Or import a list:',
  },
  charts: {
    visibility: 'Visibility and Search Console clicks',
    distribution: 'Keywords by position',
    share: 'Share of voice',
  },
  /** Axis titles and dataset labels of /api/rankings/trend and a keyword's history. */
  axis: {
    visibility: (curve: string) => `visibility, % (${curve} CTR curve)`,
    visibilityDataset: 'Visibility %',
    clicks: 'clicks',
    gscClicks: 'Search Console clicks',
    gscClicksTagged: (tag: string) => `Search Console clicks (queries tagged ${tag})`,
    keywords: 'keywords',
    share: '% share of voice',
    position: 'position',
  },
  /** Position bands of the distribution chart, by the VisibilityPoint field they count. */
  bands: {
    top3: 'top 3',
    top10: '4–10',
    top30: '11–30',
    top100: '31–100',
    notInTop: 'not in top 100',
  },
  table: {
    heading: 'Keywords',
    count: (n: number) => enF.count(n, { one: 'keyword', other: 'keywords' }),
    pageOf: (page: number, pages: number) => `page ${page} of ${pages}`,
    keyword: 'Keyword',
    position: 'Position',
    change7: '7 days',
    change30: '30 days',
    best: 'Best',
    volume: 'Volume',
    order: 'Order:',
    lossesFirst: 'losses first',
    gainsFirst: 'gains first',
    rankingUrl: 'Ranking URL',
    source: 'Source',
    trend: '30-day trend',
    target: (url: string) => `target: ${url}`,
    mismatch: 'mismatch',
    mismatchTitle: 'Another page ranks than the one meant to',
    movedUp: (n: string) => `moved up ${n}`,
    movedDown: (n: string) => `moved down ${n}`,
    sparkline: (days: number, best: string, worst: string) =>
      `positions over ${enF.days(days)}: best ${best}, worst ${worst}`,
    previous: '← previous',
    next: 'next →',
  },
  position: {
    notInTop: (depth: number) => `not in top ${depth}`,
    neverChecked: 'never checked',
    neverObserved: 'never observed',
    lastKnown: (position: string, day: string) => `last known ${position} on ${day}`,
    lastKnownNotInTop: (depth: number, day: string) => `last known: not in top ${depth} on ${day}`,
    failedOn: (source: string, day: string) => `${source} failed on ${day}`,
    sourceOn: (source: string, day: string) => `${source} on ${day}`,
    failure: (source: string, summary: string) => `${source}: ${summary}`,
    details: 'Details',
    /** A failed check in the table: a short badge; the whole story is in its title and opens on tap. */
    failedBadge: 'failed',
    /** An average over impressions (Search Console), never taken for a place on a result page. */
    average: (position: string) => `≈ ${position} avg`,
    averageTitle:
      'Average position over impressions (Search Console, Webmaster), not a place on a result page',
  },
  /** The panel at the top of the Rankings page: the week's moves, as the weekly report tells them. */
  movers: {
    heading: 'Movers since last week',
    period: (now: string, prev: string) =>
      `Each keyword's last position in ${now} against its last in ${prev}`,
    gains: 'Biggest gains',
    losses: 'Biggest losses',
    enteredTop10: 'Entered the top 10',
    leftTop10: 'Left the top 10',
    none: 'none',
    more: (n: number) => `and ${enF.number(n)} more`,
    noData: 'No keyword has positions from both weeks yet: the panel fills in after a second week of checks.',
    notInTop100: 'not in top 100',
  },
  /**
   * What a failed check means, by the kind its provider gave (src/rank/types.ts FailureKind); the
   * provider's own message is shown beside it as it came.
   */
  failures: {
    auth: 'access refused: check the key or token in the config',
    quota: 'request limit used up; the next run carries on',
    'rate-limit': 'too many requests at once; the next run tries again',
    blocked: 'blocked by the search engine (captcha or an “unusual traffic” page)',
    malformed: 'the answer could not be read',
    http: 'the service answered with an error',
    network: 'could not reach the service',
    'no-results': 'the result page had no organic results',
    unknown: 'the check failed',
  },
  averages: {
    title: (source: string, range: string) => `${source} averages, ${range}`,
    note: (source: Source) =>
      `Imported from ${SOURCE_OF_EN[source]}'s export: clicks, impressions and CTR over the whole period, and the average position over its impressions — not a daily position, so it is not in the keywords' history above.`,
    query: 'Query',
    clicks: 'Clicks',
    impressions: 'Impressions',
    ctr: 'CTR',
    averagePosition: 'Average position',
    shown: (first: string, last: string, total: number) =>
      `${first}–${last} of ${enF.count(total, { one: 'query', other: 'queries' })}, most clicks first`,
    earlier: (n: number) => `${enF.count(n, { one: 'earlier period', other: 'earlier periods' })} imported`,
  },
  addKeyword: {
    heading: 'Add a keyword',
    keyword: 'Keyword',
    engine: 'Engine',
    device: 'Device',
    country: 'Country (Google, Bing)',
    language: 'Language (Google, Bing)',
    location: 'Location',
    optional: 'optional',
    regionId: 'Region id (Yandex)',
    targetUrl: 'Target URL',
    volume: 'Volume',
    tags: 'Tags',
    hint: 'Google and Bing keywords need a country and a language; Yandex keywords a region id (213 Moscow, 2 Saint Petersburg).',
    many: 'Many at once:',
    duplicate: (query: string, engine: string, device: string) =>
      `“${query}” is already tracked for ${engine} in this region on ${device}`,
  },
  competitors: {
    heading: 'Competitors',
    none: 'No competitors yet. Add a domain below: its share of voice is computed from the result pages already stored, so it comes with history.',
    /** For someone who may only read: nothing to add below. */
    noneTracked: 'No competitors are tracked for this site.',
    domain: 'Domain',
    shareNow: 'Share of voice now',
    inTop10: 'Keywords in top 10',
    averagePosition: 'Average position on common keywords',
    thisSite: '(this site)',
    competitor: '(competitor)',
    versusSite: (position: string, common: number) =>
      `(this site: ${position}; ${enF.count(common, { one: 'keyword', other: 'keywords' })})`,
    noCommon: 'no keywords in common',
    remove: 'Remove',
    name: 'Name',
    submit: 'Add competitor',
    notDomain: (value: string) => `"${value}" is not a domain name like rival.example`,
    ownDomain: (domain: string) => `${domain} is this site's own domain`,
    noSuch: 'No such competitor for this site',
  },
  keyword: {
    title: 'Keyword',
    noSuch: 'No such keyword',
    position: 'Position',
    change: 'Change 7 · 30 days',
    bestEver: 'Best ever',
    rankingUrl: 'Ranking URL',
    volume: (n: number) => `Search volume ${enF.number(n)}.`,
    tags: (tags: string) => `Tags: ${tags}.`,
    chart: 'Position (1 at the top)',
    notChecked: 'This keyword has not been checked yet.',
    notCheckedHint: 'The track-rankings job checks it on its next run; run it now with:',
    resultPage: (day: string, source: string, depth: number) =>
      `Result page on ${day} (${source}, top 10 of ${depth} looked at)`,
    result: 'Result',
    domain: 'Domain',
    observations: 'Every observation',
    day: 'Day',
    source: 'Source',
    state: 'State',
    position2: 'Position',
    url: 'URL',
    error: 'Error',
    states: { ranked: 'ranked', 'not-in-top': 'not in top', failed: 'failed' },
  },
  /** What is wrong with a page's or an endpoint's query (parameter names stay as typed in the URL). */
  view: {
    engine: (value: string, list: string) => `engine "${value}" is not one of ${list}`,
    customCurve: 'curve "custom" needs sites[].rankings.customCurve in the config',
    curve: (value: string, list: string) => `curve "${value}" is not one of ${list}`,
    days: (value: string) => `days "${value}" must be a whole number of days from 7 to 730`,
  },
  /**
   * A keyword as a person typed it (web form, CLI, a file): one problem per field. `field` is how the
   * form or the file names the field; `value` comes already shortened.
   */
  problems: {
    fields: {
      query: 'keyword',
      engine: 'engine',
      device: 'device',
      gl: 'country (gl)',
      hl: 'language (hl)',
      location: 'location',
      lr: 'Yandex region (lr)',
      targetUrl: 'target URL',
      volume: 'volume',
      tags: 'tags',
    },
    empty: (field: string) => `${field} is empty`,
    tooLong: (field: string, value: string, length: number, max: number) =>
      `${field} ${JSON.stringify(value)} is ${length} characters long; at most ${max} are allowed`,
    engineMissing: (field: string) =>
      `${field} is missing: give google, yandex or bing, or choose a default engine`,
    notOneOf: (field: string, value: string, list: string) =>
      `${field} ${JSON.stringify(value)} is not one of ${list}`,
    regionShape: (field: string, value: string) =>
      `${field} ${JSON.stringify(value)} is not a region like "gl=ru;hl=ru" or "lr=213"`,
    regionLr: (field: string, value: string) =>
      `${field} ${JSON.stringify(value)} is not a Yandex region like "lr=213": lr stands alone and is a positive number`,
    regionGl: (field: string, value: string) =>
      `${field} ${JSON.stringify(value)} needs gl=<two-letter country>, like "gl=ru;hl=ru"`,
    regionHl: (field: string, value: string) =>
      `${field} ${JSON.stringify(value)} needs hl=<language>, like "gl=ru;hl=ru"`,
    yandexLocation: (field: string, value: string, lrField: string) =>
      `${field} ${JSON.stringify(value)} is set, but Yandex keywords take a region id (${lrField}), not a location`,
    yandexCountry: (field: string, value: string, lrField: string) =>
      `${field} ${JSON.stringify(value)} is set, but Yandex keywords take a region id (${lrField}), not a country`,
    lrMissing: (field: string) =>
      `${field} is missing: Yandex keywords need a region id, e.g. 213 for Moscow`,
    lrNotId: (field: string, value: string) => `${field} ${JSON.stringify(value)} is not a Yandex region id`,
    lrUnknown: (field: string, value: string) =>
      `${field} ${JSON.stringify(value)} is an unknown Yandex region: give its numeric lr id (213 Moscow, 2 Saint Petersburg…)`,
    lrForCountry: (field: string, value: string, engine: string) =>
      `${field} ${JSON.stringify(value)} is set, but ${engine} keywords take a country (gl) and language (hl), not a Yandex region`,
    glMissing: (field: string, engine: string) =>
      `${field} is missing: ${engine} keywords need a two-letter country like ru or us`,
    glBad: (field: string, value: string) =>
      `${field} ${JSON.stringify(value)} is not a two-letter country code like ru or us`,
    hlMissing: (field: string, engine: string) =>
      `${field} is missing: ${engine} keywords need a language like ru or en`,
    hlBad: (field: string, value: string) =>
      `${field} ${JSON.stringify(value)} is not a language code like ru, en or pt-br`,
    urlBad: (field: string, value: string) =>
      `${field} ${JSON.stringify(value)} is not an absolute http(s) URL`,
    volumeBad: (field: string, value: string) =>
      `${field} ${JSON.stringify(value)} is not a whole number like 1200 or 1 200`,
    volumeTooLarge: (field: string, value: string) => `${field} ${JSON.stringify(value)} is too large`,
  },
  /** CSV column headers; the English ones are the file's long-standing machine-friendly names. */
  csv: {
    id: 'id',
    keyword: 'keyword',
    engine: 'engine',
    region: 'region',
    device: 'device',
    tags: 'tags',
    volume: 'volume',
    state: 'state',
    position: 'position',
    depth: 'depth',
    day: 'day',
    source: 'source',
    change_7d: 'change_7d',
    change_30d: 'change_30d',
    best: 'best',
    best_day: 'best_day',
    ranking_url: 'ranking_url',
    target_url: 'target_url',
    mismatch: 'mismatch',
    last_failure: 'last_failure',
  },
};

const DAYS_RU = { one: 'день', few: 'дня', many: 'дней', other: 'дня' };
/** Names of the sources in the genitive, for «выгрузки …». */
const SOURCE_OF_RU: Record<Source, string> = {
  'gsc-export': 'Search Console',
  'yandex-webmaster-export': 'Яндекс Вебмастера',
};
const ruQuote = (s: string) => `«${s}»`;

export const ru: Catalog<typeof en> = {
  title: 'Позиции',
  sources: {
    import: 'импорт',
    'gsc-export': 'Search Console',
    'yandex-webmaster-export': 'Яндекс Вебмастер',
  },
  providerName: (id: string): string | null => rankProvider(id)?.label.ru ?? null,
  region: {
    yandex: (lr: number) => YANDEX_REGIONS[lr]?.ru ?? `регион ${lr}`,
    country: (gl: string, hl: string, location: string | null) => googleRegion('ru', gl, hl, location),
  },
  curves: { sistrix: 'Sistrix', seranking: 'SE Ranking', topvisor: 'Topvisor', custom: 'своя' },
  filter: {
    engine: 'Поисковая система',
    tag: 'Тег',
    curve: 'Кривая CTR',
    period: 'Период',
    days: (n: number) => ruF.days(n),
  },
  cards: {
    visibility: (curve: string) => `Видимость (кривая CTR ${curve})`,
    changeOver: (days: number) => `изменение за ${ruF.days(days)}`,
    inTop: 'Запросов в топ-3 · топ-10',
    ofTotal: (n: number) => `из ${ruF.number(n)}`,
    observedToday: 'Проверено сегодня · с ошибкой сегодня',
  },
  added:
    'Добавлено. Задача track-rankings проверит новые запросы при следующем запуске (или нажмите «Запустить сейчас» на странице «Задачи»).',
  keywordNotAdded: (error: string) => `Запрос не добавлен: ${error}`,
  competitorNotAdded: (error: string) => `Конкурент не добавлен: ${error}`,
  empty: {
    noMatch: 'Под эти фильтры не подходит ни один запрос.',
    noKeywords: 'Запросов для съёма позиций пока нет.',
    addHint: 'Добавьте запрос через форму ниже или из командной строки:',
    importHint: 'Или загрузите список:',
  },
  charts: {
    visibility: 'Видимость и клики из Search Console',
    distribution: 'Запросы по позициям',
    share: 'Доля видимости',
  },
  axis: {
    visibility: (curve: string) => `видимость, % (кривая CTR ${curve})`,
    visibilityDataset: 'Видимость, %',
    clicks: 'клики',
    gscClicks: 'Клики из Search Console',
    gscClicksTagged: (tag: string) => `Клики из Search Console (запросы с тегом ${tag})`,
    keywords: 'запросы',
    share: 'доля видимости, %',
    position: 'позиция',
  },
  bands: {
    top3: 'топ-3',
    top10: '4–10',
    top30: '11–30',
    top100: '31–100',
    notInTop: 'нет в топ-100',
  },
  table: {
    heading: 'Запросы',
    count: (n: number) => ruF.count(n, { one: 'запрос', few: 'запроса', many: 'запросов', other: 'запроса' }),
    pageOf: (page: number, pages: number) => `страница ${page} из ${pages}`,
    keyword: 'Запрос',
    position: 'Позиция',
    change7: '7 дней',
    change30: '30 дней',
    best: 'Лучшая',
    volume: 'Частотность',
    order: 'Порядок:',
    lossesFirst: 'сначала падения',
    gainsFirst: 'сначала рост',
    rankingUrl: 'URL в выдаче',
    source: 'Источник',
    trend: 'Динамика за 30 дней',
    target: (url: string) => `целевая: ${url}`,
    mismatch: 'не та страница',
    mismatchTitle: 'В выдаче другая страница сайта, а не целевая',
    movedUp: (n: string) => `выше на ${n}`,
    movedDown: (n: string) => `ниже на ${n}`,
    sparkline: (days: number, best: string, worst: string) =>
      `позиции за ${ruF.count(days, DAYS_RU)}: лучшая ${best}, худшая ${worst}`,
    previous: '← назад',
    next: 'далее →',
  },
  position: {
    notInTop: (depth: number) => `нет в топ-${depth}`,
    neverChecked: 'ещё не проверялся',
    neverObserved: 'позиция ещё не известна',
    lastKnown: (position: string, day: string) => `последняя известная позиция ${position} на ${day}`,
    lastKnownNotInTop: (depth: number, day: string) => `последнее известное: нет в топ-${depth} на ${day}`,
    failedOn: (source: string, day: string) => `${source}: проверка ${day} не удалась`,
    sourceOn: (source: string, day: string) => `${source}, ${day}`,
    failure: (source: string, summary: string) => `${source}: ${summary}`,
    details: 'Подробности',
    failedBadge: 'не удалось',
    average: (position: string) => `≈ ${position} в среднем`,
    averageTitle: 'Средняя позиция по показам (Search Console, Вебмастер), а не место на странице выдачи',
  },
  movers: {
    heading: 'Изменения позиций за неделю',
    period: (now: string, prev: string) =>
      `Последняя позиция каждого запроса за ${now} в сравнении с последней за ${prev}`,
    gains: 'Больше всего выросли',
    losses: 'Больше всего упали',
    enteredTop10: 'Вошли в топ-10',
    leftTop10: 'Выпали из топ-10',
    none: 'нет',
    more: (n: number) => `и ещё ${ruF.number(n)}`,
    noData: 'Пока нет запросов с позициями за обе недели: панель заполнится после второй недели проверок.',
    notInTop100: 'нет в топ-100',
  },
  failures: {
    auth: 'доступ не разрешён: проверьте ключ или токен в конфигурации',
    quota: 'исчерпан лимит запросов; следующий запуск продолжит',
    'rate-limit': 'слишком много запросов подряд; следующий запуск попробует снова',
    blocked: 'поисковая система заблокировала запрос (капча или страница «необычный трафик»)',
    malformed: 'не удалось разобрать ответ',
    http: 'сервис ответил ошибкой',
    network: 'не удалось связаться с сервисом',
    'no-results': 'на странице выдачи нет обычных (органических) результатов',
    unknown: 'проверка не удалась',
  },
  averages: {
    title: (source: string, range: string) => `${source}: средние значения за ${range}`,
    note: (source: Source) =>
      `Загружено из выгрузки ${SOURCE_OF_RU[source]}: клики, показы и CTR за весь период и средняя позиция по показам — это не позиция за день, поэтому её нет в истории позиций выше.`,
    query: 'Запрос',
    clicks: 'Клики',
    impressions: 'Показы',
    ctr: 'CTR',
    averagePosition: 'Средняя позиция',
    shown: (first: string, last: string, total: number) =>
      `${first}–${last} из ${ruF.count(total, { one: 'запроса', few: 'запросов', many: 'запросов', other: 'запроса' })}, сначала с наибольшим числом кликов`,
    earlier: (n: number) => `Более ранних загруженных периодов: ${ruF.number(n)}`,
  },
  addKeyword: {
    heading: 'Добавить запрос',
    keyword: 'Запрос',
    engine: 'Поисковая система',
    device: 'Устройство',
    country: 'Страна (Google, Bing)',
    language: 'Язык (Google, Bing)',
    location: 'Местоположение',
    optional: 'необязательно',
    regionId: 'Номер региона (Яндекс)',
    targetUrl: 'Целевой URL',
    volume: 'Частотность',
    tags: 'Теги',
    hint: 'Для запросов Google и Bing нужны страна и язык, для Яндекса — номер региона (213 — Москва, 2 — Санкт-Петербург).',
    many: 'Много запросов сразу:',
    duplicate: (query: string, engine: string, device: string) =>
      `запрос «${query}» уже отслеживается: ${engine}, этот регион, ${device}`,
  },
  competitors: {
    heading: 'Конкуренты',
    none: 'Конкурентов пока нет. Добавьте домен ниже: его доля видимости считается по уже сохранённым страницам выдачи, так что история будет сразу.',
    noneTracked: 'Для этого сайта конкуренты не отслеживаются.',
    domain: 'Домен',
    shareNow: 'Доля видимости сейчас',
    inTop10: 'Запросов в топ-10',
    averagePosition: 'Средняя позиция по общим запросам',
    thisSite: '(этот сайт)',
    competitor: '(конкурент)',
    versusSite: (position: string, common: number) =>
      `(этот сайт: ${position}; ${ruF.count(common, { one: 'общий запрос', few: 'общих запроса', many: 'общих запросов', other: 'общих запроса' })})`,
    noCommon: 'общих запросов нет',
    remove: 'Удалить',
    name: 'Название',
    submit: 'Добавить конкурента',
    notDomain: (value: string) => `«${value}» — не доменное имя вида rival.example`,
    ownDomain: (domain: string) => `${domain} — домен этого сайта`,
    noSuch: 'У этого сайта нет такого конкурента',
  },
  keyword: {
    title: 'Запрос',
    noSuch: 'Такого запроса нет',
    position: 'Позиция',
    change: 'Изменение за 7 · 30 дней',
    bestEver: 'Лучшая за всё время',
    rankingUrl: 'URL в выдаче',
    volume: (n: number) => `Частотность ${ruF.number(n)}.`,
    tags: (tags: string) => `Теги: ${tags}.`,
    chart: 'Позиция (1 — вверху)',
    notChecked: 'Этот запрос ещё не проверялся.',
    notCheckedHint: 'Задача track-rankings проверит его при следующем запуске; запустить сейчас:',
    resultPage: (day: string, source: string, depth: number) =>
      `Выдача на ${day} (${source}, первые 10 из ${depth} просмотренных)`,
    result: 'Результат',
    domain: 'Домен',
    observations: 'Все проверки',
    day: 'День',
    source: 'Источник',
    state: 'Состояние',
    position2: 'Позиция',
    url: 'URL',
    error: 'Ошибка',
    states: { ranked: 'в выдаче', 'not-in-top': 'нет в топе', failed: 'ошибка' },
  },
  view: {
    engine: (value: string, list: string) => `engine «${value}» — допустимые значения: ${list}`,
    customCurve: 'для curve «custom» нужен sites[].rankings.customCurve в конфигурации',
    curve: (value: string, list: string) => `curve «${value}» — допустимые значения: ${list}`,
    days: (value: string) => `days «${value}» должно быть целым числом дней от 7 до 730`,
  },
  problems: {
    fields: {
      query: 'запрос',
      engine: 'поисковая система',
      device: 'устройство',
      gl: 'страна (gl)',
      hl: 'язык (hl)',
      location: 'местоположение',
      lr: 'регион Яндекса (lr)',
      targetUrl: 'целевой URL',
      volume: 'частотность',
      tags: 'теги',
    },
    empty: (field: string) => `не заполнено поле «${field}»`,
    tooLong: (field: string, value: string, length: number, max: number) =>
      `${field} ${ruQuote(value)}: ${ruF.count(length, { one: 'символ', few: 'символа', many: 'символов', other: 'символа' })}, а допускается не больше ${max}`,
    engineMissing: (field: string) =>
      `не указано поле «${field}»: укажите google, yandex или bing либо выберите поисковую систему по умолчанию`,
    notOneOf: (field: string, value: string, list: string) =>
      `${field} ${ruQuote(value)}: допустимые значения — ${list}`,
    regionShape: (field: string, value: string) =>
      `${field} ${ruQuote(value)}: ожидается регион вида "gl=ru;hl=ru" или "lr=213"`,
    regionLr: (field: string, value: string) =>
      `${field} ${ruQuote(value)}: ожидается регион Яндекса вида "lr=213" — lr указывается один и это положительное число`,
    regionGl: (field: string, value: string) =>
      `${field} ${ruQuote(value)}: нужен gl=<двухбуквенный код страны>, например "gl=ru;hl=ru"`,
    regionHl: (field: string, value: string) =>
      `${field} ${ruQuote(value)}: нужен hl=<код языка>, например "gl=ru;hl=ru"`,
    yandexLocation: (field: string, value: string, lrField: string) =>
      `${field} ${ruQuote(value)}: для запросов Яндекса указывается номер региона (${lrField}), а не местоположение`,
    yandexCountry: (field: string, value: string, lrField: string) =>
      `${field} ${ruQuote(value)}: для запросов Яндекса указывается номер региона (${lrField}), а не страна`,
    lrMissing: (field: string) =>
      `не указано поле «${field}»: для запросов Яндекса нужен номер региона, например 213 — Москва`,
    lrNotId: (field: string, value: string) => `${field} ${ruQuote(value)}: это не номер региона Яндекса`,
    lrUnknown: (field: string, value: string) =>
      `${field} ${ruQuote(value)}: неизвестный регион Яндекса — укажите его номер lr (213 — Москва, 2 — Санкт-Петербург…)`,
    lrForCountry: (field: string, value: string, engine: string) =>
      `${field} ${ruQuote(value)}: для запросов ${engine} указываются страна (gl) и язык (hl), а не регион Яндекса`,
    glMissing: (field: string, engine: string) =>
      `не указано поле «${field}»: для запросов ${engine} нужна двухбуквенная страна, например ru или us`,
    glBad: (field: string, value: string) =>
      `${field} ${ruQuote(value)}: нужен двухбуквенный код страны, например ru или us`,
    hlMissing: (field: string, engine: string) =>
      `не указано поле «${field}»: для запросов ${engine} нужен язык, например ru или en`,
    hlBad: (field: string, value: string) =>
      `${field} ${ruQuote(value)}: нужен код языка, например ru, en или pt-br`,
    urlBad: (field: string, value: string) =>
      `${field} ${ruQuote(value)}: нужен полный адрес, начинающийся с http:// или https://`,
    volumeBad: (field: string, value: string) =>
      `${field} ${ruQuote(value)}: нужно целое число, например 1200 или 1 200`,
    volumeTooLarge: (field: string, value: string) => `${field} ${ruQuote(value)}: слишком большое число`,
  },
  csv: {
    id: 'ID',
    keyword: 'запрос',
    engine: 'поисковая система',
    region: 'регион',
    device: 'устройство',
    tags: 'теги',
    volume: 'частотность',
    state: 'состояние',
    position: 'позиция',
    depth: 'глубина проверки',
    day: 'дата',
    source: 'источник',
    change_7d: 'изменение за 7 дней',
    change_30d: 'изменение за 30 дней',
    best: 'лучшая позиция',
    best_day: 'дата лучшей позиции',
    ranking_url: 'URL в выдаче',
    target_url: 'целевой URL',
    mismatch: 'не та страница',
    last_failure: 'последняя ошибка',
  },
};
