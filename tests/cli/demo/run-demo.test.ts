import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertDemoDatabase, demoNowOn, rankCheckTimes } from '../../../src/cli/demo/run-demo.ts';
import { closeDatabase, openDatabase } from '../../../src/db/open.ts';
import { tempDir } from '../../helpers.ts';

describe('assertDemoDatabase()', () => {
  it('refuses to let the demo delete a real database or any other file', () => {
    const dir = tempDir();
    const real = join(dir, 'promowatch.db');
    closeDatabase(openDatabase(real));
    expect(() => assertDemoDatabase(real)).toThrow(/is not a demo database; the demo will not overwrite it/);
    const notes = join(dir, 'notes.txt');
    writeFileSync(notes, 'hello');
    expect(() => assertDemoDatabase(notes)).toThrow(/not a demo database/);
  });

  it('allows a missing file and a previous demo database', () => {
    const dir = tempDir();
    expect(() => assertDemoDatabase(join(dir, 'none.db'))).not.toThrow();
    const demo = join(dir, 'demo.db');
    const db = openDatabase(demo);
    db.prepare(`INSERT INTO meta (key, value) VALUES ('demo', 'x')`).run();
    closeDatabase(db);
    expect(() => assertDemoDatabase(demo)).not.toThrow();
  });
});

describe('demoNowOn()', () => {
  it('starts a fixed demo day at noon in Moscow, on the 29th of February and the 31st of December too', () => {
    expect(demoNowOn('2027-03-01', '--today').toISOString()).toBe('2027-03-01T09:00:00.000Z');
    expect(demoNowOn('2028-02-29', '--today').toISOString()).toBe('2028-02-29T09:00:00.000Z');
    expect(demoNowOn('2027-12-31', '--today').toISOString()).toBe('2027-12-31T09:00:00.000Z');
  });

  it('refuses what is not a real day, naming where it came from', () => {
    for (const bad of [
      '2027-02-29',
      '2027-04-31',
      '2027-13-01',
      '2027-3-1',
      '01.03.2027',
      '2027-03-01T00:00',
    ])
      expect(() => demoNowOn(bad, 'PROMOWATCH_DEMO_TODAY')).toThrow(
        `PROMOWATCH_DEMO_TODAY must be a date YYYY-MM-DD, got "${bad}"`,
      );
  });
});

describe('rankCheckTimes()', () => {
  it('checks at 07:00 Moscow time on each of the last days, today only once 07:00 has passed', () => {
    const at = (iso: string) => new Date(iso).toISOString();
    // 06:30 in Moscow on the 1st of March: the last check was on the 28th of February, 07:00.
    const early = rankCheckTimes(new Date('2027-03-01T03:30:00Z'), 3).map((d) => d.toISOString());
    expect(early).toEqual([
      at('2027-02-26T04:00:00Z'),
      at('2027-02-27T04:00:00Z'),
      at('2027-02-28T04:00:00Z'),
    ]);
    // Noon on the 29th of February of a leap year: today's check is the last of them.
    const leap = rankCheckTimes(new Date('2028-02-29T09:00:00Z'), 2).map((d) => d.toISOString());
    expect(leap).toEqual([at('2028-02-28T04:00:00Z'), at('2028-02-29T04:00:00Z')]);
  });
});
