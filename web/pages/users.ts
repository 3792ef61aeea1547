// The Users page, for admins: who can open the dashboard, with which role and sites; add, change,
// disable, remove, set a new password. Before any user exists, whoever opens the dashboard (loopback,
// or the shared password) is its owner and may add the first users.
import type { Context } from 'hono';
import { Hono } from 'hono';
import { html } from 'hono/html';
import { hashPassword, MIN_PASSWORD_LENGTH, passwordProblem } from '../../src/auth/password.ts';
import { totpEnabled } from '../../src/auth/second-factor.ts';
import { endUserSessions } from '../../src/auth/sessions.ts';
import {
  addUser,
  findUserByEmail,
  getUser,
  isEmail,
  isRole,
  listUsers,
  normalizeEmail,
  removeUser,
  ROLES,
  setDisabled,
  setPasswordHash,
  setRole,
  UserError,
  type Role,
  type UserRow,
} from '../../src/auth/users.ts';
import { isLang, LANGS } from '../../src/i18n/index.ts';
import { csrfField, errorPage, layout } from '../layout.ts';
import { usersExist } from '../auth.ts';
import type { Env } from '../types.ts';

/** Admins only; with no user yet, the owner of the install (the only one who can open it). */
export async function mayManageUsers(c: Context<Env>): Promise<boolean> {
  const user = c.get('user');
  if (user) return user.role === 'admin';
  return !c.get('bearer') && !(await usersExist(c.get('deps').sql));
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');
const all = (v: unknown) =>
  (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x) => typeof x === 'string') as string[];

function roleFields(c: Context<Env>, role: Role, siteIds: number[]) {
  const t = c.get('t').users;
  return html`<fieldset class="role"><legend>${t.users.role}</legend>
${ROLES.map((r) => html`<label><input type="radio" name="role" value="${r}"${r === role ? html` checked` : ''} required> ${t.roles[r]} <small class="hint">${t.roleHints[r]}</small></label>`)}
</fieldset>
<fieldset class="sites"><legend>${t.users.sites}</legend>
${c.get('sites').map((s) => html`<label><input type="checkbox" name="site" value="${s.id}"${siteIds.includes(s.id) ? html` checked` : ''}> ${s.name}</label>`)}
</fieldset>`;
}

async function page(c: Context<Env>, shown: { flash?: string; error?: string } = {}, status?: 400) {
  const t = c.get('t').users;
  const u = t.users;
  const fmt = c.get('fmt');
  const { sql } = c.get('deps');
  const me = c.get('user');
  const siteName = new Map(c.get('sites').map((s) => [s.id, s.name]));
  const users = await listUsers(sql);
  const totpOn = await Promise.all(users.map((row) => totpEnabled(sql, row.id)));
  const sitesText = (row: UserRow) =>
    row.role === 'admin'
      ? u.allSites
      : row.siteIds.map((id) => siteName.get(id) ?? `#${id}`).join(', ') || u.noSites;
  const body = html`
${shown.flash ? html`<p class="flash" role="status">${shown.flash}</p>` : ''}
${shown.error ? html`<p class="flash bad" role="alert">${shown.error}</p>` : ''}
<p>${u.intro}</p>
<div class="table-wrap"><table class="users"><thead><tr><th>${u.email}</th><th>${u.name}</th><th>${u.role}</th><th>${u.sites}</th><th>${u.twoStep}</th><th>${u.state}</th><th>${u.created}</th><th></th></tr></thead><tbody>
${users.map(
  (
    row,
    i,
  ) => html`<tr><td>${row.email}${row.id === me?.id ? html` <small>(${u.you})</small>` : ''}</td><td>${row.displayName}</td><td>${t.roles[row.role]}</td><td>${sitesText(row)}</td><td>${totpOn[i] ? c.get('t').common.yes : c.get('t').common.no}</td><td>${row.disabledAt ? u.disabled : u.active}</td><td>${fmt.dateTime(row.createdAt)}</td>
<td><details><summary>${u.manage}</summary>
<form method="post" action="/users/${row.id}" class="stack">${csrfField(c)}<input type="hidden" name="action" value="role">${roleFields(c, row.role, row.siteIds)}<button type="submit">${u.saveRole}</button></form>
<form method="post" action="/users/${row.id}" class="stack">${csrfField(c)}<input type="hidden" name="action" value="password">
<label>${u.password} <input type="password" name="password" required minlength="${MIN_PASSWORD_LENGTH}" autocomplete="new-password"></label><button type="submit">${u.resetPassword}</button></form>
<form method="post" action="/users/${row.id}">${csrfField(c)}<input type="hidden" name="action" value="${row.disabledAt ? 'enable' : 'disable'}"><button type="submit">${row.disabledAt ? u.enable : u.disable}</button></form>
<form method="post" action="/users/${row.id}">${csrfField(c)}<input type="hidden" name="action" value="remove"><label><input type="checkbox" name="confirm" value="yes" required> ${u.removeConfirm}</label> <button type="submit" class="danger">${u.remove}</button></form>
</details></td></tr>`,
)}
</tbody></table></div>
<section><h2>${u.addTitle}</h2>
<form method="post" action="/users" class="stack">${csrfField(c)}
<label>${u.email} <input type="email" name="email" required autocomplete="off"></label>
<label>${u.name} <input type="text" name="name" maxlength="100" autocomplete="off"></label>
<label>${u.language} <select name="lang"><option value="">${u.browserLanguage}</option>${LANGS.map((l) => html`<option value="${l}" lang="${l}">${c.get('t').common.languageNames[l]}</option>`)}</select></label>
${roleFields(c, 'viewer', [])}
<label>${u.password} <input type="password" name="password" required minlength="${MIN_PASSWORD_LENGTH}" autocomplete="new-password"> <small class="hint">${u.passwordHint(MIN_PASSWORD_LENGTH)}</small></label>
<button type="submit">${u.add}</button></form>
</section>`;
  return layout(c, u.title, body, status, { noSiteInTitle: true });
}

/** The role and sites a form asked for, or the message saying what is wrong. */
function roleOf(c: Context<Env>, body: Record<string, unknown>): { role: Role; siteIds: number[] } | string {
  const role = str(body.role);
  if (!isRole(role)) return c.get('t').users.users.sitesNeeded;
  const known = new Set(c.get('sites').map((s) => s.id));
  const siteIds = all(body.site)
    .map(Number)
    .filter((id) => known.has(id));
  if (role !== 'admin' && siteIds.length === 0) return c.get('t').users.users.sitesNeeded;
  return { role, siteIds };
}

function passwordError(c: Context<Env>, password: string): string | null {
  const a = c.get('t').users.account;
  const problem = passwordProblem(password);
  return problem === 'blank' ? a.blank : problem === 'short' ? a.tooShort(MIN_PASSWORD_LENGTH) : null;
}

export const usersPage = new Hono<Env>()
  .use('/users', async (c, next) => ((await mayManageUsers(c)) ? next() : errorPage(c, 403, null)))
  .use('/users/*', async (c, next) => ((await mayManageUsers(c)) ? next() : errorPage(c, 403, null)))
  .get('/users', (c) => page(c))
  .post('/users', async (c) => {
    const u = c.get('t').users.users;
    const { sql, now } = c.get('deps');
    const body = await c.req.parseBody({ all: true });
    const email = normalizeEmail(str(body.email));
    if (!isEmail(email)) return page(c, { error: u.badEmail(str(body.email).slice(0, 100)) }, 400);
    if (await findUserByEmail(sql, email)) return page(c, { error: u.exists(email) }, 400);
    const role = roleOf(c, body);
    if (typeof role === 'string') return page(c, { error: role }, 400);
    const password = str(body.password);
    const bad = passwordError(c, password);
    if (bad) return page(c, { error: bad }, 400);
    const lang = str(body.lang);
    await addUser(
      sql,
      {
        email,
        passwordHash: await hashPassword(password),
        role: role.role,
        siteIds: role.siteIds,
        displayName: str(body.name).slice(0, 100),
        language: isLang(lang) ? lang : null,
      },
      now(),
    );
    return page(c, { flash: u.added(email) });
  })
  .post('/users/:id', async (c) => {
    const u = c.get('t').users.users;
    const { sql, now } = c.get('deps');
    const target = await getUser(sql, Number(c.req.param('id')));
    if (!target) return errorPage(c, 404, u.notFound);
    const body = await c.req.parseBody({ all: true });
    try {
      switch (str(body.action)) {
        case 'role': {
          const role = roleOf(c, body);
          if (typeof role === 'string') return page(c, { error: role }, 400);
          await setRole(sql, target.id, role.role, role.siteIds);
          return page(c, { flash: u.roleSaved(target.email) });
        }
        case 'password': {
          const password = str(body.password);
          const bad = passwordError(c, password);
          if (bad) return page(c, { error: bad }, 400);
          await setPasswordHash(sql, target.id, await hashPassword(password));
          await endUserSessions(
            sql,
            target.id,
            target.id === c.get('user')?.id ? c.get('session')?.id : undefined,
          );
          return page(c, { flash: u.passwordReset(target.email) });
        }
        case 'disable':
          await setDisabled(sql, target.id, true, now());
          return page(c, { flash: u.disabledDone(target.email) });
        case 'enable':
          await setDisabled(sql, target.id, false, now());
          return page(c, { flash: u.enabledDone(target.email) });
        case 'remove':
          if (str(body.confirm) !== 'yes') return page(c);
          await removeUser(sql, target.id);
          return page(c, { flash: u.removed(target.email) });
        default:
          return errorPage(c, 400, null);
      }
    } catch (err) {
      // The one refusal the store makes: leaving no active admin.
      if (err instanceof UserError) return page(c, { error: u.lastAdmin }, 400);
      throw err;
    }
  });
