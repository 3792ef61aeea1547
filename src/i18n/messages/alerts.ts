// Messages of the alerts area: what e-mail, Slack, Telegram and webhooks say, and how the Jobs page
// names an alert's kind. Values come in already formatted (money, days) or with the Formatter, which
// picks plural forms. Russian wording follows src/i18n/glossary.md.
import { platformLabels } from '../../ads/registry.ts';
import type { Catalog } from '../catalog.ts';
import type { Formatter } from '../format.ts';

export const en = {
  severity: { info: 'Info', warning: 'Warning', critical: 'Critical' },
  /** What each kind of alert is about, as the context line and the Jobs page name it. */
  kinds: {
    'lost-backlink': 'lost backlinks',
    'devalued-backlink': 'devalued backlinks',
    'recovered-backlink': 'recovered backlinks',
    'renewal-due': 'link renewals',
    budget: 'ad budget',
    anomaly: 'ad anomalies',
    'site-issue': 'site issues',
    'job-failure': 'failed jobs',
    'weekly-report': 'weekly report',
  },
  open: 'Open in promowatch',
  /** The last line when lines are left out. */
  more: (f: Formatter, n: number) => `…and ${f.number(n)} more`,
  links: {
    lost: (f: Formatter, n: number) =>
      `${f.count(n, { one: 'bought link', other: 'bought links' })} confirmed lost`,
    devalued: (f: Formatter, n: number) =>
      `${f.count(n, { one: 'bought link', other: 'bought links' })} no longer ${f.plural(n, { one: 'passes', other: 'pass' })} full value`,
    recovered: (f: Formatter, n: number) =>
      `${f.count(n, { one: 'bought link', other: 'bought links' })} recovered`,
  },
  renewals: {
    title: (f: Formatter, n: number, days: number) =>
      `${f.count(n, { one: 'link payment ends', other: 'link payments end' })} within ${f.days(days)}`,
    line: (donor: string, paidUntil: string, vendor: string | null) =>
      `${donor}: paid until ${paidUntil}${vendor ? ` (${vendor})` : ''}`,
  },
  ads: {
    // From each platform's file (src/ads/platforms/).
    platforms: platformLabels('en'),
    anomalyTitle: (f: Formatter, n: number, platform: string, account: string) =>
      `${f.count(n, { one: 'unusual day', other: 'unusual days' })} in ${platform} account ${account}`,
    anomalyKinds: {
      'spend-spike': 'spend spike',
      'ctr-drop': 'CTR drop',
      'zero-impressions': 'no impressions on an active campaign',
      'cpa-jump': 'cost per conversion jump',
    },
    against: (value: string, usual: string) => `${value} against a usual ${usual}`,
    usualImpressions: (f: Formatter, n: number) =>
      `usually ${f.count(n, { one: 'impression', other: 'impressions' })} on this weekday`,
    anomalyLine: (day: string, campaign: string, account: string, what: string, detail: string) =>
      `${day} ${campaign} (${account}): ${what} — ${detail}`,
    budgetTitle: (account: string, platform: string) =>
      `${account} (${platform}) is heading over its monthly budget`,
    budgetSpent: (spent: string, budget: string, day: string) => `Spent ${spent} of ${budget} by ${day}.`,
    overBudgetTitle: (account: string, platform: string) =>
      `${account} (${platform}) has spent more than its monthly budget`,
    overBudgetSpent: (spent: string, budget: string, day: string, over: string) =>
      `Spent ${spent} by ${day} against a budget of ${budget}: ${over} over.`,
    budgetForecast: (f: Formatter, days: number, daily: string, forecast: string, over: string) =>
      days > 0
        ? `At the pace of the last ${f.days(days)} (${daily} a day) the month ends at ${forecast}: ${over} over budget.`
        : `At today's pace (${daily} a day) the month ends at ${forecast}: ${over} over budget.`,
  },
  siteIssues: {
    title: (f: Formatter, site: string, n: number, since: string) =>
      `${site}: ${f.count(n, { one: 'new critical site issue', other: 'new critical site issues' })} since the crawl of ${since}`,
    more: (f: Formatter, n: number) => `…and ${f.number(n)} more on the Site audit page`,
  },
  jobFailed: {
    title: (job: string, site: string | null) => (site ? `${site}: job ${job} failed` : `Job ${job} failed`),
    line: (run: number, job: string, site: string | null, error: string) =>
      `Run #${run} of ${job}${site ? ` for ${site}` : ''} failed: ${error}`,
  },
  /** The Alerts page (web/pages/alerts.ts): every message once, with its deliveries and its state. */
  inbox: {
    title: 'Alerts',
    scope: 'Sites',
    allSites: 'All sites',
    noSite: 'no site',
    kind: 'Kind',
    severity: 'Severity',
    state: 'State',
    from: 'From',
    to: 'To',
    states: { open: 'New', acknowledged: 'Acknowledged', resolved: 'Resolved' },
    /** "Any" in each filter (Russian agrees it with the filter's noun). */
    any: { kind: 'any', severity: 'any', state: 'any' },
    columns: { raised: 'Raised', site: 'Site', alert: 'Alert', deliveries: 'Deliveries', state: 'State' },
    acknowledge: 'Acknowledge',
    resolve: 'Resolve',
    reopen: 'Reopen',
    withSelected: 'With the selected alerts:',
    select: (id: number) => `Select alert #${id}`,
    /** Who acted: the dashboard and the command line by name; anyone else as stored. */
    who: { dashboard: 'the dashboard', cli: 'the command line' } as Record<string, string>,
    acknowledgedBy: (who: string, when: string) => `Acknowledged by ${who}, ${when}`,
    resolvedBy: (who: string, when: string) => `Resolved by ${who}, ${when}`,
    delivered: (when: string) => `delivered ${when}`,
    notDelivered: (f: Formatter, attempts: number, error: string | null) =>
      `not delivered (${f.count(attempts, { one: 'attempt', other: 'attempts' })})${error ? `: ${error}` : ''}`,
    dashboardOnly: 'kept on the dashboard: no channel takes this kind',
    details: 'Details',
    none: 'No alerts match these filters.',
    noneHint:
      'Checks and pulls raise alerts (lost links, budget, ad anomalies, site issues, failed jobs); each is kept here until resolved.',
    shown: (f: Formatter, first: number, last: number, total: number) =>
      `${f.number(first)}–${f.number(last)} of ${f.number(total)}`,
    newer: 'Newer',
    older: 'Older',
    changed: {
      acknowledge: (f: Formatter, n: number) =>
        `${f.count(n, { one: 'alert', other: 'alerts' })} acknowledged.`,
      resolve: (f: Formatter, n: number) => `${f.count(n, { one: 'alert', other: 'alerts' })} resolved.`,
      reopen: (f: Formatter, n: number) => `${f.count(n, { one: 'alert', other: 'alerts' })} reopened.`,
    },
    nothingSelected: 'Select at least one alert, then choose what to do with it.',
    badge: (f: Formatter, n: number) => f.count(n, { one: 'open alert', other: 'open alerts' }),
  },
  /** Digest titles: how many alerts of a kind one message gathers. */
  digest: {
    'lost-backlink': (f: Formatter, n: number) =>
      f.count(n, { one: 'lost backlink', other: 'lost backlinks' }),
    'devalued-backlink': (f: Formatter, n: number) =>
      f.count(n, { one: 'devalued backlink', other: 'devalued backlinks' }),
    'recovered-backlink': (f: Formatter, n: number) =>
      f.count(n, { one: 'recovered backlink', other: 'recovered backlinks' }),
    'renewal-due': (f: Formatter, n: number) =>
      f.count(n, { one: 'backlink renewal due', other: 'backlink renewals due' }),
    budget: (f: Formatter, n: number) => f.count(n, { one: 'budget alert', other: 'budget alerts' }),
    anomaly: (f: Formatter, n: number) => f.count(n, { one: 'anomaly', other: 'anomalies' }),
    'site-issue': (f: Formatter, n: number) => f.count(n, { one: 'site issue', other: 'site issues' }),
    'job-failure': (f: Formatter, n: number) => f.count(n, { one: 'failed job', other: 'failed jobs' }),
    'weekly-report': (f: Formatter, n: number) =>
      f.count(n, { one: 'weekly report', other: 'weekly reports' }),
  },
};

export const ru: Catalog<typeof en> = {
  severity: { info: 'Для сведения', warning: 'Предупреждение', critical: 'Критично' },
  kinds: {
    'lost-backlink': 'потерянные ссылки',
    'devalued-backlink': 'обесцененные ссылки',
    'recovered-backlink': 'восстановленные ссылки',
    'renewal-due': 'продление ссылок',
    budget: 'рекламный бюджет',
    anomaly: 'аномалии в рекламе',
    'site-issue': 'ошибки сайта',
    'job-failure': 'сбои задач',
    'weekly-report': 'еженедельный отчёт',
  },
  open: 'Открыть в promowatch',
  more: (f, n) => `…и ещё ${f.number(n)}`,
  links: {
    lost: (f, n) =>
      `${f.count(n, { one: 'купленная ссылка', few: 'купленные ссылки', many: 'купленных ссылок', other: 'купленной ссылки' })} ${f.plural(n, { one: 'потеряна', other: 'потеряны' })} (подтверждено)`,
    devalued: (f, n) =>
      `${f.count(n, { one: 'купленная ссылка', few: 'купленные ссылки', many: 'купленных ссылок', other: 'купленной ссылки' })} ${f.plural(n, { one: 'обесценена', other: 'обесценены' })}: вес передаётся не полностью`,
    recovered: (f, n) =>
      `${f.count(n, { one: 'купленная ссылка', few: 'купленные ссылки', many: 'купленных ссылок', other: 'купленной ссылки' })} снова ${f.plural(n, { one: 'активна', other: 'активны' })}`,
  },
  renewals: {
    // "Оплата 3 ссылок": the genitive after «оплата», so one → ссылки, few/many → ссылок.
    title: (f, n, days) =>
      `Оплата ${f.count(n, { one: 'ссылки', few: 'ссылок', many: 'ссылок', other: 'ссылки' })} заканчивается не позже чем через ${f.days(days)}`,
    line: (donor, paidUntil, vendor) => `${donor}: оплачена до ${paidUntil}${vendor ? ` (${vendor})` : ''}`,
  },
  ads: {
    platforms: platformLabels('ru'),
    anomalyTitle: (f, n, platform, account) =>
      `${f.count(n, { one: 'аномалия', few: 'аномалии', many: 'аномалий', other: 'аномалии' })} в рекламном аккаунте ${platform} «${account}»`,
    anomalyKinds: {
      'spend-spike': 'всплеск расхода',
      'ctr-drop': 'падение CTR',
      'zero-impressions': 'нет показов у активной кампании',
      'cpa-jump': 'скачок цены конверсии',
    },
    against: (value, usual) => `${value} при обычных ${usual}`,
    usualImpressions: (f, n) =>
      `обычно ${f.count(n, { one: 'показ', few: 'показа', many: 'показов', other: 'показа' })} в этот день недели`,
    anomalyLine: (day, campaign, account, what, detail) =>
      `${day} ${campaign} (${account}): ${what} — ${detail}`,
    budgetTitle: (account, platform) =>
      `Рекламный аккаунт «${account}» (${platform}) идёт к перерасходу месячного бюджета`,
    budgetSpent: (spent, budget, day) => `Расход на ${day}: ${spent} из ${budget}.`,
    overBudgetTitle: (account, platform) =>
      `Рекламный аккаунт «${account}» (${platform}) превысил месячный бюджет`,
    overBudgetSpent: (spent, budget, day, over) =>
      `Расход на ${day}: ${spent} при бюджете ${budget} — на ${over} больше.`,
    budgetForecast: (f, days, daily, forecast, over) =>
      days > 0
        ? `При темпе расхода ${daily} в день (среднее за ${f.days(days)}) к концу месяца расход составит ${forecast} — на ${over} больше бюджета.`
        : `При сегодняшнем темпе расхода (${daily} в день) к концу месяца расход составит ${forecast} — на ${over} больше бюджета.`,
  },
  siteIssues: {
    title: (f, site, n, since) =>
      `${site}: ${f.count(n, { one: 'новая ошибка', few: 'новые ошибки', many: 'новых ошибок', other: 'новой ошибки' })} на сайте со времени обхода ${since}`,
    more: (f, n) => `…и ещё ${f.number(n)} — на странице «Аудит сайта»`,
  },
  jobFailed: {
    title: (job, site) => (site ? `${site}: сбой задачи ${job}` : `Сбой задачи ${job}`),
    line: (run, job, site, error) =>
      `Запуск №${run} задачи ${job}${site ? ` для сайта ${site}` : ''} завершился с ошибкой: ${error}`,
  },
  inbox: {
    title: 'Оповещения',
    scope: 'Сайты',
    allSites: 'Все сайты',
    noSite: 'без сайта',
    kind: 'Тема',
    severity: 'Важность',
    state: 'Состояние',
    from: 'С',
    to: 'По',
    states: { open: 'Новое', acknowledged: 'Принято', resolved: 'Решено' },
    any: { kind: 'любая', severity: 'любая', state: 'любое' },
    columns: {
      raised: 'Когда',
      site: 'Сайт',
      alert: 'Оповещение',
      deliveries: 'Доставка',
      state: 'Состояние',
    },
    acknowledge: 'Принять',
    resolve: 'Закрыть',
    reopen: 'Вернуть в новые',
    withSelected: 'С отмеченными оповещениями:',
    select: (id) => `Отметить оповещение №${id}`,
    who: { dashboard: 'панель promowatch', cli: 'командная строка' },
    acknowledgedBy: (who, when) => `Принято: ${who}, ${when}`,
    resolvedBy: (who, when) => `Решено: ${who}, ${when}`,
    delivered: (when) => `доставлено ${when}`,
    notDelivered: (f, attempts, error) =>
      `не доставлено (${f.count(attempts, { one: 'попытка', few: 'попытки', many: 'попыток', other: 'попытки' })})${error ? `: ${error}` : ''}`,
    dashboardOnly: 'только в панели: ни один канал не принимает такие оповещения',
    details: 'Подробнее',
    none: 'Нет оповещений с такими условиями.',
    noneHint:
      'Оповещения приходят от проверок и загрузок данных (потерянные ссылки, бюджет, аномалии в рекламе, ошибки сайта, сбои задач) и хранятся здесь, пока их не отметят решёнными.',
    shown: (f, first, last, total) => `${f.number(first)}–${f.number(last)} из ${f.number(total)}`,
    newer: 'Новее',
    older: 'Старше',
    changed: {
      acknowledge: (f, n) =>
        `Принято: ${f.count(n, { one: 'оповещение', few: 'оповещения', many: 'оповещений', other: 'оповещения' })}.`,
      resolve: (f, n) =>
        `Решено: ${f.count(n, { one: 'оповещение', few: 'оповещения', many: 'оповещений', other: 'оповещения' })}.`,
      reopen: (f, n) =>
        `Снова новые: ${f.count(n, { one: 'оповещение', few: 'оповещения', many: 'оповещений', other: 'оповещения' })}.`,
    },
    nothingSelected: 'Отметьте хотя бы одно оповещение и выберите, что с ним сделать.',
    badge: (f, n) =>
      f.count(n, {
        one: 'новое оповещение',
        few: 'новых оповещения',
        many: 'новых оповещений',
        other: 'нового оповещения',
      }),
  },
  digest: {
    'lost-backlink': (f, n) =>
      f.count(n, {
        one: 'потерянная ссылка',
        few: 'потерянные ссылки',
        many: 'потерянных ссылок',
        other: 'потерянной ссылки',
      }),
    'devalued-backlink': (f, n) =>
      f.count(n, {
        one: 'обесцененная ссылка',
        few: 'обесцененные ссылки',
        many: 'обесцененных ссылок',
        other: 'обесцененной ссылки',
      }),
    'recovered-backlink': (f, n) =>
      f.count(n, {
        one: 'восстановленная ссылка',
        few: 'восстановленные ссылки',
        many: 'восстановленных ссылок',
        other: 'восстановленной ссылки',
      }),
    'renewal-due': (f, n) =>
      f.count(n, {
        one: 'ссылка к продлению',
        few: 'ссылки к продлению',
        many: 'ссылок к продлению',
        other: 'ссылки к продлению',
      }),
    budget: (f, n) =>
      f.count(n, {
        one: 'оповещение о бюджете',
        few: 'оповещения о бюджете',
        many: 'оповещений о бюджете',
        other: 'оповещения о бюджете',
      }),
    anomaly: (f, n) => f.count(n, { one: 'аномалия', few: 'аномалии', many: 'аномалий', other: 'аномалии' }),
    'site-issue': (f, n) =>
      f.count(n, { one: 'ошибка сайта', few: 'ошибки сайта', many: 'ошибок сайта', other: 'ошибки сайта' }),
    'job-failure': (f, n) =>
      f.count(n, { one: 'сбой задачи', few: 'сбоя задач', many: 'сбоев задач', other: 'сбоя задач' }),
    'weekly-report': (f, n) =>
      f.count(n, {
        one: 'еженедельный отчёт',
        few: 'еженедельных отчёта',
        many: 'еженедельных отчётов',
        other: 'еженедельного отчёта',
      }),
  },
};
