// `promowatch links`: importing is all or nothing, adding and listing from the command line.
import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readZipEntries } from '../../src/util/zip.ts';
import { tempDir } from '../helpers.ts';
import { testDatabase } from './backend.ts';

const BIN = fileURLToPath(new URL('../../src/cli/bin.mjs', import.meta.url));

async function setup() {
  const dir = tempDir();
  const db = await testDatabase(join(dir, 'data', 'promowatch.db'));
  writeFileSync(
    join(dir, 'promowatch.config.json'),
    JSON.stringify({ sites: [{ name: 'studio', baseUrl: 'https://studio.example/' }] }),
  );
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, [BIN, 'links', ...args], {
      cwd: dir,
      env: { PATH: process.env.PATH!, ...db.env },
      encoding: 'utf8',
      timeout: 30_000,
    });
  const count = () => db.value('SELECT COUNT(*) FROM backlinks');
  return { dir, cli, count, db };
}

describe('promowatch links', () => {
  it('refuses a whole import for one bad row, naming its line, and imports the corrected file', async () => {
    const { dir, cli, count } = await setup();
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
    expect(await count()).toBe(0);
    writeFileSync(
      file,
      'donor_url,price,currency\nhttps://a.example/post,1500,RUB\nhttps://a.example/post,1500,RUB\n',
    );
    const good = cli('import', file);
    expect(good.status).toBe(0);
    expect(good.stdout).toContain('Imported 1 link(s)');
    expect(good.stderr).toMatch(/line 3: skipped duplicate/);
    expect(await count()).toBe(1);
    // Importing it again doubles nothing.
    expect(cli('import', file).stdout).toContain('Imported 0 link(s)');
    expect(await count()).toBe(1);
  });

  it("imports a Semrush export with the tool's flags, lists them beside our state, and updates them on re-import", async () => {
    const { dir, cli } = await setup();
    const file = join(dir, 'semrush.csv');
    copyFileSync(new URL('../fixtures/imports/semrush-backlinks.csv', import.meta.url), file);
    const first = cli('import', file);
    expect(first.stdout).toContain(
      `Imported 5 link(s) from ${file} (semrush format); Semrush state stored for 5 link(s)`,
    );
    const list = cli('list').stdout.split('\n');
    expect(list).toContain(
      '#4 not checked  G:? Y:? https://old-catalog.example/podryadchiki → https://studio.example/  [Semrush: lost (last seen 2026-03-02)]',
    );
    expect(list).toContain(
      '#5 not checked  G:? Y:? https://forum.example/t/77 → https://studio.example/uslugi  [Semrush: nofollow, ugc (seen 2026-05-19)]',
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
      '#1 not checked  G:? Y:? https://top-interior.example/rating/ → https://studio.example/  [Semrush: nofollow (seen 2026-06-01)]',
    );
    writeFileSync(
      file,
      `${header}\n34,Рейтинг,https://top-interior.example/rating/,https://studio.example/,Студия,41,120,maybe,false,false,true,false,false,false,false,2026-01-14,2026-06-08,false,false\n`,
    );
    const bad = cli('import', file);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain(`${file}: line 2: Nofollow "maybe" is not true or false`);
    expect(cli('list').stdout).toContain('[Semrush: nofollow (seen 2026-06-01)]');
  }, 120_000); // eight runs of the executable

  it('adds one link and lists it as not checked yet', async () => {
    const { cli } = await setup();
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

  it('says so when there are no links, and a price without a currency is in the config currency', async () => {
    const { cli } = await setup();
    expect(cli('list').stdout).toContain('No links for site studio yet — add one with "promowatch links add');
    expect(cli('list', '--archived').stdout).toContain('No archived links for site studio.');
    expect(cli('add', '--donor', 'https://blog.example/post', '--price', '1500').status).toBe(0);
    expect(JSON.parse(cli('list', '--json').stdout)[0]).toMatchObject({
      priceMicros: 1_500_000_000,
      currency: 'RUB',
    });
  }, 120_000);

  it('edits a link with the add options, refusing bad input whole', async () => {
    const { cli } = await setup();
    cli(
      'add',
      '--donor',
      'https://blog.example/post',
      '--vendor',
      'Sape',
      '--price',
      '900',
      '--currency',
      'RUB',
      '--tags',
      'seo',
    );
    const ok = cli('edit', '1', '--vendor', 'Miralinks', '--price', '1200', '--billing', 'monthly');
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('Changed link #1');
    const bad = cli('edit', '1', '--vendor', 'Other', '--bought-on', '2099-01-01', '--currency', 'XYZ');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('Link #1 not changed.');
    expect(JSON.parse(cli('list', '--json').stdout)[0]).toMatchObject({
      vendor: 'Miralinks',
      priceMicros: 1_200_000_000,
      currency: 'RUB',
      billing: 'monthly',
      tags: ['seo'],
    });
    expect(cli('edit', '7', '--vendor', 'X').stderr).toContain('no link #7 for site studio');
  }, 120_000);

  it('archives and brings back links, and will not check an archived one', async () => {
    const { cli } = await setup();
    cli('add', '--donor', 'https://a.example/1');
    cli('add', '--donor', 'https://b.example/2');
    expect(cli('archive', '1').stdout).toContain('Archived 1 link(s)');
    expect(JSON.parse(cli('list', '--json').stdout).map((l: { id: number }) => l.id)).toEqual([2]);
    expect(cli('list', '--archived').stdout).toContain('#1 not checked');
    const check = cli('check', '--id', '1');
    expect(check.status).toBe(2);
    expect(check.stderr).toContain('archived links are not checked: #1');
    expect(cli('unarchive', '1').stdout).toContain('Brought back 1 link(s)');
    expect(JSON.parse(cli('list', '--json').stdout)).toHaveLength(2);
  }, 120_000);

  it('removes links only with --yes when there is no terminal to ask', async () => {
    const { cli, count } = await setup();
    cli('add', '--donor', 'https://a.example/1');
    cli('add', '--donor', 'https://b.example/2');
    const refused = cli('remove', '1', '2');
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('without confirmation: add --yes');
    expect(await count()).toBe(2);
    expect(cli('remove', '1', '--yes').stdout).toContain('Removed 1 link(s)');
    expect(await count()).toBe(1);
  }, 120_000);

  it('checks only the links given with --id, and writes an evidence pack', async () => {
    const { cli, dir, db } = await setup();
    const { createServer } = await import('node:http');
    const server = createServer((req, res) => {
      if (req.url === '/robots.txt') return res.writeHead(404).end();
      res
        .writeHead(200, { 'content-type': 'text/html' })
        .end('<html><body><a href="https://studio.example/">studio</a></body></html>');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
      cli('add', '--donor', `${base}/one`, '--vendor', 'Sape');
      cli('add', '--donor', `${base}/two`, '--vendor', 'Sape');
      writeFileSync(
        join(dir, 'promowatch.config.json'),
        JSON.stringify({
          sites: [
            {
              name: 'studio',
              baseUrl: 'https://studio.example/',
              backlinks: { render: 'never', minDelayMs: 0 },
            },
          ],
        }),
      );
      const { spawn } = await import('node:child_process');
      // Async: the fake donor answers from this process while the CLI runs.
      const run = (...args: string[]) =>
        new Promise<{ status: number | null; stdout: string }>((resolve) => {
          const p = spawn(process.execPath, [BIN, 'links', ...args], {
            cwd: dir,
            env: { PATH: process.env.PATH!, ...db.env },
          });
          let stdout = '';
          p.stdout.on('data', (d) => (stdout += d));
          p.on('close', (status) => resolve({ status, stdout }));
        });
      const checked = await run('check', '--id', '2');
      expect(checked.status).toBe(0);
      expect(checked.stdout).toContain('Checked 1 link(s): 1 live');
      expect(checked.stdout).toContain('#2 not checked → live');
      const states = JSON.parse(cli('list', '--json').stdout).map((l: { status: string }) => l.status);
      expect(states).toEqual(['unchecked', 'live']);
      const out = join(dir, 'sape.zip');
      const pack = cli('evidence', '--vendor', 'Sape', '--out', out);
      expect(pack.stdout).toContain('Wrote the evidence pack of 2 link(s)');
      const names = readZipEntries(readFileSync(out)).map((e) => e.name);
      expect(names).toContain('summary.html');
      expect(names.some((n) => n.startsWith('link-2/01-') && n.endsWith('-live.txt'))).toBe(true);
    } finally {
      server.close();
    }
  }, 120_000);
});
