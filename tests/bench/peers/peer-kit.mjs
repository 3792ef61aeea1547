// What the benchmark's peer runners share: their argv, loading a peer from .bench-peers, the one-line JSON result.
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const PEERS_DIR = fileURLToPath(new URL('../../../.bench-peers/node_modules/', import.meta.url));

/** `<startUrl> <maxPages>` from argv; exits 2 with a usage line when they are missing or wrong. */
export function parseRunnerArgs(tool) {
  const [startUrl, maxPagesText] = process.argv.slice(2);
  const maxPages = Number(maxPagesText);
  if (!startUrl || !/^https?:\/\//.test(startUrl) || !Number.isInteger(maxPages) || maxPages < 1) {
    console.error(`usage: node tests/bench/peers/${tool}.mjs <startUrl> <maxPages>`);
    process.exit(2);
  }
  return { startUrl, maxPages };
}

/**
 * Imports a package installed under .bench-peers (not one of the project's dependencies) through the ESM
 * entry its package.json names, so the peer is loaded as its users load it with `import`.
 */
export async function importPeer(name) {
  const dir = `${PEERS_DIR}${name}/`;
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(`${dir}package.json`, 'utf8'));
  } catch {
    throw new Error(`${name} is not installed in ${PEERS_DIR}: run npm run bench:crawl, which installs it`);
  }
  const root = typeof manifest.exports === 'string' ? manifest.exports : manifest.exports?.['.'];
  const entry =
    (typeof root === 'string' ? root : (root?.import ?? root?.default)) ?? manifest.module ?? manifest.main;
  return import(pathToFileURL(`${dir}${entry ?? 'index.js'}`).href);
}

/** Prints the runner's result: exactly one JSON line on stdout, which the driver parses. */
export function printResult({ tool, pages, requests, seconds }) {
  const maxRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  process.stdout.write(
    `${JSON.stringify({ tool, pages, requests, seconds: Math.round(seconds * 1000) / 1000, maxRssMb })}\n`,
  );
}
