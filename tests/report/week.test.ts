// ISO weeks for the weekly report: parsing, the week of a day, year ends, 53-week years, the last complete week.
import { describe, expect, it } from 'vitest';
import {
  lastCompleteWeek,
  parseWeek,
  previousWeek,
  startOfDayIn,
  weekDays,
  weekInstants,
  weekOf,
  weekRange,
  weeksInYear,
} from '../../src/report/week.ts';

describe('parseWeek()', () => {
  it('reads 2026-W47 as Monday 16 to Sunday 22 November 2026', () => {
    expect(parseWeek('2026-W47')).toEqual({ week: '2026-W47', from: '2026-11-16', to: '2026-11-22' });
    expect(parseWeek(' 2026-w47 ')).toEqual(parseWeek('2026-W47'));
    expect(weekRange('2026-W47')).toEqual(parseWeek('2026-W47'));
  });

  it('puts week 1 where the first Thursday is, even in the calendar year before', () => {
    expect(parseWeek('2021-W01')).toEqual({ week: '2021-W01', from: '2021-01-04', to: '2021-01-10' });
    expect(parseWeek('2024-W01')).toEqual({ week: '2024-W01', from: '2024-01-01', to: '2024-01-07' });
    expect(parseWeek('2025-W01')).toEqual({ week: '2025-W01', from: '2024-12-30', to: '2025-01-05' });
  });

  it('accepts week 53 of a 53-week year, spanning the year end', () => {
    expect(parseWeek('2020-W53')).toEqual({ week: '2020-W53', from: '2020-12-28', to: '2021-01-03' });
    expect(parseWeek('2026-W53')).toEqual({ week: '2026-W53', from: '2026-12-28', to: '2027-01-03' });
  });

  it('refuses weeks that do not exist, saying how many the year has', () => {
    expect(() => parseWeek('2026-W54')).toThrow(
      'Week "2026-W54" does not exist: 2026 has ISO weeks W01 to W53',
    );
    expect(() => parseWeek('2025-W53')).toThrow('2025 has ISO weeks W01 to W52');
    expect(() => parseWeek('2026-W00')).toThrow('does not exist');
  });

  it('refuses text that is not a week, showing what it got', () => {
    expect(() => parseWeek('47')).toThrow('Week must be an ISO week like 2026-W47, got "47"');
    expect(() => parseWeek('2026-11-16')).toThrow('got "2026-11-16"');
    expect(() => parseWeek('')).toThrow('ISO week like 2026-W47');
  });
});

describe('weeksInYear()', () => {
  it('counts 53 weeks in years starting on a Thursday, or leap years starting on a Wednesday', () => {
    expect([2015, 2020, 2021, 2024, 2025, 2026, 2027, 2032].map(weeksInYear)).toEqual([
      53, 53, 52, 52, 52, 53, 52, 53,
    ]);
  });
});

describe('weekOf()', () => {
  it('gives the ISO week of any day of it, Monday to Sunday', () => {
    for (const day of ['2026-11-16', '2026-11-19', '2026-11-22']) expect(weekOf(day).week).toBe('2026-W47');
    expect(weekOf('2026-11-23').week).toBe('2026-W48');
  });

  it('gives days near New Year the week of the ISO year they belong to', () => {
    expect(weekOf('2021-01-03').week).toBe('2020-W53');
    expect(weekOf('2027-01-01').week).toBe('2026-W53');
    expect(weekOf('2024-12-30').week).toBe('2025-W01');
    expect(weekOf('2024-01-01').week).toBe('2024-W01');
  });

  it('round-trips every week of several years through parseWeek', () => {
    for (let year = 2019; year <= 2028; year++)
      for (let w = 1; w <= weeksInYear(year); w++) {
        const r = parseWeek(`${year}-W${String(w).padStart(2, '0')}`);
        expect(weekOf(r.from)).toEqual(r);
        expect(weekOf(r.to)).toEqual(r);
      }
  });

  it('refuses a day that is not a date', () => {
    expect(() => weekOf('2026-W47')).toThrow('expected a day like 2026-11-27, got "2026-W47"');
  });
});

describe('previousWeek() and weekDays()', () => {
  it('steps back over a year end into week 53', () => {
    expect(previousWeek(parseWeek('2021-W01')).week).toBe('2020-W53');
    expect(previousWeek(parseWeek('2026-W47')).week).toBe('2026-W46');
  });

  it('lists the seven days Monday first', () => {
    expect(weekDays(parseWeek('2020-W53'))).toEqual([
      '2020-12-28',
      '2020-12-29',
      '2020-12-30',
      '2020-12-31',
      '2021-01-01',
      '2021-01-02',
      '2021-01-03',
    ]);
  });
});

describe('lastCompleteWeek()', () => {
  it('is the week before the one holding today in the zone', () => {
    // Sunday 23:59 in Moscow: W47 is still running, so the last complete week is W46.
    expect(lastCompleteWeek(new Date('2026-11-22T20:59:00Z'), 'Europe/Moscow').week).toBe('2026-W46');
    // One minute later it is Monday in Moscow (still Sunday in UTC): W47 has ended.
    expect(lastCompleteWeek(new Date('2026-11-22T21:00:00Z'), 'Europe/Moscow').week).toBe('2026-W47');
    expect(lastCompleteWeek(new Date('2026-11-22T21:00:00Z'), 'America/New_York').week).toBe('2026-W46');
  });

  it('reaches back across New Year into week 53', () => {
    expect(lastCompleteWeek(new Date('2021-01-05T12:00:00Z'), 'UTC')).toEqual({
      week: '2020-W53',
      from: '2020-12-28',
      to: '2021-01-03',
    });
  });
});

describe('weekInstants()', () => {
  it('spans Monday 00:00 to the next Monday 00:00 in the site zone', () => {
    expect(weekInstants(parseWeek('2026-W47'), 'Europe/Moscow')).toEqual({
      start: new Date('2026-11-15T21:00:00Z'),
      end: new Date('2026-11-22T21:00:00Z'),
    });
    expect(weekInstants(parseWeek('2026-W47'), 'Asia/Yekaterinburg').start).toEqual(
      new Date('2026-11-15T19:00:00Z'),
    );
  });

  it('finds the start of a day across daylight saving changes', () => {
    expect(startOfDayIn('2026-03-08', 'America/New_York')).toEqual(new Date('2026-03-08T05:00:00Z'));
    expect(startOfDayIn('2026-03-09', 'America/New_York')).toEqual(new Date('2026-03-09T04:00:00Z'));
    // Chile moves its clocks from 00:00 to 01:00: the day starts at 01:00 local time.
    expect(startOfDayIn('2026-09-06', 'America/Santiago')).toEqual(new Date('2026-09-06T04:00:00Z'));
  });
});
