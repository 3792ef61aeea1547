// pacing(): the month's forecast from the last week's pace, and the warning past the margin.
import { describe, expect, it } from 'vitest';
import { pacing } from '../../src/ads/pacing.ts';

describe('pacing()', () => {
  it("forecasts from the last week's pace and warns past the margin", () => {
    const daily = new Map<string, number>();
    for (let d = 1; d <= 19; d++)
      daily.set(`2026-11-${String(d).padStart(2, '0')}`, (d <= 12 ? 4000 : 8000) * 1e6);
    const p = pacing(daily, '2026-11-20', 150_000 * 1e6, 10);
    // Through the 19th: 12 × 4000 + 7 × 8000 = 104,000; 11 days left at 8,000 → 192,000.
    expect(p.completeMicros).toBe(104_000 * 1e6);
    expect(p.forecastMicros).toBe(192_000 * 1e6);
    expect(p.alert).toBe(true);
    expect(pacing(daily, '2026-11-20', 200_000 * 1e6, 10).alert).toBe(false);
  });
});
