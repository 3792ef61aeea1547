// What the operating system says about another process: whether its pid exists, and when it started.
import { readFileSync } from 'node:fs';

export function pidIsAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The start time of process `pid` (clock ticks after boot) as Linux reports it, or null where there is
 * no /proc or the process is gone. A pid is reused once its process ends; pid plus start time is not.
 */
export function processStartTime(pid: number): string | null {
  try {
    return parseProcStatStartTime(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return null;
  }
}

/**
 * Field 22 (`starttime`) of a /proc/PID/stat line (proc(5): https://man7.org/linux/man-pages/man5/proc_pid_stat.5.html).
 * Field 2 is the command name in parentheses and may itself hold spaces and ")", so fields are counted
 * from the last ")". Null when the line does not have that many fields.
 */
export function parseProcStatStartTime(stat: string): string | null {
  const end = stat.lastIndexOf(')');
  if (end < 0) return null;
  // After ") " come fields 3, 4, …: field 22 is the 20th of them.
  const value = stat
    .slice(end + 2)
    .split(' ')
    .at(22 - 3);
  return value !== undefined && /^\d+$/.test(value) ? value : null;
}
