// The visitor's language: a choice kept in a cookie, else the browser's Accept-Language, else the
// config's web.language. Sets `lang` and `t` for every request; POST /lang switches and goes back.
import type { MiddlewareHandler } from 'hono';
import { Hono } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { fromAcceptLanguage, isLang, messages, type Lang } from '../src/i18n/index.ts';
import { safeNext } from './auth.ts';
import type { Env } from './types.ts';

export const LANG_COOKIE = 'promowatch_lang';

export function pickLanguage(
  cookie: string | undefined,
  acceptLanguage: string | undefined,
  fallback: Lang,
): Lang {
  if (isLang(cookie)) return cookie;
  return fromAcceptLanguage(acceptLanguage) ?? fallback;
}

export const languageMiddleware: MiddlewareHandler<Env> = async (c, next) => {
  const lang = pickLanguage(
    getCookie(c, LANG_COOKIE),
    c.req.header('accept-language'),
    c.get('deps').config.web.language,
  );
  c.set('lang', lang);
  c.set('t', messages(lang));
  // Pages differ by language: caches must not hand one visitor's language to another.
  c.header('Vary', 'Accept-Language, Cookie');
  await next();
};

/** POST /lang {lang, back}: keeps the choice for a year and returns to the page it was made on. */
export const languagePages = new Hono<Env>().post('/lang', async (c) => {
  const body = await c.req.parseBody();
  const lang = body.lang;
  if (!isLang(lang)) return c.text(c.get('t').common.errors.notFound, 400);
  setCookie(c, LANG_COOKIE, lang, { path: '/', sameSite: 'Lax', httpOnly: true, maxAge: 365 * 86400 });
  return c.redirect(safeNext(typeof body.back === 'string' ? body.back : undefined), 303);
});
