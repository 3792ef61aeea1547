// The audit middleware on REST-shaped routes (what /api/v1 will mount): JSON bodies, site and id from
// the route, an API key as the actor, secrets in JSON hidden, refused requests left out.
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { listAudit } from '../../src/audit-log/store.ts';
import { addUser } from '../../src/auth/users.ts';
import { configuredSites } from '../../src/db/sites.ts';
import { memoryLogger } from '../../src/util/log.ts';
import { auditTrail, setAuditActor } from '../../web/audit-log.ts';
import type { Env } from '../../web/types.ts';
import { FakeClock, testConfig, testStoreDeps } from '../helpers.ts';

async function app() {
  const clock = new FakeClock(Date.parse('2026-11-27T09:00:00Z'));
  const config = testConfig();
  const { db, sql } = await testStoreDeps(config, clock);
  const sites = await configuredSites(sql, ['studio', 'bakery']);
  const user = await addUser(
    sql,
    { email: 'marketer@studio.example', role: 'editor', siteIds: [1], passwordHash: 'scrypt$x' },
    clock.now(),
  );
  const log = memoryLogger();
  const a = new Hono<Env>();
  a.use(async (c, next) => {
    c.set('deps', { db, sql, config, jobs: [], now: clock.now, log, auth: null });
    c.set('bearer', true);
    c.set('user', {
      id: user.id,
      email: 'marketer@studio.example',
      displayName: '',
      role: 'editor',
      language: null,
      siteIds: [1],
    });
    // What the API's key check does once it has found the key.
    if (c.req.header('authorization'))
      setAuditActor(c, { label: 'key pw_ab12…', userId: null, apiKeyId: null });
    await next();
  });
  a.use(auditTrail);
  a.use(async (c, next) => {
    c.set('sites', sites);
    await next();
  });
  a.post('/api/v1/sites/:site/keywords', (c) => c.json({ id: 41 }, 201));
  a.put('/api/v1/sites/:site/backlinks/:id{[0-9]+}', (c) => c.json({ ok: true }));
  a.delete('/api/v1/sites/:site/keywords/:id', (c) => c.body(null, 204));
  a.post('/api/v1/sites/:site/backlinks/:id/archive', (c) => c.json({ error: { code: 'not_found' } }, 404));
  const json = (method: string, path: string, body?: unknown, key = true) =>
    a.request(path, {
      method,
      headers: { 'content-type': 'application/json', ...(key ? { authorization: 'Bearer pw_ab12xyz' } : {}) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  return { sql, json, sites, log };
}

describe('the audit middleware on API routes', () => {
  it('logs REST writes with the key as actor, the site and id from the route and the JSON fields', async () => {
    const { sql, json, log } = await app();
    expect(
      (await json('POST', '/api/v1/sites/studio/keywords', { query: 'видеосъёмка', engine: 'yandex' }))
        .status,
    ).toBe(201);
    expect(
      (
        await json(
          'PUT',
          '/api/v1/sites/bakery/backlinks/12',
          { vendor: 'Sape', apiToken: 'leaked-123', nested: { secret: 's' } },
          false,
        )
      ).status,
    ).toBe(200);
    expect((await json('DELETE', '/api/v1/sites/studio/keywords/5')).status).toBe(204);
    expect((await json('POST', '/api/v1/sites/studio/backlinks/99/archive', {})).status).toBe(404);
    expect(log.lines).toEqual([]);
    const rows = (await listAudit(sql, {}, { limit: 10, offset: 0 })).rows.reverse();
    expect(rows.map((r) => [r.actor, r.action, r.siteId, r.targetType, r.targetId])).toEqual([
      ['key pw_ab12…', 'keyword.add', 1, 'keyword', null],
      ['marketer@studio.example', 'backlink.edit', 2, 'backlink', '12'],
      ['key pw_ab12…', 'keyword.remove', 1, 'keyword', '5'],
    ]);
    expect(rows[0]!.details).toEqual({ query: 'видеосъёмка', engine: 'yandex' });
    expect(rows[1]!.details).toEqual({
      vendor: 'Sape',
      apiToken: '[hidden]',
      nested: { secret: '[hidden]' },
    });
    expect(rows[2]!.details).toBeNull();
    expect(JSON.stringify(rows)).not.toContain('leaked-123');
  });
});
