// Messages of the dashboard's Reports pages: the archive of weekly reports. The reports themselves speak
// their own language (messages/report.ts). Russian wording follows src/i18n/glossary.md.
import type { Catalog } from '../catalog.ts';
import { formatter } from '../format.ts';

const EN = formatter('en');
const RU = formatter('ru');

export const en = {
  noReports: 'No reports yet',
  noReportsScheduled: (schedule: string, site: string) =>
    `The weekly-report job makes one on its schedule (${schedule}), or run promowatch report --site ${site}`,
  noReportsDefault: (site: string) =>
    `The weekly-report job makes one every Monday at 08:00, or run promowatch report --site ${site}`,
  head: { week: 'Week', subject: 'Subject', created: 'Created', sent: 'Sent' },
  sent: 'sent',
  notSent: 'not sent',
  attempts: (n: number) => EN.count(n, { one: 'attempt', other: 'attempts' }),
  view: 'View',
  pdf: 'PDF',
  /** The report's own language, when it is not the page's. */
  writtenIn: (language: string) => `in ${language}`,
  languages: { ru: 'Russian', en: 'English' },
};

export const ru: Catalog<typeof en> = {
  noReports: 'Отчётов пока нет',
  noReportsScheduled: (schedule, site) =>
    `Задача weekly-report формирует отчёт по своему расписанию (${schedule}); можно и вручную: promowatch report --site ${site}`,
  noReportsDefault: (site) =>
    `Задача weekly-report формирует отчёт каждый понедельник в 08:00; можно и вручную: promowatch report --site ${site}`,
  head: { week: 'Неделя', subject: 'Тема', created: 'Создан', sent: 'Отправлен' },
  sent: 'отправлен',
  notSent: 'не отправлен',
  attempts: (n) => RU.count(n, { one: 'попытка', few: 'попытки', many: 'попыток', other: 'попытки' }),
  view: 'Открыть',
  pdf: 'PDF',
  writtenIn: (language) => `на ${language}`,
  languages: { ru: 'русском', en: 'английском' },
};
