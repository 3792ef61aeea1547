// The Reports pages: the archive list, a report's permalink under the dashboard's CSP, and its PDF.
import type { Browser } from 'playwright-core';
import * as cheerio from 'cheerio';
import { afterAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../src/browser/launcher.ts';
import type { Sql } from '../../src/db/store/types.ts';
import { formatter } from '../../src/i18n/index.ts';
import { renderReport } from '../../src/report/html.ts';
import type { ReportData } from '../../src/report/types.ts';
import { memoryLogger } from '../../src/util/log.ts';
import { JOBS } from '../../jobs/index.ts';
import { createApp } from '../../web/app.ts';
import { startServer } from '../../web/server.ts';
import { FakeClock, onCleanup, siteByName, testConfig, testStoreDeps } from '../helpers.ts';
import { englishIn } from '../i18n/english-left.ts';

const squash = (s: string) => s.replace(/\s+/g, ' ').trim();

const XSS = '<script>alert(1)</script>';
const PDF = Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\n%%EOF\n', 'latin1');

/** A standalone report document as the renderer makes it: a <style> element, inline SVG, escaped text. */
const reportHtml = (title: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<style>h1.report-title { color: rgb(200, 30, 40); }</style>
<style media="print">h1.report-title { color: black; }</style>
</head><body><h1 class="report-title">${title}</h1>
<p class="hostile">&lt;script&gt;alert(1)&lt;/script&gt; and &lt;style&gt;body{display:none}&lt;/style&gt;</p>
<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40"><rect width="120" height="40" fill="#2563eb"/></svg>
</body></html>`;

async function seed(
  sql: Sql,
  siteName: string,
  r: {
    week: string;
    from: string;
    to: string;
    createdAt: string;
    subject?: string;
    pdf?: Buffer | null;
    sentAt?: string | null;
    sendError?: string | null;
    attempts?: number;
    html?: string;
    /** The report's data as JSON; what the list reads of it is its language. */
    data?: string;
  },
): Promise<number> {
  const site = (await siteByName(sql, siteName))!;
  const res = await sql.get<{ id: number }>(
    `INSERT INTO reports (site_id, week, week_from, week_to, created_at, subject, html, email_html, text, data, pdf, sent_at, send_error, attempts)
     VALUES (?, ?, ?, ?, ?, ?, ?, '<p>email</p>', 'text', ?, ?, ?, ?, ?) RETURNING id`,
    [
      site.id,
      r.week,
      r.from,
      r.to,
      r.createdAt,
      r.subject ?? `${siteName}: week ${r.week}`,
      r.html ?? reportHtml(`Weekly report ${siteName} ${r.week}`),
      r.data ?? '{}',
      r.pdf ?? null,
      r.sentAt ?? null,
      r.sendError ?? null,
      r.attempts ?? 0,
    ],
  );
  return res!.id;
}

async function setup() {
  const clock = new FakeClock(Date.parse('2026-11-30T09:00:00Z'));
  const config = testConfig();
  const { db, sql } = await testStoreDeps(config, clock);
  const app = createApp({ db, sql, config, jobs: JOBS, now: clock.now, log: memoryLogger(), auth: null });
  return { app, sql };
}

describe('Reports page', () => {
  it("lists the site's reports newest week first, with when each was sent or why it was not", async () => {
    const { app, sql } = await setup();
    const older = await seed(sql, 'studio', {
      week: '2026-W47',
      from: '2026-11-16',
      to: '2026-11-22',
      createdAt: '2026-11-23T05:00:00.000Z',
      sentAt: '2026-11-23T05:01:00.000Z',
      attempts: 1,
      pdf: PDF,
    });
    const newer = await seed(sql, 'studio', {
      week: '2026-W48',
      from: '2026-11-23',
      to: '2026-11-29',
      createdAt: '2026-11-30T05:00:00.000Z',
      subject: `studio: ${XSS}`,
      sendError: `e-mail channel "boss": SMTP 550 ${XSS}`,
      attempts: 4,
    });
    await seed(sql, 'bakery', {
      week: '2026-W48',
      from: '2026-11-23',
      to: '2026-11-29',
      createdAt: '2026-11-30T05:00:00Z',
    });

    const res = await app.request('/reports?site=studio');
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).not.toContain(XSS);
    expect(page).toContain('studio: &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).toContain('SMTP 550 &lt;script&gt;');
    expect(page).toContain('4 attempts');
    expect(page.indexOf('2026-W48')).toBeLessThan(page.indexOf('2026-W47'));
    expect(page).toContain(formatter('en').dayRange('2026-11-23', '2026-11-29'));
    expect(page).toContain('not sent');
    // Created and sent times in the site's time zone (Moscow, UTC+3).
    expect(page).toContain('23 Nov 2026, 08:01');
    expect(page).toContain(`href="/reports/${newer}?site=studio"`);
    expect(page).toContain(`href="/reports/${older}/pdf?site=studio"`);
    expect(page).not.toContain(`href="/reports/${newer}/pdf`);
    expect(page).not.toContain('bakery: week');
  });

  it('says how reports get made when the site has none yet', async () => {
    const { app, sql } = await setup();
    await seed(sql, 'studio', {
      week: '2026-W48',
      from: '2026-11-23',
      to: '2026-11-29',
      createdAt: '2026-11-30T05:00:00Z',
    });
    const page = await (await app.request('/reports?site=bakery')).text();
    expect(page).toContain('No reports yet');
    expect(page).toContain(
      'The weekly-report job makes one every Monday at 08:00, or run promowatch report --site bakery',
    );
    expect(page).not.toContain('<table');
  });
});

describe('Reports page in Russian', () => {
  const ru = { headers: { 'accept-language': 'ru-RU,ru;q=0.9' } };

  it('lists the reports in Russian: dates, plurals, states, and which report is in another language', async () => {
    const { app, sql } = await setup();
    const weeks = [
      ['2026-W45', '2026-11-02', '2026-11-08', 1],
      ['2026-W46', '2026-11-09', '2026-11-15', 2],
      ['2026-W47', '2026-11-16', '2026-11-22', 5],
      ['2026-W48', '2026-11-23', '2026-11-29', 21],
    ] as const;
    for (const [week, from, to, attempts] of weeks)
      await seed(sql, 'studio', {
        week,
        from,
        to,
        createdAt: `${to}T21:00:00.000Z`,
        sentAt: week === '2026-W45' ? null : `${to}T21:01:00.000Z`,
        subject: `promowatch, неделя ${week} · studio: нет данных за неделю`,
        attempts,
        data: JSON.stringify({ lang: week === '2026-W45' ? 'en' : 'ru' }),
      });
    const res = await app.request('/reports?site=studio', ru);
    const page = await res.text();
    expect(/<html lang="([a-z]+)">/.exec(page)?.[1]).toBe('ru');
    const $ = cheerio.load(page);
    const main = $('main');
    expect(englishIn(main.text())).toEqual([]);
    expect(main.find('h1').text()).toContain('Отчёты');
    expect(
      main
        .find('th')
        .toArray()
        .map((e) => $(e).text()),
    ).toEqual(['Неделя', 'Тема', 'Создан', 'Отправлен', '']);
    const rows = main
      .find('tbody tr')
      .toArray()
      .map((e) => squash($(e).text()));
    const f = formatter('ru', 'Europe/Moscow');
    // Newest first; each with its range and times in the site's zone, and its attempts counted.
    expect(rows[0]).toContain(squash(f.dayRange('2026-11-23', '2026-11-29')));
    expect(rows[0]).toContain(`отправлен ${squash(f.dateTime('2026-11-29T21:01:00.000Z'))}`);
    expect(squash(f.dateTime('2026-11-29T21:01:00.000Z'))).toBe('30 нояб. 2026 г., 00:01');
    expect(rows[0]).toContain('21 попытка');
    expect(rows[1]).toContain('5 попыток');
    expect(rows[2]).toContain('2 попытки');
    expect(rows[3]).toContain('1 попытка');
    expect(rows[3]).toContain('не отправлен');
    // A report written in English says so; the subject cell carries its language.
    expect(rows[3]).toContain('(на английском)');
    expect(rows[0]).not.toContain('(на ');
    expect(page).toMatch(/<td lang="en">promowatch, неделя 2026-W45/);
    expect(main.find('tbody a').first().text()).toBe('Открыть');
  });

  it('says in Russian how reports get made, and answers 404 in Russian', async () => {
    const { app } = await setup();
    const page = await (await app.request('/reports?site=bakery', ru)).text();
    expect(page).toContain('Отчётов пока нет');
    expect(page).toContain(
      'Задача weekly-report формирует отчёт каждый понедельник в 08:00; можно и вручную: promowatch report --site bakery',
    );
    expect(englishIn(cheerio.load(page)('main').text())).toEqual([]);
    const missing = await app.request('/reports/12345', ru);
    expect(missing.status).toBe(404);
    // In the layout, with the navigation, not a bare line of text.
    const $ = cheerio.load(await missing.text());
    expect([$('main h1').text(), $('nav a').length > 0]).toEqual(['Не найдено', true]);
  });

  it("serves a report in the language it was written in, whatever the visitor's", async () => {
    const { app, sql } = await setup();
    const data = renderedData();
    data.lang = 'ru';
    const id = await seed(sql, 'studio', {
      week: '2026-W48',
      from: '2026-11-23',
      to: '2026-11-29',
      createdAt: '2026-11-30T05:00:00Z',
      html: renderReport(data).html,
      data: JSON.stringify(data),
    });
    const doc = await (await app.request(`/reports/${id}`, { headers: { 'accept-language': 'en' } })).text();
    expect(/<html lang="([a-z]+)">/.exec(doc)?.[1]).toBe('ru');
    expect(doc).toContain('<h2>Здоровье сайта</h2>');
  });
});

describe('a report permalink', () => {
  it('serves the report as its own document, its styles moved to a same-origin stylesheet under the strict CSP', async () => {
    const { app, sql } = await setup();
    const id = await seed(sql, 'bakery', {
      week: '2026-W48',
      from: '2026-11-23',
      to: '2026-11-29',
      createdAt: '2026-11-30T05:00:00Z',
    });

    // The mailed permalink carries no site; with ?site= naming the report's own site it works too.
    for (const path of [`/reports/${id}`, `/reports/${id}?site=bakery`]) {
      const res = await app.request(path);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      const csp = res.headers.get('content-security-policy')!;
      expect(csp).toContain("style-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      const doc = await res.text();
      expect(doc).toMatch(/^<!doctype html>/);
      expect(doc).toContain('<h1 class="report-title">Weekly report bakery 2026-W48</h1>');
      // Not wrapped in the dashboard layout.
      expect(doc).not.toContain('/static/app.js');
      expect(doc).not.toMatch(/<style[\s>]/i);
      expect(doc.match(/<link rel="stylesheet"/g)).toHaveLength(1);
      expect(doc).toContain(`<link rel="stylesheet" href="/reports/${id}/report.css">`);
      // Escaped text that looks like a style element is text, and stays.
      expect(doc).toContain('&lt;style&gt;body{display:none}&lt;/style&gt;');
      expect(doc).toContain('<svg xmlns="http://www.w3.org/2000/svg"');
    }

    const css = await app.request(`/reports/${id}/report.css`);
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    const text = await css.text();
    expect(text).toContain('h1.report-title { color: rgb(200, 30, 40); }');
    expect(text).toContain('@media print {\nh1.report-title { color: black; }\n}');
    expect(text.indexOf('rgb(200, 30, 40)')).toBeLessThan(text.indexOf('black'));
  });

  it('answers 404 for a report of another site, an unknown id and a malformed one', async () => {
    const { app, sql } = await setup();
    const id = await seed(sql, 'studio', {
      week: '2026-W48',
      from: '2026-11-23',
      to: '2026-11-29',
      createdAt: '2026-11-30T05:00:00Z',
      pdf: PDF,
    });
    for (const path of [
      `/reports/${id}?site=bakery`,
      `/reports/${id}/pdf?site=bakery`,
      `/reports/${id}/report.css?site=bakery`,
      `/reports/${id + 1}`,
      `/reports/${id + 1}/pdf`,
      '/reports/1e3',
      '/reports/-1',
      '/reports/99999999999999999999',
    ])
      expect([path, (await app.request(path)).status]).toEqual([path, 404]);
    expect((await app.request(`/reports/${id}?site=studio`)).status).toBe(200);
  });

  it('answers 404 for a report of a site that is no longer configured', async () => {
    const { app, sql } = await setup();
    await sql.run(
      `INSERT INTO sites (name, base_url, time_zone, created_at) VALUES ('gone', 'http://gone.example/', 'UTC', '2026-01-01T00:00:00Z')`,
    );
    const id = await seed(sql, 'gone', {
      week: '2026-W48',
      from: '2026-11-23',
      to: '2026-11-29',
      createdAt: '2026-11-30T05:00:00Z',
    });
    expect((await app.request(`/reports/${id}`)).status).toBe(404);
  });
});

describe('a report PDF', () => {
  it('downloads the stored PDF as an attachment named after the site and week', async () => {
    const { app, sql } = await setup();
    const id = await seed(sql, 'studio', {
      week: '2026-W48',
      from: '2026-11-23',
      to: '2026-11-29',
      createdAt: '2026-11-30T05:00:00Z',
      pdf: PDF,
    });
    const res = await app.request(`/reports/${id}/pdf?site=studio`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toBe(
      'attachment; filename="promowatch-studio-2026-W48.pdf"',
    );
    expect(Buffer.from(await res.arrayBuffer()).equals(PDF)).toBe(true);
  });

  it('answers 404 when the report has no PDF (Chromium was not available)', async () => {
    const { app, sql } = await setup();
    const id = await seed(sql, 'studio', {
      week: '2026-W48',
      from: '2026-11-23',
      to: '2026-11-29',
      createdAt: '2026-11-30T05:00:00Z',
    });
    expect((await app.request(`/reports/${id}/pdf`)).status).toBe(404);
  });
});

/** A report as the real renderer makes it: one section with a chart and hostile crawled text. */
function renderedReport(): string {
  return renderReport(renderedData()).html;
}

function renderedData(): ReportData {
  return {
    lang: 'en',
    site: { id: 1, name: 'studio', baseUrl: 'https://studio.example/', timeZone: 'Europe/Moscow' },
    week: { week: '2026-W48', from: '2026-11-23', to: '2026-11-29' },
    generatedAt: '2026-11-30T05:00:00Z',
    visibility: null,
    backlinks: null,
    ads: null,
    health: {
      crawlDay: '2026-11-23',
      score: 81,
      previousScore: 90,
      change: -9,
      newCritical: [{ rule: 'title-missing', title: XSS, url: `https://studio.example/?q=${XSS}` }],
      fixed: [],
      pages: 40,
      trend: [
        { day: '2026-11-09', score: 92 },
        { day: '2026-11-16', score: 90 },
        { day: '2026-11-23', score: 81 },
      ],
    },
    jobFailures: [],
    events: [],
  };
}

describe('a report in Chromium', () => {
  let browser: Browser | undefined;
  afterAll(async () => {
    await browser?.close();
  });

  async function open(html?: string) {
    const { app, sql } = await setup();
    const id = await seed(sql, 'studio', {
      week: '2026-W48',
      from: '2026-11-23',
      to: '2026-11-29',
      createdAt: '2026-11-30T05:00:00Z',
      html,
    });
    const server = await startServer(app, '127.0.0.1', 0, null);
    onCleanup(() => server.close());
    browser ??= await launchChromium();
    const page = await browser.newPage();
    onCleanup(() => page.close());
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    await page.goto(`${server.url}reports/${id}`);
    return { page, problems };
  }

  it('shows the report styled, with no CSP violation and the hostile text as text', async () => {
    const { page, problems } = await open();
    const colour = await page.locator('h1.report-title').evaluate((el) => getComputedStyle(el).color);
    expect(colour).toBe('rgb(200, 30, 40)');
    expect(await page.locator('p.hostile').textContent()).toBe(
      '<script>alert(1)</script> and <style>body{display:none}</style>',
    );
    expect(await page.locator('svg rect').count()).toBe(1);
    expect(problems).toEqual([]);
  }, 60_000);

  it("shows the real renderer's report with its stylesheet and chart applied", async () => {
    const { page, problems } = await open(renderedReport());
    // REPORT_CSS: a grey page around a white column, and the chart scaled to the column.
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe(
      'rgb(243, 244, 246)',
    );
    expect(await page.locator('main').evaluate((el) => getComputedStyle(el).backgroundColor)).toBe(
      'rgb(255, 255, 255)',
    );
    expect(
      await page
        .locator('figure svg')
        .first()
        .evaluate((el) => getComputedStyle(el).display),
    ).toBe('block');
    expect(await page.locator('body').textContent()).toContain(XSS);
    expect(await page.locator('script').count()).toBe(0);
    expect(problems).toEqual([]);
  }, 60_000);
});
