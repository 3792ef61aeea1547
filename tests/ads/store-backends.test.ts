// The ads store's SQL on SQLite and PostgreSQL: accounts in order, a window of daily rows replaced (split
// rows adding up, campaign names kept current), syncs and the pending report to resume.
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  deleteAccount,
  finishSync,
  getAccount,
  insertAccount,
  listAccounts,
  listSyncs,
  pendingResume,
  replaceWindow,
  startSync,
} from '../../src/ads/store.ts';
import type { Sql } from '../../src/db/store/types.ts';
import { BACKENDS, stopPgServer } from '../pg/backends.ts';
import { account, row } from './accounts.ts';

afterAll(stopPgServer);

const NOW = new Date('2026-11-20T09:00:00Z');

describe.each(BACKENDS)('ads store on $name', (backend) => {
  let sql: Sql;
  let site: number;
  beforeEach(async () => {
    sql = (await backend.open()).sql;
    site = (await sql.get<{ id: number }>(
      `INSERT INTO sites (name, base_url, time_zone, created_at) VALUES ('studio', 'https://studio.example/', 'Europe/Moscow', ?) RETURNING id`,
      [NOW.toISOString()],
    ))!.id;
  });
  afterEach(async () => {
    await sql.close();
  });

  it('adds accounts and lists them by platform and name', async () => {
    const direct = await insertAccount(sql, site, account(), NOW);
    const google = await insertAccount(
      sql,
      site,
      account({ platform: 'google-ads', externalId: '123-456-7890', currency: 'USD' }),
      NOW,
    );
    expect((await listAccounts(sql, site)).map((a) => a.id)).toEqual([google, direct]);
    expect(await getAccount(sql, google)).toMatchObject({ externalId: '1234567890', costIncludesVat: false });
    expect(await deleteAccount(sql, site, google)).toBe(true);
    expect(await deleteAccount(sql, site, google)).toBe(false);
  });

  it('replaces a window: split rows add up, vanished rows go, a renamed campaign takes its new name', async () => {
    const id = await insertAccount(sql, site, account(), NOW);
    await replaceWindow(
      sql,
      id,
      '2026-11-01',
      '2026-11-02',
      [row('2026-11-01', '1', 100), row('2026-11-01', '1', 50), row('2026-11-02', '2', 10)],
      'api',
    );
    await replaceWindow(
      sql,
      id,
      '2026-11-02',
      '2026-11-02',
      [{ ...row('2026-11-02', '1', 20), campaignName: 'Renamed' }],
      'api',
    );
    expect(
      await sql.all(
        `SELECT day, campaign_id AS c, cost_micros AS cost FROM ad_stats ORDER BY day, campaign_id`,
      ),
    ).toEqual([
      { day: '2026-11-01', c: '1', cost: 150_000_000 },
      { day: '2026-11-02', c: '1', cost: 20_000_000 },
    ]);
    expect(await sql.get(`SELECT name FROM ad_campaigns WHERE campaign_id = '1'`)).toEqual({
      name: 'Renamed',
    });
  });

  it('records syncs and resumes the latest one that ended pending', async () => {
    const id = await insertAccount(sql, site, account(), NOW);
    const a = await startSync(sql, id, 'api', '2026-11-01', '2026-11-20', null, NOW);
    await finishSync(sql, a, { status: 'pending', resume: { reportName: 'r1' } }, NOW);
    expect(await pendingResume(sql, id)).toEqual({
      from: '2026-11-01',
      to: '2026-11-20',
      resume: { reportName: 'r1' },
    });
    const b = await startSync(sql, id, 'api', '2026-11-01', '2026-11-20', null, NOW);
    await finishSync(sql, b, { status: 'ok', rows: 3 }, NOW);
    expect(await pendingResume(sql, id)).toBeNull();
    expect((await listSyncs(sql, id)).map((s) => [s.id, s.status, s.rows, s.resume])).toEqual([
      [b, 'ok', 3, null],
      [a, 'pending', null, { reportName: 'r1' }],
    ]);
  });
});
