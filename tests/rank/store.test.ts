// The rankings store on both storage backends: what each query writes and reads back is the same on
// SQLite and on PostgreSQL.
import { afterAll, describe, expect, it } from 'vitest';
import { addCompetitor, deleteCompetitor, listCompetitors } from '../../src/rank/store.ts';
import { BACKENDS, stopPgServer } from '../pg/backends.ts';
import { addSite } from './store-setup.ts';

afterAll(stopPgServer);

const NOW = new Date('2026-11-27T06:00:00Z');

describe.each(BACKENDS)('rankings store on $name', (backend) => {
  async function setup() {
    const { sql } = await backend.open();
    const site = await addSite(sql, 'studio');
    const other = await addSite(sql, 'bakery');
    return { sql, site, other };
  }

  it('addCompetitor() stores a normalised domain once per site, keeps its name unless a new one is given', async () => {
    const { sql, site, other } = await setup();
    const id = await addCompetitor(sql, site.id, 'https://www.Rival.example/prices', 'Rival', NOW);
    expect(await addCompetitor(sql, site.id, 'rival.example', null, NOW)).toBe(id);
    await addCompetitor(sql, site.id, 'another.example', null, NOW);
    await addCompetitor(sql, other.id, 'rival.example', 'Not ours', NOW);
    expect(await listCompetitors(sql, site.id)).toEqual([
      { id: expect.any(Number), domain: 'another.example', name: null },
      { id, domain: 'rival.example', name: 'Rival' },
    ]);
    expect(await addCompetitor(sql, site.id, 'rival.example', 'Rival Ltd', NOW)).toBe(id);
    expect((await listCompetitors(sql, site.id)).find((c) => c.id === id)?.name).toBe('Rival Ltd');
  });

  it('deleteCompetitor() removes only the site’s own competitor and says whether it did', async () => {
    const { sql, site, other } = await setup();
    const id = await addCompetitor(sql, site.id, 'rival.example', null, NOW);
    expect(await deleteCompetitor(sql, other.id, id)).toBe(false);
    expect(await deleteCompetitor(sql, site.id, id)).toBe(true);
    expect(await deleteCompetitor(sql, site.id, id)).toBe(false);
    expect(await listCompetitors(sql, site.id)).toEqual([]);
  });
});
