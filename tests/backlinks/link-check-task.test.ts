// The `links` task on both stores: a run's check of a link is stored once however often its task runs
// (twice in a row, or two tries at once), the donor is not asked again by a retry, and requests to one
// donor host keep their gap through the database's slots.
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { linkCheckTask, runLinkCheck, type LinkCheckPayload } from '../../src/backlinks/link-check-task.ts';
import { insertBacklinks, getBacklink, runChecks, setArchived } from '../../src/backlinks/store.ts';
import type { BacklinkInput } from '../../src/backlinks/types.ts';
import type { Sql } from '../../src/db/store/types.ts';
import type { TaskContext } from '../../src/queue/types.ts';
import { fetchPage } from '../../src/fetch/http-fetcher.ts';
import { memoryLogger } from '../../src/util/log.ts';
import { localServer } from '../helpers.ts';
import { BACKENDS, stopPgServer } from '../pg/backends.ts';

afterAll(stopPgServer);

const TARGET = 'https://studio.example/';
const NOW = new Date('2026-11-27T06:00:00Z');

const input = (donorUrl: string): BacklinkInput => ({
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
});

/** A donor with the link on /live/*, without it on /removed/*, that counts and times each page request. */
async function donor(latencyMs = 0) {
  const hits: { path: string; at: number }[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const base = await localServer((req, res) => {
    if (req.url === '/robots.txt') return void res.writeHead(200).end('User-agent: *\nAllow: /\n');
    hits.push({ path: req.url!, at: performance.now() });
    maxInFlight = Math.max(maxInFlight, ++inFlight);
    const body = req.url!.startsWith('/live')
      ? `<html><body><p>Text</p><a href="${TARGET}">motion design</a></body></html>`
      : '<html><body><p>Text, no link</p></body></html>';
    setTimeout(() => {
      inFlight--;
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(body);
    }, latencyMs);
  });
  return { base, hits, maxInFlight: () => maxInFlight };
}

describe.each(BACKENDS)('the links task on $name', (backend) => {
  let sql: Sql;
  let site: number;
  let runId: number;
  beforeEach(async () => {
    sql = (await backend.open()).sql;
    site = (await sql.get<{ id: number }>(
      'INSERT INTO sites (name, base_url, time_zone, created_at) VALUES (?, ?, ?, ?) RETURNING id',
      ['studio', TARGET, 'Europe/Moscow', NOW.toISOString()],
    ))!.id;
    runId = await newRun();
  });
  afterEach(async () => {
    await sql.close();
  });

  async function newRun(): Promise<number> {
    return (await sql.get<{ id: number }>(
      `INSERT INTO job_runs (job, site_id, trigger, started_at, status, pid) VALUES ('check-backlinks', ?, 'cli', ?, 'running', 1) RETURNING id`,
      [site, NOW.toISOString()],
    ))!.id;
  }

  const ctx = (signal = new AbortController().signal): TaskContext => ({
    sql,
    log: memoryLogger(),
    now: () => NOW,
    fetch,
    signal,
  });
  const payload = (linkId: number, o: Partial<LinkCheckPayload> = {}): LinkCheckPayload => ({
    runId,
    linkId,
    settings: { minDelayMs: 0, timeoutMs: 2000, render: 'never', confirmChecks: 1 },
    evidenceDir: '/nonexistent',
    ...o,
  });
  const checkRows = async (linkId: number) =>
    sql.all<{ runId: number; outcome: string }>(
      'SELECT run_id AS "runId", outcome FROM backlink_checks WHERE backlink_id = ? ORDER BY id',
      [linkId],
    );

  it('stores a run’s check once when its task runs again, without asking the donor again', async () => {
    const d = await donor();
    const [id] = await insertBacklinks(sql, site, [input(`${d.base}removed/a`)], NOW);
    expect(await runLinkCheck(payload(id!), ctx())).toEqual({
      linkId: id,
      outcome: 'missing',
      change: 'unchecked → lost',
    });
    // The retry of a task whose worker died after the store.
    expect(await linkCheckTask.handler({ ...task(payload(id!)), attempt: 2 }, ctx())).toEqual({
      linkId: id,
      skipped: 'already checked in this run',
    });
    expect(d.hits).toHaveLength(1);
    expect(await checkRows(id!)).toEqual([{ runId, outcome: 'missing' }]);
    expect(
      await sql.all('SELECT to_status AS "to" FROM backlink_events WHERE backlink_id = ?', [id]),
    ).toEqual([{ to: 'lost' }]);
    expect(await runChecks(sql, site, runId)).toEqual([
      {
        linkId: id,
        mode: 'static',
        outcome: 'missing',
        change: { from: 'unchecked', to: 'lost', reasons: expect.any(Array) },
      },
    ]);
    // The next run checks it again: one check per run.
    const next = await newRun();
    await runLinkCheck(payload(id!, { runId: next }), ctx());
    expect(await checkRows(id!)).toEqual([
      { runId, outcome: 'missing' },
      { runId: next, outcome: 'missing' },
    ]);
  });

  it('stores one check and one change when two tries of the same task run at once', async () => {
    const d = await donor(30);
    const [id] = await insertBacklinks(sql, site, [input(`${d.base}live/a`)], NOW);
    const outputs = await Promise.all([runLinkCheck(payload(id!), ctx()), runLinkCheck(payload(id!), ctx())]);
    expect(outputs).toContainEqual({ linkId: id, outcome: 'live', change: 'unchecked → live' });
    expect(outputs).toContainEqual({ linkId: id, skipped: 'already checked in this run' });
    expect(await checkRows(id!)).toEqual([{ runId, outcome: 'live' }]);
    expect((await getBacklink(sql, id!))!.status).toBe('live');
    expect(
      await sql.all('SELECT to_status AS "to" FROM backlink_events WHERE backlink_id = ?', [id]),
    ).toEqual([{ to: 'live' }]);
  });

  it('keeps one request at a time and the minimum delay on a donor host through the database', async () => {
    const d = await donor(20);
    const ids = await insertBacklinks(
      sql,
      site,
      ['a', 'b', 'c', 'd'].map((p) => input(`${d.base}live/${p}`)),
      NOW,
    );
    const settings = { minDelayMs: 300, timeoutMs: 2000, render: 'never' as const };
    // The process's first request is slow to arrive (modules and sockets warming up), which would read as
    // a short gap after it: one first, untimed.
    await fetchPage(`${d.base}robots.txt`);
    await Promise.all(ids.map((id) => runLinkCheck(payload(id, { settings }), ctx())));
    expect(d.hits).toHaveLength(4);
    expect(d.maxInFlight()).toBe(1);
    const at = d.hits.map((h) => h.at);
    // Arrival gaps, with room for when this busy machine lets the server (in this process) see each request.
    for (let i = 1; i < at.length; i++) expect(at[i]! - at[i - 1]!).toBeGreaterThanOrEqual(300 - 60);
    expect(await sql.all('SELECT token FROM limit_holds')).toEqual([]);
    expect(await sql.get('SELECT key FROM limit_keys')).toEqual({ key: `host:${new URL(d.base).host}` });
  });

  it('skips a link deleted or archived after the run listed it, storing nothing', async () => {
    const d = await donor();
    const [a, b] = await insertBacklinks(
      sql,
      site,
      [input(`${d.base}live/a`), input(`${d.base}live/b`)],
      NOW,
    );
    await sql.run('DELETE FROM backlinks WHERE id = ?', [a]);
    await setArchived(sql, [b!], NOW);
    expect(await runLinkCheck(payload(a!), ctx())).toEqual({ linkId: a, skipped: 'deleted' });
    expect(await runLinkCheck(payload(b!), ctx())).toEqual({ linkId: b, skipped: 'archived' });
    expect(d.hits).toEqual([]);
    expect(await sql.all('SELECT id FROM backlink_checks')).toEqual([]);
  });

  it('stores nothing when its try is stopped mid-check, so the retry checks afresh', async () => {
    const d = await donor(300);
    const [id] = await insertBacklinks(sql, site, [input(`${d.base}live/a`)], NOW);
    const stop = new AbortController();
    setTimeout(() => stop.abort(new Error('its lease of 600 s ran out before it finished')), 50);
    await expect(runLinkCheck(payload(id!), ctx(stop.signal))).rejects.toThrow();
    expect(await checkRows(id!)).toEqual([]);
    expect(await runLinkCheck(payload(id!), ctx())).toMatchObject({ outcome: 'live' });
    expect(await checkRows(id!)).toEqual([{ runId, outcome: 'live' }]);
  });
});

function task(p: LinkCheckPayload) {
  return { id: 't1', kind: 'links', payload: p, key: `${p.runId}:${p.linkId}`, attempt: 1, attempts: 3 };
}
