// The Ads area in Russian: the page, its charts' JSON, the forms' errors and the CSV speak Russian from
// the catalogue (no fixed English string left), with money, percentages, dates and plurals the Russian way.
import { describe, expect, it } from 'vitest';
import { englishIn as englishWords, readable } from '../i18n/english-left.ts';
import { insertAccount, replaceWindow } from '../../src/ads/store.ts';
import { account, formPoster, json, plain, row, setup, text, TODAY, XSS, type Trend } from './ads-setup.ts';

const RU = { 'accept-language': 'ru-RU,ru;q=0.9' };

function englishIn(shown: string): string[] {
  return englishWords(plain(shown));
}

describe('Ads page in Russian', () => {
  it('has the check itself see English when it is there', async () => {
    const { app } = await setup();
    const en = readable(await text(app.request('/ads', { headers: { 'accept-language': 'en' } })));
    expect(englishIn(en)).toEqual(expect.arrayContaining(['ads.pacing.heading: Budget pacing this month']));
  });

  it('speaks Russian throughout: no fixed English string, lang="ru"', async () => {
    const { app } = await setup();
    const res = await app.request('/ads', { headers: RU });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<html lang="ru">');
    expect(englishIn(readable(html))).toEqual([]);
  });

  it('shows money, percentages, dates and plurals the Russian way', async () => {
    const { app } = await setup();
    const html = plain(await text(app.request('/ads', { headers: RU })));
    expect(html).toContain('<h1>Реклама <small>studio');
    // 37 020 ₽ against 24 000 ₽ before: +54 %.
    expect(html).toContain('<span class="label">Расход (RUB)</span><span class="value">37 020 ₽');
    expect(html).toContain('▲ +54 %');
    expect(html).toContain('title="предыдущий период: 24 000 ₽"');
    expect(html).toContain('17,63 ₽'); // CPC with its kopecks
    expect(html).toContain('3 000 $');
    expect(html).toContain(
      '3 кампании · 22 окт. – 20 нояб. 2026 г., в сравнении с 22 сент. – 21 окт. 2026 г.',
    );
    expect(html).toContain('30 000 ₽<br><small class="muted">было: 24 000 ₽</small></td>\n<td>+25 %</td>');
    expect(html).toContain('Яндекс Директ · нояб. 2026 г., день 20 из 30');
    expect(html).toContain('⚠ Грозит перерасход бюджета на 50 %');
    expect(html).toContain('по 100 $ в день (за последние 7 дней)');
    expect(html).toContain('В рамках бюджета: прогноз — 37 % бюджета');
    expect(html).toContain('Расход по платформам по дням, RUB');
    // Anomalies from their figures, in the account's currency; the day in Russian.
    expect(html).toContain(
      '<td>19 нояб. 2026 г.</td><td><span class="sev warning" data-kind="spend-spike">всплеск расхода',
    );
    expect(html).toContain('900 $, обычно 100 $');
    expect(html).toContain('1 %, обычно 5 %');
    // Syncs: the status in words, the time in the site's zone (12:00 in Moscow), the failure summarised.
    expect(html).toContain('<span class="status interrupted">ждёт отчёта</span> API 20 нояб. 2026 г., 12:00');
    expect(html).toContain('Платформа ещё готовит отчёт');
    expect(html).toContain('Не удалось получить статистику');
    expect(html).toContain(
      '<details class="upstream"><summary>Подробности</summary><small>Google Ads: the refresh token has expired (invalid_grant)</small></details>',
    );
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain(XSS);
  });

  it('says the conversion, an empty range and a site without accounts in Russian', async () => {
    const { app } = await setup({ currency: { base: 'RUB', rates: { USD: 90 }, asOf: '2026-11-01' } });
    const converted = await text(app.request('/ads', { headers: RU }));
    expect(englishIn(readable(converted))).toEqual([]);
    expect(plain(converted)).toContain('Расход (RUB)</span><span class="value">307 020 ₽');
    expect(plain(converted)).toContain(
      'Суммы в RUB, пересчитаны по курсам из конфигурации (курс на 1 нояб. 2026 г.): 1 USD = 90 RUB.',
    );
    const empty = await text(app.request('/ads?from=2024-01-01&to=2024-01-31', { headers: RU }));
    expect(englishIn(readable(empty))).toEqual([]);
    expect(plain(empty)).toContain('За 1–31 янв. 2024 г. статистики рекламы нет.');
    const none = await text(app.request('/ads?site=bakery', { headers: RU }));
    expect(englishIn(readable(none))).toEqual([]);
    expect(none).toContain('Рекламных аккаунтов пока нет.');
    expect(none).toContain('<code>promowatch ads import FILE --platform P --site bakery</code>');
    const bad = await app.request('/ads?group=keyword', { headers: RU });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toBe('group «keyword» — допустимые значения: platform, campaign, account');
  });
});

describe('Ads charts in Russian', () => {
  const labelsOf = (data: Trend) =>
    Object.values(data.charts).flatMap((c) => [c.yTitle, ...c.datasets.map((d) => d.label)]);

  it('labels datasets in Russian and keeps their keys', async () => {
    const { app } = await setup();
    const data = await json<Trend>(app.request('/api/ads/trend?days=30', { headers: RU }));
    expect(data.charts.spend.datasets.map((d) => [d.key, d.label])).toEqual([
      ['yandex-direct', 'Яндекс Директ (RUB)'],
      ['google-ads', 'Google Ads (USD)'],
    ]);
    expect(data.charts.spend.yTitle).toBe('расход, каждый в своей валюте (отдельный столбец на валюту)');
    expect(data.charts.roas.yTitle).toBe('ROAS (ценность конверсий ÷ расход)');
    expect(englishIn(labelsOf(data).join('\n'))).toEqual([]);
    // The same view in English is a separate answer, not the Russian one from the cache.
    const en = await json<Trend>(
      app.request('/api/ads/trend?days=30', { headers: { 'accept-language': 'en' } }),
    );
    expect(en.charts.spend.datasets[0]!.label).toBe('Yandex Direct (RUB)');
  });

  it('names the campaigns outside the top few in Russian, keyed for their grey', async () => {
    const { app, sql, site, clock } = await setup();
    // Nine more RUB campaigns: eleven in all, of which a stack shows eight.
    const more = await insertAccount(
      sql,
      site.id,
      account({ externalId: 'client-9', name: 'Direct 9' }),
      clock.now(),
    );
    const rows = Array.from({ length: 9 }, (_, i) => row(TODAY, `c${i}`, `Кампания ${i}`, 10 + i, 5));
    await replaceWindow(sql, more, TODAY, TODAY, rows, 'import');
    const data = await json<Trend>(
      app.request('/api/ads/trend?days=30&group=campaign&currency=RUB', { headers: RU }),
    );
    const other = data.charts.spend.datasets.at(-1)!;
    expect([other.key, other.label]).toEqual(['other campaigns', 'другие кампании']);
    expect(data.charts.spend.datasets).toHaveLength(9);
    expect(data.charts.cpc.yTitle).toBe('цена клика, RUB');
    expect(englishIn(labelsOf(data).join('\n'))).toEqual([]);
  });
});

describe('Ads forms and CSV in Russian', () => {
  it('says what is wrong with an account in Russian, keeping what was typed', async () => {
    const { app } = await setup();
    const post = await formPoster(app, RU);
    const res = await post('/ads/accounts', {
      platform: 'meta',
      external_id: 'act_1',
      name: 'Мета',
      currency: 'rubles',
      time_zone: 'Mars/Olympus',
      budget: 'много',
      cred_token: 'META_TOKEN',
    });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(englishIn(readable(html))).toEqual([]);
    expect(html).toContain('Аккаунт не добавлен');
    expect(html).toContain('валюта «RUBLES» должна быть трёхбуквенным кодом ISO 4217');
    expect(html).toContain('часовой пояс «Mars/Olympus» не найден в базе IANA');
    expect(html).toContain('бюджет на месяц должен быть суммой вида 150000 или 1500,50');
    expect(html).toContain('Meta Ads не использует token (нужно: accessToken)');
    const secret = await post('/ads/accounts', {
      platform: 'yandex-direct',
      external_id: 'client-3',
      name: 'Client 3',
      currency: 'RUB',
      time_zone: 'Europe/Moscow',
      cred_token: 'y0_AgAAAAB1234567890',
    });
    const refused = await secret.text();
    expect(refused).toContain('а не сам секрет');
    expect(refused).not.toContain('y0_AgAAAAB1234567890');
    const dup = await post('/ads/accounts', {
      platform: 'yandex-direct',
      external_id: 'studio-direct',
      name: 'Again',
      currency: 'RUB',
      time_zone: 'Europe/Moscow',
    });
    expect(dup.status).toBe(409);
    expect(await dup.text()).toContain('аккаунт Яндекс Директ studio-direct уже добавлен');
  });

  it('refuses a budget in Russian', async () => {
    const { app, ids } = await setup();
    const post = await formPoster(app, RU);
    const bad = await post(`/ads/accounts/${ids.google}/budget`, { budget: 'много' });
    expect(bad.status).toBe(400);
    const html = await bad.text();
    expect(html).toContain('Бюджет не сохранён');
    expect(html).toContain('Google US: бюджет на месяц должен быть суммой вида 150000 или 1500,50');
  });

  it('heads the CSV columns in Russian and keeps the values as they are', async () => {
    const { app } = await setup();
    const res = await app.request('/ads/export.csv', { headers: RU });
    const csv = new TextDecoder().decode(await res.arrayBuffer()).replace(/^\uFEFF/, '');
    const [head, first] = csv.split('\r\n');
    expect(head!.split(',').slice(0, 10)).toEqual([
      'платформа',
      'аккаунт',
      'ID кампании',
      'кампания',
      'валюта',
      'период с',
      'период по',
      'показы',
      'клики',
      'расход',
    ]);
    expect(head).toContain('изменение расхода');
    expect(head!.split(',')).toHaveLength(31);
    expect(first).toMatch(/^yandex-direct,Direct main,1,/);
  });
});
