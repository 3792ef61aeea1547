import { describe, expect, it } from 'vitest';
import { parseDate } from '../../src/backlinks/dates.ts';

describe('parseDate()', () => {
  it('reads ISO and Russian dates, dropping a time without a zone', () => {
    expect(parseDate('2026-05-27')).toEqual({ day: '2026-05-27' });
    expect(parseDate('27.05.2026 23:59')).toEqual({ day: '2026-05-27' });
    expect(parseDate('2026-05-27 23:59:59')).toEqual({ day: '2026-05-27' });
  });

  it("gives a time with a zone that moment's day in UTC", () => {
    expect(parseDate('2026-01-18T09:12:44Z')).toEqual({ day: '2026-01-18' });
    expect(parseDate('2026-01-18T23:30:00-05:00')).toEqual({ day: '2026-01-19' });
    expect(parseDate('2026-01-18T01:30:00+0300')).toEqual({ day: '2026-01-17' });
  });

  it('says why it refuses what is not a real date or time', () => {
    expect(parseDate('2026/01/14')).toBe('is not a date: write YYYY-MM-DD or DD.MM.YYYY');
    expect(parseDate('2026-02-30')).toBe('is not a real calendar date');
    expect(parseDate('2026-02-10T25:00:00Z')).toBe('is not a real time of day');
  });
});
