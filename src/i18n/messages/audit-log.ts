// Messages of the admins' Audit log page (who changed what and when). Action names ("backlink.archive")
// and the people's e-mails are data, shown as they are.
import type { Catalog } from '../catalog.ts';
import type { Formatter } from '../format.ts';

export const en = {
  nav: 'Audit log',
  title: 'Audit log',
  intro:
    'Every change made in the dashboard, through the API or with the command line: who made it, when, on which site. Passwords, codes and keys are never written here.',
  filters: {
    person: 'Who',
    site: 'Site',
    action: 'Action',
    from: 'From',
    to: 'To',
    anyone: 'Anyone',
    anySite: 'All sites',
    anyAction: 'All actions',
    apply: 'Show',
    reset: 'Reset',
  },
  columns: { when: 'When', who: 'Who', action: 'Action', site: 'Site', target: 'What', details: 'Details' },
  empty: 'Nothing here yet.',
  emptyFiltered: 'No changes match these filters.',
  hidden: 'hidden',
  shown: (f: Formatter, first: number, last: number, total: number) =>
    `${f.number(first)}–${f.number(last)} of ${f.number(total)}`,
  newer: 'Newer',
  older: 'Older',
  actors: {
    cli: 'command line',
    system: 'promowatch itself',
    dashboard: 'shared password',
    apiToken: 'API token',
  },
};

export const ru: Catalog<typeof en> = {
  nav: 'Журнал изменений',
  title: 'Журнал изменений',
  intro:
    'Все изменения, сделанные в панели, через API или из командной строки: кто, когда и на каком сайте. Пароли, коды и ключи сюда не записываются.',
  filters: {
    person: 'Кто',
    site: 'Сайт',
    action: 'Действие',
    from: 'С',
    to: 'По',
    anyone: 'Все',
    anySite: 'Все сайты',
    anyAction: 'Все действия',
    apply: 'Показать',
    reset: 'Сбросить',
  },
  columns: {
    when: 'Когда',
    who: 'Кто',
    action: 'Действие',
    site: 'Сайт',
    target: 'Что',
    details: 'Подробности',
  },
  empty: 'Здесь пока ничего нет.',
  emptyFiltered: 'Под эти фильтры изменений нет.',
  hidden: 'скрыто',
  shown: (f, first, last, total) => `${f.number(first)}–${f.number(last)} из ${f.number(total)}`,
  newer: 'Новее',
  older: 'Старше',
  actors: {
    cli: 'командная строка',
    system: 'сам promowatch',
    dashboard: 'общий пароль',
    apiToken: 'API-токен',
  },
};
