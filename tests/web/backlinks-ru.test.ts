// The Backlinks area in Russian: the list, a link's page, the chart JSON, the CSV and the form's errors
// speak Russian from the catalogue (no fixed English string left), with money, dates and plurals the
// Russian way; URLs, anchors, vendors and what tools wrote stay as they were typed.
import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/backlinks/check.ts';
import { getBacklink, insertBacklinks, recordCheck } from '../../src/backlinks/store.ts';
import { saveToolStates } from '../../src/backlinks/tool-state-store.ts';
import type { BacklinkInput, FoundLink } from '../../src/backlinks/types.ts';
import { judge, type CheckFacts } from '../../src/backlinks/verdict.ts';
import { messages } from '../../src/i18n/index.ts';
import { englishIn as sharedEnglishIn, readable } from '../i18n/english-left.ts';
import { memoryLogger } from '../../src/util/log.ts';
import { JOBS } from '../../jobs/index.ts';
import { createApp } from '../../web/app.ts';
import { FakeClock, seedSitesIn, siteByName, testConfig, testStoreAndDb } from '../helpers.ts';

const RU = { 'accept-language': 'ru-RU,ru;q=0.9' };
const EN = { 'accept-language': 'en' };
const TARGET = 'https://studio.example/';
const RULE = { checks: 2, hoursApart: 6 };

/** Intl separates groups, units and range dashes with no-break and thin spaces; compare with plain ones. */
const plain = (s: string) => s.replace(/[\u00a0\u2009\u202f]/g, ' ');

/** The English strings `shown` contains as words of their own ("links" is not in the vendor "Miralinks"). */
function englishIn(shown: string): string[] {
  return sharedEnglishIn(plain(shown));
}

const input = (donorUrl: string, o: Partial<BacklinkInput>): BacklinkInput => ({
  donorUrl,
  target: TARGET,
  targetKind: 'url',
  expectedAnchor: null,
  kind: 'bought',
  vendor: 'Sape',
  priceMicros: 900_000_000,
  currency: 'RUB',
  billing: 'monthly',
  boughtOn: '2026-11-01',
  paidUntil: null,
  tags: ['видео'],
  notes: null,
  brand: null,
  ...o,
});

const found = (o: Partial<FoundLink['context']> = {}): FoundLink => ({
  href: TARGET,
  match: 'exact',
  anchor: 'студия видеопродакшна',
  image: false,
  rel: [],
  context: {
    inNoindexTag: false,
    inNoindexComment: false,
    inComment: false,
    inScript: false,
    inIframe: false,
    inForm: false,
    outsideBody: false,
    ...o,
  },
  snippet: `<a href="${TARGET}">студия видеопродакшна</a>`,
});

/** A check as the monitor records it, judged from these facts. */
function result(donorUrl: string, o: Partial<CheckFacts>, extra: Partial<CheckResult> = {}): CheckResult {
  const facts: CheckFacts = {
    mode: 'static',
    donorUrl,
    http: { status: 200, finalUrl: donorUrl, error: null },
    botWall: null,
    robotsAllows: { google: true, yandex: true },
    noindex: { google: false, yandex: false },
    pageNofollow: { google: false, yandex: false },
    canonicalElsewhere: null,
    link: found(),
    hidden: null,
    onlyAfterJs: false,
    jsRedirectTo: null,
    bodyCut: null,
    ...o,
  };
  return {
    mode: facts.mode,
    verdict: judge(facts),
    facts,
    donor: { htmlHash: 'c0ffee'.repeat(10), externalLinks: 3, brandMentions: 2 } as CheckResult['donor'],
    http: { status: facts.http.status, finalUrl: facts.http.finalUrl, redirects: [], headers: {} },
    screenshot: null,
    error: facts.http.error,
    ...extra,
  };
}

/**
 * Five links of the studio, checked on 2026-11-27 at 09:00 Moscow time: a guest post in <noindex>
 * (16 600 ₽ once, renewal due), a forum link hidden by CSS, a directory link confirmed lost (Ahrefs
 * agrees), a press release whose donor did not answer, and a review failing once, not yet confirmed.
 */
async function setup() {
  const { sql, db } = await testStoreAndDb();
  const clock = new FakeClock(Date.parse('2026-11-27T06:00:00Z'));
  const config = testConfig();
  await seedSitesIn(sql, config.sites, clock.now());
  const site = (await siteByName(sql, 'studio'))!;
  const urls = {
    guest: 'https://kadr-blog.example/statya',
    forum: 'https://forum-video.example/t/12',
    directory: 'https://katalog.example/studii',
    press: 'https://novosti.example/reliz',
    review: 'https://zhurnal.example/obzor',
  };
  const [guest, forum, directory, press, review] = (await insertBacklinks(
    sql,
    site.id,
    [
      input(urls.guest, {
        kind: 'guest-post',
        vendor: 'Miralinks',
        priceMicros: 16_600_000_000,
        billing: 'one-off',
        boughtOn: '2026-10-01',
        paidUntil: '2026-12-05',
        expectedAnchor: 'студия видеопродакшна',
        brand: 'Кадр',
      }),
      input(urls.forum, {}),
      input(urls.directory, { kind: 'directory', priceMicros: 300_000_000 }),
      input(urls.press, { kind: 'press-release', vendor: null, priceMicros: null, currency: null }),
      input(urls.review, { priceMicros: 500_000_000 }),
    ],
    new Date('2026-11-01T00:00:00Z'),
  )) as [number, number, number, number, number];
  const check = async (id: number, r: CheckResult, at = clock.now()) =>
    recordCheck(sql, (await getBacklink(sql, id))!, r, at, null, RULE);
  await check(
    guest,
    result(
      urls.guest,
      { link: found({ inNoindexTag: true }), http: { status: 200, finalUrl: `${urls.guest}/`, error: null } },
      {
        http: {
          status: 200,
          finalUrl: `${urls.guest}/`,
          redirects: [{ url: urls.guest, status: 301, location: `${urls.guest}/`, via: 'http' }],
          headers: {},
        },
      },
    ),
  );
  await check(forum, result(urls.forum, { mode: 'rendered', hidden: { how: 'opacity:0', onParent: true } }));
  await check(directory, result(urls.directory, { link: null }), new Date('2026-11-26T20:00:00Z'));
  await check(directory, result(urls.directory, { link: null }), new Date('2026-11-27T03:00:00Z'));
  await check(
    press,
    result(urls.press, {
      http: { status: null, finalUrl: null, error: 'no complete answer within 20000 ms' },
      link: null,
    }),
  );
  await check(review, result(urls.review, { link: null }));
  await saveToolStates(
    sql,
    [
      {
        backlinkId: directory,
        state: {
          tool: 'ahrefs',
          nofollow: false,
          sponsored: false,
          ugc: false,
          lost: true,
          lostOn: '2025-11-03',
          lostReason: 'Link removed',
          firstSeen: '2025-03-14',
          lastSeen: '2025-10-28',
        },
      },
    ],
    new Date('2026-11-26T10:00:00Z'),
  );
  const app = createApp({ db, sql, config, jobs: JOBS, now: clock.now, log: memoryLogger(), auth: null });
  return { app, sql, site, ids: { guest, forum, directory, press, review } };
}

const text = async (res: Response | Promise<Response>) => (await res).text();

describe('Backlinks list in Russian', () => {
  it('has the check itself see English when it is there', async () => {
    const { app } = await setup();
    const en = readable(await text(app.request('/backlinks', { headers: EN })));
    expect(englishIn(en)).toEqual(
      expect.arrayContaining([
        'backlinks.cards.lost: Lost (confirmed)',
        'backlinks.states.devalued: devalued',
      ]),
    );
  });

  it('speaks Russian throughout: no fixed English string, lang="ru"', async () => {
    const { app } = await setup();
    const res = await app.request('/backlinks', { headers: RU });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<html lang="ru">');
    expect(englishIn(readable(html))).toEqual([]);
  });

  it('shows states, reasons, money, dates and plurals the Russian way', async () => {
    const { app } = await setup();
    const html = plain(await text(app.request('/backlinks', { headers: RU })));
    expect(html).toContain('<h1>Ссылки <small>studio');
    expect(html).toContain('<h2>Ссылки <small>5 ссылок</small></h2>');
    expect(html).toContain('<span class="label">Потеряны (подтверждено)</span><span class="value">1</span>');
    // The guest post: in <noindex>, so Yandex does not count it; 16 600 ₽ once, paid until 5 December.
    const guest = html.slice(html.indexOf('kadr-blog.example/statya</a><br>'));
    const row = guest.slice(0, guest.indexOf('</tr>'));
    expect(row).toContain('<span class="status interrupted" data-state="devalued">обесценена</span>');
    expect(row).toContain('<td>да</td><td><strong class="bad-text">нет</strong></td>');
    expect(row).toContain('<small>в noindex: Яндекс её не учитывает</small>');
    expect(row).toContain(
      '<td>Miralinks</td><td>16 600 ₽</td><td>5 дек. 2026 г.</td><td>27 нояб. 2026 г., 09:00</td>',
    );
    expect(html).toContain('<small>скрыта: opacity:0 (у родительского элемента)</small>');
    expect(html).toContain('900 ₽/мес.');
    expect(html).toContain('data-state="lost">потеряна</span>');
    expect(html).toContain('<small>ссылка снята</small>');
    expect(html).toContain('Ahrefs: потеряна 3 нояб. 2025 г. (Link removed)');
    expect(html).toContain('title="последний обход этого сервиса, а не наша проверка"');
    expect(html).toContain('data-state="inconclusive">не удалось проверить</span>');
    expect(html).toContain('не удалось загрузить страницу: no complete answer within 20000 ms');
    expect(html).toContain(
      'data-state="unchecked">не проверена</span><br><small>не прошла проверку 1 раз подряд, ещё не подтверждено</small>',
    );
    // Renewals, vendors and the filter and form options in words; their values stay the ids.
    expect(html).toContain('<h2>Продления в ближайшие 14 дней</h2><ul><li>5 дек. 2026 г.: ');
    expect(html).toContain(
      '<tr><td>Sape<br><small><a href="/backlinks/evidence.zip?vendor=Sape&amp;site=studio" download>доказательства (ZIP)</a></small></td><td>3</td><td>1 700 ₽</td><td>1 200 ₽</td>\n<td>2 из 3 (67 %)</td>\n<td>26 дней</td></tr>',
    );
    expect(html).toContain('<td><em>без продавца</em></td>');
    expect(html).toContain('<td>больше 26 дней</td>');
    // Money per currency as it was paid; links with no price have none, so no card for them.
    expect(html).toContain(
      'Оплачено за ссылки, которые сейчас потеряны или обесценены: 16 600 ₽ разово + 1 200 ₽/мес.',
    );
    expect(html).toContain('Продолжаем платить за потерянные и обесцененные ссылки: 1 200 ₽/мес.');
    expect(html).toContain('<td>Sape</td><td>300 ₽/мес.</td>\n<td>27 нояб. 2026 г., сегодня</td>');
    expect(html).toContain('Стоимость дней простоя ссылок пропорционально цене (оценка): 295 ₽');
    expect(html).not.toContain('(—)');
    expect(html).toContain('<option value="unchecked">не проверена</option>');
    expect(html).toContain('<option value="yandex-fails">Яндекс не учитывает</option>');
    expect(html).toContain('<option value="guest-post">гостевая статья</option>');
    expect(html).toContain('<option value="monthly">ежемесячно</option>');
    expect(html).toContain('Скачать для Excel (CSV)');
  });

  it('counts the links a filter shows out of all, with the Russian plural', async () => {
    const { app } = await setup();
    const html = await text(app.request('/backlinks?status=devalued', { headers: RU }));
    expect(html).toContain('<h2>Ссылки <small>2 из 5 ссылок</small></h2>');
    const ru = messages('ru').backlinks.list;
    expect([ru.shown(1, 1), ru.shown(3, 3), ru.shown(21, 21), ru.shown(2, 21), ru.shown(0, 1)]).toEqual([
      '1 ссылка',
      '3 ссылки',
      '21 ссылка',
      '2 из 21 ссылки',
      '0 из 1 ссылки',
    ]);
    expect(messages('en').backlinks.list.shown(2, 21)).toBe('2 of 21 links');
  });

  it('tells a site without links what to do, in Russian', async () => {
    const { app } = await setup();
    const html = await text(app.request('/backlinks?site=bakery', { headers: RU }));
    expect(englishIn(readable(html))).toEqual([]);
    expect(html).toContain('Купленных ссылок пока нет.');
    expect(html).toContain('<code>promowatch links import FILE --site bakery</code>');
  });
});

describe('A backlink page in Russian', () => {
  it('speaks Russian throughout, for every kind of check', async () => {
    const { app, ids } = await setup();
    for (const id of Object.values(ids)) {
      const html = await text(app.request(`/backlinks/${id}`, { headers: RU }));
      expect(html).toContain('<html lang="ru">');
      expect(englishIn(readable(html)), `link #${id}`).toEqual([]);
    }
  });

  it('describes the link and its evidence in Russian words, numbers and dates', async () => {
    const { app, ids } = await setup();
    const html = plain(await text(app.request(`/backlinks/${ids.guest}`, { headers: RU })));
    expect(html).toContain('<h1>Ссылка <small>studio');
    expect(html).toContain(
      'Тип: гостевая статья, продавец: Miralinks, цена: 16 600 ₽ разово, куплена 1 окт. 2026 г., оплачена до 5 дек. 2026 г.',
    );
    expect(html).toContain('Ожидаемый анкор: «студия видеопродакшна».');
    expect(html).toContain(
      '<td>27 нояб. 2026 г., 09:00</td><td>HTML</td><td data-outcome="devalued">обесценена</td>',
    );
    expect(html).toContain('1 редирект → https://kadr-blog.example/statya/');
    expect(html).toContain(
      'в noindex: Яндекс её не учитывает<br>«Кадр» упоминается 2 раза<br>3 внешние ссылки на странице',
    );
    const lost = plain(await text(app.request(`/backlinks/${ids.directory}`, { headers: RU })));
    expect(lost).toContain('<td data-outcome="missing">снята</td>');
    expect(lost).toContain(
      'Ahrefs: потеряна 3 нояб. 2025 г. (Link removed), из выгрузки, импортированной 26 нояб. 2026 г.',
    );
    // The fetch error is told once, in a Russian sentence around the fetcher's own words.
    const press = plain(await text(app.request(`/backlinks/${ids.press}`, { headers: RU })));
    expect(press.split('no complete answer within 20000 ms')).toHaveLength(3); // the card and the check
    expect(press).toContain('<td data-outcome="inconclusive">не удалось проверить</td>');
    const missing = await app.request('/backlinks/9999', { headers: RU });
    expect(missing.status).toBe(404);
    expect(await missing.text()).toBe('Такой ссылки нет');
  });
});

describe('Backlinks charts in Russian', () => {
  type Trend = {
    charts: Record<
      'links' | 'wasted',
      { yTitle: string; datasets: { key: string; label: string; data: number[] }[] }
    >;
  };

  it('labels datasets in Russian and keeps their keys for the colours', async () => {
    const { app } = await setup();
    const data = (await (await app.request('/api/backlinks/trend', { headers: RU })).json()) as Trend;
    expect(data.charts.links.datasets.map((d) => [d.key, d.label])).toEqual([
      ['live', 'активна'],
      ['devalued', 'обесценена'],
      ['lost', 'потеряна'],
    ]);
    expect(data.charts.links.datasets[1]!.data.at(-1)).toBe(2);
    expect(data.charts.links.yTitle).toBe('ссылки');
    expect(data.charts.wasted.yTitle).toBe('RUB в день');
    expect(data.charts.wasted.datasets.map((d) => [d.key, d.label])).toEqual([
      ['wasted', 'Стоимость дней простоя, оценка (RUB)'],
    ]);
    const labels = Object.values(data.charts).flatMap((c) => [c.yTitle, ...c.datasets.map((d) => d.label)]);
    expect(englishIn(labels.join('\n'))).toEqual([]);
    const en = (await (await app.request('/api/backlinks/trend', { headers: EN })).json()) as Trend;
    expect(en.charts.links.datasets.map((d) => [d.key, d.label])).toEqual([
      ['live', 'live'],
      ['devalued', 'devalued'],
      ['lost', 'lost'],
    ]);
  });
});

describe('Backlinks CSV and form in Russian', () => {
  it('heads the CSV columns in Russian, words the reasons, and keeps the values as they are', async () => {
    const { app } = await setup();
    const res = await app.request('/backlinks/export.csv?status=lost', { headers: RU });
    const csv = new TextDecoder().decode(await res.arrayBuffer()).replace(/^\uFEFF/, '');
    const [head, row, end] = csv.split('\r\n');
    expect(head).toBe(
      'ID,страница донора,акцептор,состояние,учитывает Google,учитывает Яндекс,причины,тип,продавец,цена,валюта,оплата,куплена,оплачено до,метки,последняя проверка',
    );
    expect(row).toBe(
      `3,https://katalog.example/studii,${TARGET},lost,false,false,ссылка снята,directory,Sape,300,RUB,monthly,2026-11-01,,видео,2026-11-27T03:00:00.000Z`,
    );
    expect(end).toBe('');
  });

  it('says what is wrong with a typed link in Russian, naming the fields as the form does', async () => {
    const { app, sql, site } = await setup();
    const first = await app.request('/backlinks', { headers: RU });
    const cookie = first.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const token = /name="_csrf" value="([^"]+)"/.exec(await first.text())![1]!;
    const post = (fields: Record<string, string>) =>
      app.request('/backlinks', {
        method: 'POST',
        headers: { ...RU, cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: token, site: 'studio', ...fields }).toString(),
      });
    const bad = await post({
      donor_url: 'kadr-blog.example/novaya',
      price: '1,500',
      currency: 'рубли',
      bought_on: '2027-01-10',
    });
    expect(bad.status).toBe(400);
    const said = await bad.text();
    expect(englishIn(said)).toEqual([]);
    expect(plain(said).split('\n')).toEqual([
      'форма: Страница донора «kadr-blog.example/novaya» — не абсолютный URL http(s)',
      'форма: не указано поле «Акцептор»: укажите URL или домен, на который ведёт ссылка',
      'форма: Цена «1,500» — неоднозначно: напишите 1500, если разделитель отделяет тысячи, или 1.5, если это дробная часть',
      'форма: Валюта «рубли» — не код валюты ISO 4217, например RUB, USD или EUR',
      'форма: Куплена «2027-01-10» — в будущем (сегодня 27 нояб. 2026 г.)',
    ]);
    expect(
      (await sql.get<{ n: number }>(`SELECT COUNT(*) AS n FROM backlinks WHERE site_id = ?`, [site.id]))!.n,
    ).toBe(5);
    const dup = await post({ donor_url: 'https://kadr-blog.example/statya', target: TARGET });
    expect(dup.status).toBe(409);
    expect(await dup.text()).toBe('Эта ссылка уже есть в списке');
  });
});
