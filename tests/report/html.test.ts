// The report as HTML: the standalone page and the e-mail variant carry the text part's sections and
// "no data" sentences, e-mail HTML keeps to what mail clients render, and hostile stored text stays text.
import * as cheerio from 'cheerio';
import { describe, expect, it } from 'vitest';
import { formatter } from '../../src/i18n/index.ts';
import { REPORT_CSS, REPORT_HTML_CSP, renderReport } from '../../src/report/html.ts';
import type { ReportData } from '../../src/report/types.ts';
import { englishIn, visibleText } from '../i18n/english-left.ts';

const HOSTILE = `<script>alert(1)</script><img src=x onerror="alert(2)"> & "q" 'a'`;
const DAYS = Array.from({ length: 14 }, (_, i) => `2026-11-${String(i + 2).padStart(2, '0')}`);

const move = (query: string, before: number | null, after: number | null) => ({
  keywordId: 1,
  query,
  engine: 'google',
  region: 'Moscow',
  device: 'desktop',
  before,
  after,
  change: (before ?? 101) - (after ?? 101),
});
const link = (donorUrl: string, vendor: string | null, reasons: string[]) => ({
  backlinkId: 1,
  donorUrl,
  target: 'https://studio.example/',
  vendor,
  at: '2026-11-11T09:00:00Z',
  reasons,
});

/** What was paid for a link, as build.ts records it with each change. */
const PRESS_RELEASE = { priceMicros: 8_000_000_000, currency: 'RUB', billing: 'one-off' as const };
const MONTHLY = { priceMicros: 400_000_000, currency: 'RUB', billing: 'monthly' as const };

function fullReport(hostile = 'x'): ReportData {
  return {
    lang: 'en',
    site: { id: 1, name: `studio ${hostile}`, baseUrl: 'https://studio.example/', timeZone: 'Europe/Moscow' },
    week: { week: '2026-W46', from: '2026-11-09', to: '2026-11-15' },
    generatedAt: '2026-11-16T06:00:00Z',
    visibility: {
      curve: 'sistrix',
      now: 12.5,
      before: 10,
      change: 2.5,
      series: DAYS.map((day, i) => ({ day, index: i === 4 ? null : 10 + i / 4 })),
      gains: [move(`motion design ${hostile}`, 14, 6)],
      losses: [move('animation studio', 3, 9)],
      enteredTop10: [move(`motion design ${hostile}`, 14, 6)],
      leftTop10: [],
      mismatches: [
        { query: 'logo', url: `https://studio.example/?q=${hostile}`, target: 'https://studio.example/logo' },
      ],
      failedChecks: 2,
    },
    backlinks: {
      lost: [
        {
          ...link(`https://donor.example/${hostile}`, `vendor ${hostile}`, [`removed ${hostile}`]),
          ...PRESS_RELEASE,
        },
      ],
      devalued: [{ ...link('https://other.example/post', null, ['nofollow']), ...MONTHLY }],
      recovered: [],
      dead: [
        {
          currency: 'RUB',
          links: 2,
          oneOffMicros: 8_000_000_000,
          monthlyMicros: 400_000_000,
          stillPayingMonthlyMicros: 400_000_000,
        },
      ],
      wasted: [{ currency: 'RUB', micros: 1_500_000_000 }],
      renewalsDue: [
        { backlinkId: 3, donorUrl: 'https://third.example/', paidUntil: '2026-11-20', vendor: null },
      ],
      live: 10,
      total: 12,
    },
    ads: {
      totals: [
        {
          currency: 'RUB',
          spendMicros: 48_300_000_000,
          prevSpendMicros: 43_000_000_000,
          spendChange: 0.12,
          impressions: 120_000,
          clicks: 3400,
          conversions: 80,
          valueMicros: 200_000_000_000,
          ctr: 0.0283,
          cpcMicros: 14_200_000,
          cpaMicros: 603_750_000,
          roas: 4.14,
        },
        {
          currency: 'USD',
          spendMicros: 120_000_000,
          prevSpendMicros: 0,
          spendChange: null,
          impressions: 900,
          clicks: 30,
          conversions: 0,
          valueMicros: 0,
          ctr: 0.0333,
          cpcMicros: 4_000_000,
          cpaMicros: null,
          roas: null,
        },
      ],
      pacing: [
        {
          account: `Main ${hostile}`,
          platform: 'yandex-direct',
          currency: 'RUB',
          monthToDateMicros: 100_000_000_000,
          budgetMicros: 150_000_000_000,
          forecastMicros: 190_000_000_000,
          overBy: 0.27,
          alert: true,
        },
      ],
      anomalies: [
        {
          day: '2026-11-12',
          account: 'Main',
          campaign: `Spend tripled ${hostile}`,
          kind: 'spend-spike',
          value: 21_000_000_000,
          baseline: 7_000_000_000,
          currency: 'RUB',
        },
      ],
      daily: [
        { day: '2026-11-09', currency: 'RUB', micros: 7_000_000_000 },
        { day: '2026-11-10', currency: 'RUB', micros: 6_500_000_000 },
        { day: '2026-11-10', currency: 'USD', micros: 60_000_000 },
        { day: '2026-11-11', currency: 'USD', micros: 60_000_000 },
      ],
    },
    health: {
      crawlDay: '2026-11-15',
      score: 91.2,
      previousScore: 88,
      change: 3.2,
      newCritical: [
        { rule: 'broken-link', title: `Broken link ${hostile}`, url: 'https://studio.example/a' },
      ],
      fixed: [{ rule: 'missing-title', title: 'Missing title', count: 4 }],
      pages: 120,
      trend: [
        { day: '2026-10-25', score: 85 },
        { day: '2026-11-01', score: 88 },
        { day: '2026-11-15', score: 91.2 },
      ],
    },
    jobFailures: [{ job: 'rank-check', at: '2026-11-12T03:00:00Z', error: `Search API said 500 ${hostile}` }],
    events: [{ day: '2026-11-10', title: `Site relaunch ${hostile}` }],
  };
}

function emptyReport(): ReportData {
  return {
    ...fullReport(),
    visibility: null,
    backlinks: null,
    ads: null,
    health: null,
    jobFailures: [],
    events: [],
  };
}

const SECTIONS = ['Visibility', 'Backlinks', 'Ads', 'Site health', 'Job failures'];
const NO_DATA = [
  'No rank tracking data this week.',
  'No backlink data this week.',
  'No ad spend data this week.',
  'No site crawl finished by the end of this week.',
  'No job failed this week.',
];
const squash = (s: string) => s.replace(/\s+/g, ' ').trim();

describe('renderReport()', () => {
  it('shows every section in both variants, in the order of the text part', () => {
    const r = renderReport(fullReport(), {});
    const doc = cheerio.load(r.html);
    expect(
      doc('section h2')
        .toArray()
        .map((e) => doc(e).text()),
    ).toEqual([...SECTIONS, 'Events']);
    const mail = cheerio.load(r.emailHtml);
    const mailHeadings = mail('p')
      .toArray()
      .map((e) => mail(e).text())
      .filter((t) => [...SECTIONS, 'Events'].includes(t));
    expect(mailHeadings).toEqual([...SECTIONS, 'Events']);
    const textOrder = SECTIONS.map((s) => r.text.indexOf(`\n${s}\n`));
    expect(textOrder.every((at, i) => at > 0 && (i === 0 || at > textOrder[i - 1]!))).toBe(true);
  });

  it('says "no data" for every empty section with the same sentences as the text part', () => {
    const r = renderReport(emptyReport(), {});
    expect(r.charts).toEqual([]);
    for (const variant of [r.html, r.emailHtml]) {
      const $ = cheerio.load(variant);
      const text = squash($('body').text());
      for (const sentence of NO_DATA) expect(text).toContain(sentence);
      for (const s of SECTIONS) expect($(`:contains("${s}")`).length).toBeGreaterThan(0);
    }
    for (const sentence of NO_DATA) expect(r.text).toContain(sentence);
  });

  it("uses the text part's wording for empty lists inside a section", () => {
    const r = renderReport(fullReport(), {});
    const $ = cheerio.load(r.emailHtml);
    const nones = $('p')
      .toArray()
      .map((e) => squash($(e).text()))
      .filter((t) => /: (none|no accounts)$/.test(t));
    expect(nones).toContain('Left the top 10: none');
    expect(nones).toContain('Recovered this week: none');
    for (const line of nones) expect(r.text).toContain(line);
  });

  it('shows the headline figures of each section', () => {
    const r = renderReport(fullReport(), {});
    for (const variant of [r.html, r.emailHtml]) {
      const text = squash(cheerio.load(variant)('body').text());
      expect(text).toContain(
        'Visibility index (sistrix CTR curve): 12.5% at the end of the week, +2.5 from 10% a week before',
      );
      expect(text).toContain('Live links at the end of the week: 10 of 12');
      expect(text).toContain('₽48,300');
      expect(text).toContain('$120');
      expect(text).toContain('OVER BUDGET');
      expect(text).toContain('Health score 91.2 (+3.2 from 88.0 the crawl before)');
      expect(text).toContain('Failed checks this week: 2 (not counted as positions)');
      // The money as it was paid first; the pro-rated figure after it, labelled an estimate.
      const paid = text.indexOf(
        'Lost or devalued at the end of the week: 2 links; paid for them: ₽8,000 one-off + ₽400/month',
      );
      const running = text.indexOf('Still paying for dead links: ₽400/month');
      const proRated = text.indexOf("Pro-rated cost of this week's dead days (an estimate");
      expect([paid, running, proRated].every((i) => i > 0)).toBe(true);
      expect(paid < running && running < proRated).toBe(true);
      expect(text).toContain('each price spread over the days it pays for): ₽1,500');
    }
  });

  it('gives each lost or devalued link the price paid or its monthly fee, and leaves the column out of older reports', () => {
    const $ = cheerio.load(renderReport(fullReport(), {}).html);
    const lost = $('h3:contains("Lost this week") + table');
    expect(
      lost
        .find('thead th')
        .toArray()
        .map((e) => $(e).text()),
    ).toEqual(['Day', 'Donor page', 'Target', 'Vendor', 'Paid', 'Why']);
    expect(lost.find('tbody td').eq(4).text()).toBe('₽8,000 one-off');
    expect($('h3:contains("Devalued this week") + table tbody td').eq(4).text()).toBe('₽400/month');
    // A report archived before reports told money as paid: no such column, no dead-links lines.
    const old = fullReport();
    old.backlinks!.lost = [link('https://donor.example/x', null, [])];
    delete old.backlinks!.dead;
    const $old = cheerio.load(renderReport(old, {}).html);
    expect(
      $old('h3:contains("Lost this week") + table thead th')
        .toArray()
        .map((e) => $old(e).text()),
    ).not.toContain('Paid');
    expect($old('body').text()).not.toContain('Still paying');
  });

  it('keeps currencies in separate columns, never adding them up', () => {
    const r = renderReport(fullReport(), {});
    const $ = cheerio.load(r.html);
    const totals = $('h3:contains("Totals per currency") + table');
    expect(
      totals
        .find('thead th')
        .toArray()
        .map((e) => $(e).text()),
    ).toEqual(['', 'RUB', 'USD']);
    expect(squash(totals.find('tr:contains("Spend")').first().text())).toBe('Spend₽48,300$120');
    const perDay = $('h3:contains("Spend per day") + table');
    expect(squash(perDay.find('tbody tr').eq(1).text())).toBe('Tue 10 Nov₽6,500$60');
  });

  it('draws the charts inline as SVG in the page, and as cid: images matching the chart ids in the e-mail', () => {
    const r = renderReport(fullReport(), {});
    expect(r.charts.map((c) => c.id)).toEqual(['visibility', 'ads-spend-rub', 'ads-spend-usd', 'health']);
    const doc = cheerio.load(r.html);
    expect(
      doc('figure > svg')
        .toArray()
        .map((e) => doc(e).attr('data-chart')),
    ).toEqual(r.charts.map((c) => c.id));
    const mail = cheerio.load(r.emailHtml);
    const imgs = mail('img')
      .toArray()
      .map((e) => mail(e));
    expect(imgs.map((i) => i.attr('src'))).toEqual(r.charts.map((c) => `cid:${c.id}@promowatch`));
    for (const [k, img] of imgs.entries()) {
      expect(Number(img.attr('width'))).toBeLessThanOrEqual(640);
      expect(Number(img.attr('height'))).toBeGreaterThan(0);
      expect(img.attr('alt')).toBe(r.charts[k]!.title);
    }
    expect(mail('svg')).toHaveLength(0);
  });

  it('leaves a chart out of both variants when its section has nothing to draw', () => {
    const data = fullReport();
    data.ads = { ...data.ads!, daily: [] };
    const r = renderReport(data, {});
    expect(r.charts.map((c) => c.id)).toEqual(['visibility', 'health']);
    expect(r.emailHtml).not.toContain('cid:ads-spend');
    expect(cheerio.load(r.html)('svg[data-chart^="ads-spend"]')).toHaveLength(0);
  });

  it('keeps e-mail HTML to what mail clients render: inline styles, tables, no <style>, no scripts, ≤ 640 px', () => {
    const r = renderReport(fullReport(), { url: 'https://pw.example/reports/1' });
    const $ = cheerio.load(r.emailHtml);
    expect($('style, script, link, svg, iframe, object, form')).toHaveLength(0);
    expect(r.emailHtml).not.toMatch(/<style|<script|class=/i);
    for (const tag of ['body', 'table', 'td', 'th', 'p', 'img', 'a'])
      for (const el of $(tag).toArray()) expect($(el).attr('style'), `<${tag}> has inline CSS`).toBeTruthy();
    const widths = $('[width]')
      .toArray()
      .map((e) => $(e).attr('width')!)
      .filter((w) => !w.endsWith('%'))
      .map(Number);
    expect(Math.max(...widths)).toBeLessThanOrEqual(640);
    for (const el of $('[style]').toArray()) {
      const px = [
        ...$(el)
          .attr('style')!
          .matchAll(/(?:^|;)\s*(?:max-)?width:\s*(\d+)px/g),
      ].map((m) => Number(m[1]));
      for (const w of px) expect(w).toBeLessThanOrEqual(640);
    }
    expect($('a').attr('href')).toBe('https://pw.example/reports/1');
  });

  it('makes the page standalone for the PDF: inline SVG, one style block, print rules for A4 and where pages may break', () => {
    const r = renderReport(fullReport(), {});
    const $ = cheerio.load(r.html);
    expect($('script, link, iframe, img')).toHaveLength(0);
    expect($('style')).toHaveLength(1);
    expect($('[style]')).toHaveLength(0);
    expect($('style').text()).toBe(REPORT_CSS);
    expect(REPORT_CSS).toMatch(/@page\s*{\s*size:\s*A4/);
    // Sections flow on: no forced page per section, only rows and charts kept whole.
    expect(REPORT_CSS).not.toMatch(/break-before:\s*page/);
    expect(REPORT_CSS).toMatch(/@media print[\s\S]*figure, tr[^{]*{ break-inside: avoid; }/);
    expect($('section.has-data')).toHaveLength(6);
    expect(REPORT_HTML_CSP).toMatch(/style-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(REPORT_HTML_CSP).not.toContain('unsafe-inline');
  });

  it('escapes hostile stored text in both variants and in the charts', () => {
    const r = renderReport(fullReport(HOSTILE), { url: 'https://pw.example/r?a=1&b="2"' });
    for (const variant of [r.html, r.emailHtml]) {
      const $ = cheerio.load(variant);
      expect($('script')).toHaveLength(0);
      expect($('[onerror]')).toHaveLength(0);
      expect($('img[src="x"]')).toHaveLength(0);
      expect(variant).not.toContain('<script>alert(1)');
      expect(variant).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      // The text survives as text.
      expect($('body').text()).toContain(`Spend tripled ${HOSTILE}`);
      expect($('a').attr('href')).toBe('https://pw.example/r?a=1&b="2"');
    }
    for (const c of r.charts) expect(c.svg).not.toContain('<script>');
    expect(r.subject).not.toMatch(/[\r\n]/);
  });

  it('drops control characters and bidirectional overrides from stored text', () => {
    const data = fullReport();
    const forged = 'line one\r\nSubject: forged\u202Etxt.exe\u0007';
    data.jobFailures[0]!.error = forged;
    data.ads!.anomalies[0]!.account = forged;
    data.visibility!.gains[0]!.query = forged;
    data.site.name = forged;
    const r = renderReport(data, {});
    for (const variant of [r.html, r.emailHtml]) {
      expect(variant).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u202e]/);
      expect(variant.split('line one  Subject: forged txt.exe').length - 1).toBeGreaterThanOrEqual(4);
    }
  });

  it('links the dashboard only for an http(s) address', () => {
    const r = renderReport(fullReport(), { url: 'javascript:alert(1)' });
    for (const variant of [r.html, r.emailHtml]) expect(cheerio.load(variant)('a')).toHaveLength(0);
  });

  it('returns the text part and subject from the text renderer', () => {
    const r = renderReport(fullReport(), { url: 'https://pw.example/reports/1' });
    expect(r.text).toContain('Dashboard: https://pw.example/reports/1');
    expect(r.subject).toContain('2026-W46');
  });
});

/** The full report in Russian, with names as the studio's people typed them. */
function russianReport(): ReportData {
  const d = fullReport();
  d.lang = 'ru';
  d.site.name = 'studio';
  d.visibility!.gains = [move('моушн дизайн', 14, 6)];
  d.visibility!.enteredTop10 = d.visibility!.gains;
  d.visibility!.losses = [move('видеостудия', 3, 9)];
  d.visibility!.mismatches = [
    { query: 'логотип', url: 'https://studio.example/?q=1', target: 'https://studio.example/logo' },
  ];
  d.backlinks!.lost = [{ ...link('https://donor.example/post', 'Sape', ['link removed']), ...PRESS_RELEASE }];
  d.backlinks!.devalued = [
    link('https://other.example/post', null, ['rel="nofollow"', 'inside <noindex>: Yandex ignores it']),
  ];
  d.ads!.pacing[0]!.account = 'Директ';
  d.ads!.anomalies[0]!.account = 'Директ';
  d.ads!.anomalies[0]!.campaign = 'Бренд';
  d.health!.newCritical[0]!.title = 'Битая ссылка';
  d.health!.fixed[0]!.title = 'Нет тега title';
  d.jobFailures = [{ job: 'track-rankings', at: '2026-11-12T03:00:00Z', error: null }];
  d.events = [{ day: '2026-11-10', title: 'Перезапуск сайта' }];
  return d;
}

const SECTIONS_RU = ['Видимость', 'Ссылки', 'Реклама', 'Здоровье сайта', 'Сбои задач', 'События'];

describe('renderReport() in Russian', () => {
  it('writes the page and the e-mail in Russian, declared as such, without a word of the English catalogue', () => {
    const r = renderReport(russianReport(), { url: 'https://pw.example/reports/1' });
    // The check finds English where there is some.
    expect(englishIn(visibleText(renderReport(fullReport()).html))).toContain(
      'report.sections.health: Site health',
    );
    for (const variant of [r.html, r.emailHtml]) {
      expect(cheerio.load(variant)('html').attr('lang')).toBe('ru');
      expect(englishIn(visibleText(variant))).toEqual([]);
    }
    const doc = cheerio.load(r.html);
    expect(
      doc('section h2')
        .toArray()
        .map((e) => doc(e).text()),
    ).toEqual(SECTIONS_RU);
    expect(doc('h1').text()).toBe('Еженедельный отчёт promowatch · studio · 2026-W46');
    expect(doc('head > title').text()).toBe(r.subject);
    expect(squash(doc('header').text())).toContain('Отчёт в панели promowatch: https://pw.example/reports/1');
    const mail = cheerio.load(r.emailHtml);
    expect(mail('img').first().attr('alt')).toBe('Видимость за две недели');
    const empty = renderReport({ ...emptyReport(), lang: 'ru' });
    for (const variant of [empty.html, empty.emailHtml]) {
      expect(englishIn(visibleText(variant))).toEqual([]);
      expect(visibleText(variant)).toContain('Нет данных о ссылках за эту неделю.');
    }
  });

  it('shows money per currency, days, percentages and link reasons the Russian way', () => {
    const r = renderReport(russianReport());
    const $ = cheerio.load(r.html);
    const text = squash($('body').text());
    // squash() makes every space plain, the no-break ones Intl puts in Russian numbers too.
    const nb = ' ';
    const ru = formatter('ru', 'Europe/Moscow');
    const totals = $('h3:contains("Итоги по валютам") + table');
    expect(squash(totals.find('tr:contains("Расход")').first().text())).toBe(
      `Расход48${nb}300${nb}₽120${nb}$`,
    );
    expect(squash(totals.find('tr:contains("CTR")').first().text())).toBe(`CTR2,83${nb}%3,33${nb}%`);
    const perDay = $('h3:contains("Расход по дням") + table');
    expect(squash(perDay.find('tbody tr').eq(1).text())).toBe(
      `${squash(ru.weekday('2026-11-10'))}6${nb}500${nb}₽60${nb}$`,
    );
    expect(ru.weekday('2026-11-10')).toBe('вт, 10 нояб.');
    expect(text).toContain(
      `Потеряны или обесценены на конец недели: 2 ссылки; за них заплачено: 8${nb}000${nb}₽ разово + 400${nb}₽/мес.`,
    );
    expect(text).toContain(`Продолжаем платить за потерянные и обесцененные ссылки: 400${nb}₽/мес.`);
    expect(text).toContain(`Стоимость дней простоя за неделю (оценка`);
    const lost = $('h3:contains("Потеряны за неделю") + table');
    expect(lost.find('thead th').eq(4).text()).toBe('Оплачено');
    expect(squash(lost.find('tbody td').eq(4).text())).toBe(`8${nb}000${nb}₽ разово`);
    expect(text).toContain('Активных ссылок на конец недели: 10 из 12');
    expect(text).toContain('Оценка здоровья сайта 91,2 (+3,2 к 88,0 в прошлом обходе)');
    expect(text).toContain('ПЕРЕРАСХОД БЮДЖЕТА');
    expect(text).toContain('Директ (Яндекс Директ)');
    expect(text).toContain('ссылка снята');
    expect(text).toContain('rel="nofollow"; в noindex: Яндекс её не учитывает');
    expect(text).toContain('сбой без сообщения об ошибке');
    expect(text).toContain(squash(ru.dayRange('2026-11-09', '2026-11-15')));
  });
});
