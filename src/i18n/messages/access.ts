// Messages of the authorisation check (web/access.ts): what a person is told when a role forbids an act.
import type { Catalog } from '../catalog.ts';

export const en = {
  forbidden: 'Your role does not allow this change. Ask an admin of this dashboard for editor rights.',
  /** Where a page's forms would be, for a viewer or a share link: they read, an editor changes. */
  readOnly: 'You can view this site; changes are made by an editor.',
};

export const ru: Catalog<typeof en> = {
  forbidden: 'Ваша роль не позволяет это изменить. Попросите администратора панели дать вам права редактора.',
  readOnly: 'Вы можете просматривать этот сайт; изменения вносит редактор.',
};
