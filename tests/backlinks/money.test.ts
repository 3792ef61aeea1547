import { describe, expect, it } from 'vitest';
import {
  dailyCostMicros,
  dailyStatus,
  moneyReport,
  type MoneyLink,
  deadLinks,
  medianLifetime,
  renewable,
  spentMicros,
  vendorTable,
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
    expect(r.renewalsDue).toEqual([{ id: 3, paidUntil: '2026-11-20', vendor: 'Sape', status: null }]);
  });

  it('leaves lost and archived links out of the renewals, and keeps devalued ones with their state', () => {
    const due = { paidUntil: '2026-11-15' };
    const r = moneyReport(
      [
        // Lost two weeks ago, its month ends in five days: renewing it would pay for nothing.
        link({ id: 1, ...due, status: 'lost' }),
        link({ id: 2, ...due, status: 'live', archivedAt: '2026-11-01T10:00:00Z' }),
        link({ id: 3, ...due, status: 'devalued' }),
        link({ id: 4, ...due, status: 'live' }),
      ],
      [],
      '2026-11-10',
      '2026-11-10',
    );
    expect(r.renewalsDue.map((x) => [x.id, x.status])).toEqual([
      [3, 'devalued'],
      [4, 'live'],
    ]);
    expect(renewable({ status: 'inconclusive', archivedAt: null })).toBe(true);
  });

  it('counts an archived link in what was paid but not in money wasted', () => {
    const events = [
      { backlinkId: 1, at: '2026-11-01T01:00:00Z', to: 'lost' as const },
      { backlinkId: 2, at: '2026-11-01T01:00:00Z', to: 'lost' as const },
    ];
    const oneOff = { billing: 'one-off' as const, priceMicros: 10_000_000, paidUntil: '2026-11-11' };
    const r = moneyReport(
      [
        link({ id: 1, ...oneOff, status: 'lost' }),
        link({ id: 2, ...oneOff, status: 'lost', archivedAt: '2026-11-03T00:00:00Z' }),
      ],
      events,
      '2026-11-10',
      '2026-11-01',
    );
    expect(r.totals.RUB!.paidMicros).toBe(20_000_000);
    expect(r.totals.RUB!.wastedMicros).toBe(10_000_000);
    expect(r.wastedByVendor).toEqual([
      { vendor: 'Sape', currency: 'RUB', wastedMicros: 10_000_000, links: 1 },
    ]);
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

describe('deadLinks: a monthly link lost mid-month', () => {
  it('keeps its whole fee and says the fee still runs until the day it is paid until', () => {
    const l = {
      ...link({ id: 7, billing: 'monthly', priceMicros: 400e6, paidUntil: '2026-11-07' }),
      donorUrl: 'https://old.example/review',
      status: 'lost' as const,
      statusSince: '2026-10-19T07:00:00Z',
      archivedAt: null,
    };
    const at = (today: string) => deadLinks([l], today, (iso) => iso.slice(0, 10));
    const now = at('2026-11-01');
    expect(now.links[0]).toMatchObject({
      priceMicros: 400e6,
      since: '2026-10-19',
      days: 13,
      stillPaying: true,
    });
    expect(now.totals[0]).toMatchObject({ monthlyMicros: 400e6, stillPayingMonthlyMicros: 400e6 });
    // Once its paid period is over the fee no longer runs, but the fee paid stays in the totals.
    const later = at('2026-11-08');
    expect(later.links[0]!.stillPaying).toBe(false);
    expect(later.totals[0]).toMatchObject({ monthlyMicros: 400e6, stillPayingMonthlyMicros: 0 });
  });
});

describe('spentMicros()', () => {
  it('counts a one-off price once and a monthly fee per month started up to the paid-until day', () => {
    expect(spentMicros(link({ billing: 'one-off', priceMicros: 8_000e6 }), '2026-12-01')).toBe(8_000e6);
    const monthly = link({ priceMicros: 400e6, boughtOn: '2026-09-28' });
    expect(spentMicros({ ...monthly, paidUntil: '2026-11-07' }, '2026-11-01')).toBe(800e6);
    expect(spentMicros({ ...monthly, paidUntil: '2026-10-28' }, '2026-11-01')).toBe(400e6);
    // No end recorded: paid at the start of each month, this one included.
    expect(spentMicros(monthly, '2026-10-28')).toBe(800e6);
    expect(spentMicros(monthly, '2026-10-27')).toBe(400e6);
    // Months end on their last day: 31 January, then 28 February, then 31 March.
    expect(spentMicros({ ...monthly, boughtOn: '2027-01-31', paidUntil: '2027-03-01' }, '2027-03-01')).toBe(
      800e6,
    );
    expect(spentMicros(link({ priceMicros: null }), '2026-11-01')).toBe(0);
  });
});

describe('medianLifetime()', () => {
  it('counts links still alive as alive so far, not as dying today', () => {
    // Two died at 5 and 10 days; three are alive at 30 days. Over died links only the median would be
    // 7.5 days; with the living ones survival only falls to 4/5 × 3/4 = 0.6: more than 30 days.
    expect(
      medianLifetime([
        { days: 5, died: true },
        { days: 10, died: true },
        { days: 30, died: false },
        { days: 30, died: false },
        { days: 30, died: false },
      ]),
    ).toEqual({ days: 30, atLeast: true });
    expect(
      medianLifetime([
        { days: 3, died: true },
        { days: 8, died: true },
        { days: 20, died: false },
      ]),
    ).toEqual({ days: 8, atLeast: false });
    expect(medianLifetime([])).toBeNull();
  });
});

describe('vendorTable()', () => {
  const dayOf = (iso: string) => iso.slice(0, 10);
  const row = (o: Partial<Parameters<typeof vendorTable>[0][number]>) => ({
    ...link({}),
    donorUrl: 'https://d.example/',
    status: 'live' as const,
    statusSince: '2026-10-01T06:00:00Z',
    archivedAt: null,
    ...o,
  });
  it('gives spent in all and on dead links, loss rate and median lifetime per vendor', () => {
    const rows = vendorTable(
      [
        row({
          id: 1,
          vendor: 'PR Newswire RU',
          billing: 'one-off',
          priceMicros: 8_000e6,
          boughtOn: '2026-10-01',
          status: 'lost',
          statusSince: '2026-10-06T07:00:00Z',
        }),
        row({
          id: 2,
          vendor: 'Sape',
          priceMicros: 400e6,
          boughtOn: '2026-09-28',
          paidUntil: '2026-11-07',
          status: 'lost',
          statusSince: '2026-10-19T07:00:00Z',
        }),
        row({ id: 3, vendor: 'Sape', priceMicros: 280e6, boughtOn: '2026-09-29', paidUntil: '2026-11-26' }),
        // Archived after it was lost: still part of the vendor's record.
        row({
          id: 4,
          vendor: 'Sape',
          priceMicros: 300e6,
          boughtOn: '2026-09-28',
          paidUntil: '2026-10-28',
          status: 'lost',
          statusSince: '2026-10-08T07:00:00Z',
          archivedAt: '2026-10-20T00:00:00Z',
        }),
        row({
          id: 5,
          vendor: null,
          billing: 'one-off',
          priceMicros: null,
          boughtOn: null,
          createdAt: '2026-10-11T09:00:00Z',
          status: 'unchecked',
          statusSince: null,
        }),
      ],
      '2026-11-01',
      dayOf,
    );
    expect(rows).toEqual([
      {
        vendor: 'PR Newswire RU',
        links: 1,
        dead: 1,
        lossRate: 1,
        spent: [{ currency: 'RUB', micros: 8_000e6 }],
        spentOnDead: [{ currency: 'RUB', micros: 8_000e6 }],
        lifetime: { days: 5, atLeast: false },
      },
      {
        vendor: 'Sape',
        links: 3,
        dead: 2,
        lossRate: 2 / 3,
        // 2 months of 400, 2 of 280, 1 of 300.
        spent: [{ currency: 'RUB', micros: 800e6 + 560e6 + 300e6 }],
        spentOnDead: [{ currency: 'RUB', micros: 800e6 + 300e6 }],
        // Died at 10 and 21 days, one alive at 33: survival 2/3 at day 10, 1/3 at day 21.
        lifetime: { days: 21, atLeast: false },
      },
      {
        vendor: null,
        links: 1,
        dead: 0,
        lossRate: 0,
        spent: [],
        spentOnDead: [],
        lifetime: { days: 21, atLeast: true },
      },
    ]);
  });
});
