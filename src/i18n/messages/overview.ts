// Messages of the overview area: the Overview page (what needs attention), the Uptime page and its charts
// (/api/overview), dated events, and the dashboard's access refusals a browser can meet (web/auth.ts).
// Russian wording follows src/i18n/glossary.md.
import type { Catalog } from '../catalog.ts';
import { formatter } from '../format.ts';

const enF = formatter('en');
const ruF = formatter('ru');

export const en = {
  title: 'Overview',
  uptimeTitle: 'Uptime',
  /** The Overview: what needs attention, per site or for all sites at once. */
  attention: {
    allSites: 'All sites',
    siteClear: 'Nothing needs attention.',
    openSite: 'Open this site',
    dead: {
      heading: 'Lost and devalued links',
      clear: 'No bought link is lost or devalued.',
      status: { lost: 'lost', devalued: 'devalued' },
      since: (day: string, days: number) =>
        `since ${day} (${enF.count(days, { one: 'day', other: 'days' })})`,
      noVendor: 'no vendor',
      noPrice: 'no price recorded',
      perMonth: (fee: string) => `${fee}/month`,
      paidForDead: (amounts: string) => `Paid for links now dead: ${amounts}`,
      stillPaying: (fee: string) => `still paying ${fee}/month`,
      stopped: 'fee stopped',
      feeRunning: 'fee still running',
      more: (n: number) =>
        `${enF.count(n, { one: 'more dead link', other: 'more dead links' })} on the Backlinks page`,
    },
    renewals: {
      heading: 'Renewals due',
      paidUntil: (day: string) => `paid until ${day}`,
    },
    movers: {
      heading: 'Rankings since last week',
      clear: 'No keyword dropped since last week.',
      losses: 'Biggest drops',
      gains: 'Biggest gains',
      entered: 'Entered the top 10',
      left: 'Left the top 10',
      notInTop: 'not in top 100',
    },
    ads: {
      heading: 'Ads budget this month',
      clear: 'Every budget is on track; no anomalies this week.',
      noBudget: 'No ad account has a monthly budget set.',
      spent: (mtd: string, budget: string) => `${mtd} of ${budget} spent`,
      forecast: (amount: string) => `forecast ${amount} by month end`,
      /** Month-to-date spend already past the budget: a fact. */
      overSpent: (percent: string) => `over budget: spent ${percent} more than the budget`,
      /** The month-end forecast past the budget and its margin: a projection. */
      over: (percent: string) => `heading over budget by ${percent}`,
      overWithinMargin: (percent: string) => `${percent} over, within the margin`,
      under: (percent: string) => `on track, ${percent} of budget`,
      anomalies: (n: number) => `${enF.count(n, { one: 'anomaly', other: 'anomalies' })} in the last 7 days`,
    },
    audit: {
      heading: 'New site-audit errors',
      count: (n: number) =>
        `${enF.count(n, { one: 'new error', other: 'new errors' })} since the previous crawl`,
    },
    jobs: {
      heading: 'Failed jobs and providers',
      failed: (job: string, when: string) => `${job} failed ${when}`,
      provider: (source: string, n: number, why: string) =>
        `${source} failed for ${enF.count(n, { one: 'keyword', other: 'keywords' })}: ${why}`,
    },
    alerts: {
      open: (n: number) => `${enF.count(n, { one: 'open alert', other: 'open alerts' })}`,
      none: 'No open alerts',
    },
    uptime: (up: number, total: number) => `${enF.number(up)} of ${enF.number(total)} pages up`,
    noUptime: 'No uptime checks yet',
    clearLine: (sections: string) => `All clear: ${sections}.`,
    clearNames: {
      dead: 'links',
      renewals: 'renewals',
      movers: 'rankings',
      ads: 'ads',
      audit: 'site audit',
      jobs: 'jobs',
    },
  },
  cards: {
    pagesUp: 'Pages answering now',
    lastCheck: 'Last check',
    lastFailure: 'Last failed job',
  },
  noChecks: 'No uptime checks yet.',
  noChecksHint: (site: string) =>
    `The uptime job fills these charts; run it now with: promowatch run uptime --site ${site}`,
  charts: {
    responseTime: 'Response time per day',
    uptime: 'Uptime per day',
    jobRuns: 'Job runs per day',
  },
  /** Dataset and axis labels of the charts' JSON. */
  series: {
    ttfb: 'Time to first byte, average',
    p95: 'Full page, 95th percentile',
    uptime: 'Uptime %',
    uptimeAxis: '% of checks answered',
    ms: 'ms',
    runs: 'runs',
  },
  latestCheck: 'Latest check',
  columns: {
    page: 'Page',
    status: 'Status',
    firstByte: 'First byte',
    total: 'Total',
    problem: 'Problem',
  },
  events: 'Events',
  eventsHint: 'Dated notes drawn as lines on every chart: a relaunch, a press release, a price change.',
  eventDay: 'Day',
  eventTitle: 'What happened',
  addEvent: 'Add event',
  eventBadDay: (day: string) => `Event day must be a date like 2026-11-27, got "${day}"`,
  eventBadTitle: 'Event title must be 1 to 200 characters',
  /** Refusals web/auth.ts answers a browser with (JSON API errors stay English). */
  access: {
    loginRequired: 'Authentication required: log in and try again',
    crossSite: 'Cross-site request refused: the form was sent from another site',
    hostOnly: (host: string) => `This dashboard answers only on localhost/127.0.0.1 (got Host "${host}")`,
  },
};

export const ru: Catalog<typeof en> = {
  title: 'Сводка',
  uptimeTitle: 'Доступность',
  attention: {
    allSites: 'Все сайты',
    siteClear: 'Всё в порядке, внимания ничего не требует.',
    openSite: 'Открыть сайт',
    dead: {
      heading: 'Потерянные и обесцененные ссылки',
      clear: 'Ни одна купленная ссылка не потеряна и не обесценена.',
      status: { lost: 'потеряна', devalued: 'обесценена' },
      since: (day, days) =>
        `с ${day} (${ruF.count(days, { one: 'день', few: 'дня', many: 'дней', other: 'дня' })})`,
      noVendor: 'продавец не указан',
      noPrice: 'цена не указана',
      perMonth: (fee) => `${fee}/мес.`,
      paidForDead: (amounts) => `Заплачено за ссылки, которых больше нет: ${amounts}`,
      stillPaying: (fee) => `всё ещё платим ${fee}/мес.`,
      stopped: 'оплата остановлена',
      feeRunning: 'оплата продолжается',
      more: (n) =>
        `Ещё ${ruF.count(n, { one: 'неработающая ссылка', few: 'неработающие ссылки', many: 'неработающих ссылок', other: 'неработающей ссылки' })} — на странице «Ссылки»`,
    },
    renewals: {
      heading: 'Пора продлить',
      paidUntil: (day) => `оплачена до ${day}`,
    },
    movers: {
      heading: 'Позиции за неделю',
      clear: 'За неделю ни один запрос не просел.',
      losses: 'Сильнее всего упали',
      gains: 'Сильнее всего выросли',
      entered: 'Вошли в топ-10',
      left: 'Выпали из топ-10',
      notInTop: 'нет в топ-100',
    },
    ads: {
      heading: 'Рекламный бюджет за месяц',
      clear: 'Все бюджеты расходуются по плану, аномалий за неделю нет.',
      noBudget: 'Ни у одного рекламного аккаунта не задан месячный бюджет.',
      spent: (mtd, budget) => `израсходовано ${mtd} из ${budget}`,
      forecast: (amount) => `прогноз на конец месяца ${amount}`,
      overSpent: (percent) => `бюджет превышен: потрачено на ${percent} больше`,
      over: (percent) => `грозит перерасход бюджета на ${percent}`,
      overWithinMargin: (percent) => `больше бюджета на ${percent}, в пределах допуска`,
      under: (percent) => `по плану, ${percent} бюджета`,
      anomalies: (n) =>
        `${ruF.count(n, { one: 'аномалия', few: 'аномалии', many: 'аномалий', other: 'аномалии' })} за последние 7 дней`,
    },
    audit: {
      heading: 'Новые ошибки аудита',
      count: (n) =>
        `${ruF.count(n, { one: 'новая ошибка', few: 'новые ошибки', many: 'новых ошибок', other: 'новой ошибки' })} с прошлого обхода`,
    },
    jobs: {
      heading: 'Сбои задач и источников',
      failed: (job, when) => `${job}: сбой ${when}`,
      provider: (source, n, why) =>
        `${source} не ответил по ${ruF.count(n, { one: 'запросу', few: 'запросам', many: 'запросам', other: 'запросам' })}: ${why}`,
    },
    alerts: {
      open: (n) =>
        `${ruF.count(n, { one: 'открытое оповещение', few: 'открытых оповещения', many: 'открытых оповещений', other: 'открытого оповещения' })}`,
      none: 'Открытых оповещений нет',
    },
    uptime: (up, total) =>
      `Доступно ${ruF.number(up)} из ${ruF.count(total, { one: 'страницы', few: 'страниц', many: 'страниц', other: 'страницы' })}`,
    noUptime: 'Проверок доступности ещё не было',
    clearLine: (sections) => `Всё в порядке: ${sections}.`,
    clearNames: {
      dead: 'ссылки',
      renewals: 'продления',
      movers: 'позиции',
      ads: 'реклама',
      audit: 'аудит сайта',
      jobs: 'задачи',
    },
  },
  cards: {
    pagesUp: 'Страниц отвечает сейчас',
    lastCheck: 'Последняя проверка',
    lastFailure: 'Последний сбой задачи',
  },
  noChecks: 'Проверок доступности ещё не было.',
  noChecksHint: (site) =>
    `Эти графики заполняет задача uptime; запустите её сейчас командой: promowatch run uptime --site ${site}`,
  charts: {
    responseTime: 'Время ответа по дням',
    uptime: 'Доступность по дням',
    jobRuns: 'Запуски задач по дням',
  },
  series: {
    ttfb: 'Время до первого байта, среднее',
    p95: 'Вся страница, 95-й процентиль',
    uptime: 'Доступность, %',
    uptimeAxis: '% проверок с ответом',
    ms: 'мс',
    runs: 'запусков',
  },
  latestCheck: 'Последняя проверка',
  columns: {
    page: 'Страница',
    status: 'Код ответа',
    firstByte: 'Первый байт',
    total: 'Всего',
    problem: 'Проблема',
  },
  events: 'События',
  eventsHint:
    'Заметки с датой, которые рисуются линиями на всех графиках: перезапуск сайта, пресс-релиз, смена цен.',
  eventDay: 'День',
  eventTitle: 'Что произошло',
  addEvent: 'Добавить событие',
  eventBadDay: (day) => `Дата события должна быть в виде 2026-11-27, а не «${day}»`,
  eventBadTitle: 'Описание события — от 1 до 200 символов',
  access: {
    loginRequired: 'Нужно войти: выполните вход и повторите действие',
    crossSite: 'Запрос с чужого сайта отклонён: форма была отправлена с другого сайта',
    hostOnly: (host) =>
      `Эта панель отвечает только по адресам localhost/127.0.0.1 (запрошен адрес «${host}»)`,
  },
};
