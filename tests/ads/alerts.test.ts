// Budget alerts fire on meaningful data: no early-month noise, "over budget" apart from "heading over", each once a month.
import { describe, expect, it } from 'vitest';
import { accountAlerts } from '../../src/ads/alerts.ts';
import { budgetWarning, pacing } from '../../src/ads/pacing.ts';
import { insertAccount, replaceWindow, type AccountInput } from '../../src/ads/store.ts';
import type { DailyRow } from '../../src/ads/types.ts';
import { alertText } from '../../src/notify/text.ts';
import type { AlertMessage } from '../../src/notify/types.ts';
import { addDays } from '../../src/util/days.ts';
import { FakeClock, siteByName, testConfig, testStoreDeps } from '../helpers.ts';
import { account, row as accountRow, setupStore } from './accounts.ts';

const M = 1_000_000;
const BUDGET = 60_000 * M;

const input: AccountInput = {
  platform: 'yandex-direct',
  externalId: 'studio-direct',
  name: 'Кадр — Директ',
  currency: 'RUB',
  timeZone: 'Europe/Moscow',
  costIncludesVat: false,
  monthlyBudgetMicros: BUDGET,
  credentials: {},
  lookbackDays: null,
};

const row = (day: string, rub: number): DailyRow => ({
  day,
  campaignId: '1',
  campaignName: 'Search — motion design studio',
  impressions: 1000,
  clicks: 50,
  costMicros: Math.round(rub * M),
  conversions: 2,
  conversionValueMicros: 0,
});

/** An account with `spend(day)` roubles a day from `from` to `to`; the clock at noon Moscow on `to`. */
async function world(from: string, to: string, spend: (day: string) => number) {
  const config = testConfig({
    sites: [{ name: 'studio', baseUrl: 'https://studio.example/', timeZone: 'Europe/Moscow' }],
  });
  const clock = new FakeClock(Date.parse(`${to}T09:00:00Z`));
  const { sql } = await testStoreDeps(config, clock);
  const site = (await siteByName(sql, 'studio'))!;
  const id = await insertAccount(sql, site.id, input, clock.now());
  const acc = { ...input, id, siteId: site.id };
  const put = async (upTo: string) => {
    const rows: DailyRow[] = [];
    for (let d = from; d <= upTo; d = addDays(d, 1)) rows.push(row(d, spend(d)));
    await replaceWindow(sql, id, from, upTo, rows, 'api');
  };
  await put(to);
  /** Moves the clock to noon Moscow on `day` with spend through it, and judges the account. */
  const on = async (day: string) => {
    clock.t = Date.parse(`${day}T09:00:00Z`);
    await put(day);
    return (await accountAlerts(sql, 'studio', acc, {}, clock.now())).messages.filter(
      (m) => m.kind === 'budget',
    );
  };
  return { sql, clock, acc, on };
}

const levels = (ms: AlertMessage[]) =>
  ms.map((m) => (m.facts.type === 'budget' ? m.facts.level : m.facts.type));

describe('budgetWarning()', () => {
  const base = { budgetMicros: BUDGET, completeDays: 10, paceDays: 7 as const, alert: true };

  it('says "over" as soon as the spend passes the budget, whatever the day', async () => {
    expect(budgetWarning({ ...base, completeDays: 0, monthToDateMicros: BUDGET + 1, alert: false })).toBe(
      'over',
    );
    expect(budgetWarning({ ...base, monthToDateMicros: BUDGET })).toBe('heading-over');
  });

  it('holds "heading over" back before three complete days, below a tenth of the budget, or on no pace', async () => {
    expect(budgetWarning({ ...base, completeDays: 2, monthToDateMicros: 20_000 * M })).toBeNull();
    expect(budgetWarning({ ...base, completeDays: 3, monthToDateMicros: 20_000 * M })).toBe('heading-over');
    expect(budgetWarning({ ...base, monthToDateMicros: 5_999 * M })).toBeNull();
    expect(budgetWarning({ ...base, paceDays: 0, monthToDateMicros: 20_000 * M })).toBeNull();
    expect(budgetWarning({ ...base, alert: false, monthToDateMicros: 20_000 * M })).toBeNull();
    expect(budgetWarning({ ...base, budgetMicros: null, monthToDateMicros: 1e12 })).toBeNull();
  });
});

describe('budget alerts after a pull', () => {
  it('raise nothing on the 1st from a few roubles, though last week paced far over', async () => {
    // Late October ran at 2,600 ₽ a day (a 60,000 ₽ budget is ~1,940 a day); by noon on 1 November
    // the account has spent 340 ₽. The forecast says 30 % over: a projection, not yet news.
    const w = await world('2026-10-20', '2026-11-01', (d) => (d === '2026-11-01' ? 340 : 2600));
    const week = new Map<string, number>();
    for (let d = '2026-10-25'; d <= '2026-11-01'; d = addDays(d, 1))
      week.set(d, (d === '2026-11-01' ? 340 : 2600) * M);
    const p = pacing(week, '2026-11-01', BUDGET);
    expect([p.alert, Math.round(p.overBy! * 100)]).toEqual([true, 30]);
    expect(await w.on('2026-11-01')).toEqual([]);
    expect(await w.on('2026-11-02')).toEqual([]);
    expect(await w.on('2026-11-03')).toEqual([]);
    // The 4th: three complete November days at the same pace, 10,400 ₽ spent — now it is raised, once.
    expect(levels(await w.on('2026-11-04'))).toEqual(['heading-over']);
    expect(await w.on('2026-11-05')).toEqual([]);
  });

  it('raise nothing for a month whose own days barely spend, while last month paced over', async () => {
    // The campaign was paused on the 1st: 50 ₽ a day in November after 3,000 a day in October.
    const w = await world('2026-10-20', '2026-11-05', (d) => (d < '2026-11-01' ? 3000 : 50));
    expect(await w.on('2026-11-05')).toEqual([]);
  });

  it('tell "over budget" from "heading over", in both languages', async () => {
    // 2,500 ₽ a day: heading over early on; the spend passes 60,000 ₽ on 25 November.
    const w = await world('2026-10-25', '2026-11-10', () => 2500);
    const heading = await w.on('2026-11-10');
    expect(levels(heading)).toEqual(['heading-over']);
    expect(heading[0]!.severity).toBe('warning');
    const en = alertText(heading[0]!, { lang: 'en', timeZone: 'Europe/Moscow' });
    expect(en.title).toBe('Кадр — Директ (Yandex Direct) is heading over its monthly budget');
    expect(en.lines[0]).toBe('Spent ₽25,000 of ₽60,000 by 10 Nov 2026.');

    for (let d = '2026-11-11'; d < '2026-11-25'; d = addDays(d, 1)) expect(await w.on(d)).toEqual([]);
    // An over-budget alert after the heading-over one is still raised, once.
    const over = await w.on('2026-11-25');
    expect(levels(over)).toEqual(['over']);
    expect(over[0]!.severity).toBe('critical');
    const overEn = alertText(over[0]!, { lang: 'en', timeZone: 'Europe/Moscow' });
    expect(overEn.title).toBe('Кадр — Директ (Yandex Direct) has spent more than its monthly budget');
    expect(overEn.lines[0]).toBe('Spent ₽62,500 by 25 Nov 2026 against a budget of ₽60,000: 4% over.');
    const overRu = alertText(over[0]!, { lang: 'ru', timeZone: 'Europe/Moscow' });
    expect(overRu.title).toBe('Рекламный аккаунт «Кадр — Директ» (Яндекс Директ) превысил месячный бюджет');
    expect(await w.on('2026-11-26')).toEqual([]);
    // A new month starts both levels afresh (and its 1st stays quiet).
    expect(await w.on('2026-12-01')).toEqual([]);
  });
});

describe('accountAlerts()', () => {
  it('raises each anomaly once and a budget warning once a month', async () => {
    const { sql, site, clock } = await setupStore();
    const id = await insertAccount(
      sql,
      site.id,
      account({ monthlyBudgetMicros: 100_000 * 1e6 }),
      clock.now(),
    );
    const rows: DailyRow[] = [];
    for (let i = 1; i <= 80; i++) {
      const day = addDays('2026-11-19', -i + 1);
      rows.push(accountRow(day, '1', i === 1 ? 30_000 : 5000));
    }
    await replaceWindow(sql, id, rows.at(-1)!.day, '2026-11-19', rows, 'api');
    const acc = { ...account({ monthlyBudgetMicros: 100_000 * 1e6 }), id, siteId: site.id };
    const first = await accountAlerts(sql, 'studio', acc, {}, clock.now());
    expect(first.messages.map((m) => m.kind)).toEqual(['anomaly', 'budget']);
    expect(alertText(first.messages[0]!, { lang: 'en', timeZone: 'UTC' }).lines[0]).toMatch(
      /^19 Nov 2026 Campaign 1 .*spend spike — ₽30,000 against a usual ₽5,000$/,
    );
    expect(alertText(first.messages[0]!, { lang: 'ru', timeZone: 'UTC' }).lines[0]).toMatch(
      /^19 нояб\. 2026 г\. Campaign 1 .*всплеск расхода — 30\u00a0000\u00a0₽ при обычных 5\u00a0000\u00a0₽$/,
    );
    const again = await accountAlerts(sql, 'studio', acc, {}, clock.now());
    expect(again.messages).toEqual([]);
  });

  it('names the seven days its budget pace comes from early in a month too, when they reach into the last', async () => {
    const { sql, site } = await setupStore();
    const budget = { monthlyBudgetMicros: 100_000 * 1e6 };
    const id = await insertAccount(sql, site.id, account(budget), new Date('2026-10-01T09:00:00Z'));
    const rows: DailyRow[] = [];
    for (let day = '2026-10-20'; day <= '2026-11-04'; day = addDays(day, 1))
      rows.push(accountRow(day, '1', 5000));
    await replaceWindow(sql, id, '2026-10-20', '2026-11-04', rows, 'api');
    const acc = { ...account(budget), id, siteId: site.id };
    // Noon on 4 November in Moscow: three complete days (the fewest a "heading over" alert waits for),
    // the pace of 28 October – 3 November.
    const { messages } = await accountAlerts(sql, 'studio', acc, {}, new Date('2026-11-04T09:00:00Z'));
    const lines = messages
      .filter((m) => m.kind === 'budget')
      .map((m) => alertText(m, { lang: 'en', timeZone: 'Europe/Moscow' }).lines[1]);
    expect(lines).toEqual([
      'At the pace of the last 7 days (₽5,000 a day) the month ends at ₽150,000: 50% over budget.',
    ]);
  });
});
