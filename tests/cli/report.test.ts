// `promowatch report`: writes the archived report as HTML and PDF, prints its permalink, refuses a week that does not exist.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatter } from '../../src/i18n/index.ts';
import { tempDir } from '../helpers.ts';
import { testDatabase } from './backend.ts';

const BIN = fileURLToPath(new URL('../../src/cli/bin.mjs', import.meta.url));

async function setup(site: Record<string, unknown> = {}) {
  const dir = tempDir();
  const db = await testDatabase(join(dir, 'data', 'promowatch.db'));
  writeFileSync(
    join(dir, 'promowatch.config.json'),
    JSON.stringify({
      sites: [{ name: 'studio', baseUrl: 'https://studio.example/', timeZone: 'Europe/Moscow', ...site }],
    }),
  );
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, [BIN, 'report', ...args], {
      cwd: dir,
      // PATH is where the test machine's Chromium is found (chromium-headless-shell or chromium).
      env: { PATH: process.env.PATH!, ...db.env },
      encoding: 'utf8',
      timeout: 60_000,
    });
  const reports = async () =>
    (await db.sql()).all<{ id: number; week: string; sentAt: string | null; pdfBytes: number | null }>(
      'SELECT id, week, sent_at AS "sentAt", length(pdf) AS "pdfBytes" FROM reports',
    );
  return { dir, cli, reports, db };
}

describe('promowatch report', () => {
  it('writes the HTML and the PDF, archives the report and prints its permalink', async () => {
    const { dir, cli, reports } = await setup();
    const html = join(dir, 'week.html');
    const pdf = join(dir, 'week.pdf');
    const r = cli('--week', '2026-W47', '--html', html, '--pdf', pdf);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const range = formatter('en').dayRange('2026-11-16', '2026-11-22');
    expect(r.stdout).toContain(`studio 2026-W47 (${range}): /reports/1\n`);
    expect(r.stdout).toContain('Ads: no data');
    expect(r.stdout).toContain('not sent (--send mails it)');
    const page = readFileSync(html, 'utf8');
    expect(page).toMatch(/^<!doctype html>/i);
    expect(page).toContain('promowatch weekly report · studio · 2026-W47');
    expect(readFileSync(pdf).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(await reports()).toEqual([
      { id: 1, week: '2026-W47', sentAt: null, pdfBytes: readFileSync(pdf).length },
    ]);
  });

  it('refuses a week that does not exist, naming it, and archives nothing', async () => {
    const { dir, cli, db } = await setup();
    const r = cli('--week', '2026-W54');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(
      'promowatch report: --week: Week "2026-W54" does not exist: 2026 has ISO weeks W01 to W53',
    );
    expect(r.stdout).toBe('');
    expect(existsSync(join(dir, 'data', 'promowatch.db'))).toBe(false);
    if (db.backend === 'postgres') expect(await db.value('SELECT count(*) FROM reports')).toBe(0);
  });

  it("writes the report in the site's language, or in the one --lang names", async () => {
    const { dir, cli } = await setup({ language: 'ru' });
    const html = join(dir, 'week.html');
    const r = cli('--week', '2026-W47', '--html', html, '--json');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      lang: 'ru',
      subject: 'promowatch, неделя 2026-W47 · studio: нет данных за неделю',
    });
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('<html lang="ru">');
    expect(page).toContain('Еженедельный отчёт promowatch · studio · 2026-W47');
    // Not sent yet, so --lang makes it again in English; the summary speaks the report's language.
    const en = cli('--week', '2026-W47', '--lang', 'en', '--html', html);
    expect(en.status).toBe(0);
    expect(en.stdout).toContain('Ads: no data');
    expect(readFileSync(html, 'utf8')).toContain('<html lang="en">');
    const ru = cli('--week', '2026-W47', '--lang', 'ru');
    expect(ru.stdout).toContain('  Реклама: нет данных\n');
    expect(ru.stdout).toContain('  не отправлен (--send отправит его по почте)\n');
  });

  it('refuses a language it does not speak', async () => {
    const { cli } = await setup();
    const r = cli('--lang', 'de');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--lang must be one of: ru, en, got "de"');
  });
});
