// Worker processes for the multi-process tests: started with their output collected, killed with
// SIGKILL after each test if still running (a test that kills one on purpose does so itself).
import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach } from 'vitest';

export interface Proc {
  child: ChildProcess;
  /** Everything it wrote so far, stdout and stderr together. */
  log: () => string;
  exited: Promise<number | null>;
}

const children: ChildProcess[] = [];

afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

/** `node ARGS…` with this environment. */
export function startProcess(args: readonly string[], env: NodeJS.ProcessEnv): Proc {
  const child = spawn(process.execPath, [...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let log = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (log += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (log += d));
  const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
  return { child, log: () => log, exited };
}

/** Polls `cond` until it holds; past `ms`, fails naming `what` with the end of the processes' logs. */
export async function waitFor(
  what: string,
  cond: () => boolean | Promise<boolean>,
  ms: number,
  logs: () => string,
  stepMs = 50,
): Promise<void> {
  const until = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}\n${logs().slice(-4000)}`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}
