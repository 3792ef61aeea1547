// The weekly report as plain text and its subject line: every section with its numbers, the "no data"
// sentences, and stored text printed as text (no escape sequences, no forged lines).
import { describe, expect, it } from 'vitest';
import { formatter } from '../../src/i18n/index.ts';
import { reportSubject, reportText } from '../../src/report/text.ts';
import { englishIn } from '../i18n/english-left.ts';
import type { KeywordMove, ReportData } from '../../src/report/types.ts';

const RUB = 1_000_000;

const move = (query: string, before: number | null, after: number | null, change: number): KeywordMove => ({
  keywordId: 1,
  query,
  engine: 'google',
  region: 'gl=ru;hl=ru',
  device: 'desktop',
  before,
  after,
  change,
});

function empty(name = 'studio'): ReportData {
  return {
    lang: 'en',
    site: { id: 1, name, baseUrl: 'https://studio.example/', timeZone: 'Europe/Moscow' },
    week: { week: '2026-W47', from: '2026-11-16', to: '2026-11-22' },
    generatedAt: '2026-11-23T06:00:00.000Z',
    visibility: null,
    backlinks: null,
    ads: null,
    health: null,
    jobFailures: [],
    events: [],
  };
}

function full(): ReportData {
  const lostLink = (donorUrl: string) => ({
    backlinkId: 1,
    donorUrl,
    target: 'https://studio.example/',
    vendor: 'Links & Co',
    at: '2026-11-17T22:30:00.000Z', // 18 November in Moscow
    reasons: ['no link to the target on the page', 'HTTP 404'],
  });
  return {
    ...empty(),
    visibility: {
      curve: 'sistrix',
      now: 12.34,
      before: 11.14,
      change: 1.2,
      series: [],
      gains: [move('charlie', null, 40, 61), move('bravo', 15, 9, 6)],
      losses: [move('delta', 5, null, -96)],
      enteredTop10: [move('bravo', 15, 9, 6)],
      leftTop10: [move('delta', 5, null, -96)],
      mismatches: [
        { query: 'echo', url: 'https://studio.example/other', target: 'https://studio.example/echo' },
      ],
      failedChecks: 2,
    },
    backlinks: {
      lost: [
        // A press release bought for 8,000 that died within days: the whole price, as it was paid.
        {
          ...lostLink('https://donor-one.example/post'),
          priceMicros: 8_000 * RUB,
          currency: 'RUB',
          billing: 'one-off',
        },
        {
          ...lostLink('https://donor-five.example/'),
          priceMicros: 400 * RUB,
          currency: 'RUB',
          billing: 'monthly',
        },
      ],
      devalued: [],
      dead: [
        {
          currency: 'RUB',
          links: 2,
          oneOffMicros: 8_000 * RUB,
          monthlyMicros: 400 * RUB,
          stillPayingMonthlyMicros: 400 * RUB,
        },
        { currency: 'USD', links: 1, oneOffMicros: 50 * RUB, monthlyMicros: 0, stillPayingMonthlyMicros: 0 },
      ],
      recovered: [{ ...lostLink('https://donor-three.example/'), vendor: null, reasons: [] }],
      wasted: [
        { currency: 'RUB', micros: 12_500 * RUB },
        { currency: 'USD', micros: 4.5 * RUB },
      ],
      renewalsDue: [
        { backlinkId: 3, donorUrl: 'https://donor-three.example/', paidUntil: '2026-11-30', vendor: null },
      ],
      live: 1,
      total: 3,
    },
    ads: {
      totals: [
        {
          currency: 'RUB',
          spendMicros: 48_300 * RUB,
          prevSpendMicros: 43_125 * RUB,
          spendChange: 48_300 / 43_125 - 1,
          impressions: 70_000,
          clicks: 3_500,
          conversions: 14,
          valueMicros: 144_900 * RUB,
          ctr: 0.05,
          cpcMicros: 13.8 * RUB,
          cpaMicros: 3_450 * RUB,
          roas: 3,
        },
        {
          currency: 'USD',
          spendMicros: 50 * RUB,
          prevSpendMicros: 0,
          spendChange: null,
          impressions: 200,
          clicks: 10,
          conversions: 0,
          valueMicros: 0,
          ctr: 0.05,
          cpcMicros: 5 * RUB,
          cpaMicros: null,
          roas: 0,
        },
      ],
      pacing: [
        {
          account: 'Direct · studio',
          platform: 'yandex-direct',
          currency: 'RUB',
          monthToDateMicros: 160_000 * RUB,
          budgetMicros: 200_000 * RUB,
          forecastMicros: 230_000 * RUB,
          overBy: 0.15,
          alert: true,
        },
        {
          account: 'Google · studio',
          platform: 'google-ads',
          currency: 'USD',
          monthToDateMicros: 50 * RUB,
          budgetMicros: null,
          forecastMicros: 114 * RUB,
          overBy: null,
          alert: false,
        },
      ],
      anomalies: [
        {
          day: '2026-11-19',
          account: 'Direct · studio',
          campaign: 'Brand',
          kind: 'spend-spike',
          value: 9_000 * RUB,
          baseline: 3_000 * RUB,
          currency: 'RUB',
        },
      ],
      daily: [
        { day: '2026-11-16', currency: 'RUB', micros: 6_900 * RUB },
        { day: '2026-11-17', currency: 'RUB', micros: 7_000 * RUB },
      ],
    },
    health: {
      crawlDay: '2026-11-20',
      score: 50,
      previousScore: 66.7,
      change: -16.7,
      newCritical: [{ rule: 'title-missing', title: 'Title missing', url: 'https://studio.example/a' }],
      fixed: [{ rule: 'status-4xx', title: 'Page answers 4xx', count: 2 }],
      pages: 120,
      trend: [
        { day: '2026-11-08', score: 66.7 },
        { day: '2026-11-20', score: 50 },
      ],
    },
    jobFailures: [{ job: 'check-backlinks', at: '2026-11-18T07:01:00.000Z', error: 'connection refused' }],
    events: [{ day: '2026-11-12', title: 'Site relaunch' }],
  };
}

describe('reportText()', () => {
  it('opens with the site, the week and the dashboard link', () => {
    const text = reportText(full(), { url: 'https://watch.example/reports/7' });
    const lines = text.split('\n');
    expect(lines[0]).toBe('promowatch weekly report · studio · 2026-W47');
    const range = formatter('en').dayRange('2026-11-16', '2026-11-22');
    expect(text).toContain(`Week 2026-W47, Monday to Sunday: ${range} (Europe/Moscow)`);
    expect(range).toMatch(/^16\s*–\s*22 Nov 2026$/);
    expect(text).toContain('Site: https://studio.example/');
    expect(text).toContain('Dashboard: https://watch.example/reports/7');
    expect(reportText(full())).not.toContain('Dashboard:');
  });

  it('prints the sections in order, each with its heading', () => {
    const lines = reportText(full()).split('\n');
    const at = (h: string) => lines.findIndex((l, i) => l === h && lines[i + 1] === '-'.repeat(h.length));
    const order = ['Visibility', 'Backlinks', 'Ads', 'Site health', 'Job failures', 'Events'].map(at);
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('gives the visibility index, keyword moves, mismatches and failed checks', () => {
    const text = reportText(full());
    expect(text).toContain(
      'Visibility index (sistrix CTR curve): 12.34% at the end of the week, +1.2 from 11.14% a week before',
    );
    expect(text).toContain('   +61  charlie (Google · gl=ru;hl=ru · desktop): not in top 100 -> 40');
    expect(text).toContain('   -96  delta (Google · gl=ru;hl=ru · desktop): 5 -> not in top 100');
    expect(text).toMatch(/Entered the top 10:\n\s+\+6 {2}bravo/);
    expect(text).toContain('Left the top 10:\n     -96  delta');
    expect(text).toContain(
      '  echo: https://studio.example/other ranks, the target is https://studio.example/echo',
    );
    expect(text).toContain('Failed checks this week: 2 (not counted as positions)');
  });

  it('gives backlink changes by the site clock, money wasted per currency, renewals and live links', () => {
    const text = reportText(full());
    expect(text).toContain('Live links at the end of the week: 1 of 3');
    expect(text).toContain(
      'Lost this week:\n  18 Nov 2026  https://donor-one.example/post -> https://studio.example/ · vendor Links & Co · ₽8,000 one-off · no link to the target on the page; HTTP 404',
    );
    expect(text).toContain(
      'https://donor-five.example/ -> https://studio.example/ · vendor Links & Co · ₽400/month ·',
    );
    expect(text).toContain('Devalued this week: none');
    expect(text).toContain(
      'Recovered this week:\n  18 Nov 2026  https://donor-three.example/ -> https://studio.example/\n',
    );
    // The money as it was paid, each currency on its own; the pro-rated figure after it, as an estimate.
    expect(text).toContain(
      "Lost or devalued at the end of the week: 3 links; paid for them: ₽8,000 one-off + ₽400/month, $50 one-off\nStill paying for dead links: ₽400/month\nPro-rated cost of this week's dead days (an estimate, each price spread over the days it pays for): ₽12,500, $4.50\n",
    );
    expect(text).toContain('Renewals due within 14 days:\n  30 Nov 2026  https://donor-three.example/\n');
  });

  it('gives ad spend per currency with its change, the ratios, pacing, anomalies and daily spend', () => {
    const text = reportText(full());
    expect(text).toContain('RUB: spend ₽48,300 (+12% from ₽43,125 the week before)');
    expect(text).toContain('  70,000 impressions · 3,500 clicks · CTR 5% · CPC ₽13.80');
    expect(text).toContain('  14 conversions · CPA ₽3,450 · value ₽144,900 · ROAS 3.00');
    expect(text).toContain('USD: spend $50 (no spend the week before)');
    expect(text).toContain('  0 conversions · CPA — · value $0 · ROAS 0.00');
    expect(text).toContain(
      '  Direct · studio (Yandex Direct): ₽160,000 this month, budget ₽200,000, forecast ₽230,000 (+15% against the budget) — OVER BUDGET',
    );
    expect(text).toContain('  Google · studio (Google Ads): $50 this month, no budget set, forecast $114');
    expect(text).toContain(
      'Anomalies this week:\n  19 Nov 2026  Direct · studio: Brand: spend spike — ₽9,000 against a usual ₽3,000',
    );
    expect(text).toContain('Spend per day:\n  16 Nov ₽6,900 · 17 Nov ₽7,000');
  });

  it('gives the health score against the crawl before, new errors, fixes and the trend', () => {
    const text = reportText(full());
    expect(text).toContain(
      'Health score 50.0 (-16.7 from 66.7 the crawl before) · crawl of 20 Nov 2026 · 120 pages',
    );
    expect(text).toContain('New errors:\n  Title missing: https://studio.example/a');
    expect(text).toContain('Fixed since the crawl before:\n  Page answers 4xx: 2 pages');
    expect(text).toContain('Trend: 8 Nov 66.7 · 20 Nov 50.0');
  });

  it('lists failed jobs at site time, and events', () => {
    const text = reportText(full());
    expect(text).toContain(
      'Job failures\n------------\n18 Nov 2026, 10:01  check-backlinks: connection refused',
    );
    expect(text).toContain('Events\n------\n12 Nov 2026  Site relaunch');
  });

  it('says so for each section that has no data', () => {
    const text = reportText(empty());
    for (const sentence of [
      'No rank tracking data this week.',
      'No backlink data this week.',
      'No ad spend data this week.',
      'No site crawl finished by the end of this week.',
      'No job failed this week.',
    ])
      expect(text).toContain(sentence);
    expect(reportText(full())).not.toContain('No rank tracking data this week.');
    expect(text).not.toContain('Events');
  });

  it('prints hostile names as plain text: no markup escaping, no terminal escapes, no forged lines', () => {
    const hostile = '<script>alert(1)</script>\u001b[2J\r\nBcc: victim@example.com\u202e';
    const data = full();
    data.site.name = hostile;
    data.visibility!.gains[0]!.query = hostile;
    data.ads!.pacing[0]!.account = hostile;
    data.jobFailures[0]!.error = hostile;
    const text = reportText(data);
    expect(text).toContain('<script>alert(1)</script>');
    expect(text).not.toContain('&lt;');
    expect(text).not.toMatch(/[\u001b\r\u202e]/);
    expect(text.split('\n').filter((l) => l.startsWith('Bcc:'))).toEqual([]);
    const subject = reportSubject(data);
    expect(subject).toContain('<script>alert(1)</script>');
    expect(subject).not.toMatch(/[\u0000-\u001f\u202e]/);
  });
});

describe('reportSubject()', () => {
  it("sums up the week's headline facts in one line", () => {
    const data = full();
    data.health!.change = 0;
    data.jobFailures = [];
    data.ads!.totals[1]!.spendMicros = 0;
    expect(reportSubject(data)).toBe(
      'promowatch weekly · studio · 2026-W47: visibility +1.2, 2 links lost, spend ₽48,300 (+12%)',
    );
  });

  it('adds other currencies, a health change and failed jobs when there are any', () => {
    expect(reportSubject(full())).toBe(
      'promowatch weekly · studio · 2026-W47: visibility +1.2, 2 links lost, spend ₽48,300 (+12%) + $50, health -16.7, 1 failed job',
    );
  });

  it('says when the week had no data', () => {
    expect(reportSubject(empty())).toBe('promowatch weekly · studio · 2026-W47: no data this week');
  });
});

/** The full report as the studio reads it: in Russian, with the names its people typed. */
function russian(): ReportData {
  const d = full();
  d.lang = 'ru';
  d.visibility!.gains = [move('моушн дизайн', null, 40, 61)];
  d.visibility!.losses = [move('видеопродакшн', 5, null, -96)];
  d.visibility!.enteredTop10 = [];
  d.visibility!.mismatches = [];
  for (const e of d.backlinks!.lost) Object.assign(e, { vendor: 'Sape', reasons: ['link removed'] });
  d.backlinks!.recovered = [];
  d.ads!.pacing[0]!.account = 'Директ · studio';
  d.ads!.anomalies[0]!.account = 'Директ · studio';
  d.ads!.anomalies[0]!.campaign = 'Бренд';
  d.health!.newCritical[0]!.title = 'Нет тега title';
  d.health!.fixed[0]!.title = 'Страница отвечает 4xx';
  d.jobFailures[0]!.error = 'соединение отклонено';
  d.events = [{ day: '2026-11-12', title: 'Перезапуск сайта' }];
  return d;
}

const RU = formatter('ru', 'Europe/Moscow');
const SECTIONS_RU = ['Видимость', 'Ссылки', 'Реклама', 'Здоровье сайта', 'Сбои задач', 'События'];

describe('the report in Russian', () => {
  it('leaves no English catalogue string in the text part or the subject, empty or full', () => {
    // The check itself finds what it should: the English report is full of them.
    expect(englishIn(reportText(full()))).toContain('report.sections.health: Site health');
    for (const data of [russian(), { ...empty(), lang: 'ru' as const }]) {
      expect(englishIn(reportText(data))).toEqual([]);
      expect(englishIn(reportSubject(data))).toEqual([]);
    }
  });

  it('has the Russian title, section headings and "no data" sentences', () => {
    const lines = reportText(russian()).split('\n');
    expect(lines[0]).toBe('Еженедельный отчёт promowatch · studio · 2026-W47');
    for (const h of SECTIONS_RU) expect(lines).toContain(h);
    const text = reportText({ ...empty(), lang: 'ru' });
    expect(text).toContain('Нет данных съёма позиций за эту неделю.');
    expect(text).toContain('За неделю ни одна задача не завершилась сбоем.');
  });

  it('writes money, days, percentages and changes the Russian way', () => {
    const text = reportText(russian());
    const nb = '\u00a0';
    expect(text).toContain(
      `Неделя 2026-W47, с понедельника по воскресенье: ${RU.dayRange('2026-11-16', '2026-11-22')}`,
    );
    expect(RU.dayRange('2026-11-16', '2026-11-22')).toMatch(/^16–22 нояб\. 2026\sг\.$/);
    expect(text).toContain(`RUB: расход 48${nb}300${nb}₽ (+12${nb}% к 43${nb}125${nb}₽ неделей раньше)`);
    expect(text).toContain(
      `Потеряны или обесценены на конец недели: 3 ссылки; за них заплачено: 8${nb}000${nb}₽ разово + 400${nb}₽/мес., 50${nb}$ разово`,
    );
    expect(text).toContain(`Продолжаем платить за потерянные и обесцененные ссылки: 400${nb}₽/мес.`);
    expect(text).toContain(
      `(оценка: цена каждой ссылки разложена на оплаченные дни): 12${nb}500${nb}₽, 4,50${nb}$`,
    );
    expect(text).toContain(
      'Индекс видимости (кривая CTR sistrix): 12,34 % на конец недели, +1,2 к 11,14 % неделей раньше'.replace(
        / %/g,
        `${nb}%`,
      ),
    );
    expect(RU.day('2026-11-19')).toMatch(/^19 нояб\. 2026\sг\.$/);
    expect(text).toContain(
      `  ${RU.day('2026-11-19')}  Директ · studio: Бренд: всплеск расхода — 9${nb}000${nb}₽ при обычных 3${nb}000${nb}₽`,
    );
    expect(text).toContain('     +61  моушн дизайн (Google · gl=ru;hl=ru · десктоп): нет в топ-100 -> 40');
    expect(text).toContain('Оценка здоровья сайта 50,0 (-16,7 к 66,7 в прошлом обходе)');
    expect(text).toContain(
      `${RU.dateTime('2026-11-18T07:01:00.000Z')}  check-backlinks: соединение отклонено`,
    );
    expect(RU.dateTime('2026-11-18T07:01:00.000Z')).toMatch(/^18 нояб\. 2026\sг\., 10:01$/);
    // The stored reason is said in Russian.
    expect(text).toContain(`· продавец Sape · 8${nb}000${nb}₽ разово · ссылка снята`);
    expect(text).toContain(`· продавец Sape · 400${nb}₽/мес. · ссылка снята`);
  });

  it('counts links, pages, impressions and failed jobs with the Russian plural forms', () => {
    const lost = (n: number) => {
      const d = russian();
      d.backlinks!.lost = Array.from({ length: n }, () => d.backlinks!.lost[0]!);
      return reportSubject(d);
    };
    expect(lost(1)).toContain('потеряна 1 ссылка');
    expect(lost(2)).toContain('потеряны 2 ссылки');
    expect(lost(5)).toContain('потеряно 5 ссылок');
    expect(lost(21)).toContain('потеряна 21 ссылка');
    const d = russian();
    const pages = (n: number) => {
      d.health!.pages = n;
      return reportText(d);
    };
    expect(pages(1)).toContain('· 1 страница\n');
    expect(pages(2)).toContain('· 2 страницы\n');
    expect(pages(5)).toContain('· 5 страниц\n');
    expect(pages(21)).toContain('· 21 страница\n');
    expect(reportText(russian())).toContain(`70${'\u00a0'}000 показов · 3${'\u00a0'}500 кликов`);
    expect(reportSubject(russian())).toBe(
      `promowatch, неделя 2026-W47 · studio: видимость +1,2, потеряны 2 ссылки, расход 48\u00a0300\u00a0₽ (+12\u00a0%) + 50\u00a0$, здоровье сайта -16,7, 1 сбой задачи`,
    );
  });
});

describe('the report in English', () => {
  it('counts links lost with the English plural forms', () => {
    const d = full();
    for (const [n, words] of [
      [1, '1 link lost'],
      [2, '2 links lost'],
      [5, '5 links lost'],
      [21, '21 links lost'],
    ] as const) {
      d.backlinks!.lost = Array.from({ length: n }, () => full().backlinks!.lost[0]!);
      expect(reportSubject(d)).toContain(`, ${words},`);
    }
  });
});
