// `promowatch ads`: accounts from the command line, a pull where one account's token has expired, imports.
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { yandexDirectHandler } from '../../src/demo/servers/yandex-direct.ts';
import { localServer, tempDir } from '../helpers.ts';
import { testDatabase } from './backend.ts';

const BIN = fileURLToPath(new URL('../../src/cli/bin.mjs', import.meta.url));

async function setup(top: Record<string, unknown> = {}) {
  const dir = tempDir();
  const db = await testDatabase(join(dir, 'data', 'promowatch.db'));
  writeFileSync(
    join(dir, 'promowatch.config.json'),
    JSON.stringify({
      sites: [{ name: 'studio', baseUrl: 'https://studio.example/', timeZone: 'Europe/Moscow' }],
      ...top,
    }),
  );
  const env = {
    PATH: process.env.PATH!,
    DIRECT_TOKEN: 'y0_direct-secret',
    DIRECT_TOKEN_OLD: 'y0_expired',
    ...db.env,
  };
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [BIN, 'ads', ...args], { cwd: dir, env, encoding: 'utf8', timeout: 30_000 });
  // Async, for commands that talk to a fake API living in this process.
  const runAsync = (...args: string[]) =>
    new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [BIN, 'ads', ...args], { cwd: dir, env });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('close', (status) => resolve({ status, stdout, stderr }));
    });
  return { dir, run, runAsync, db };
}

describe('promowatch ads', () => {
  it('adds accounts, refuses a secret where an environment variable name belongs, and lists them', async () => {
    const { run } = await setup();
    const add = run(
      'accounts',
      'add',
      '--platform',
      'yandex-direct',
      '--id',
      'studio-direct',
      '--name',
      'Директ',
      '--currency',
      'RUB',
      '--budget',
      '150000',
    );
    expect(add.stderr).toBe('');
    expect(add.stdout).toMatch(/Added ad account #1: Директ/);
    const secret = run(
      'accounts',
      'add',
      '--platform',
      'meta',
      '--id',
      'act_1',
      '--currency',
      'USD',
      '--credential',
      'accessToken=EAAB12secret',
    );
    expect(secret.status).toBe(2);
    expect(secret.stderr).toMatch(/name of an environment variable/);
    const bad = run('accounts', 'add', '--platform', 'google-ads', '--id', '123', '--currency', 'usd1');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/10 digits.*currency/s);
    const list = JSON.parse(run('accounts', '--json').stdout) as {
      name: string;
      monthlyBudgetMicros: number;
    }[];
    expect(list).toEqual([expect.objectContaining({ name: 'Директ', monthlyBudgetMicros: 150_000_000_000 })]);
  }, 120_000); // several runs of the executable, each opening the database

  it("pulls every account; an expired token fails its account with Yandex's message and the other is stored", async () => {
    const days = new Set<string>();
    const direct = yandexDirectHandler({
      token: 'y0_direct-secret',
      clientLogins: ['studio-direct'],
      queueRounds: 0,
      data: (_login, day) => {
        days.add(day);
        return [
          {
            campaignId: '701',
            campaignName: 'Поиск — видеопродакшн',
            impressions: 1200,
            clicks: 40,
            costMicros: 2_500_000_000,
            conversions: 2,
            revenueMicros: null,
          },
        ];
      },
    });
    const base = await localServer(direct);
    const { run, runAsync, db } = await setup({
      providers: { yandexDirect: { baseUrl: base, token: { env: 'DIRECT_TOKEN' } } },
    });
    run(
      'accounts',
      'add',
      '--platform',
      'yandex-direct',
      '--id',
      'studio-direct',
      '--name',
      'Direct studio',
      '--currency',
      'RUB',
    );
    run(
      'accounts',
      'add',
      '--platform',
      'yandex-direct',
      '--id',
      'old-client',
      '--name',
      'Direct old',
      '--currency',
      'RUB',
      '--credential',
      'token=DIRECT_TOKEN_OLD',
    );
    const r = await runAsync('pull', '--from', '2026-11-01', '--to', '2026-11-03');
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/Direct studio: ok, 3 row\(s\) for 2026-11-01 … 2026-11-03/);
    expect(r.stdout).toMatch(/Direct old: failed — .*Yandex Direct/);
    expect(r.stdout + r.stderr).not.toContain('y0_expired');
    expect(r.stdout + r.stderr).not.toContain('y0_direct-secret');
    expect(await db.value('SELECT count(*) FROM ad_stats')).toBe(3);
    // Accounts are pulled in name order: "Direct old" first.
    expect(await db.column('SELECT status FROM ad_syncs ORDER BY id')).toEqual(['failed', 'ok']);
  });

  it('asks Yandex Direct for costs with VAT on every request of a pull --from --to for an account added with --vat', async () => {
    const direct = yandexDirectHandler({
      token: 'y0_direct-secret',
      clientLogins: ['studio-direct'],
      // Queued once: the identical request goes out twice.
      queueRounds: 1,
      retryIn: 1,
      data: () => [
        {
          campaignId: '701',
          campaignName: 'Поиск',
          impressions: 100,
          clicks: 4,
          costMicros: 120_000_000,
          conversions: null,
          revenueMicros: null,
        },
      ],
    });
    const base = await localServer(direct);
    const { run, runAsync, db } = await setup({
      providers: { yandexDirect: { baseUrl: base, token: { env: 'DIRECT_TOKEN' } } },
    });
    const add = run(
      'accounts',
      'add',
      '--platform',
      'yandex-direct',
      '--id',
      'studio-direct',
      '--currency',
      'RUB',
      '--vat',
    );
    expect(add.status).toBe(0);
    const r = await runAsync('pull', '--from', '2026-11-01', '--to', '2026-11-02');
    expect(r.stdout).toMatch(/studio-direct: ok, 2 row\(s\)/);
    expect(direct.requests.map((q) => q.status)).toEqual([201, 200]);
    expect(
      direct.requests.map((q) => (JSON.parse(q.raw) as { params: { IncludeVAT: string } }).params.IncludeVAT),
    ).toEqual(['YES', 'YES']);
    // With VAT, as asked: the stand-in takes 20 % off only for IncludeVAT: NO.
    expect(await db.value('SELECT sum(cost_micros) FROM ad_stats')).toBe(240_000_000);
  });

  it("imports a platform export all or nothing and refuses another platform's file", async () => {
    const { dir, run, db } = await setup();
    run(
      'accounts',
      'add',
      '--platform',
      'yandex-direct',
      '--id',
      'studio-direct',
      '--name',
      'Direct',
      '--currency',
      'RUB',
    );
    const good = join(dir, 'direct.tsv');
    writeFileSync(
      good,
      'Date\tCampaignId\tCampaignName\tImpressions\tClicks\tCost\tConversions\tRevenue\n2026-09-01\t70001\tПоиск\t2328\t40\t974790000\t--\t--\n2026-09-02\t70001\tПоиск\t2100\t35\t880000000\t1\t--\n',
    );
    const ok = run('import', good, '--platform', 'yandex-direct');
    expect(ok.status).toBe(0);
    expect(ok.stderr).toMatch(/^(note: .*\n)*$/); // notes about how the file was read, nothing else
    expect(ok.stdout).toMatch(/Imported 2 row\(s\) into Direct for 2026-09-01 … 2026-09-02/);
    expect(await db.value('SELECT sum(cost_micros) FROM ad_stats')).toBe(1_854_790_000);
    const bad = join(dir, 'bad.tsv');
    writeFileSync(
      bad,
      'Date\tCampaignId\tCampaignName\tImpressions\tClicks\tCost\tConversions\tRevenue\n2026-09-03\t70001\tПоиск\t2328\t40\t974790000\t--\t--\n2026-09-04\t70001\tПоиск\tlots\t35\t880000000\t1\t--\n',
    );
    const refused = run('import', bad, '--platform', 'yandex-direct');
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/line 3/);
    expect(refused.stderr).toContain('Nothing imported');
    expect(await db.value('SELECT count(*) FROM ad_stats')).toBe(2);
    const google = join(dir, 'google.csv');
    writeFileSync(
      google,
      'Campaign report\n"September 1, 2026 - September 2, 2026"\nDay,Campaign,Impr.,Clicks,Currency code,Cost,Conversions\n2026-09-01,Brand,100,5,USD,10.50,1.00\n',
    );
    const wrong = run('import', google, '--platform', 'yandex-direct');
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toMatch(/Google Ads/);
  }, 120_000); // several runs of the executable, each opening the database
});
