// Texts of the REST API's docs page (/api/v1/docs) beyond its chrome in api.ts: every route's summary,
// the responses, parameters and schema fields as the OpenAPI document describes them. The English here
// must equal the document's (which is built from the route definitions in web/api/v1/*.ts and stays
// English: it is a machine contract); the docs page shows a translation only while its English still
// matches, and tests/api/docs-i18n.test.ts fails for any text of the document without one.
// Keys: "METHOD /path" as in the document; parameters and fields by name ("Schema.field" where one name
// means different things). Russian wording follows src/i18n/glossary.md.
import type { Catalog } from '../catalog.ts';

export const en = {
  page: {
    languages: 'Language of this page',
    name: 'Name',
    where: 'Where',
    type: 'Type',
    description: 'Description',
    field: 'Field',
    in: { path: 'in the path', query: 'in the query string', header: 'in a header' },
    arrayOf: 'array of',
    allFieldsOf: 'All fields of',
    andAlso: ', and also:',
    requiredMark: '* required field',
    curl: 'Try it with curl',
    curlHint:
      'The curl examples read the key from the `PROMOWATCH_KEY` environment variable and the values in the path from shell variables of the same name (`site`, `id`, `domain`).',
  },
  /** What every route may answer, by status; a route's own text for a status comes first. */
  responses: {
    400: 'Invalid input',
    401: 'No valid API key',
    403: 'The key may only read',
    404: 'Not found, or not on a site the key reaches',
    429: 'Rate limit of the key; see Retry-After',
  },
  /** Parameters by name; a route's own text for a parameter comes first. */
  parameters: {
    site: 'Site name',
    cursor: 'The "next" value of the previous page.',
    archived: 'Archived links are left out unless asked for',
  },
  /** Schemas' own descriptions, by schema name. */
  schemas: {
    BacklinkInput: 'A link as in the promowatch import file: donor_url and target required.',
  },
  /** Fields of the schemas by name ("Schema.field" where one name means different things). */
  fields: {
    next: 'Cursor of the next page; null on the last one.',
    siteId: 'null: an event of every site',
    priceMicros: 'Integer micros of currency (1 ₽ = 1,000,000)',
    'VisibilityPoint.index': 'Percent 0–100; null: nothing observed',
    'Crawl.health': '0–100',
    credentialEnv:
      "Per-account credentials as names of environment variables on the server (never the secrets): the platform's secret setting → variable name. Empty: the providers section of the config.",
    monthlyBudgetMicros: 'Integer micros of the account currency; null for no budget',
    lookbackDays: 'Days re-pulled on every sync; null for the default',
    platform: 'google-ads, yandex-direct, microsoft-ads, meta',
    costIncludesVat: 'The platform reports cost with VAT',
  },
  operations: {
    'GET /sites': { summary: 'The sites this key reaches', responses: { 200: 'Sites' } },
    'GET /sites/{site}/keywords': {
      summary: 'Tracked keywords of a site',
      responses: { 200: 'One page of keywords' },
    },
    'POST /sites/{site}/keywords': {
      summary: 'Track a keyword',
      responses: { 201: 'The keyword as stored', 409: 'Already tracked' },
    },
    'POST /sites/{site}/keywords/import': {
      summary: 'Track many keywords at once; those already tracked are skipped (safe to repeat)',
      responses: { 200: 'Ids of the new keywords and how many were already tracked' },
    },
    'DELETE /sites/{site}/keywords/{id}': {
      summary: 'Stop tracking a keyword (its history goes too); deleting one already gone also answers 204',
      responses: { 204: 'Gone' },
    },
    'PUT /sites/{site}/keywords/{id}/tags': {
      summary: "Replace a keyword's tags (idempotent)",
      responses: { 200: 'The keyword as stored' },
    },
    'GET /sites/{site}/tags': { summary: 'Keyword tags used on a site', responses: { 200: 'Tags' } },
    'GET /sites/{site}/competitors': {
      summary: 'Competitors watched for a site',
      responses: { 200: 'Competitors' },
    },
    'PUT /sites/{site}/competitors/{domain}': {
      summary: 'Watch a competitor by domain (again: only its name changes)',
      responses: { 200: 'The competitor as stored' },
    },
    'DELETE /sites/{site}/competitors/{id}': {
      summary: 'Stop watching a competitor; one already gone also answers 204',
      responses: { 204: 'Gone' },
    },
    'GET /sites/{site}/events': {
      summary: 'Dated events of a site (and those of every site) between two days',
      responses: { 200: 'Events by day' },
    },
    'POST /sites/{site}/events': {
      summary: 'Add a dated event (drawn on every chart)',
      responses: { 201: 'The event as stored' },
    },
    'DELETE /sites/{site}/events/{id}': {
      summary: "Delete one of the site's events; one already gone also answers 204",
      responses: { 204: 'Gone' },
    },
    'GET /sites/{site}/backlinks': {
      summary: 'Bought links of a site, by id',
      responses: { 200: 'One page of links' },
    },
    'POST /sites/{site}/backlinks': {
      summary: 'Add a link',
      responses: { 201: 'The link as stored', 409: 'The same donor page and target are already listed' },
    },
    'GET /backlinks/{id}': { summary: 'One link', responses: { 200: 'The link' } },
    'PUT /backlinks/{id}': {
      summary:
        'Replace what was typed about a link (its checks and state stay); repeating it changes nothing more',
      responses: { 200: 'The link as stored', 409: 'Another link has this donor page and target' },
    },
    'POST /sites/{site}/backlinks/import': {
      summary: 'Add many links; those already listed are skipped (safe to repeat); a bad row adds nothing',
      responses: { 200: 'Ids of the new links and how many were already listed' },
    },
    'PUT /backlinks/{id}/archived': {
      summary: 'Archive a link (true) or bring it back (false); idempotent',
      responses: { 200: 'The link as stored' },
    },
    'POST /backlinks/{id}/check': {
      summary: 'Check a link now, as the dashboard\'s "Check now" does (a manual run of check-backlinks)',
      responses: {
        200: 'The link after the check',
        409: 'No scheduler attached, or a check of it is already running',
      },
    },
    'GET /alerts': {
      summary: 'Alerts, newest first, on the sites the key reaches (paged by cursor)',
      parameters: { site: 'Only this site' },
      responses: { 200: 'One page of alerts' },
    },
    'PUT /alerts/{id}/state': {
      summary: 'Acknowledge, resolve or reopen an alert; setting the state it already has changes nothing',
      responses: { 200: 'The alert as it now is' },
    },
    'GET /sites/{site}/visibility': {
      summary:
        'Visibility per day (percent of the clicks the top positions would get) and the position bands',
      responses: { 200: 'One point per day' },
    },
    'GET /sites/{site}/keywords/{id}/positions': {
      summary: "A keyword's observed positions, newest first, per source",
      responses: { 200: 'Observations' },
    },
    'GET /sites/{site}/ad-accounts': {
      summary: 'Ad accounts of a site (never their credentials)',
      responses: { 200: 'Accounts' },
    },
    'POST /sites/{site}/ad-accounts': {
      summary:
        'Add an ad account to a site (as the Ads page does); its statistics come with the next pull-ads run',
      responses: {
        201: 'The account as added',
        409: 'This platform account is already added (to this or another site)',
      },
    },
    'GET /sites/{site}/ad-stats': {
      summary: "Ad statistics per period and group, in each account's currency (money in integer micros)",
      responses: { 200: 'Rows by period, group and currency' },
    },
    'GET /sites/{site}/audits': {
      summary: 'Finished site audits (crawls), newest first',
      responses: { 200: 'Crawls' },
    },
    'GET /sites/{site}/audits/{id}/issues': {
      summary: 'Issues of one audit, counted by rule',
      responses: { 200: 'Issue counts' },
    },
    'GET /sites/{site}/reports': {
      summary: 'Weekly reports of a site, newest week first',
      responses: { 200: 'Reports' },
    },
    'GET /reports/{id}': {
      summary: 'One report: its summary, plain text and HTML as mailed',
      responses: { 200: 'The report' },
    },
    'GET /reports/{id}/pdf': { summary: 'The report as a PDF file', responses: { 200: 'The PDF' } },
    'PUT /ad-accounts/{id}': {
      summary:
        "Replace an ad account's settings (name, time zone, VAT, budget, lookback, credential variables); the same body twice leaves the same account",
      responses: { 200: 'The account as it now is' },
    },
    'DELETE /ad-accounts/{id}': {
      summary:
        'Remove an ad account with its statistics and sync history; an account already gone answers 204 too',
      responses: { 204: 'Removed, or already gone' },
    },
  },
};

export const ru: Catalog<typeof en> = {
  page: {
    languages: 'Язык страницы',
    name: 'Имя',
    where: 'Где',
    type: 'Тип',
    description: 'Описание',
    field: 'Поле',
    in: { path: 'в пути', query: 'в строке запроса', header: 'в заголовке' },
    arrayOf: 'массив из',
    allFieldsOf: 'Все поля',
    andAlso: ', а также:',
    requiredMark: '* обязательное поле',
    curl: 'Попробовать через curl',
    curlHint:
      'Примеры для curl берут ключ из переменной окружения `PROMOWATCH_KEY`, а значения в пути — из одноимённых переменных оболочки (`site`, `id`, `domain`).',
  },
  responses: {
    400: 'Неверные входные данные',
    401: 'Нет действующего API-ключа',
    403: 'Ключ только для чтения',
    404: 'Не найдено или находится на сайте, к которому у ключа нет доступа',
    429: 'Превышен лимит запросов ключа; когда повторить, скажет заголовок `Retry-After`',
  },
  parameters: {
    site: 'Имя сайта',
    cursor: 'Значение `next` с предыдущей страницы.',
    archived: 'Ссылки в архиве не выдаются, если не запросить их явно',
  },
  schemas: {
    BacklinkInput:
      'Ссылка в том же виде, что в файле импорта promowatch: `donor_url` и `target` обязательны.',
  },
  fields: {
    next: 'Курсор следующей страницы; на последней — `null`.',
    siteId: '`null` — событие всех сайтов',
    priceMicros: 'Целое число миллионных долей валюты (1 ₽ = 1 000 000)',
    'VisibilityPoint.index': 'Процент от 0 до 100; `null` — наблюдений нет',
    'Crawl.health': 'от 0 до 100',
    credentialEnv:
      'Доступы аккаунта в виде имён переменных окружения на сервере (сами секреты здесь не хранятся): секретная настройка платформы → имя переменной. Пусто — доступы из раздела `providers` конфигурации.',
    monthlyBudgetMicros: 'Целое число миллионных долей валюты аккаунта; `null` — без бюджета',
    lookbackDays:
      'Глубина обновления: сколько последних дней загружать заново при каждой загрузке; `null` — по умолчанию',
    platform: 'Платформа: `google-ads`, `yandex-direct`, `microsoft-ads` или `meta`',
    costIncludesVat: 'Платформа отдаёт расход с НДС',
  },
  operations: {
    'GET /sites': { summary: 'Сайты, доступные этому ключу', responses: { 200: 'Сайты' } },
    'GET /sites/{site}/keywords': {
      summary: 'Отслеживаемые запросы сайта',
      responses: { 200: 'Одна страница запросов' },
    },
    'POST /sites/{site}/keywords': {
      summary: 'Начать отслеживать запрос',
      responses: { 201: 'Запрос в том виде, в каком сохранён', 409: 'Уже отслеживается' },
    },
    'POST /sites/{site}/keywords/import': {
      summary: 'Добавить сразу много запросов; уже отслеживаемые пропускаются (можно повторять)',
      responses: { 200: 'Номера новых запросов и сколько уже отслеживалось' },
    },
    'DELETE /sites/{site}/keywords/{id}': {
      summary:
        'Перестать отслеживать запрос (его история тоже удаляется); если запроса уже нет, ответ тоже 204',
      responses: { 204: 'Удалено' },
    },
    'PUT /sites/{site}/keywords/{id}/tags': {
      summary: 'Заменить теги запроса (повтор ничего не меняет)',
      responses: { 200: 'Запрос в том виде, в каком сохранён' },
    },
    'GET /sites/{site}/tags': { summary: 'Теги запросов сайта', responses: { 200: 'Теги' } },
    'GET /sites/{site}/competitors': {
      summary: 'Отслеживаемые конкуренты сайта',
      responses: { 200: 'Конкуренты' },
    },
    'PUT /sites/{site}/competitors/{domain}': {
      summary: 'Начать отслеживать конкурента по домену (повторный вызов меняет только название)',
      responses: { 200: 'Конкурент в том виде, в каком сохранён' },
    },
    'DELETE /sites/{site}/competitors/{id}': {
      summary: 'Перестать отслеживать конкурента; если его уже нет, ответ тоже 204',
      responses: { 204: 'Удалено' },
    },
    'GET /sites/{site}/events': {
      summary: 'События сайта (и общие для всех сайтов) между двумя датами',
      responses: { 200: 'События по дням' },
    },
    'POST /sites/{site}/events': {
      summary: 'Добавить событие (оно рисуется на всех графиках)',
      responses: { 201: 'Событие в том виде, в каком сохранено' },
    },
    'DELETE /sites/{site}/events/{id}': {
      summary: 'Удалить событие сайта; если события уже нет, ответ тоже 204',
      responses: { 204: 'Удалено' },
    },
    'GET /sites/{site}/backlinks': {
      summary: 'Купленные ссылки сайта в порядке номеров',
      responses: { 200: 'Одна страница ссылок' },
    },
    'POST /sites/{site}/backlinks': {
      summary: 'Добавить ссылку',
      responses: {
        201: 'Ссылка в том виде, в каком сохранена',
        409: 'Ссылка с этой страницы донора на этот акцептор уже есть в списке',
      },
    },
    'GET /backlinks/{id}': { summary: 'Одна ссылка', responses: { 200: 'Ссылка' } },
    'PUT /backlinks/{id}': {
      summary:
        'Заменить введённые данные ссылки (проверки и состояние остаются); повтор больше ничего не меняет',
      responses: {
        200: 'Ссылка в том виде, в каком сохранена',
        409: 'Другая ссылка уже ведёт с этой страницы донора на этот акцептор',
      },
    },
    'POST /sites/{site}/backlinks/import': {
      summary:
        'Добавить сразу много ссылок; уже внесённые пропускаются (можно повторять); при ошибке в одной строке не добавляется ничего',
      responses: { 200: 'Номера новых ссылок и сколько уже было в списке' },
    },
    'PUT /backlinks/{id}/archived': {
      summary: 'Отправить ссылку в архив (`true`) или вернуть из архива (`false`); повтор ничего не меняет',
      responses: { 200: 'Ссылка в том виде, в каком сохранена' },
    },
    'POST /backlinks/{id}/check': {
      summary:
        'Проверить ссылку сейчас, как кнопка «Проверить сейчас» в панели (ручной запуск задачи `check-backlinks`)',
      responses: {
        200: 'Ссылка после проверки',
        409: 'Планировщик не подключён или проверка этой ссылки уже идёт',
      },
    },
    'GET /alerts': {
      summary: 'Оповещения по сайтам, доступным ключу, сначала новые (страницами по курсору)',
      parameters: { site: 'Только этот сайт' },
      responses: { 200: 'Одна страница оповещений' },
    },
    'PUT /alerts/{id}/state': {
      summary: 'Принять, закрыть или снова открыть оповещение; то же состояние ещё раз ничего не меняет',
      responses: { 200: 'Оповещение в текущем состоянии' },
    },
    'GET /sites/{site}/visibility': {
      summary:
        'Видимость по дням (процент кликов, которые собрали бы верхние позиции) и распределение по группам позиций',
      responses: { 200: 'Одна точка на день' },
    },
    'GET /sites/{site}/keywords/{id}/positions': {
      summary: 'Снятые позиции запроса по источникам, сначала новые',
      responses: { 200: 'Наблюдения' },
    },
    'GET /sites/{site}/ad-accounts': {
      summary: 'Рекламные аккаунты сайта (без доступов)',
      responses: { 200: 'Аккаунты' },
    },
    'POST /sites/{site}/ad-accounts': {
      summary:
        'Добавить рекламный аккаунт сайту (как на странице «Реклама»); статистика появится после следующего запуска `pull-ads`',
      responses: {
        201: 'Аккаунт в том виде, в каком добавлен',
        409: 'Этот аккаунт платформы уже добавлен (к этому или другому сайту)',
      },
    },
    'GET /sites/{site}/ad-stats': {
      summary:
        'Статистика рекламы по периодам и группам, в валюте каждого аккаунта (деньги — целыми миллионными долями)',
      responses: { 200: 'Строки по периодам, группам и валютам' },
    },
    'GET /sites/{site}/audits': {
      summary: 'Завершённые аудиты сайта (обходы), сначала новые',
      responses: { 200: 'Обходы' },
    },
    'GET /sites/{site}/audits/{id}/issues': {
      summary: 'Проблемы одного аудита с подсчётом по правилам',
      responses: { 200: 'Число проблем по правилам' },
    },
    'GET /sites/{site}/reports': {
      summary: 'Еженедельные отчёты сайта, сначала новые',
      responses: { 200: 'Отчёты' },
    },
    'GET /reports/{id}': {
      summary: 'Один отчёт: сводка, простой текст и HTML, как в письме',
      responses: { 200: 'Отчёт' },
    },
    'GET /reports/{id}/pdf': { summary: 'Отчёт в виде PDF-файла', responses: { 200: 'PDF-файл' } },
    'PUT /ad-accounts/{id}': {
      summary:
        'Заменить настройки рекламного аккаунта (название, часовой пояс, НДС, бюджет, глубина обновления, переменные с доступами); то же тело дважды даёт тот же аккаунт',
      responses: { 200: 'Аккаунт в текущем виде' },
    },
    'DELETE /ad-accounts/{id}': {
      summary:
        'Удалить рекламный аккаунт вместе со статистикой и историей загрузок; если аккаунта уже нет, ответ тоже 204',
      responses: { 204: 'Удалён или уже был удалён' },
    },
  },
};
