import { afterAll, describe, expect, it } from 'vitest';
import {
  auditChoices,
  isSecretField,
  listAudit,
  recordAudit,
  scrubDetails,
} from '../../src/audit-log/store.ts';
import { BACKENDS, stopPgServer } from '../pg/backends.ts';

afterAll(stopPgServer);

describe('scrubDetails()', () => {
  it('hides fields named like secrets, by whole word, and keeps the rest', () => {
    for (const name of [
      'password',
      'newPassword',
      'api_key',
      'apiKey',
      'token',
      'signingSecret',
      'code',
      'totp',
      'current',
      'repeat',
      '_csrf',
    ])
      expect(isSecretField(name), name).toBe(true);
    for (const name of ['keywords', 'query', 'donor_url', 'title', 'role', 'vendor', 'currency'])
      expect(isSecretField(name), name).toBe(false);
    expect(
      scrubDetails({
        keywords: 'фотостудия',
        password: 'p@ss',
        list: [{ token: 't' }],
        long: 'x'.repeat(300),
      }),
    ).toEqual({
      keywords: 'фотостудия',
      password: '[hidden]',
      list: [{ token: '[hidden]' }],
      long: `${'x'.repeat(200)}…`,
    });
  });
});

describe.each(BACKENDS)('listAudit() on $name', (backend) => {
  it('pages newest first and filters by actor, site, action family and period', async () => {
    const { sql } = await backend.open();
    await sql.run(
      `INSERT INTO sites (id, name, base_url, time_zone, created_at) VALUES (1, 'studio', 'https://s.example/', 'UTC', '2026-01-01')`,
    );
    for (let i = 0; i < 5; i++)
      await recordAudit(
        sql,
        { label: i % 2 ? 'cli' : 'owner@studio.example' },
        {
          action: i < 3 ? 'backlink.archive' : 'user.add',
          siteId: i < 3 ? 1 : null,
          targetType: 'backlink',
          targetId: i,
          details: i === 4 ? { email: 'anna@studio.example', password: 'p@ss' } : null,
        },
        new Date(Date.UTC(2026, 10, 20 + i, 12)),
      );
    const page1 = await listAudit(sql, {}, { limit: 2, offset: 0 });
    expect(page1.total).toBe(5);
    expect(page1.rows.map((r) => r.targetId)).toEqual(['4', '3']);
    expect(page1.rows[0]!.details).toEqual({ email: 'anna@studio.example', password: '[hidden]' });
    expect((await listAudit(sql, {}, { limit: 2, offset: 4 })).rows.map((r) => r.targetId)).toEqual(['0']);
    expect((await listAudit(sql, { actor: 'cli' }, { limit: 9, offset: 0 })).total).toBe(2);
    expect((await listAudit(sql, { siteId: 1 }, { limit: 9, offset: 0 })).total).toBe(3);
    expect((await listAudit(sql, { action: 'user' }, { limit: 9, offset: 0 })).total).toBe(2);
    expect((await listAudit(sql, { action: 'user.add' }, { limit: 9, offset: 0 })).total).toBe(2);
    expect((await listAudit(sql, { action: 'use' }, { limit: 9, offset: 0 })).total).toBe(0);
    const period = await listAudit(
      sql,
      { from: '2026-11-21T00:00:00Z', to: '2026-11-23T00:00:00Z' },
      { limit: 9, offset: 0 },
    );
    expect(period.rows.map((r) => r.targetId)).toEqual(['2', '1']);
    expect(await auditChoices(sql)).toEqual({
      actors: ['cli', 'owner@studio.example'],
      actions: ['backlink.archive', 'user.add'],
    });
    await sql.close();
  });
});
