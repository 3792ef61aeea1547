// Imports of the ad platforms' own UI exports: exact rows in micros, totals dropped, encodings, refusals.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectPlatform, parseAdsExport } from '../../../src/ads/imports/index.ts';
import { readDays } from '../../../src/ads/imports/dates.ts';
import {
  COMMA,
  decimalMarkOf,
  DOT,
  newScanned,
  scannedMicros,
  scanNumber,
  type DecimalMark,
} from '../../../src/ads/imports/numbers.ts';
import type { DailyRow, Platform } from '../../../src/ads/types.ts';
import { encodeCp1251 } from '../../../src/demo/cp1251.ts';

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'ads');
const fixture = (name: string) => new Uint8Array(readFileSync(join(FIXTURES, name)));
const text = (name: string) => new TextDecoder().decode(fixture(name));
const utf8 = (s: string) => new TextEncoder().encode(s);

const row = (
  day: string,
  campaignId: string,
  campaignName: string,
  impressions: number,
  clicks: number,
  costMicros: number,
  conversions = 0,
  conversionValueMicros = 0,
): DailyRow => ({
  day,
  campaignId,
  campaignName,
  impressions,
  clicks,
  costMicros,
  conversions,
  conversionValueMicros,
});

describe('parseAdsExport() on Google Ads downloads', () => {
  it('reads the CSV campaign report past its title lines, with thousands separators, " --" and no Total rows', () => {
    const r = parseAdsExport(fixture('google-ads-campaign-report.csv'), 'google-ads');
    expect(r.errors).toEqual([]);
    expect(r.rows).toEqual([
      row('2026-09-01', 'Brand — Search', 'Brand — Search', 1248, 64, 48_310_000, 3, 450_000_000),
      row('2026-09-01', 'Leads-Smart-4', 'Leads-Smart-4', 795_836, 9265, 2_691_410_000, 22, 0),
      row('2026-09-02', 'Brand — Search', 'Brand — Search', 1302, 71, 52_070_000, 4.5, 1_120_500_000),
      row('2026-09-02', 'Leads-Smart-4', 'Leads-Smart-4', 10_004, 120, 1_015_370_000, 0, 0),
      row('2026-09-03', 'Brand — Search', 'Brand — Search', 980, 40, 39_990_000, 0, 0),
    ]);
    expect(r.currency).toBe('USD');
    expect(r.range).toEqual({ from: '2026-09-01', to: '2026-09-03' });
  });

  it('keys campaigns by name when the report has no Campaign ID column, and says so', () => {
    const r = parseAdsExport(fixture('google-ads-campaign-report.csv'), 'google-ads');
    expect(r.warnings).toEqual([expect.stringContaining('no campaign id column')]);
    const withId = parseAdsExport(fixture('google-ads-campaign-report-excel.csv'), 'google-ads');
    expect(withId.warnings).toEqual([]);
  });

  it('reads the "CSV (Excel)" download: UTF-16LE with a BOM, tab-separated, Cyrillic names intact', () => {
    const bytes = fixture('google-ads-campaign-report-excel.csv');
    expect([bytes[0], bytes[1]]).toEqual([0xff, 0xfe]);
    const r = parseAdsExport(bytes, 'google-ads');
    expect(r.errors).toEqual([]);
    expect(r.rows).toEqual([
      row('2026-09-01', '20100301', 'Brand — Search', 1248, 64, 48_310_000, 3, 450_000_000),
      row('2026-09-01', '20100302', 'Видеостудия — поиск', 2500, 90, 1_234_560_000, 0, 0),
      row('2026-09-02', '20100301', 'Brand — Search', 1302, 71, 52_070_000, 4.5, 1_120_500_000),
    ]);
    expect(r.currency).toBe('EUR');
    expect(r.range).toEqual({ from: '2026-09-01', to: '2026-09-02' });
  });

  it('refuses a report without a Day column, saying to add the Day segment', () => {
    const r = parseAdsExport(fixture('google-ads-no-day.csv'), 'google-ads');
    expect(r.rows).toEqual([]);
    expect(r.errors).toEqual([{ line: 3, message: expect.stringContaining('Segment → Time → Day') }]);
  });

  it('refuses the whole file for one bad row, naming the line and the column', () => {
    const r = parseAdsExport(fixture('google-ads-malformed-row.csv'), 'google-ads');
    expect(r.rows).toEqual([]);
    expect(r.errors).toEqual([
      { line: 5, message: 'column "Cost": "12.3x" is not a number' },
      { line: 6, message: expect.stringContaining('has 7 cells where the header (line 3) has 6') },
    ]);
  });

  it('refuses a file that mixes currencies', () => {
    const r = parseAdsExport(fixture('google-ads-mixed-currencies.csv'), 'google-ads');
    expect(r.rows).toEqual([]);
    expect(r.errors).toEqual([
      {
        line: 5,
        message:
          'column "Currency code": EUR differs from USD (line 4): the file mixes currencies; export one account at a time',
      },
    ]);
  });

  it('reads a Campaigns report with a Day column, its "Total:" footers (day " --" or empty) read as footers', () => {
    for (const file of ['google-ads-campaigns-by-day.csv', 'google-ads-campaigns-by-day-excel.csv']) {
      const r = parseAdsExport(fixture(file), 'google-ads');
      expect([file, r.errors]).toEqual([file, []]);
      expect(r.rows).toEqual([
        row('2026-09-01', 'Brand — Search', 'Brand — Search', 1248, 64, 48_310_000, 3, 450_000_000),
        row('2026-09-01', 'Leads-Smart-4', 'Leads-Smart-4', 795_836, 9265, 2_691_410_000, 22, 0),
        row('2026-09-02', 'Brand — Search', 'Brand — Search', 1302, 71, 52_070_000, 4.5, 1_120_500_000),
        row('2026-09-02', 'Leads-Smart-4', 'Leads-Smart-4', 10_004, 120, 1_015_370_000, 0, 0),
        row('2026-09-03', 'Brand — Search', 'Brand — Search', 980, 40, 39_990_000, 0, 0),
        row('2026-09-03', 'Autumn — Video', 'Autumn — Video', 0, 0, 0, 0, 0),
      ]);
      expect(r.range).toEqual({ from: '2026-09-01', to: '2026-09-03' });
    }
  });

  it('refuses a Search terms report as campaign spend, naming the Campaigns report with a Day column', () => {
    for (const file of ['google-ads-search-terms-by-day.csv', 'google-ads-search-terms-by-day-excel.csv']) {
      const r = parseAdsExport(fixture(file), 'google-ads');
      expect([file, r.rows]).toEqual([file, []]);
      expect(r.errors).toEqual([
        {
          line: 1,
          message:
            'this is a "Search terms report": rows below campaign level cover only part of the spend (search terms Google does not show, campaigns without keywords, ads or ad groups), so it cannot be imported as campaign spend. Download the Campaigns report with a Day column instead: Campaigns → Segment → Time → Day, then Download',
        },
      ]);
    }
  });

  it('refuses a report below campaign level by its columns when the title does not say which it is', () => {
    const renamed = text('google-ads-search-terms-by-day.csv').replace(
      'Search terms report',
      'Custom report',
    );
    const r = parseAdsExport(utf8(renamed), 'google-ads');
    expect(r.rows).toEqual([]);
    expect(r.errors).toEqual([
      {
        line: 3,
        message: expect.stringMatching(
          /^the report has a "Search term" column: rows below campaign level cover only part of the spend .* Download the Campaigns report with a Day column instead/,
        ),
      },
    ]);
  });

  it('refuses a report whose rows do not add up to its own "Total: Account" line, naming both', () => {
    for (const file of ['google-ads-totals-mismatch.csv', 'google-ads-totals-mismatch-excel.csv']) {
      const r = parseAdsExport(fixture(file), 'google-ads');
      expect([file, r.rows]).toEqual([file, []]);
      expect(r.errors).toEqual([
        {
          line: 9,
          message:
            '"Total: Account" says Impr. 812,902, Clicks 9,611, Cost 3,961.04, but the rows add up to Impr. 808,390, Clicks 9,520, Cost 3,807.16: the report leaves out part of the account\'s spend (a filter, hidden removed campaigns, or rows below campaign level). Download the Campaigns report with a Day column, all campaigns shown (removed ones too) and no filter',
        },
      ]);
    }
  });

  it('allows the rows a rounding difference of half a cent per row against the total, and no more', () => {
    const csv = (total: string) =>
      'Campaign report\nAll time\nDay,Campaign,Impr.,Clicks,Cost\n' +
      '2026-09-01,A,10,1,0.33\n2026-09-01,B,10,1,0.33\n2026-09-01,C,10,1,0.33\n' +
      `Total: Account,,30,3,${total}\n`;
    expect(parseAdsExport(utf8(csv('1.00')), 'google-ads').errors).toEqual([]);
    expect(parseAdsExport(utf8(csv('1.01')), 'google-ads').errors).toEqual([]);
    expect(parseAdsExport(utf8(csv('1.02')), 'google-ads').errors).toEqual([
      {
        line: 7,
        message: expect.stringMatching(
          /^"Total: Account" says Cost 1\.02, but the rows add up to Cost 0\.99:/,
        ),
      },
    ]);
  });

  it('takes Interactions for clicks when the report has no Clicks column', () => {
    const csv = 'Day,Campaign,Impr.,Interactions,Cost\n2026-09-01,Video,"12,000",340,10.00\n';
    const r = parseAdsExport(utf8(csv), 'google-ads');
    expect(r.rows[0]?.clicks).toBe(340);
    expect(r.warnings).toContain('no Clicks column: clicks are the report\'s "Interactions"');
  });

  it('lists fifty row errors and counts the rest', () => {
    const bad = Array.from({ length: 60 }, (_, i) => `2026-09-01,C${i},10,1,oops`).join('\n');
    const r = parseAdsExport(utf8(`Day,Campaign,Impr.,Clicks,Cost\n${bad}\n`), 'google-ads');
    expect(r.errors).toHaveLength(51);
    expect(r.errors.at(-1)).toEqual({ line: 52, message: 'and 10 more rows with errors' });
  });
});

describe('parseAdsExport() on Yandex Direct exports', () => {
  it('reads the interface export: Russian headers, ";", decimal commas, (non-breaking) spaces, no «Итого» row', () => {
    const r = parseAdsExport(fixture('yandex-direct-export.csv'), 'yandex-direct');
    expect(r.errors).toEqual([]);
    expect(r.rows).toEqual([
      row('2026-09-01', '70001', 'Поиск — видеостудия', 2328, 40, 974_790_000, 3, 15_000_000_000),
      row('2026-09-01', '70002', 'РСЯ «Ремонт под ключ»', 15_204, 61, 1_234_560_000, 0, 0),
      row('2026-09-02', '70001', 'Поиск — видеостудия', 2101, 38, 901_100_000, 2, 9_500_500_000),
      row('2026-09-02', '70002', 'РСЯ «Ремонт под ключ»', 14_877, 57, 1_180_000_000, 1, 0),
      row('2026-09-03', '70001', 'Поиск — видеостудия', 1998, 35, 856_350_000, 0, 0),
    ]);
    expect(r.currency).toBe('RUB'); // from «Расход (руб.)»
    expect(r.range).toEqual({ from: '2026-09-01', to: '2026-09-03' });
  });

  it('reads a saved Reports API TSV with money in micros, dropping the title and "Total rows" lines', () => {
    const r = parseAdsExport(fixture('yandex-direct-report-saved.tsv'), 'yandex-direct', { currency: 'RUB' });
    expect(r.errors).toEqual([]);
    expect(r.rows).toEqual([
      row('2026-09-01', '70001', 'Поиск — видеостудия', 2328, 40, 974_790_000, 3, 15_000_000_000),
      row('2026-09-01', '70002', 'РСЯ «Ремонт под ключ»', 15_204, 61, 1_234_560_000, 0, 0),
      row('2026-09-02', '70001', 'Поиск — видеостудия', 2101, 38, 901_100_000, 2, 9_500_500_000),
      row('2026-09-03', '70001', 'Поиск — видеостудия', 0, 0, 0, 0, 0),
    ]);
    expect(r.currency).toBe('RUB');
    expect(r.range).toEqual({ from: '2026-09-01', to: '2026-09-03' });
    expect(r.warnings).toContain(
      `"Cost" is read as micros (whole numbers, the Reports API's default returnMoneyInMicros)`,
    );
  });

  it('reads API money written as rubles (returnMoneyInMicros: false) as rubles', () => {
    const tsv =
      'Date\tCampaignId\tCampaignName\tCost\n2026-09-01\t70001\tПоиск\t974.79\n2026-09-02\t70001\tПоиск\t120\n';
    const r = parseAdsExport(utf8(tsv), 'yandex-direct');
    expect(r.rows.map((x) => x.costMicros)).toEqual([974_790_000, 120_000_000]);
  });

  it('adds up per-goal Conversions_<goal>_<model> and Revenue columns', () => {
    const tsv =
      'Date\tCampaignId\tCampaignName\tCost\tConversions_111_LSC\tConversions_222_LSC\tRevenue_111_LSC\tRevenue_222_LSC\n' +
      '2026-09-01\t70001\tПоиск\t974790000\t3\t--\t15000000000\t--\n' +
      '2026-09-02\t70001\tПоиск\t901100000\t1\t2\t1000000\t2000000\n';
    const r = parseAdsExport(utf8(tsv), 'yandex-direct');
    expect(r.errors).toEqual([]);
    expect(r.rows.map((x) => [x.conversions, x.conversionValueMicros])).toEqual([
      [3, 15_000_000_000],
      [3, 3_000_000],
    ]);
  });

  it('refuses an export whose rows do not add up to its «Итого» row', () => {
    const edited = text('yandex-direct-export.csv').replace(
      'Итого;;;36 508;231;0,63;5 146,80',
      'Итого;;;36 508;231;0,63;5 246,80',
    );
    const r = parseAdsExport(utf8(edited), 'yandex-direct');
    expect(r.rows).toEqual([]);
    expect(r.errors).toEqual([
      {
        line: 9,
        message: expect.stringMatching(
          /^"Итого" says Расход \(руб\.\) 5 246,80, but the rows add up to Расход \(руб\.\) 5 146,80: /,
        ),
      },
    ]);
  });

  it('refuses a saved Reports API TSV holding fewer rows than its "Total rows" line counts', () => {
    const r = parseAdsExport(fixture('yandex-direct-report-cut.tsv'), 'yandex-direct');
    expect(r.rows).toEqual([]);
    expect(r.errors).toEqual([
      { line: 3, message: expect.stringMatching(/^"Total rows: 4" counts 4 rows, but the file holds 1:/) },
    ]);
  });

  it("uses the caller's currency when the file names none, and refuses a file in another currency", () => {
    expect(parseAdsExport(fixture('yandex-direct-report-saved.tsv'), 'yandex-direct').currency).toBeNull();
    const r = parseAdsExport(fixture('yandex-direct-export.csv'), 'yandex-direct', { currency: 'KZT' });
    expect(r.rows).toEqual([]);
    expect(r.errors).toEqual([
      {
        line: 3,
        message:
          "the file's amounts are in RUB but the account's currency is KZT: import it into an account in RUB",
      },
    ]);
  });

  it('reads an export saved again by Russian Excel in Windows-1251, and says so', () => {
    const utf = parseAdsExport(fixture('yandex-direct-export.csv'), 'yandex-direct');
    // (The demo's encoder has no non-breaking space; plain spaces separate the thousands here.)
    const csv = text('yandex-direct-export.csv')
      .replace(/^\uFEFF/, '')
      .replace(/\u00a0/g, ' ');
    const cp1251 = encodeCp1251(csv);
    expect(detectPlatform(cp1251)).toBe('yandex-direct');
    const r = parseAdsExport(cp1251, 'yandex-direct');
    expect(r.errors).toEqual([]);
    expect(r.rows).toEqual(utf.rows);
    expect(r.warnings).toEqual(['the file is not UTF-8: it was read as Windows-1251 (Cyrillic)']);
  });

  it('refuses an export without «Дата», saying to group by day', () => {
    const csv = 'Кампания;№ Кампании;Показы;Клики;Расход (руб.)\nПоиск;70001;2 328;40;974,79\n';
    const r = parseAdsExport(utf8(csv), 'yandex-direct');
    expect(r.errors).toEqual([{ line: 1, message: expect.stringContaining('«по дням»') }]);
  });

  it('refuses "974.79" in a decimal-comma file instead of reading 97,479', () => {
    const csv = 'Дата;Кампания;Расход (руб.)\n01.09.2026;Поиск;1 234,56\n02.09.2026;Поиск;974.79\n';
    const r = parseAdsExport(utf8(csv), 'yandex-direct');
    expect(r.errors).toEqual([
      { line: 3, message: 'column "Расход (руб.)": "974.79" is not a number with "," as its decimal mark' },
    ]);
  });
});

describe('parseAdsExport() on Microsoft Advertising downloads', () => {
  it('reads past the report header and drops the copyright footer', () => {
    const r = parseAdsExport(fixture('microsoft-ads-export.csv'), 'microsoft-ads');
    expect(r.errors).toEqual([]);
    expect(r.rows).toEqual([
      row('2026-09-01', '531000111', 'Brand - Exact', 1204, 58, 73_250_000, 4, 320_000_000),
      row('2026-09-01', '531000222', 'Generic, Broad "motion"', 8934, 102, 211_480_000, 1.5, 1_000_000_000),
      row('2026-09-02', '531000111', 'Brand - Exact', 1150, 61, 80_100_000, 0, 0),
    ]);
    expect(r.currency).toBe('USD');
    // "Report Time: 9/1/2026, 9/2/2026", not "Last Completed Available Day: 9/3/2026".
    expect(r.range).toEqual({ from: '2026-09-01', to: '2026-09-02' });
    expect(r.warnings).toEqual([]);
  });

  it('drops a Total row that agrees with the rows, and refuses one that does not', () => {
    const withTotal = (spend: string) =>
      text('microsoft-ads-export.csv').replace(
        '"0","0.00","USD"\r\n',
        `"0","0.00","USD"\r\n"Total","","","","11,288","221","${spend}","5.5","1,320.00",""\r\n`,
      );
    const good = parseAdsExport(utf8(withTotal('364.83')), 'microsoft-ads');
    expect(good.errors).toEqual([]);
    expect(good.rows).toHaveLength(3);
    const bad = parseAdsExport(utf8(withTotal('464.83')), 'microsoft-ads');
    expect(bad.rows).toEqual([]);
    expect(bad.errors).toEqual([
      {
        line: 15,
        message: expect.stringMatching(/^"Total" says Spend 464\.83, but the rows add up to Spend 364\.83: /),
      },
    ]);
  });

  it('refuses a report aggregated by week', () => {
    const weekly = text('microsoft-ads-export.csv').replace(
      'Report Aggregation: Daily',
      'Report Aggregation: Weekly',
    );
    const r = parseAdsExport(utf8(weekly), 'microsoft-ads');
    expect(r.rows).toEqual([]);
    expect(r.errors).toEqual([{ line: 1, message: expect.stringContaining('aggregated "Weekly"') }]);
  });

  it('reads US dates month first, and says so when no date settles it', () => {
    const csv =
      '"Gregorian date","Campaign name","Spend"\n"9/1/2026","Brand","1.00"\n"9/2/2026","Brand","2.00"\n';
    const r = parseAdsExport(utf8(csv), 'microsoft-ads');
    expect(r.rows.map((x) => x.day)).toEqual(['2026-09-01', '2026-09-02']);
    expect(r.warnings).toContain(
      'dates like "9/1/2026" were read as month/day/year (US order): no date in the file says otherwise',
    );
  });
});

describe('parseAdsExport() on Meta Ads Manager exports', () => {
  it('reads daily rows, drops the summary row without a campaign, and takes the currency from "Amount spent (RUB)"', () => {
    const r = parseAdsExport(fixture('meta-ads-export.csv'), 'meta');
    expect(r.errors).toEqual([]);
    expect(r.rows).toEqual([
      row(
        '2026-09-01',
        '120210000000000001',
        'Осень — ретаргетинг',
        36_132,
        700,
        5_339_500_000,
        12,
        48_000_000_000,
      ),
      row('2026-09-01', '120210000000000002', 'Reels: motion design', 10_400, 120, 809_750_000, 0, 0),
      row(
        '2026-09-02',
        '120210000000000001',
        'Осень — ретаргетинг',
        45_000,
        800,
        6_500_000_000,
        19,
        70_000_000_000,
      ),
    ]);
    expect(r.currency).toBe('RUB');
    expect(r.range).toEqual({ from: '2026-09-01', to: '2026-09-02' });
  });

  it('refuses an export whose rows do not add up to its summary row', () => {
    const edited = text('meta-ads-export.csv').replace(
      ',70110,91532,1620,1904,12649.25,',
      ',70110,91532,1620,1904,12999.25,',
    );
    const r = parseAdsExport(utf8(edited), 'meta');
    expect(r.rows).toEqual([]);
    expect(r.errors).toEqual([
      {
        line: 2,
        message: expect.stringMatching(
          /^the summary row says Amount spent \(RUB\) 12,999\.25, but the rows add up to Amount spent \(RUB\) 12,649\.25: /,
        ),
      },
    ]);
  });

  it('refuses rows that cover more than one day, saying to break the export down by day', () => {
    const csv =
      'Reporting starts,Reporting ends,Campaign name,Campaign ID,Impressions,Amount spent (USD)\n' +
      '2026-09-01,2026-09-07,Autumn,1202,1000,50.00\n';
    const r = parseAdsExport(utf8(csv), 'meta');
    expect(r.errors).toEqual([
      {
        line: 2,
        message: expect.stringMatching(/covers 2026-09-01 to 2026-09-07, not one day.*By time → Day/),
      },
    ]);
  });
});

describe('wrong platform', () => {
  const FILES: [string, Platform][] = [
    ['google-ads-campaign-report.csv', 'google-ads'],
    ['google-ads-campaign-report-excel.csv', 'google-ads'],
    ['yandex-direct-export.csv', 'yandex-direct'],
    ['yandex-direct-report-saved.tsv', 'yandex-direct'],
    ['microsoft-ads-export.csv', 'microsoft-ads'],
    ['meta-ads-export.csv', 'meta'],
  ];
  const LABEL: Record<Platform, string> = {
    'google-ads': 'Google Ads',
    'yandex-direct': 'Yandex Direct',
    'microsoft-ads': 'Microsoft Advertising',
    meta: 'Meta',
  };

  it('detectPlatform() recognises every fixture, and nothing in a file of no platform', () => {
    for (const [file, platform] of FILES)
      expect([file, detectPlatform(fixture(file))]).toEqual([file, platform]);
    expect(detectPlatform(utf8('keyword,position\nmotion design,3\n'))).toBeNull();
    expect(detectPlatform(new Uint8Array([0xc3, 0x28]))).toBeNull();
  });

  it("refuses another platform's export with one error naming both", () => {
    for (const [file, platform] of FILES)
      for (const other of Object.keys(LABEL) as Platform[]) {
        if (other === platform) continue;
        const r = parseAdsExport(fixture(file), other);
        expect([file, other, r.rows, r.errors.map((e) => e.message)]).toEqual([
          file,
          other,
          [],
          [
            `this looks like a ${LABEL[platform]} export, not ${LABEL[other]}: import it as ${LABEL[platform]}`,
          ],
        ]);
      }
  });
});

describe('numbers and days', () => {
  const read = (raw: string, mark: DecimalMark) => {
    const s = newScanned();
    const problem = scanNumber(raw, mark, s);
    return problem ?? { micros: scannedMicros(s), empty: s.empty, percent: s.percent, currency: s.currency };
  };

  it('reads thousands groups, decimal commas, spaces, currency signs and codes', () => {
    expect(read('"795,836"'.slice(1, -1), DOT)).toMatchObject({ micros: 795_836_000_000 });
    expect(read('1 234,56', COMMA)).toMatchObject({ micros: 1_234_560_000 });
    expect(read('1\u00a0234\u202f567,5', COMMA)).toMatchObject({ micros: 1_234_567_500_000 });
    expect(read('1.234.567,89', COMMA)).toMatchObject({ micros: 1_234_567_890_000 });
    expect(read('$1,234.00', DOT)).toMatchObject({ micros: 1_234_000_000, currency: 'USD' });
    expect(read('1 234,56 ₽', COMMA)).toMatchObject({ micros: 1_234_560_000, currency: 'RUB' });
    expect(read('RUB 100', DOT)).toMatchObject({ micros: 100_000_000, currency: 'RUB' });
    expect(read('12,5 руб.', COMMA)).toMatchObject({ micros: 12_500_000, currency: 'RUB' });
    expect(read('-€5.10', DOT)).toMatchObject({ micros: -5_100_000, currency: 'EUR' });
    expect(read('1.16%', DOT)).toMatchObject({ percent: true });
    for (const empty of ['', ' --', '--', '-', '—']) expect(read(empty, DOT)).toMatchObject({ empty: true });
  });

  it('turns money into micros exactly, where a float product would not', () => {
    expect(8.2 * 1_000_000).not.toBe(8_200_000); // why the digits are added up instead
    expect(read('8.20', DOT)).toMatchObject({ micros: 8_200_000 });
    expect(read('2691.41', DOT)).toMatchObject({ micros: 2_691_410_000 });
    expect(read('0.29', DOT)).toMatchObject({ micros: 290_000 });
    expect(read('1.2345678', DOT)).toMatchObject({ micros: 1_234_567 });
  });

  it('refuses what is not a number, and thousands groups that are not three digits', () => {
    expect(read('12.3x', DOT)).toBe('is not a number');
    expect(read('1,23', DOT)).toBe('is not a number with "." as its decimal mark');
    expect(read('974.79', COMMA)).toBe('is not a number with "," as its decimal mark');
    expect(read('1 23', DOT)).toBe('is not a number');
    expect(read('$5 €', DOT)).toBe('is not a number');
  });

  it('tells the decimal mark from cells that say, and not from "1,234"', () => {
    expect(decimalMarkOf('974,79')).toBe(COMMA);
    expect(decimalMarkOf('10,632.32')).toBe(DOT);
    expect(decimalMarkOf('1.234.567')).toBe(COMMA);
    expect(decimalMarkOf('0,125')).toBe(COMMA);
    expect(decimalMarkOf('1,234')).toBe(0);
    expect(decimalMarkOf('974790000')).toBe(0);
  });

  it('reads the day formats exports write, and refuses ambiguous slashes unless told the order', () => {
    const { days } = readDays(
      ['2026-09-01', '01.09.2026', 'Sep 1, 2026', 'Tue, Sep 1, 2026', '1 September 2026'],
      'refuse',
    );
    expect([...days.values()]).toEqual(Array(5).fill({ day: '2026-09-01' }));
    expect(readDays(['3/4/2026'], 'refuse').problem).toMatch(/no date in the file decides/);
    expect(readDays(['3/4/2026', '13/4/2026'], 'refuse').days.get('3/4/2026')).toEqual({ day: '2026-04-03' });
    expect(readDays(['2026-02-30'], 'refuse').days.get('2026-02-30')).toEqual({
      error: '"2026-02-30" is not a real calendar day',
    });
  });
});

describe('large files', () => {
  it('reads a 200,000-row Reports API TSV in well under the time a person waits', () => {
    const lines = ['Date\tCampaignId\tCampaignName\tImpressions\tClicks\tCost\tConversions\tRevenue'];
    for (let i = 0; i < 200_000; i++)
      lines.push(
        `2026-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}\t${70_000 + (i % 300)}\tКампания ${i % 300}\t${i % 5000}\t${i % 90}\t${(i % 9000) * 10_000}\t${i % 7 === 0 ? '--' : i % 5}\t--`,
      );
    const bytes = utf8(lines.join('\n'));
    const started = performance.now();
    const r = parseAdsExport(bytes, 'yandex-direct');
    const ms = performance.now() - started;
    expect(r.errors).toEqual([]);
    expect(r.rows).toHaveLength(200_000);
    expect(r.rows[199_999]).toMatchObject({
      costMicros: (199_999 % 9000) * 10_000,
      conversions: 199_999 % 5,
    });
    // Under half a second on a busy two-core machine; the bound leaves room for a slow CI runner.
    expect(ms).toBeLessThan(5000);
  });
});
