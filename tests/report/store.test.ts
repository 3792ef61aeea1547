// The archive of weekly reports on both backends: one row per site and week whose permalink survives a
// rebuild, sending state kept unless forced, the PDF bytes and the language read back as stored.
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Sql } from '../../src/db/store/types.ts';
import {
  getReport,
  getReportByWeek,
  listReports,
  markSendFailed,
  markSent,
  saveReport,
  type ReportInput,
} from '../../src/report/store.ts';
import type { ReportData } from '../../src/report/types.ts';
import { parseWeek } from '../../src/report/week.ts';
import { BACKENDS, stopPgServer } from '../pg/backends.ts';

afterAll(stopPgServer);

const NOW = new Date('2026-11-23T05:00:00Z');
const LATER = new Date('2026-11-23T07:00:00Z');

function input(siteId: number, week: string, over: Partial<ReportInput> = {}): ReportInput {
  return {
    siteId,
    week: parseWeek(week),
    subject: `studio ${week}`,
    html: '<p>Отчёт</p>',
    emailHtml: '<p>Отчёт (письмо)</p>',
    text: 'Отчёт',
    data: { lang: 'ru', events: [] } as unknown as ReportData,
    pdf: Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00, 0xff, 0x0a]),
    ...over,
  };
}

describe.each(BACKENDS)('the reports archive on $name', (backend) => {
  let sql: Sql;
  let site: number;
  beforeEach(async () => {
    sql = (await backend.open()).sql;
    site = (await sql.get<{ id: number }>(
      `INSERT INTO sites (name, base_url, time_zone, created_at)
       VALUES ('studio', 'https://studio.example/', 'Europe/Moscow', ?) RETURNING id`,
      [NOW.toISOString()],
    ))!.id;
  });
  afterEach(async () => {
    await sql.close();
  });

  it('saves a report and reads it back whole, by id and by week, with its PDF bytes and language', async () => {
    const saved = await saveReport(sql, input(site, '2026-W47'), NOW);
    expect(saved).toMatchObject({
      siteId: site,
      week: '2026-W47',
      weekFrom: '2026-11-16',
      weekTo: '2026-11-22',
      createdAt: NOW.toISOString(),
      subject: 'studio 2026-W47',
      html: '<p>Отчёт</p>',
      emailHtml: '<p>Отчёт (письмо)</p>',
      text: 'Отчёт',
      hasPdf: true,
      sentAt: null,
      sendError: null,
      attempts: 0,
      lang: 'ru',
      data: { lang: 'ru', events: [] },
    });
    expect(Buffer.from(saved.pdf!)).toEqual(Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00, 0xff, 0x0a]));
    expect(await getReport(sql, saved.id)).toEqual(saved);
    expect(await getReportByWeek(sql, site, '2026-W47')).toEqual(saved);
    expect(await getReport(sql, saved.id + 1)).toBeUndefined();
    expect(await getReportByWeek(sql, site, '2026-W48')).toBeUndefined();
  });

  it('lists summaries newest week first, with hasPdf a boolean and English for data without a language', async () => {
    await saveReport(sql, input(site, '2026-W46', { pdf: null, data: {} as ReportData }), NOW);
    await saveReport(sql, input(site, '2026-W48'), NOW);
    await saveReport(sql, input(site, '2026-W47'), NOW);
    const list = await listReports(sql, site);
    expect(list.map((r) => [r.week, r.hasPdf, r.lang])).toEqual([
      ['2026-W48', true, 'ru'],
      ['2026-W47', true, 'ru'],
      ['2026-W46', false, 'en'],
    ]);
    expect(list[0]).not.toHaveProperty('html');
    expect((await listReports(sql, site, 2)).map((r) => r.week)).toEqual(['2026-W48', '2026-W47']);
  });

  it('keeps the id and the sending state when rebuilt, and clears the state when forced', async () => {
    const first = await saveReport(sql, input(site, '2026-W47'), NOW);
    await markSendFailed(sql, first.id, 'SMTP refused', 3);
    await markSent(sql, first.id, LATER, 2, 'not to anna@studio.example');
    const sent = (await getReport(sql, first.id))!;
    expect(sent).toMatchObject({
      sentAt: LATER.toISOString(),
      sendError: 'not to anna@studio.example',
      attempts: 5,
    });

    const rebuilt = await saveReport(sql, input(site, '2026-W47', { subject: 'rebuilt', pdf: null }), LATER);
    expect(rebuilt).toMatchObject({
      id: first.id,
      subject: 'rebuilt',
      createdAt: LATER.toISOString(),
      hasPdf: false,
      pdf: null,
      sentAt: LATER.toISOString(),
      sendError: 'not to anna@studio.example',
      attempts: 5,
    });

    const forced = await saveReport(sql, input(site, '2026-W47'), LATER, { force: true });
    expect(forced).toMatchObject({ id: first.id, sentAt: null, sendError: null, attempts: 0, hasPdf: true });
    expect(await listReports(sql, site)).toHaveLength(1);
  });
});
