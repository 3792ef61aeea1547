// Memory and CPU time of the Chromium processes a benchmark process started, read from Linux's /proc.
import { readdirSync, readFileSync } from 'node:fs';

const PAGE_BYTES = 4096;
/** USER_HZ: the unit of the CPU times in /proc/<pid>/stat; 100 on every Linux we run on. */
const TICKS_PER_SECOND = 100;

/** Fields of /proc/<pid>/stat after the command name (which may hold spaces), 0-based from "state". */
function statFields(pid: number | string): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/**
 * Pids of the Chromium processes below `root` (tsx's esbuild service is a child too, and is left out);
 * empty where there is no /proc.
 */
export function chromiumPids(root: number): number[] {
  const children = new Map<number, number[]>();
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return [];
  }
  for (const name of entries) {
    try {
      const ppid = Number(statFields(name)[1]);
      (children.get(ppid) ?? children.set(ppid, []).get(ppid)!).push(Number(name));
    } catch {
      // The process ended while we looked.
    }
  }
  const out: number[] = [];
  for (let queue = [root]; queue.length > 0;) {
    const pid = queue.pop()!;
    for (const child of children.get(pid) ?? []) {
      queue.push(child);
      try {
        const program = readFileSync(`/proc/${child}/cmdline`, 'utf8').split('\0')[0] ?? '';
        if (/chrom|headless_shell/i.test(program)) out.push(child);
      } catch {
        // Gone.
      }
    }
  }
  return out;
}

/**
 * CPU seconds (user + system) used by the processes, including their reaped children: Chromium's zygote
 * reaps the renderers of closed pages, so their time stays counted while the zygote lives.
 */
export function cpuSecondsOf(pids: number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      // utime, stime, cutime, cstime are fields 14–17 of stat, i.e. 11–14 counted from "state".
      ticks += statFields(pid)
        .slice(11, 15)
        .reduce((sum, field) => sum + Number(field), 0);
    } catch {
      // Gone.
    }
  }
  return ticks / TICKS_PER_SECOND;
}

/** Peak memory of the Chromium processes a runner started, summed over processes; MB. */
export interface ChildMemory {
  rssMb: number;
  /** Proportional set size: shared pages divided among their users, so a sum over processes is fair. */
  pssMb: number;
  processes: number;
}

function memoryOf(pids: number[]): ChildMemory {
  let rss = 0;
  let pss = 0;
  let processes = 0;
  for (const pid of pids) {
    try {
      rss += Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]) * PAGE_BYTES;
      const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
      pss += Number(/^Pss:\s+(\d+) kB/m.exec(rollup)?.[1] ?? 0) * 1024;
      processes++;
    } catch {
      // Gone, or not ours to read.
    }
  }
  return { rssMb: Math.round(rss / 2 ** 20), pssMb: Math.round(pss / 2 ** 20), processes };
}

/** Samples the memory of `pid`'s Chromium every `everyMs` until stopped; returns the peaks (null: none seen). */
export function sampleChromiumMemory(pid: number, everyMs: number): () => ChildMemory | null {
  let peak: ChildMemory | null = null;
  const timer = setInterval(() => {
    const pids = chromiumPids(pid);
    if (pids.length === 0) return;
    const now = memoryOf(pids);
    peak = {
      rssMb: Math.max(peak?.rssMb ?? 0, now.rssMb),
      pssMb: Math.max(peak?.pssMb ?? 0, now.pssMb),
      processes: Math.max(peak?.processes ?? 0, now.processes),
    };
  }, everyMs);
  return () => {
    clearInterval(timer);
    return peak;
  };
}
