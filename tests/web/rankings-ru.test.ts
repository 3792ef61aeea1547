// The Rankings area in Russian: the page, a keyword's page, the charts' JSON, the forms' errors and the CSV
// speak Russian from the catalogue (no fixed English string left), with dates, percentages and plurals the
// Russian way; keywords, URLs and domains stay as typed.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { englishIn as sharedEnglishIn, readable } from '../i18n/english-left.ts';
import { readSearchExport } from '../../src/rank/import-search-export.ts';
import { replaceSearchAverages } from '../../src/rank/search-averages.ts';
import { rebuildRankSummary } from '../../src/rank/summary.ts';
import {
  formPoster,
  setup,
  SOFA,
  text,
  TODAY,
  withMoves,
  XSS,
  type Chart,
  type Trend,
} from './rankings-setup.ts';

const RU = { 'accept-language': 'ru-RU,ru;q=0.9' };
const EN = { 'accept-language': 'en' };
const ZIP = new URL('../fixtures/rank/studio.example-Performance-on-Search-2026-09-14.zip', import.meta.url);

/** Intl separates groups, units and range dashes with no-break and thin spaces; compare with plain ones. */
const plain = (s: string) => s.replace(/[\u00a0\u2009\u202f]/g, ' ');

/** Keywords the test site's users typed: data, shown as typed in every language. */
const TYPED = ['never checked', 'wrong page'];

function englishIn(shown: string): string[] {
  let text = plain(shown);
  for (const typed of TYPED) text = text.split(typed).join(' ');
  return sharedEnglishIn(text);
}

const json = async <T>(r: Response | Promise<Response>) => (await (await r).json()) as T;
const labelsOf = (charts: Record<string, Chart>) =>
  Object.values(charts).flatMap((c) => [c.yTitle ?? '', c.y2Title ?? '', ...c.datasets.map((d) => d.label)]);

describe('Rankings page in Russian', () => {
  it('has the check itself see English when it is there', async () => {
    const { app } = await setup();
    const en = readable(await text(app.request('/rankings', { headers: EN })));
    expect(englishIn(en)).toEqual(
      expect.arrayContaining([
        'rankings.charts.share: Share of voice',
        'rankings.addKeyword.heading: Add a keyword',
      ]),
    );
  });

  it('speaks Russian throughout: no fixed English string, lang="ru"', async () => {
    const { app } = await setup();
    const post = await formPoster(app, RU);
    await post('/rankings/competitors', { domain: 'rival.example', name: 'Rival' });
    const res = await app.request('/rankings', { headers: RU });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<html lang="ru">');
    expect(englishIn(readable(html))).toEqual([]);
    // The added flash and an empty site too.
    const added = await text(app.request('/rankings?added=1', { headers: RU }));
    expect(added).toContain('Задача track-rankings проверит новые запросы');
    expect(englishIn(readable(added))).toEqual([]);
    const empty = await text(app.request('/rankings?site=bakery', { headers: RU }));
    expect(empty).toContain('Запросов для съёма позиций пока нет.');
    expect(empty).toContain('<code>promowatch keywords import FILE.csv --site bakery</code>');
    expect(englishIn(readable(empty))).toEqual([]);
  });

  it('shows positions, failures, dates, percentages and plurals the Russian way', async () => {
    const { app } = await setup();
    const post = await formPoster(app, RU);
    await post('/rankings/competitors', { domain: 'rival.example', name: 'Rival' });
    const html = plain(await text(app.request('/rankings', { headers: RU })));
    expect(html).toContain('<h1>Позиции <small>studio');
    expect(html).toContain('<span class="muted">нет в топ-100</span>');
    expect(html).toContain(
      '<summary title="браузер: поисковая система заблокировала запрос (капча или страница «необычный трафик»)\nбраузер: проверка 27 нояб. 2026 г. не удалась\nпоследняя известная позиция 5 на 20 нояб. 2026 г.">не удалось</summary>',
    );
    expect(html).toContain('<summary>Подробности</summary><small>captcha</small>');
    expect(html).toContain('Запросов в топ-3 · топ-10</span><span class="value">1 · 3 <small>из 5</small>');
    expect(html).toMatch(
      /<span class="label">Видимость \(кривая CTR Sistrix\)<\/span><span class="value">\d+,\d+ %/,
    );
    expect(html).toContain('5 запросов');
    expect(html).toContain('Яндекс · <span title="lr=213">Москва</span> · десктоп');
    expect(html).toContain('Google · <span title="gl=ru;hl=ru">Россия, русский</span> · десктоп');
    expect(html).toContain('<option value="custom">своя</option>');
    expect(html).toContain('<option value="90">90 дней</option>');
    expect(html).toContain('title="выше на 3">▲ +3</span>');
    expect(html).toContain('aria-label="позиции за 30 дней: лучшая 3, худшая 6"');
    expect(html).toMatch(/<td>rival\.example <small>Rival<\/small><\/td><td>\d+,\d %<\/td>/);
    expect(html).toContain('(этот сайт: 3; 1 общий запрос)');
    expect(html).toContain('>Скачать для Excel (CSV)</a>');
    expect(html).toContain('&amp;for=excel"');
    // Typed data stays as typed, escaped.
    expect(html).toContain('диван &quot;угловой&quot; 🛋');
    expect(html).not.toContain(XSS);
  });

  it('tells the movers, the order toggle, volumes and averages in Russian, with no English left', async () => {
    const { app, ids } = await withMoves();
    const html = plain(await text(app.request('/rankings', { headers: RU })));
    expect(englishIn(readable(html))).toEqual([]);
    expect(html).toContain('<h2>Изменения позиций за неделю</h2>');
    expect(html).toContain('<h3>Больше всего упали</h3>');
    expect(html).toContain('<h3>Выпали из топ-10</h3><p class="muted">нет</p>');
    expect(html).toContain('Порядок: <strong aria-current="true">сначала падения</strong> · <a href=');
    expect(html).toContain('>сначала рост</a>');
    expect(html).toContain('<td class="num">1 000</td>');
    expect(html).toContain('≈ 4,3 в среднем</span>');
    expect(html).toContain('<h1>Позиции <small>studio');
    const gains = plain(await text(app.request('/rankings?sort=change&dir=desc', { headers: RU })));
    expect(englishIn(readable(gains))).toEqual([]);
    expect(gains).toContain('<strong aria-current="true">сначала рост</strong>');
    const never = plain(await text(app.request(`/rankings/keywords/${ids.never}`, { headers: RU })));
    expect(englishIn(readable(never))).toEqual([]);
  });

  it('shows imported search averages with a Russian period and numbers', async () => {
    const { app, sql, site, clock } = await setup();
    const r = readSearchExport([{ name: 'export.zip', bytes: readFileSync(ZIP) }]);
    if (!r || 'errors' in r) throw new Error('fixture did not import');
    await replaceSearchAverages(sql, site.id, r.source, r.period, r.tables, clock.now());
    const html = await text(app.request('/rankings', { headers: RU }));
    expect(englishIn(readable(html))).toEqual([]);
    expect(plain(html)).toContain('<h2>Search Console: средние значения за 12 июн. – 11 сент. 2026 г.</h2>');
    expect(plain(html)).toContain(
      '<td>кадр студия</td><td>1 533</td><td>10 873</td><td>14,1 %</td><td>1,04</td>',
    );
    expect(plain(html)).toContain('Средняя позиция');
  });
});

describe('Rankings keyword page in Russian', () => {
  it('speaks Russian: no fixed English string, lang="ru", Russian days and states', async () => {
    const { app, ids } = await setup();
    for (const id of [ids.sofa, ids.table, ids.chairs, ids.never]) {
      const html = await text(app.request(`/rankings/keywords/${id}`, { headers: RU }));
      expect(html).toContain('<html lang="ru">');
      expect(englishIn(readable(html))).toEqual([]);
    }
    const sofa = plain(await text(app.request(`/rankings/keywords/${ids.sofa}`, { headers: RU })));
    expect(sofa).toContain('<h1>Запрос <small>studio');
    expect(sofa).toContain('Выдача на 27 нояб. 2026 г. (SerpApi, первые 10 из 100 просмотренных)');
    expect(sofa).toContain('<p>Частотность 1 000. Теги: sofas.</p>');
    const table = plain(await text(app.request(`/rankings/keywords/${ids.table}`, { headers: RU })));
    expect(table).toMatch(/<td>27 нояб\. 2026 г\.<\/td><td>браузер<\/td><td>ошибка<\/td>/);
    expect(table).toContain(
      '<td class="error">поисковая система заблокировала запрос (капча или страница «необычный трафик»)<details class="upstream"><summary>Подробности</summary><small>captcha</small></details></td>',
    );
    const chairs = plain(await text(app.request(`/rankings/keywords/${ids.chairs}`, { headers: RU })));
    expect(chairs).toContain('<td>нет в топе</td>\n<td>нет в топ-100</td>');
    const never = await text(app.request(`/rankings/keywords/${ids.never}`, { headers: RU }));
    expect(never).toContain('Этот запрос ещё не проверялся.');
    const missing = await app.request('/rankings/keywords/999999', { headers: RU });
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('Такого запроса нет');
  });
});

describe('Rankings charts in Russian', () => {
  it('labels the trend datasets in Russian and keeps their keys', async () => {
    const { app } = await setup();
    const data = await json<Trend>(app.request('/api/rankings/trend', { headers: RU }));
    const { visibility, distribution, share } = data.charts;
    expect(visibility.yTitle).toBe('видимость, % (кривая CTR Sistrix)');
    expect(visibility.y2Title).toBe('клики');
    expect(visibility.datasets.map((d) => [d.key, d.label])).toEqual([
      ['visibility', 'Видимость, %'],
      ['gsc-clicks', 'Клики из Search Console'],
    ]);
    expect(distribution.yTitle).toBe('запросы');
    expect(distribution.datasets.map((d) => [d.key, d.label])).toEqual([
      ['top 3', 'топ-3'],
      ['4–10', '4–10'],
      ['11–30', '11–30'],
      ['31–100', '31–100'],
      ['not in top 100', 'нет в топ-100'],
    ]);
    expect(share.yTitle).toBe('доля видимости, %');
    // The site by its name, not its host.
    expect(share.datasets.map((d) => [d.key, d.label])).toEqual([['studio.example', 'studio']]);
    expect(englishIn(labelsOf(data.charts).join('\n'))).toEqual([]);
    const tagged = await json<Trend>(app.request('/api/rankings/trend?tag=sofas', { headers: RU }));
    expect(tagged.charts.visibility.datasets[1]!.label).toBe(
      'Клики из Search Console (запросы с тегом sofas)',
    );
    // The same view in English is a separate answer, not the Russian one from the cache.
    const en = await json<Trend>(app.request('/api/rankings/trend', { headers: EN }));
    expect(en.charts.distribution.datasets.at(-1)!.label).toBe('not in top 100');
  });

  it("labels a keyword's history in Russian and says what is wrong with a query in Russian", async () => {
    const { app, ids } = await setup();
    const data = await json<{ charts: Record<string, Chart> }>(
      app.request(`/api/rankings/keywords/${ids.sofa}/history`, { headers: RU }),
    );
    expect(data.charts.positions!.yTitle).toBe('позиция');
    expect(data.charts.positions!.datasets.map((d) => [d.key, d.label])).toEqual([['serpapi', 'SerpApi']]);
    const bad = await app.request('/api/rankings/trend?engine=altavista', { headers: RU });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({
      error: 'engine «altavista» — допустимые значения: google, yandex, bing',
    });
    const page = await app.request('/rankings?days=3', { headers: RU });
    expect(await page.text()).toBe('days «3» должно быть целым числом дней от 7 до 730');
  });
});

describe('Rankings forms in Russian', () => {
  it('says what is wrong with a keyword in Russian, keeping what was typed', async () => {
    const { app } = await setup();
    const post = await formPoster(app, RU);
    const bad = await post('/rankings/keywords', {
      query: `"${XSS}`,
      engine: 'google',
      gl: 'russia',
      volume: 'много',
    });
    expect(bad.status).toBe(400);
    const html = await bad.text();
    expect(englishIn(readable(html))).toEqual([]);
    expect(html).toContain(
      'Запрос не добавлен: страна (gl) «russia»: нужен двухбуквенный код страны, например ru или us',
    );
    expect(html).toContain('не указано поле «язык (hl)»: для запросов Google нужен язык, например ru или en');
    expect(html).toContain('частотность «много»: нужно целое число, например 1200 или 1 200');
    expect(html).toContain(`value="&quot;&lt;script&gt;alert(1)&lt;/script&gt;"`);
    expect(html).not.toContain(XSS);
    const yandex = await text(
      post('/rankings/keywords', { query: 'шкаф', engine: 'yandex', lr: 'Урюпинск' }),
    );
    expect(yandex).toContain('регион Яндекса (lr) «Урюпинск»: неизвестный регион Яндекса');
    const dup = await post('/rankings/keywords', { query: SOFA, engine: 'google', gl: 'ru', hl: 'ru' });
    expect(dup.status).toBe(409);
    expect(await dup.text()).toContain(
      `запрос «${SOFA.replace(/"/g, '&quot;')}» уже отслеживается: Google, этот регион, десктоп`,
    );
  });

  it('says what is wrong with a competitor in Russian', async () => {
    const { app } = await setup();
    const post = await formPoster(app, RU);
    const bad = await post('/rankings/competitors', { domain: 'not a domain' });
    expect(bad.status).toBe(400);
    const html = await bad.text();
    expect(englishIn(readable(html))).toEqual([]);
    expect(html).toContain('Конкурент не добавлен: «not a domain» — не доменное имя вида rival.example');
    const own = await text(post('/rankings/competitors', { domain: 'https://www.studio.example/' }));
    expect(own).toContain('studio.example — домен этого сайта');
    const gone = await post('/rankings/competitors/999/delete', {});
    expect(gone.status).toBe(404);
    expect(await gone.text()).toBe('У этого сайта нет такого конкурента');
  });
});

describe('Rankings CSV in Russian', () => {
  it('heads the columns in Russian and, for Excel, separates with ";" and writes decimal commas', async () => {
    const { app, sql, site, ids, obs } = await setup();
    // A Search Console average: a fractional position.
    await obs({
      keywordId: ids.never,
      day: TODAY,
      source: 'gsc',
      state: 'ranked',
      position: 7.5,
      depth: null,
    });
    await rebuildRankSummary(sql, site.id);
    const res = await app.request('/rankings/export.csv?for=excel', { headers: RU });
    expect(res.headers.get('content-disposition')).toContain('studio-rankings-excel.csv');
    // ignoreBOM: keep the BOM in the text, so the test sees that it is there.
    const csv = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await res.arrayBuffer());
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const [head, ...rows] = csv.slice(1).trim().split('\r\n');
    expect(head!.split(';')).toEqual([
      'ID',
      'запрос',
      'поисковая система',
      'регион',
      'устройство',
      'теги',
      'частотность',
      'состояние',
      'позиция',
      'глубина проверки',
      'дата',
      'источник',
      'изменение за 7 дней',
      'изменение за 30 дней',
      'лучшая позиция',
      'дата лучшей позиции',
      'URL в выдаче',
      'целевой URL',
      'не та страница',
      'последняя ошибка',
    ]);
    expect(rows).toHaveLength(5);
    // Values stay machine values; only the decimal separator is Excel's.
    expect(rows.find((r) => r.includes(';never checked;'))).toMatch(
      /^\d+;never checked;bing;"gl=us;hl=en";desktop;;;ranked;7,5;;2026-11-27;gsc;/,
    );
    expect(csv).toContain(';2026-11-27 browser: captcha\r\n');
    const plainCsv = await text(app.request('/rankings/export.csv', { headers: RU }));
    expect(plainCsv.replace(/^\uFEFF/, '').split('\r\n')[0]).toMatch(/^ID,запрос,поисковая система,/);
    expect(plainCsv).toContain(',ranked,7.5,');
  });
});
