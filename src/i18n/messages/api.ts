// Messages of the REST API (/api/v1): its errors, its docs page, and the API keys on the Account page.
// Russian wording follows src/i18n/glossary.md; error codes, scopes and field names stay English.
import type { Catalog } from '../catalog.ts';

export const en = {
  errors: {
    unauthorized:
      'Send a valid API key as "Authorization: Bearer pw_…"; make one on the Account page or with "promowatch keys add".',
    readOnly: 'This key may only read; make a key with the write scope to change anything.',
    rateLimited: (seconds: number) => `Too many requests with this key; try again in ${seconds} s.`,
    notFound: 'Nothing here: no such thing, or not on a site this key reaches.',
    unknownSite: (site: string) => `No site "${site}" that this key reaches.`,
    invalid: (field: string, problem: string) => `${field}: ${problem}`,
    badCursor: 'The cursor is not one this API gave out; start again without it.',
    duplicateKeyword: (query: string) =>
      `The keyword "${query}" with this engine, region and device is already tracked.`,
    duplicateLink: 'A link from this donor page to this target is already in the list.',
    noChecker: 'Checking now needs the scheduler; this dashboard runs without it.',
    checkBusy: 'A check of these links is already running; try again in a minute.',
    internal: 'Internal error; the server log has the details.',
  },
  docs: {
    title: 'promowatch API',
    intro:
      'Every call needs an API key: "Authorization: Bearer pw_…". A read key reads; a write key also changes. Lists come in pages: pass the "next" cursor back as ?cursor= for the next page.',
    document: 'The same description as an OpenAPI 3.1 document',
    parameters: 'Parameters',
    body: 'Request body',
    responses: 'Responses',
    schemas: 'Schemas',
    example: 'Example',
    scope: (scope: string) => `Key scope: ${scope}`,
    required: 'required',
  },
  keys: {
    title: 'API keys',
    intro:
      'A key lets a script use the API as you, never beyond your sites. It is shown once; keep it like a password.',
    none: 'You have no API keys.',
    name: 'Name',
    scope: 'Scope',
    scopes: { read: 'read', write: 'read and write' },
    sites: 'Sites',
    allSites: 'all your sites',
    created: 'Made',
    lastUsed: 'Last used',
    never: 'never',
    expires: 'Expires',
    noExpiry: 'no expiry',
    expiresDays: 'Expires after (days, empty: never)',
    revoked: 'revoked',
    revoke: 'Revoke',
    add: 'Make a key',
    shownOnce: 'Your new key (shown only now; copy it):',
    revokedDone: 'The key is revoked.',
  },
};

export const ru: Catalog<typeof en> = {
  errors: {
    unauthorized:
      'Передайте действующий API-ключ в заголовке «Authorization: Bearer pw_…»; ключ создаётся на странице «Учётная запись» или командой «promowatch keys add».',
    readOnly: 'Этот ключ только для чтения; чтобы что-то менять, создайте ключ с правом записи.',
    rateLimited: (seconds: number) => `Слишком много запросов с этим ключом; повторите через ${seconds} с.`,
    notFound: 'Здесь ничего нет: такого объекта нет или он на сайте, к которому у ключа нет доступа.',
    unknownSite: (site: string) => `Нет сайта «${site}», доступного этому ключу.`,
    invalid: (field: string, problem: string) => `${field}: ${problem}`,
    badCursor: 'Этот курсор выдан не этим API; начните заново без него.',
    duplicateKeyword: (query: string) =>
      `Запрос «${query}» с этой поисковой системой, регионом и устройством уже отслеживается.`,
    duplicateLink: 'Ссылка с этой страницы-донора на эту цель уже есть в списке.',
    noChecker: 'Для проверки нужен планировщик, а панель запущена без него.',
    checkBusy: 'Проверка этих ссылок уже идёт; повторите через минуту.',
    internal: 'Внутренняя ошибка; подробности — в журнале сервера.',
  },
  docs: {
    title: 'API promowatch',
    intro:
      'Каждый вызов требует API-ключа: «Authorization: Bearer pw_…». Ключ на чтение только читает, ключ на запись ещё и меняет. Списки приходят страницами: чтобы получить следующую, передайте курсор «next» в ?cursor=.',
    document: 'То же описание в виде документа OpenAPI 3.1',
    parameters: 'Параметры',
    body: 'Тело запроса',
    responses: 'Ответы',
    schemas: 'Схемы',
    example: 'Пример',
    scope: (scope: string) => `Право ключа: ${scope}`,
    required: 'обязательный',
  },
  keys: {
    title: 'API-ключи',
    intro:
      'Ключ даёт скрипту работать с API от вашего имени и только с вашими сайтами. Он показывается один раз; храните его как пароль.',
    none: 'У вас нет API-ключей.',
    name: 'Название',
    scope: 'Права',
    scopes: { read: 'чтение', write: 'чтение и запись' },
    sites: 'Сайты',
    allSites: 'все ваши сайты',
    created: 'Создан',
    lastUsed: 'Последнее использование',
    never: 'не использовался',
    expires: 'Действует до',
    noExpiry: 'бессрочно',
    expiresDays: 'Срок действия (дней; пусто — бессрочно)',
    revoked: 'отозван',
    revoke: 'Отозвать',
    add: 'Создать ключ',
    shownOnce: 'Ваш новый ключ (показывается только сейчас — скопируйте его):',
    revokedDone: 'Ключ отозван.',
  },
};
