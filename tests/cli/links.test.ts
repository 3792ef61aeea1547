// `promowatch links`: importing is all or nothing, adding and listing from the command line.
import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers.ts';

const BIN = fileURLToPath(new URL('../../src/cli/bin.mjs', import.meta.url));

function setup() {
  const dir = tempDir();
  writeFileSync(
    join(dir, 'promowatch.config.json'),
    JSON.stringify({ sites: [{ name: 'studio', baseUrl: 'https://studio.example/' }] }),
  );
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, [BIN, 'links', ...args], {
      cwd: dir,
      env: { PATH: process.env.PATH! },
      encoding: 'utf8',
      timeout: 30_000,
    });
  const count = () =>
    new BetterSqlite3(join(dir, 'data', 'promowatch.db'), { readonly: true })
      .prepare('SELECT COUNT(*) FROM backlinks')
      .pluck()
      .get();
  return { dir, cli, count };
}

describe('promowatch links', () => {
  it('refuses a whole import for one bad row, naming its line, and imports the corrected file', () => {
    const { dir, cli, count } = setup();
    const file = join(dir, 'links.csv');
    writeFileSync(
      file,
      'donor_url,price,currency\nhttps://a.example/post,1500,RUB\nnot-a-url,100,RUB\nhttps://b.example/post,200,XYZ\n',
    );
    const bad = cli('import', file);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/line 3: .*not-a-url/);
    expect(bad.stderr).toMatch(/line 4: .*XYZ/);
    expect(bad.stderr).toContain('Nothing imported');
    expect(count()).toBe(0);
    writeFileSync(
      file,
      'donor_url,price,currency\nhttps://a.example/post,1500,RUB\nhttps://a.example/post,1500,RUB\n',
    );
    const good = cli('import', file);
    expect(good.status).toBe(0);
    expect(good.stdout).toContain('Imported 1 link(s)');
    expect(good.stderr).toMatch(/line 3: skipped duplicate/);
    expect(count()).toBe(1);
    // Importing it again doubles nothing.
    expect(cli('import', file).stdout).toContain('Imported 0 link(s)');
    expect(count()).toBe(1);
  });

  it("imports a Semrush export with the tool's flags, lists them beside our state, and updates them on re-import", () => {
    const { dir, cli } = setup();
    const file = join(dir, 'semrush.csv');
    copyFileSync(new URL('../fixtures/imports/semrush-backlinks.csv', import.meta.url), file);
    const first = cli('import', file);
    expect(first.stdout).toContain(
      `Imported 5 link(s) from ${file} (semrush format); Semrush state stored for 5 link(s)`,
    );
    const list = cli('list').stdout.split('\n');
    expect(list).toContain(
      '#4 unchecked    G:? Y:? https://old-catalog.example/podryadchiki → https://studio.example/  [Semrush: lost (last seen 2026-03-02)]',
    );
    expect(list).toContain(
      '#5 unchecked    G:? Y:? https://forum.example/t/77 → https://studio.example/uslugi  [Semrush: nofollow, ugc (seen 2026-05-19)]',
    );
    const rows = JSON.parse(cli('list', '--json').stdout) as { donorUrl: string }[];
    expect(rows.find((l) => l.donorUrl === 'https://top-interior.example/rating/')).toMatchObject({
      status: 'unchecked',
      toolStates: [{ tool: 'semrush', lost: false, nofollow: false, lastSeen: '2026-05-20' }],
    });
    const header = readFileSync(file, 'utf8').split('\n')[0];
    writeFileSync(
      file,
      `${header}\n34,Рейтинг,https://top-interior.example/rating/,https://studio.example/,Студия,41,120,true,false,false,true,false,false,false,false,2026-01-14,2026-06-01,false,false\n`,
    );
    const again = cli('import', file);
    expect(again.stdout).toContain('Imported 0 link(s)');
    expect(again.stdout).toContain('Semrush state stored for 1 link(s)');
    expect(cli('list').stdout).toContain(
      '#1 unchecked    G:? Y:? https://top-interior.example/rating/ → https://studio.example/  [Semrush: nofollow (seen 2026-06-01)]',
    );
    writeFileSync(
      file,
      `${header}\n34,Рейтинг,https://top-interior.example/rating/,https://studio.example/,Студия,41,120,maybe,false,false,true,false,false,false,false,2026-01-14,2026-06-08,false,false\n`,
    );
    const bad = cli('import', file);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain(`${file}: line 2: Nofollow "maybe" is not true or false`);
    expect(cli('list').stdout).toContain('[Semrush: nofollow (seen 2026-06-01)]');
  });

  it('adds one link and lists it as not checked yet', () => {
    const { cli } = setup();
    expect(
      cli(
        'add',
        '--donor',
        'https://blog.example/post',
        '--vendor',
        'Miralinks',
        '--price',
        '4500',
        '--currency',
        'RUB',
      ).stdout,
    ).toMatch(/^Added link #1: https:\/\/blog\.example\/post → https:\/\/studio\.example\//);
    const list = JSON.parse(cli('list', '--json').stdout);
    expect(list).toEqual([
      expect.objectContaining({
        donorUrl: 'https://blog.example/post',
        status: 'unchecked',
        vendor: 'Miralinks',
        priceMicros: 4_500_000_000,
      }),
    ]);
    expect(cli('add', '--donor', 'https://blog.example/post').status).toBe(2);
  });
});
