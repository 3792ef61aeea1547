// Login and logout: a password form that starts a session cookie; failures are rate-limited per client.
import type { Context } from 'hono';
import { Hono } from 'hono';
import { html } from 'hono/html';
import {
  endSession,
  safeEqual,
  safeNext,
  startSession,
  type LoginLimiter,
  type SessionStore,
} from '../auth.ts';
import { LANGS } from '../../src/i18n/index.ts';
import { documentStart } from '../layout.ts';
import { clientOf } from '../client.ts';
import type { Env } from '../types.ts';

function loginForm(c: Context<Env>, next: string, message: string | null) {
  const t = c.get('t').common;
  return html`${documentStart(c, t.login.title)}
${c.get('deps').demo ? html`<div class="banner" role="note">${t.login.demoBanner}</div>` : ''}
<main class="login"><h1>${t.brand}</h1>
${message ? html`<p class="flash bad">${message}</p>` : ''}
<form method="post" action="/login">
<input type="hidden" name="_csrf" value="${c.get('csrf')}">
<input type="hidden" name="next" value="${next}">
<label>${t.login.password} <input type="password" name="password" required autofocus autocomplete="current-password"></label>
<button type="submit">${t.login.submit}</button>
</form>
<form class="lang-switcher" method="post" action="/lang">
<input type="hidden" name="_csrf" value="${c.get('csrf')}"><input type="hidden" name="back" value="/login?next=${encodeURIComponent(next)}">
${LANGS.map((l) => html`<button type="submit" name="lang" value="${l}" lang="${l}"${l === c.get('lang') ? html` aria-current="true"` : ''}>${t.languageNames[l]}</button> `)}
</form></main></body></html>`;
}

export function loginPages(sessions: SessionStore, limiter: LoginLimiter) {
  return new Hono<Env>()
    .get('/login', (c) => c.html(loginForm(c, safeNext(c.req.query('next')), null)))
    .post('/login', async (c) => {
      const { auth, demo, log } = c.get('deps');
      if (!auth) return c.redirect('/', 303);
      const client = clientOf(c).address;
      // Read the body first, then check and count the attempt with no await in between, so that
      // concurrent guesses cannot all pass the check before any of them is counted.
      const body = await c.req.parseBody();
      const wait = limiter.retryAfterSeconds(client);
      if (wait > 0) {
        c.header('Retry-After', String(wait));
        return c.html(loginForm(c, '/', c.get('t').common.login.tooMany(wait)), 429);
      }
      const next = safeNext(typeof body.next === 'string' ? body.next : undefined);
      if (typeof body.password === 'string' && safeEqual(body.password, auth.password)) {
        startSession(c, sessions, auth);
        return c.redirect(next, 303);
      }
      limiter.fail(client);
      log.warn(`failed dashboard login from ${client}`);
      return c.html(loginForm(c, next, c.get('t').common.login.wrong), 401);
    })
    .post('/logout', (c) => {
      endSession(c, sessions);
      return c.redirect('/login', 303);
    });
}
