import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { tempDir } from '../helpers.ts';
import { testDatabase } from './backend.ts';

/** `promowatch` in-process on the run's backend, with what the user would type at the password prompt. */
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
  const run = async (argv: string[], typed: string | null = null) => {
    const out: string[] = [];
    const err: string[] = [];
    const prompts: [string, boolean][] = [];
    const code = await main(argv, {
      env: { PROMOWATCH_CONFIG: config, ...db.env },
      out: (l) => out.push(l),
      err: (l) => err.push(l),
      stopSignal: new Promise(() => {}),
      isTTY: false,
      readSecret: async (prompt, fromStdin) => {
        prompts.push([prompt, fromStdin]);
        if (typed === null) throw new Error('no password expected');
        return typed;
      },
    });
    return { code, out: out.join('\n'), err: err.join('\n'), prompts };
  };
  return Object.assign(run, { db });
}

describe('promowatch users', () => {
  it('adds users with a role and sites, reading the password from stdin, and lists them', async () => {
    const run = await cli();
    const add = await run(
      ['users', 'add', 'Owner@Studio.example', '--role', 'admin', '--name', 'Мария', '--password-stdin'],
      'owner password 1',
    );
    expect(add).toMatchObject({ code: 0, out: 'Added owner@studio.example (admin).' });
    expect(add.prompts).toEqual([['New password for Owner@Studio.example: ', true]]);
    expect(
      (
        await run(
          ['users', 'add', 'client@bakery.example', '--role', 'viewer', '--site', 'bakery', '--lang', 'ru'],
          'client password 1',
        )
      ).code,
    ).toBe(0);
    const list = await run(['users', 'list', '--json']);
    expect(JSON.parse(list.out)).toEqual([
      expect.objectContaining({
        email: 'client@bakery.example',
        role: 'viewer',
        sites: ['bakery'],
        language: 'ru',
        totp: false,
      }),
      expect.objectContaining({ email: 'owner@studio.example', role: 'admin', sites: null, name: 'Мария' }),
    ]);
    expect((await run(['users', 'list'])).out).toMatch(/^client@bakery\.example\s+viewer\s+bakery$/m);
    expect(await run.db.contains('owner@studio.example')).toBe(true); // the search finds what is stored
    expect(await run.db.contains('owner password 1')).toBe(false);
  });

  it('refuses a short password, an unknown role or site, a viewer without sites, and a repeated e-mail', async () => {
    const run = await cli();
    expect(await run(['users', 'add', 'a@b.example', '--role', 'admin'], 'short-pass')).toMatchObject({
      code: 2,
      err: expect.stringContaining('shorter than 12 characters'),
    });
    expect(await run(['users', 'add', 'a@b.example', '--role', 'owner'])).toMatchObject({
      code: 2,
      err: expect.stringContaining('--role must be one of admin, editor, viewer, got "owner"'),
    });
    expect(await run(['users', 'add', 'a@b.example', '--role', 'viewer'])).toMatchObject({
      code: 2,
      err: expect.stringContaining('pass --site NAME'),
    });
    expect(await run(['users', 'add', 'a@b.example', '--role', 'viewer', '--site', 'cafe'])).toMatchObject({
      code: 2,
      err: expect.stringContaining('No site "cafe"'),
    });
    expect((await run(['users', 'add', 'a@b.example', '--role', 'admin'], 'long enough password')).code).toBe(
      0,
    );
    expect(await run(['users', 'add', 'A@B.example', '--role', 'admin'])).toMatchObject({
      code: 2,
      err: expect.stringContaining('a user A@B.example already exists'),
    });
    expect(await run(['users', 'remove', 'nobody@b.example'])).toMatchObject({
      code: 2,
      err: expect.stringContaining('no user nobody@b.example'),
    });
  });

  it('has no way to take a password from the command line', async () => {
    const run = await cli();
    expect(
      (await run(['users', 'add', 'a@b.example', '--role', 'admin', '--password', 'long enough password']))
        .code,
    ).toBe(2);
  });

  it('changes role and sites, a password, and removes users, but never the last admin', async () => {
    const run = await cli();
    await run(['users', 'add', 'owner@studio.example', '--role', 'admin'], 'owner password 1');
    await run(
      ['users', 'add', 'anna@studio.example', '--role', 'editor', '--site', 'studio'],
      'anna password 12',
    );
    expect(await run(['users', 'role', 'owner@studio.example', 'viewer', '--site', 'studio'])).toMatchObject({
      code: 1,
      err: 'promowatch users role: this is the last active admin: make another user admin first',
    });
    expect(
      await run(['users', 'role', 'anna@studio.example', 'viewer', '--site', 'studio', '--site', 'bakery']),
    ).toMatchObject({
      code: 0,
      out: 'anna@studio.example is now a viewer.',
    });
    expect(JSON.parse((await run(['users', 'list', '--json'])).out)[0]).toMatchObject({
      sites: ['studio', 'bakery'],
    });
    expect((await run(['users', 'passwd', 'anna@studio.example'], 'a new password 1')).out).toBe(
      'New password set for anna@studio.example.',
    );
    expect((await run(['users', 'remove', 'owner@studio.example'])).code).toBe(1);
    expect((await run(['users', 'remove', 'anna@studio.example'])).out).toMatch(
      /^Removed anna@studio\.example/,
    );
    expect(JSON.parse((await run(['users', 'list', '--json'])).out)).toHaveLength(1);
  });
});
