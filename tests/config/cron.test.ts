import { describe, expect, it } from 'vitest';
import { cronProblem, firstFireBetween, nextFireAfter } from '../../src/config/cron.ts';

const at = (iso: string) => new Date(iso);

describe('firstFireBetween()', () => {
  it('finds a weekly Monday 08:00 Moscow time missed over a weekend of downtime', () => {
    // Monday 2026-11-23 08:00 in Moscow (UTC+3) is 05:00 UTC.
    expect(
      firstFireBetween('0 8 * * 1', 'Europe/Moscow', at('2026-11-21T10:00:00Z'), at('2026-11-23T09:00:00Z')),
    ).toEqual(at('2026-11-23T05:00:00Z'));
  });

  it('answers null when no fire time lies in the window', () => {
    expect(
      firstFireBetween('0 8 * * 1', 'Europe/Moscow', at('2026-11-23T05:00:00Z'), at('2026-11-29T23:00:00Z')),
    ).toBeNull();
  });

  it('does not count the fire time the last run started at', () => {
    expect(
      firstFireBetween('*/15 * * * *', 'UTC', at('2026-11-23T05:15:00.040Z'), at('2026-11-23T05:29:59Z')),
    ).toBeNull();
    expect(
      firstFireBetween('*/15 * * * *', 'UTC', at('2026-11-23T05:15:00.040Z'), at('2026-11-23T05:30:00Z')),
    ).toEqual(at('2026-11-23T05:30:00Z'));
  });

  it('follows daylight saving time in the schedule zone', () => {
    // New York switched to EDT (UTC-4) on 2026-03-08; 09:00 local is 13:00 UTC after, 14:00 UTC before.
    expect(
      firstFireBetween(
        '0 9 * * *',
        'America/New_York',
        at('2026-03-07T15:00:00Z'),
        at('2026-03-09T00:00:00Z'),
      ),
    ).toEqual(at('2026-03-08T13:00:00Z'));
  });

  it('handles zones with a 45-minute offset', () => {
    // Nepal is UTC+5:45: 06:00 local is 00:15 UTC.
    expect(
      firstFireBetween('0 6 * * *', 'Asia/Kathmandu', at('2026-11-22T00:00:00Z'), at('2026-11-23T00:00:00Z')),
    ).toEqual(at('2026-11-22T00:15:00Z'));
  });

  it('finds a monthly schedule a month away', () => {
    expect(
      firstFireBetween('0 3 1 * *', 'UTC', at('2026-10-01T04:00:00Z'), at('2026-11-27T00:00:00Z')),
    ).toEqual(at('2026-11-01T03:00:00Z'));
  });
});

describe('nextFireAfter()', () => {
  it('gives the next daily 03:30', () => {
    expect(nextFireAfter('30 3 * * *', 'UTC', at('2026-11-27T08:00:00Z'))).toEqual(
      at('2026-11-28T03:30:00Z'),
    );
  });
});

describe('cronProblem()', () => {
  it('passes a valid expression and explains a bad one', () => {
    expect(cronProblem('*/15 * * * *')).toBeNull();
    expect(cronProblem('0 25 * * *')).toMatch(/hour/);
  });
});
