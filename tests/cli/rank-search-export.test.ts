// `promowatch rank import` with the user's own Search Console and Yandex Webmaster exports: what each file
// was, the period and where it came from, averages stored apart from daily positions, all or nothing.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers.ts';
import { testDatabase } from './backend.ts';

const BIN = fileURLToPath(new URL('../../src/cli/bin.mjs', import.meta.url));
const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/rank/${name}`, import.meta.url));
const GSC_ZIP = fixture('studio.example-Performance-on-Search-2026-09-14.zip');

async function setup() {
  const dir = tempDir();
  const db = await testDatabase(join(dir, 'data', 'promowatch.db'));
  writeFileSync(
    join(dir, 'promowatch.config.json'),
    JSON.stringify({
      sites: [{ name: 'studio', baseUrl: 'https://studio.example/', timeZone: 'Europe/Moscow' }],
    }),
  );
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [BIN, ...args], {
      cwd: dir,
      env: { PATH: process.env.PATH!, ...db.env },
      encoding: 'utf8',
      timeout: 30_000,
    });
  const count = (sql: string) => db.value(sql);
  return { run, count };
}

describe('promowatch rank import (search exports)', () => {
  it('imports a Search Console ZIP, says what each file was and where the period came from', async () => {
    const { run, count } = await setup();
    const r = run('rank', 'import', GSC_ZIP);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('2026-06-12 – 2026-09-11');
    expect(r.stdout).toMatch(/Dates\.csv/);
    expect(r.stdout).toMatch(/Queries\.csv: 7 queries imported/);
    expect(r.stdout).toMatch(/Pages\.csv: 4 pages imported/);
    expect(r.stdout).toMatch(/Countries\.csv: 3 countries imported/);
    expect(r.stdout).toMatch(/Devices\.csv: 3 devices imported/);
    expect(r.stdout).toMatch(/Search appearance\.csv: skipped/);
    expect(r.stdout).toMatch(/Dates\.csv: skipped .*site totals per day/);
    expect(r.stdout).toMatch(/not daily positions/);
    expect(await count(`SELECT count(*) FROM search_averages WHERE source = 'gsc-export'`)).toBe(17);
    // Averages over a quarter never become positions, keywords or best positions.
    expect(await count('SELECT count(*) FROM rank_observations')).toBe(0);
    expect(await count('SELECT count(*) FROM keywords')).toBe(0);
  });

  it('asks for --from/--to when a lone Queries.csv does not say its period, then imports with them', async () => {
    const { run, count } = await setup();
    const file = fixture('gsc-export-en/Queries.csv');
    const refused = run('rank', 'import', file);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/--from .*--to/);
    expect(refused.stderr).toContain('Nothing imported');
    expect(await count('SELECT count(*) FROM search_averages')).toBe(0);

    const ok = run('rank', 'import', file, '--from', '2026-06-12', '--to', '2026-09-11');
    expect(ok.stderr).toBe('');
    expect(ok.stdout).toMatch(/Queries\.csv: 7 queries imported/);
    expect(ok.stdout).toMatch(/--from\/--to/);
    expect(await count(`SELECT count(*) FROM search_averages WHERE period_from = '2026-06-12'`)).toBe(7);
  });

  it('imports the unpacked CSVs together, taking the period from Dates.csv', async () => {
    const { run, count } = await setup();
    const r = run(
      'rank',
      'import',
      fixture('gsc-export-en/Queries.csv'),
      fixture('gsc-export-en/Dates.csv'),
      fixture('gsc-export-en/Filters.csv'),
    );
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('2026-06-12 – 2026-09-11');
    expect(await count(`SELECT count(*) FROM search_averages WHERE period_to = '2026-09-11'`)).toBe(7);
  });

  it('refuses a file with bad rows as a whole, naming file, line and column', async () => {
    const { run, count } = await setup();
    const r = run(
      'rank',
      'import',
      fixture('gsc-queries-bad.csv'),
      '--from',
      '2026-08-01',
      '--to',
      '2026-08-31',
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/gsc-queries-bad\.csv line 3: column "Top queries" is empty/);
    expect(r.stderr).toMatch(/gsc-queries-bad\.csv line 4: column "Impressions": "many"/);
    expect(r.stderr).toContain('Nothing imported');
    expect(await count('SELECT count(*) FROM search_averages')).toBe(0);
  });

  it('imports a Yandex Webmaster query export marked as Yandex Webmaster averages', async () => {
    const { run, count } = await setup();
    const r = run(
      'rank',
      'import',
      fixture('yandex-webmaster-queries.csv'),
      '--from',
      '2026-08-01',
      '--to',
      '2026-08-31',
    );
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/Yandex Webmaster/);
    expect(r.stdout).toMatch(/5 queries imported/);
    expect(await count(`SELECT count(*) FROM search_averages WHERE source = 'yandex-webmaster-export'`)).toBe(
      5,
    );
  });

  it('points keywords import of a search export to rank import instead of only refusing it', async () => {
    const { run, count } = await setup();
    for (const file of [GSC_ZIP, fixture('gsc-export-en/Queries.csv')]) {
      const r = run('keywords', 'import', file, '--engine', 'google', '--gl', 'ru', '--hl', 'ru');
      expect(r.status).toBe(2);
      expect(r.stderr).toContain('is a Search Console export');
      expect(r.stderr).toContain(`promowatch rank import ${file}`);
    }
    expect(await count('SELECT count(*) FROM keywords')).toBe(0);
  });
});
