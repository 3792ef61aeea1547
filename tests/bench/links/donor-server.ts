// Donor hosts for the backlink benchmark: one HTTP server per host on 127.0.0.2…, or on many ports of 127.0.0.1.
//
// Prints `READY <json>` with the hosts' origins once every server listens. Pages are rendered and gzipped at
// start, so serving costs the server almost nothing and the client is what gets measured.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { PARTNER_JS, SITE_CSS, SITE_JS } from './donor-assets.ts';
import { PAGES_PER_HOST, pagePath, renderDonorPage, variantOf } from './donor-pages.ts';

const ROBOTS_TXT = 'User-agent: *\nAllow: /\n';
const NOT_FOUND_HTML =
  '<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>Page not found</title></head>' +
  '<body><h1>Page not found</h1><p>The article may have been moved or deleted.</p></body></html>\n';
/** The smallest valid PNG; the browser check blocks images, the static check never asks for them. */
const PIXEL_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

interface Body {
  type: string;
  plain: Buffer;
  gzip: Buffer | null;
}

const body = (type: string, text: string | Buffer, compress = true): Body => {
  const plain = typeof text === 'string' ? Buffer.from(text) : text;
  return { type, plain, gzip: compress ? gzipSync(plain) : null };
};

const SHARED = new Map<string, Body>([
  ['/robots.txt', body('text/plain; charset=utf-8', ROBOTS_TXT, false)],
  ['/assets/site.css', body('text/css; charset=utf-8', SITE_CSS)],
  ['/assets/site.js', body('text/javascript; charset=utf-8', SITE_JS)],
  ['/assets/partner.js', body('text/javascript; charset=utf-8', PARTNER_JS)],
]);
const NOT_FOUND = body('text/html; charset=utf-8', NOT_FOUND_HTML);
const PNG = body('image/png', PIXEL_PNG, false);

function send(req: IncomingMessage, res: ServerResponse, status: number, content: Body): void {
  const gzip = content.gzip !== null && /\bgzip\b/.test(req.headers['accept-encoding'] ?? '');
  const bytes = gzip ? content.gzip! : content.plain;
  res.writeHead(status, {
    'Content-Type': content.type,
    'Content-Length': bytes.length,
    ...(gzip ? { 'Content-Encoding': 'gzip' } : {}),
    Vary: 'Accept-Encoding',
    // The pages link to other sites; a browser must not even resolve their names (the benchmark stays on loopback).
    'X-DNS-Prefetch-Control': 'off',
  });
  res.end(bytes);
}

/** One donor host: its pages, keyed by path; a not-found variant is simply absent. */
function createDonorServer(host: number): Server {
  let pages: Map<string, Body> | null = null;
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(req, res, 405, NOT_FOUND);
    if (path.startsWith('/img/')) return send(req, res, 200, PNG);
    const page = pages?.get(path) ?? SHARED.get(path);
    send(req, res, page ? 200 : 404, page ?? NOT_FOUND);
  });
  server.on('listening', () => {
    const { address, port } = server.address() as AddressInfo;
    const origin = `http://${address}:${port}`;
    pages = new Map();
    for (let page = 0; page < PAGES_PER_HOST; page++) {
      if (variantOf(host, page) === 'not-found') continue;
      pages.set(pagePath(host, page), body('text/html; charset=utf-8', renderDonorPage(host, page, origin)));
    }
  });
  // Pooled connections stay open for the whole run, so a busy client never reuses a socket being closed.
  server.keepAliveTimeout = 600_000;
  return server;
}

function listen(server: Server, port: number, address: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once('error', onError);
    server.listen(port, address, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

const closeAll = (servers: Server[]) =>
  Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));

/** Hosts 127.0.0.2 … 127.0.0.(hosts+1) on one port; null when the system has no such addresses (macOS). */
async function listenOnAddresses(hosts: number): Promise<string[] | null> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const servers: Server[] = [];
    let port = 0;
    try {
      for (let host = 0; host < hosts; host++) {
        const address = `127.0.0.${host + 2}`;
        const server = createDonorServer(host);
        servers.push(server);
        port = await listen(server, port, address);
      }
      return servers.map((_, host) => `http://127.0.0.${host + 2}:${port}`);
    } catch (error) {
      await closeAll(servers);
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EADDRNOTAVAIL' && servers.length === 1) return null;
      // Another program holds the port on one of the addresses: try another port.
      if (code !== 'EADDRINUSE') throw error;
    }
  }
  throw new Error(`donor-server: no free port on all of 127.0.0.2…127.0.0.${hosts + 1} after 5 tries`);
}

async function listenOnPorts(hosts: number): Promise<string[]> {
  const origins: string[] = [];
  for (let host = 0; host < hosts; host++) {
    origins.push(`http://127.0.0.1:${await listen(createDonorServer(host), 0, '127.0.0.1')}`);
  }
  return origins;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const at = argv.indexOf('--hosts');
  const hosts = at === -1 ? 200 : Number(argv[at + 1]);
  if (!Number.isInteger(hosts) || hosts < 1 || hosts > 250) {
    throw new Error(`donor-server: --hosts must be an integer from 1 to 250, got "${argv[at + 1] ?? ''}"`);
  }
  const origins = (await listenOnAddresses(hosts)) ?? (await listenOnPorts(hosts));
  // The benchmark driver passes this so the servers never outlive it, even if the driver is SIGKILLed.
  if (argv.includes('--exit-on-stdin-close')) process.stdin.on('close', () => process.exit(0)).resume();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(0));
  process.stdout.write(`READY ${JSON.stringify(origins)}\n`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
