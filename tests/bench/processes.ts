// Child processes of the crawl benchmark: stderr streamed with a name prefix, the site server, the runners.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

/** Every child still running, so the driver can end them on exit, on an error and on Ctrl-C. */
const live = new Set<ChildProcess>();

export function stopAllChildren(): void {
  for (const child of live) child.kill('SIGTERM');
}

/** Copies a child's output to our stderr line by line, each line prefixed with the child's name. */
function prefixLines(stream: Readable, name: string, onLine?: (line: string) => boolean): void {
  createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
    if (onLine?.(line)) return;
    process.stderr.write(`[${name}] ${line}\n`);
  });
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  seconds: number;
}

function describeExit(exit: Exit, timeoutSeconds: number): string {
  if (exit.timedOut) return `was stopped after the ${timeoutSeconds} s time limit`;
  if (exit.signal) return `was killed by ${exit.signal}`;
  return `exited with code ${exit.code}`;
}

interface Started {
  child: ChildProcess;
  exited: Promise<Exit>;
}

/**
 * Starts a child in the repo root with stdout piped (the caller reads it) and stderr prefixed; after
 * timeoutSeconds it gets SIGTERM, then SIGKILL 5 s later, so no run can hang the benchmark.
 */
function start(name: string, command: string, args: string[], cwd: string, timeoutSeconds: number): Started {
  const startedAt = performance.now();
  // stdin stays an open pipe: the site server exits when it closes, i.e. when the driver dies.
  const child = spawn(command, args, { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
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
      resolve({ code, signal, timedOut, seconds: (performance.now() - startedAt) / 1000 });
    });
    child.on('error', (error) => {
      process.stderr.write(`[${name}] could not start ${command}: ${error.message}\n`);
    });
  });
  return { child, exited };
}

export interface SiteServer {
  url: string;
  stop(): Promise<void>;
}

/** Starts tests/bench/site-server.ts with `pages` pages and waits for its READY line. */
export async function startSiteServer(root: string, pages: number): Promise<SiteServer> {
  const args = [
    '--import',
    'tsx',
    'tests/bench/site-server.ts',
    '--pages',
    String(pages),
    '--exit-on-stdin-close',
  ];
  const { child, exited } = start('site', process.execPath, args, root, 24 * 3600);
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('Site server: no READY line within 30 s')), 30_000);
    prefixLines(child.stdout!, 'site', (line) => {
      const ready = /^READY (http:\/\/127\.0\.0\.1:\d+\/)$/.exec(line);
      if (!ready?.[1]) return false;
      clearTimeout(timer);
      resolve(ready[1]);
      return true;
    });
    void exited.then((exit) => {
      clearTimeout(timer);
      reject(new Error(`Site server ${describeExit(exit, 0)} before it was ready; see [site] lines above`));
    });
  });
  return {
    url,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export interface RunnerResult {
  tool: string;
  pages: number;
  requests: number;
  seconds: number;
  maxRssMb: number;
}

export type RunnerOutcome = { ok: true; result: RunnerResult } | { ok: false; reason: string };

function parseResultLine(line: string): RunnerResult | null {
  try {
    const value: unknown = JSON.parse(line);
    if (typeof value !== 'object' || value === null) return null;
    const record = value as Record<string, unknown>;
    const numbers = ['pages', 'requests', 'seconds', 'maxRssMb'].every(
      (key) => typeof record[key] === 'number',
    );
    if (typeof record.tool !== 'string' || !numbers) return null;
    return value as RunnerResult;
  } catch {
    return null;
  }
}

/**
 * Runs one crawler runner to the end and reads its one-line JSON result (extra fields are allowed and
 * ignored); any other stdout goes to stderr with the tool's prefix.
 */
export async function runRunner(
  root: string,
  tool: string,
  command: string[],
  timeoutSeconds: number,
): Promise<RunnerOutcome> {
  const [program, ...args] = command;
  if (!program) throw new Error(`runner for ${tool}: empty command`);
  const { child, exited } = start(tool, program, args, root, timeoutSeconds);
  child.stdin?.end();
  let result: RunnerResult | null = null;
  prefixLines(child.stdout!, tool, (line) => {
    const parsed = parseResultLine(line);
    if (parsed) result = parsed;
    return parsed !== null;
  });
  const exit = await exited;
  if (exit.code !== 0 || exit.timedOut) {
    return { ok: false, reason: `${tool} ${describeExit(exit, timeoutSeconds)}; see [${tool}] lines above` };
  }
  if (!result) return { ok: false, reason: `${tool} printed no JSON result line on stdout` };
  return { ok: true, result };
}

/** Runs a command to the end with both output streams prefixed; resolves with its exit. */
export async function runStreamed(
  root: string,
  name: string,
  command: string,
  args: string[],
): Promise<Exit> {
  const { child, exited } = start(name, command, args, root, 30 * 60);
  child.stdin?.end();
  prefixLines(child.stdout!, name);
  return exited;
}
