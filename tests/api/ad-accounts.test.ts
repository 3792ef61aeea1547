// /api/v1 ad account writes: add, read back, replace settings (idempotent), remove (idempotent), with the
// Ads page's rules, the key's scope and site reach, credentials only as variable names, and the audit log.
import { describe, expect, it } from 'vitest';
import { listAudit } from '../../src/audit-log/store.ts';
import { getAccount, replaceWindow } from '../../src/ads/store.ts';
import { apiSetup } from './setup.ts';

type Json = Record<string, any>;

const direct = {
  platform: 'yandex-direct',
  externalId: 'studio-direct',
  name: 'Studio — Direct',
  currency: 'RUB',
  timeZone: 'Europe/Moscow',
  costIncludesVat: true,
  monthlyBudgetMicros: 150_000_000_000,
  credentialEnv: { token: 'DIRECT_TOKEN_STUDIO' },
};
const settings = {
  name: 'Studio — Direct (video)',
  timeZone: 'Asia/Yekaterinburg',
  costIncludesVat: false,
  monthlyBudgetMicros: 90_000_000_000,
  lookbackDays: 14,
  credentialEnv: { token: 'DIRECT_TOKEN_VIDEO' },
};
const post = (body: unknown) => ({ method: 'POST', body: JSON.stringify(body) });
const put = (body: unknown) => ({ method: 'PUT', body: JSON.stringify(body) });

describe('/api/v1 ad accounts', () => {
  it('adds an account, reads it back, replaces its settings idempotently and removes it twice with 204', async () => {
    const s = await apiSetup();
    const key = await s.key('write');
    const added = await s.call(key, '/api/v1/sites/studio/ad-accounts', post(direct));
    expect(added.status).toBe(201);
    const account = (await added.json()) as Json;
    expect(account).toMatchObject({ ...direct, siteId: s.studio.id, lookbackDays: null });

    const list = (await (await s.call(key, '/api/v1/sites/studio/ad-accounts')).json()) as Json;
    expect(list.items.map((a: Json) => a.id)).toEqual([account.id]);

    const first = await s.call(key, `/api/v1/ad-accounts/${account.id}`, put(settings));
    expect(first.status).toBe(200);
    const once = (await first.json()) as Json;
    expect(once).toMatchObject({ ...settings, id: account.id, platform: 'yandex-direct', currency: 'RUB' });
    const stored = await getAccount(s.sql, account.id);
    const second = await s.call(key, `/api/v1/ad-accounts/${account.id}`, put(settings));
    expect(second.status).toBe(200);
    expect(await second.json()).toEqual(once);
    expect(await getAccount(s.sql, account.id)).toEqual(stored);
    expect(stored?.credentials).toEqual({ token: { env: 'DIRECT_TOKEN_VIDEO' } });

    for (let i = 0; i < 2; i++) {
      const del = await s.call(key, `/api/v1/ad-accounts/${account.id}`, { method: 'DELETE' });
      expect(del.status, `delete #${i + 1}`).toBe(204);
    }
    expect(await getAccount(s.sql, account.id)).toBeUndefined();
    const after = (await (await s.call(key, '/api/v1/sites/studio/ad-accounts')).json()) as Json;
    expect(after.items).toEqual([]);
    expect((await s.call(key, `/api/v1/ad-accounts/${account.id}`, put(settings))).status).toBe(404);
  });

  it('names the field it refuses: an unknown platform, a bad id, a pasted secret, a duplicate (409)', async () => {
    const s = await apiSetup();
    const key = await s.key('write');
    const refuse = async (body: unknown, status: number, field: string) => {
      const res = await s.call(key, '/api/v1/sites/studio/ad-accounts', post(body));
      expect(res.status, JSON.stringify(body)).toBe(status);
      const e = ((await res.json()) as Json).error;
      expect(e.field).toBe(field);
      return e as Json;
    };
    const platform = await refuse({ ...direct, platform: 'myspace-ads' }, 400, 'platform');
    expect(platform.code).toBe('invalid');
    expect(platform.message).toContain('yandex-direct');
    await refuse(
      { ...direct, platform: 'google-ads', credentialEnv: {}, externalId: '12-34' },
      400,
      'externalId',
    );
    await refuse({ ...direct, timeZone: 'Mars/Olympus' }, 400, 'timeZone');
    const secret = 'y0_AgAAAAB1c2VyLXRva2VuLXNlY3JldA12345678';
    const pasted = await refuse({ ...direct, credentialEnv: { token: secret } }, 400, 'credentialEnv.token');
    expect(JSON.stringify(pasted)).not.toContain(secret);
    await refuse(
      { ...direct, credentialEnv: { accessToken: 'META_TOKEN' } },
      400,
      'credentialEnv.accessToken',
    );
    await refuse({ ...direct, monthlyBudgetMicros: -1 }, 400, 'monthlyBudgetMicros');
    expect(await s.sql.get('SELECT count(*) AS n FROM ad_accounts')).toEqual({ n: 0 });
    // In the asker's language, the field name staying as sent.
    const ru = await s.call(key, '/api/v1/sites/studio/ad-accounts', {
      ...post({ ...direct, platform: 'myspace-ads' }),
      headers: { 'accept-language': 'ru' },
    });
    expect(((await ru.json()) as Json).error.message).toMatch(/^platform: платформа должна быть одной из/);

    expect((await s.call(key, '/api/v1/sites/studio/ad-accounts', post(direct))).status).toBe(201);
    const dup = await refuse({ ...direct, name: 'again' }, 409, 'externalId');
    expect(dup.code).toBe('conflict');
    const id = (await s.sql.get<{ id: number }>('SELECT id FROM ad_accounts'))!.id;
    const res = await s.call(key, `/api/v1/ad-accounts/${id}`, put({ ...settings, lookbackDays: 365 }));
    expect(res.status).toBe(400);
    expect(((await res.json()) as Json).error.field).toBe('lookbackDays');
    expect((await getAccount(s.sql, id))?.name).toBe(direct.name);
  });

  it('never answers with a credential value, only variable names', async () => {
    const s = await apiSetup();
    const key = await s.key('write');
    const res = await s.call(key, '/api/v1/sites/studio/ad-accounts', post(direct));
    const text = await res.text();
    expect(text).toContain('DIRECT_TOKEN_STUDIO');
    expect(Object.keys((JSON.parse(text) as Json).credentialEnv)).toEqual(['token']);
    expect(text).not.toMatch(/"env"|secret/i);
  });

  it('refuses a read key (403) and keeps a key of another site out (404)', async () => {
    const s = await apiSetup();
    const writer = await s.key('write');
    const added = (await (
      await s.call(writer, '/api/v1/sites/bakery/ad-accounts', post(direct))
    ).json()) as Json;
    const reader = await s.key('read');
    for (const [path, init] of [
      ['/api/v1/sites/bakery/ad-accounts', post({ ...direct, externalId: 'other' })],
      [`/api/v1/ad-accounts/${added.id}`, put(settings)],
      [`/api/v1/ad-accounts/${added.id}`, { method: 'DELETE' }],
    ] as const) {
      const res = await s.call(reader, path, init);
      expect(res.status, `${init.method} ${path}`).toBe(403);
      expect(((await res.json()) as Json).error.code).toBe('forbidden');
    }
    const studioOnly = await s.key('write', [s.studio.id]);
    for (const [path, init] of [
      ['/api/v1/sites/bakery/ad-accounts', post({ ...direct, externalId: 'other' })],
      [`/api/v1/ad-accounts/${added.id}`, put(settings)],
      [`/api/v1/ad-accounts/${added.id}`, { method: 'DELETE' }],
    ] as const) {
      const res = await s.call(studioOnly, path, init);
      expect(res.status, `${init.method} ${path}`).toBe(404);
      expect(((await res.json()) as Json).error.code).toBe('not_found');
    }
    expect(await getAccount(s.sql, added.id)).toMatchObject({
      name: direct.name,
      siteId: s.bakery.id,
    });
  });

  it('records ad-account.add, .edit and .remove in the audit log under the key', async () => {
    const s = await apiSetup();
    const key = await s.key('write');
    const { id } = (await (
      await s.call(key, '/api/v1/sites/studio/ad-accounts', post(direct))
    ).json()) as Json;
    await s.call(key, `/api/v1/ad-accounts/${id}`, put(settings));
    await s.call(key, `/api/v1/ad-accounts/${id}`, { method: 'DELETE' });
    const { rows } = await listAudit(s.sql, {}, { limit: 10, offset: 0 });
    expect(rows.map((r) => r.action).sort()).toEqual([
      'ad-account.add',
      'ad-account.edit',
      'ad-account.remove',
    ]);
    for (const r of rows) {
      expect(r.actor).toMatch(/^key pw_[\w-]+… \(owner@studio\.example\)$/);
      expect(r.apiKeyId).not.toBeNull();
    }
    expect(rows.find((r) => r.action === 'ad-account.add')?.siteId).toBe(s.studio.id);
    expect(rows.find((r) => r.action === 'ad-account.edit')?.targetId).toBe(String(id));
  });

  it("reads an account's statistics back per week and campaign, named as stored", async () => {
    const s = await apiSetup();
    const key = await s.key('write');
    const account = (await (
      await s.call(key, '/api/v1/sites/studio/ad-accounts', post(direct))
    ).json()) as Json;
    const stat = (day: string, campaignId: string, rub: number) => ({
      day,
      campaignId,
      campaignName: `Campaign ${campaignId}`,
      impressions: 1000,
      clicks: 40,
      costMicros: rub * 1_000_000,
      conversions: 2,
      conversionValueMicros: 0,
    });
    // Sunday 15 November ends one ISO week; Monday 16 and Sunday 22 November are the next.
    await replaceWindow(
      s.sql,
      account.id,
      '2026-11-15',
      '2026-11-22',
      [stat('2026-11-15', '1', 100), stat('2026-11-16', '1', 200), stat('2026-11-22', '2', 50)],
      'api',
    );
    const res = await s.call(
      key,
      '/api/v1/sites/studio/ad-stats?from=2026-11-09&to=2026-11-22&period=week&groupBy=campaign',
    );
    expect(res.status).toBe(200);
    const { items } = (await res.json()) as Json;
    expect(items.map((r: Json) => [r.period, r.key, r.label, r.currency, r.costMicros, r.clicks])).toEqual([
      ['2026-11-09', `${account.id}/1`, 'Campaign 1 · Studio — Direct', 'RUB', 100_000_000, 40],
      ['2026-11-16', `${account.id}/1`, 'Campaign 1 · Studio — Direct', 'RUB', 200_000_000, 40],
      ['2026-11-16', `${account.id}/2`, 'Campaign 2 · Studio — Direct', 'RUB', 50_000_000, 40],
    ]);
  });
});
