// End to end: the demo's managed links — a link that went live → hidden → removed keeps the three dated
// screenshots of its changes and its evidence pack carries them; the ended sponsorship is archived (kept
// with its history, out of the list); the link page shows the evidence history in Russian.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBuiltDemo, valueOf, type OpenedDemo } from './built-demo.ts';
import { readZipEntries } from '../../src/util/zip.ts';
import { englishIn, readable } from '../i18n/english-left.ts';
import { suiteSetup } from '../helpers.ts';

const RU = { 'accept-language': 'ru-RU,ru;q=0.9' };
let demo: OpenedDemo;

beforeAll(
  () =>
    suiteSetup(async () => {
      demo = await openBuiltDemo('2026-11-01');
    }),
  240_000,
);
afterAll(async () => {
  await demo?.close();
});

function linkId(path: string): Promise<number> {
  return valueOf<number>(demo.sql, `SELECT id FROM backlinks WHERE donor_url LIKE ?`, [`%${path}`]);
}

describe('the demo’s managed links', () => {
  it('keeps the screenshots of live → hidden → removed and packs them for a refund claim', async () => {
    const id = await linkId('/blog/studio-picks/');
    const events = await demo.sql.all<{ change: string; mode: string; shot: number }>(
      `SELECT e.at, e.from_status || ' → ' || e.to_status AS change, c.mode,
         CASE WHEN c.screenshot IS NOT NULL THEN 1 ELSE 0 END AS shot FROM backlink_events e
       LEFT JOIN backlink_checks c ON c.backlink_id = e.backlink_id AND c.checked_at = e.at WHERE e.backlink_id = ? ORDER BY e.at`,
      [id],
    );
    expect(events.map((e) => [e.change, e.mode, e.shot])).toEqual([
      ['unchecked → live', 'rendered', 1],
      ['live → devalued', 'rendered', 1],
      ['devalued → lost', 'rendered', 1],
    ]);
    const page = await (
      await fetch(new URL(`backlinks/${id}?site=studio`, demo.url), { headers: RU })
    ).text();
    const history = page.slice(page.indexOf('evidence-history'), page.indexOf('class="manage"'));
    expect(history.match(/<li data-check/g)).toHaveLength(3);
    expect(history.match(/<img class="evidence"/g)).toHaveLength(3);
    expect(history).toContain('не проверена → активна');
    expect(history).toContain('активна → обесценена');
    expect(history).toContain('обесценена → потеряна');
    expect(englishIn(readable(page).replace(/https?:\/\/\S+/g, ' '))).toEqual([]);
    const zip = await fetch(new URL(`backlinks/${id}/evidence.zip?site=studio`, demo.url), { headers: RU });
    const names = readZipEntries(new Uint8Array(await zip.arrayBuffer())).map((e) => e.name);
    // The three changes, then today's check (the latest one is always in the pack).
    expect(
      names.filter((n) => n.endsWith('.png')).map((n) => n.replace(/^link-\d+\/\d+-[\dTZ-]+-/, '')),
    ).toEqual(['live.png', 'devalued.png', 'missing.png', 'missing.png']);
  });

  it('has an archived link: out of the list, on the archive page, history kept', async () => {
    const id = await linkId('/sponsors/2025/');
    const list = await (await fetch(new URL('backlinks?site=studio', demo.url))).text();
    expect(list).not.toContain(`href="/backlinks/${id}?site=studio"`);
    const archive = await (await fetch(new URL('backlinks/archived?site=studio', demo.url))).text();
    expect(archive).toContain(`data-archived="${id}"`);
    const page = await (await fetch(new URL(`backlinks/${id}?site=studio`, demo.url))).text();
    expect(page).toContain('data-archived');
    expect(page).toContain('not checked → live');
  });
});
