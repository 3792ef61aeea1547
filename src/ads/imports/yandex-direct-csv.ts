// Yandex Direct statistics exports, per day: the interface's report wizard (Russian headers, ";",
// decimal commas, an «Итого» row) and Reports API TSV saved to a file (title line, "Total rows: N").
// API format: https://yandex.ru/dev/direct/doc/ru/report-format
import { firstText, type ExportFormatSpec } from './columns.ts';

export const yandexDirectCsv: ExportFormatSpec = {
  columns: {
    day: ['дата', 'день', 'date'],
    campaignId: ['№ кампании', 'id кампании', 'номер кампании', 'campaignid', 'campaign id'],
    campaignName: ['кампания', 'название кампании', 'campaignname', 'campaign name', 'campaign'],
    impressions: ['показы', 'impressions'],
    clicks: ['клики', 'clicks'],
    cost: ['расход', 'cost'],
    conversions: ['конверсии', 'conversions'],
    conversionValue: ['доход', 'ценность конверсий', 'revenue'],
    currency: ['валюта', 'currency'],
  },
  // With Goals in the request the API writes one column per goal and attribution model:
  // Conversions_12345_LSC, Revenue_12345_LSC.
  summedColumns: { conversions: /^conversions_\d+_[a-z]+$/, conversionValue: /^revenue_\d+_[a-z]+$/ },
  headerExample:
    "«Дата», «Кампания», «№ Кампании», «Показы», «Клики», «Расход (руб.)» (or the API's Date, CampaignId, Cost)",
  recognises: (keys) =>
    keys.some((k) => k.startsWith('расход')) ||
    (keys.includes('cost') && (keys.includes('campaignid') || keys.includes('campaignname'))),
  isSummary: (cells) => /^(?:итого|всего|total rows:)/i.test(firstText(cells)),
  // «Итого» adds the rows up; the API's "Total rows: N" counts them.
  wholeTotal: (cells) => {
    const label = firstText(cells);
    const counted = /^total rows:\s*(\d+)$/i.exec(label);
    if (counted) return { label: `"${label}"`, rows: Number(counted[1]) };
    return /^(?:итого|всего)$/i.test(label) ? { label: `"${label}"` } : null;
  },
  // The API writes money as micros unless returnMoneyInMicros: false.
  microsCostKey: 'cost',
  missingDay:
    'the export has no date column («Дата»), and spend is tracked per day: in the Yandex Direct report wizard (Мастер отчётов) group by day («по дням»), or add Date to the Reports API FieldNames',
  slashDates: 'refuse',
};
