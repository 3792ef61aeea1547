// The backlink monitor against real local donor servers: bad inputs, politeness, confirmation, robots per engine.
import { describe, expect, it } from 'vitest';
import { checkSiteBacklinks } from '../../src/backlinks/monitor.ts';
import { insertBacklinks, listBacklinks, checkHistory } from '../../src/backlinks/store.ts';
import { saveToolStates } from '../../src/backlinks/tool-state-store.ts';
import type { ToolState } from '../../src/backlinks/tool-state.ts';
import type { BacklinkInput } from '../../src/backlinks/types.ts';
import { encodeCp1251 } from '../../src/demo/cp1251.ts';
import { memoryLogger } from '../../src/util/log.ts';
import { BrowserPool } from '../../src/browser/launcher.ts';
import { FakeClock, localServer, onCleanup, siteByName, testConfig, testStoreDeps } from '../helpers.ts';

const TARGET = 'https://studio.example/';
const page = (body: string, head = '') =>
  `<html><head><title>Donor</title>${head}</head><body><p>Article text.</p>${body}</body></html>`;
const linked = (extra = '') => page(`<a href="${TARGET}"${extra}>motion design</a>`);

function input(donorUrl: string, o: Partial<BacklinkInput> = {}): BacklinkInput {
  return {
    donorUrl,
    target: TARGET,
    targetKind: 'url',
    expectedAnchor: null,
    kind: 'bought',
    vendor: 'Sape',
    priceMicros: 300_000_000,
    currency: 'RUB',
    billing: 'monthly',
    boughtOn: '2026-11-01',
    paidUntil: null,
    tags: [],
    notes: null,
    brand: null,
    ...o,
  };
}

async function setup() {
  const clock = new FakeClock(Date.parse('2026-11-27T06:00:00Z'));
  const { sql, db, evidenceDir } = await testStoreDeps(testConfig(), clock);
  const site = (await siteByName(sql, 'studio'))!;
  // What checkSiteBacklinks is handed: the store, and where screenshots go (beside the SQLite file, or
  // the folder a PostgreSQL install names).
  const deps = { sql, db, evidenceDir, now: clock.now, log: memoryLogger() };
  const run = (settings = {}) =>
    checkSiteBacklinks(deps, site, {
      minDelayMs: 0,
      timeoutMs: 1500,
      render: 'never',
      ...settings,
    });
  const add = (...inputs: BacklinkInput[]) => insertBacklinks(sql, site.id, inputs, clock.now());
  const status = async () =>
    Object.fromEntries(
      (await listBacklinks(sql, site.id)).map((l) => [new URL(l.donorUrl).pathname, l.status]),
    );
  return { sql, deps, clock, site, run, add, status };
}

describe('backlink monitor', () => {
  it('judges the common cases from a real donor server', async () => {
    const base = await localServer((req, res) => {
      const html = (b: string | Buffer, type = 'text/html; charset=utf-8') =>
        res.writeHead(200, { 'content-type': type }).end(b);
      switch (req.url) {
        case '/robots.txt':
          return res
            .writeHead(200)
            .end('User-agent: *\nAllow: /\n\nUser-agent: Yandex\nDisallow: /yandex-blocked/\n');
        case '/live':
          return html(linked());
        case '/nofollow':
          return html(linked(' rel="nofollow"'));
        case '/noindex-tag':
          return html(page(`<noindex><a href="${TARGET}">sold</a></noindex>`));
        case '/yandex-blocked/page':
          return html(linked());
        case '/cp1251':
          return html(
            Buffer.from(encodeCp1251(page(`<a href="${TARGET}">видеопродакшн</a>`))),
            'text/html; charset=windows-1251',
          );
        case '/https-move':
          return res.writeHead(301, { location: `${base}https-move/` }).end();
        case '/https-move/':
          return html(linked());
        case '/refresh':
          return html(page('', `<meta http-equiv="refresh" content="0; url=/elsewhere">`));
        case '/elsewhere':
          return html(page('<p>no link</p>'));
        case '/x-robots':
          return res
            .writeHead(200, { 'content-type': 'text/html', 'x-robots-tag': 'yandex: noindex' })
            .end(linked());
        default:
          return res.writeHead(404).end();
      }
    });
    const t = await setup();
    await t.add(
      ...[
        'live',
        'nofollow',
        'noindex-tag',
        'yandex-blocked/page',
        'cp1251',
        'https-move',
        'refresh',
        'x-robots',
        'gone',
      ].map((p) => input(`${base}${p}`)),
    );
    await t.run();
    const rows = Object.fromEntries(
      (await listBacklinks(t.sql, t.site.id)).map((l) => [new URL(l.donorUrl).pathname, l]),
    );
    expect(rows['/live']).toMatchObject({ status: 'live', googlePasses: true, yandexPasses: true });
    expect(rows['/nofollow']).toMatchObject({ status: 'devalued', googlePasses: false, yandexPasses: false });
    expect(rows['/noindex-tag']).toMatchObject({
      status: 'devalued',
      googlePasses: true,
      yandexPasses: false,
    });
    expect(rows['/yandex-blocked/page']).toMatchObject({
      status: 'devalued',
      googlePasses: true,
      yandexPasses: false,
      statusReasons: ['robots.txt blocks Yandex'],
    });
    expect(rows['/cp1251']).toMatchObject({ status: 'live' });
    expect((await checkHistory(t.sql, rows['/cp1251']!.id))[0]!.link).toMatchObject({
      anchor: 'видеопродакшн',
    });
    expect(rows['/https-move']).toMatchObject({ status: 'live' });
    expect(rows['/x-robots']).toMatchObject({ status: 'devalued', googlePasses: true, yandexPasses: false });
    // One failing check is not a loss: it needs confirmation.
    expect(rows['/gone']).toMatchObject({ status: 'unchecked', failStreak: 1 });
    expect(rows['/refresh']).toMatchObject({ failStreak: 1 });
    expect((await checkHistory(t.sql, rows['/refresh']!.id))[0]).toMatchObject({
      outcome: 'gone',
      reasons: [expect.stringMatching(/^redirected elsewhere: .*\/elsewhere$/)],
    });
  });

  it('calls a donor that times out inconclusive, never lost', async () => {
    const base = await localServer((req, res) => {
      if (req.url === '/robots.txt') return res.writeHead(404).end();
      // never answers
    });
    const t = await setup();
    await t.add(input(`${base}slow`));
    for (let i = 0; i < 3; i++) {
      await t.run({ timeoutMs: 300 });
      t.clock.advance(7 * 3_600_000);
    }
    expect(await t.status()).toEqual({ '/slow': 'inconclusive' });
    expect(
      (await checkHistory(t.sql, (await listBacklinks(t.sql, t.site.id))[0]!.id))[0]!.reasons[0],
    ).toMatch(/no complete answer within 300 ms/);
  });

  it('does not call a link lost when the donor answers 503 twice and then recovers', async () => {
    let calls = 0;
    const base = await localServer((req, res) => {
      if (req.url === '/robots.txt') return res.writeHead(404).end();
      calls++;
      if (calls <= 4) return res.writeHead(503).end('down'); // two checks, each retried once
      res.writeHead(200, { 'content-type': 'text/html' }).end(linked());
    });
    const t = await setup();
    const [id] = await t.add(input(`${base}flaky`));
    const outcomes: string[] = [];
    for (let i = 0; i < 3; i++) {
      await t.run();
      outcomes.push((await checkHistory(t.sql, id!))[0]!.outcome);
      t.clock.advance(7 * 3_600_000);
    }
    expect(outcomes).toEqual(['inconclusive', 'inconclusive', 'live']);
    expect(
      (
        await t.sql.all<{ to_status: string }>(
          `SELECT to_status FROM backlink_events WHERE backlink_id = ? ORDER BY id`,
          [id],
        )
      ).map((e) => e.to_status),
    ).toEqual(['inconclusive', 'live']);
  });

  it('confirms a loss only after two failing checks six hours apart', async () => {
    let removed = false;
    const base = await localServer((req, res) => {
      if (req.url === '/robots.txt') return res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'text/html' }).end(removed ? page('<p>gone</p>') : linked());
    });
    const t = await setup();
    await t.add(input(`${base}post`));
    await t.run();
    removed = true;
    t.clock.advance(3_600_000);
    await t.run();
    t.clock.advance(3_600_000);
    await t.run();
    expect(await t.status()).toEqual({ '/post': 'live' });
    t.clock.advance(6 * 3_600_000);
    await t.run();
    expect(await t.status()).toEqual({ '/post': 'lost' });
  });

  it('treats a 403 bot wall and a captcha page as inconclusive', async () => {
    const base = await localServer((req, res) => {
      if (req.url === '/robots.txt') return res.writeHead(404).end();
      if (req.url === '/wall')
        return res.writeHead(403, { 'content-type': 'text/html' }).end('<h1>Access denied</h1>');
      res
        .writeHead(200, { 'content-type': 'text/html' })
        .end(
          '<html><head><title>Are you a robot?</title></head><body><div class="smartcaptcha">Please confirm</div></body></html>',
        );
    });
    const t = await setup();
    const [wall, captcha] = await t.add(input(`${base}wall`), input(`${base}captcha`));
    await t.run();
    expect((await checkHistory(t.sql, wall!))[0]).toMatchObject({
      outcome: 'inconclusive',
      reasons: [expect.stringMatching(/access denied|answered 403/)],
    });
    expect((await checkHistory(t.sql, captcha!))[0]).toMatchObject({
      outcome: 'inconclusive',
      reasons: ['bot wall: captcha'],
    });
  });

  it('reads a huge donor page up to the size limit and still finds an early link', async () => {
    const base = await localServer((req, res) => {
      if (req.url === '/robots.txt') return res.writeHead(404).end();
      res
        .writeHead(200, { 'content-type': 'text/html' })
        .end(
          `<html><body><a href="${TARGET}">top link</a>${'<p>filler</p>'.repeat(1_000_000)}</body></html>`,
        );
    });
    const t = await setup();
    const [id] = await t.add(input(`${base}huge`));
    const before = process.memoryUsage().rss;
    await t.run();
    expect((await checkHistory(t.sql, id!))[0]).toMatchObject({ outcome: 'live' });
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * 1024 * 1024);
  });

  it('never calls a link lost when it is not in the first 5 MB of a bigger page, even with one confirmation', async () => {
    const base = await localServer((req, res) => {
      if (req.url === '/robots.txt') return res.writeHead(404).end();
      res
        .writeHead(200, { 'content-type': 'text/html' })
        .end(`<html><body>${'<p>filler</p>'.repeat(500_000)}<a href="${TARGET}">late link</a></body></html>`);
    });
    const t = await setup();
    const [id] = await t.add(input(`${base}huge`));
    for (let i = 0; i < 2; i++) {
      await t.run({ confirmChecks: 1 });
      t.clock.advance(7 * 3_600_000);
    }
    expect(await t.status()).toEqual({ '/huge': 'inconclusive' });
    expect((await checkHistory(t.sql, id!)).map((c) => [c.outcome, c.reasons])).toEqual([
      ['inconclusive', ['page larger than 5 MB; link not found in the first 5 MB']],
      ['inconclusive', ['page larger than 5 MB; link not found in the first 5 MB']],
    ]);
  });

  it('lets the browser, which reads the whole page, decide on a page cut at the size cap', async () => {
    const filler = '<p>Обзор студий интерьера: сроки, цены и отзывы клиентов.</p>'.repeat(70_000);
    const base = await localServer((req, res) => {
      if (req.url === '/robots.txt') return res.writeHead(404).end();
      res
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end(page(`${filler}${req.url === '/kept' ? `<a href="${TARGET}">late link</a>` : ''}`));
    });
    const t = await setup();
    const browser = new BrowserPool();
    onCleanup(() => browser.close());
    const [kept, removed] = await t.add(input(`${base}kept`), input(`${base}removed`));
    await checkSiteBacklinks({ ...t.deps, browser }, t.site, {
      minDelayMs: 0,
      timeoutMs: 20_000,
      render: 'fallback',
      screenshots: false,
      confirmChecks: 1,
    });
    expect(await t.status()).toEqual({ '/kept': 'live', '/removed': 'lost' });
    expect((await checkHistory(t.sql, kept!))[0]).toMatchObject({
      mode: 'rendered',
      outcome: 'live',
    });
    expect((await checkHistory(t.sql, removed!))[0]).toMatchObject({
      mode: 'rendered',
      outcome: 'missing',
      reasons: ['link removed'],
    });
  });

  it("keeps the last rendered check's hidden finding for an unchanged page, naming its day, from rows old and new", async () => {
    const base = await localServer((req, res) => {
      if (req.url === '/robots.txt') return res.writeHead(404).end();
      res
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end(page(`<div style="display:none"><a href="${TARGET}">motion design</a></div>`));
    });
    const t = await setup();
    const browser = new BrowserPool();
    onCleanup(() => browser.close());
    const [id] = await t.add(input(`${base}hidden`));
    const run = () =>
      checkSiteBacklinks({ ...t.deps, browser }, t.site, {
        minDelayMs: 0,
        timeoutMs: 20_000,
        render: 'fallback',
        screenshots: false,
      });
    await run();
    expect((await checkHistory(t.sql, id!))[0]).toMatchObject({
      mode: 'rendered',
      outcome: 'devalued',
      reasons: ['hidden: display:none (on a parent)'],
    });
    const reused =
      'hidden: display:none (on a parent) (seen by the rendered check of 2026-11-27; the page has not changed since)';
    t.clock.advance(86_400_000);
    await run();
    expect((await checkHistory(t.sql, id!))[0]).toMatchObject({
      mode: 'static',
      outcome: 'devalued',
      reasons: [reused],
    });
    // A rendered check stored before reasons had codes kept its finding as English text.
    await t.sql.run(
      t.sql.dialect === 'postgres'
        ? `UPDATE backlink_checks SET link = jsonb_set(link::jsonb, '{hidden}', to_jsonb(CAST(? AS text)))::text WHERE mode = 'rendered'`
        : `UPDATE backlink_checks SET link = json_set(link, '$.hidden', ?) WHERE mode = 'rendered'`,
      ['display:none (on a parent)'],
    );
    t.clock.advance(86_400_000);
    await run();
    expect((await checkHistory(t.sql, id!))[0]).toMatchObject({
      mode: 'static',
      outcome: 'devalued',
      reasons: [reused],
    });
  });

  it('checks never-checked links a backlink tool reports lost first, then those it reports nofollow', async () => {
    const order: string[] = [];
    const base = await localServer((req, res) => {
      if (req.url === '/robots.txt') return res.writeHead(404).end();
      order.push(req.url!);
      res.writeHead(200, { 'content-type': 'text/html' }).end(linked());
    });
    const t = await setup();
    const said = (o: Partial<ToolState>): ToolState => ({
      tool: 'semrush',
      nofollow: false,
      sponsored: false,
      ugc: false,
      lost: false,
      lostOn: null,
      lostReason: null,
      firstSeen: '2026-01-14',
      lastSeen: '2026-05-20',
      ...o,
    });
    const [checked] = await t.add(input(`${base}d-checked-before`));
    await t.run({ concurrency: 1 });
    const [plain, nofollow, lost] = await t.add(
      input(`${base}a-plain`),
      input(`${base}b-nofollow`),
      input(`${base}c-lost`),
    );
    await saveToolStates(
      t.sql,
      [
        { backlinkId: checked!, state: said({ lost: true }) },
        { backlinkId: plain!, state: said({}) },
        { backlinkId: nofollow!, state: said({ nofollow: true }) },
        { backlinkId: lost!, state: said({ tool: 'ahrefs', lost: true, lostOn: '2026-05-01' }) },
      ],
      t.clock.now(),
    );
    order.length = 0;
    t.clock.advance(7 * 3_600_000);
    await t.run({ concurrency: 1 });
    expect(order).toEqual(['/c-lost', '/b-nofollow', '/a-plain', '/d-checked-before']);
  });

  it('waits the minimum delay between requests to one donor host', async () => {
    const times: number[] = [];
    const base = await localServer((req, res) => {
      if (req.url === '/robots.txt') return res.writeHead(404).end();
      times.push(performance.now());
      res.writeHead(200, { 'content-type': 'text/html' }).end(linked());
    });
    const t = await setup();
    await t.add(input(`${base}a`), input(`${base}b`), input(`${base}c`));
    await t.run({ minDelayMs: 150 });
    const gaps = times.slice(1).map((x, i) => x - times[i]!);
    // Measured on arrival, where a loaded machine can shift one request by a few ms; without the delay
    // the gaps are a few ms.
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(120);
  });

  it('on stop, links queued behind a slow donor host leave the queue at once and nothing unfinished is stored', async () => {
    // /0 answers; every later page hangs (a donor that stopped answering). The run is stopped while /1 hangs.
    const stop = new AbortController();
    let stoppedAt = 0;
    const pages: string[] = [];
    const base = await localServer((req, res) => {
      if (req.url === '/robots.txt') return res.writeHead(404).end();
      pages.push(req.url!);
      if (req.url === '/0') return res.writeHead(200, { 'content-type': 'text/html' }).end(linked());
      setTimeout(() => {
        stoppedAt = performance.now();
        stop.abort();
      }, 50);
    });
    const t = await setup();
    const ids = await t.add(...Array.from({ length: 50 }, (_, i) => input(`${base}${i}`)));
    // One request per second to the host: without the signal, each of the workers still waiting would
    // start its fetch a second after the previous one, long after the stop.
    const summary = await checkSiteBacklinks({ ...t.deps, signal: stop.signal }, t.site, {
      minDelayMs: 1000,
      timeoutMs: 60_000,
      render: 'never',
      concurrency: 8,
    });
    expect(stoppedAt).toBeGreaterThan(0);
    // Uncut, the waiting workers would go on fetching once a second for seconds; room for a loaded machine.
    expect(performance.now() - stoppedAt).toBeLessThan(2500);
    expect(pages).toEqual(['/0', '/1']);
    expect(summary.checked).toBe(1);
    expect(await checkHistory(t.sql, ids[0]!)).toHaveLength(1);
    // /1 was cut short by the stop, the other 48 never started: no check row, no "inconclusive" made up.
    const checkedLater = [];
    for (const id of ids.slice(1)) if ((await checkHistory(t.sql, id)).length > 0) checkedLater.push(id);
    expect(checkedLater).toEqual([]);
  });
});

describe('cloaking check', () => {
  it('flags a link shown to Googlebot only, as a suspicion', async () => {
    const base = await localServer((req, res) => {
      if (req.url === '/robots.txt') return res.writeHead(404).end();
      const bot = /Googlebot/.test(req.headers['user-agent'] ?? '');
      res.writeHead(200, { 'content-type': 'text/html' }).end(bot ? linked() : page('<p>nothing to see</p>'));
    });
    const t = await setup();
    const [id] = await t.add(input(`${base}cloaked`));
    await t.run({ cloaking: true });
    expect((await checkHistory(t.sql, id!))[0]!.reasons).toContain(
      'possible cloaking: the link is shown to Googlebot only (not proof: some sites block fake Googlebots)',
    );
  });
});
