// The Yandex result-page parser on our pages of each layout from 2016 to 2022, desktop and mobile
// (tests/fixtures/serp/yandex/README.md says what each page reproduces).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { SerpParse } from '../../../src/rank/serp-html/blocked.ts';
import { parseYandexSerp, yandexTarget } from '../../../src/rank/serp-html/yandex.ts';

const fixture = (name: string) =>
  readFileSync(new URL(`../../fixtures/serp/yandex/${name}`, import.meta.url), 'utf8');

function results(parse: SerpParse) {
  if (parse.kind !== 'results') throw new Error(`expected results, got ${parse.kind}: ${parse.reason}`);
  return parse;
}

/** The page as the browser provider would have loaded it: the query and region in the address. */
const page = (query: string, lr: number, path = '/search/') =>
  `https://yandex.ru${path}?text=${encodeURIComponent(query)}&lr=${lr}`;

/** Positions as the browser provider stores them: 1 for the first organic result. */
const positions = (parse: SerpParse) => results(parse).items.map((item, i) => `${i + 1} ${item.url}`);

describe('parseYandexSerp() on each Yandex layout', () => {
  it('2016 desktop: counts a Yandex Maps page and a site flagged as dangerous, not the Market and company wizards', () => {
    const url = page('кухни на заказ', 213);
    const parse = results(parseYandexSerp(fixture('yandex-2016-desktop-posinset.html'), url));
    // aria-posinset runs 1, 2, 4, 5, 7, 8, 10…: the wizards take numbers, not positions.
    expect(positions(parse)).toEqual([
      '1 https://kuhni-na-zakaz.example/',
      '2 https://www.avito.ru/moskva/mebel_i_interer/kuhonnye_garnitury',
      '3 https://mebel-fabrika.example/kuhni/',
      '4 https://yandex.ru/maps/org/kukhni_master/0994020590',
      '5 https://market.yandex.ru/catalog/56218/list?hid=91610&clid=703',
      '6 http://kuhni-deshevo.example/zakaz.php',
      '7 https://ru.wikipedia.org/wiki/%D0%9A%D1%83%D1%85%D0%BD%D1%8F',
      '8 https://vk.com/kuhni_na_zakaz_msk',
      '9 https://kuhni-premium.example/',
    ]);
    // The flagged result's title is not a link; its address is in "go to the site anyway".
    expect(parse.items[5]!.title).toBe('Кухни на заказ дёшево — прямо с завода');
    expect(parse.nextUrl).toBe(`${url}&p=1`);
  });

  it('2017 desktop: cuts the hidden counters out of titles and skips the news wizard whose stories carry counters too', () => {
    const parse = results(
      parseYandexSerp(
        fixture('yandex-2017-desktop-hidden-counters.html'),
        page('автобус москва ярославль', 213),
      ),
    );
    expect(positions(parse)).toEqual([
      // A Timetables route page is an ordinary result of a Yandex service.
      '1 https://rasp.yandex.ru/search/bus/?fromName=%D0%9C%D0%BE%D1%81%D0%BA%D0%B2%D0%B0&toName=%D0%AF%D1%80%D0%BE%D1%81%D0%BB%D0%B0%D0%B2%D0%BB%D1%8C&fromId=c213&toId=c16',
      '2 https://yarbus.example/raspisanie/moskva-yaroslavl/',
      '3 https://www.tutu.ru/bus/moskva/yaroslavl/',
      '4 http://bilety-avtobus.example/moskva-yaroslavl.html',
      '5 https://avtovokzaly.example/raspisanie/moskva/yaroslavl',
      '6 http://yar-perevozchik.example/marshruty/moskva.html',
      '7 https://www.blablacar.ru/poezdki/moskva/yaroslavl',
      '8 https://vk.com/bus_msk_yar',
    ]);
    expect(parse.items.map((i) => i.title)).toEqual([
      'Расписание автобусов Москва — Ярославль — Яндекс.Расписания',
      'Автобус Москва Ярославль: расписание и цены — ЯрБус',
      'Автобус Москва — Ярославль: расписание, цена билета — Туту.ру',
      'Билеты на автобус Москва Ярославль со скидкой',
      'Расписание автобусов Москва — Ярославль на 2017 год',
      // A page without a <title> is listed by its address alone.
      null,
      'Попутчики Москва — Ярославль — BlaBlaCar',
      'Автобус Москва — Ярославль | ВКонтакте',
    ]);
  });

  it('2018 desktop: puts the first site at position 1 although the counters number the four ads above it 1–4', () => {
    const parse = results(
      parseYandexSerp(fixture('yandex-2018-desktop-numbered-ads.html'), page('хостел екатеринбург', 54)),
    );
    expect(positions(parse)).toEqual([
      '1 https://hostel-ural.example/',
      '2 https://ostrovok.ru/hotel/russia/yekaterinburg/hostels/',
      '3 https://yandex.ru/maps/54/yekaterinburg/category/hostel/',
      '4 https://ekb.likehostels.example/',
      '5 https://www.booking.com/hostels/city/ru/yekaterinburg.ru.html',
    ]);
    // Its hidden counter says 6: four ads and the "ads search" wizard took 1–5.
    expect(parse.items[0]!.title).toBe('Хостел «Урал» — хостел в центре Екатеринбурга у вокзала');
    expect(parse.items.map((i) => i.url).join(' ')).not.toMatch(/hostel-center|kvartiry-sutki|source=wizbiz/);
  });

  it('2019 desktop: leaves out the news, maps, music and video wizards drawn like results, keeps a profile with its posts', () => {
    const parse = results(
      parseYandexSerp(fixture('yandex-2019-desktop-composite-wizards.html'), page('мастерская звука', 213)),
    );
    expect(positions(parse)).toEqual([
      '1 https://masterskaya-zvuka.example/',
      '2 https://masterskaya-zvuka.example/ceny/',
      '3 https://www.instagram.com/masterskaya_zvuka/',
      '4 https://vk.com/masterskaya_zvuka',
      '5 https://zoon.ru/msk/entertainment/studiya_zvukozapisi_masterskaya_zvuka/',
      '6 https://2gis.ru/moscow/firm/4504127908538767',
    ]);
    expect(parse.items[2]!.title).toBe('Мастерская звука (@masterskaya_zvuka) • Фото и видео в Instagram');
  });

  it('2021 desktop: reads classic and React snippets side by side, without the counters and rating drawn in titles', () => {
    const parse = results(
      parseYandexSerp(
        fixture('yandex-2021-desktop-mixed-snippets.html'),
        page('жк северный парк отзывы', 213),
      ),
    );
    expect(positions(parse)).toEqual([
      '1 https://severny-park.example/',
      '2 https://www.cian.ru/zhiloy-kompleks-severnyy-park-moskva-33213/otzyvy/',
      '3 https://yandex.ru/maps/org/zhk_severny_park/827861324098/reviews/',
      '4 https://novostroy-m.example/baza/zhk_severny_park/otzyvy',
      '5 https://www.avito.ru/moskva/kvartiry/prodam/novostroyka/zhk_severnyy_park-ASgBAQICAUSSA8YQ',
      '6 https://zoon.ru/msk/building/zhk_severnyj_park/',
      '7 https://vk.com/severny_park_zhk',
    ]);
    // The counter "5" would have run into the title's own leading number: "5127 отзывов".
    expect(parse.items[1]!.title).toBe('127 отзывов — ЖК Северный парк в Москве, форум дольщиков — ЦИАН');
    expect(parse.items[3]!.title).toBe('ЖК «Северный парк»: 312 отзывов дольщиков и жильцов');
    expect(parse.items.some((i) => i.url.includes('realty.yandex.ru'))).toBe(false);
  });

  it('2022 desktop: does not take snippets highlighting the word "реклама" for ads, and leaves out the product and video wizards', () => {
    const parse = results(
      parseYandexSerp(fixture('yandex-2022-desktop-cards.html'), page('наружная реклама москва', 213)),
    );
    expect(positions(parse)).toEqual([
      '1 https://reklama-gorod.example/naruzhnaya-reklama/',
      '2 https://ru.wikipedia.org/wiki/%D0%9D%D0%B0%D1%80%D1%83%D0%B6%D0%BD%D0%B0%D1%8F_%D1%80%D0%B5%D0%BA%D0%BB%D0%B0%D0%BC%D0%B0',
      '3 https://yandex.ru/maps/org/reklamnoye_agentstvo_gorod/2479427346/reviews/',
      '4 https://www.avito.ru/moskva/predlozheniya_uslug/naruzhnaya_reklama',
      '5 https://zoon.ru/msk/business/type/naruzhnaya_reklama/',
      '6 https://2gis.ru/moscow/search/%D0%9D%D0%B0%D1%80%D1%83%D0%B6%D0%BD%D0%B0%D1%8F%20%D1%80%D0%B5%D0%BA%D0%BB%D0%B0%D0%BC%D0%B0',
      '7 https://reklama-pro.example/blog/vidy-naruzhnoj-reklamy',
    ]);
    expect(parse.items.map((i) => i.url).join(' ')).not.toMatch(/yabs|products|video/);
  });

  it('2017 mobile: gives the site behind a Turbo link, keeps shop snippets with Market offers, and pages through /search/touch/', () => {
    const url = page('фитнес браслет xiaomi', 213, '/search/touch/');
    const parse = results(parseYandexSerp(fixture('yandex-2017-mobile-turbo.html'), url));
    // aria-posinset numbers the ads 1–2, then starts again at 1 on the Market wizard.
    expect(positions(parse)).toEqual([
      '1 https://mi-shop.example/catalog/fitnes-braslety/',
      '2 https://www.dns-shop.ru/catalog/17a8d9b616404e77/fitnes-braslety/?brand=xiaomi',
      '3 https://fitness-gadget.example/obzor-mi-band-2/',
      '4 https://m.market.yandex.ru/product/2364006977?clid=806',
      '5 https://otzovik.com/reviews/fitnes-braslet_xiaomi_mi_band_2/',
    ]);
    expect(parse.nextUrl).toBe(
      'https://yandex.ru/search/touch/?msid=9494171957.318552.0062&lr=213&text=%D1%84%D0%B8%D1%82%D0%BD%D0%B5%D1%81%20%D0%B1%D1%80%D0%B0%D1%81%D0%BB%D0%B5%D1%82%20xiaomi&p=1',
    );
  });

  it('2021 mobile: gives the sites behind turbopages.org, drops the path drawn in titles, reads every loaded page, skips Yandex Q and the other cards', () => {
    const parse = results(
      parseYandexSerp(
        fixture('yandex-2021-mobile-cards-turbo.html'),
        page('пилатес для начинающих', 213, '/search/touch/'),
      ),
    );
    expect(positions(parse)).toEqual([
      '1 https://ru.wikipedia.org/wiki/%D0%9F%D0%B8%D0%BB%D0%B0%D1%82%D0%B5%D1%81',
      '2 https://fitness-studio.example/pilates/',
      '3 https://pilates-home.example/uprazhneniya/dlya-nachinayushchih/',
      '4 https://www.sports.ru/tribuna/blogs/pilates/2891234.html',
      // The second page, loaded under the first by "ещё" (its data-cid start again at 0).
      '5 https://womfit.example/fitnes/pilates-doma/',
      '6 https://m.youtube.com/playlist?list=PLpIl4tEs0bEg1nn3r5',
    ]);
    expect(parse.items.map((i) => i.title)).toEqual([
      'Пилатес — Википедия',
      'Пилатес для начинающих в Москве — первое занятие бесплатно',
      '20 упражнений пилатеса для начинающих в домашних условиях',
      'Пилатес – это не разминка на ковриках. Это большая нагрузка',
      'Пилатес дома для начинающих: 12 упражнений с картинками',
      'Пилатес для начинающих — плейлист — YouTube',
    ]);
  });

  it('gets through 100,000 nested result blocks (5 MB) in bounded time', () => {
    const block =
      '<li class="serp-item"><div class="composite"><h2><a class="organic__url" href="https://e.example/">t';
    const html = `<ul id="search-result">${block.repeat(100_000)}`;
    expect(html.length).toBeGreaterThan(5_000_000);
    const t = performance.now();
    const parse = results(parseYandexSerp(html, page('t', 213)));
    expect(performance.now() - t).toBeLessThan(15_000);
    expect(parse.items.map((i) => i.url)).toEqual(['https://e.example/']);
  });
});

describe('yandexTarget()', () => {
  const url = page('x', 213);

  it("gives the site's own address for Turbo copies and for sites Yandex flags as dangerous", () => {
    expect(
      yandexTarget(
        'https://ru-wikipedia-org.turbopages.org/ru.wikipedia.org/s/wiki/%D0%9A%D1%83%D1%85%D0%BD%D1%8F?turbo_uid=AAB&sign=1%3A2&trbsrc=wb',
        url,
      ),
    ).toBe('https://ru.wikipedia.org/wiki/%D0%9A%D1%83%D1%85%D0%BD%D1%8F');
    expect(yandexTarget('https://yandex.ru/turbo/studio.example/s/blog/post/', url)).toBe(
      'https://studio.example/blog/post/',
    );
    expect(
      yandexTarget('https://yandex.ru/turbo?text=http%3A%2F%2Fstudio.example%2Fa%2F&fallback=1', url),
    ).toBe('http://studio.example/a/');
    expect(yandexTarget('/search/infected/?url=http%3A%2F%2Fstudio.example%2Fb.html', url)).toBe(
      'http://studio.example/b.html',
    );
  });

  it("gives null for Yandex's search pages of every vertical and keeps the pages of its services", () => {
    for (const wizard of [
      '//news.yandex.ru/yandsearch?text=x&rpt=nnews2',
      '//market.yandex.ru/search.xml?clid=545&text=x',
      '//m.market.yandex.ru/search?text=x',
      '//yandex.ru/maps/?source=wizbiz_new_text_multi&text=x',
      '//yandex.ru/products/search?text=x',
      'https://www.yandex.ru/search/ads?mw=1&lr=54&text=x',
      '//yandex.ru/video/touch/preview/?text=x',
    ])
      expect(yandexTarget(wizard, url), wizard).toBeNull();
    for (const service of [
      'https://yandex.ru/maps/org/studio/0994020590/reviews/',
      'https://rasp.yandex.ru/search/bus/?fromName=A&toName=B',
      'https://market.yandex.ru/catalog/56218/list?hid=91610',
      'https://zen.yandex.ru/media/studio/post-5f0c77d924e',
    ])
      expect(yandexTarget(service, url)).toBe(service);
  });
});

// Our hand-made 2024 page with ads marked three ways and two wizards (in tests/fixtures/serp/, beside the
// Google and Bing pages).
const serpFixture = (name: string) =>
  readFileSync(new URL(`../../fixtures/serp/${name}`, import.meta.url), 'utf8');
const YANDEX_PAGE =
  'https://yandex.ru/search/?text=%D0%B2%D0%B8%D0%B4%D0%B5%D0%BE%D1%81%D1%82%D1%83%D0%B4%D0%B8%D1%8F+%D0%BC%D0%BE%D1%81%D0%BA%D0%B2%D0%B0&lr=213';

describe('parseYandexSerp() on our Yandex pages', () => {
  it('reads the organic results, leaving out ads marked three different ways and both wizards', () => {
    const parse = results(parseYandexSerp(serpFixture('yandex-2024-desktop-ads-wizards.html'), YANDEX_PAGE));
    expect(parse.items.map((i) => i.url)).toEqual([
      'https://motion-studio.example/',
      'https://ru.wikipedia.org/wiki/%D0%92%D0%B8%D0%B4%D0%B5%D0%BE%D1%81%D1%82%D1%83%D0%B4%D0%B8%D1%8F',
      'https://videoprod.example/studio/',
      'https://profi.example/moskva/videostudii/',
      'https://studio-na-taganke.example/',
      'https://www.youtube.com/@motionstudio',
      'https://yandex.ru/uslugi/213-moscow/category/foto-i-video/videosemka--1014',
      'https://vk.com/videostudio_msk',
      'https://2gis.ru/moscow/search/%D0%B2%D0%B8%D0%B4%D0%B5%D0%BE%D1%81%D1%82%D1%83%D0%B4%D0%B8%D1%8F',
      'https://www.avito.ru/moskva/predlozheniya_uslug/videostudiya',
    ]);
    expect(parse.items[0]!.title).toBe('Motion Studio — видеостудия полного цикла в Москве');
    // A title that starts with the word "Реклама" is not an ad label.
    expect(parse.items[4]!.title).toBe('Реклама и видео — Студия на Таганке');
    const all = parse.items.map((i) => i.url).join(' ');
    expect(all).not.toMatch(/yabs|promo-studio|studia-zvuk|kinoplenka|rutube/);
    expect(parse.nextUrl).toBe(`${YANDEX_PAGE}&p=1`);
  });

  it('recognises the SmartCaptcha page as blocked, by its markup and by its /showcaptcha address', () => {
    const html = serpFixture('yandex-2024-smartcaptcha.html');
    expect(parseYandexSerp(html, YANDEX_PAGE)).toMatchObject({
      kind: 'blocked',
      reason: expect.stringMatching(/SmartCaptcha/),
    });
    expect(
      parseYandexSerp('<html><body></body></html>', 'https://yandex.ru/showcaptcha?cc=1&retpath=x').kind,
    ).toBe('blocked');
  });

  it('returns an empty list when Yandex says nothing was found', () => {
    const html = `<html><body><div class="content__left"><ul id="search-result" class="serp-list"></ul>
      <div class="EmptySearchResults"><h1>По вашему запросу ничего не нашлось</h1></div></div></body></html>`;
    expect(parseYandexSerp(html, YANDEX_PAGE)).toEqual({ kind: 'results', items: [], nextUrl: null });
  });

  it('calls a page without a result list unrecognised', () => {
    expect(parseYandexSerp('<html><body><h1>Яндекс</h1></body></html>', YANDEX_PAGE).kind).toBe(
      'unrecognised',
    );
  });
});

describe('yandexTarget()', () => {
  it('unwraps /clck/ redirects that carry the address and drops Direct click links', () => {
    expect(
      yandexTarget(
        'https://yandex.ru/clck/jsredir?from=yandex.ru&url=https%3A%2F%2Fstudio.example%2F',
        YANDEX_PAGE,
      ),
    ).toBe('https://studio.example/');
    expect(
      yandexTarget(
        'https://yandex.ru/clck/redir/dtype=stred/pid=7/cid=2508/*https://studio.example/a',
        YANDEX_PAGE,
      ),
    ).toBe('https://studio.example/a');
    expect(
      yandexTarget('https://yandex.ru/clck/jsredir?data=UlNrNmk5WktYejR0&b64e=2', YANDEX_PAGE),
    ).toBeNull();
    expect(yandexTarget('https://yabs.yandex.ru/count/WZ0ejI_z', YANDEX_PAGE)).toBeNull();
    expect(yandexTarget('/search/?text=other', YANDEX_PAGE)).toBeNull();
  });
});
