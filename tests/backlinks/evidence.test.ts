// Evidence kept for good: a link that goes live → hidden → removed keeps three dated screenshots, and the
// evidence pack (a ZIP) carries them with their HTTP evidence, in the reader's language.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  evidenceDirFor,
  evidenceDirOf,
  evidenceFile,
  evidenceItems,
  evidencePack,
} from '../../src/backlinks/evidence.ts';
import { checkSiteBacklinks } from '../../src/backlinks/monitor.ts';
import { checkHistory, getBacklink, insertBacklinks } from '../../src/backlinks/store.ts';
import { BrowserPool } from '../../src/browser/launcher.ts';
import { formatter, messages } from '../../src/i18n/index.ts';
import { memoryLogger } from '../../src/util/log.ts';
import { readZipEntries } from '../../src/util/zip.ts';
import {
  FakeClock,
  localServer,
  noSqliteDb,
  onCleanup,
  seedSitesIn,
  siteByName,
  tempDir,
  testConfig,
  testStoreAndDb,
} from '../helpers.ts';

const TARGET = 'https://studio.example/';
const HOUR = 3_600_000;

describe('evidence history', () => {
  it('keeps three dated screenshots for a link that goes live → hidden → removed, and packs them', async () => {
    let phase: 'live' | 'hidden' | 'removed' = 'live';
    const base = await localServer((req, res) => {
      if (req.url === '/robots.txt') return res.writeHead(404).end();
      const link = `<a href="${TARGET}">motion design</a>`;
      const body =
        phase === 'live'
          ? `<p>${link}</p>`
          : phase === 'hidden'
            ? `<div style="display:none">${link}</div>`
            : `<p>Links removed.</p>`;
      res
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end(`<html><head><title>Donor</title></head><body><p>Article.</p>${body}</body></html>`);
    });
    const { sql, db } = await testStoreAndDb();
    const clock = new FakeClock(Date.parse('2026-10-01T06:00:00Z'));
    await seedSitesIn(sql, testConfig().sites, clock.now());
    const site = (await siteByName(sql, 'studio'))!;
    // The folder the runtime names (evidenceDirFor), the same on both backends.
    const evidenceDir = join(tempDir(), 'evidence');
    const browser = new BrowserPool();
    onCleanup(() => browser.close());
    const [id] = await insertBacklinks(
      sql,
      site.id,
      [
        {
          donorUrl: `${base}article`,
          target: TARGET,
          targetKind: 'url',
          expectedAnchor: null,
          kind: 'bought',
          vendor: 'Sape',
          priceMicros: 8_000_000_000,
          currency: 'RUB',
          billing: 'one-off',
          boughtOn: '2026-09-30',
          paidUntil: null,
          tags: [],
          notes: null,
          brand: null,
        },
      ],
      clock.now(),
    );
    const run = () =>
      checkSiteBacklinks({ sql, db, evidenceDir, now: clock.now, log: memoryLogger(), browser }, site, {
        minDelayMs: 0,
        timeoutMs: 20_000,
        render: 'fallback',
        confirmChecks: 2,
        confirmHours: 6,
      });
    await run(); // first check: rendered, confirmed live
    clock.advance(24 * HOUR);
    await run(); // routine static check, nothing to keep
    clock.advance(7 * 24 * HOUR);
    phase = 'hidden';
    await run(); // the weekly render sees the link hidden: devalued
    clock.advance(24 * HOUR);
    phase = 'removed';
    await run(); // first failing check: not a change yet
    clock.advance(6 * HOUR);
    await run(); // second failing check on the same HTML: confirmed lost

    expect((await getBacklink(sql, id!))!.status).toBe('lost');
    const items = await evidenceItems(sql, id!);
    expect(items.map((i) => [i.from, i.to, i.check.checkedAt])).toEqual([
      ['unchecked', 'live', '2026-10-01T06:00:00.000Z'],
      ['live', 'devalued', '2026-10-09T06:00:00.000Z'],
      ['devalued', 'lost', '2026-10-10T12:00:00.000Z'],
    ]);
    // Each change of state has its own screenshot on disk, not only the latest check.
    const shots = items.map((i) => i.check.screenshot);
    expect(shots.every((s) => s !== null && existsSync(s))).toBe(true);
    expect(new Set(shots).size).toBe(3);
    expect(shots.every((s) => evidenceFile(evidenceDir, s) !== null)).toBe(true);
    // The routine static check of day 2 has none; it is not evidence.
    expect((await checkHistory(sql, id!)).filter((k) => k.screenshot === null).length).toBeGreaterThan(0);

    const zip = await evidencePack(sql, evidenceDir, [(await getBacklink(sql, id!))!], {
      words: messages('ru').backlinks,
      fmt: formatter('ru', 'Europe/Moscow'),
      title: 'Sape',
      siteName: 'studio',
      now: clock.now(),
    });
    const entries = readZipEntries(zip);
    const names = entries.map((e) => e.name);
    expect(names.filter((n) => n.endsWith('.png'))).toEqual([
      `link-${id}/01-2026-10-01T06-00-00-000Z-live.png`,
      `link-${id}/02-2026-10-09T06-00-00-000Z-devalued.png`,
      `link-${id}/03-2026-10-10T12-00-00-000Z-missing.png`,
    ]);
    for (const e of entries.filter((e) => e.name.endsWith('.png')))
      expect(e.data.subarray(1, 4).toString()).toBe('PNG');
    const stamp = entries.find((e) => e.name === `link-${id}/02-2026-10-09T06-00-00-000Z-devalued.txt`)!;
    const text = stamp.data.toString('utf8');
    expect(text).toContain(`${base}article`);
    expect(text).toContain('Время проверки: 9 окт. 2026 г., 09:00 (2026-10-09T06:00:00.000Z)');
    expect(text).toContain('Вердикт: обесценена — активна → обесценена');
    expect(text).toContain('<a href="https://studio.example/">motion design</a>');
    const summary = entries.find((e) => e.name === 'summary.html')!.data.toString('utf8');
    expect(summary).toContain('Пакет доказательств: Sape');
    expect(summary).toContain('8');
    // Other tools read it too: Info-ZIP's unzip (.ci/run installs it; apt-get install unzip).
    const file = join(tempDir(), 'pack.zip');
    writeFileSync(file, zip);
    expect(execFileSync('unzip', ['-t', file]).toString()).toContain('No errors detected');
  }, 120_000);
});

describe('the evidence folder', () => {
  it('lies beside the SQLite file, and on PostgreSQL in the data folder where that file would be', () => {
    const env = { PROMOWATCH_DB: '/data/promowatch.db' };
    expect(evidenceDirFor({ kind: 'sqlite', file: '/srv/pw/site.db' }, env)).toBe('/srv/pw/evidence');
    expect(evidenceDirFor({ kind: 'postgres', url: 'postgres://u:p@db:5432/pw' }, env)).toBe(
      '/data/evidence',
    );
    expect(evidenceDirFor({ kind: 'postgres', url: 'postgres://u:p@db:5432/pw' }, {})).toBe(
      join(process.cwd(), 'data', 'evidence'),
    );
  });

  it('is the one given, else beside the SQLite connection; on PostgreSQL with none given it says so', () => {
    expect(evidenceDirOf({ evidenceDir: '/data/evidence', db: noSqliteDb() })).toBe('/data/evidence');
    expect(() => evidenceDirOf({ db: noSqliteDb() })).toThrow(/SQLite connection/);
  });

  it('serves only files under the folder, whatever a check row says', () => {
    const dir = join(tempDir(), 'evidence');
    mkdirSync(dir);
    const inside = join(dir, 'shot.png');
    const outside = join(dir, '..', 'secret.png');
    writeFileSync(inside, 'png');
    writeFileSync(outside, 'png');
    expect(evidenceFile(dir, inside)).toBe(inside);
    expect(evidenceFile(dir, outside)).toBeNull();
    expect(evidenceFile(dir, join(dir, 'missing.png'))).toBeNull();
    expect(evidenceFile(dir, null)).toBeNull();
  });
});
