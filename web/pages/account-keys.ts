// The API keys part of the Account page (/account/keys): one's keys, making one (shown once), revoking.
import type { Context } from 'hono';
import { Hono } from 'hono';
import { html } from 'hono/html';
import {
  ApiKeyError,
  createApiKey,
  isKeyScope,
  KEY_SCOPES,
  listApiKeys,
  revokeApiKey,
} from '../../src/auth/api-keys.ts';
import { csrfField, layout } from '../layout.ts';
import type { Env } from '../types.ts';

interface Shown {
  flash?: string;
  error?: string;
  /** The secret of a key just made: shown once, on this answer only. */
  fresh?: string;
}

/** The sites the logged-in user has (a key can be narrowed to some of them). */
function userSites(c: Context<Env>) {
  const ids = c.get('user')?.siteIds ?? null;
  return c.get('sites').filter((s) => ids === null || ids.includes(s.id));
}

async function page(c: Context<Env>, shown: Shown = {}, status?: 400) {
  const t = c.get('t').api.keys;
  const users = c.get('t').users;
  const fmt = c.get('fmt');
  const user = c.get('user');
  if (!user)
    return layout(c, t.title, html`<section class="empty"><p>${users.account.noAccounts}</p></section>`);
  const { sql, now } = c.get('deps');
  const keys = await listApiKeys(sql, user.id);
  const siteName = new Map(c.get('sites').map((s) => [s.id, s.name]));
  const body = html`
<p><a href="/account">${users.account.title}</a></p>
${shown.flash ? html`<p class="flash" role="status">${shown.flash}</p>` : ''}
${shown.error ? html`<p class="flash bad" role="alert">${shown.error}</p>` : ''}
${shown.fresh ? html`<section class="new-key"><p>${t.shownOnce}</p><p><code class="secret">${shown.fresh}</code></p></section>` : ''}
<p>${t.intro} <a href="/api/v1/docs">API</a></p>
${
  keys.length === 0
    ? html`<p>${t.none}</p>`
    : html`<div class="table-wrap"><table class="api-keys"><thead><tr><th>${t.name}</th><th>${t.scope}</th><th>${t.sites}</th><th>${t.created}</th><th>${t.lastUsed}</th><th>${t.expires}</th><th></th></tr></thead><tbody>
${keys.map(
  (k) =>
    html`<tr><td>${k.name} <code>${k.prefix}…</code></td><td>${t.scopes[k.scope]}</td><td>${k.siteIds.length ? k.siteIds.map((id) => siteName.get(id) ?? `#${id}`).join(', ') : t.allSites}</td><td>${fmt.dateTime(k.createdAt)}</td><td>${k.lastUsedAt ? fmt.relative(k.lastUsedAt, now()) : t.never}</td><td>${k.expiresAt ? fmt.dateTime(k.expiresAt) : t.noExpiry}</td><td>${
      k.revokedAt
        ? t.revoked
        : html`<form method="post" action="/account/keys/${k.id}/revoke">${csrfField(c)}<button type="submit">${t.revoke}</button></form>`
    }</td></tr>`,
)}
</tbody></table></div>`
}
<section><h2>${t.add}</h2>
<form method="post" action="/account/keys" class="stack">${csrfField(c)}
<label>${t.name} <input type="text" name="name" maxlength="100"></label>
<label>${t.scope} <select name="scope">${KEY_SCOPES.map((s) => html`<option value="${s}">${t.scopes[s]}</option>`)}</select></label>
<fieldset><legend>${t.sites}</legend>
${userSites(c).map((s) => html`<label><input type="checkbox" name="site" value="${s.id}"> ${s.name}</label>`)}
<p class="hint">${t.allSites}</p></fieldset>
<label>${t.expiresDays} <input type="number" name="days" min="1" max="3650"></label>
<button type="submit">${t.add}</button></form>
</section>`;
  return layout(c, t.title, body, status);
}

export const accountKeysPage = new Hono<Env>()
  .get('/account/keys', (c) => page(c))
  .post('/account/keys', async (c) => {
    const user = c.get('user');
    if (!user) return page(c);
    const { sql, now } = c.get('deps');
    const form = await c.req.parseBody({ all: true });
    const list = (v: unknown) => (Array.isArray(v) ? v : v === undefined ? [] : [v]).map(String);
    const scope = String(form.scope ?? '');
    const days = String(form.days ?? '').trim();
    if (!isKeyScope(scope) || (days !== '' && !/^[1-9][0-9]{0,3}$/.test(days)))
      return page(
        c,
        { error: c.get('t').api.errors.invalid(isKeyScope(scope) ? 'days' : 'scope', days || scope) },
        400,
      );
    try {
      const { key } = await createApiKey(
        sql,
        {
          userId: user.id,
          name: String(form.name ?? ''),
          scope,
          siteIds: list(form.site).map(Number),
          expiresAt: days === '' ? null : new Date(now().getTime() + Number(days) * 86_400_000),
        },
        now(),
      );
      // Shown in this answer only (never in a URL or a redirect's flash, which could be logged).
      return page(c, { fresh: key });
    } catch (err) {
      // Sites outside the user's are refused by createApiKey; the form only offers the user's own.
      if (err instanceof ApiKeyError) return page(c, { error: err.message }, 400);
      throw err;
    }
  })
  .post('/account/keys/:id{[0-9]+}/revoke', async (c) => {
    const user = c.get('user');
    if (!user) return page(c);
    const { sql, now } = c.get('deps');
    await revokeApiKey(sql, Number(c.req.param('id')), user.id, now());
    return page(c, { flash: c.get('t').api.keys.revokedDone });
  });
