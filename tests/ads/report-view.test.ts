// The Ads view without the dashboard: period labels, the day ratios stop at, the label holding today, the
// query string (and cache key) that reproduces a view.
import { describe, expect, it } from 'vitest';
import {
  completeTo,
  partialIndex,
  periodLabels,
  viewKey,
  viewQuery,
  type AdsView,
} from '../../src/ads/report-view.ts';

function view(over: Partial<AdsView>): AdsView {
  const v: AdsView = {
    site: { id: 1, name: 'studio', baseUrl: 'https://studio.example/', timeZone: 'Europe/Moscow' },
    days: 30,
    from: '2026-10-03',
    to: '2026-11-01',
    prevFrom: '2026-09-03',
    prevTo: '2026-10-02',
    period: 'day',
    group: 'platform',
    conversion: null,
    conversionNote: null,
    canConvert: false,
    today: '2026-11-01',
    labels: [],
    ...over,
  };
  return { ...v, labels: over.labels ?? periodLabels(v.from, v.to, v.period) };
}

describe('Ads view', () => {
  it('periodLabels() gives every day, every Monday from the week holding the start, or every month across a year end', () => {
    expect(periodLabels('2026-10-30', '2026-11-02', 'day')).toEqual([
      '2026-10-30',
      '2026-10-31',
      '2026-11-01',
      '2026-11-02',
    ]);
    // 2026-10-29 is a Thursday: its week starts on Monday 2026-10-26.
    expect(periodLabels('2026-10-29', '2026-11-16', 'week')).toEqual([
      '2026-10-26',
      '2026-11-02',
      '2026-11-09',
      '2026-11-16',
    ]);
    expect(periodLabels('2026-11-20', '2027-02-03', 'month')).toEqual([
      '2026-11',
      '2026-12',
      '2027-01',
      '2027-02',
    ]);
  });

  it('completeTo() stops ratios the day before today when the range reaches today, else at the range end', () => {
    expect(completeTo(view({}))).toBe('2026-10-31');
    expect(completeTo(view({ from: '2026-09-01', to: '2026-09-30', days: null }))).toBe('2026-09-30');
  });

  it('partialIndex() points at the day, Monday or month holding today, and is null for a past range', () => {
    expect(partialIndex(view({}))).toBe(29);
    const weekly = view({ from: '2026-08-04', period: 'week' });
    expect(weekly.labels[partialIndex(weekly)!]).toBe('2026-10-26');
    const monthly = view({ from: '2026-01-01', period: 'month' });
    expect(monthly.labels[partialIndex(monthly)!]).toBe('2026-11');
    expect(partialIndex(view({ from: '2026-09-01', to: '2026-09-30', days: null }))).toBeNull();
  });

  it('viewQuery() reproduces a preset or a hand-given range; the cache key adds the day it was read on', () => {
    expect(viewQuery(view({ platform: 'yandex-direct', canConvert: true }), { page: 2, sort: '' })).toBe(
      'site=studio&days=30&period=day&group=platform&platform=yandex-direct&convert=0&page=2',
    );
    const custom = view({ days: null, from: '2026-09-01', to: '2026-09-30', currency: 'RUB' });
    expect(viewQuery(custom)).toBe(
      'site=studio&from=2026-09-01&to=2026-09-30&period=day&group=platform&currency=RUB',
    );
    expect(viewKey(custom)).toBe(`${viewQuery(custom)}:2026-11-01`);
  });
});
