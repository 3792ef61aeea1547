// Donor hosts for `npm run bench:scale`: one HTTP server per host on 127.0.0.2…, each page (and robots.txt)
// answering after a random 100–300 ms, as real donor pages across the internet do — so the workload is
// network-bound and what the benchmark measures is how much waiting the queue's workers overlap.
//
// Usage: donor-world.ts --hosts N --pages P [--min-ms 100] [--max-ms 300]. Prints `READY <json>` with the
// origins once every server listens; exits when its stdin closes (the driver died) or on SIGTERM.
// Pages come from tests/bench/links/donor-pages.ts (same variants and expected outcomes as bench:links).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pagePath, renderDonorPage, variantOf } from '../links/donor-pages.ts';

const ROBOTS_TXT = 'User-agent: *\nAllow: /\n';
const NOT_FOUND_HTML =
  '<!doctype html><html><head><title>Page not found</title></head><body>Not found</body></html>';

function option(argv: string[], name: string, fallback: number, min: number, max: number): number {
  const at = argv.indexOf(name);
  const value = at === -1 ? fallback : Number(argv[at + 1]);
  if (!Number.isInteger(value) || value < min || value > max)
    throw new Error(
      `donor-world: ${name} must be an integer from ${min} to ${max}, got "${argv[at + 1] ?? ''}"`,
    );
  return value;
}

function createHost(host: number, pages: number, latency: () => number): Server {
  let bodies: Map<string, string> | null = null;
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const page = path === '/robots.txt' ? ROBOTS_TXT : bodies?.get(path);
    // The wait is the whole point: a page on the internet takes this long to come back.
    setTimeout(() => {
      res.writeHead(page === undefined ? 404 : 200, {
        'Content-Type': path === '/robots.txt' ? 'text/plain; charset=utf-8' : 'text/html; charset=utf-8',
      });
      res.end(page ?? NOT_FOUND_HTML);
    }, latency());
  });
  server.on('listening', () => {
    const { address, port } = server.address() as AddressInfo;
    bodies = new Map();
    for (let page = 0; page < pages; page++) {
      if (variantOf(host, page) === 'not-found') continue;
      bodies.set(pagePath(host, page), renderDonorPage(host, page, `http://${address}:${port}`));
    }
  });
  server.keepAliveTimeout = 600_000;
  return server;
}

function listen(server: Server, port: number, address: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, address, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  // 127.0.0.2 … 127.0.0.251: one address per host, so per-host limits key by a real host name.
  const hosts = option(argv, '--hosts', 200, 1, 250);
  const pages = option(argv, '--pages', 20, 1, 1000);
  const minMs = option(argv, '--min-ms', 100, 0, 60_000);
  const maxMs = option(argv, '--max-ms', 300, minMs, 60_000);
  const latency = () => minMs + Math.floor(Math.random() * (maxMs - minMs + 1));
  for (let attempt = 0; ; attempt++) {
    const servers: Server[] = [];
    let port = 0;
    try {
      for (let host = 0; host < hosts; host++) {
        const server = createHost(host, pages, latency);
        servers.push(server);
        port = await listen(server, port, `127.0.0.${host + 2}`);
      }
      process.stdin.on('close', () => process.exit(0)).resume();
      for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(0));
      process.stdout.write(
        `READY ${JSON.stringify(servers.map((_, h) => `http://127.0.0.${h + 2}:${port}`))}\n`,
      );
      return;
    } catch (error) {
      await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
      // Another program holds the port on one of the addresses: try another port.
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= 4) throw error;
    }
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
