// findAnomalies() and robustScore(): spend spikes found against a robust baseline.
import { describe, expect, it } from 'vitest';
import { findAnomalies, robustScore, type DayStats } from '../../src/ads/anomalies.ts';
import { addDays } from '../../src/util/days.ts';

describe('findAnomalies()', () => {
  const series = (days: number, end: string, f: (d: string, i: number) => DayStats | null) => {
    const m = new Map<string, DayStats>();
    for (let i = 0; i < days; i++) {
      const d = addDays(end, -i);
      const v = f(d, i);
      if (v) m.set(d, v);
    }
    return m;
  };
  const normal = (i: number): DayStats => ({
    impressions: 2000 + (i % 5) * 40,
    clicks: 80 + (i % 3),
    costMicros: (5000 + (i % 7) * 90) * 1e6,
    conversions: 4,
  });

  it('flags a spend spike against the same weekday of the previous 8 weeks, and only that', () => {
    const s = series(70, '2026-11-20', (_d, i) =>
      i === 0 ? { ...normal(i), costMicros: 21_000 * 1e6, conversions: 4 } : normal(i),
    );
    const found = findAnomalies('c1', s, ['2026-11-20']);
    expect(found.map((a) => a.kind)).toContain('spend-spike');
    expect(findAnomalies('c1', s, ['2026-11-19'])).toEqual([]);
  });

  it('flags an active campaign with no impressions, and not one with too little history', () => {
    const s = series(70, '2026-11-20', (_d, i) => (i === 0 ? null : normal(i)));
    expect(findAnomalies('c1', s, ['2026-11-20'])).toEqual([
      expect.objectContaining({ kind: 'zero-impressions', day: '2026-11-20' }),
    ]);
    const short = series(30, '2026-11-20', (_d, i) => (i === 0 ? null : normal(i)));
    expect(findAnomalies('c1', short, ['2026-11-20'])).toEqual([]);
  });

  it('flags a CTR collapse and a CPA jump', () => {
    const s = series(70, '2026-11-20', (_d, i) =>
      i === 0 ? { impressions: 2100, clicks: 12, costMicros: 5200 * 1e6, conversions: 0 } : normal(i),
    );
    const kinds = findAnomalies('c1', s, ['2026-11-20']).map((a) => a.kind);
    expect(kinds).toEqual(expect.arrayContaining(['ctr-drop', 'cpa-jump']));
  });

  it('scores robustly: one earlier spike does not hide the next', () => {
    const history = [100, 102, 98, 101, 500, 99, 100, 103];
    expect(robustScore(400, history).score).toBeGreaterThan(3.5);
  });
});
