// A write through /api/v1 with a real key lands in the audit log under that key (and whose it is), with
// the key's id — not as "dashboard" and not as the key's user alone.
import { describe, expect, it } from 'vitest';
import { listAudit } from '../../src/audit-log/store.ts';
import { apiSetup } from './setup.ts';

describe('/api/v1 writes in the audit log', () => {
  it('names the key that made the change, its user, and the site', async () => {
    const s = await apiSetup();
    const key = await s.key('write');
    const body = JSON.stringify({ query: 'монтаж видео', engine: 'yandex', lr: 213 });
    const res = await s.call(key, '/api/v1/sites/studio/keywords', { method: 'POST', body });
    expect(res.status).toBe(201);
    const { rows } = await listAudit(s.sql, {}, { limit: 10, offset: 0 });
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(row.actor).toMatch(/^key pw_[\w-]+… \(.+@.+\)$/);
    expect(row.apiKeyId).not.toBeNull();
    expect(row.userId).not.toBeNull();
    expect(row.action).toMatch(/^keyword\./);
    expect(row.siteId).toBe(s.studio.id);
    // The key itself is never in the log.
    expect(JSON.stringify(row)).not.toContain(key);
  });
});
