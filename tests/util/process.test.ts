import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseProcStatStartTime, pidIsAlive, processStartTime } from '../../src/util/process.ts';

// Shaped like proc(5)'s /proc/PID/stat: pid, (comm), state, then fields 4… ; field 22 is starttime.
const fields = (startTime: string) =>
  ['S', ...Array.from({ length: 18 }, (_, i) => String(i + 4)), startTime, '123456', '789'].join(' ');

describe('parseProcStatStartTime()', () => {
  it('reads field 22 of a stat line', () => {
    expect(parseProcStatStartTime(`4242 (node) ${fields('98765')}`)).toBe('98765');
  });

  it('counts fields from the last ")" when the command name holds spaces and parentheses', () => {
    expect(parseProcStatStartTime(`4242 (promo watch) (x)) ${fields('31337')}`)).toBe('31337');
  });

  it('gives null for a cut-off line', () => {
    expect(parseProcStatStartTime('4242 (node) S 1 2')).toBeNull();
    expect(parseProcStatStartTime('')).toBeNull();
  });
});

describe.runIf(process.platform === 'linux')('processStartTime() on Linux', () => {
  it('tells two processes apart and gives null once a process is gone', async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 10_000)']);
    const pid = child.pid!;
    const own = processStartTime(process.pid);
    expect(own).toMatch(/^\d+$/);
    expect(processStartTime(pid)).toMatch(/^\d+$/);
    expect(processStartTime(pid)).not.toBe(own);
    expect(pidIsAlive(pid)).toBe(true);
    child.kill('SIGKILL');
    await new Promise((r) => child.on('exit', r));
    expect(processStartTime(pid)).toBeNull();
    expect(pidIsAlive(pid)).toBe(false);
  });
});
