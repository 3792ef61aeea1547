// Alerts speak the channel's language, else the site's, else the dashboard's: every kind in Russian in
// every channel, with Russian plurals, money and dates, and a channel set to English on a Russian site.
import { describe, expect, it } from 'vitest';
import { ALERT_KINDS } from '../../src/config/schema.ts';
import { emailHtml, emailSubject } from '../../src/notify/channels/email.ts';
import { contextLine, plainText } from '../../src/notify/format.ts';
import { alertLocale, alertText, groupMessages, notify } from '../../src/notify/index.ts';
import { slackPayload } from '../../src/notify/channels/slack.ts';
import { telegramText } from '../../src/notify/channels/telegram.ts';
import type { AlertLocale, AlertMessage, ChannelConfig, LinkFact } from '../../src/notify/types.ts';
import { englishLeaks, englishToFind } from '../i18n/english-leaks.ts';
import { testStore, testConfig } from '../helpers.ts';
import { alertRowsOf, inChannelOrder, recordingServer, testNotifyDeps } from './servers.ts';

const RU: AlertLocale = { lang: 'ru', timeZone: 'Europe/Moscow' };
const EN: AlertLocale = { lang: 'en', timeZone: 'Europe/Moscow' };
const URL = 'http://127.0.0.1:8787/backlinks?site=studio&state=lost';

const link = (n: number): LinkFact => ({
  donorUrl: `https://donor${n}.example/stati/${n}`,
  target: 'https://studio.example/video',
  vendor: 'Sape',
  reasons: ['nofollow'],
});
const links = (n: number) => Array.from({ length: n }, (_, i) => link(i + 1));

/** One message of every kind an alert is raised for; data (names, URLs, errors) as users would type it. */
const EVERY_KIND: AlertMessage[] = [
  {
    siteName: 'studio',
    kind: 'lost-backlink',
    severity: 'critical',
    facts: { type: 'links', to: 'lost', links: links(2) },
    url: URL,
  },
  {
    siteName: 'studio',
    kind: 'devalued-backlink',
    severity: 'warning',
    facts: { type: 'links', to: 'devalued', links: links(5) },
  },
  {
    siteName: 'studio',
    kind: 'recovered-backlink',
    severity: 'info',
    facts: { type: 'links', to: 'recovered', links: links(1) },
  },
  {
    siteName: 'studio',
    kind: 'renewal-due',
    severity: 'info',
    facts: {
      type: 'renewals',
      withinDays: 14,
      renewals: [
        { donor: 'https://donor1.example/stati/1', paidUntil: '2026-12-06', vendor: 'Sape' },
        { donor: 'https://donor2.example/', paidUntil: '2026-12-01', vendor: null },
      ],
    },
  },
  {
    siteName: 'studio',
    kind: 'budget',
    severity: 'critical',
    facts: {
      type: 'budget',
      level: 'heading-over',
      platform: 'yandex-direct',
      account: 'Студия',
      currency: 'RUB',
      day: '2026-11-19',
      spentMicros: 62_289e6,
      budgetMicros: 80_000e6,
      paceDays: 7,
      dailyMicros: 2_289e6,
      forecastMicros: 87_400e6,
      overBy: 0.0925,
    },
  },
  {
    siteName: 'studio',
    kind: 'anomaly',
    severity: 'warning',
    facts: {
      type: 'ad-anomalies',
      platform: 'google-ads',
      account: 'Студия',
      currency: 'RUB',
      anomalies: [
        { day: '2026-11-19', campaign: 'Бренд', kind: 'spend-spike', value: 30_000e6, baseline: 5_000e6 },
        { day: '2026-11-18', campaign: 'Бренд', kind: 'ctr-drop', value: 0.0123, baseline: 0.045 },
        { day: '2026-11-18', campaign: 'Видео', kind: 'zero-impressions', value: 0, baseline: 1204 },
        { day: '2026-11-17', campaign: 'Видео', kind: 'cpa-jump', value: 4_500e6, baseline: 1_200e6 },
      ],
    },
  },
  {
    siteName: 'studio',
    kind: 'site-issue',
    severity: 'critical',
    facts: {
      type: 'site-issues',
      since: '2026-11-15T22:30:00.000Z',
      total: 3,
      // The rule titles are the audit's own words (data here): the alert's words are what is tested.
      issues: [
        {
          rule: 'status-4xx',
          title: 'Страница отвечает 4xx',
          url: 'https://studio.example/net',
          details: '404',
        },
        {
          rule: 'title-missing',
          title: 'Нет заголовка страницы',
          url: 'https://studio.example/a',
          details: null,
        },
      ],
    },
  },
  {
    siteName: 'studio',
    kind: 'job-failure',
    severity: 'critical',
    facts: { type: 'job-failed', job: 'pull-ads', runId: 42, error: 'Директ ответил 53: ошибка авторизации' },
  },
];

/** Every text a channel would send for `m` in `locale`: e-mail subject, text and HTML, Slack, Telegram. */
function everyChannel(m: AlertMessage, locale: AlertLocale): Record<string, string> {
  const text = alertText(m, locale);
  return {
    subject: emailSubject(text),
    text: plainText(text),
    html: emailHtml(text),
    // Slack's `text` repeats what its blocks say, without the JSON around it.
    slack: slackPayload(text).text,
    telegram: telegramText(text),
  };
}

/** Latin words left after taking out URLs and what users typed: each would be English the reader did not ask for. */
const ALLOWED_LATIN = new Set([
  'promowatch',
  'studio',
  'Sape',
  'nofollow',
  'pull',
  'ads',
  'CTR',
  'Google',
  'Ads',
  // Russian SEO calls the tag by its name ("Нет title"), as Yandex Webmaster does.
  'title',
]);
function latinWords(text: string): string[] {
  const words = text
    .replace(/https?:\/\/[^\s"<>|]+/g, ' ')
    .replace(/<[^>]+>|&[a-z]+;|:[a-z_]+:|\\n/g, ' ')
    .match(/[A-Za-z]{3,}/g);
  return (words ?? []).filter((w) => !ALLOWED_LATIN.has(w));
}

describe('alerts in Russian', () => {
  it('looks for a real list of English strings', async () => {
    // Guards the guard: an empty list would let every check below pass.
    expect(englishToFind().map(([, t]) => t)).toEqual(
      expect.arrayContaining(['Open in promowatch', 'Critical']),
    );
    expect(englishLeaks('…Open in promowatch…')).toEqual(['alerts.open: Open in promowatch']);
  });

  it.each(EVERY_KIND.map((m) => [m.kind, m] as const))(
    '%s: no English catalogue string and no stray English word in any channel',
    (_, m) => {
      for (const [channel, out] of Object.entries(everyChannel(m, RU))) {
        expect([channel, englishLeaks(out)]).toEqual([channel, []]);
        // HTML and Slack markup aside, the only Latin words are data and brand names.
        const prose = channel === 'html' ? out.replace(/<[^>]*>/g, ' ').replace(/style="[^"]*"/g, '') : out;
        expect([channel, latinWords(prose)]).toEqual([channel, []]);
      }
      // The same alert in English is English: the check above could fail.
      expect(latinWords(plainText(alertText(m, EN))).length).toBeGreaterThan(2);
    },
  );

  it('names every kind and severity in Russian on the context line', async () => {
    const base = alertText(EVERY_KIND[0]!, RU);
    for (const kind of ALERT_KINDS)
      for (const severity of ['info', 'warning', 'critical'] as const) {
        const line = contextLine({ ...base, kind, severity });
        expect(englishLeaks(line)).toEqual([]);
        expect(latinWords(line)).toEqual([]);
      }
    expect(contextLine({ ...base, kind: 'lost-backlink', severity: 'critical' })).toBe(
      'Критично · studio · потерянные ссылки',
    );
    expect(contextLine({ ...base, kind: 'weekly-report', severity: 'info' })).toBe(
      'Для сведения · studio · еженедельный отчёт',
    );
  });

  it('words titles with the plural form each count takes', async () => {
    const lost = (n: number) =>
      alertText({ ...EVERY_KIND[0]!, facts: { type: 'links', to: 'lost', links: links(n) } }, RU).title;
    expect(lost(1)).toBe('1 купленная ссылка потеряна (подтверждено)');
    expect(lost(2)).toBe('2 купленные ссылки потеряны (подтверждено)');
    expect(lost(5)).toBe('5 купленных ссылок потеряны (подтверждено)');
    expect(lost(21)).toBe('21 купленная ссылка потеряна (подтверждено)');
    const [, devalued, recovered, renewals, budget, anomaly, issues, failure] = EVERY_KIND.map((m) =>
      alertText(m, RU),
    );
    expect(devalued!.title).toBe('5 купленных ссылок обесценены: вес передаётся не полностью');
    expect(recovered!.title).toBe('1 купленная ссылка снова активна');
    expect(renewals!.title).toBe('Оплата 2 ссылок заканчивается не позже чем через 14 дней');
    expect(anomaly!.title).toBe('4 аномалии в рекламном аккаунте Google Ads «Студия»');
    expect(issues!.title).toBe('studio: 3 новые ошибки на сайте со времени обхода 16 нояб. 2026 г.');
    expect(failure!.title).toBe('studio: сбой задачи pull-ads');
    expect(budget!.title).toBe(
      'Рекламный аккаунт «Студия» (Яндекс Директ) идёт к перерасходу месячного бюджета',
    );
  });

  it('formats money, percentages and days the Russian way', async () => {
    const [, , , renewals, budget, anomaly, issues, failure] = EVERY_KIND.map((m) => alertText(m, RU));
    const nb = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');
    expect(renewals!.lines).toEqual([
      'https://donor1.example/stati/1: оплачена до 6 дек. 2026 г. (Sape)',
      'https://donor2.example/: оплачена до 1 дек. 2026 г.',
    ]);
    expect(budget!.lines.map(nb)).toEqual([
      'Расход на 19 нояб. 2026 г.: 62 289 ₽ из 80 000 ₽.',
      'При темпе расхода 2 289 ₽ в день (среднее за 7 дней) к концу месяца расход составит 87 400 ₽ — на 9 % больше бюджета.',
    ]);
    expect(anomaly!.lines.map(nb)).toEqual([
      '19 нояб. 2026 г. Бренд (Студия): всплеск расхода — 30 000 ₽ при обычных 5 000 ₽',
      '18 нояб. 2026 г. Бренд (Студия): падение CTR — 1,23 % при обычных 4,5 %',
      '18 нояб. 2026 г. Видео (Студия): нет показов у активной кампании — обычно 1 204 показа в этот день недели',
      '17 нояб. 2026 г. Видео (Студия): скачок цены конверсии — 4 500 ₽ при обычных 1 200 ₽',
    ]);
    expect(issues!.lines).toEqual([
      'Страница отвечает 4xx: https://studio.example/net (404)',
      'Нет title: https://studio.example/a',
      '…и ещё 1 — на странице «Аудит сайта»',
    ]);
    expect(failure!.lines).toEqual([
      'Запуск №42 задачи pull-ads для сайта studio завершился с ошибкой: Директ ответил 53: ошибка авторизации',
    ]);
  });

  it('writes the e-mail in Russian: subject, HTML language and the link', async () => {
    const out = everyChannel(EVERY_KIND[0]!, RU);
    expect(out.subject).toBe('[promowatch] 2 купленные ссылки потеряны (подтверждено)');
    expect(out.html).toContain('<html lang="ru">');
    expect(out.html).toContain('>Открыть в promowatch</a>');
    expect(out.telegram).toContain('<i>Критично · studio · потерянные ссылки</i>');
    expect(out.slack).toContain('|Открыть в promowatch>');
    expect(JSON.stringify(slackPayload(alertText(EVERY_KIND[0]!, RU)).blocks)).toContain(
      'Открыть в promowatch',
    );
  });

  it('says how many lines were left out in Russian when a chat message is too long', async () => {
    const many: AlertMessage = { ...EVERY_KIND[0]!, facts: { type: 'links', to: 'lost', links: links(400) } };
    const slack = slackPayload(alertText(many, RU));
    expect(JSON.stringify(slack)).toMatch(/…и ещё \d+/);
    expect(telegramText(alertText(many, RU))).toMatch(/\n…и ещё \d+\n/);
  });

  it('digests in Russian', async () => {
    const [digest] = groupMessages([
      EVERY_KIND[7]!,
      { ...EVERY_KIND[7]!, facts: { ...EVERY_KIND[7]!.facts } },
    ]);
    const text = alertText(digest!, RU);
    expect(text.title).toBe('studio: 2 сбоя задач');
    expect(englishLeaks(plainText(text))).toEqual([]);
  });
});

describe('the language of each channel', () => {
  const hook = (name: string, language?: 'ru' | 'en'): ChannelConfig => ({
    type: 'webhook',
    name,
    url: { env: `HOOK_${name.toUpperCase()}` },
    ...(language ? { language } : {}),
  });

  it('picks the site language, then web.language', async () => {
    const config = testConfig({
      web: { language: 'en' },
      sites: [
        { name: 'studio', baseUrl: 'https://studio.example/', timeZone: 'Europe/Moscow', language: 'ru' },
        { name: 'bakery', baseUrl: 'https://bakery.example/', timeZone: 'Asia/Yekaterinburg' },
      ],
    });
    expect(alertLocale(config, 'studio')).toEqual({ lang: 'ru', timeZone: 'Europe/Moscow' });
    expect(alertLocale(config, 'bakery')).toEqual({ lang: 'en', timeZone: 'Asia/Yekaterinburg' });
    expect(alertLocale(config, null)).toEqual({ lang: 'en', timeZone: 'Europe/Moscow' });
  });

  it('sends a Russian site its alert in Russian, and in English to a channel set to English', async () => {
    const server = await recordingServer(() => ({ status: 200 }));
    const sql = await testStore();
    const t = testNotifyDeps({ HOOK_TEAM: `${server.base}/team`, HOOK_AGENCY: `${server.base}/agency` }, RU);
    const results = await notify(
      sql,
      [hook('team'), hook('agency', 'en')],
      null,
      EVERY_KIND[0]!,
      t.deps,
      t.opts,
    );
    expect(results.every((r) => r.delivered)).toBe(true);
    const body = (path: string) =>
      JSON.parse(server.requests.find((r) => r.path === path)!.body) as Record<string, unknown>;

    const ru = body('/team');
    // The keys and machine values stay English; the words are Russian, `text` included.
    expect(Object.keys(ru).sort()).toEqual(
      ['kind', 'lines', 'sentAt', 'severity', 'site', 'text', 'title', 'url'].sort(),
    );
    expect(ru).toMatchObject({ site: 'studio', kind: 'lost-backlink', severity: 'critical', url: URL });
    expect(ru.title).toBe('2 купленные ссылки потеряны (подтверждено)');
    expect(ru.text).toBe(
      [
        '2 купленные ссылки потеряны (подтверждено)',
        'Критично · studio · потерянные ссылки',
        '',
        'https://donor1.example/stati/1 → https://studio.example/video (Sape): nofollow',
        'https://donor2.example/stati/2 → https://studio.example/video (Sape): nofollow',
        '',
        URL,
      ].join('\n'),
    );
    // The words only: the keys (sentAt…) are English on purpose.
    expect(englishLeaks([ru.title, ...(ru.lines as string[]), ru.text].join('\n'))).toEqual([]);

    const en = body('/agency');
    expect(en.title).toBe('2 bought links confirmed lost');
    expect(en.text).toContain('Critical · studio · lost backlinks');

    // The alerts table keeps the site's language for every row, so the Jobs page reads alike.
    expect(
      inChannelOrder(await alertRowsOf(sql), ['team', 'agency']).map((r) => [
        r.channel,
        r.message.split('\n')[0],
      ]),
    ).toEqual([
      ['team', '2 купленные ссылки потеряны (подтверждено)'],
      ['agency', '2 купленные ссылки потеряны (подтверждено)'],
    ]);
  });
});
