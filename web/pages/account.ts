// The Account page, for everyone logged in: change one's password, turn two-step login on or off,
// see where one is logged in and log out everywhere else.
import type { Context } from 'hono';
import { Hono } from 'hono';
import { html } from 'hono/html';
import {
  hashPassword,
  MIN_PASSWORD_LENGTH,
  passwordProblem,
  verifyPassword,
} from '../../src/auth/password.ts';
import {
  beginTotp,
  confirmTotp,
  disableTotp,
  totpState,
  unusedRecoveryCodes,
} from '../../src/auth/second-factor.ts';
import { endUserSessions, listUserSessions } from '../../src/auth/sessions.ts';
import { otpauthUri } from '../../src/auth/totp.ts';
import { getUser, setPasswordHash } from '../../src/auth/users.ts';
import { csrfField, layout } from '../layout.ts';
import type { Env } from '../types.ts';

interface Shown {
  flash?: string;
  error?: string;
  /** A new secret waiting for its first code. */
  enrolling?: boolean;
  /** Recovery codes, shown once right after two-step login is turned on. */
  recovery?: string[];
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');

async function page(c: Context<Env>, shown: Shown = {}, status?: 400 | 403) {
  const t = c.get('t').users;
  const a = t.account;
  const fmt = c.get('fmt');
  const user = c.get('user');
  if (!user)
    return layout(
      c,
      a.title,
      html`<section class="empty"><p>${a.noAccounts}</p><p><a href="/users">${t.nav.users}</a></p></section>`,
      undefined,
      { noSiteInTitle: true },
    );
  const { sql, now } = c.get('deps');
  const state = await totpState(sql, user.id);
  const unused = state?.enabledAt ? await unusedRecoveryCodes(sql, user.id) : 0;
  const here = c.get('session')?.id;
  const sessions = await listUserSessions(sql, user.id, now());
  const body = html`
${shown.flash ? html`<p class="flash" role="status">${shown.flash}</p>` : ''}
${shown.error ? html`<p class="flash bad" role="alert">${shown.error}</p>` : ''}
<p>${a.signedInAs(user.email, t.roles[user.role])}</p>
<p><a href="/account/keys">${c.get('t').api.keys.title}</a></p>
${
  shown.recovery
    ? html`<section class="recovery-codes"><h2>${a.recoveryTitle}</h2><p>${a.recoveryIntro}</p>
<ul class="codes">${shown.recovery.map((code) => html`<li><code>${code}</code></li>`)}</ul></section>`
    : ''
}
<section><h2>${a.totpTitle}</h2>
${
  state?.enabledAt
    ? html`<p>${a.totpOn(unused)}</p>
<form method="post" action="/account/totp/disable">${csrfField(c)}
<p class="hint">${a.forPassword}</p>
<label>${a.currentPassword} <input type="password" name="password" required autocomplete="current-password"></label>
<button type="submit">${a.totpDisable}</button></form>`
    : shown.enrolling && state
      ? html`<p>${a.totpScan}</p>
<dl><dt>${a.totpKey}</dt><dd><code class="secret">${state.secret.replace(/(.{4})/g, '$1 ').trim()}</code></dd>
<dt>${a.totpLink}</dt><dd><a href="${otpauthUri(state.secret, user.email)}"><code>${otpauthUri(state.secret, user.email)}</code></a></dd></dl>
<form method="post" action="/account/totp/confirm">${csrfField(c)}
<label>${t.login.code} <input type="text" name="code" required inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]{6,7}" maxlength="7"></label>
<button type="submit">${a.totpConfirm}</button></form>`
      : html`<p>${a.totpOff}</p>
<form method="post" action="/account/totp/begin">${csrfField(c)}<button type="submit">${a.totpEnable}</button></form>`
}
</section>
<section><h2>${a.passwordTitle}</h2>
<form method="post" action="/account/password" class="stack">${csrfField(c)}
<input type="text" name="username" value="${user.email}" autocomplete="username" hidden>
<label>${a.currentPassword} <input type="password" name="current" required autocomplete="current-password"></label>
<label>${a.newPassword} <input type="password" name="password" required minlength="${MIN_PASSWORD_LENGTH}" autocomplete="new-password"></label>
<label>${a.repeatPassword} <input type="password" name="repeat" required minlength="${MIN_PASSWORD_LENGTH}" autocomplete="new-password"></label>
<button type="submit">${a.changePassword}</button></form>
</section>
<section><h2>${a.sessionsTitle}</h2>
<div class="table-wrap"><table class="sessions"><thead><tr><th>${a.sessionStarted}</th><th>${a.sessionLastSeen}</th><th>${a.sessionFrom}</th><th>${a.sessionBrowser}</th></tr></thead><tbody>
${sessions.map(
  (s) =>
    html`<tr${s.id === here ? html` aria-current="true"` : ''}><td>${fmt.dateTime(s.createdAt)}</td><td>${fmt.relative(s.lastSeenAt, now())}${s.id === here ? html` <strong>(${a.sessionHere})</strong>` : ''}</td><td>${s.ip ?? ''}</td><td>${(s.userAgent ?? '').slice(0, 120)}</td></tr>`,
)}
</tbody></table></div>
${
  sessions.length > 1
    ? html`<form method="post" action="/account/sessions/end-others">${csrfField(c)}<button type="submit">${a.logOutElsewhere}</button></form>`
    : ''
}
</section>`;
  return layout(c, a.title, body, status, { noSiteInTitle: true });
}

export const accountPage = new Hono<Env>()
  .get('/account', (c) => page(c))
  .post('/account/password', async (c) => {
    const a = c.get('t').users.account;
    const user = c.get('user');
    if (!user) return page(c);
    const { sql } = c.get('deps');
    const body = await c.req.parseBody();
    const row = (await getUser(sql, user.id))!;
    if (!(await verifyPassword(str(body.current), row.passwordHash)))
      return page(c, { error: a.wrongCurrent }, 400);
    const problem = passwordProblem(str(body.password));
    if (problem)
      return page(c, { error: problem === 'blank' ? a.blank : a.tooShort(MIN_PASSWORD_LENGTH) }, 400);
    if (str(body.password) !== str(body.repeat)) return page(c, { error: a.mismatch }, 400);
    await setPasswordHash(sql, user.id, await hashPassword(str(body.password)));
    // Whoever else had the old password is out; this browser stays in.
    await endUserSessions(sql, user.id, c.get('session')?.id);
    return page(c, { flash: a.passwordChanged });
  })
  .post('/account/totp/begin', async (c) => {
    const user = c.get('user');
    if (!user) return page(c);
    const { sql, now } = c.get('deps');
    if (!(await totpState(sql, user.id))?.enabledAt) await beginTotp(sql, user.id, now());
    return page(c, { enrolling: true });
  })
  .post('/account/totp/confirm', async (c) => {
    const user = c.get('user');
    if (!user) return page(c);
    const { sql, now } = c.get('deps');
    const body = await c.req.parseBody();
    const codes = await confirmTotp(sql, user.id, str(body.code), now());
    if (!codes) return page(c, { enrolling: true, error: c.get('t').users.account.totpWrong }, 400);
    return page(c, { recovery: codes });
  })
  .post('/account/totp/disable', async (c) => {
    const a = c.get('t').users.account;
    const user = c.get('user');
    if (!user) return page(c);
    const { sql } = c.get('deps');
    const body = await c.req.parseBody();
    if (!(await verifyPassword(str(body.password), (await getUser(sql, user.id))!.passwordHash)))
      return page(c, { error: a.wrongCurrent }, 400);
    await disableTotp(sql, user.id);
    return page(c, { flash: a.totpDisabled });
  })
  .post('/account/sessions/end-others', async (c) => {
    const user = c.get('user');
    if (!user) return page(c);
    const n = await endUserSessions(c.get('deps').sql, user.id, c.get('session')?.id);
    return page(c, { flash: c.get('t').users.account.loggedOutElsewhere(n) });
  });
