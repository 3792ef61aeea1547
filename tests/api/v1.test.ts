// /api/v1: the OpenAPI document, a contract walk of every documented GET, scopes, site reach, errors.
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { revokeApiKey, listApiKeys } from '../../src/auth/api-keys.ts';
import { API_V1_ROUTES } from '../../web/api/v1/index.ts';
import { apiSetup } from './setup.ts';

type Json = Record<string, any>;

describe('/api/v1', () => {
  it('serves an OpenAPI 3.1 document that validates, without a key', async () => {
    const { call } = await apiSetup();
    const res = await call(null, '/api/v1/openapi.json');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as Json;
    expect(doc.openapi).toBe('3.1.0');
    const result = await new Validator().validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(Object.keys(doc.paths)).toContain('/sites/{site}/keywords');
  });

  it('documents every route it serves, and declares scope and site of each for the authorisation check', async () => {
    const { call } = await apiSetup();
    const doc = (await (await call(null, '/api/v1/openapi.json')).json()) as Json;
    const documented = Object.entries(doc.paths as Json).flatMap(([p, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${p.replace(/\{(\w+)\}/g, ':$1')}`),
    );
    const declared = API_V1_ROUTES.filter((r) => r.need !== 'public').map((r) => `${r.method} ${r.path}`);
    expect(declared.sort()).toEqual(documented.sort());
  });

  it('answers every documented GET per its response schema (contract walk)', async () => {
    const s = await apiSetup();
    const key = await s.key('read');
    const doc = (await (await s.call(null, '/api/v1/openapi.json')).json()) as Json;
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    ajv.addSchema({ $id: 'openapi', components: doc.components });
    const ids: Record<string, number> = {
      '/backlinks/{id}': s.linkA,
      '/sites/{site}/keywords/{id}/positions': s.keyword,
      '/sites/{site}/audits/{id}/issues': s.crawl,
      '/reports/{id}': s.report,
      '/reports/{id}/pdf': s.report,
    };
    let walked = 0;
    for (const [path, ops] of Object.entries(doc.paths as Json)) {
      const op = (ops as Json).get;
      if (!op) continue;
      const url = '/api/v1' + path.replace('{site}', 'studio').replace('{id}', String(ids[path] ?? 1));
      const res = await s.call(key, url);
      expect(res.status, url).toBe(200);
      const [type, spec] = Object.entries(op.responses['200'].content as Json)[0]!;
      expect(res.headers.get('content-type'), url).toContain(type);
      walked++;
      if (type !== 'application/json') continue;
      const schema = JSON.parse(
        JSON.stringify((spec as Json).schema).replaceAll('"#/components/', '"openapi#/components/'),
      );
      const validate = ajv.compile(schema);
      const body = await res.json();
      expect(validate(body) ? null : { url, errors: validate.errors }).toBeNull();
    }
    expect(walked).toBeGreaterThanOrEqual(16);
  });

  it('serves a docs page of its own (no script, no CDN) naming every path', async () => {
    const { call } = await apiSetup();
    const res = await call(null, '/api/v1/docs');
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain('GET /api/v1/sites/{site}/keywords');
    expect(text).toContain('id="schema-Keyword"');
    expect(text).not.toMatch(/<script|https?:\/\/cdn/i);
  });

  it('refuses a missing, unknown or revoked key with 401 in the one error shape', async () => {
    const s = await apiSetup();
    const key = await s.key('read');
    expect((await s.call(null, '/api/v1/sites')).status).toBe(401);
    const wrong = await s.call('pw_' + 'x'.repeat(43), '/api/v1/sites');
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as Json).error.code).toBe('unauthorized');
    expect((await s.call(key, '/api/v1/sites')).status).toBe(200);
    const [row] = await listApiKeys(s.sql, s.owner.id);
    await revokeApiKey(s.sql, row!.id, s.owner.id, s.clock.now());
    expect((await s.call(key, '/api/v1/sites')).status).toBe(401);
  });

  it('gives a read key 403 on every write route', async () => {
    const s = await apiSetup();
    const key = await s.key('read');
    const writes = API_V1_ROUTES.filter((r) => r.need === 'write');
    expect(writes.length).toBeGreaterThanOrEqual(8);
    for (const r of writes) {
      const path = '/api/v1' + r.path.replace(':site', 'studio').replace(':id', String(s.linkA));
      const res = await s.call(key, path, { method: r.method, body: '{}' });
      expect(res.status, `${r.method} ${path}`).toBe(403);
      expect(((await res.json()) as Json).error.code).toBe('forbidden');
    }
  });

  it("keeps a key narrowed to one site out of the other's keywords, links and alerts (404)", async () => {
    const s = await apiSetup();
    const key = await s.key('write', [s.studio.id]);
    const sites = (await (await s.call(key, '/api/v1/sites')).json()) as Json;
    expect(sites.items.map((x: Json) => x.name)).toEqual(['studio']);
    expect((await s.call(key, '/api/v1/sites/studio/keywords')).status).toBe(200);
    for (const path of [
      '/api/v1/sites/bakery/keywords',
      '/api/v1/sites/bakery/backlinks',
      `/api/v1/backlinks/${s.linkB}`,
    ])
      expect((await s.call(key, path)).status, path).toBe(404);
    const put = await s.call(key, `/api/v1/alerts/${s.alertB}/state`, {
      method: 'PUT',
      body: JSON.stringify({ state: 'acknowledged' }),
    });
    expect(put.status).toBe(404);
    const alerts = (await (await s.call(key, '/api/v1/alerts')).json()) as Json;
    expect(alerts.items.map((a: Json) => a.id)).toEqual([s.alertA]);
  });

  it('rate-limits each key with 429 and Retry-After, leaving other keys alone', async () => {
    const s = await apiSetup();
    const busy = await s.key('read');
    const calm = await s.key('read');
    let last: Response | undefined;
    for (let i = 0; i < 61; i++) last = await s.call(busy, '/api/v1/sites');
    expect(last!.status).toBe(429);
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await last!.json()) as Json).error.code).toBe('rate_limited');
    expect((await s.call(calm, '/api/v1/sites')).status).toBe(200);
    s.clock.advance(60_000);
    expect((await s.call(busy, '/api/v1/sites')).status).toBe(200);
  });

  it('pages by an opaque cursor in a stable order', async () => {
    const s = await apiSetup();
    const key = await s.key('read');
    const first = (await (await s.call(key, '/api/v1/sites/studio/keywords?limit=2')).json()) as Json;
    expect(first.items).toHaveLength(2);
    expect(first.next).toEqual(expect.any(String));
    const second = (await (
      await s.call(key, `/api/v1/sites/studio/keywords?limit=2&cursor=${first.next}`)
    ).json()) as Json;
    expect(second.items).toHaveLength(1);
    expect(second.next).toBeNull();
    const ids = [...first.items, ...second.items].map((k: Json) => k.id);
    expect(new Set(ids).size).toBe(3);
    const bad = await s.call(key, '/api/v1/sites/studio/keywords?cursor=nonsense');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as Json).error.field).toBe('cursor');
  });

  it('adds, refuses a duplicate (409) and removes keywords idempotently', async () => {
    const s = await apiSetup();
    const key = await s.key('write');
    const body = JSON.stringify({ query: 'анимационный ролик', engine: 'yandex', lr: 213, tags: ['video'] });
    const add = await s.call(key, '/api/v1/sites/studio/keywords', { method: 'POST', body });
    expect(add.status).toBe(201);
    const kw = (await add.json()) as Json;
    expect(kw).toMatchObject({ query: 'анимационный ролик', region: 'lr=213', tags: ['video'] });
    const again = await s.call(key, '/api/v1/sites/studio/keywords', { method: 'POST', body });
    expect(again.status).toBe(409);
    expect(((await again.json()) as Json).error.code).toBe('conflict');
    const bad = await s.call(key, '/api/v1/sites/studio/keywords', {
      method: 'POST',
      body: JSON.stringify({ query: 'x', engine: 'altavista' }),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as Json).error).toMatchObject({ code: 'invalid', field: 'engine' });
    for (let i = 0; i < 2; i++) {
      const tagged = await s.call(key, `/api/v1/sites/studio/keywords/${kw.id}/tags`, {
        method: 'PUT',
        body: JSON.stringify({ tags: ['showreel', 'video', 'showreel'] }),
      });
      expect(((await tagged.json()) as Json).tags).toEqual(['showreel', 'video']);
    }
    const byTag = (await (await s.call(key, '/api/v1/sites/studio/keywords?tag=showreel')).json()) as Json;
    expect(byTag.items.map((k: Json) => k.id)).toEqual([kw.id]);
    for (let i = 0; i < 2; i++)
      expect((await s.call(key, `/api/v1/sites/studio/keywords/${kw.id}`, { method: 'DELETE' })).status).toBe(
        204,
      );
    const imported = await s.call(key, '/api/v1/sites/studio/keywords/import', {
      method: 'POST',
      body: JSON.stringify({
        keywords: [
          { query: 'съёмка рекламы', engine: 'yandex', device: 'mobile', lr: 213 },
          { query: 'промо-ролик', engine: 'google', gl: 'ru', hl: 'ru' },
        ],
      }),
    });
    expect(await imported.json()).toMatchObject({ added: [expect.any(Number)], skipped: 1 });
  });

  it("checks a link now through the same runner as the dashboard button, within the key's sites", async () => {
    const asked: [string, number[]][] = [];
    const s = await apiSetup({
      recheck: async (site, ids) => {
        asked.push([site.name, ids]);
        return { status: 'ok' };
      },
    });
    const key = await s.key('write', [s.studio.id]);
    const res = await s.call(key, `/api/v1/backlinks/${s.linkA}/check`, { method: 'POST' });
    expect(res.status).toBe(200);
    expect(((await res.json()) as Json).id).toBe(s.linkA);
    expect((await s.call(key, `/api/v1/backlinks/${s.linkB}/check`, { method: 'POST' })).status).toBe(404);
    expect(asked).toEqual([['studio', [s.linkA]]]);
  });

  it('watches a competitor idempotently by domain and stops watching it', async () => {
    const s = await apiSetup();
    const key = await s.key('write');
    const put = () =>
      s.call(key, '/api/v1/sites/studio/competitors/www.Other.example', {
        method: 'PUT',
        body: JSON.stringify({ name: 'Other' }),
      });
    const first = (await (await put()).json()) as Json;
    expect(first).toMatchObject({ domain: 'other.example', name: 'Other' });
    expect(((await (await put()).json()) as Json).id).toBe(first.id);
    const list = (await (await s.call(key, '/api/v1/sites/studio/competitors')).json()) as Json;
    expect(list.items.map((x: Json) => x.domain)).toEqual(['other.example', 'rival.example']);
    for (let i = 0; i < 2; i++)
      expect(
        (await s.call(key, `/api/v1/sites/studio/competitors/${first.id}`, { method: 'DELETE' })).status,
      ).toBe(204);
  });

  it('adds a link, archives it idempotently, adds an event and acknowledges an alert', async () => {
    const s = await apiSetup();
    const key = await s.key('write');
    const add = await s.call(key, '/api/v1/sites/studio/backlinks', {
      method: 'POST',
      body: JSON.stringify({
        donor_url: 'https://news.example/post',
        target: 'https://studio.example/',
        price: '2000',
        currency: 'RUB',
      }),
    });
    expect(add.status).toBe(201);
    const link = (await add.json()) as Json;
    expect(link).toMatchObject({ priceMicros: 2_000_000_000, status: 'unchecked', archivedAt: null });
    for (let i = 0; i < 2; i++) {
      const res = await s.call(key, `/api/v1/backlinks/${link.id}/archived`, {
        method: 'PUT',
        body: JSON.stringify({ archived: true }),
      });
      expect(((await res.json()) as Json).archivedAt).toBe('2026-11-27T09:00:00.000Z');
    }
    const check = await s.call(key, `/api/v1/backlinks/${link.id}/check`, { method: 'POST' });
    expect(check.status).toBe(409);
    const ev = await s.call(key, '/api/v1/sites/studio/events', {
      method: 'POST',
      body: JSON.stringify({ day: '2026-11-20', title: 'New showreel' }),
    });
    expect(ev.status).toBe(201);
    const event = (await ev.json()) as Json;
    const listed = async () =>
      ((await (await s.call(key, '/api/v1/sites/studio/events?from=2026-11-01')).json()) as Json).items.map(
        (e: Json) => e.title,
      );
    expect(await listed()).toEqual(['Site relaunch', 'New showreel']);
    for (let i = 0; i < 2; i++)
      expect(
        (await s.call(key, `/api/v1/sites/studio/events/${event.id}`, { method: 'DELETE' })).status,
      ).toBe(204);
    expect(await listed()).toEqual(['Site relaunch']);
    for (let i = 0; i < 2; i++) {
      const ack = await s.call(key, `/api/v1/alerts/${s.alertA}/state`, {
        method: 'PUT',
        body: JSON.stringify({ state: 'acknowledged' }),
      });
      expect(await ack.json()).toMatchObject({
        state: 'acknowledged',
        acknowledgedBy: expect.stringContaining('owner@studio.example'),
      });
    }
  });
});
