// The demo's people: an admin, the studio's marketer (editor of the studio site) and the bakery's
// client (viewer of the bakery site only), with passwords made up per run, and their audit log.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listAudit } from '../../src/audit-log/store.ts';
import { verifyPassword } from '../../src/auth/password.ts';
import { listUsers } from '../../src/auth/users.ts';
import { addDemoPeople, demoPassword } from '../../src/cli/demo/demo-people.ts';
import { demoNowOn, startDemo } from '../../src/cli/demo/run-demo.ts';
import { addEvent } from '../../src/db/events.ts';
import { configuredSites } from '../../src/db/sites.ts';
import { FakeClock, tempDir, testConfig, testStoreDeps } from '../helpers.ts';

describe('addDemoPeople()', () => {
  it('adds the admin, the studio editor and the bakery viewer with the passwords it returns', async () => {
    const clock = new FakeClock(Date.parse('2026-11-01T09:00:00Z'));
    const config = testConfig();
    const { sql } = await testStoreDeps(config, clock);
    const sites = await configuredSites(sql, ['studio', 'bakery']);
    const studio = sites.find((s) => s.name === 'studio')!;
    const bakery = sites.find((s) => s.name === 'bakery')!;
    await addEvent(sql, { siteId: studio.id, day: '2026-10-20', title: 'Вышел пресс-релиз' }, clock.now());
    const people = await addDemoPeople(sql, sites, clock.now());

    const users = await listUsers(sql);
    expect(users.map((u) => [u.email, u.role, u.siteIds])).toEqual([
      ['client@bakery.example', 'viewer', [bakery.id]],
      ['marketer@studio.example', 'editor', [studio.id]],
      ['owner@studio.example', 'admin', []],
    ]);
    for (const p of people) {
      const u = users.find((x) => x.email === p.email)!;
      expect(await verifyPassword(p.password, u.passwordHash)).toBe(true);
      expect(u.passwordHash).not.toContain(p.password);
    }
    expect(people.map((p) => [p.email, p.sites])).toEqual([
      ['owner@studio.example', []],
      ['marketer@studio.example', ['studio']],
      ['client@bakery.example', ['bakery']],
    ]);

    const log = (await listAudit(sql, {}, { limit: 50, offset: 0 })).rows.reverse();
    expect(log.map((r) => [r.actor, r.action])).toEqual([
      ['cli', 'user.add'],
      ['owner@studio.example', 'user.add'],
      ['owner@studio.example', 'user.add'],
      ['marketer@studio.example', 'event.add'],
    ]);
    expect(log[3]).toMatchObject({ siteId: studio.id, details: { title: 'Вышел пресс-релиз' } });
    expect(log.every((r) => r.at <= clock.now().toISOString())).toBe(true);
  });

  it('makes up new passwords on every run', () => {
    const a = demoPassword();
    expect(a).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
    expect(demoPassword()).not.toBe(a);
  });
});

describe('the demo with its people', () => {
  it('asks for a login; the bakery client gets no audit log, the owner sees the simulated month', async () => {
    const demo = await startDemo({
      dbPath: join(tempDir(), 'demo.db'),
      port: 0,
      days: 2,
      rankDays: 3,
      now: demoNowOn('2026-11-01', 'test'),
      people: true,
    });
    try {
      expect((demo.people ?? []).map((p) => [p.email, p.role, p.sites])).toEqual([
        ['owner@studio.example', 'admin', []],
        ['marketer@studio.example', 'editor', ['studio']],
        ['client@bakery.example', 'viewer', ['bakery']],
      ]);
      const base = demo.url.replace(/\/$/, '');
      const anonymous = await fetch(`${base}/`, { redirect: 'manual' });
      expect(anonymous.status).toBe(303);
      const login = async (email: string) => {
        const page = await fetch(`${base}/login`);
        const csrf = page.headers.getSetCookie().map((c) => c.split(';')[0]!);
        const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!;
        const password = demo.people!.find((p) => p.email === email)!.password;
        const res = await fetch(`${base}/login`, {
          method: 'POST',
          redirect: 'manual',
          headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: csrf.join('; ') },
          body: new URLSearchParams({ _csrf: token, email, password }).toString(),
        });
        expect(res.status).toBe(303);
        const cookie = [...csrf, ...res.headers.getSetCookie().map((c) => c.split(';')[0]!)].join('; ');
        return (path: string) => fetch(`${base}${path}`, { headers: { cookie, 'accept-language': 'en' } });
      };
      const client = await login('client@bakery.example');
      expect([403, 404]).toContain((await client('/audit-log')).status);
      const owner = await login('owner@studio.example');
      const page = await (await owner('/audit-log')).text();
      for (const action of ['user.add', 'event.add', 'backlink.archive', 'alert.acknowledge'])
        expect(page).toContain(`<code>${action}</code>`);
      expect(page).toContain('marketer@studio.example');
      // The marketer's read key reaches the studio through the API, and only the studio.
      const key = demo.people!.find((p) => p.email === 'marketer@studio.example')!.apiKey!;
      expect(key).toMatch(/^pw_/);
      const sites = await fetch(`${base}/api/v1/sites`, { headers: { authorization: `Bearer ${key}` } });
      expect(sites.status).toBe(200);
      const listed = JSON.stringify(await sites.json());
      expect(listed).toContain('"studio"');
      expect(listed).not.toContain('"bakery"');
      const other = await fetch(`${base}/api/v1/sites/bakery/keywords`, {
        headers: { authorization: `Bearer ${key}` },
      });
      expect(other.status).toBe(404);
    } finally {
      await demo.close();
    }
  }, 300_000);
});
