// Messages of share links: the Share page (make, list, revoke) and the banner a link's holder sees.
// Russian wording follows src/i18n/glossary.md; labels a person typed are never translated.
import type { Catalog } from '../catalog.ts';

export const en = {
  title: 'Share links',
  intro:
    'A share link opens one site’s dashboard, or one report, read-only, for someone without an account — a client, say. Whoever has the link can read what it opens until it expires or you revoke it.',
  make: 'Make a link',
  what: 'What it opens',
  wholeSite: (site: string) => `The whole dashboard of ${site}`,
  oneReport: (week: string) => `Only the report for ${week}`,
  label: 'Note (who it is for)',
  expires: 'Expires after',
  never: 'Never',
  days: (n: number) => (n === 1 ? '1 day' : `${n} days`),
  create: 'Make the link',
  made: 'Here is the link. Copy it now: it is shown only once.',
  list: 'Links',
  none: 'No share links for this site yet.',
  colWhat: 'Opens',
  colBy: 'Made by',
  colCreated: 'Made',
  colExpires: 'Expires',
  colUsed: 'Last opened',
  colState: 'State',
  site: 'Dashboard',
  report: (week: string) => `Report ${week}`,
  owner: 'the owner',
  notUsed: 'never',
  live: 'Live',
  expired: 'Expired',
  revoked: 'Revoked',
  revoke: 'Revoke',
  revokedFlash: 'The link is revoked: it opens nothing from now on.',
  noReport: 'That report is not one of this site’s.',
  banner: 'You are looking at a read-only shared view.',
};

export const ru: Catalog<typeof en> = {
  title: 'Ссылки для просмотра',
  intro:
    'Ссылка открывает панель одного сайта или один отчёт только для чтения — тому, у кого нет учётной записи, например клиенту. Любой, у кого есть ссылка, видит то, что она открывает, пока срок не истёк или вы её не отозвали.',
  make: 'Создать ссылку',
  what: 'Что открывает',
  wholeSite: (site: string) => `Всю панель сайта ${site}`,
  oneReport: (week: string) => `Только отчёт за ${week}`,
  label: 'Заметка (для кого)',
  expires: 'Действует',
  never: 'Бессрочно',
  days: (n: number) => {
    const m10 = n % 10;
    const m100 = n % 100;
    const word =
      m10 === 1 && m100 !== 11 ? 'день' : m10 >= 2 && m10 <= 4 && (m100 < 12 || m100 > 14) ? 'дня' : 'дней';
    return `${n} ${word}`;
  },
  create: 'Создать',
  made: 'Вот ссылка. Скопируйте её сейчас: больше она показана не будет.',
  list: 'Ссылки',
  none: 'Для этого сайта ссылок пока нет.',
  colWhat: 'Открывает',
  colBy: 'Кто создал',
  colCreated: 'Создана',
  colExpires: 'Истекает',
  colUsed: 'Открывали',
  colState: 'Состояние',
  site: 'Панель',
  report: (week: string) => `Отчёт ${week}`,
  owner: 'владелец',
  notUsed: 'ни разу',
  live: 'Действует',
  expired: 'Истекла',
  revoked: 'Отозвана',
  revoke: 'Отозвать',
  revokedFlash: 'Ссылка отозвана: с этого момента она ничего не открывает.',
  noReport: 'Этот отчёт не относится к этому сайту.',
  banner: 'Вы смотрите панель по ссылке, только для чтения.',
};
