// sitesOf(): the site each dashboard object belongs to, as the access check reads it, on both backends.
import { afterAll, describe, expect, it } from 'vitest';
import { sitesOf } from '../../src/auth/owners.ts';
import { BACKENDS, stopPgServer } from '../pg/backends.ts';

afterAll(stopPgServer);

describe.each(BACKENDS)('sitesOf() on $name', (backend) => {
  it('gives the site of each id that exists, null for an install-wide notice, and skips unknown ids', async () => {
    const { sql } = await backend.open();
    for (const [id, name] of [
      [1, 'studio'],
      [2, 'bakery'],
    ] as const)
      await sql.run(
        `INSERT INTO sites (id, name, base_url, time_zone, created_at) VALUES (?, ?, ?, 'Europe/Moscow', '2026-01-01')`,
        [id, name, `https://${name}.example/`],
      );
    const notice = async (siteId: number | null) =>
      (await sql.get<{ id: number }>(
        `INSERT INTO alerts (site_id, kind, severity, message, channel, recipient, raised_at)
         VALUES (?, 'budget', 'warning', 'Budget spent', 'mail', 'owner@studio.example', '2026-11-01T09:00:00Z')
         RETURNING id`,
        [siteId],
      ))!.id;
    const bakery = await notice(2);
    const install = await notice(null);
    const studio = await notice(1);
    expect(await sitesOf(sql, 'notice', [studio, 9999, bakery, install])).toEqual([1, 2, null]);
    expect(await sitesOf(sql, 'notice', [])).toEqual([]);
    expect(await sitesOf(sql, 'share', [1])).toEqual([]);
    await sql.close();
  });
});
