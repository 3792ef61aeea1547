import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/util/log.ts';

describe('createLogger()', () => {
  it('masks registered secrets wherever they appear in a line', () => {
    const lines: string[] = [];
    const log = createLogger({
      write: (l) => lines.push(l),
      secrets: () => ['tok-SECRET-123'],
      now: () => new Date('2026-11-27T09:00:00Z'),
    });
    log.child('job uptime').error('request to https://api.example/?key=tok-SECRET-123 failed');
    expect(lines).toEqual([
      '2026-11-27T09:00:00.000Z error [job uptime] request to https://api.example/?key=*** failed',
    ]);
  });
});
