// The sites table on both backends: the config's sites synced in, listed by name, looked up.
import { afterAll, describe, expect, it } from 'vitest';
import { configuredSites, getSiteByName, listSites, syncSites } from '../../src/db/sites.ts';
import { BACKENDS, stopPgServer } from '../pg/backends.ts';

afterAll(stopPgServer);

const NOW = new Date('2026-11-01T09:00:00Z');

describe.each(BACKENDS)('sites on $name', (backend) => {
  it('syncSites() adds new sites, updates changed ones and keeps dropped ones readable', async () => {
    const { sql } = await backend.open();
    try {
      const first = await syncSites(
        sql,
        [
          { name: 'studio', baseUrl: 'https://studio.example/', timeZone: 'Europe/Moscow' },
          { name: 'bakery', baseUrl: 'https://bakery.example/', timeZone: 'UTC' },
        ],
        NOW,
      );
      expect(first.map((s) => s.name)).toEqual(['studio', 'bakery']);
      expect(typeof first[0]!.id).toBe('number');
      const again = await syncSites(
        sql,
        [{ name: 'studio', baseUrl: 'https://studio.example/ru/', timeZone: 'Asia/Yekaterinburg' }],
        NOW,
      );
      expect(again).toEqual([
        {
          id: first[0]!.id,
          name: 'studio',
          baseUrl: 'https://studio.example/ru/',
          timeZone: 'Asia/Yekaterinburg',
        },
      ]);
      expect((await listSites(sql)).map((s) => s.name)).toEqual(['bakery', 'studio']);
      expect(await getSiteByName(sql, 'bakery')).toEqual({
        id: first[1]!.id,
        name: 'bakery',
        baseUrl: 'https://bakery.example/',
        timeZone: 'UTC',
      });
      expect(await getSiteByName(sql, 'nobody')).toBeUndefined();
    } finally {
      await sql.close();
    }
  });

  it('configuredSites() lists the sites the config names, in its order, leaving dropped ones out', async () => {
    const { sql } = await backend.open();
    try {
      await syncSites(
        sql,
        ['Zeta', 'alpha', 'Beta'].map((name) => ({
          name,
          baseUrl: `https://${name}.example/`,
          timeZone: 'UTC',
        })),
        NOW,
      );
      // Byte order, the same on both backends (PostgreSQL's locale order would put alpha first).
      expect((await listSites(sql)).map((s) => s.name)).toEqual(['Beta', 'Zeta', 'alpha']);
      expect((await configuredSites(sql, ['alpha', 'Zeta'])).map((s) => s.name)).toEqual(['alpha', 'Zeta']);
    } finally {
      await sql.close();
    }
  });
});
