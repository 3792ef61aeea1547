// Generates the benchmark's inputs: a Yandex Direct Reports API TSV and daily campaign rows to seed the dashboard.
// TSV layout as the Reports service writes it (title, column header, rows, "Total rows: N"; money in
// micros rounded to 10,000; "--" for no value): https://yandex.com/dev/direct/doc/en/report-format
import type { DailyRow } from '../../../src/ads/types.ts';
import { addDays } from '../../../src/util/days.ts';

const NAMES = [
  'Поиск — видеопродакшн',
  'РСЯ — ретаргетинг',
  'Бренд «Студия»',
  'Поиск — моушн-дизайн',
  'Мастер кампаний — заявки',
  'Поиск — съёмка рекламы',
];

/** A small linear congruential generator: the same file every run, so runs compare. */
export function seeded(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

export const campaignName = (c: number): string => `${NAMES[c % NAMES.length]} ${c + 1} (Москва)`;

export interface CampaignNaming {
  id: (c: number) => string;
  name: (c: number) => string;
}
const DIRECT_NAMING: CampaignNaming = { id: (c) => String(70_000_000 + c), name: campaignName };

/** One campaign's day: `level` (0…1) sets its size; a quarter of the days have no conversions ("--"). */
export function dailyRow(
  day: string,
  c: number,
  level: number,
  rnd: () => number,
  naming: CampaignNaming = DIRECT_NAMING,
): DailyRow {
  const impressions = Math.floor(200 + level * 4000 + rnd() * 800);
  const clicks = Math.floor(impressions * (0.01 + rnd() * 0.04));
  // Cost per click 15…60 units, rounded to 10,000 micros as the API rounds.
  const costMicros = Math.round((clicks * (15 + rnd() * 45) * 1_000_000) / 10_000) * 10_000;
  const converted = rnd() > 0.25;
  const conversions = converted ? Math.floor(clicks * rnd() * 0.1) : 0;
  return {
    day,
    campaignId: naming.id(c),
    campaignName: naming.name(c),
    impressions,
    clicks,
    costMicros,
    conversions,
    conversionValueMicros: converted ? conversions * 3_500 * 1_000_000 : 0,
  };
}

/**
 * The Reports API's TSV for `campaigns` × `days` ending on `lastDay`, one row per campaign and day, with
 * the report title and the "Total rows" summary (neither skipped), as `reports` returns it and a person saves it.
 */
export function directReportTsv(campaigns: number, days: number, lastDay: string): Buffer {
  const rnd = seeded(11);
  const first = addDays(lastDay, -(days - 1));
  const level = Array.from({ length: campaigns }, () => rnd());
  const parts: string[] = [
    `"Campaign stats (${first} - ${lastDay})"`,
    'Date\tCampaignId\tCampaignName\tImpressions\tClicks\tCost\tConversions\tRevenue',
  ];
  for (let d = 0; d < days; d++) {
    const day = addDays(first, d);
    for (let c = 0; c < campaigns; c++) {
      const r = dailyRow(day, c, level[c]!, rnd);
      const none = r.conversions === 0 && r.conversionValueMicros === 0;
      parts.push(
        `${day}\t${r.campaignId}\t${r.campaignName}\t${r.impressions}\t${r.clicks}\t${r.costMicros}\t${
          none ? '--' : r.conversions
        }\t${none ? '--' : r.conversionValueMicros}`,
      );
    }
  }
  parts.push(`Total rows: ${campaigns * days}`, '');
  return Buffer.from(parts.join('\n'), 'utf8');
}

/** `campaigns` campaigns over `days` days ending on `lastDay`: the seed for the load test. */
export function seedRows(
  campaigns: number,
  days: number,
  lastDay: string,
  seed: number,
  naming: CampaignNaming = DIRECT_NAMING,
): DailyRow[] {
  const rnd = seeded(seed);
  const first = addDays(lastDay, -(days - 1));
  const level = Array.from({ length: campaigns }, () => rnd());
  const rows: DailyRow[] = [];
  for (let d = 0; d < days; d++) {
    const day = addDays(first, d);
    for (let c = 0; c < campaigns; c++) rows.push(dailyRow(day, c, level[c]!, rnd, naming));
  }
  return rows;
}
