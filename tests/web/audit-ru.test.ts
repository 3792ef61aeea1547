// The Site audit in Russian: the pages, an issue list, a page view, the chart JSON and the CSV speak
// Russian from the catalogue (no fixed English string left), with dates, durations and plurals the
// Russian way; crawled data (URLs, titles) stays as it is.
import { beforeAll, describe, expect, it } from 'vitest';
import { JOBS } from '../../jobs/index.ts';
import { auditSettingsFrom, auditSite } from '../../src/audit/site-audit.ts';
import { englishIn as sharedEnglishIn, readable } from '../i18n/english-left.ts';
import { memoryLogger } from '../../src/util/log.ts';
import { createApp } from '../../web/app.ts';
import { FakeClock, localServer, siteByName, suiteSetup, testConfig, testStoreDeps } from '../helpers.ts';

const RU = { 'accept-language': 'ru-RU,ru;q=0.9' };
const EN = { 'accept-language': 'en' };
const XSS = '<script>alert(1)</script>';

let app: ReturnType<typeof createApp>;
let base: string;

/** Intl separates groups and units with no-break and thin spaces; compare with plain ones. */
const plain = (s: string) => s.replace(/[\u00a0\u2009\u202f]/g, ' ');

/** English strings shown as words of their own ("script" is not shown by "description"). */
function englishIn(shown: string): string[] {
  return sharedEnglishIn(plain(shown));
}

async function page(path: string, headers: Record<string, string> = RU) {
  const res = await app.request(path, { headers });
  return { status: res.status, html: plain(await res.text()) };
}

beforeAll(() =>
  suiteSetup(async () => {
    // Two crawls of the studio: between them /x loses its title, /gone is no longer linked, /new appears.
    let round = 1;
    base = await localServer((req, res) => {
      const htmlPage = (body: string) =>
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(body);
      if (req.url === '/')
        return htmlPage(
          `<html lang="ru"><title>Студия ${XSS.replace('<', '&lt;')} — видеопродакшн</title><a href="/x">x</a><a href="/moved">m</a>${round === 1 ? '<a href="/gone">g</a>' : '<a href="/new">n</a>'}<img src="/logo.png">`,
        );
      if (req.url === '/x') return htmlPage(round === 1 ? '<title>Кратко</title>' : '<p>без заголовка</p>');
      if (req.url === '/new') return htmlPage('<title>Новая страница студии о видеосъёмке</title>');
      if (req.url === '/moved') return res.writeHead(301, { location: '/x' }).end();
      if (req.url === '/logo.png') return res.writeHead(200, { 'content-type': 'image/png' }).end('png');
      res.writeHead(404).end();
    });
    // The bakery: a crawl capped at one page.
    const bakery = await localServer((req, res) => {
      if (req.url === '/')
        return res
          .writeHead(200, { 'content-type': 'text/html' })
          .end('<title>Пекарня</title><a href="/a">a</a><a href="/b">b</a>');
      res.writeHead(200, { 'content-type': 'text/html' }).end('<title>Хлеб</title>');
    });
    const clock = new FakeClock(Date.parse('2026-11-27T09:00:00Z'));
    const config = testConfig({
      sites: [
        { name: 'studio', baseUrl: base, timeZone: 'Europe/Moscow' },
        { name: 'bakery', baseUrl: bakery, timeZone: 'Asia/Yekaterinburg' },
      ],
    });
    const { db, sql } = await testStoreDeps(config, clock);
    const studio = (await siteByName(sql, 'studio'))!;
    for (round = 1; round <= 2; round++) {
      await auditSite(
        { db, sql, now: clock.now, log: memoryLogger() },
        {
          siteId: studio.id,
          startUrl: base,
          settings: auditSettingsFrom({ requestsPerSecond: 0, useSitemaps: false }),
        },
      );
      clock.advance(86_400_000);
    }
    await auditSite(
      { db, sql, now: clock.now, log: memoryLogger() },
      {
        siteId: (await siteByName(sql, 'bakery'))!.id,
        startUrl: bakery,
        settings: auditSettingsFrom({ requestsPerSecond: 0, useSitemaps: false, maxPages: 1 }),
      },
    );
    app = createApp({ db, sql, config, jobs: JOBS, now: clock.now, log: memoryLogger(), auth: null });
  }),
);

describe('Site audit pages in Russian', () => {
  it('has the check itself see English when it is there', async () => {
    const { html } = await page('/audit', EN);
    expect(englishIn(readable(html))).toEqual(
      expect.arrayContaining([
        'audit.cards.health: Health score',
        'audit.rules.title-missing.name: Title missing',
      ]),
    );
  });

  it('speaks Russian throughout on every page: no fixed English string, lang="ru"', async () => {
    for (const path of [
      '/audit',
      '/audit?crawl=1',
      '/audit?site=bakery',
      '/audit/rule?rule=status-4xx&crawl=1',
      '/audit/rule?rule=title-missing',
      '/audit/pages',
      '/audit/pages?site=bakery',
      `/audit/page?url=${encodeURIComponent(base)}`,
      `/audit/page?url=${encodeURIComponent(`${base}moved`)}`,
      '/audit/rule?rule=no-such-rule',
    ]) {
      const { html } = await page(path);
      expect(html, path).toContain('<html lang="ru">');
      expect(englishIn(readable(html)), path).toEqual([]);
      expect(html, path).not.toContain(XSS);
    }
  });

  it('shows the crawl, its health and what changed, with Russian dates and plurals', async () => {
    const { status, html } = await page('/audit');
    expect(status).toBe(200);
    expect(html).toContain('<h1>Аудит сайта <small>studio');
    // Crawls in the site's zone (Moscow, UTC+3): 09:00 UTC is 12:00.
    expect(html).toMatch(/<option value="2" selected>№2 · 28 нояб\. 2026 г\., 12:00 · 4 страницы<\/option>/);
    expect(html).toContain('<span class="label">Оценка здоровья сайта</span>');
    expect(html).toContain('<h2>С прошлого обхода (№1, 27 нояб. 2026 г., 12:00)</h2>');
    expect(html).toMatch(/<p>Новых проблем: \d+, исправлено: \d+, страниц добавилось: 1, пропало: 1\.<\/p>/);
    expect(html).toContain('<h3>Новые <small>');
    expect(html).toContain('CSV для Excel');
    expect(html).toContain('<span class="sev error">ошибка</span> Нет title');
    expect(html).toContain('<h2>Проблемы по правилам</h2>');
    expect(html).toContain('Задайте каждой странице уникальный &lt;title&gt;.');
    expect(html).toContain('<td>Title, description и заголовки</td>');
    expect(html).toContain('aria-label="Оценка здоровья по обходам"');
    // robots.txt answered 404 here: allowed.
    expect(html).toContain('robots.txt ответил 404: обход разрешён целиком');
  });

  it('says when a crawl stopped at its page limit, and that it was the first', async () => {
    const { html } = await page('/audit?site=bakery');
    expect(html).toContain(
      'Обход остановился на лимите crawl.maxPages (1), не посещено страниц: 2; поэтому страницы-сироты не искали.',
    );
    expect(html).toContain('Это первый обход сайта; следующий покажет, что изменилось.');
    // Yekaterinburg is UTC+5.
    expect(html).toContain('№3 · 29 нояб. 2026 г., 14:00 · 1 страница');
    const list = await page('/audit/pages?site=bakery');
    expect(list.html).toContain('пропущен <small>сверх лимита crawl.maxPages (1)</small>');
  });

  it('lists a rule with its meaning and fix, and each issue in Russian', async () => {
    const { html } = await page('/audit/rule?rule=status-4xx&crawl=1');
    expect(html).toContain('<title>Страница отвечает 4xx · promowatch</title>');
    expect(html).toContain(
      '<span class="sev error">ошибка</span> Страница отвечает ошибкой клиента, например 404 или 410',
    );
    expect(html).toContain(`<td>ответ 404; на URL ссылается 1 страница, например ${base}</td>`);
    expect(html).toContain('<th>Код ответа</th><th>Подробности</th>');
    expect(html).toContain('Скачать для Excel (CSV)');
    expect(html).toContain('for=excel');
  });

  it('shows a page view with human labels, durations and local times', async () => {
    const { html } = await page(`/audit/page?url=${encodeURIComponent(base)}`);
    expect(html).toContain('<title>Страница · promowatch</title>');
    expect(html).toContain('<tr><th>Тип</th><td>страница</td></tr>');
    expect(html).toContain('<tr><th>Состояние</th><td>загружен</td></tr>');
    expect(html).toContain('<tr><th>Код ответа HTTP</th><td>200</td></tr>');
    expect(html).toContain('<tr><th>Noindex</th><td>нет</td></tr>');
    expect(html).toMatch(/<tr><th>Время до первого байта<\/th><td>\d+ мс<\/td><\/tr>/);
    expect(html).toContain('<tr><th>Загружена</th><td>28 нояб. 2026 г., 12:00</td></tr>');
    expect(html).toContain('Студия &lt;script&gt;alert(1)&lt;/script&gt; — видеопродакшн');
    expect(html).toContain('<h3>Ссылки с этой страницы (4)</h3>');
    expect(html).toContain('<td>изображение</td>');
    expect(html).toContain(
      '<span class="sev warning">предупреждение</span> Изображения без alt — изображений: 1',
    );
    expect(html).toContain('<tr><th>Тип содержимого</th><td>text/html; charset=utf-8</td></tr>');
    expect(html).toContain('<th>Атрибуты (rel)</th>');
    // No column name reaches the reader: every label is words, and the hex fingerprints are left out.
    const labels = [...html.matchAll(/<tr><th>([^<]*)<\/th><td>/g)].map((m) => m[1]!);
    expect(labels.length).toBeGreaterThan(15);
    expect(labels.filter((l) => /_|^[a-z]+$/.test(l))).toEqual([]);
    expect(html).not.toMatch(/simhash|Отпечаток/);
    const moved = await page(`/audit/page?url=${encodeURIComponent(`${base}moved`)}`);
    expect(moved.html).toContain('<tr><th>Тип редиректа</th><td>HTTP-редирект</td></tr>');
    expect(moved.html).toContain(`<tr><th>Конечный URL</th><td>${base}x</td></tr>`);
  });

  it('answers an unknown rule or page with a Russian 404', async () => {
    const rule = await page('/audit/rule?rule=no-such-rule');
    expect(rule.status).toBe(404);
    expect(rule.html).toContain('Нет такого обхода или правила.');
    const missing = await page('/audit/page?url=http%3A%2F%2Fnope.example%2F');
    expect(missing.status).toBe(404);
    expect(missing.html).toContain('В этом обходе такой страницы нет.');
  });
});

describe('Site audit charts and CSV in Russian', () => {
  type Trend = {
    labels: string[];
    charts: Record<string, { yTitle: string; datasets: { key: string; label: string; data: unknown[] }[] }>;
  };

  it('labels the datasets in Russian and keeps their keys', async () => {
    const res = await app.request('/api/audit/trend', { headers: RU });
    const data = (await res.json()) as Trend;
    expect(data.labels).toEqual(['2026-11-27', '2026-11-28']);
    expect(data.charts.health!.yTitle).toBe('оценка здоровья');
    expect(data.charts.health!.datasets.map((d) => [d.key, d.label])).toEqual([['health', 'Здоровье сайта']]);
    expect(data.charts.issues!.yTitle).toBe('проблемы');
    expect(data.charts.issues!.datasets.map((d) => [d.key, d.label])).toEqual([
      ['errors', 'ошибки'],
      ['warnings', 'предупреждения'],
      ['notices', 'замечания'],
    ]);
    const labels = Object.values(data.charts).flatMap((c) => [c.yTitle, ...c.datasets.map((d) => d.label)]);
    expect(englishIn(labels.join('\n'))).toEqual([]);
    const en = (await (await app.request('/api/audit/trend', { headers: EN })).json()) as Trend;
    expect(en.charts.issues!.datasets.map((d) => [d.key, d.label])[0]).toEqual(['errors', 'errors']);
    expect(en.charts.health!.datasets[0]!.label).toBe('Site health');
  });

  it('heads the CSV columns in Russian and keeps the values as stored', async () => {
    const res = await app.request('/audit/export.csv?list=pages', { headers: RU });
    const csv = new TextDecoder().decode(await res.arrayBuffer()).replace(/^\uFEFF/, '');
    const [head, first] = csv.split('\r\n');
    expect(head!.split(',').slice(0, 4)).toEqual(['URL', 'код ответа', 'вложенность', 'title']);
    expect(head).toContain('TTFB, мс');
    expect(first!.startsWith(`${base},200,0,`)).toBe(true);
    const issues = await app.request('/audit/export.csv?list=issues&for=excel', { headers: RU });
    const text = new TextDecoder().decode(await issues.arrayBuffer()).replace(/^\uFEFF/, '');
    expect(text.split('\r\n')[0]).toBe('правило;важность;URL;код ответа;подробности');
    expect(text).toContain('title-missing;error;');
  });
});
