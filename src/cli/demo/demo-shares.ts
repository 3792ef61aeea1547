// The demo's share links: the bakery's owner follows their dashboard through one, an investor got last
// week's studio report, and two older links show how revoked and expired ones look in the list.
import { createShareLink, revokeShareLink } from '../../auth/share-links.ts';
import { listUsers } from '../../auth/users.ts';
import type { Db } from '../../db/open.ts';
import { storeOf } from '../../db/store/sqlite.ts';

const DAY = 86_400_000;

/** Makes the links (times relative to `now`); returns the token of the report link, to print. */
export async function seedShareLinks(
  db: Db,
  sites: { studio: number; bakery: number },
  studioReport: number | undefined,
  now: Date,
): Promise<string | null> {
  const sql = storeOf(db);
  const at = (days: number) => new Date(now.getTime() + days * DAY);
  // Made by the demo's marketer when it has one (the editor), else by the owner of the install.
  const editor = (await listUsers(sql)).find((u) => u.role === 'editor') ?? null;
  const by = editor ? { id: editor.id, email: editor.email } : null;
  const touch = (at: Date, id: number) =>
    sql.run('UPDATE share_links SET last_used_at = ? WHERE id = ?', [at.toISOString(), id]);
  const bakery = await createShareLink(
    sql,
    { siteId: sites.bakery, label: 'Пекарня «Колос», владелец', by, expiresAt: at(78) },
    at(-12),
  );
  await touch(at(-2), bakery.id);
  const old = await createShareLink(
    sql,
    { siteId: sites.studio, label: 'Прежний подрядчик', by: null },
    at(-60),
  );
  await touch(at(-41), old.id);
  await revokeShareLink(sql, old.id, at(-40));
  await createShareLink(
    sql,
    { siteId: sites.studio, label: 'Выставка, посетители стенда', by, expiresAt: at(-5) },
    at(-12),
  );
  if (studioReport === undefined) return null;
  const report = await createShareLink(
    sql,
    { siteId: sites.studio, reportId: studioReport, label: 'Отчёт для инвестора', by, expiresAt: at(30) },
    now,
  );
  return report.token;
}
