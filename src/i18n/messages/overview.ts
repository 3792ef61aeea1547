// Messages of the overview area: the Overview page, its charts (/api/overview), dated events, and the
// dashboard's access refusals a browser can meet (web/auth.ts). Russian wording follows
// src/i18n/glossary.md.
import type { Catalog } from '../catalog.ts';

export const en = {
  title: 'Overview',
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
