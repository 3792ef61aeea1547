import { describe, expect, it } from 'vitest';
import {
  dailyCostMicros,
  dailyStatus,
  moneyReport,
  type MoneyLink,
  deadLinks,
} from '../../src/backlinks/money.ts';

const link = (o: Partial<MoneyLink>): MoneyLink => ({
  id: 1,
  vendor: 'Sape',
  priceMicros: 365_000_000,
  currency: 'RUB',
  billing: 'monthly',
  boughtOn: '2026-11-01',
  paidUntil: null,
  createdAt: '2026-11-01T00:00:00Z',
  ...o,
});

describe('dailyCostMicros()', () => {
  it('spreads a monthly price over the year and a one-off price over its paid period', () => {
    expect(dailyCostMicros(link({ priceMicros: 365_000_000 }))).toBeCloseTo(12_000_000);
    expect(
      dailyCostMicros(
        link({
          billing: 'one-off',
          priceMicros: 10_000_000,
          boughtOn: '2026-11-01',
          paidUntil: '2026-11-11',
        }),
      ),
    ).toBe(1_000_000);
    expect(dailyCostMicros(link({ billing: 'one-off', priceMicros: 365_000_000, paidUntil: null }))).toBe(
      1_000_000,
    );
  });
});

describe('dailyStatus()', () => {
  it('takes the last change of each day', () => {
    const s = dailyStatus(
      [
        { backlinkId: 1, at: '2026-11-02T10:00:00Z', to: 'live' },
        { backlinkId: 1, at: '2026-11-04T10:00:00Z', to: 'lost' },
      ],
      '2026-11-01',
      '2026-11-05',
    );
    expect([...s.values()]).toEqual(['unchecked', 'live', 'live', 'lost', 'lost']);
  });
});

describe('moneyReport()', () => {
  it('counts money paid for lost and devalued days per vendor, and cost per live day', () => {
    const links = [
      link({
        id: 1,
        vendor: 'Sape',
        billing: 'one-off',
        priceMicros: 10_000_000,
        boughtOn: '2026-11-01',
        paidUntil: '2026-11-11',
      }),
      link({
        id: 2,
        vendor: 'GoGetLinks',
        billing: 'one-off',
        priceMicros: 10_000_000,
        boughtOn: '2026-11-01',
        paidUntil: '2026-11-11',
      }),
    ];
    const events = [
      { backlinkId: 1, at: '2026-11-01T01:00:00Z', to: 'live' as const },
      { backlinkId: 1, at: '2026-11-06T01:00:00Z', to: 'lost' as const },
      { backlinkId: 2, at: '2026-11-01T01:00:00Z', to: 'devalued' as const },
    ];
    const r = moneyReport(links, events, '2026-11-10', '2026-11-01');
    // 10 days each at 1 RUB/day: link 1 live 5 days, lost 5; link 2 devalued all 10.
    expect(r.totals.RUB).toEqual({
      paidMicros: 20_000_000,
      liveDays: 5,
      costPerLiveDayMicros: 4_000_000,
      wastedMicros: 15_000_000,
    });
    expect(r.wastedByVendor).toEqual([
      { vendor: 'GoGetLinks', currency: 'RUB', wastedMicros: 10_000_000, links: 1 },
      { vendor: 'Sape', currency: 'RUB', wastedMicros: 5_000_000, links: 1 },
    ]);
    expect(r.daily.at(-1)).toEqual({
      day: '2026-11-10',
      live: 0,
      devalued: 1,
      lost: 1,
      other: 0,
      wastedMicros: { RUB: 2_000_000 },
    });
    expect(r.vendorReliability).toEqual([
      { vendor: 'Sape', bought: 1, lostWithin90Days: 1, share: 1 },
      { vendor: 'GoGetLinks', bought: 1, lostWithin90Days: 0, share: 0 },
    ]);
  });

  it('lists renewals due in the next 14 days', () => {
    const r = moneyReport(
      [link({ id: 3, paidUntil: '2026-11-20' }), link({ id: 4, paidUntil: '2026-12-30' })],
      [],
      '2026-11-10',
      '2026-11-10',
    );
    expect(r.renewalsDue).toEqual([{ id: 3, paidUntil: '2026-11-20', vendor: 'Sape' }]);
  });
});

describe('deadLinks: the money as it was paid', () => {
  const base = {
    vendor: 'Miralinks',
    currency: 'RUB',
    boughtOn: '2026-06-01',
    paidUntil: null,
    createdAt: '2026-06-01T09:00:00.000Z',
    archivedAt: null,
  };
  const dayOf = (iso: string) => iso.slice(0, 10);
  const links = [
    // A press release bought for 8,000 that died after days: the whole 8,000, not a pro-rated share.
    {
      ...base,
      id: 1,
      donorUrl: 'https://news.example/pr',
      billing: 'one-off' as const,
      priceMicros: 8_000e6,
      status: 'lost' as const,
      statusSince: '2026-10-20T06:00:00.000Z',
    },
    // A monthly link lost mid-month whose fee still runs.
    {
      ...base,
      id: 2,
      donorUrl: 'https://blog.example/a',
      billing: 'monthly' as const,
      priceMicros: 400e6,
      status: 'lost' as const,
      statusSince: '2026-10-15T06:00:00.000Z',
    },
    // A monthly link devalued, paid only until yesterday: no fee running any more.
    {
      ...base,
      id: 3,
      donorUrl: 'https://blog.example/b',
      billing: 'monthly' as const,
      priceMicros: 300e6,
      paidUntil: '2026-10-31',
      status: 'devalued' as const,
      statusSince: '2026-10-01T06:00:00.000Z',
    },
    // Archived: dealt with, out of the list.
    {
      ...base,
      id: 4,
      donorUrl: 'https://old.example/',
      billing: 'one-off' as const,
      priceMicros: 5_000e6,
      status: 'lost' as const,
      statusSince: '2026-09-01T06:00:00.000Z',
      archivedAt: '2026-10-02T10:00:00.000Z',
    },
    // Live: not dead.
    {
      ...base,
      id: 5,
      donorUrl: 'https://ok.example/',
      billing: 'one-off' as const,
      priceMicros: 1_000e6,
      status: 'live' as const,
      statusSince: '2026-09-01T06:00:00.000Z',
    },
  ];
  it('lists lost and devalued links newest first with whole prices, days dead and running fees', () => {
    const r = deadLinks(links, '2026-11-01', dayOf);
    expect(r.links.map((l) => [l.id, l.since, l.days, l.priceMicros, l.stillPaying])).toEqual([
      [1, '2026-10-20', 12, 8_000e6, false],
      [2, '2026-10-15', 17, 400e6, true],
      [3, '2026-10-01', 31, 300e6, false],
    ]);
    expect(r.totals).toEqual([
      {
        currency: 'RUB',
        links: 3,
        oneOffMicros: 8_000e6,
        monthlyMicros: 700e6,
        stillPayingMonthlyMicros: 400e6,
      },
    ]);
  });
});
