// `promowatch keys add|list|revoke`: a key printed once, listed without its secret, revoked.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { tempDir } from '../helpers.ts';
import { testDatabase } from '../cli/backend.ts';

async function cli() {
  const dir = tempDir();
  const config = join(dir, 'promowatch.config.json');
  writeFileSync(
    config,
    JSON.stringify({
      sites: ['studio', 'bakery'].map((name) => ({
        name,
        baseUrl: `https://${name}.example/`,
        timeZone: 'Europe/Moscow',
      })),
    }),
  );
  const db = await testDatabase();
  return async (argv: string[], typed: string | null = null) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(argv, {
      env: { PROMOWATCH_CONFIG: config, ...db.env },
      out: (l) => out.push(l),
      err: (l) => err.push(l),
      stopSignal: new Promise(() => {}),
      isTTY: false,
      readSecret: async () => typed ?? '',
    });
    return { code, out: out.join('\n'), err: err.join('\n') };
  };
}

describe('promowatch keys', () => {
  it('prints a new key once, lists it by prefix only, and revokes it', async () => {
    const run = await cli();
    await run(
      ['users', 'add', 'client@bakery.example', '--role', 'viewer', '--site', 'bakery', '--password-stdin'],
      'client password 1',
    );
    const add = await run([
      'keys',
      'add',
      'client@bakery.example',
      '--scope',
      'read',
      '--name',
      'Looker',
      '--days',
      '30',
    ]);
    expect(add.code).toBe(0);
    expect(add.out).toMatch(/^pw_[A-Za-z0-9_-]{43}$/);
    const list = await run(['keys', 'list', '--json']);
    const [key] = JSON.parse(list.out);
    expect(key).toMatchObject({
      id: 1,
      user: 'client@bakery.example',
      name: 'Looker',
      scope: 'read',
      sites: null,
      revokedAt: null,
    });
    expect(key.prefix).toBe(add.out.slice(0, 9));
    expect(list.out).not.toContain(add.out.slice(9));
    expect(key.expiresAt).toEqual(expect.any(String));
    expect((await run(['keys', 'revoke', '1'])).out).toBe('Key #1 revoked.');
    expect(JSON.parse((await run(['keys', 'list', '--json'])).out)[0].revokedAt).toEqual(expect.any(String));
  });

  it("refuses a key for a site beyond the user's, and a scope it does not know", async () => {
    const run = await cli();
    await run(
      ['users', 'add', 'client@bakery.example', '--role', 'viewer', '--site', 'bakery', '--password-stdin'],
      'client password 1',
    );
    const beyond = await run(['keys', 'add', 'client@bakery.example', '--scope', 'read', '--site', 'studio']);
    expect(beyond.code).toBe(1);
    expect(beyond.err).toContain('has no access to site');
    const scope = await run(['keys', 'add', 'client@bakery.example', '--scope', 'admin']);
    expect(scope.code).toBe(2);
  });
});
