// Managing links from the dashboard: edit (validated like the add form, nothing half-written), archive and
// bring back (history kept, out of the lists and checks), delete only after confirmation, re-check now and
// the list's selection, evidence packs, CSRF on every POST, and no English left on the Russian pages.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/backlinks/check.ts';
import { checkSiteBacklinks } from '../../src/backlinks/monitor.ts';
import { moneyReport } from '../../src/backlinks/money.ts';
import {
  checkHistory,
  getBacklink,
  insertBacklinks,
  listBacklinks,
  recordCheck,
  statusEvents,
} from '../../src/backlinks/store.ts';
import type { BacklinkInput } from '../../src/backlinks/types.ts';
import { memoryLogger } from '../../src/util/log.ts';
import { readZipEntries } from '../../src/util/zip.ts';
import { JOBS } from '../../jobs/index.ts';
import { createApp } from '../../web/app.ts';
import { englishIn, readable } from '../i18n/english-left.ts';
import { FakeClock, seedSitesIn, siteByName, tempDir, testConfig, testStoreAndDb } from '../helpers.ts';

const RU = { 'accept-language': 'ru-RU,ru;q=0.9' };
const FORM = 'application/x-www-form-urlencoded';
const plain = (s: string) => s.replace(/[\u00a0\u2009\u202f]/g, ' ');

const input = (donorUrl: string, o: Partial<BacklinkInput> = {}): BacklinkInput => ({
  donorUrl,
  target: 'https://studio.example/',
  targetKind: 'url',
  expectedAnchor: 'видеопродакшн',
  kind: 'bought',
  vendor: 'Sape',
  priceMicros: 900_000_000,
  currency: 'RUB',
  billing: 'monthly',
  boughtOn: '2026-11-01',
  paidUntil: '2026-12-05',
  tags: ['seo'],
  notes: null,
  brand: null,
  ...o,
});

const liveResult = {
  mode: 'static',
  verdict: {
    outcome: 'live',
    reasons: [],
    google: { passes: true, reasons: [] },
    yandex: { passes: true, reasons: [] },
  },
  facts: { link: null, hidden: null },
  donor: { htmlHash: 'abc', externalLinks: 3, brandMentions: 0 },
  http: { status: 200, finalUrl: 'https://donor.example/a', redirects: [], headers: {} },
  screenshot: null,
  error: null,
} as unknown as CheckResult;

async function setup() {
  const { sql, db } = await testStoreAndDb();
  const clock = new FakeClock(Date.parse('2026-11-27T06:00:00Z'));
  const config = testConfig();
  await seedSitesIn(sql, config.sites, clock.now());
  const site = (await siteByName(sql, 'studio'))!;
  // The folder the runtime names (src/backlinks/evidence.ts evidenceDirFor), for the app and the monitor.
  const evidenceDir = join(tempDir(), 'evidence');
  const [a, b] = await insertBacklinks(
    sql,
    site.id,
    [input('https://donor.example/a'), input('https://other.example/b', { vendor: 'Miralinks', tags: [] })],
    new Date('2026-11-01T00:00:00Z'),
  );
  await recordCheck(sql, (await getBacklink(sql, a!))!, liveResult, clock.now(), null, {
    checks: 2,
    hoursApart: 6,
  });
  const rechecked: number[][] = [];
  const skip = { value: false };
  const app = createApp({
    db,
    sql,
    evidenceDir,
    config,
    jobs: JOBS,
    now: clock.now,
    log: memoryLogger(),
    auth: null,
    recheck: async (_site, ids) => {
      if (skip.value) return { status: 'skipped' };
      rechecked.push(ids);
      return { status: 'ok' };
    },
  });
  let session: { cookie: string; token: string } | null = null;
  const post = async (path: string, fields: Record<string, string | string[]>, headers = {}) => {
    if (!session) {
      const res = await app.request('/backlinks');
      const cookie = res.headers
        .getSetCookie()
        .map((c) => c.split(';')[0])
        .join('; ');
      session = { cookie, token: /name="_csrf" value="([^"]+)"/.exec(await res.text())![1]! };
    }
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries({ _csrf: session.token, ...fields }))
      for (const x of Array.isArray(v) ? v : [v]) body.append(k, x);
    return app.request(path, {
      method: 'POST',
      headers: { cookie: session.cookie, 'content-type': FORM, ...headers },
      body: body.toString(),
    });
  };
  return { app, sql, db, evidenceDir, site, a: a!, b: b!, clock, post, rechecked, skip };
}

const editFields = (o: Record<string, string> = {}) => ({
  donor_url: 'https://donor.example/a',
  target: 'https://studio.example/',
  anchor: 'видеопродакшн',
  kind: 'guest-post',
  vendor: 'Collaborator',
  price: '1500',
  currency: 'RUB',
  billing: 'one-off',
  bought_on: '2026-11-02',
  paid_until: '',
  tags: 'видео; seo',
  notes: 'оплачено картой',
  brand: '',
  ...o,
});

describe('editing a link', () => {
  it('saves every field of the add form and keeps the checks', async () => {
    const t = await setup();
    const res = await t.post(`/backlinks/${t.a}/edit`, editFields());
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/backlinks/${t.a}?site=studio&done=saved`);
    expect(await getBacklink(t.sql, t.a)).toMatchObject({
      kind: 'guest-post',
      vendor: 'Collaborator',
      priceMicros: 1_500_000_000,
      billing: 'one-off',
      boughtOn: '2026-11-02',
      paidUntil: null,
      tags: ['видео', 'seo'],
      notes: 'оплачено картой',
      status: 'live',
    });
    expect(await checkHistory(t.sql, t.a)).toHaveLength(1);
    expect(await (await t.app.request(`/backlinks/${t.a}?done=saved`)).text()).toContain('Saved.');
  });

  it('refuses bad input in the reader’s language and writes nothing', async () => {
    const t = await setup();
    const before = await getBacklink(t.sql, t.a);
    const bad = editFields({ donor_url: 'not a url', bought_on: '2027-01-01', vendor: 'Changed' });
    const en = await t.post(`/backlinks/${t.a}/edit`, bad);
    expect(en.status).toBe(400);
    const enText = await en.text();
    expect(enText).toContain('Donor page');
    expect(enText).toContain('value="Changed"'); // what was typed is shown again
    const ru = await t.post(`/backlinks/${t.a}/edit`, bad, RU);
    expect(ru.status).toBe(400);
    const ruHtml = await ru.text();
    expect(ruHtml).toContain('Страница донора');
    expect(englishIn(plain(readable(ruHtml)))).toEqual([]);
    expect(await getBacklink(t.sql, t.a)).toEqual(before);
    // Another link's donor page and target: a duplicate, refused.
    const dup = await t.post(`/backlinks/${t.a}/edit`, editFields({ donor_url: 'https://other.example/b' }));
    expect(dup.status).toBe(400);
    expect(await dup.text()).toContain('already in the inventory');
    expect(await getBacklink(t.sql, t.a)).toEqual(before);
  });
});

describe('archiving a link', () => {
  it('takes it out of the list, the checks and the renewals, keeps its history, and brings it back', async () => {
    const t = await setup();
    const res = await t.post(`/backlinks/${t.a}/archive`, { to: 'archived' });
    expect(res.status).toBe(303);
    expect((await getBacklink(t.sql, t.a))!.archivedAt).toBe('2026-11-27T06:00:00.000Z');
    const list = await (await t.app.request('/backlinks')).text();
    expect(list).not.toContain(`href="/backlinks/${t.a}?site=studio"`);
    expect(list).toContain(`href="/backlinks/${t.b}?site=studio"`);
    const archived = await (await t.app.request('/backlinks/archived')).text();
    expect(archived).toContain(`data-archived="${t.a}"`);
    expect(archived).not.toContain(`data-archived="${t.b}"`);
    // The check job never gets it; renewals (from the default list) leave it out; history stays.
    const summary = await checkSiteBacklinks(
      { sql: t.sql, db: t.db, evidenceDir: t.evidenceDir, now: t.clock.now, log: memoryLogger() },
      t.site,
      { minDelayMs: 0, timeoutMs: 500, render: 'never' },
      [t.a],
    );
    expect(summary.checked).toBe(0);
    const money = moneyReport(await listBacklinks(t.sql, t.site.id), [], '2026-11-27', '2026-11-27');
    expect(money.renewalsDue.map((r) => r.id)).not.toContain(t.a);
    expect(await checkHistory(t.sql, t.a)).toHaveLength(1);
    expect((await statusEvents(t.sql, t.site.id)).map((e) => e.backlinkId)).toContain(t.a);
    // A re-check of an archived link is refused.
    expect((await t.post(`/backlinks/${t.a}/recheck`, {})).status).toBe(400);
    expect(t.rechecked).toEqual([]);
    await t.post(`/backlinks/${t.a}/archive`, { to: 'current' });
    expect((await getBacklink(t.sql, t.a))!.archivedAt).toBeNull();
    expect((await listBacklinks(t.sql, t.site.id)).map((l) => l.id)).toContain(t.a);
  });
});

describe('deleting a link', () => {
  it('asks first: without the confirmation the link stays', async () => {
    const t = await setup();
    const unconfirmed = await t.post(`/backlinks/${t.a}/delete`, {});
    expect(unconfirmed.status).toBe(303);
    expect(unconfirmed.headers.get('location')).toBe(`/backlinks/${t.a}/delete?site=studio`);
    expect(await getBacklink(t.sql, t.a)).toBeDefined();
    const page = await (await t.app.request(`/backlinks/${t.a}/delete`)).text();
    expect(page).toContain('name="confirm" value="yes"');
    expect(page).toContain('1 check');
    const confirmed = await t.post(`/backlinks/${t.a}/delete`, { confirm: 'yes' });
    expect(confirmed.status).toBe(303);
    expect(await getBacklink(t.sql, t.a)).toBeUndefined();
    expect(await checkHistory(t.sql, t.a)).toEqual([]);
  });
});

describe('re-check and the selection', () => {
  it('re-checks one link or the selected ones through the job runner', async () => {
    const t = await setup();
    expect(await (await t.app.request(`/backlinks/${t.a}`)).text()).toContain('Re-check now');
    const list = await (await t.app.request('/backlinks')).text();
    expect(list).toContain('<form method="post" action="/backlinks/selected"');
    expect(list).toContain(`<input type="checkbox" name="id" value="${t.a}"`);
    expect(list).toContain('value="recheck"');
    expect((await t.post(`/backlinks/${t.a}/recheck`, {})).status).toBe(303);
    const sel = await t.post('/backlinks/selected', {
      site: 'studio',
      id: [String(t.a), String(t.b)],
      action: 'recheck',
    });
    expect(sel.status).toBe(303);
    expect(t.rechecked).toEqual([[t.a], [t.a, t.b]]);
    expect((await t.post('/backlinks/selected', { site: 'studio', action: 'recheck' })).status).toBe(400);
    // While the scheduled run is at work the runner skips ours: said so, not passed off as done.
    t.skip.value = true;
    const busy = await t.post(`/backlinks/${t.a}/recheck`, {});
    expect(busy.status).toBe(400);
    expect(await busy.text()).toContain('running right now');
  });

  it('edits vendor, tags and price of the selected links at once', async () => {
    const t = await setup();
    const res = await t.post('/backlinks/selected', {
      site: 'studio',
      id: [String(t.a), String(t.b)],
      action: 'edit',
      vendor: 'GoGetLinks',
      add_tags: 'весна; видео',
      remove_tags: 'seo',
      price: '2 000',
      currency: 'RUB',
    });
    expect(res.status).toBe(303);
    for (const id of [t.a, t.b])
      expect(await getBacklink(t.sql, id)).toMatchObject({
        vendor: 'GoGetLinks',
        tags: ['весна', 'видео'],
        priceMicros: 2_000_000_000,
        currency: 'RUB',
      });
    const bad = await t.post(
      '/backlinks/selected',
      { site: 'studio', id: String(t.a), action: 'edit', price: 'дорого' },
      RU,
    );
    expect(bad.status).toBe(400);
    expect((await getBacklink(t.sql, t.a))!.priceMicros).toBe(2_000_000_000);
    const nothing = await t.post('/backlinks/selected', { site: 'studio', id: String(t.a), action: 'edit' });
    expect(nothing.status).toBe(400);
  });
});

describe('evidence packs and safety', () => {
  it('downloads a ZIP per link and per vendor', async () => {
    const t = await setup();
    const one = await t.app.request(`/backlinks/${t.a}/evidence.zip`, { headers: RU });
    expect(one.headers.get('content-type')).toBe('application/zip');
    const names = readZipEntries(new Uint8Array(await one.arrayBuffer())).map((e) => e.name);
    expect(names[0]).toBe('summary.html');
    expect(names.some((n) => n.startsWith(`link-${t.a}/`) && n.endsWith('-live.txt'))).toBe(true);
    const vendor = await t.app.request('/backlinks/evidence.zip?vendor=Miralinks');
    const entries = readZipEntries(new Uint8Array(await vendor.arrayBuffer()));
    expect(entries[0]!.data.toString()).toContain('https://other.example/b');
    expect(entries[0]!.data.toString()).not.toContain('https://donor.example/a');
    expect((await t.app.request('/backlinks/evidence.zip?vendor=Nobody')).status).toBe(404);
  });

  it('refuses every management POST without the CSRF token', async () => {
    const t = await setup();
    const forged = {
      _csrf: 'forged',
      site: 'studio',
      id: String(t.a),
      action: 'archive',
      confirm: 'yes',
      to: 'archived',
    };
    for (const path of [
      `/backlinks/${t.a}/edit`,
      `/backlinks/${t.a}/archive`,
      `/backlinks/${t.a}/delete`,
      `/backlinks/${t.a}/recheck`,
      '/backlinks/selected',
    ])
      expect((await t.post(path, forged)).status, path).toBe(403);
    expect(await getBacklink(t.sql, t.a)).toMatchObject({ archivedAt: null });
    expect(t.rechecked).toEqual([]);
  });

  it('speaks Russian on every management page', async () => {
    const t = await setup();
    await t.post(`/backlinks/${t.b}/archive`, { to: 'archived' });
    for (const path of [
      `/backlinks/${t.a}?done=saved`,
      `/backlinks/${t.a}?done=rechecked`,
      `/backlinks/${t.a}/delete`,
      `/backlinks/${t.b}`,
      '/backlinks/archived',
      '/backlinks',
    ]) {
      const html = await (await t.app.request(path, { headers: RU })).text();
      expect(englishIn(plain(readable(html))), path).toEqual([]);
    }
  });
});
