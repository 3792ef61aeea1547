// The backlink inventory's SQL (src/backlinks/store.ts, tool-state-store.ts) gives the same rows on SQLite
// and PostgreSQL: filters, order, booleans, transactions that store all or nothing.
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/backlinks/check.ts';
import {
  bulkEditBacklinks,
  checkHistory,
  checkScreenshot,
  deleteBacklinks,
  existingIds,
  findBacklinkId,
  getBacklink,
  insertBacklinks,
  lastRenderedCheck,
  listBacklinks,
  recordCheck,
  setArchived,
  stateChangeChecks,
  statusEvents,
  updateBacklink,
} from '../../src/backlinks/store.ts';
import { saveToolStates, toolStatesBySite, toolStatesOf } from '../../src/backlinks/tool-state-store.ts';
import type { BacklinkInput } from '../../src/backlinks/types.ts';
import type { Outcome } from '../../src/backlinks/verdict.ts';
import type { Sql } from '../../src/db/store/types.ts';
import { BACKENDS, stopPgServer } from '../pg/backends.ts';

afterAll(stopPgServer);

const NOW = new Date('2026-11-27T06:00:00Z');
const RULE = { checks: 2, hoursApart: 6 };

const input = (path: string, o: Partial<BacklinkInput> = {}): BacklinkInput => ({
  donorUrl: `https://donor.example${path}`,
  target: 'https://studio.example/',
  targetKind: 'url',
  expectedAnchor: null,
  kind: 'bought',
  vendor: 'Sape',
  priceMicros: 400_000_000,
  currency: 'RUB',
  billing: 'monthly',
  boughtOn: '2026-10-01',
  paidUntil: null,
  tags: [],
  notes: null,
  brand: null,
  ...o,
});

const result = (outcome: Outcome, o: { mode?: string; screenshot?: string; hash?: string } = {}) =>
  ({
    mode: o.mode ?? 'static',
    verdict: {
      outcome,
      reasons: outcome === 'live' ? [] : ['no link to the target on the page'],
      google: { passes: outcome === 'live', reasons: [] },
      yandex: { passes: outcome === 'live' || outcome === 'devalued', reasons: [] },
    },
    facts: { link: null, hidden: null },
    donor: o.hash ? { htmlHash: o.hash, externalLinks: 3, brandMentions: 0 } : null,
    http: { status: 200, finalUrl: null, redirects: [], headers: { server: 'nginx' } },
    screenshot: o.screenshot ?? null,
    error: null,
  }) as unknown as CheckResult;

async function addSite(sql: Sql, name: string): Promise<number> {
  return (await sql.get<{ id: number }>(
    'INSERT INTO sites (name, base_url, time_zone, created_at) VALUES (?, ?, ?, ?) RETURNING id',
    [name, `https://${name}.example/`, 'Europe/Moscow', NOW.toISOString()],
  ))!.id;
}

describe.each(BACKENDS)('backlink store on $name', (backend) => {
  let sql: Sql;
  let site: number;
  beforeEach(async () => {
    sql = (await backend.open()).sql;
    site = await addSite(sql, 'studio');
  });
  afterEach(async () => {
    await sql.close();
  });

  const check = async (id: number, outcome: Outcome, at: string, o = {}) =>
    recordCheck(sql, (await getBacklink(sql, id))!, result(outcome, o), new Date(at), null, RULE);

  it('inserts all or nothing and reads a link back as it was typed', async () => {
    const [a, b] = await insertBacklinks(
      sql,
      site,
      [
        input('/a', { tags: ['seo', 'pr'], notes: 'Заметка' }),
        input('/b', { priceMicros: null, currency: null }),
      ],
      NOW,
    );
    expect(b).toBe(a! + 1);
    expect(await getBacklink(sql, a!)).toMatchObject({
      id: a,
      siteId: site,
      donorUrl: 'https://donor.example/a',
      tags: ['seo', 'pr'],
      notes: 'Заметка',
      priceMicros: 400_000_000,
      status: 'unchecked',
      statusReasons: [],
      googlePasses: null,
      yandexPasses: null,
      failStreak: 0,
      archivedAt: null,
      createdAt: NOW.toISOString(),
    });
    expect(await getBacklink(sql, 999)).toBeUndefined();
    // A duplicate (same donor page and target) fails the whole batch: /c is not stored either.
    await expect(insertBacklinks(sql, site, [input('/c'), input('/a')], NOW)).rejects.toMatchObject({
      violation: 'unique',
    });
    expect([...(await existingIds(sql, site, (d) => d)).keys()]).toEqual([
      'https://donor.example/a',
      'https://donor.example/b',
    ]);
    expect(await findBacklinkId(sql, site, 'https://donor.example/b', 'https://studio.example/')).toBe(b);
    expect(
      await findBacklinkId(sql, site, 'https://donor.example/c', 'https://studio.example/'),
    ).toBeUndefined();
  });

  it('lists by state first, then donor, and filters by state, vendor, kind, tag, engine and archive', async () => {
    const [a, b, c, d] = await insertBacklinks(
      sql,
      site,
      [
        input('/a', { tags: ['seo'] }),
        input('/b', { vendor: 'Miralinks', tags: ['pr', 'seo'] }),
        input('/c', { kind: 'press-release', tags: ['pr'] }),
        input('/d'),
      ],
      NOW,
    );
    await check(b!, 'devalued', '2026-11-26T00:00:00Z');
    await check(b!, 'devalued', '2026-11-26T08:00:00Z');
    await check(c!, 'live', '2026-11-26T00:00:00Z');
    await check(c!, 'live', '2026-11-26T08:00:00Z');
    await setArchived(sql, [d!], NOW);
    const ids = async (f = {}) => (await listBacklinks(sql, site, f)).map((l) => l.id);
    expect(await ids()).toEqual([b, a, c]);
    expect(await ids({ status: 'live' })).toEqual([c]);
    expect(await ids({ vendor: 'Miralinks' })).toEqual([b]);
    expect(await ids({ kind: 'press-release' })).toEqual([c]);
    expect(await ids({ tag: 'pr' })).toEqual([b, c]);
    expect(await ids({ tag: 'p' })).toEqual([]);
    expect(await ids({ engine: 'google-fails' })).toEqual([b]);
    expect(await ids({ engine: 'yandex-fails' })).toEqual([]);
    expect(await ids({ archived: 'only' })).toEqual([d]);
    expect(await ids({ archived: 'with' })).toEqual([b, a, d, c]);
    const devalued = (await getBacklink(sql, b!))!;
    expect(devalued).toMatchObject({ status: 'devalued', googlePasses: false, yandexPasses: true });
  });

  it('updates what was typed, refusing a clash with another link', async () => {
    const [a] = await insertBacklinks(sql, site, [input('/a'), input('/b')], NOW);
    expect(await updateBacklink(sql, a!, input('/b'))).toBe('duplicate');
    expect(await updateBacklink(sql, 999, input('/z'))).toBe('missing');
    expect(await updateBacklink(sql, a!, input('/a2', { vendor: null, tags: ['x'] }))).toBe('updated');
    expect(await getBacklink(sql, a!)).toMatchObject({
      donorUrl: 'https://donor.example/a2',
      vendor: null,
      tags: ['x'],
    });
  });

  it('bulk-edits vendor, tags and price, and archives once', async () => {
    const [a, b] = await insertBacklinks(
      sql,
      site,
      [input('/a', { tags: ['old', 'keep'] }), input('/b')],
      NOW,
    );
    const changed = await bulkEditBacklinks(sql, [a!, b!, 999], {
      vendor: ' Gogetlinks ',
      addTags: ['new'],
      removeTags: ['old'],
      price: { micros: 2_000_000_000, currency: 'USD' },
    });
    expect(changed).toBe(2);
    expect(await getBacklink(sql, a!)).toMatchObject({
      vendor: 'Gogetlinks',
      tags: ['keep', 'new'],
      priceMicros: 2_000_000_000,
      currency: 'USD',
    });
    expect(await setArchived(sql, [a!], NOW)).toBe(1);
    // Archiving again keeps the first date; bringing back counts only archived links.
    expect(await setArchived(sql, [a!, b!], new Date('2026-11-28T00:00:00Z'))).toBe(1);
    expect((await getBacklink(sql, a!))!.archivedAt).toBe(NOW.toISOString());
    expect(await setArchived(sql, [a!, b!, 999], null)).toBe(2);
    expect((await getBacklink(sql, a!))!.archivedAt).toBeNull();
  });

  it('records checks, confirms changes of state, and keeps each change with its check', async () => {
    const [id] = await insertBacklinks(sql, site, [input('/a')], NOW);
    // A first check settles an unchecked link at once; a loss needs two failing checks 6 hours apart.
    expect(await check(id!, 'live', '2026-11-20T06:00:00Z', { mode: 'rendered', hash: 'h1' })).toMatchObject({
      from: 'unchecked',
      to: 'live',
    });
    expect(await check(id!, 'live', '2026-11-20T14:00:00Z')).toBeNull();
    expect(await check(id!, 'missing', '2026-11-21T06:00:00Z', { screenshot: '/ev/1.png' })).toBeNull();
    expect(await check(id!, 'missing', '2026-11-21T14:00:00Z')).toMatchObject({ from: 'live', to: 'lost' });
    expect(await getBacklink(sql, id!)).toMatchObject({
      status: 'lost',
      statusSince: '2026-11-21T14:00:00.000Z',
      statusReasons: ['no link to the target on the page'],
      googlePasses: false,
      yandexPasses: false,
      lastCheckedAt: '2026-11-21T14:00:00.000Z',
      lastRenderedAt: '2026-11-20T06:00:00.000Z',
    });
    const history = await checkHistory(sql, id!);
    expect(history.map((k) => [k.checkedAt, k.outcome, k.mode])).toEqual([
      ['2026-11-21T14:00:00.000Z', 'missing', 'static'],
      ['2026-11-21T06:00:00.000Z', 'missing', 'static'],
      ['2026-11-20T14:00:00.000Z', 'live', 'static'],
      ['2026-11-20T06:00:00.000Z', 'live', 'rendered'],
    ]);
    expect(history[3]).toMatchObject({
      googlePasses: true,
      yandexPasses: true,
      headers: { server: 'nginx' },
    });
    expect(await checkHistory(sql, id!, 1)).toHaveLength(1);
    expect(await lastRenderedCheck(sql, id!)).toEqual({
      at: '2026-11-20T06:00:00.000Z',
      hash: 'h1',
      link: null,
    });
    const changes = await stateChangeChecks(sql, id!);
    expect(changes.map((c) => [c.from, c.to, c.check?.checkedAt])).toEqual([
      ['unchecked', 'live', '2026-11-20T06:00:00.000Z'],
      ['live', 'lost', '2026-11-21T14:00:00.000Z'],
    ]);
    expect((await statusEvents(sql, site)).map((e) => [e.backlinkId, e.from, e.to])).toEqual([
      [id, 'unchecked', 'live'],
      [id, 'live', 'lost'],
    ]);
    const shot = history[1]!.id;
    expect(await checkScreenshot(sql, id!, shot)).toBe('/ev/1.png');
    expect(await checkScreenshot(sql, id!, history[0]!.id)).toBeNull();
    expect(await checkScreenshot(sql, id! + 1, shot)).toBeUndefined();
  });

  it('deletes links with their checks and events, naming the screenshots left on disk', async () => {
    const [a, b] = await insertBacklinks(sql, site, [input('/a'), input('/b')], NOW);
    await check(a!, 'live', '2026-11-20T06:00:00Z', { screenshot: '/ev/a1.png' });
    await check(a!, 'live', '2026-11-20T14:00:00Z', { screenshot: '/ev/a2.png' });
    await check(b!, 'live', '2026-11-20T06:00:00Z', { screenshot: '/ev/b1.png' });
    expect(await deleteBacklinks(sql, [a!, 999])).toEqual({
      deleted: 1,
      screenshots: ['/ev/a1.png', '/ev/a2.png'],
    });
    expect(await getBacklink(sql, a!)).toBeUndefined();
    expect(await checkHistory(sql, a!)).toEqual([]);
    // a's changes of state went with it; b keeps its own.
    expect(await statusEvents(sql, site)).toEqual([
      { backlinkId: b, at: '2026-11-20T06:00:00.000Z', from: 'unchecked', to: 'live' },
    ]);
    expect(await checkHistory(sql, b!)).toHaveLength(1);
  });

  it("keeps each tool's latest word per link, booleans and NULLs as they were", async () => {
    const [a, b] = await insertBacklinks(sql, site, [input('/a'), input('/b')], NOW);
    const state = {
      tool: 'semrush' as const,
      nofollow: true,
      sponsored: false,
      ugc: null,
      lost: false,
      lostOn: null,
      lostReason: null,
      firstSeen: '2026-01-05',
      lastSeen: '2026-05-20',
    };
    await saveToolStates(sql, [{ backlinkId: a!, state }], NOW);
    await saveToolStates(
      sql,
      [
        { backlinkId: a!, state: { ...state, lost: true, lostOn: '2026-05-21' } },
        { backlinkId: a!, state: { ...state, tool: 'ahrefs', nofollow: null } },
        { backlinkId: b!, state },
      ],
      new Date('2026-11-28T00:00:00Z'),
    );
    expect(await toolStatesOf(sql, a!)).toEqual([
      { backlinkId: a, ...state, tool: 'ahrefs', nofollow: null, importedAt: '2026-11-28T00:00:00.000Z' },
      { backlinkId: a, ...state, lost: true, lostOn: '2026-05-21', importedAt: '2026-11-28T00:00:00.000Z' },
    ]);
    const bySite = await toolStatesBySite(sql, site);
    expect([...bySite.keys()]).toEqual([a, b]);
    expect(bySite.get(a!)!.map((s) => s.tool)).toEqual(['ahrefs', 'semrush']);
  });
});
