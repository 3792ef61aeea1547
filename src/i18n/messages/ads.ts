// Messages of the ads area: the Ads page, its charts' JSON, the account forms, the CSV headers, and the
// account checks the CLI shares (src/ads/store.ts words them in English). Russian wording follows
// src/i18n/glossary.md and the words of Yandex Direct's own interface (расход, показы, клики, конверсии).
// Over 400 lines on purpose: one catalogue per area, English and Russian side by side, so a translator
// sees every word of the Ads page in one file; the platforms' names come from their own files.
import { platformLabels } from '../../ads/registry.ts';
import type { Catalog } from '../catalog.ts';
import { formatter } from '../format.ts';

type Group = 'platform' | 'campaign' | 'account';
type Period = 'day' | 'week' | 'month';

const enF = formatter('en');
const ruF = formatter('ru');
const enList = new Intl.ListFormat('en', { type: 'conjunction' });
const ruList = new Intl.ListFormat('ru', { type: 'conjunction' });

export const en = {
  /** Human names of the platforms (the ids stay in URLs, JSON keys and the CSV). */
  platforms: platformLabels('en'),
  filter: {
    period: 'Period',
    lastDays: (n: number) => `last ${enF.number(n)} days`,
    custom: 'from … to',
    from: 'From',
    to: 'To',
    by: 'By',
    granularity: { day: 'day', week: 'week', month: 'month' },
    stackBy: 'Stack by',
    groups: { platform: 'platform', campaign: 'campaign', account: 'account' },
    platform: 'Platform',
    currency: 'Currency',
    perCurrency: 'per currency',
    converted: 'converted',
  },
  notes: {
    converted: (base: string, asOf: string | null, rates: string) =>
      `Amounts in ${base}, converted at the rates in the config (as of ${asOf ?? 'no date given'}): ${rates}.`,
    perCurrency: (currencies: string[]) =>
      `Accounts in ${enList.format(currencies)}: totals are shown per currency and never added together.`,
    oneTotal: 'To see one total, add this to the config:',
    range: (range: string, previous: string) => `${range} against the ${previous} before it.`,
    vat: 'Accounts marked “VAT included” report cost with VAT.',
    todaySoFar: (yesterday: string) =>
      `Spend, clicks and conversions include today so far; CTR, CPA and ROAS count complete days, up to ${yesterday}.`,
    inCurrency: (currency: string) => `In ${currency}`,
    added:
      'Account added. The pull-ads job pulls its statistics on its next run (or use “Run now” on the Jobs page).',
    importExport: "Import a platform's export:",
  },
  empty: {
    noAccounts: 'No ad accounts yet.',
    noAccountsHint: "Add one with the form below or from the command line, or import a platform's export:",
    noStats: (range: string, platform: string | null) =>
      platform ? `No ad statistics for ${range} (${platform}).` : `No ad statistics for ${range}.`,
    noStatsHint: "The pull-ads job fills this from the platforms' APIs; or import a platform's export:",
  },
  cards: {
    totalsIn: (currency: string) => `Totals in ${currency}`,
    spend: (currency: string) => `Spend (${currency})`,
    clicks: 'Clicks',
    ctr: 'CTR',
    cpc: (currency: string) => `CPC (${currency})`,
    conversions: 'Conversions',
    cpa: (currency: string) => `CPA (${currency})`,
    roas: 'ROAS (value ÷ spend)',
    previousPeriod: (value: string) => `previous period: ${value}`,
    new: 'new',
  },
  charts: {
    spendBy: (group: Group, period: Period, unit: string) => `Spend by ${group} per ${period}, ${unit}`,
    cpc: (unit: string) => `Cost per click, ${unit}`,
    cpa: (unit: string) => `Cost per conversion, ${unit}`,
    roas: 'ROAS (conversion value ÷ spend)',
    todayLeftOut: 'Today is not over yet: it is left out until tomorrow.',
  },
  /** Axis titles and dataset labels of /api/ads/trend. */
  axis: {
    spend: (unit: string) => `spend, ${unit}`,
    spendPerCurrency: 'spend, each in its own currency (a stack per currency)',
    cpc: (unit: string) => `cost per click, ${unit}`,
    cpcPerCurrency: 'cost per click, each in its own currency',
    cpa: (unit: string) => `cost per conversion, ${unit}`,
    cpaPerCurrency: 'cost per conversion, each in its own currency',
    otherCampaigns: 'other campaigns',
  },
  pacing: {
    heading: 'Budget pacing this month',
    account: 'Account',
    monthToDate: 'Month to date',
    budget: 'Monthly budget',
    forecast: 'Forecast to month end',
    verdict: 'Verdict',
    noBudget: 'No monthly budget set',
    over: (percent: string) => `⚠ Heading over budget by ${percent}`,
    overWithinMargin: (percent: string, margin: string) =>
      `Forecast ${percent} over budget (within the ${margin} margin)`,
    onTrack: (percent: string) => `On track: ${percent} of budget`,
    monthDay: (month: string, day: number, days: number) => `${month}, day ${day} of ${days}`,
    spentOfBudget: 'spent of budget',
    forecastAgainstBudget: 'forecast against budget',
    pace: (money: string, days: number) =>
      days === 1 ? `at ${money} a day (last day)` : `at ${money} a day (last ${days} days)`,
    hint: "The forecast is the spend through yesterday plus the last week's daily pace for the days left; today counts as a full day at that pace.",
  },
  campaigns: {
    heading: 'Campaigns',
    count: (n: number) => enF.count(n, { one: 'campaign', other: 'campaigns' }),
    compared: (range: string, previous: string) => `${range}, compared with ${previous}`,
    pageOf: (page: number, pages: number) => `page ${page} of ${pages}`,
    campaign: 'Campaign',
    spend: 'Spend',
    spendChange: 'Spend change',
    clicks: 'Clicks',
    conversions: 'Conversions',
    cpc: 'CPC',
    cpa: 'CPA',
    roas: 'ROAS',
    before: (value: string) => `before: ${value}`,
    previous: '← previous',
    next: 'next →',
  },
  anomalies: {
    heading: 'Anomalies',
    day: 'Day',
    what: 'What',
    campaign: 'Campaign',
    details: 'Details',
    kinds: {
      'spend-spike': 'spend spike',
      'ctr-drop': 'CTR drop',
      'zero-impressions': 'no impressions on an active campaign',
      'cpa-jump': 'cost per conversion jump',
    },
    against: (value: string, usual: string) => `${value} against a usual ${usual}`,
    usualImpressions: (n: number) =>
      `usually ${enF.count(n, { one: 'impression', other: 'impressions' })} on this weekday`,
  },
  sync: {
    never: 'never pulled or imported',
    status: { ok: 'ok', failed: 'failed', pending: 'pending', running: 'running' },
    kind: { api: 'api', import: 'import' },
    rows: (n: number) => enF.count(n, { one: 'row', other: 'rows' }),
    pending: 'The platform is still building the report; the next run picks it up.',
    pullFailed: 'Could not pull the statistics; the next run of pull-ads tries again.',
    importFailed: 'The import failed.',
    details: 'Details',
    lastGood: (time: string) => `last good: ${time}`,
  },
  accounts: {
    heading: 'Ad accounts',
    account: 'Account',
    currencyZone: 'Currency · time zone',
    vat: 'VAT in cost',
    credentials: 'Credentials',
    lastSync: 'Last sync',
    budget: 'Monthly budget',
    vatIncluded: 'included',
    vatExcluded: 'not included',
    fromConfig: 'from the config',
    budgetNone: 'none',
    setBudget: 'Set',
    notAdded: 'Account not added',
    budgetNotSet: 'Budget not set',
    addHeading: 'Add an account',
    platform: 'Platform',
    externalId: 'External id',
    externalIdPlaceholder: 'client login, customer id, act_…',
    name: 'Name',
    currency: 'Currency',
    timeZone: 'Time zone',
    costIncludesVat: 'Cost includes VAT',
    monthlyBudget: 'Monthly budget',
    optional: 'optional',
    lookback: 'Lookback days',
    lookbackDefault: 'default',
    credentialsLegend:
      'Credentials for this account only: the names of environment variables (otherwise providers.<platform> in the config is used)',
    envVar: (key: string) => `${key} env var`,
    submit: 'Add account',
    tokenHint:
      "Never paste a token here: put it in the environment of the promowatch process and give the variable's name; the pull-ads job reads it when it runs.",
    cliAdd: 'Add from the command line:',
    cliRemove: 'Remove an account:',
  },
  /** The web form's own checks. */
  form: {
    secretPasted: (key: string) =>
      `${key} env var must be the name of an environment variable like DIRECT_TOKEN_CLIENT2 (capitals, digits, underscores), never the secret itself: put the secret in the server's environment and give its name here`,
    notCredentialOf: (key: string, platform: string, reads: string) =>
      `${key} is not a credential of ${platform} (it reads ${reads})`,
    budgetAmount: 'monthly budget must be an amount like 150000 or 1500.50',
    alreadyAdded: (platform: string, id: string) => `${platform} account ${id} is already added`,
    alreadyAddedElsewhere: (platform: string, id: string) =>
      `${platform} account ${id} is already added (to another site)`,
    budgetInvalid: (account: string) =>
      `${account}: monthly budget must be an amount like 150000 or 1500.50 (empty for none)`,
    noSuchAccount: 'No such ad account for this site',
  },
  /** An account as a person typed it (web form and CLI): one problem per field. */
  problems: {
    platform: (list: string) => `platform must be one of ${list}`,
    externalIdEmpty: 'external id is empty',
    externalId: (platform: string, id: string, rule: { en: string; ru: string }) =>
      `${platform} account id "${id}" must be ${rule.en}`,
    nameEmpty: 'name is empty',
    currency: (currency: string) => `currency "${currency}" must be a three-letter ISO 4217 code like RUB`,
    timeZoneEmpty: 'time zone is empty',
    timeZone: (zone: string) => `time zone "${zone}" is not an IANA zone like Europe/Moscow`,
    budgetNegative: 'monthly budget must be a positive amount',
    credential: (key: string) =>
      `credential "${key}" must be an environment reference like {"env": "DIRECT_TOKEN"}`,
    lookback: 'lookback days must be a whole number from 1 to 90',
  },
  /** What is wrong with a page's or an endpoint's query (parameter names stay as typed in the URL). */
  view: {
    fromToTogether: 'from and to go together (days like 2026-09-01)',
    badRange: (from: string, to: string) =>
      `from "${from}" and to "${to}" must be days like 2026-09-01, from first`,
    tooLong: (from: string, to: string, max: number) =>
      `from ${from} to ${to} is longer than ${enF.number(max)} days`,
    badDays: (value: string, max: number) =>
      `days "${value}" must be a whole number of days from 1 to ${enF.number(max)}`,
    notOneOf: (name: string, value: string, list: string) => `${name} "${value}" is not one of ${list}`,
    badCurrency: (value: string) => `currency "${value}" must be a three-letter ISO 4217 code like RUB`,
    badConvert: (value: string) => `convert "${value}" must be 0 or 1`,
    convertNeedsRates: 'convert=1 needs "currency": {"base": "RUB", "rates": {…}} in the config',
    noRate: (missing: string, base: string) =>
      `no exchange rate for ${missing} to ${base}: add currency.rates.${missing} to the config to see totals in ${base}`,
    totalsApart: (missing: string, base: string) =>
      `Totals stay per currency: no exchange rate for ${missing} to ${base}: add currency.rates.${missing} to the config to see totals in ${base}.`,
  },
  /** CSV column headers; the English ones are the file's long-standing machine-friendly names. */
  csv: {
    platform: 'platform',
    account: 'account',
    campaign_id: 'campaign_id',
    campaign: 'campaign',
    currency: 'currency',
    from: 'from',
    to: 'to',
    impressions: 'impressions',
    clicks: 'clicks',
    spend: 'spend',
    ctr: 'ctr',
    cpc: 'cpc',
    conversions: 'conversions',
    cpa: 'cpa',
    conversion_value: 'conversion_value',
    roas: 'roas',
    prev_impressions: 'prev_impressions',
    prev_clicks: 'prev_clicks',
    prev_spend: 'prev_spend',
    prev_ctr: 'prev_ctr',
    prev_cpc: 'prev_cpc',
    prev_conversions: 'prev_conversions',
    prev_cpa: 'prev_cpa',
    prev_roas: 'prev_roas',
    spend_change: 'spend_change',
    clicks_change: 'clicks_change',
    ctr_change: 'ctr_change',
    cpc_change: 'cpc_change',
    conversions_change: 'conversions_change',
    cpa_change: 'cpa_change',
    roas_change: 'roas_change',
  },
};

const RU_GROUPS: Record<Group, string> = {
  platform: 'платформам',
  campaign: 'кампаниям',
  account: 'аккаунтам',
};
const RU_PERIODS: Record<Period, string> = { day: 'по дням', week: 'по неделям', month: 'по месяцам' };
const DAYS_RU = { one: 'день', few: 'дня', many: 'дней', other: 'дня' };

export const ru: Catalog<typeof en> = {
  platforms: platformLabels('ru'),
  filter: {
    period: 'Период',
    lastDays: (n: number) => `последние ${ruF.count(n, DAYS_RU)}`,
    custom: 'с … по',
    from: 'С',
    to: 'По',
    by: 'Шаг',
    granularity: { day: 'день', week: 'неделя', month: 'месяц' },
    stackBy: 'Разбить по',
    groups: { platform: 'платформам', campaign: 'кампаниям', account: 'аккаунтам' },
    platform: 'Платформа',
    currency: 'Валюта',
    perCurrency: 'каждая отдельно',
    converted: 'пересчитать в одну',
  },
  notes: {
    converted: (base: string, asOf: string | null, rates: string) =>
      `Суммы в ${base}, пересчитаны по курсам из конфигурации (${asOf ? `курс на ${asOf}` : 'дата курса не указана'}): ${rates}.`,
    perCurrency: (currencies: string[]) =>
      `Аккаунты ведутся в ${ruList.format(currencies)}: итоги показаны по каждой валюте отдельно и никогда не складываются.`,
    oneTotal: 'Чтобы видеть один общий итог, добавьте в конфигурацию:',
    // Russian dates end in «г.»: the sentence closes on a bracket, not on a second full stop.
    range: (range: string, previous: string) => `${range} в сравнении с предыдущим периодом (${previous}).`,
    vat: 'Расход аккаунтов с отметкой «НДС включён» указан с НДС.',
    todaySoFar: (yesterday: string) =>
      `Расход, клики и конверсии — с учётом сегодняшнего неполного дня; CTR, CPA и ROAS — только по полным дням, по ${yesterday} включительно.`,
    inCurrency: (currency: string) => `В валюте ${currency}`,
    added:
      'Аккаунт добавлен. Задача pull-ads загрузит его статистику при следующем запуске (или нажмите «Запустить сейчас» на странице «Задачи»).',
    importExport: 'Импорт выгрузки из рекламной платформы:',
  },
  empty: {
    noAccounts: 'Рекламных аккаунтов пока нет.',
    noAccountsHint:
      'Добавьте аккаунт через форму ниже или из командной строки либо импортируйте выгрузку из рекламной платформы:',
    noStats: (range: string, platform: string | null) =>
      platform ? `За ${range} статистики рекламы нет (${platform}).` : `За ${range} статистики рекламы нет.`,
    noStatsHint:
      'Эти данные загружает задача pull-ads через API платформ; можно и импортировать выгрузку из платформы:',
  },
  cards: {
    totalsIn: (currency: string) => `Итоги в валюте ${currency}`,
    spend: (currency: string) => `Расход (${currency})`,
    clicks: 'Клики',
    ctr: 'CTR',
    cpc: (currency: string) => `CPC (${currency})`,
    conversions: 'Конверсии',
    cpa: (currency: string) => `CPA (${currency})`,
    roas: 'ROAS (ценность ÷ расход)',
    previousPeriod: (value: string) => `предыдущий период: ${value}`,
    new: 'впервые',
  },
  charts: {
    spendBy: (group: Group, period: Period, unit: string) =>
      `Расход по ${RU_GROUPS[group]} ${RU_PERIODS[period]}, ${unit}`,
    cpc: (unit: string) => `Цена клика, ${unit}`,
    cpa: (unit: string) => `Цена конверсии, ${unit}`,
    roas: 'ROAS (ценность конверсий ÷ расход)',
    todayLeftOut: 'Сегодняшний день ещё не закончился: он появится здесь завтра.',
  },
  axis: {
    spend: (unit: string) => `расход, ${unit}`,
    spendPerCurrency: 'расход, каждый в своей валюте (отдельный столбец на валюту)',
    cpc: (unit: string) => `цена клика, ${unit}`,
    cpcPerCurrency: 'цена клика, каждая в своей валюте',
    cpa: (unit: string) => `цена конверсии, ${unit}`,
    cpaPerCurrency: 'цена конверсии, каждая в своей валюте',
    otherCampaigns: 'другие кампании',
  },
  pacing: {
    heading: 'Темп расхода бюджета в этом месяце',
    account: 'Аккаунт',
    monthToDate: 'С начала месяца',
    budget: 'Бюджет на месяц',
    forecast: 'Прогноз на конец месяца',
    verdict: 'Оценка',
    noBudget: 'Бюджет на месяц не задан',
    over: (percent: string) => `⚠ Грозит перерасход бюджета на ${percent}`,
    overWithinMargin: (percent: string, margin: string) =>
      `Прогноз выше бюджета на ${percent} (в пределах допуска ${margin})`,
    onTrack: (percent: string) => `В рамках бюджета: прогноз — ${percent} бюджета`,
    monthDay: (month: string, day: number, days: number) => `${month}, день ${day} из ${days}`,
    spentOfBudget: 'израсходовано из бюджета',
    forecastAgainstBudget: 'прогноз относительно бюджета',
    pace: (money: string, days: number) =>
      days === 1
        ? `по ${money} в день (за последний день)`
        : `по ${money} в день (за последние ${ruF.count(days, DAYS_RU)})`,
    hint: 'Прогноз — это расход по вчерашний день плюс средний дневной расход за последнюю неделю на оставшиеся дни; сегодняшний день считается полным днём в этом темпе.',
  },
  campaigns: {
    heading: 'Кампании',
    count: (n: number) =>
      ruF.count(n, { one: 'кампания', few: 'кампании', many: 'кампаний', other: 'кампании' }),
    compared: (range: string, previous: string) => `${range}, в сравнении с ${previous}`,
    pageOf: (page: number, pages: number) => `страница ${page} из ${pages}`,
    campaign: 'Кампания',
    spend: 'Расход',
    spendChange: 'Изменение расхода',
    clicks: 'Клики',
    conversions: 'Конверсии',
    cpc: 'CPC',
    cpa: 'CPA',
    roas: 'ROAS',
    before: (value: string) => `было: ${value}`,
    previous: '← назад',
    next: 'далее →',
  },
  anomalies: {
    heading: 'Аномалии',
    day: 'День',
    what: 'Что случилось',
    campaign: 'Кампания',
    details: 'Подробности',
    kinds: {
      'spend-spike': 'всплеск расхода',
      'ctr-drop': 'падение CTR',
      'zero-impressions': 'нет показов у активной кампании',
      'cpa-jump': 'скачок цены конверсии',
    },
    against: (value: string, usual: string) => `${value}, обычно ${usual}`,
    usualImpressions: (n: number) =>
      `обычно ${ruF.count(n, { one: 'показ', few: 'показа', many: 'показов', other: 'показа' })} в этот день недели`,
  },
  sync: {
    never: 'статистика ещё не загружалась',
    status: { ok: 'успешно', failed: 'ошибка', pending: 'ждёт отчёта', running: 'идёт' },
    kind: { api: 'API', import: 'импорт' },
    rows: (n: number) => ruF.count(n, { one: 'строка', few: 'строки', many: 'строк', other: 'строки' }),
    pending: 'Платформа ещё готовит отчёт; следующий запуск заберёт его.',
    pullFailed: 'Не удалось получить статистику; следующий запуск pull-ads попробует снова.',
    importFailed: 'Импорт не удался.',
    details: 'Подробности',
    lastGood: (time: string) => `последняя успешная: ${time}`,
  },
  accounts: {
    heading: 'Рекламные аккаунты',
    account: 'Аккаунт',
    currencyZone: 'Валюта · часовой пояс',
    vat: 'НДС в расходе',
    credentials: 'Доступы',
    lastSync: 'Последняя загрузка',
    budget: 'Бюджет на месяц',
    vatIncluded: 'включён',
    vatExcluded: 'не включён',
    fromConfig: 'из конфигурации',
    budgetNone: 'нет',
    setBudget: 'Задать',
    notAdded: 'Аккаунт не добавлен',
    budgetNotSet: 'Бюджет не сохранён',
    addHeading: 'Добавить аккаунт',
    platform: 'Платформа',
    externalId: 'ID в платформе',
    externalIdPlaceholder: 'логин клиента, customer id, act_…',
    name: 'Название',
    currency: 'Валюта',
    timeZone: 'Часовой пояс',
    costIncludesVat: 'Расход с НДС',
    monthlyBudget: 'Бюджет на месяц',
    optional: 'необязательно',
    lookback: 'Глубина обновления, дней',
    lookbackDefault: 'по умолчанию',
    credentialsLegend:
      'Доступы только для этого аккаунта: имена переменных окружения (иначе берутся из providers.<платформа> в конфигурации)',
    envVar: (key: string) => `${key}: переменная окружения`,
    submit: 'Добавить аккаунт',
    tokenHint:
      'Никогда не вставляйте сюда токен: задайте его в окружении процесса promowatch и укажите имя переменной; задача pull-ads прочитает её при запуске.',
    cliAdd: 'Добавить из командной строки:',
    cliRemove: 'Удалить аккаунт:',
  },
  form: {
    secretPasted: (key: string) =>
      `${key}: здесь нужно имя переменной окружения вида DIRECT_TOKEN_CLIENT2 (заглавные латинские буквы, цифры, подчёркивания), а не сам секрет: задайте секрет в окружении сервера и укажите здесь имя переменной`,
    notCredentialOf: (key: string, platform: string, reads: string) =>
      `${platform} не использует ${key} (нужно: ${reads})`,
    budgetAmount: 'бюджет на месяц должен быть суммой вида 150000 или 1500,50',
    alreadyAdded: (platform: string, id: string) => `аккаунт ${platform} ${id} уже добавлен`,
    alreadyAddedElsewhere: (platform: string, id: string) =>
      `аккаунт ${platform} ${id} уже добавлен (к другому сайту)`,
    budgetInvalid: (account: string) =>
      `${account}: бюджет на месяц должен быть суммой вида 150000 или 1500,50 (пусто — без бюджета)`,
    noSuchAccount: 'У этого сайта нет такого рекламного аккаунта',
  },
  problems: {
    platform: (list: string) => `платформа должна быть одной из: ${list}`,
    externalIdEmpty: 'не указан ID в платформе',
    externalId: (platform: string, id: string, rule: { en: string; ru: string }) =>
      `ID аккаунта ${platform} «${id}» должен ${rule.ru}`,
    nameEmpty: 'не указано название',
    currency: (currency: string) =>
      `валюта «${currency}» должна быть трёхбуквенным кодом ISO 4217, например RUB`,
    timeZoneEmpty: 'не указан часовой пояс',
    timeZone: (zone: string) => `часовой пояс «${zone}» не найден в базе IANA (пример: Europe/Moscow)`,
    budgetNegative: 'бюджет на месяц должен быть положительной суммой',
    credential: (key: string) =>
      `доступ «${key}» должен ссылаться на переменную окружения, например {"env": "DIRECT_TOKEN"}`,
    lookback: 'глубина обновления — целое число дней от 1 до 90',
  },
  view: {
    fromToTogether: 'параметры from и to задаются вместе (дни вида 2026-09-01)',
    badRange: (from: string, to: string) =>
      `from «${from}» и to «${to}» должны быть днями вида 2026-09-01, from — не позже to`,
    tooLong: (from: string, to: string, max: number) =>
      `период с ${from} по ${to} длиннее ${ruF.count(max, DAYS_RU)}`,
    badDays: (value: string, max: number) =>
      `days «${value}» должно быть целым числом дней от 1 до ${ruF.number(max)}`,
    notOneOf: (name: string, value: string, list: string) =>
      `${name} «${value}» — допустимые значения: ${list}`,
    badCurrency: (value: string) =>
      `currency «${value}» должна быть трёхбуквенным кодом ISO 4217, например RUB`,
    badConvert: (value: string) => `convert «${value}» должен быть 0 или 1`,
    convertNeedsRates: 'для convert=1 нужен раздел "currency": {"base": "RUB", "rates": {…}} в конфигурации',
    noRate: (missing: string, base: string) =>
      `нет курса ${missing} к ${base}: добавьте currency.rates.${missing} в конфигурацию, чтобы видеть итоги в ${base}`,
    totalsApart: (missing: string, base: string) =>
      `Итоги показаны по каждой валюте отдельно: нет курса ${missing} к ${base}. Добавьте currency.rates.${missing} в конфигурацию, чтобы видеть итоги в ${base}.`,
  },
  csv: {
    platform: 'платформа',
    account: 'аккаунт',
    campaign_id: 'ID кампании',
    campaign: 'кампания',
    currency: 'валюта',
    from: 'период с',
    to: 'период по',
    impressions: 'показы',
    clicks: 'клики',
    spend: 'расход',
    ctr: 'CTR',
    cpc: 'CPC',
    conversions: 'конверсии',
    cpa: 'CPA',
    conversion_value: 'ценность конверсий',
    roas: 'ROAS',
    prev_impressions: 'показы (пред. период)',
    prev_clicks: 'клики (пред. период)',
    prev_spend: 'расход (пред. период)',
    prev_ctr: 'CTR (пред. период)',
    prev_cpc: 'CPC (пред. период)',
    prev_conversions: 'конверсии (пред. период)',
    prev_cpa: 'CPA (пред. период)',
    prev_roas: 'ROAS (пред. период)',
    spend_change: 'изменение расхода',
    clicks_change: 'изменение кликов',
    ctr_change: 'изменение CTR',
    cpc_change: 'изменение CPC',
    conversions_change: 'изменение конверсий',
    cpa_change: 'изменение CPA',
    roas_change: 'изменение ROAS',
  },
};
