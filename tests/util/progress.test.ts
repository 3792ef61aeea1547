import { describe, expect, it } from 'vitest';
import { createProgress, formatDuration, progressLine } from '../../src/util/progress.ts';

describe('progressLine()', () => {
  it('shows counts, rate and ETA', () => {
    expect(progressLine('crawl', 10, 40, 5000, 10)).toBe('crawl [###.......] 10/40 2.0/s ETA 15s');
    expect(progressLine('crawl', 40, 40, 8000, 10)).toBe('crawl [##########] 40/40 5.0/s ETA 0s');
    expect(progressLine('crawl', 0, 40, 0, 4)).toBe('crawl [....] 0/40 0.0/s ETA ?');
  });

  it('formats long durations', () => {
    expect(formatDuration(75)).toBe('1m15s');
    expect(formatDuration(3 * 3600 + 120)).toBe('3h02m');
  });
});

describe('createProgress()', () => {
  it('redraws one line in place on a terminal', () => {
    const written: string[] = [];
    let t = 0;
    const p = createProgress({
      label: 'pages',
      total: 3,
      stream: { isTTY: true, columns: 80, write: (s: string) => (written.push(s), true) },
      nowMs: () => t,
    });
    t = 500;
    p.tick();
    t = 1000;
    p.tick(2);
    p.done();
    expect(written.every((w) => w.startsWith('\r'))).toBe(true);
    expect(written.at(-1)).toMatch(/^\rpages \[#+\] 3\/3 3\.0\/s ETA 0s\x1b\[K\n$/);
  });

  it('writes plain log lines, at most one per interval, when not on a terminal', () => {
    const lines: string[] = [];
    let t = 0;
    const p = createProgress({
      label: 'pages',
      total: 100,
      stream: { isTTY: false, write: () => true },
      log: (l) => lines.push(l),
      nowMs: () => t,
      everyMs: 1000,
    });
    for (let i = 0; i < 100; i++) {
      t += 50;
      p.tick();
    }
    p.done();
    expect(lines.length).toBe(6); // first tick, one per second over 5 s, and the final line
    expect(lines.every((l) => !l.includes('\r'))).toBe(true);
    expect(lines.at(-1)).toMatch(/100\/100/);
  });
});
