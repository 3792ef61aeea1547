// syncSiteAds(): a failing account fails alone, every sync is recorded, pending reports are resumed.
import { describe, expect, it } from 'vitest';
import { insertAccount, listSyncs } from '../../src/ads/store.ts';
import { syncSiteAds, type SyncDeps } from '../../src/ads/sync.ts';
import { platformById } from '../../src/ads/registry.ts';
import { AdsError, type AdPlatform } from '../../src/ads/types.ts';
import { account, row, setupStore } from './accounts.ts';

describe('syncSiteAds()', () => {
  function platform(id: AdPlatform['id'], answer: AdPlatform['pullDaily']): AdPlatform {
    return { ...platformById(id)!, defaultLookbackDays: 3, pullDaily: answer };
  }

  it('one account with an expired token fails alone; the others are stored; each sync is recorded', async () => {
    const { sql, site, clock, deps: base } = await setupStore();
    await insertAccount(sql, site.id, account(), clock.now());
    await insertAccount(
      sql,
      site.id,
      account({ platform: 'google-ads', externalId: '1234567890', name: 'Google · studio', currency: 'USD' }),
      clock.now(),
    );
    const seen: { from: string; to: string }[] = [];
    const deps: SyncDeps = {
      ...base,
      sql,
      runId: null,
      platforms: [
        platform('yandex-direct', async (req) => {
          seen.push({ from: req.from, to: req.to });
          return { status: 'ok', rows: [row(req.from, '7', 10), row(req.to, '7', 20)] };
        }),
        platform('google-ads', async () => {
          throw new AdsError(
            platformById('google-ads')!,
            'auth',
            'UNAUTHENTICATED: Request had invalid authentication credentials.',
          );
        }),
      ],
    };
    const out = await syncSiteAds(deps, site, {});
    expect(out.map((o) => [o.account.platform, o.status, o.rows])).toEqual([
      ['google-ads', 'failed', 0],
      ['yandex-direct', 'ok', 2],
    ]);
    expect(out[0]!.error).toBe(
      'Google · studio: Google Ads: UNAUTHENTICATED: Request had invalid authentication credentials.',
    );
    expect(seen).toEqual([{ from: '2026-11-18', to: '2026-11-20' }]); // 3-day lookback in the account's zone
    const syncs = await sql.all('SELECT status, rows, error FROM ad_syncs ORDER BY account_id');
    expect(syncs).toEqual([
      { status: 'ok', rows: 2, error: null },
      { status: 'failed', rows: null, error: out[0]!.error },
    ]);
  });

  it('a report still queued ends the run "pending", and the next run asks for the same report', async () => {
    const { sql, site, clock, deps: base } = await setupStore();
    const id = await insertAccount(sql, site.id, account(), clock.now());
    const resumes: unknown[] = [];
    let queued = true;
    const deps: SyncDeps = {
      ...base,
      sql,
      runId: null,
      platforms: [
        platform('yandex-direct', async (req) => {
          resumes.push(req.resume);
          if (queued)
            return {
              status: 'pending',
              resume: { reportName: 'r-1' },
              message: 'report still in the queue after 300 s',
            };
          return { status: 'ok', rows: [row(req.from, '1', 5)] };
        }),
      ],
    };
    expect((await syncSiteAds(deps, site, {}))[0]).toMatchObject({ status: 'pending', from: '2026-11-18' });
    clock.advance(3 * 86_400_000);
    queued = false;
    const second = (await syncSiteAds(deps, site, {}))[0]!;
    expect(second).toMatchObject({ status: 'ok', from: '2026-11-18', to: '2026-11-20' });
    expect(resumes).toEqual([null, { reportName: 'r-1' }]);
    expect((await listSyncs(sql, id)).map((s) => s.status)).toEqual(['ok', 'pending']);
  });
});
