// The Dockerfile, compose.yaml and the systemd unit cannot be built or started here (no Docker daemon,
// no systemd): this checks that what they name exists — CLI commands, files, the port, the paths.
import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/main.ts';
import { testConfig } from '../helpers.ts';

const read = (f: string) => readFileSync(new URL(`../../${f}`, import.meta.url), 'utf8');
const exists = (f: string) => existsSync(new URL(`../../${f}`, import.meta.url));
const COMMAND_NAMES = COMMANDS.map((c) => c.name);
const DEFAULT_PORT = testConfig().web.port;

/** Dockerfile instructions, continuation lines joined, comments left out. */
function instructions(text: string): [string, string][] {
  return text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const i = l.indexOf(' ');
      return [l.slice(0, i).toUpperCase(), l.slice(i + 1).trim()];
    });
}

describe('Dockerfile', () => {
  const steps = instructions(read('Dockerfile'));
  const all = (op: string) => steps.filter(([o]) => o === op).map(([, a]) => a);

  it('builds on node:20-bookworm-slim with Debian chromium-headless-shell and runs as a user, not root', () => {
    expect(all('FROM').every((f) => f.startsWith('node:20-bookworm-slim'))).toBe(true);
    const runs = all('RUN').join('\n');
    expect(runs).toMatch(/apt-get install -y --no-install-recommends chromium-headless-shell/);
    expect(runs).toMatch(/npm ci --omit=dev/);
    const user = all('USER').at(-1);
    expect(user).toBe('promowatch');
    expect(runs).toContain(`useradd --system --home-dir /data`);
  });

  it('keeps the runtime needs in dependencies, since dev dependencies are left out', () => {
    const pkg = JSON.parse(read('package.json')) as { dependencies: Record<string, string> };
    expect(read('src/cli/bin.mjs')).toContain("from 'tsx/esm/api'");
    expect(Object.keys(pkg.dependencies)).toEqual(
      expect.arrayContaining(['tsx', 'better-sqlite3', 'playwright-core']),
    );
  });

  it('copies what exists, serves on the default port, checks /healthz, and runs real commands', () => {
    for (const copy of all('COPY').filter((c) => !c.startsWith('--from')))
      for (const src of copy.split(/\s+/).slice(0, -1)) expect([src, exists(src)]).toEqual([src, true]);
    expect(all('EXPOSE')).toEqual([String(DEFAULT_PORT)]);
    expect(all('VOLUME')).toEqual(['/data']);
    const env = all('ENV').join(' ');
    expect(env).toContain('PROMOWATCH_DB=/data/promowatch.db');
    expect(env).toContain(`PROMOWATCH_PORT=${DEFAULT_PORT}`);
    expect(env).toContain('PROMOWATCH_CHROMIUM=/usr/bin/chromium-headless-shell');
    expect(all('HEALTHCHECK').join('')).toContain(`http://127.0.0.1:${DEFAULT_PORT}/healthz`);
    const entry = JSON.parse(all('ENTRYPOINT')[0]!) as string[];
    expect(exists(entry.at(-1)!)).toBe(true);
    const cmd = JSON.parse(all('CMD').at(-1)!) as string[];
    expect(COMMAND_NAMES).toContain(cmd[0]);
  });
});

describe('compose.yaml', () => {
  const compose = parse(read('compose.yaml'), { merge: true }) as {
    services: Record<
      string,
      { command?: string[]; image?: string; ports?: string[]; healthcheck?: unknown; volumes?: string[] }
    >;
    volumes: Record<string, unknown>;
  };

  it('runs only commands the CLI has, each on a port it publishes', () => {
    for (const [name, s] of Object.entries(compose.services)) {
      if (!s.command) continue;
      expect([name, COMMAND_NAMES.includes(s.command[0]!)]).toEqual([name, true]);
      // A worker serves nothing: it publishes no port.
      if (s.command[0] === 'worker') {
        expect([name, s.ports]).toEqual([name, undefined]);
        continue;
      }
      const port = s.command.includes('--port')
        ? s.command[s.command.indexOf('--port') + 1]
        : String(DEFAULT_PORT);
      expect([name, s.ports]).toEqual([name, [`127.0.0.1:${port}:${port}`]]);
    }
    expect(compose.services.app!.command).toEqual(['start']);
    expect(compose.services.web!.command?.[0]).toBe('serve');
    expect(compose.services.worker!.command?.[0]).toBe('worker');
  });

  it('has PostgreSQL 15 with a volume and a health check, and named volumes for both stores', () => {
    const pg = compose.services.postgres!;
    expect(pg.image).toBe('postgres:15');
    expect(pg.healthcheck).toBeDefined();
    expect(pg.volumes).toEqual(['postgres-data:/var/lib/postgresql/data']);
    expect(Object.keys(compose.volumes).sort()).toEqual(['postgres-data', 'promowatch-data']);
    expect(compose.services.app!.volumes).toContain('promowatch-data:/data');
  });
});

describe('deploy/promowatch.service', () => {
  const unit = read('deploy/promowatch.service');
  const keys = new Map<string, string[]>();
  for (const line of unit.split('\n')) {
    const m = /^([A-Za-z]+)=(.*)$/.exec(line);
    if (m) keys.set(m[1]!, [...(keys.get(m[1]!) ?? []), m[2]!]);
  }
  const one = (k: string) => keys.get(k)?.[0];

  it('starts a real command of the CLI as the promowatch user', () => {
    const exec = one('ExecStart')!.split(' ');
    expect(exec[1]).toBe('/opt/promowatch/src/cli/bin.mjs');
    expect(exists('src/cli/bin.mjs')).toBe(true);
    expect(COMMAND_NAMES).toContain(exec[2]);
    expect(one('User')).toBe('promowatch');
    expect(one('Restart')).toBe('on-failure');
    expect(one('EnvironmentFile')).toMatch(/^\/etc\/promowatch\//);
  });

  it('is hardened, and the database lies inside the one writable path', () => {
    expect(one('NoNewPrivileges')).toBe('true');
    expect(one('ProtectSystem')).toBe('strict');
    expect(one('PrivateTmp')).toBe('true');
    const writable = one('ReadWritePaths')!;
    expect(writable).toBe('/var/lib/promowatch');
    const db = keys
      .get('Environment')!
      .find((e) => e.startsWith('PROMOWATCH_DB='))!
      .split('=')[1]!;
    expect(db.startsWith(`${writable}/`)).toBe(true);
  });
});
