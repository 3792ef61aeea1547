// Writes from the command line land in the audit log as "cli", with their target; passwords never do.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listAudit } from '../../src/audit-log/store.ts';
import { main } from '../../src/cli/main.ts';
import { tempDir } from '../helpers.ts';
import { testDatabase, type CliDatabase } from '../cli/backend.ts';

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
    const code = await main(argv, {
      env: { PROMOWATCH_CONFIG: config, ...db.env },
      out: (l) => out.push(l),
      err: (l) => err.push(l),
      stopSignal: new Promise(() => {}),
      isTTY: false,
      readSecret: async () => typed ?? '',
    });
    expect(err.join('\n')).toBe('');
    return code;
  };
  return Object.assign(run, { db });
}

async function logOf(db: CliDatabase) {
  return (await listAudit(await db.sql(), {}, { limit: 100, offset: 0 })).rows.reverse();
}

describe('the audit log of command-line writes', () => {
  it('records users, links and competitors changed from the CLI as "cli", never a password', async () => {
    const run = await cli();
    const secret = 'bakery-client-pass-77';
    expect(
      await run(
        ['users', 'add', 'client@bakery.example', '--role', 'viewer', '--site', 'bakery', '--password-stdin'],
        secret,
      ),
    ).toBe(0);
    expect(await run(['users', 'passwd', 'client@bakery.example', '--password-stdin'], `${secret}-new`)).toBe(
      0,
    );
    expect(await run(['users', 'role', 'client@bakery.example', 'editor', '--site', 'bakery'])).toBe(0);
    expect(
      await run([
        'links',
        'add',
        '--site',
        'bakery',
        '--donor',
        'https://blog.example/bread',
        '--price',
        '1500',
      ]),
    ).toBe(0);
    expect(await run(['links', 'archive', '1', '--site', 'bakery'])).toBe(0);
    expect(await run(['keywords', 'add-competitor', 'rival.example', '--site', 'studio'])).toBe(0);
    expect(await run(['users', 'list'])).toBe(0); // a read: not logged

    const rows = await logOf(run.db);
    expect(rows.map((r) => [r.actor, r.action, r.siteId, r.targetType, r.targetId])).toEqual([
      ['cli', 'user.add', null, 'user', '1'],
      ['cli', 'user.password', null, 'user', '1'],
      ['cli', 'user.role', null, 'user', '1'],
      ['cli', 'backlink.add', 2, 'backlink', '1'],
      ['cli', 'backlink.archive', 2, 'backlink', '1'],
      ['cli', 'competitor.add', 1, 'competitor', null],
    ]);
    expect(rows[0]!.details).toEqual({ email: 'client@bakery.example', role: 'viewer', sites: ['bakery'] });
    expect(await run.db.contains('client@bakery.example')).toBe(true); // the search finds what is stored
    expect(await run.db.contains(secret)).toBe(false);
  });
});
