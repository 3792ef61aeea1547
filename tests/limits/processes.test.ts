// Limits hold across processes, as they must across machines (issue 17 point 3): three worker processes
// (tests/limits/worker.ts) share one PostgreSQL database and nothing else. A local server stands in for
// five hosts (told apart by the first path segment) and records, per host, the most requests it had at
// once and the smallest gap between two requests' starts. A start is the moment the worker sent the
// request, which it stamps in a header: on a machine shared by many busy processes, when a request
// *arrives* also depends on when the kernel lets the sender and this server run — tens of
// milliseconds here, nothing a limiter can help — so arrival gaps are printed, not asserted.
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/db/store/open.ts';
import { pgAvailable } from '../pg/server.ts';
import { pgServer, stopPgServer } from '../pg/backends.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const HOSTS = ['alpha', 'bravo', 'charlie', 'delta', 'echo'];
const WORKERS = 3;
const PER_WORKER = 60;
const CONCURRENCY = 2;
const MIN_GAP_MS = 50;
/**
 * Starts are stamped and recorded on one clock (this machine's), and withSlot records a start only
 * after the request went out: the gap holds exactly. Machines whose clocks differ would need their
 * difference here (NTP keeps it to a few milliseconds).
 */
const TOLERANCE_MS = 0;

afterAll(stopPgServer);

interface HostRecord {
  inFlight: number;
  maxInFlight: number;
  /** When each request was sent (the worker's stamp) and when it arrived (performance.now()). */
  starts: number[];
  arrivals: number[];
  served: number;
}

/** The smallest difference between two of `times`. */
function smallestGap(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  return Math.min(...sorted.slice(1).map((v, i) => v - sorted[i]!));
}

/** The five "hosts": each request answers after 20–60 ms, as a slowish page does. */
function startHosts(): Promise<{
  server: Server;
  origin: string;
  record: Map<string, HostRecord>;
  paths: Set<string>;
}> {
  const record = new Map(
    HOSTS.map((h) => [h, { inFlight: 0, maxInFlight: 0, starts: [], arrivals: [], served: 0 } as HostRecord]),
  );
  const paths = new Set<string>();
  const server = createServer((req, res) => {
    const arrived = performance.now();
    const host = record.get(req.url!.split('/')[1]!);
    if (!host) {
      res.writeHead(404).end();
      return;
    }
    host.starts.push(Number(req.headers['x-started-at']));
    host.arrivals.push(arrived);
    host.inFlight += 1;
    host.maxInFlight = Math.max(host.maxInFlight, host.inFlight);
    paths.add(req.url!);
    setTimeout(
      () => {
        host.inFlight -= 1;
        host.served += 1;
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      },
      20 + Math.random() * 40,
    );
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({ server, origin: `http://127.0.0.1:${port}`, record, paths });
    }),
  );
}

/** Runs tests/limits/worker.ts and resolves with the JSON line it prints; rejects on a failure exit. */
function worker(args: string[]): Promise<Record<string, number>> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'tests/limits/worker.ts', ...args], {
    cwd: ROOT,
    timeout: 120_000,
  });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  return new Promise((resolve, reject) =>
    child.on('close', (code, signal) =>
      code === 0
        ? resolve(JSON.parse(out.trim().split('\n').at(-1)!) as Record<string, number>)
        : reject(new Error(`worker ${args[1]} ended with ${code ?? signal}: ${err}`)),
    ),
  );
}

describe.runIf(pgAvailable())('limits across three worker processes on PostgreSQL', () => {
  let url: string;
  let dir: string;
  beforeAll(async () => {
    url = await (await pgServer()).createDatabase();
    // Migrated once here, so the workers do not all start by waiting on the migration lock.
    await (await openStore({ kind: 'postgres', url })).close();
    dir = mkdtempSync(join(tmpdir(), 'promowatch-limits-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(`keep ≤ ${CONCURRENCY} requests at once and ≥ ${MIN_GAP_MS} ms between starts on each host`, async () => {
    const hosts = await startHosts();
    try {
      const files = Array.from({ length: WORKERS }, (_, w) => {
        // 60 URLs each, 12 per host, interleaved so every worker presses on every host at once.
        const urls = Array.from(
          { length: PER_WORKER },
          (_, i) => `${hosts.origin}/${HOSTS[i % HOSTS.length]}/w${w}/page-${i}`,
        );
        const file = join(dir, `urls-${w}.json`);
        writeFileSync(file, JSON.stringify(urls));
        return file;
      });
      const results = await Promise.all(
        files.map((f) => worker([url, 'fetch', f, String(CONCURRENCY), String(MIN_GAP_MS)])),
      );
      expect(results).toEqual(Array.from({ length: WORKERS }, () => ({ served: PER_WORKER })));
      expect(hosts.paths.size).toBe(WORKERS * PER_WORKER);
      console.log(
        'Per host: most at once, smallest gap between starts, and between arrivals (not asserted):',
        [...hosts.record]
          .map(
            ([n, h]) =>
              `${n} ${h.maxInFlight}, ${smallestGap(h.starts)} ms, ${smallestGap(h.arrivals).toFixed(1)} ms`,
          )
          .join('; '),
      );
      for (const [name, host] of hosts.record) {
        expect(host.served, `requests served by ${name}`).toBe((WORKERS * PER_WORKER) / HOSTS.length);
        expect(host.maxInFlight, `most requests at once on ${name}`).toBeLessThanOrEqual(CONCURRENCY);
        expect(smallestGap(host.starts), `smallest gap between starts on ${name}`).toBeGreaterThanOrEqual(
          MIN_GAP_MS - TOLERANCE_MS,
        );
      }
    } finally {
      await new Promise((r) => hosts.server.close(r));
    }
  }, 120_000);

  it('grant exactly the quota when three processes race to reserve past it', async () => {
    const results = await Promise.all(
      Array.from({ length: WORKERS }, () => worker([url, 'quota', '40', '50'])),
    );
    expect(results.reduce((sum, r) => sum + r.granted!, 0)).toBe(50);
    const sql = await openStore({ kind: 'postgres', url });
    try {
      expect(await sql.get(`SELECT requests FROM rank_provider_usage WHERE provider = 'race-api'`)).toEqual({
        requests: 50,
      });
    } finally {
      await sql.close();
    }
  }, 120_000);
});
