// The links the demo studio bought (one per simulated donor case), entered on the days they were bought,
// and the sponsorship it archived.
import { insertBacklinks, setArchived } from '../../backlinks/store.ts';
import type { Sql } from '../../db/store/types.ts';
import { DONOR_CASES } from '../../demo/donors.ts';
import type { World } from '../../demo/world.ts';
import { addDays, dayIn } from '../../util/days.ts';
import { TZ } from './demo-config.ts';

/**
 * The links the studio bought, as a function that enters those bought by `until` (ms) not yet entered:
 * a case bought later is entered on its day, during the backfill, so no check predates its purchase.
 */
export function boughtLinks(
  sql: Sql,
  siteId: number,
  world: World,
  studioUrl: string,
  now: Date,
): (until: number) => Promise<void> {
  const today = dayIn(now, TZ);
  // Bought five weeks ago unless the case says otherwise; monthly ones paid up to a date, some due soon
  // (a live one, to renew, and a lost one, which the renewals must leave out).
  const bought = DONOR_CASES.map((d, i) => ({
    at: now.getTime() - (d.boughtDaysAgo ?? 35) * 86_400_000,
    input: {
      donorUrl: `${world.donors[i]}${d.path}`,
      target: studioUrl,
      targetKind: 'url' as const,
      expectedAnchor: d.anchor,
      kind: d.kind,
      vendor: d.vendor,
      priceMicros: d.price * 1_000_000,
      currency: 'RUB',
      billing: d.billing,
      boughtOn: addDays(today, d.boughtDaysAgo === undefined ? -35 + (i % 4) : -d.boughtDaysAgo),
      paidUntil: d.billing === 'monthly' ? addDays(today, d.paidDaysAhead ?? (i % 3 === 0 ? 6 : 25)) : null,
      tags: [d.kind === 'press-release' ? 'pr' : 'seo'],
      notes: `Demo case: ${d.note}`,
      brand: d.kind === 'press-release' ? 'Kadr' : null,
    },
  }));
  return async (until: number) => {
    const due = bought.filter((b) => b.at <= until);
    if (due.length)
      await insertBacklinks(
        sql,
        siteId,
        due.map((b) => b.input),
        new Date(due[0]!.at),
      );
    for (const b of due) bought.splice(bought.indexOf(b), 1);
  };
}

/** The sponsorship that ended: archived at `at`, its history kept, out of the lists and checks. */
export async function archiveSponsorship(sql: Sql, siteId: number, world: World, at: Date): Promise<void> {
  const sponsor = DONOR_CASES.findIndex((d) => d.path === '/sponsors/2025/');
  const archived = await sql.get<{ id: number }>(
    `SELECT id FROM backlinks WHERE site_id = ? AND donor_url = ?`,
    [siteId, `${world.donors[sponsor]}${DONOR_CASES[sponsor]!.path}`],
  );
  await setArchived(sql, [archived!.id], at);
}
