// `promowatch alerts`: the inbox from the command line — list (all, one site, open only, JSON), ack, resolve, reopen.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { recordAlert } from '../../src/db/alerts.ts';
import { siteByName, tempDir } from '../helpers.ts';
import { testDatabase } from './backend.ts';

const BIN = fileURLToPath(new URL('../../src/cli/bin.mjs', import.meta.url));

async function setup() {
  const dir = tempDir();
  const db = await testDatabase(join(dir, 'data', 'promowatch.db'));
  writeFileSync(
    join(dir, 'promowatch.config.json'),
    JSON.stringify({
      sites: [
        { name: 'studio', baseUrl: 'https://studio.example/', language: 'ru' },
        { name: 'bakery', baseUrl: 'https://bakery.example/' },
      ],
    }),
  );
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, [BIN, 'alerts', ...args], {
      cwd: dir,
      env: { PATH: process.env.PATH!, ...db.env },
      encoding: 'utf8',
      timeout: 30_000,
    });
  return { db, cli };
}

describe('promowatch alerts', () => {
  it('lists each message once, acknowledges and resolves it on every channel as "cli", and reopens it', async () => {
    const { db, cli } = await setup();
    const empty = cli();
    expect(empty.status).toBe(0);
    expect(empty.stdout.trim()).toBe('No alerts yet.');

    const sql = await db.sql();
    const studio = (await siteByName(sql, 'studio'))!;
    const bakery = (await siteByName(sql, 'bakery'))!;
    const at = new Date('2026-11-20T09:00:00Z');
    const facts = { type: 'job-failed', job: 'crawl-site', runId: 7, error: 'timeout' };
    const base = {
      siteId: studio.id,
      kind: 'job-failure',
      severity: 'warning',
      notice: 'n1',
      facts,
    } as const;
    const first = await recordAlert(
      sql,
      { ...base, message: 'studio: сбой задачи crawl-site', channel: 'team', recipient: 'chat' },
      at,
    );
    await recordAlert(
      sql,
      { ...base, message: 'studio: сбой задачи crawl-site', channel: 'mail', recipient: 'a@b.example' },
      at,
    );
    const other = await recordAlert(
      sql,
      {
        siteId: bakery.id,
        kind: 'budget',
        severity: 'critical',
        message: 'Over budget',
        channel: 'dashboard',
        recipient: 'dashboard',
      },
      new Date('2026-11-21T09:00:00Z'),
    );

    const list = cli('list');
    expect(list.stdout.trim().split('\n')).toEqual([
      `#${other} open         critical 2026-11-21T09:00:00.000Z  bakery  budget: Over budget`,
      // Worded in English from its facts, though the studio's channels got it in Russian.
      `#${first} open         warning  2026-11-20T09:00:00.000Z  studio  job-failure: studio: job crawl-site failed  (2 of 2 deliveries failed)`,
    ]);
    expect(cli('list', '--site', 'bakery').stdout).not.toContain('studio');

    const ack = cli('ack', String(first));
    expect([ack.status, ack.stdout.trim()]).toEqual([0, 'Acknowledged 1 alert(s).']);
    expect(cli('list', '--open').stdout.trim().split('\n')).toHaveLength(1);
    const json = JSON.parse(cli('list', '--json', '--site', 'studio').stdout) as {
      state: string;
      acknowledgedBy: string;
      deliveries: { channel: string }[];
    }[];
    expect(json.map((n) => [n.state, n.acknowledgedBy, n.deliveries.map((d) => d.channel)])).toEqual([
      ['acknowledged', 'cli', ['team', 'mail']],
    ]);

    expect(cli('resolve', `#${first}`, String(other)).stdout.trim()).toBe('Resolved 2 alert(s).');
    expect(cli('list', '--open').stdout.trim()).toBe('No open alerts.');
    expect(cli('reopen', String(other)).stdout.trim()).toBe('Reopened 1 alert(s).');

    const unknown = cli('ack', '999');
    expect([unknown.status, unknown.stderr.trim()]).toEqual([
      1,
      'No alert #999; "promowatch alerts list" shows the IDs.',
    ]);
    expect(cli('ack').status).toBe(2);
    expect(cli('mute', '1').status).toBe(2);
  }, 180_000);
});
