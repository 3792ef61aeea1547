import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import os from 'node:os';
import { openDatabase } from '../../../src/db/open.ts';
import { syncSites } from '../../../src/db/sites.ts';
import { validateConfig } from '../../../src/config/load.ts';
import { JOBS, JOB_NAMES } from '../../../jobs/index.ts';
import { createApp } from '../../../web/app.ts';
import { memoryLogger } from '../../../src/util/log.ts';
import { applyPositionsImport } from '../../../src/rank/import-apply.ts';
import { addDays } from '../../../src/util/days.ts';
const config = validateConfig({ sites: [{ name: 'studio', baseUrl: 'https://studio.example/', timeZone: 'UTC' }] }, JOB_NAMES);
const db = openDatabase(join(mkdtempSync(join(os.tmpdir(),'pw-')), 'x.db'));
const [site] = syncSites(db, config.sites, new Date());
const today = new Date().toISOString().slice(0,10);
const lines = ['keyword,engine,device,region,date,position,url'];
for (let k = 0; k < 2000; k++) for (let d = 0; d < 365; d++) lines.push(`video ${k},${k%2?'yandex':'google'},desktop,${k%2?'lr=213':'"gl=ru;hl=ru"'},${addDays(today, d - 364)},${((d+k)%120)+1},https://studio.example/p/${k%50}/`);
applyPositionsImport(db, site!, Buffer.from(lines.join('\n')), {}, new Date());
const app = createApp({ db, config, jobs: JOBS, now: () => new Date(), log: memoryLogger(), auth: null });
for (const path of ['/rankings?site=studio', '/rankings?site=studio&sort=position&page=3', '/api/rankings/trend?site=studio&days=365', '/api/rankings/trend?site=studio&days=90&engine=yandex&curve=seranking', '/api/rankings/keywords?site=studio', '/api/rankings/keywords/1/history?site=studio']) {
  const times: number[] = [];
  for (let i = 0; i < Number(process.env.N ?? 4); i++) { const t = performance.now(); const r = await app.request(`http://127.0.0.1${path}`); await r.text(); times.push(performance.now() - t); if (r.status !== 200) console.log(r.status); }
  console.log(path, times.map((x) => x.toFixed(0)).join(' '));
}
