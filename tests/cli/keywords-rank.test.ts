// `promowatch keywords` and `promowatch rank`: inventory from the command line, imports all or nothing,
// positions shown with their state (never a fake 0), and --fetch against a local SERP API.
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { localServer, tempDir } from '../helpers.ts';
import { testDatabase } from './backend.ts';
import { searchConsoleHandler } from '../../src/demo/servers/google-search-console.ts';

const BIN = fileURLToPath(new URL('../../src/cli/bin.mjs', import.meta.url));

async function setup(siteExtra: Record<string, unknown> = {}, topExtra: Record<string, unknown> = {}) {
  const dir = tempDir();
  const db = await testDatabase(join(dir, 'data', 'promowatch.db'));
  writeFileSync(
    join(dir, 'promowatch.config.json'),
    JSON.stringify({
      sites: [
        { name: 'studio', baseUrl: 'https://studio.example/', timeZone: 'Europe/Moscow', ...siteExtra },
      ],
      ...topExtra,
    }),
  );
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [BIN, ...args], {
      cwd: dir,
      env: { PATH: process.env.PATH!, ...db.env },
      encoding: 'utf8',
      timeout: 30_000,
    });
  return { dir, run, db };
}

describe('promowatch keywords', () => {
  it('adds, refuses a duplicate, imports all or nothing and lists', async () => {
    const { dir, run, db } = await setup();
    const add = run(
      'keywords',
      'add',
      'видеопродакшн москва',
      '--engine',
      'yandex',
      '--lr',
      '213',
      '--volume',
      '2400',
      '--tags',
      'ru;video',
    );
    expect(add.stderr).toBe('');
    expect(add.stdout).toMatch(/Added keyword #1: "видеопродакшн москва" \(yandex, desktop\)/);
    const again = run('keywords', 'add', 'Видеопродакшн  Москва', '--engine', 'yandex', '--lr', '213');
    expect(again.status).toBe(2);
    expect(again.stderr).toContain('Already tracked');
    const noRegion = run('keywords', 'add', 'motion design', '--engine', 'google');
    expect(noRegion.status).toBe(2);
    expect(noRegion.stderr).toMatch(/--gl/);

    const file = join(dir, 'kw.csv');
    writeFileSync(
      file,
      'keyword,engine,country,language,volume\nmotion design studio,google,us,en,1000\n"студия ""моушн"" 🎬",google,ru,ru,10\nbad,altavista,ru,ru,1\n',
    );
    const bad = run('keywords', 'import', file);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/line 4: .*altavista/);
    expect(bad.stderr).toContain('Nothing imported');
    expect(await db.value('SELECT count(*) FROM keywords')).toBe(1);
    writeFileSync(
      file,
      'keyword,engine,country,language,volume\nmotion design studio,google,us,en,1000\n"студия ""моушн"" 🎬",google,ru,ru,10\nmotion design studio,google,us,en,1000\n',
    );
    const good = run('keywords', 'import', file);
    expect(good.status).toBe(0);
    expect(good.stdout).toContain('Imported 2 keyword(s)');
    expect(good.stderr).toMatch(/line 4: .*repeats line 2/);
    const list = JSON.parse(run('keywords', 'list', '--json').stdout) as { query: string }[];
    expect(list.map((k) => k.query).sort()).toEqual([
      'motion design studio',
      'видеопродакшн москва',
      'студия "моушн" 🎬',
    ]);
  }, 120_000); // several runs of the executable, each opening the database

  it('adds and removes a competitor by any spelling of its domain', async () => {
    const { run } = await setup();
    expect(run('keywords', 'add-competitor', 'https://WWW.Rival.example/path').stdout).toContain(
      'rival.example',
    );
    expect(run('keywords', 'competitors').stdout.trim()).toBe('rival.example');
    expect(run('keywords', 'remove-competitor', 'rival.example').status).toBe(0);
    expect(run('keywords', 'competitors').stdout.trim()).toBe('');
  }, 120_000); // several runs of the executable, each opening the database
});

describe('promowatch rank', () => {
  it('imports positions from another tracker, adding its keywords, and shows states honestly', async () => {
    const { dir, run } = await setup();
    const file = join(dir, 'pos.csv');
    writeFileSync(
      file,
      [
        'keyword,engine,device,region,date,position,url',
        'видеостудия москва,yandex,desktop,lr=213,2026-11-01,8,https://studio.example/',
        'видеостудия москва,yandex,desktop,lr=213,2026-11-08,3,https://studio.example/',
        'видеостудия москва,yandex,desktop,lr=213,2026-11-15,5,https://studio.example/',
        'motion design,google,desktop,gl=us;hl=en,2026-11-15,-,',
      ].join('\n'),
    );
    const imp = run('rank', 'import', file);
    expect(imp.stderr).toBe('');
    expect(imp.stdout).toMatch(/Imported 4 position\(s\) for 2 keyword\(s\).*2 keyword\(s\) added/);
    const out = run('rank');
    expect(out.stdout).toMatch(/видеостудия москва .*pos 5 {2}7d ↓2 {2}30d — {2}best 3/);
    expect(out.stdout).toMatch(/motion design .*pos not in top 100/);
    const one = JSON.parse(run('rank', '--keyword', 'Motion Design', '--json').stdout) as unknown[];
    expect(one).toHaveLength(1);
  });

  it('refuses a positions file with a bad line and writes nothing', async () => {
    const { dir, run, db } = await setup();
    const file = join(dir, 'pos.csv');
    writeFileSync(
      file,
      'keyword,engine,device,region,date,position,url\nx,yandex,desktop,lr=213,2026-11-01,3,\ny,yandex,desktop,lr=213,2026-02-30,3,\n',
    );
    const r = run('rank', 'import', file);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/line 3/);
    expect(await db.value('SELECT count(*) FROM keywords')).toBe(0);
  });

  it('--fetch asks a SERP API now and reports a provider failure with exit 1', async () => {
    // A SerpApi-shaped server: the first keyword ranks 2nd, the second answers 401.
    let n = 0;
    const base = await localServer((req, res) => {
      n += 1;
      const q = new URL(req.url!, 'http://x').searchParams;
      if (q.get('q') === 'second')
        return void res
          .writeHead(401, { 'content-type': 'application/json' })
          .end(
            '{"error":"Invalid API key. Your API key should be here: https://serpapi.com/manage-api-key"}',
          );
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          search_metadata: { status: 'Success' },
          search_parameters: { q: q.get('q') },
          organic_results: [
            { position: 1, link: 'https://rival.example/', title: 'Rival' },
            { position: 2, link: 'https://studio.example/motion/', title: 'Us' },
          ],
        }),
      );
    });
    const { run, dir, db } = await setup(
      { rankings: { providers: [{ use: 'serpapi' }], depth: 10 } },
      { providers: { serpApi: { baseUrl: base, apiKey: { env: 'SERPAPI_KEY' } } } },
    );
    run('keywords', 'add', 'first', '--engine', 'google', '--gl', 'us', '--hl', 'en');
    run('keywords', 'add', 'second', '--engine', 'google', '--gl', 'us', '--hl', 'en');
    // Not spawnSync: the fake API lives in this process and must keep answering.
    const r = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [BIN, 'rank', '--fetch'], {
        cwd: dir,
        env: { PATH: process.env.PATH!, SERPAPI_KEY: 'sk-test-123', ...db.env },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('close', (status) => resolve({ status, stdout, stderr }));
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/serpapi: \d+ request\(s\), 1 ranked, 0 not in top, 1 failed/);
    expect(r.stderr).toMatch(/Invalid API key/);
    expect(r.stderr + r.stdout).not.toContain('sk-test-123');
    expect(r.stdout).toMatch(/first .*pos 2/);
    expect(r.stdout).toMatch(/second .*last check failed/);
    expect(n).toBeGreaterThan(1);
  });

  it("--fetch --keyword K re-reads K's Search Console positions and leaves every other keyword's alone", async () => {
    // The fake answers for whatever days are asked, so the test holds on any date.
    let first = 5;
    const gsc = searchConsoleHandler({
      oauth: { clientId: 'cid', clientSecret: 'gsc-secret', refreshToken: 'gsc-refresh' },
      rows: ({ startDate, endDate }) =>
        [startDate, endDate].flatMap((day) =>
          [
            ['first', first],
            ['second', 8],
          ].map(([query, position]) => ({
            day,
            query: String(query),
            page: 'https://studio.example/motion/',
            device: 'DESKTOP',
            country: 'usa',
            clicks: 1,
            impressions: 40,
            position: Number(position),
          })),
        ),
    });
    const base = await localServer(gsc);
    const { run, dir, db } = await setup(
      { rankings: { providers: [{ use: 'gsc', lookbackDays: 3 }] } },
      {
        providers: {
          googleSearchConsole: {
            baseUrl: base,
            tokenUrl: `${base}token`,
            clientId: 'cid',
            clientSecret: { env: 'GSC_SECRET' },
            refreshToken: { env: 'GSC_REFRESH' },
          },
        },
      },
    );
    run('keywords', 'add', 'first', '--engine', 'google', '--gl', 'us', '--hl', 'en');
    run('keywords', 'add', 'second', '--engine', 'google', '--gl', 'us', '--hl', 'en');
    // Not spawnSync: the fake API lives in this process and must keep answering.
    const fetchNow = (...args: string[]) =>
      new Promise<{ status: number | null; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [BIN, 'rank', '--fetch', ...args], {
          cwd: dir,
          env: { PATH: process.env.PATH!, GSC_SECRET: 'gsc-secret', GSC_REFRESH: 'gsc-refresh', ...db.env },
        });
        let stderr = '';
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.on('close', (status) => resolve({ status, stderr }));
      });
    expect((await fetchNow()).status).toBe(0);
    first = 3;
    const one = await fetchNow('--keyword', 'first');
    expect(one.status).toBe(0);
    expect(one.stderr).toMatch(/gsc: 1 request\(s\), 2 ranked/);
    const out = run('rank').stdout;
    expect(out).toMatch(/first .*pos 3 .*best 3/);
    expect(out).toMatch(/second .*pos 8 .*best 8/);
    expect(out).not.toContain('not checked');
  });
});
