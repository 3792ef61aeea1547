// The Backlinks pages: the table with verdicts and filters, money, one link's evidence, adding a link, CSV.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { insertBacklinks, recordCheck, getBacklink } from '../../src/backlinks/store.ts';
import type { CheckResult } from '../../src/backlinks/check.ts';
import { saveToolStates } from '../../src/backlinks/tool-state-store.ts';
import { memoryLogger } from '../../src/util/log.ts';
import { JOBS } from '../../jobs/index.ts';
import { createApp } from '../../web/app.ts';
import { FakeClock, seedSitesIn, siteByName, tempDir, testConfig, testStoreAndDb } from '../helpers.ts';

const XSS = '<script>alert(1)</script>';

async function setup() {
  const { sql, db } = await testStoreAndDb();
  const clock = new FakeClock(Date.parse('2026-11-27T06:00:00Z'));
  const config = testConfig();
  await seedSitesIn(sql, config.sites, clock.now());
  const site = (await siteByName(sql, 'studio'))!;
  const [id] = await insertBacklinks(
    sql,
    site.id,
    [
      {
        donorUrl: 'https://donor.example/post',
        target: 'https://studio.example/',
        targetKind: 'url',
        expectedAnchor: XSS,
        kind: 'bought',
        vendor: XSS,
        priceMicros: 900_000_000,
        currency: 'RUB',
        billing: 'monthly',
        boughtOn: '2026-11-01',
        paidUntil: '2026-12-05',
        tags: ['seo'],
        notes: XSS,
        brand: null,
      },
    ],
    new Date('2026-11-01T00:00:00Z'),
  );
  const result = {
    mode: 'static',
    verdict: {
      outcome: 'devalued',
      reasons: ['rel="nofollow"'],
      google: { passes: false, reasons: ['rel="nofollow"'] },
      yandex: { passes: false, reasons: ['rel="nofollow"'] },
    },
    facts: {
      link: {
        href: 'https://studio.example/',
        anchor: XSS,
        rel: ['nofollow'],
        snippet: `<a href="https://studio.example/" rel="nofollow">${XSS}</a>`,
        context: { inNoindexTag: false, inNoindexComment: false },
      },
      hidden: null,
    },
    donor: { htmlHash: 'abc', externalLinks: 3, brandMentions: 0 },
    http: { status: 200, finalUrl: 'https://donor.example/post', redirects: [], headers: {} },
    screenshot: '/etc/passwd',
    error: null,
  } as unknown as CheckResult;
  await recordCheck(sql, (await getBacklink(sql, id!))!, result, clock.now(), null, {
    checks: 2,
    hoursApart: 6,
  });
  const app = createApp({
    db,
    sql,
    // The folder the runtime names (src/backlinks/evidence.ts evidenceDirFor); `/etc/passwd` lies outside it.
    evidenceDir: join(tempDir(), 'evidence'),
    config,
    jobs: JOBS,
    now: clock.now,
    log: memoryLogger(),
    auth: null,
  });
  return { app, sql, id: id!, site };
}

async function csrf(app: ReturnType<typeof createApp>) {
  const res = await app.request('/backlinks');
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const token = /name="_csrf" value="([^"]+)"/.exec(await res.text())![1]!;
  return { cookie, token };
}

describe('Backlinks pages', () => {
  it('lists links with their verdict per engine, escaping what donors and vendors wrote', async () => {
    const { app } = await setup();
    const html = await (await app.request('/backlinks')).text();
    expect(html).toContain('https://donor.example/post');
    expect(html).toContain('rel=&quot;nofollow&quot;');
    expect(html).toContain('Renewals due in 14 days');
    expect(html).not.toContain(XSS);
    expect(await (await app.request('/backlinks?status=live')).text()).not.toContain(
      'https://donor.example/post</a><br>',
    );
  });

  it('shows one link with its check history, escaped, and refuses to serve a screenshot outside the evidence folder', async () => {
    const { app, id } = await setup();
    const html = await (await app.request(`/backlinks/${id}`)).text();
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain(XSS);
    const check = /\/evidence\/(\d+)/.exec(html)![1];
    expect((await app.request(`/backlinks/${id}/evidence/${check}`)).status).toBe(404);
  });

  it('feeds the charts from the link states and money', async () => {
    const { app } = await setup();
    const data = (await (await app.request('/api/backlinks/trend')).json()) as {
      currency: string;
      charts: { links: { datasets: { label: string; data: number[] }[] } };
    };
    expect(data.currency).toBe('RUB');
    expect(data.charts.links.datasets.find((d) => d.label === 'devalued')!.data.at(-1)).toBe(1);
  });

  it('adds a link from the form, and explains what is wrong with a bad one', async () => {
    const { app, sql, site } = await setup();
    const { cookie, token } = await csrf(app);
    const post = (fields: Record<string, string>) =>
      app.request('/backlinks', {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: token, site: 'studio', ...fields }).toString(),
      });
    expect(
      (
        await post({
          donor_url: 'https://other.example/a',
          target: 'studio.example',
          kind: 'guest-post',
          price: '1500',
          currency: 'RUB',
          billing: 'one-off',
        })
      ).status,
    ).toBe(303);
    expect(
      (await sql.get<{ n: number }>(`SELECT COUNT(*) AS n FROM backlinks WHERE site_id = ?`, [site.id]))!.n,
    ).toBe(2);
    const bad = await post({ donor_url: 'not a url', currency: 'XYZ', price: '10' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/form: .*not a url/);
    expect((await post({ donor_url: 'https://other.example/a', target: 'studio.example' })).status).toBe(409);
  });

  it("shows what Ahrefs and Semrush last said beside our verdict, on the list and on the link's page", async () => {
    const { app, sql, id } = await setup();
    const said = {
      nofollow: false,
      sponsored: false,
      ugc: false,
      lost: false,
      lostOn: null,
      lostReason: null,
      firstSeen: '2025-03-14',
      lastSeen: '2026-11-20',
    };
    await saveToolStates(
      sql,
      [
        {
          backlinkId: id,
          state: {
            ...said,
            tool: 'ahrefs',
            lost: true,
            lostOn: '2025-11-03',
            lostReason: XSS,
            lastSeen: '2025-10-28',
          },
        },
        { backlinkId: id, state: { ...said, tool: 'semrush', nofollow: true } },
      ],
      new Date('2026-11-26T10:00:00Z'),
    );
    const list = await (await app.request('/backlinks')).text();
    const at = list.indexOf('https://donor.example/post</a><br>');
    const row = list.slice(at, list.indexOf('</tr>', at));
    expect(row).toContain('devalued');
    expect(row).toContain('Ahrefs: lost 3 Nov 2025 (&lt;script&gt;alert(1)&lt;/script&gt;)');
    expect(row).toContain('Semrush: nofollow (seen 20 Nov 2026)');
    expect(list).not.toContain(XSS);
    const page = await (await app.request(`/backlinks/${id}`)).text();
    expect(page).toContain('Semrush: nofollow (seen 20 Nov 2026), from an export imported 26 Nov 2026');
    expect(page).toContain('Ahrefs: lost 3 Nov 2025 (&lt;script&gt;alert(1)&lt;/script&gt;)');
    expect(page).not.toContain(XSS);
    expect((await getBacklink(sql, id))!.status).toBe('devalued');
  });

  it('exports the filtered list as CSV', async () => {
    const { app } = await setup();
    const csv = new TextDecoder().decode(
      await (await app.request('/backlinks/export.csv?status=devalued')).arrayBuffer(),
    );
    expect(csv.split('\r\n')[0]).toBe(
      'id,donor_url,target,status,google_passes,yandex_passes,reasons,kind,vendor,price,currency,billing,bought_on,paid_until,tags,last_checked_at',
    );
    expect(csv).toContain('https://donor.example/post');
    expect(csv).toContain(',devalued,false,false,');
    expect(
      new TextDecoder()
        .decode(await (await app.request('/backlinks/export.csv?status=live')).arrayBuffer())
        .trim()
        .split('\r\n'),
    ).toHaveLength(1);
  });
});

describe('Backlinks money, told as it was paid', () => {
  /** Links as the owner bought them, their confirmed states set as the monitor would leave them. */
  async function world() {
    const { sql, db } = await testStoreAndDb();
    const clock = new FakeClock(Date.parse('2026-11-27T06:00:00Z'));
    const config = testConfig();
    await seedSitesIn(sql, config.sites, clock.now());
    const site = (await siteByName(sql, 'studio'))!;
    const link = (donorUrl: string, o: Partial<Parameters<typeof insertBacklinks>[2][number]>) => ({
      donorUrl,
      target: 'https://studio.example/',
      targetKind: 'url' as const,
      expectedAnchor: null,
      kind: 'bought' as const,
      vendor: 'Sape',
      priceMicros: 400_000_000,
      currency: 'RUB',
      billing: 'monthly' as const,
      boughtOn: '2026-10-01',
      paidUntil: null,
      tags: [],
      notes: null,
      brand: null,
      ...o,
    });
    const [press, review, old, live] = (await insertBacklinks(
      sql,
      site.id,
      [
        link('https://news.example/press', {
          kind: 'press-release',
          vendor: 'PR Newswire RU',
          priceMicros: 8_000_000_000,
          billing: 'one-off',
          boughtOn: '2026-11-01',
        }),
        // A monthly link lost mid-month, paid until 3 December: its renewal falls due but it is gone.
        link('https://blog.example/review', { paidUntil: '2026-12-03' }),
        link('https://old.example/gone', { priceMicros: 5_000_000_000, billing: 'one-off' }),
        link('https://ok.example/live', { paidUntil: '2026-12-05' }),
      ],
      new Date('2026-10-01T00:00:00Z'),
    )) as [number, number, number, number];
    const state = async (id: number, to: string, at: string) => {
      await sql.run(`UPDATE backlinks SET status = ?, status_since = ? WHERE id = ?`, [to, at, id]);
      await sql.run(
        `INSERT INTO backlink_events (backlink_id, at, from_status, to_status) VALUES (?, ?, 'live', ?)`,
        [id, at, to],
      );
    };
    for (const id of [press, review, old, live]) await state(id, 'live', '2026-10-01T06:00:00Z');
    await state(press, 'lost', '2026-11-04T06:00:00Z');
    await state(review, 'lost', '2026-11-15T06:00:00Z');
    await state(old, 'lost', '2026-10-20T06:00:00Z');
    await sql.run(`UPDATE backlinks SET archived_at = ? WHERE id = ?`, ['2026-10-25T10:00:00Z', old]);
    const app = createApp({ db, sql, config, jobs: JOBS, now: clock.now, log: memoryLogger(), auth: null });
    return { app, ids: { press, review, old, live } };
  }

  it('lists lost links with the whole price or the monthly fee, since when, and the fee still running', async () => {
    const { app, ids } = await world();
    const html = await (await app.request('/backlinks')).text();
    const block = html.slice(
      html.indexOf('<section class="dead-links">'),
      html.indexOf('<section class="cards">'),
    );
    expect(block).toContain('<h2>Lost and devalued links <small>2</small></h2>');
    // The 8,000 press release that died in three days shows as 8,000, not a pro-rated share of it.
    expect(block).toContain('Paid for links now lost or devalued: ₽8,000 one-off + ₽400/month');
    expect(block).toContain('Still paying for dead links: ₽400/month');
    const row = (id: number) => block.slice(block.indexOf(`data-dead-link="${id}"`)).split('</tr>')[0]!;
    expect(row(ids.press)).toContain(
      '<td>PR Newswire RU</td><td>₽8,000 one-off</td>\n<td>4 Nov 2026, 23 days</td><td>—</td>',
    );
    expect(row(ids.review)).toContain(
      '<td>₽400/month</td>\n<td>15 Nov 2026, 12 days</td><td><strong class="bad-text">yes, paid until 3 Dec 2026</strong></td>',
    );
    // Archived: the owner has dealt with it.
    expect(block).not.toContain(`data-dead-link="${ids.old}"`);
    // The pro-rated figure is there only as a labelled estimate, beneath.
    expect(block).toMatch(
      /<p class="hint pro-rated">Pro-rated cost of the days links were lost or devalued \(an estimate\): ₽[\d,]+<\/p>/,
    );
    expect(html).not.toContain('Paid for lost or devalued days');
  });

  it('leaves lost and archived links out of the renewals', async () => {
    const { app, ids } = await world();
    const html = await (await app.request('/backlinks')).text();
    const renewals = html.slice(html.indexOf('<section class="renewals">'));
    const items = renewals.slice(0, renewals.indexOf('</ul>'));
    expect(items).toContain(`/backlinks/${ids.live}?`);
    expect(items).not.toContain(`/backlinks/${ids.review}?`);
    expect(items).not.toContain(`/backlinks/${ids.old}?`);
  });

  it('gives each vendor its spending, the part on dead links, its loss rate and median lifetime', async () => {
    const { app } = await world();
    const html = await (await app.request('/backlinks')).text();
    const vendors = html.slice(html.indexOf('<section class="vendors">'));
    // Sape: three months of 400 for each monthly link (October to the December month paid until), and the
    // archived 5,000 one-off, which counts here: the vendor's record. Lives: 19 and 45 days, one alive.
    expect(vendors).toContain(
      '<tr><td>Sape<br><small><a href="/backlinks/evidence.zip?vendor=Sape&amp;site=studio" download>evidence pack (ZIP)</a></small></td><td>3</td><td>₽7,400</td><td>₽6,200</td>\n<td>2 of 3 (67%)</td>\n<td>45 days</td></tr>',
    );
    expect(vendors).toContain(
      '<tr><td>PR Newswire RU<br><small><a href="/backlinks/evidence.zip?vendor=PR%20Newswire%20RU&amp;site=studio" download>evidence pack (ZIP)</a></small></td><td>1</td><td>₽8,000</td><td>₽8,000</td>\n<td>1 of 1 (100%)</td>\n<td>3 days</td></tr>',
    );
  });
});
