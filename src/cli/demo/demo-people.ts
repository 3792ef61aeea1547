// The demo's people: the studio's owner (admin), its marketer (editor of the studio site) and the
// bakery's client (viewer of the bakery site only), with passwords made up on each run, and the audit
// log they would have left over the simulated month.
import { randomBytes } from 'node:crypto';
import { recordAudit, CLI_ACTOR, type Actor } from '../../audit-log/store.ts';
import { createApiKey } from '../../auth/api-keys.ts';
import { hashPassword } from '../../auth/password.ts';
import { addUser, type Role } from '../../auth/users.ts';
import type { Sql } from '../../db/store/types.ts';
import type { SiteRow } from '../../db/sites.ts';

export interface DemoPerson {
  email: string;
  displayName: string;
  role: Role;
  /** Site names granted (empty for the admin, who has all). */
  sites: string[];
  /** Made up on each run and printed by `promowatch demo`; never stored anywhere but as a hash. */
  password: string;
  /** An API key of theirs (the marketer's read key for a reporting tool), shown once like in the dashboard. */
  apiKey?: string;
}

const PEOPLE: Omit<DemoPerson, 'password'>[] = [
  { email: 'owner@studio.example', displayName: 'Мария Соколова', role: 'admin', sites: [] },
  { email: 'marketer@studio.example', displayName: 'Анна Котова', role: 'editor', sites: ['studio'] },
  { email: 'client@bakery.example', displayName: 'Пекарня «Колосок»', role: 'viewer', sites: ['bakery'] },
];

/** A password to type from the terminal: 4 groups of 4 letters and digits without look-alikes (~80 bits). */
export function demoPassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  const bytes = randomBytes(16);
  const chars = [...bytes].map((b) => alphabet[b % alphabet.length]);
  return [0, 4, 8, 12].map((i) => chars.slice(i, i + 4).join('')).join('-');
}

/**
 * Adds the three people through the user store (src/auth/users.ts), as the owner would have on the
 * first day, and writes the audit log of what they did since: who added whom, the marketer's events,
 * archived sponsorship and inbox work. `now` is the demo's today.
 */
export async function addDemoPeople(sql: Sql, sites: SiteRow[], now: Date): Promise<DemoPerson[]> {
  const day = 86_400_000;
  const start = new Date(now.getTime() - 30 * day);
  const siteId = (name: string) => sites.find((s) => s.name === name)!.id;
  const people: DemoPerson[] = [];
  const ids = new Map<string, number>();
  for (const p of PEOPLE) {
    const password = demoPassword();
    const user = await addUser(
      sql,
      {
        email: p.email,
        displayName: p.displayName,
        role: p.role,
        siteIds: p.sites.map(siteId),
        passwordHash: await hashPassword(password),
      },
      start,
    );
    ids.set(p.email, user.id);
    people.push({ ...p, password });
  }
  // The marketer feeds a reporting tool from the API with a read key (Account → API keys).
  const marketerPerson = people.find((p) => p.email === 'marketer@studio.example')!;
  marketerPerson.apiKey = (
    await createApiKey(
      sql,
      { userId: ids.get(marketerPerson.email)!, name: 'Looker Studio', scope: 'read' },
      new Date(start.getTime() + 2 * day),
    )
  ).key;
  const as = (email: string): Actor => ({ label: email, userId: ids.get(email)! });
  const owner = as('owner@studio.example');
  const marketer = as('marketer@studio.example');
  const at = (t: number) => new Date(t);

  // Day one: the owner made herself an admin on the server, then added the others in the dashboard.
  await recordAudit(
    sql,
    CLI_ACTOR,
    {
      action: 'user.add',
      targetType: 'user',
      targetId: ids.get(PEOPLE[0]!.email),
      details: { email: PEOPLE[0]!.email, role: 'admin' },
    },
    start,
  );
  for (const [i, p] of PEOPLE.slice(1).entries())
    await recordAudit(
      sql,
      owner,
      {
        action: 'user.add',
        targetType: 'user',
        targetId: ids.get(p.email),
        details: {
          email: p.email,
          name: p.displayName,
          role: p.role,
          site: p.sites.map((s) => String(siteId(s))),
        },
      },
      at(start.getTime() + (i + 1) * 6 * 60_000),
    );

  // The marketer's notes on the timeline, each entered the morning after (10:00 Moscow time).
  const events = await sql.all<{ id: number; siteId: number; day: string; title: string }>(
    'SELECT id, site_id AS "siteId", day, title FROM events WHERE site_id IS NOT NULL ORDER BY day, id',
  );
  for (const e of events) {
    const when = Date.parse(`${e.day}T07:00:00Z`) + day; // 10:00 in Moscow (UTC+3, no DST)
    if (when >= now.getTime() || when < start.getTime()) continue;
    await recordAudit(
      sql,
      marketer,
      {
        action: 'event.add',
        siteId: e.siteId,
        targetType: 'event',
        targetId: e.id,
        details: { day: e.day, title: e.title },
      },
      at(when),
    );
  }

  // The sponsorship that ended, archived by the marketer.
  const archived = await sql.all<{ id: number; siteId: number; archivedAt: string; donorUrl: string }>(
    `SELECT id, site_id AS "siteId", archived_at AS "archivedAt", donor_url AS "donorUrl" FROM backlinks
     WHERE archived_at IS NOT NULL ORDER BY id`,
  );
  for (const l of archived)
    await recordAudit(
      sql,
      marketer,
      {
        action: 'backlink.archive',
        siteId: l.siteId,
        targetType: 'backlink',
        targetId: l.id,
        details: { donorUrl: l.donorUrl },
      },
      new Date(l.archivedAt),
    );

  // The inbox as the marketer left it (src/cli/demo/demo-inbox.ts).
  // One entry per notice: an alert sent to several channels is several rows, handled as one (the rows of
  // a notice share its site: MIN() only makes that portable to PostgreSQL's GROUP BY).
  const handled = await sql.all<{
    id: number;
    siteId: number | null;
    ackAt: string | null;
    resolvedAt: string | null;
  }>(
    `SELECT MIN(id) AS id, MIN(site_id) AS "siteId", MIN(acknowledged_at) AS "ackAt", MIN(resolved_at) AS "resolvedAt"
     FROM alerts WHERE acknowledged_at IS NOT NULL OR resolved_at IS NOT NULL GROUP BY notice ORDER BY 1`,
  );
  for (const a of handled) {
    const resolved = a.resolvedAt !== null;
    await recordAudit(
      sql,
      marketer,
      {
        action: resolved ? 'alert.resolve' : 'alert.acknowledge',
        siteId: a.siteId,
        targetType: 'alert',
        targetId: a.id,
      },
      new Date((resolved ? a.resolvedAt : a.ackAt)!),
    );
  }
  return people;
}
