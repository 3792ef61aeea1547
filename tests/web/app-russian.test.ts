// The Overview and Jobs pages, their chart JSON and the access refusals, for a Russian-speaking visitor:
// every word from the catalogue, dates, durations and plurals the Russian way, stored alerts as raised.
import { describe, expect, it } from 'vitest';
import { sendAlerts } from '../../src/notify/send-alerts.ts';
import { recordAlert } from '../../src/db/alerts.ts';
import { addEvent } from '../../src/db/events.ts';
import { finishRun, tryStartRun } from '../../src/db/job-runs.ts';
import type { AlertMessage } from '../../src/notify/types.ts';
import { insertChecks } from '../../src/uptime/checks.ts';
import { memoryLogger } from '../../src/util/log.ts';
import { JOBS } from '../../jobs/index.ts';
import { createApp } from '../../web/app.ts';
import type { AppDeps } from '../../web/types.ts';
import { englishLeaks } from '../i18n/english-leaks.ts';
import { FakeClock, siteByName, testConfig, testStoreDeps } from '../helpers.ts';

const RU = { 'accept-language': 'ru-RU,ru;q=0.9' };
const EN = { 'accept-language': 'en' };

/**
 * What a reader sees: text between tags and the title / aria-label attributes, entities decoded.
 * <code> holds machine values (job names the CLI takes, cron expressions), which stay as they are.
 */
function visibleText(html: string): string {
  const attrs = [...html.matchAll(/\s(?:title|aria-label|placeholder|alt)="([^"]*)"/g)].map((m) => m[1]);
  const text = html
    .replace(/<(script|style|code)[\s\S]*?<\/\1>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .concat(' ', attrs.join(' '));
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

const nb = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

async function setup(extra: Partial<AppDeps> = {}) {
  const clock = new FakeClock(Date.parse('2026-11-27T09:00:00Z'));
  const config = testConfig();
  config.sites[0]!.language = 'ru';
  const deps = await testStoreDeps(config, clock);
  const { sql, db } = deps;
  const studio = (await siteByName(sql, 'studio'))!;
  const run = async (
    job: string,
    trigger: 'schedule' | 'manual' | 'catch-up',
    finish?: Parameters<typeof finishRun>[2],
  ) => {
    const r = await tryStartRun(
      sql,
      { job, siteId: studio.id, trigger, pid: process.pid, isLive: () => true },
      clock.now(),
    );
    if (!r.started) throw new Error('run not started');
    clock.advance(1250);
    if (finish) await finishRun(sql, r.id, finish, clock.now());
    return r.id;
  };
  const uptimeRun = await run('uptime', 'schedule', { status: 'ok', counts: { pages: 2, ok: 1, down: 1 } });
  await insertChecks(sql, [
    {
      siteId: studio.id,
      runId: uptimeRun,
      url: 'https://studio.example/',
      checkedAt: '2026-11-27T09:00:00.000Z',
      status: 200,
      ok: true,
      ttfbMs: 350,
      totalMs: 1250,
      bytes: 1000,
      error: null,
    },
    {
      siteId: studio.id,
      runId: uptimeRun,
      url: 'https://studio.example/kontakty',
      checkedAt: '2026-11-27T09:00:00.000Z',
      status: 500,
      ok: false,
      ttfbMs: 90,
      totalMs: 95,
      bytes: 10,
      error: 'HTTP 500',
    },
  ]);
  await run('pull-ads', 'catch-up', { status: 'failed', error: 'Директ ответил 53: ошибка авторизации' });
  await run('crawl-site', 'schedule', { status: 'interrupted', error: 'остановлен' });
  await run('check-backlinks', 'manual');
  await addEvent(sql, { siteId: studio.id, day: '2026-11-20', title: 'Перезапуск сайта' }, clock.now());
  await addEvent(sql, { siteId: null, day: '2026-11-24', title: 'Новые цены' }, clock.now());

  // Alerts raised with no channel configured: kept for the dashboard in the site's language.
  const lost: AlertMessage = {
    siteName: 'studio',
    kind: 'lost-backlink',
    severity: 'critical',
    facts: {
      type: 'links',
      to: 'lost',
      links: [1, 2].map((n) => ({
        donorUrl: `https://donor${n}.example/`,
        target: 'https://studio.example/',
        vendor: null,
        reasons: ['nofollow'],
      })),
    },
  };
  await sendAlerts(deps, studio.id, [lost]);
  const id = await recordAlert(
    sql,
    {
      siteId: studio.id,
      kind: 'budget',
      severity: 'critical',
      message: 'Бюджет',
      channel: 'team',
      recipient: 'chat 1',
    },
    clock.now(),
  );
  await sql.run('UPDATE alerts SET attempts = 3 WHERE id = ?', [id]);

  const app = createApp({
    db,
    sql,
    config,
    jobs: JOBS,
    now: clock.now,
    log: memoryLogger(),
    auth: null,
    ...extra,
  });
  const page = async (path: string, headers = RU) => {
    const res = await app.request(path, { headers });
    expect(res.status).toBe(200);
    return res.text();
  };
  return { app, page };
}

describe('Overview and Jobs in Russian', () => {
  it('shows the Uptime page in Russian, with no English catalogue string', async () => {
    const { page } = await setup();
    const html = await page('/uptime');
    expect(html).toContain('<html lang="ru">');
    const text = nb(visibleText(html));
    expect(englishLeaks(text)).toEqual([]);
    expect(html).toMatch(/<h1>Доступность <small>studio/);
    expect(text).toContain('Страниц отвечает сейчас 1 / 2');
    // 09:00 UTC is noon in Moscow, the site's zone.
    expect(text).toContain('Последняя проверка 27 нояб. 2026 г., 12:00');
    expect(text).toContain('Последний сбой задачи Статистика рекламы, 27 нояб. 2026 г., 12:00');
    expect(text).toContain('Время ответа по дням');
    expect(text).toContain('350 мс 1,3 с');
    expect(text).toContain('20 нояб. 2026 г. Перезапуск сайта');
    expect(text).toContain('24 нояб. 2026 г. Новые цены (все сайты)');
    expect(text).toContain('Добавить событие');
    // The same page in English is English: the checks above can fail.
    expect(englishLeaks(visibleText(await page('/uptime', EN)))).not.toEqual([]);
  });

  it('shows the Jobs page in Russian: names, states, triggers, counts, durations and stored alerts', async () => {
    const { page } = await setup({ runNow: () => 'started' });
    const html = await page('/jobs');
    expect(html).toContain('<html lang="ru">');
    const text = nb(visibleText(html));
    expect(englishLeaks(text)).toEqual([]);
    expect(html).toMatch(/<h1>Задачи /);
    // The human name, and the machine name the CLI takes in small type.
    expect(html).toContain('<strong>Доступность сайта</strong> <small><code>uptime</code></small>');
    expect(text).toContain('Удаляет историю запусков старше 180 дней');
    expect(text).toContain('все сайты');
    expect(text).toContain('Запустить сейчас');
    expect(text).toContain('по расписанию');
    expect(text).toContain('догоняющий');
    expect(text).toContain('вручную');
    expect(html).toContain('<span class="status failed">ошибка</span>');
    expect(html).toContain('<span class="status interrupted">прерван</span>');
    expect(html).toContain('<span class="status running">выполняется</span>');
    expect(text).toContain('страниц: 2, отвечают: 1, не отвечают: 1');
    expect(text).toContain('1,3 с');
    // Alerts as they were raised, marked with their language; their kind and delivery in the visitor's.
    expect(html).toContain('<td lang="ru">2 купленные ссылки потеряны (подтверждено)');
    expect(text).toContain('потерянные ссылки');
    expect(text).toContain('только в панели');
    expect(text).toContain('нет (3 попытки)');
    expect(text).toContain('team → chat 1');
    expect(englishLeaks(visibleText(await page('/jobs', EN)))).not.toEqual([]);
  });

  it('labels the chart JSON in Russian under stable keys', async () => {
    const { app } = await setup();
    type Chart = { yTitle: string; datasets: { key: string; label: string }[] };
    const json = (await (await app.request('/api/overview?site=studio', { headers: RU })).json()) as {
      charts: Record<string, Chart>;
    };
    const { responseTime, uptime, jobRuns } = json.charts as Record<string, Chart>;
    expect(responseTime!.datasets.map((d) => [d.key, d.label])).toEqual([
      ['ttfb', 'Время до первого байта, среднее'],
      ['p95', 'Вся страница, 95-й процентиль'],
    ]);
    expect(responseTime!.yTitle).toBe('мс');
    expect(uptime!.yTitle).toBe('% проверок с ответом');
    expect(jobRuns!.datasets.map((d) => [d.key, d.label])).toEqual([
      ['ok', 'успешно'],
      ['failed', 'ошибка'],
      ['interrupted', 'прерван'],
    ]);
    const words = Object.values(json.charts).flatMap((c) => [c.yTitle, ...c.datasets.map((d) => d.label)]);
    expect(englishLeaks(words.join('\n'))).toEqual([]);
    const en = (await (await app.request('/api/overview?site=studio', { headers: EN })).json()) as {
      charts: Record<string, Chart>;
    };
    expect(en.charts.jobRuns!.datasets.map((d) => d.label)).toEqual(['ok', 'failed', 'interrupted']);
  });

  it('answers form errors and refusals a browser meets in Russian', async () => {
    const { app } = await setup();
    const first = await app.request('/', { headers: RU });
    const cookie = first.headers
      .getSetCookie()
      .map((c) => c.split(';')[0]!)
      .join('; ');
    const token = /name="_csrf" value="([^"]+)"/.exec(await first.text())![1]!;
    const post = (path: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
      app.request(path, {
        method: 'POST',
        headers: { ...RU, cookie, 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body: new URLSearchParams(fields).toString(),
      });
    const bad = await post('/events', { _csrf: token, site: 'studio', day: '27.11.2026', title: 'x' });
    expect([bad.status, await bad.text()]).toEqual([
      400,
      'Дата события должна быть в виде 2026-11-27, а не «27.11.2026»',
    ]);
    const forged = await post('/events', { _csrf: 'forged', site: 'studio', day: '2026-11-20', title: 'x' });
    expect([forged.status, await forged.text()]).toEqual([
      403,
      'Форма устарела или пришла с другого сайта; обновите страницу и попробуйте снова.',
    ]);
    const away = await post('/events', { _csrf: token, site: 'studio' }, { origin: 'https://evil.example' });
    expect(await away.text()).toMatch(/^Запрос с чужого сайта отклонён/);
    const noScheduler = await post('/jobs/run', { _csrf: token, job: 'uptime', site: 'studio' });
    expect([noScheduler.status, await noScheduler.text()]).toEqual([
      409,
      'К этой панели не подключён планировщик (она запущена командой «serve»); запустите задачу командой «promowatch run»',
    ]);
    const rebinding = await app.request('http://attacker.example:8787/', { headers: RU });
    expect([rebinding.status, await rebinding.text()]).toEqual([
      421,
      'Эта панель отвечает только по адресам localhost/127.0.0.1 (запрошен адрес «attacker.example»)',
    ]);
    const { app: locked } = await setup({ auth: { password: 'correct horse battery', sessionHours: 1 } });
    const denied = await locked.request('/events', { method: 'POST', headers: RU });
    expect([denied.status, await denied.text()]).toEqual([
      401,
      'Нужно войти: выполните вход и повторите действие',
    ]);
  });
});
