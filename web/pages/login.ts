// Login and logout: a password form that starts a session cookie; failures are rate-limited per client.
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
import { clientOf } from '../client.ts';
import type { Env } from '../types.ts';

function loginForm(csrf: string, next: string, message: string | null, demo: boolean) {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Log in · promowatch</title><link rel="stylesheet" href="/static/app.css"><link rel="icon" href="data:,"></head>
<body class="login">
${demo ? html`<div class="banner" role="note">Demo: everything here is a simulation running on this machine.</div>` : ''}
<main><h1>promowatch</h1>
${message ? html`<p class="flash bad">${message}</p>` : ''}
<form method="post" action="/login">
<input type="hidden" name="_csrf" value="${csrf}">
<input type="hidden" name="next" value="${next}">
<label>Password <input type="password" name="password" required autofocus autocomplete="current-password"></label>
<button type="submit">Log in</button>
</form></main></body></html>`;
}

export function loginPages(sessions: SessionStore, limiter: LoginLimiter) {
  return new Hono<Env>()
    .get('/login', (c) =>
      c.html(loginForm(c.get('csrf'), safeNext(c.req.query('next')), null, Boolean(c.get('deps').demo))),
    )
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
        return c.html(
          loginForm(c.get('csrf'), '/', `Too many failed logins; try again in ${wait} s.`, Boolean(demo)),
          429,
        );
      }
      const next = safeNext(typeof body.next === 'string' ? body.next : undefined);
      if (typeof body.password === 'string' && safeEqual(body.password, auth.password)) {
        startSession(c, sessions, auth);
        return c.redirect(next, 303);
      }
      limiter.fail(client);
      log.warn(`failed dashboard login from ${client}`);
      return c.html(loginForm(c.get('csrf'), next, 'Wrong password.', Boolean(demo)), 401);
    })
    .post('/logout', (c) => {
      endSession(c, sessions);
      return c.redirect('/login', 303);
    });
}
