// Storing an inventory file: new links and the tools' states in one go; a re-import updates what the tool
// says and never our verdict.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/backlinks/check.ts';
import { applyBacklinkImport } from '../../src/backlinks/import-apply.ts';
import { backlinkKey, parseBacklinkImport } from '../../src/backlinks/import.ts';
import { existingKeys, getBacklink, listBacklinks, recordCheck } from '../../src/backlinks/store.ts';
import { toolStatesOf } from '../../src/backlinks/tool-state-store.ts';
import { FakeClock, siteByName, testConfig, testStoreDeps } from '../helpers.ts';

const fixture = (name: string) =>
  new Uint8Array(readFileSync(new URL(`../fixtures/imports/${name}`, import.meta.url)));
const SEMRUSH_HEADER =
  'Page ascore,Source title,Source url,Target url,Anchor,External links,Internal links,Nofollow,Sponsored,Ugc,Text,Frame,Form,Image,Sitewide,First seen,Last seen,New link,Lost link';

async function setup() {
  const clock = new FakeClock(Date.parse('2026-05-25T06:00:00Z'));
  const { sql } = await testStoreDeps(testConfig(), clock);
  const site = (await siteByName(sql, 'studio'))!;
  const parse = async (bytes: Uint8Array) =>
    parseBacklinkImport(bytes, {
      existing: await existingKeys(sql, site.id, backlinkKey),
      today: '2026-05-25',
    });
  const byDonor = async (donor: string) =>
    (await listBacklinks(sql, site.id)).find((l) => l.donorUrl === donor)!;
  return { sql, clock, site, parse, byDonor };
}

/** A check of the link that found it live for both engines. */
const liveCheck = {
  mode: 'static',
  verdict: {
    outcome: 'live',
    reasons: [],
    google: { passes: true, reasons: [] },
    yandex: { passes: true, reasons: [] },
  },
  facts: { link: null, hidden: null },
  donor: null,
  http: { status: 200, finalUrl: 'https://top-interior.example/rating/', redirects: [], headers: {} },
  screenshot: null,
  error: null,
} as unknown as CheckResult;

describe('applyBacklinkImport()', () => {
  it("stores the new links with each tool's state, imported now", async () => {
    const t = await setup();
    const applied = await applyBacklinkImport(
      t.sql,
      t.site.id,
      await t.parse(fixture('semrush-backlinks.csv')),
      t.clock.now(),
    );
    expect(applied).toEqual({ inserted: [1, 2, 3, 4, 5], toolStates: 5 });
    expect(
      await toolStatesOf(t.sql, (await t.byDonor('https://old-catalog.example/podryadchiki')).id),
    ).toEqual([
      {
        backlinkId: 4,
        tool: 'semrush',
        nofollow: false,
        sponsored: false,
        ugc: false,
        lost: true,
        lostOn: null,
        lostReason: null,
        firstSeen: '2025-06-11',
        lastSeen: '2026-03-02',
        importedAt: '2026-05-25T06:00:00.000Z',
      },
    ]);
    expect((await t.byDonor('https://old-catalog.example/podryadchiki')).status).toBe('unchecked');
  });

  it("updates a known link's tool state on re-import and leaves our verdict as it was", async () => {
    const t = await setup();
    await applyBacklinkImport(
      t.sql,
      t.site.id,
      await t.parse(fixture('semrush-backlinks.csv')),
      t.clock.now(),
    );
    const link = await t.byDonor('https://top-interior.example/rating/');
    await recordCheck(t.sql, link, liveCheck, t.clock.now(), null, { checks: 2, hoursApart: 6 });
    const before = await getBacklink(t.sql, link.id);
    t.clock.advance(14 * 86_400_000);
    const newer =
      `${SEMRUSH_HEADER}\n` +
      '34,Рейтинг,https://top-interior.example/rating/,https://studio.example/,Студия,41,120,true,false,false,true,false,false,false,false,2026-01-14,2026-06-01,false,true\n';
    const applied = await applyBacklinkImport(
      t.sql,
      t.site.id,
      await t.parse(new TextEncoder().encode(newer)),
      t.clock.now(),
    );
    expect(applied).toEqual({ inserted: [], toolStates: 1 });
    expect(await toolStatesOf(t.sql, link.id)).toMatchObject([
      {
        tool: 'semrush',
        nofollow: true,
        lost: true,
        lastSeen: '2026-06-01',
        importedAt: '2026-06-08T06:00:00.000Z',
      },
    ]);
    expect(await getBacklink(t.sql, link.id)).toEqual(before);
    expect(await t.sql.get('SELECT COUNT(*) AS n FROM backlink_events')).toEqual({ n: 1 });
  });

  it('keeps one state per tool: an Ahrefs import adds to what Semrush said', async () => {
    const t = await setup();
    await applyBacklinkImport(
      t.sql,
      t.site.id,
      await t.parse(fixture('semrush-backlinks.csv')),
      t.clock.now(),
    );
    const ahrefs =
      'Referring page URL,Target URL,Anchor,Nofollow,UGC,Sponsored,Lost status,Drop reason,First seen,Last seen,Lost\n' +
      'https://top-interior.example/rating/,https://studio.example/,Студия,false,false,false,Link removed,,2026-01-10T00:00:00Z,2026-05-30T10:00:00Z,2026-06-02T08:00:00Z\n';
    await applyBacklinkImport(
      t.sql,
      t.site.id,
      await t.parse(new TextEncoder().encode(ahrefs)),
      t.clock.now(),
    );
    expect(
      (await toolStatesOf(t.sql, (await t.byDonor('https://top-interior.example/rating/')).id)).map((s) => [
        s.tool,
        s.lost,
        s.lostOn,
      ]),
    ).toEqual([
      ['ahrefs', true, '2026-06-02'],
      ['semrush', false, null],
    ]);
  });

  it('writes nothing when a file had errors, or when any part of it cannot be stored', async () => {
    const t = await setup();
    const bad = await t.parse(
      new TextEncoder().encode(
        `${SEMRUSH_HEADER}\n1,A,https://a.example/,https://studio.example/,a,1,1,yes,false,false,true,false,false,false,false,,,false,false\n`,
      ),
    );
    await expect(applyBacklinkImport(t.sql, t.site.id, bad, t.clock.now())).rejects.toThrow(/with 1 error/);
    const good = await t.parse(fixture('semrush-backlinks.csv'));
    const broken = {
      ...good,
      toolStates: [
        ...good.toolStates,
        { ...good.toolStates[0]!, line: 9, donorUrl: 'https://nowhere.example/' },
      ],
    };
    await expect(applyBacklinkImport(t.sql, t.site.id, broken, t.clock.now())).rejects.toThrow(
      /^line 9: no stored link/,
    );
    expect(await t.sql.get('SELECT COUNT(*) AS n FROM backlinks')).toEqual({ n: 0 });
    expect(await t.sql.get('SELECT COUNT(*) AS n FROM backlink_tool_states')).toEqual({ n: 0 });
  });
});
