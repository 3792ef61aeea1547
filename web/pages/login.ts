// Login and logout. With user accounts: e-mail and password, then the TOTP code when the user has
// one, each step rate-limited per client. Before any user exists: the single shared password.
import type { Context } from 'hono';
import { Hono } from 'hono';
import { html } from 'hono/html';
import { dummyHash, hashPassword, needsRehash, verifyPassword } from '../../src/auth/password.ts';
import { checkSecondFactor, totpEnabled } from '../../src/auth/second-factor.ts';
import { endSession } from '../../src/auth/sessions.ts';
import { findUserByEmail, setPasswordHash } from '../../src/auth/users.ts';
import {
  endSession as endSharedSession,
  endUserSession,
  pendingLogin,
  safeEqual,
  safeNext,
  startSession,
  startUserSession,
  usersExist,
  type SessionStore,
} from '../auth.ts';
import type { SharedLoginLimiter } from '../../src/limits/rate.ts';
import { isLang, LANGS } from '../../src/i18n/index.ts';
import { LANG_COOKIE } from '../i18n.ts';
import { setCookie } from 'hono/cookie';
import { documentStart } from '../layout.ts';
import { clientOf } from '../client.ts';
import type { Env } from '../types.ts';

type Step = { kind: 'password'; withEmail: boolean; email?: string } | { kind: 'code'; email: string };

function loginForm(c: Context<Env>, next: string, message: string | null, step: Step) {
  const t = c.get('t').common;
  const u = c.get('t').users.login;
  const back = step.kind === 'code' ? '/login/code' : '/login';
  return html`${documentStart(c, step.kind === 'code' ? u.codeTitle : t.login.title)}
${c.get('deps').demo ? html`<div class="banner" role="note">${t.login.demoBanner}</div>` : ''}
<main class="login"><h1>${t.brand}</h1>
${message ? html`<p class="flash bad">${message}</p>` : ''}
${
  step.kind === 'code'
    ? html`<p>${u.codeIntro(step.email)}</p>
<form method="post" action="/login/code">
<input type="hidden" name="_csrf" value="${c.get('csrf')}">
<input type="hidden" name="next" value="${next}">
<label>${u.code} <input type="text" name="code" required autofocus autocomplete="one-time-code" inputmode="text" maxlength="20" spellcheck="false"></label>
<button type="submit">${u.verify}</button>
</form>`
    : html`<form method="post" action="/login">
<input type="hidden" name="_csrf" value="${c.get('csrf')}">
<input type="hidden" name="next" value="${next}">
${step.withEmail ? html`<label>${u.email} <input type="email" name="email" required autofocus autocomplete="username" value="${step.email ?? ''}"></label>` : ''}
<label>${t.login.password} <input type="password" name="password" required${step.withEmail ? '' : html` autofocus`} autocomplete="current-password"></label>
<button type="submit">${t.login.submit}</button>
</form>`
}
<form class="lang-switcher" method="post" action="/lang">
<input type="hidden" name="_csrf" value="${c.get('csrf')}"><input type="hidden" name="back" value="${back}?next=${encodeURIComponent(next)}">
${LANGS.map((l) => html`<button type="submit" name="lang" value="${l}" lang="${l}"${l === c.get('lang') ? html` aria-current="true"` : ''}>${t.languageNames[l]}</button> `)}
</form></main></body></html>`;
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');

/** A user who chose a language gets it on every browser they log in from (the switcher still wins
 * afterwards, as for anyone). */
function rememberLanguage(c: Context<Env>, language: string | null) {
  if (isLang(language))
    setCookie(c, LANG_COOKIE, language, { path: '/', sameSite: 'Lax', httpOnly: true, maxAge: 365 * 86400 });
}

export function loginPages(sessions: SessionStore, limiter: SharedLoginLimiter) {
  /** The refusal of a client over its failures (before any password is checked). */
  const tooMany = (c: Context<Env>, wait: number, step: Step) => {
    c.header('Retry-After', String(wait));
    return c.html(loginForm(c, '/', c.get('t').common.login.tooMany(wait), step), 429);
  };

  return new Hono<Env>()
    .get('/login', async (c) =>
      c.html(
        loginForm(c, safeNext(c.req.query('next')), null, {
          kind: 'password',
          withEmail: await usersExist(c.get('deps').sql),
        }),
      ),
    )
    .post('/login', async (c) => {
      const { auth, sql, log, now } = c.get('deps');
      const accounts = await usersExist(sql);
      if (!auth && !accounts) return c.redirect('/', 303);
      const client = clientOf(c).address;
      const body = await c.req.parseBody();
      const step: Step = { kind: 'password', withEmail: accounts, email: str(body.email).slice(0, 254) };
      // Counted as a failure before the password is checked, so concurrent guesses — on this dashboard
      // or on another one on the same database — are all counted; a right password takes it back.
      const attempt = await limiter.attempt(client);
      if (attempt.wait > 0) return tooMany(c, attempt.wait, step);
      const next = safeNext(str(body.next) || undefined);
      if (!accounts) {
        if (typeof body.password === 'string' && safeEqual(body.password, auth!.password)) {
          await attempt.succeeded();
          startSession(c, sessions, auth!);
          return c.redirect(next, 303);
        }
        log.warn(`failed dashboard login from ${client}`);
        return c.html(loginForm(c, next, c.get('t').common.login.wrong, step), 401);
      }
      const user = await findUserByEmail(sql, str(body.email));
      const password = str(body.password);
      // An unknown e-mail costs the same hash as a known one, so timing does not tell them apart.
      const ok = user
        ? await verifyPassword(password, user.passwordHash)
        : (await verifyPassword(password, await dummyHash()), false);
      if (!ok || !user || user.disabledAt) {
        log.warn(`failed dashboard login from ${client}`);
        return c.html(loginForm(c, next, c.get('t').users.login.wrong, step), 401);
      }
      await attempt.succeeded();
      if (needsRehash(user.passwordHash)) await setPasswordHash(sql, user.id, await hashPassword(password));
      if (await totpEnabled(sql, user.id)) {
        await startUserSession(c, user.id, 'totp');
        return c.html(loginForm(c, next, null, { kind: 'code', email: user.email }));
      }
      await startUserSession(c, user.id);
      rememberLanguage(c, user.language);
      log.info(`dashboard login: ${user.email} from ${client} at ${now().toISOString()}`);
      return c.redirect(next, 303);
    })
    .get('/login/code', async (c) => {
      const pending = await pendingLogin(c);
      const next = safeNext(c.req.query('next'));
      if (!pending) return c.redirect(`/login?next=${encodeURIComponent(next)}`, 303);
      return c.html(loginForm(c, next, null, { kind: 'code', email: pending.user.email }));
    })
    .post('/login/code', async (c) => {
      const { sql, log, now } = c.get('deps');
      const client = clientOf(c).address;
      const body = await c.req.parseBody();
      const next = safeNext(str(body.next) || undefined);
      const pending = await pendingLogin(c);
      if (!pending)
        return c.html(
          loginForm(c, next, c.get('t').users.login.expired, {
            kind: 'password',
            withEmail: await usersExist(sql),
          }),
          401,
        );
      const step: Step = { kind: 'code', email: pending.user.email };
      const attempt = await limiter.attempt(client);
      if (attempt.wait > 0) return tooMany(c, attempt.wait, step);
      const used = await checkSecondFactor(sql, pending.user.id, str(body.code).slice(0, 40), now());
      if (!used) {
        log.warn(`failed second-factor code from ${client}`);
        return c.html(loginForm(c, next, c.get('t').users.login.wrongCode, step), 401);
      }
      await attempt.succeeded();
      await endSession(sql, pending.sessionId);
      await startUserSession(c, pending.user.id);
      rememberLanguage(c, pending.user.language);
      if (used === 'recovery') log.info(`dashboard login with a recovery code: ${pending.user.email}`);
      return c.redirect(next, 303);
    })
    .post('/logout', async (c) => {
      endSharedSession(c, sessions);
      await endUserSession(c);
      return c.redirect('/login', 303);
    });
}
