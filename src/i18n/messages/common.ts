// Messages shared by every page: layout, navigation, login, generic words, states, error pages.
// Russian wording follows src/i18n/glossary.md.
import type { Catalog } from '../catalog.ts';

export const en = {
  brand: 'promowatch',
  nav: {
    overview: 'Overview',
    uptime: 'Uptime',
    audit: 'Site audit',
    backlinks: 'Backlinks',
    rankings: 'Rankings',
    ads: 'Ads',
    reports: 'Reports',
    jobs: 'Jobs',
    alerts: 'Alerts',
    share: 'Share',
  },
  menu: 'Menu',
  site: 'Site',
  show: 'Show',
  language: 'Language',
  languageNames: { ru: 'Русский', en: 'English' },
  logOut: 'Log out',
  demoBanner:
    'Demo: every site, donor page and API here is a simulation running on this machine (127.0.0.1). Nothing is real.',
  login: {
    title: 'Log in',
    password: 'Password',
    submit: 'Log in',
    wrong: 'Wrong password.',
    tooMany: (seconds: number) => `Too many failed logins; try again in ${seconds} s.`,
    demoBanner: 'Demo: everything here is a simulation running on this machine.',
  },
  yes: 'yes',
  no: 'no',
  none: 'none',
  any: 'any',
  all: 'all',
  filter: 'Filter',
  add: 'Add',
  save: 'Save',
  downloadCsv: 'Download (CSV)',
  downloadCsvExcel: 'Download for Excel (CSV)',
  noSite: 'No site is configured yet.',
  noSiteHint: 'Add one under "sites" in promowatch.config.json.',
  allSites: 'all sites',
  /**
   * Search engines and devices by their human names, for every page, chart legend and the report (the
   * ids stay in URLs, JSON and CSV files).
   */
  engines: { google: 'Google', yandex: 'Yandex', bing: 'Bing' },
  devices: { desktop: 'desktop', mobile: 'mobile' },
  errors: {
    notFound: 'Not found',
    notFoundHint: 'The page you asked for does not exist, or you cannot see it.',
    internalTitle: 'Something went wrong',
    internalHint:
      'The page could not be shown because of an error on the server. The server log has the details; try again, and if it keeps happening, tell whoever runs promowatch.',
    toOverview: 'Go to the overview',
    bodyTooLarge: 'Request body too large',
    unknownSite: (name: string) => `Unknown site "${name}"`,
    forbidden: 'Forbidden',
    csrf: 'The form expired or came from another site; reload the page and try again.',
  },
  /** Client-side strings the dashboard script needs (passed to it in a data attribute). */
  client: {
    partialDay: 'today so far (partial)',
    chartError: 'Could not draw this chart: {message}',
  },
};

export const ru: Catalog<typeof en> = {
  brand: 'promowatch',
  nav: {
    overview: 'Сводка',
    uptime: 'Доступность',
    audit: 'Аудит сайта',
    backlinks: 'Ссылки',
    rankings: 'Позиции',
    ads: 'Реклама',
    reports: 'Отчёты',
    jobs: 'Задачи',
    alerts: 'Оповещения',
    share: 'Доступ по ссылке',
  },
  menu: 'Меню',
  site: 'Сайт',
  show: 'Показать',
  language: 'Язык',
  languageNames: { ru: 'Русский', en: 'English' },
  logOut: 'Выйти',
  demoBanner:
    'Демо: все сайты, страницы доноров и API здесь — имитация, работающая на этой машине (127.0.0.1). Ничего настоящего.',
  login: {
    title: 'Вход',
    password: 'Пароль',
    submit: 'Войти',
    wrong: 'Неверный пароль.',
    tooMany: (seconds: number) =>
      `Слишком много неудачных попыток входа; попробуйте снова через ${seconds} с.`,
    demoBanner: 'Демо: всё здесь — имитация, работающая на этой машине.',
  },
  yes: 'да',
  no: 'нет',
  none: 'нет',
  any: 'любой',
  all: 'все',
  filter: 'Отобрать',
  add: 'Добавить',
  save: 'Сохранить',
  downloadCsv: 'Скачать (CSV)',
  downloadCsvExcel: 'Скачать для Excel (CSV)',
  noSite: 'Ни один сайт ещё не настроен.',
  noSiteHint: 'Добавьте сайт в раздел "sites" файла promowatch.config.json.',
  allSites: 'все сайты',
  engines: { google: 'Google', yandex: 'Яндекс', bing: 'Bing' },
  devices: { desktop: 'десктоп', mobile: 'мобильные' },
  errors: {
    notFound: 'Не найдено',
    notFoundHint: 'Такой страницы нет, или у вас нет к ней доступа.',
    internalTitle: 'Что-то пошло не так',
    internalHint:
      'Страницу не удалось показать из-за ошибки на сервере. Подробности — в журнале сервера; попробуйте ещё раз, а если ошибка повторится, сообщите тому, кто обслуживает promowatch.',
    toOverview: 'Перейти к сводке',
    bodyTooLarge: 'Слишком большой запрос',
    unknownSite: (name: string) => `Неизвестный сайт «${name}»`,
    forbidden: 'Доступ запрещён',
    csrf: 'Форма устарела или пришла с другого сайта; обновите страницу и попробуйте снова.',
  },
  client: {
    partialDay: 'сегодня, неполный день',
    chartError: 'Не удалось построить график: {message}',
  },
};
