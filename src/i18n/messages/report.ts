// Kept whole: a message catalogue is one list (en, and ru typed against it); splitting scatters its words.
// Messages of the weekly report: its text part, HTML page and e-mail, PDF, subject line, charts and the
// `promowatch report` summary. Values arrive already formatted (Formatter) unless a plural needs the number.
// Russian wording follows src/i18n/glossary.md.
import type { Catalog } from '../catalog.ts';
import { formatter } from '../format.ts';

const EN = formatter('en');
const RU = formatter('ru');

export const en = {
  title: (site: string, week: string) => `promowatch weekly report · ${site} · ${week}`,
  weekLine: (week: string, range: string, timeZone: string) =>
    `Week ${week}, Monday to Sunday: ${range} (${timeZone})`,
  siteLine: (url: string) => `Site: ${url}`,
  /** Followed by ": " and the report's address in the dashboard. */
  dashboard: 'Dashboard',
  generated: (at: string, timeZone: string) => `Generated ${at} (${timeZone}).`,
  /** A list with nothing in it: "Lost this week: none". */
  none: 'none',
  noValue: '—',
  sections: {
    visibility: 'Visibility',
    backlinks: 'Backlinks',
    ads: 'Ads',
    health: 'Site health',
    jobs: 'Job failures',
    events: 'Events',
  },
  noData: {
    visibility: 'No rank tracking data this week.',
    backlinks: 'No backlink data this week.',
    ads: 'No ad spend data this week.',
    health: 'No site crawl finished by the end of this week.',
    jobs: 'No job failed this week.',
  },
  visibility: {
    indexChange: (curve: string, now: string, change: string, before: string) =>
      `Visibility index (${curve} CTR curve): ${now} at the end of the week, ${change} from ${before} a week before`,
    indexNoChange: (curve: string, now: string, before: string) =>
      `Visibility index (${curve} CTR curve): ${now} at the end of the week; a week before: ${before}`,
    notObserved: 'not observed',
    customCurve: 'custom',
    gains: 'Biggest gains',
    losses: 'Biggest losses',
    enteredTop10: 'Entered the top 10',
    leftTop10: 'Left the top 10',
    mismatches: 'Ranking URL differs from the target URL',
    mismatch: (query: string, url: string, target: string) =>
      `${query}: ${url} ranks, the target is ${target}`,
    failedChecks: (count: string) => `Failed checks this week: ${count} (not counted as positions)`,
    notInTop100: 'not in top 100',
    head: {
      change: 'Change',
      keyword: 'Keyword',
      where: 'Engine · region · device',
      before: 'Before',
      after: 'After',
      rankingUrl: 'Ranking URL',
      targetUrl: 'Target URL',
    },
  },
  backlinks: {
    live: (live: string, total: string) => `Live links at the end of the week: ${live} of ${total}`,
    lost: 'Lost this week',
    devalued: 'Devalued this week',
    recovered: 'Recovered this week',
    /** The money of links dead at the week's end, as it was paid; `amounts`: null when none had a price. */
    dead: (links: string, amounts: string | null) =>
      `Lost or devalued at the end of the week: ${links}` + (amounts ? `; paid for them: ${amounts}` : ''),
    links: (n: number) => EN.count(n, { one: 'link', other: 'links' }),
    noDead: 'No link was lost or devalued at the end of the week.',
    oneOff: (amount: string) => `${amount} one-off`,
    monthly: (amount: string) => `${amount}/month`,
    stillPaying: (amounts: string) => `Still paying for dead links: ${amounts}`,
    notPaying: 'No monthly fee is still running for a dead link.',
    noPrice: 'no price recorded',
    /** The pro-rated figure, secondary: the amounts above are what was paid. */
    wasted: (amounts: string) =>
      `Pro-rated cost of this week's dead days (an estimate, each price spread over the days it pays for): ${amounts}`,
    renewals: (days: string) => `Renewals due within ${days}`,
    vendor: (vendor: string) => `vendor ${vendor}`,
    head: {
      day: 'Day',
      donor: 'Donor page',
      target: 'Target',
      vendor: 'Vendor',
      paid: 'Paid',
      why: 'Why',
      paidUntil: 'Paid until',
    },
  },
  ads: {
    spend: (currency: string, spend: string, change: string, before: string) =>
      `${currency}: spend ${spend} (${change} from ${before} the week before)`,
    spendNoBefore: (currency: string, spend: string) =>
      `${currency}: spend ${spend} (no spend the week before)`,
    impressions: (n: number) => EN.count(n, { one: 'impression', other: 'impressions' }),
    clicks: (n: number) => EN.count(n, { one: 'click', other: 'clicks' }),
    conversions: (n: number) => EN.count(n, { one: 'conversion', other: 'conversions' }),
    /** "value" of the conversions, in money. */
    value: 'value',
    pacing: 'Budget pacing at the end of the week',
    pacingNoBudget: (account: string, monthToDate: string, forecast: string) =>
      `${account}: ${monthToDate} this month, no budget set, forecast ${forecast}`,
    /** `against`: the forecast against the budget ("+15%"), when known; `over`: beyond the margin. */
    pacingBudget: (
      account: string,
      monthToDate: string,
      budget: string,
      forecast: string,
      against: string | null,
      over: boolean,
    ) =>
      `${account}: ${monthToDate} this month, budget ${budget}, forecast ${forecast}` +
      (against === null ? '' : ` (${against} against the budget)`) +
      (over ? ' — OVER BUDGET' : ''),
    overBudget: 'OVER BUDGET',
    noBudget: 'no budget set',
    noAccounts: 'no accounts',
    anomalies: 'Anomalies this week',
    anomaly: {
      spendSpike: (campaign: string, value: string, usual: string) =>
        `${campaign}: spend spike — ${value} against a usual ${usual}`,
      ctrDrop: (campaign: string, value: string, usual: string) =>
        `${campaign}: CTR drop — ${value} against a usual ${usual}`,
      cpaJump: (campaign: string, value: string, usual: string) =>
        `${campaign}: cost per conversion jump — ${value} against a usual ${usual}`,
      zeroImpressions: (campaign: string, usual: number) =>
        `${campaign}: no impressions on an active campaign — usually ${EN.count(usual, { one: 'impression', other: 'impressions' })} on this weekday`,
    },
    spendPerDay: 'Spend per day',
    totals: 'Totals per currency',
    rows: {
      spend: 'Spend',
      weekBefore: 'Week before',
      change: 'Change',
      impressions: 'Impressions',
      clicks: 'Clicks',
      ctr: 'CTR',
      cpc: 'CPC',
      conversions: 'Conversions',
      cpa: 'CPA',
      value: 'Value',
      roas: 'ROAS',
    },
    head: {
      day: 'Day',
      account: 'Account',
      thisMonth: 'This month',
      budget: 'Budget',
      forecast: 'Forecast',
      againstBudget: 'Against budget',
      whatHappened: 'What happened',
    },
  },
  health: {
    score: (score: string, change: string, before: string, crawlDay: string, pages: number) =>
      `Health score ${score} (${change} from ${before} the crawl before) · crawl of ${crawlDay} · ${EN.count(pages, { one: 'page', other: 'pages' })}`,
    scoreFirst: (score: string, crawlDay: string, pages: number) =>
      `Health score ${score} (no earlier crawl to compare with) · crawl of ${crawlDay} · ${EN.count(pages, { one: 'page', other: 'pages' })}`,
    pages: (n: number) => EN.count(n, { one: 'page', other: 'pages' }),
    newErrors: 'New errors',
    fixed: 'Fixed since the crawl before',
    trend: (points: string) => `Trend: ${points}`,
    head: { issue: 'Issue', page: 'Page', pages: 'Pages' },
  },
  jobs: {
    failedRuns: 'Failed runs',
    noMessage: 'failed without a message',
    head: { when: 'When', job: 'Job', error: 'Error' },
  },
  events: {
    title: 'Dated events of the two weeks',
    head: { day: 'Day', event: 'Event' },
  },
  subject: {
    line: (site: string, week: string, facts: string) => `promowatch weekly · ${site} · ${week}: ${facts}`,
    visibility: (change: string) => `visibility ${change}`,
    linksLost: (n: number) => `${EN.count(n, { one: 'link', other: 'links' })} lost`,
    spend: (amounts: string) => `spend ${amounts}`,
    health: (change: string) => `health ${change}`,
    failedJobs: (n: number) => EN.count(n, { one: 'failed job', other: 'failed jobs' }),
    noData: 'no data this week',
  },
  charts: {
    visibilityTitle: 'Visibility, last two weeks',
    visibilitySeries: (curve: string) => `Visibility index, % (${curve} curve)`,
    visibilityAxis: 'Index, %',
    spendTitle: (currency: string) => `Ad spend per day, ${currency}`,
    spendSeries: (currency: string) => `Spend, ${currency}`,
    healthTitle: 'Site health score per crawl',
    healthSeries: 'Health score',
    healthAxis: 'Score',
    /** Axis ticks of big numbers: "12k", "1.5M". */
    thousands: (n: string) => `${n}k`,
    millions: (n: string) => `${n}M`,
  },
  /** `promowatch report`: the archived report in a few lines. */
  cli: {
    headline: (site: string, week: string, range: string, path: string) =>
      `${site} ${week} (${range}): ${path}`,
    visibility: (now: string, change: string | null, gains: number, losses: number) =>
      `Visibility: ${now}${change === null ? '' : ` (${change})`}, ${EN.count(gains, { one: 'gain', other: 'gains' })}, ${EN.count(losses, { one: 'loss', other: 'losses' })}`,
    backlinks: (live: string, total: string, lost: string, devalued: string, recovered: string) =>
      `Backlinks: ${live} of ${total} live, ${lost} lost, ${devalued} devalued, ${recovered} recovered`,
    ads: (amounts: string) => `Ads: ${amounts}`,
    health: (score: string, change: string | null, crawlDay: string) =>
      `Site health: ${score}${change === null ? '' : ` (${change})`} on ${crawlDay}`,
    failedJobs: (count: string) => `Failed jobs: ${count}`,
    visibilityNoData: 'Visibility: no data',
    backlinksNoData: 'Backlinks: no data',
    adsNoData: 'Ads: no data',
    healthNoData: 'Site health: no data',
    sentAt: (at: string) => `sent at ${at}`,
    alreadySent: (at: string) => `already sent at ${at}; not sent again (--force sends it again)`,
    notSent: 'not sent',
    notSentHint: 'not sent (--send mails it)',
    noPdf: (why: string) => `no PDF, charts sent as SVG: ${why}`,
  },
};

export const ru: Catalog<typeof en> = {
  title: (site, week) => `Еженедельный отчёт promowatch · ${site} · ${week}`,
  weekLine: (week, range, timeZone) =>
    `Неделя ${week}, с понедельника по воскресенье: ${range} (${timeZone})`,
  siteLine: (url) => `Сайт: ${url}`,
  dashboard: 'Отчёт в панели promowatch',
  generated: (at, timeZone) => `Сформирован ${at} (${timeZone}).`,
  none: 'нет',
  noValue: '—',
  sections: {
    visibility: 'Видимость',
    backlinks: 'Ссылки',
    ads: 'Реклама',
    health: 'Здоровье сайта',
    jobs: 'Сбои задач',
    events: 'События',
  },
  noData: {
    visibility: 'Нет данных съёма позиций за эту неделю.',
    backlinks: 'Нет данных о ссылках за эту неделю.',
    ads: 'Нет данных о расходе на рекламу за эту неделю.',
    health: 'К концу недели не завершился ни один обход сайта.',
    jobs: 'За неделю ни одна задача не завершилась сбоем.',
  },
  visibility: {
    indexChange: (curve, now, change, before) =>
      `Индекс видимости (кривая CTR ${curve}): ${now} на конец недели, ${change} к ${before} неделей раньше`,
    indexNoChange: (curve, now, before) =>
      `Индекс видимости (кривая CTR ${curve}): ${now} на конец недели; неделей раньше: ${before}`,
    notObserved: 'нет данных',
    customCurve: 'своя',
    gains: 'Самый большой рост',
    losses: 'Самое большое падение',
    enteredTop10: 'Вошли в топ-10',
    leftTop10: 'Выпали из топ-10',
    mismatches: 'В выдаче не та страница, что задана для запроса',
    mismatch: (query, url, target) => `${query}: в выдаче ${url}, а целевая страница — ${target}`,
    failedChecks: (count) => `Неудачных проверок позиций за неделю: ${count} (в позициях не учитываются)`,
    notInTop100: 'нет в топ-100',
    head: {
      change: 'Изменение',
      keyword: 'Запрос',
      where: 'Поисковик · регион · устройство',
      before: 'Было',
      after: 'Стало',
      rankingUrl: 'URL в выдаче',
      targetUrl: 'Целевой URL',
    },
  },
  backlinks: {
    live: (live, total) => `Активных ссылок на конец недели: ${live} из ${total}`,
    lost: 'Потеряны за неделю',
    devalued: 'Обесценены за неделю',
    recovered: 'Восстановлены за неделю',
    dead: (links, amounts) =>
      `Потеряны или обесценены на конец недели: ${links}` + (amounts ? `; за них заплачено: ${amounts}` : ''),
    links: (n) => RU.count(n, { one: 'ссылка', few: 'ссылки', many: 'ссылок', other: 'ссылки' }),
    noDead: 'На конец недели ни одна ссылка не потеряна и не обесценена.',
    oneOff: (amount) => `${amount} разово`,
    monthly: (amount) => `${amount}/мес.`,
    stillPaying: (amounts) => `Продолжаем платить за потерянные и обесцененные ссылки: ${amounts}`,
    notPaying: 'Ежемесячная оплата за потерянные и обесцененные ссылки больше не идёт.',
    noPrice: 'цена не указана',
    wasted: (amounts) =>
      `Стоимость дней простоя за неделю (оценка: цена каждой ссылки разложена на оплаченные дни): ${amounts}`,
    renewals: (days) => `Продление в ближайшие ${days}`,
    vendor: (vendor) => `продавец ${vendor}`,
    head: {
      day: 'День',
      donor: 'Страница донора',
      target: 'Акцептор',
      vendor: 'Продавец',
      paid: 'Оплачено',
      why: 'Причина',
      paidUntil: 'Оплачена до',
    },
  },
  ads: {
    spend: (currency, spend, change, before) =>
      `${currency}: расход ${spend} (${change} к ${before} неделей раньше)`,
    spendNoBefore: (currency, spend) => `${currency}: расход ${spend} (неделей раньше расхода не было)`,
    impressions: (n) => RU.count(n, { one: 'показ', few: 'показа', many: 'показов', other: 'показа' }),
    clicks: (n) => RU.count(n, { one: 'клик', few: 'клика', many: 'кликов', other: 'клика' }),
    conversions: (n) =>
      RU.count(n, { one: 'конверсия', few: 'конверсии', many: 'конверсий', other: 'конверсии' }),
    value: 'ценность конверсий',
    pacing: 'Темп расхода бюджета на конец недели',
    pacingNoBudget: (account, monthToDate, forecast) =>
      `${account}: ${monthToDate} в этом месяце, бюджет не задан, прогноз ${forecast}`,
    pacingBudget: (account, monthToDate, budget, forecast, against, over) =>
      `${account}: ${monthToDate} в этом месяце, бюджет ${budget}, прогноз ${forecast}` +
      (against === null ? '' : ` (${against} к бюджету)`) +
      (over ? ' — ПЕРЕРАСХОД БЮДЖЕТА' : ''),
    overBudget: 'ПЕРЕРАСХОД БЮДЖЕТА',
    noBudget: 'бюджет не задан',
    noAccounts: 'нет рекламных аккаунтов',
    anomalies: 'Аномалии за неделю',
    anomaly: {
      spendSpike: (campaign, value, usual) => `${campaign}: всплеск расхода — ${value} при обычных ${usual}`,
      ctrDrop: (campaign, value, usual) => `${campaign}: падение CTR — ${value} при обычном ${usual}`,
      cpaJump: (campaign, value, usual) =>
        `${campaign}: скачок цены конверсии — ${value} при обычной ${usual}`,
      zeroImpressions: (campaign, usual) =>
        `${campaign}: у активной кампании нет показов — обычно в этот день недели ${RU.count(usual, { one: 'показ', few: 'показа', many: 'показов', other: 'показа' })}`,
    },
    spendPerDay: 'Расход по дням',
    totals: 'Итоги по валютам',
    rows: {
      spend: 'Расход',
      weekBefore: 'Неделей раньше',
      change: 'Изменение',
      impressions: 'Показы',
      clicks: 'Клики',
      ctr: 'CTR',
      cpc: 'CPC',
      conversions: 'Конверсии',
      cpa: 'CPA',
      value: 'Ценность конверсий',
      roas: 'ROAS',
    },
    head: {
      day: 'День',
      account: 'Рекламный аккаунт',
      thisMonth: 'В этом месяце',
      budget: 'Бюджет',
      forecast: 'Прогноз',
      againstBudget: 'К бюджету',
      whatHappened: 'Что случилось',
    },
  },
  health: {
    score: (score, change, before, crawlDay, pages) =>
      `Оценка здоровья сайта ${score} (${change} к ${before} в прошлом обходе) · обход от ${crawlDay} · ${RU.count(pages, { one: 'страница', few: 'страницы', many: 'страниц', other: 'страницы' })}`,
    scoreFirst: (score, crawlDay, pages) =>
      `Оценка здоровья сайта ${score} (более раннего обхода для сравнения нет) · обход от ${crawlDay} · ${RU.count(pages, { one: 'страница', few: 'страницы', many: 'страниц', other: 'страницы' })}`,
    pages: (n) => RU.count(n, { one: 'страница', few: 'страницы', many: 'страниц', other: 'страницы' }),
    newErrors: 'Новые ошибки',
    fixed: 'Исправлено с прошлого обхода',
    trend: (points) => `Динамика: ${points}`,
    head: { issue: 'Проблема', page: 'Страница', pages: 'Страниц' },
  },
  jobs: {
    failedRuns: 'Неудачные запуски',
    noMessage: 'сбой без сообщения об ошибке',
    head: { when: 'Когда', job: 'Задача', error: 'Ошибка' },
  },
  events: {
    title: 'События за две недели',
    head: { day: 'День', event: 'Событие' },
  },
  subject: {
    line: (site, week, facts) => `promowatch, неделя ${week} · ${site}: ${facts}`,
    visibility: (change) => `видимость ${change}`,
    linksLost: (n) =>
      `${RU.plural(n, { one: 'потеряна', few: 'потеряны', many: 'потеряно', other: 'потеряно' })} ${RU.count(n, { one: 'ссылка', few: 'ссылки', many: 'ссылок', other: 'ссылки' })}`,
    spend: (amounts) => `расход ${amounts}`,
    health: (change) => `здоровье сайта ${change}`,
    failedJobs: (n) =>
      `${RU.count(n, { one: 'сбой', few: 'сбоя', many: 'сбоев', other: 'сбоя' })} ${RU.plural(n, { one: 'задачи', other: 'задач' })}`,
    noData: 'нет данных за неделю',
  },
  charts: {
    visibilityTitle: 'Видимость за две недели',
    visibilitySeries: (curve) => `Индекс видимости, % (кривая ${curve})`,
    visibilityAxis: 'Индекс, %',
    spendTitle: (currency) => `Расход на рекламу по дням, ${currency}`,
    spendSeries: (currency) => `Расход, ${currency}`,
    healthTitle: 'Оценка здоровья сайта по обходам',
    healthSeries: 'Оценка здоровья',
    healthAxis: 'Оценка',
    thousands: (n) => `${n}\u00a0тыс.`,
    millions: (n) => `${n}\u00a0млн`,
  },
  cli: {
    headline: (site, week, range, path) => `${site} ${week} (${range}): ${path}`,
    visibility: (now, change, gains, losses) =>
      `Видимость: ${now}${change === null ? '' : ` (${change})`}, рост: ${RU.count(gains, { one: 'запрос', few: 'запроса', many: 'запросов', other: 'запроса' })}, падение: ${RU.count(losses, { one: 'запрос', few: 'запроса', many: 'запросов', other: 'запроса' })}`,
    backlinks: (live, total, lost, devalued, recovered) =>
      `Ссылки: активны ${live} из ${total}, потеряны ${lost}, обесценены ${devalued}, восстановлены ${recovered}`,
    ads: (amounts) => `Реклама: ${amounts}`,
    health: (score, change, crawlDay) =>
      `Здоровье сайта: ${score}${change === null ? '' : ` (${change})`}, обход от ${crawlDay}`,
    failedJobs: (count) => `Сбоев задач: ${count}`,
    visibilityNoData: 'Видимость: нет данных',
    backlinksNoData: 'Ссылки: нет данных',
    adsNoData: 'Реклама: нет данных',
    healthNoData: 'Здоровье сайта: нет данных',
    sentAt: (at) => `отправлен ${at}`,
    alreadySent: (at) => `уже отправлен ${at}; повторно не отправлен (--force отправит снова)`,
    notSent: 'не отправлен',
    notSentHint: 'не отправлен (--send отправит его по почте)',
    noPdf: (why) => `нет PDF, графики отправлены как SVG: ${why}`,
  },
};
