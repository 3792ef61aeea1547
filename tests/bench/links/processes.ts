// Child processes of the backlink benchmark: the donor servers, the check runners, and the RSS of a runner's Chromium.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { sampleChromiumMemory, type ChildMemory } from './proc.ts';

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

export interface RunnerResult {
  checks: number;
  rendered: number;
  seconds: number;
  /** CPU time (user + system) of the runner during the check. */
  cpuSeconds: number;
  /** CPU time of its Chromium processes during the check; null without a browser or /proc. */
  chromiumCpuSeconds: number | null;
  byOutcome: Record<string, number>;
  maxRssMb: number;
  browserLaunchSeconds: number | null;
  /** The Chromium binary and its version; null without a browser. */
  chromium: string | null;
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
  const stopSampling = child.pid === undefined ? () => null : sampleChromiumMemory(child.pid, 250);
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
