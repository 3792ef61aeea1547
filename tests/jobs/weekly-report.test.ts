// The weekly-report job: one e-mail per site and week however often it runs, --force to resend, Monday 08:00.
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { describe, expect, it } from 'vitest';
import { JOBS } from '../../jobs/index.ts';
import { runJob } from '../../jobs/runner.ts';
import { describeNextRun, planRuns } from '../../jobs/scheduler.ts';
import { reportLanguage, runWeeklyReport, weeklyReportJob } from '../../jobs/weekly-report.ts';
import { nextFireAfter } from '../../src/config/cron.ts';
import { getReportByWeek, listReports } from '../../src/report/store.ts';
import { FakeClock, onCleanup, siteByName, testConfig, testStoreDeps } from '../helpers.ts';

/** A real SMTP server that takes every message without a login and keeps who it was for. */
async function smtpServer() {
  const delivered: string[][] = [];
  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    logger: false,
    size: 20 * 1024 * 1024,
    onData(stream, session, cb) {
      stream.resume();
      stream.on('end', () => {
        delivered.push(session.envelope.rcptTo.map((r) => r.address));
        cb();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  onCleanup(() => new Promise<void>((r) => server.close(() => r())));
  return { port: (server.server.address() as AddressInfo).port, delivered };
}

async function setup() {
  const smtp = await smtpServer();
  // Monday 23 November 2026, 08:00 in Moscow.
  const clock = new FakeClock(Date.parse('2026-11-23T05:00:00Z'));
  const config = testConfig({
    notifications: {
      channels: [
        {
          type: 'email',
          name: 'owner-mail',
          to: ['owner@studio.example'],
          smtp: { host: '127.0.0.1', port: smtp.port, from: 'promowatch@studio.example' },
        },
      ],
    },
  });
  const deps = await testStoreDeps(config, clock);
  const { sql } = deps;
  const site = (await siteByName(sql, 'studio'))!;
  return { smtp, sql, clock, deps, site };
}

describe('weekly-report job', () => {
  it("sends a site's week once, however often it runs, and the next week again", async () => {
    const { smtp, sql, clock, deps, site } = await setup();
    const first = await runJob(deps, weeklyReportJob, site, 'schedule');
    expect(first).toMatchObject({ status: 'ok', counts: { sent: 1, alreadySent: 0 } });
    const sentAt = (await getReportByWeek(sql, site.id, '2026-W47'))!.sentAt;
    expect(sentAt).toBe('2026-11-23T05:00:00.000Z');

    // A catch-up run at the next start, and a person pressing "Run now" later the same day.
    clock.advance(2 * 3_600_000);
    expect(await runJob(deps, weeklyReportJob, site, 'catch-up')).toMatchObject({
      status: 'ok',
      counts: { sent: 0, alreadySent: 1 },
    });
    expect(await runJob(deps, weeklyReportJob, site, 'manual')).toMatchObject({ status: 'ok' });
    expect(smtp.delivered).toEqual([['owner@studio.example']]);
    expect((await getReportByWeek(sql, site.id, '2026-W47'))!.sentAt).toBe(sentAt);

    clock.advance(7 * 86_400_000);
    await runJob(deps, weeklyReportJob, site, 'schedule');
    expect(smtp.delivered).toHaveLength(2);
    expect((await listReports(sql, site.id)).map((r) => r.week)).toEqual(['2026-W48', '2026-W47']);
  });

  it('sends the same week again when forced, keeping its permalink', async () => {
    const { smtp, sql, clock, deps, site } = await setup();
    await runJob(deps, weeklyReportJob, site, 'schedule');
    const before = (await getReportByWeek(sql, site.id, '2026-W47'))!;
    clock.advance(3_600_000);
    const ctx = { ...deps, site };
    expect((await runWeeklyReport(ctx, { send: true })).alreadySent).toBe(true);
    expect(smtp.delivered).toHaveLength(1);
    const forced = await runWeeklyReport(ctx, { send: true, force: true });
    expect(forced.alreadySent).toBe(false);
    expect(smtp.delivered).toHaveLength(2);
    expect(forced.report).toMatchObject({
      id: before.id,
      sentAt: '2026-11-23T06:00:00.000Z',
      createdAt: '2026-11-23T06:00:00.000Z',
      attempts: 1,
    });
  });

  it('archives without sending when not asked to send, and sends that report later', async () => {
    const { smtp, sql, deps, site } = await setup();
    const ctx = { ...deps, site };
    const archived = await runWeeklyReport(ctx, {});
    expect(archived.report).toMatchObject({
      week: '2026-W47',
      weekFrom: '2026-11-16',
      weekTo: '2026-11-22',
      sentAt: null,
    });
    expect(smtp.delivered).toHaveLength(0);
    await runJob(deps, weeklyReportJob, site, 'schedule');
    expect(smtp.delivered).toHaveLength(1);
    expect((await listReports(sql, site.id)).map((r) => r.id)).toEqual([archived.report.id]);
  });

  it("writes each site's report in the site's language, else in web.language, and keeps it as written", async () => {
    const { sql, deps, site } = await setup();
    deps.config.web.language = 'ru';
    deps.config.sites[1]!.language = 'en';
    const bakery = (await siteByName(sql, 'bakery'))!;
    expect([reportLanguage(deps.config, 'studio'), reportLanguage(deps.config, 'bakery')]).toEqual([
      'ru',
      'en',
    ]);
    const studioReport = (await runWeeklyReport({ ...deps, site }, {})).report;
    const bakeryReport = (await runWeeklyReport({ ...deps, site: bakery }, {})).report;
    expect([studioReport.lang, studioReport.data.lang]).toEqual(['ru', 'ru']);
    expect(studioReport.subject).toBe('promowatch, неделя 2026-W47 · studio: нет данных за неделю');
    expect(studioReport.html).toContain('<html lang="ru">');
    expect(studioReport.text).toContain('Нет данных о ссылках за эту неделю.');
    expect(bakeryReport.lang).toBe('en');
    expect(bakeryReport.text).toContain('No backlink data this week.');
    // The archive keeps the language it was written in when the config changes later.
    deps.config.web.language = 'en';
    expect((await getReportByWeek(sql, site.id, '2026-W47'))!.text).toContain(
      'Нет данных о ссылках за эту неделю.',
    );
    // --lang (the CLI's) overrides the site's.
    const english = await runWeeklyReport({ ...deps, site }, { lang: 'en' });
    expect(english.report.subject).toBe('promowatch weekly · studio · 2026-W47: no data this week');
  });

  it("is due Monday 08:00 in each site's own time zone", async () => {
    const deps = await testStoreDeps(testConfig(), new FakeClock(0));
    const plans = (await planRuns(deps, JOBS)).filter((p) => p.job.name === 'weekly-report');
    expect(plans.map((p) => [p.site!.name, p.schedule, p.timeZone])).toEqual([
      ['studio', '0 8 * * 1', 'Europe/Moscow'],
      ['bakery', '0 8 * * 1', 'Asia/Yekaterinburg'],
    ]);
    // From Wednesday 25 November: Monday 30 November, 08:00 in Moscow (UTC+3) and Yekaterinburg (UTC+5).
    const wednesday = new Date('2026-11-25T12:00:00Z');
    expect(plans.map((p) => describeNextRun(p, wednesday)?.toISOString())).toEqual([
      '2026-11-30T05:00:00.000Z',
      '2026-11-30T03:00:00.000Z',
    ]);
    // A minute before 08:00 Moscow on a Monday, the run is that same morning.
    expect(nextFireAfter(plans[0]!.schedule, 'Europe/Moscow', new Date('2026-11-30T04:59:00Z'))).toEqual(
      new Date('2026-11-30T05:00:00Z'),
    );
  });
});
