// Messages of the authorisation check (web/access.ts): what a person is told when a role forbids an act.
import type { Catalog } from '../catalog.ts';

export const en = {
  forbidden: 'Your role does not allow this change. Ask an admin of this dashboard for editor rights.',
};

export const ru: Catalog<typeof en> = {
  forbidden: 'Ваша роль не позволяет это изменить. Попросите администратора панели дать вам права редактора.',
};
