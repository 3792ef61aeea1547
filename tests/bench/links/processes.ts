// Child processes of the backlink benchmark: the donor servers, the check runners, and the RSS of a runner's Chromium.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

/** Every child still running, so the driver can end them on exit, on an error and on Ctrl-C. */
const live = new Set<ChildProcess>();

export function stopAllChildren(): void {
  for (const child of live) child.kill('SIGTERM');
}

/** Copies a child's output to our stderr line by line, prefixed with its name, unless `onLine` takes the line. */
function prefixLines(stream: Readable, name: string, onLine?: (line: string) => boolean): void {
  createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
    if (onLine?.(line)) return;
    process.stderr.write(`[${name}] ${line}\n`);
  });
}

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
}

function describeExit(exit: Exit, timeoutSeconds: number): string {
  if (exit.timedOut) return `was stopped after the ${timeoutSeconds} s time limit`;
  if (exit.signal) return `was killed by ${exit.signal}`;
  return `exited with code ${exit.code}`;
}

/**
 * Starts `node --import tsx script …args` in the repo root with stdout piped (the caller reads it) and stderr
 * prefixed; after timeoutSeconds it gets SIGTERM, then SIGKILL 5 s later, so no run can hang the benchmark.
 */
function startNode(name: string, nodeArgs: string[], root: string, timeoutSeconds: number) {
  // stdin stays an open pipe: the donor server exits when it closes, i.e. when the driver dies.
  const child = spawn(process.execPath, ['--import', 'tsx', ...nodeArgs], {
    cwd: root,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  live.add(child);
  prefixLines(child.stderr!, name);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
  }, timeoutSeconds * 1000);
  timer.unref();
  const exited = new Promise<Exit>((resolve) => {
    // 'close' comes after the child's stdio streams have ended, so no output line is lost.
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      live.delete(child);
      resolve({ code, signal, timedOut });
    });
    child.on('error', (error) => process.stderr.write(`[${name}] could not start: ${error.message}\n`));
  });
  return { child, exited };
}

export interface DonorServer {
  /** One origin per donor host, e.g. http://127.0.0.2:40123. */
  origins: string[];
  stop(): Promise<void>;
}

/** Starts tests/bench/links/donor-server.ts with `hosts` hosts and waits for its READY line. */
export async function startDonorServer(root: string, hosts: number): Promise<DonorServer> {
  const args = ['tests/bench/links/donor-server.ts', '--hosts', String(hosts), '--exit-on-stdin-close'];
  const { child, exited } = startNode('donors', args, root, 24 * 3600);
  const origins = await new Promise<string[]>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('Donor server: no READY line within 60 s')), 60_000);
    prefixLines(child.stdout!, 'donors', (line) => {
      if (!line.startsWith('READY ')) return false;
      clearTimeout(timer);
      resolve(JSON.parse(line.slice('READY '.length)) as string[]);
      return true;
    });
    void exited.then((exit) => {
      clearTimeout(timer);
      reject(
        new Error(`Donor server ${describeExit(exit, 0)} before it was ready; see [donors] lines above`),
      );
    });
  });
  return {
    origins,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Peak memory of the processes a runner started (Chromium), summed over processes; MB. */
export interface ChildMemory {
  rssMb: number;
  pssMb: number;
  processes: number;
}

const PAGE_BYTES = 4096;

/** Pids of every descendant of `root` (not root itself), read from /proc; empty where there is no /proc. */
function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return [];
  }
  for (const name of entries) {
    try {
      // The command name in parentheses may hold spaces: the parent pid is the second field after ")".
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      (children.get(ppid) ?? children.set(ppid, []).get(ppid)!).push(Number(name));
    } catch {
      // The process ended while we looked.
    }
  }
  const out: number[] = [];
  for (let queue = [root]; queue.length > 0;) {
    const pid = queue.pop()!;
    for (const child of children.get(pid) ?? []) {
      out.push(child);
      queue.push(child);
    }
  }
  return out;
}

/** RSS and PSS (shared pages divided among their users, so a sum over processes is fair) of some processes. */
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

/** Samples the memory of `pid`'s descendants every `everyMs` until stopped; returns the peaks (null: no /proc). */
function sampleDescendants(pid: number, everyMs: number): () => ChildMemory | null {
  let peak: ChildMemory | null = null;
  const sample = () => {
    const pids = descendants(pid);
    if (pids.length === 0) return;
    const now = memoryOf(pids);
    peak = {
      rssMb: Math.max(peak?.rssMb ?? 0, now.rssMb),
      pssMb: Math.max(peak?.pssMb ?? 0, now.pssMb),
      processes: Math.max(peak?.processes ?? 0, now.processes),
    };
  };
  const timer = setInterval(sample, everyMs);
  return () => {
    clearInterval(timer);
    return peak;
  };
}

export interface RunnerResult {
  checks: number;
  rendered: number;
  seconds: number;
  byOutcome: Record<string, number>;
  maxRssMb: number;
  browserLaunchSeconds: number | null;
  /** Checks whose outcome differs from what the donor page was built to produce. */
  wrong: number;
  wrongExamples: string[];
}

export type RunnerOutcome =
  { ok: true; result: RunnerResult; children: ChildMemory | null } | { ok: false; reason: string };

function parseResultLine(line: string): RunnerResult | null {
  try {
    const value = JSON.parse(line) as Record<string, unknown>;
    const numbers = ['checks', 'seconds', 'maxRssMb', 'wrong'].every((k) => typeof value[k] === 'number');
    return numbers && typeof value.byOutcome === 'object' ? (value as unknown as RunnerResult) : null;
  } catch {
    return null;
  }
}

/**
 * Runs tests/bench/links/runner.ts on a job file and reads its one-line JSON result; meanwhile samples the
 * memory of the processes it starts (Chromium). Other stdout goes to stderr with the runner's prefix.
 */
export async function runChecks(
  root: string,
  name: string,
  jobFile: string,
  timeoutSeconds: number,
  nodeFlags: string[] = [],
): Promise<RunnerOutcome> {
  const { child, exited } = startNode(
    name,
    [...nodeFlags, 'tests/bench/links/runner.ts', jobFile],
    root,
    timeoutSeconds,
  );
  child.stdin?.end();
  const stopSampling = child.pid === undefined ? () => null : sampleDescendants(child.pid, 250);
  let result: RunnerResult | null = null;
  prefixLines(child.stdout!, name, (line) => {
    const parsed = parseResultLine(line);
    if (parsed) result = parsed;
    return parsed !== null;
  });
  const exit = await exited;
  const children = stopSampling();
  if (exit.code !== 0 || exit.timedOut) {
    return { ok: false, reason: `${name} ${describeExit(exit, timeoutSeconds)}; see [${name}] lines above` };
  }
  if (!result) return { ok: false, reason: `${name} printed no JSON result line on stdout` };
  return { ok: true, result, children };
}
