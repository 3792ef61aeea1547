// Microsoft Advertising's Campaign Performance report: the request asked for (columns, daily aggregation,
// the account's report time zone), the CSV read back, and the fault bodies of the REST API. Pure:
// microsoft-ads.ts sends and downloads.
// Columns: https://learn.microsoft.com/en-us/advertising/reporting-service/campaignperformancereportcolumn
import { AdsError, decimalToMicros, type DailyRow, type PlatformName, type PullRequest } from '../types.ts';

/** Who Microsoft Advertising is, for its messages (the platform object in microsoft-ads.ts spreads it). */
export const MICROSOFT_ADS_NAME: PlatformName = {
  id: 'microsoft-ads',
  name: 'Microsoft Advertising',
  label: { en: 'Microsoft Advertising', ru: 'Microsoft Advertising' },
};
const SELF = MICROSOFT_ADS_NAME;
export const MSADS_COLUMNS = [
  'TimePeriod',
  'CampaignId',
  'CampaignName',
  'Impressions',
  'Clicks',
  'Spend',
  'Conversions',
  'Revenue',
  'CurrencyCode',
] as const;
const REQUIRED_COLUMNS = ['TimePeriod', 'CampaignId', 'CampaignName', 'Impressions', 'Clicks', 'Spend'];

/** Campaign Performance report rows (CSV, possibly with a BOM, report header and footer), columns by name. */
export function parseMsCsv(text: string): DailyRow[] {
  return readMsReport(text).rows;
}

export function readMsReport(text: string): { rows: DailyRow[]; currencies: Set<string> } {
  const records = csvRecords(text.replace(/^\uFEFF/, ''));
  // With ExcludeReportHeader false the column names follow "Report Name: …" lines; find them by name.
  const headerAt = records.findIndex((r) => r.some((c) => c.trim() === 'TimePeriod'));
  const currencies = new Set<string>();
  if (headerAt < 0) {
    if (records.every((r) => r.every((c) => c.trim() === ''))) return { rows: [], currencies };
    throw new AdsError(SELF, 'malformed', 'the report has no header row with a TimePeriod column');
  }
  const header = records[headerAt]!.map((c) => c.trim());
  const missing = REQUIRED_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length)
    throw new AdsError(SELF, 'malformed', `the report lacks the column(s) ${missing.join(', ')}`);
  const col = (name: string) => header.indexOf(name);
  const rows: DailyRow[] = [];
  for (let i = headerAt + 1; i < records.length; i++) {
    const r = records[i]!;
    // Blank lines and the footer ("@Rows: 2", "©2026 Microsoft Corporation…") are single cells.
    if (r.length === 1) continue;
    const at = `report row ${i + 1}`;
    if (r.length !== header.length)
      throw new AdsError(
        SELF,
        'malformed',
        `${at} has ${r.length} cells where the header has ${header.length}`,
      );
    const cell = (name: string) => (col(name) < 0 ? '' : r[col(name)]!.trim());
    const campaignId = cell('CampaignId');
    if (!campaignId) throw new AdsError(SELF, 'malformed', `${at} has no CampaignId`);
    const currency = cell('CurrencyCode');
    if (currency) currencies.add(currency);
    rows.push({
      day: msDay(cell('TimePeriod'), at),
      campaignId,
      campaignName: cell('CampaignName'),
      impressions: count(cell('Impressions'), 'Impressions', at),
      clicks: count(cell('Clicks'), 'Clicks', at),
      costMicros: money(cell('Spend'), 'Spend', at),
      conversions: amount(cell('Conversions'), 'Conversions', at),
      conversionValueMicros: money(cell('Revenue'), 'Revenue', at),
    });
  }
  return { rows, currencies };
}

/** RFC 4180 records: quoted cells may hold commas, doubled quotes and line breaks. */
function csvRecords(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') ((cell += '"'), i++);
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') (record.push(cell), (cell = ''));
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      record.push(cell);
      records.push(record);
      ((record = []), (cell = ''));
    } else cell += ch;
  }
  if (quoted) throw new AdsError(SELF, 'malformed', 'the report ends inside a quoted cell (cut short?)');
  if (cell !== '' || record.length) (record.push(cell), records.push(record));
  return records;
}

/** TimePeriod with daily aggregation: "2026-11-20" or, in US-formatted reports, "11/20/2026". */
function msDay(text: string, at: string): string {
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
  const [y, m, d] = iso ? [iso[1], iso[2], iso[3]] : us ? [us[3], us[1], us[2]] : [];
  const day = y ? `${y}-${m!.padStart(2, '0')}-${d!.padStart(2, '0')}` : '';
  const t = Date.parse(`${day}T00:00:00Z`);
  if (!day || Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== day)
    throw new AdsError(SELF, 'malformed', `${at}: TimePeriod "${text}" is not a day like 2026-11-20`);
  return day;
}

// Empty cells and "--" mean no value; thousands separators may appear ("1,234").
const bare = (text: string) => (text === '--' ? '' : text.replace(/,/g, ''));

function count(text: string, column: string, at: string): number {
  const t = bare(text);
  if (t === '') return 0;
  if (!/^\d+$/.test(t))
    throw new AdsError(SELF, 'malformed', `${at}: ${column} "${text}" is not a whole number`);
  return Number(t);
}

function amount(text: string, column: string, at: string): number {
  const t = bare(text);
  if (t === '') return 0;
  if (!/^\d+(\.\d+)?$/.test(t))
    throw new AdsError(SELF, 'malformed', `${at}: ${column} "${text}" is not a number`);
  return Number(t);
}

function money(text: string, column: string, at: string): number {
  const t = bare(text);
  if (t === '') return 0;
  const micros = decimalToMicros(t);
  if (micros === null || micros < 0)
    throw new AdsError(SELF, 'malformed', `${at}: ${column} "${text}" is not an amount of money`);
  return micros;
}

/** The Submit body for one account and window; `zone` overrides the one looked up for the account. */
export function reportRequest(req: PullRequest, accountId: string, zone?: string) {
  const date = (day: string) => ({
    Day: Number(day.slice(8, 10)),
    Month: Number(day.slice(5, 7)),
    Year: Number(day.slice(0, 4)),
  });
  const reportZone = zone ?? reportTimeZone(req.account.timeZone);
  return {
    ReportRequest: {
      Type: 'CampaignPerformanceReportRequest',
      Format: 'Csv',
      ReportName: `promowatch ${accountId} ${req.from}..${req.to}`,
      // Fresh days are incomplete; each run re-reads its lookback window, so partial data is welcome.
      ReturnOnlyCompleteData: false,
      ExcludeReportHeader: true,
      ExcludeReportFooter: true,
      ExcludeColumnHeaders: false,
      Aggregation: 'Daily',
      Columns: MSADS_COLUMNS,
      Scope: { AccountIds: [Number(accountId)] },
      Time: {
        CustomDateRangeStart: date(req.from),
        CustomDateRangeEnd: date(req.to),
        ...(reportZone ? { ReportTimeZone: reportZone } : {}),
      },
    },
  };
}

// ReportTimeZone decides what "today" is for the request (the end day may not lie past it); without one
// Microsoft takes Pacific time. Days in the report are the account's own. Value set:
// https://learn.microsoft.com/en-us/advertising/reporting-service/reporttimezone
const REPORT_TIME_ZONES: Record<string, string> = {
  MoscowStPetersburgVolgograd: 'Europe/Moscow Europe/Volgograd Europe/Simferopol',
  Ekaterinburg: 'Asia/Yekaterinburg',
  AlmatyNovosibirsk: 'Asia/Novosibirsk Asia/Omsk Asia/Almaty',
  Krasnoyarsk: 'Asia/Krasnoyarsk',
  IrkutskUlaanBataar: 'Asia/Irkutsk Asia/Ulaanbaatar',
  Yakutsk: 'Asia/Yakutsk',
  Vladivostok: 'Asia/Vladivostok',
  MagadanSolomonIslandNewCaledonia: 'Asia/Magadan',
  FijiKamchatkaMarshallIsland: 'Asia/Kamchatka Pacific/Fiji',
  GreenwichMeanTimeDublinEdinburghLisbonLondon: 'Europe/London Europe/Dublin Europe/Lisbon UTC Etc/UTC',
  AmsterdamBerlinBernRomeStockholmVienna:
    'Europe/Amsterdam Europe/Berlin Europe/Zurich Europe/Rome Europe/Stockholm Europe/Vienna Europe/Oslo',
  BrusselsCopenhagenMadridParis: 'Europe/Brussels Europe/Copenhagen Europe/Madrid Europe/Paris',
  SarajevoSkopjeWarsawZagreb: 'Europe/Sarajevo Europe/Skopje Europe/Warsaw Europe/Zagreb',
  BelgradeBratislavaBudapestLjubljanaPrague:
    'Europe/Belgrade Europe/Bratislava Europe/Budapest Europe/Ljubljana Europe/Prague',
  HelsinkiKyivRigaSofiaTallinnVilnius:
    'Europe/Helsinki Europe/Kyiv Europe/Kiev Europe/Riga Europe/Sofia Europe/Tallinn Europe/Vilnius',
  AthensIslandanbulMinsk: 'Europe/Athens Europe/Istanbul Europe/Minsk',
  Bucharest: 'Europe/Bucharest',
  BakuTbilisiYerevan: 'Asia/Baku Asia/Tbilisi Asia/Yerevan',
  AbuDhabiMuscat: 'Asia/Dubai Asia/Muscat',
  IslandamabadKarachiTashkent: 'Asia/Karachi Asia/Tashkent',
  ChennaiKolkataMumbaiNewDelhi: 'Asia/Kolkata Asia/Calcutta',
  AstanaDhaka: 'Asia/Dhaka',
  BangkokHanoiJakarta: 'Asia/Bangkok Asia/Jakarta Asia/Ho_Chi_Minh',
  BeijingChongqingHongKongUrumqi: 'Asia/Shanghai Asia/Hong_Kong Asia/Urumqi',
  KualaLumpurSingapore: 'Asia/Kuala_Lumpur Asia/Singapore',
  Taipei: 'Asia/Taipei',
  Seoul: 'Asia/Seoul',
  OsakaSapporoTokyo: 'Asia/Tokyo',
  Jerusalem: 'Asia/Jerusalem',
  KuwaitRiyadh: 'Asia/Riyadh Asia/Kuwait',
  Tehran: 'Asia/Tehran',
  Cairo: 'Africa/Cairo',
  Nairobi: 'Africa/Nairobi',
  HararePretoria: 'Africa/Johannesburg Africa/Harare',
  WestCentralAfrica: 'Africa/Lagos',
  CanberraMelbourneSydney: 'Australia/Sydney Australia/Melbourne Australia/Canberra',
  Brisbane: 'Australia/Brisbane',
  Adelaide: 'Australia/Adelaide',
  Perth: 'Australia/Perth',
  AucklandWellington: 'Pacific/Auckland',
  EasternTimeUSCanada: 'America/New_York America/Toronto America/Detroit',
  CentralTimeUSCanada: 'America/Chicago America/Winnipeg',
  MountainTimeUSCanada: 'America/Denver America/Edmonton',
  Arizona: 'America/Phoenix',
  PacificTimeUSCanadaTijuana: 'America/Los_Angeles America/Vancouver America/Tijuana',
  Alaska: 'America/Anchorage',
  Hawaii: 'Pacific/Honolulu',
  AtlanticTimeCanada: 'America/Halifax',
  Newfoundland: 'America/St_Johns',
  GuadalajaraMexicoCityMonterrey: 'America/Mexico_City America/Monterrey',
  BogotaLimaQuito: 'America/Bogota America/Lima',
  Brasilia: 'America/Sao_Paulo',
  BuenosAiresGeorgetown: 'America/Argentina/Buenos_Aires America/Buenos_Aires',
  Santiago: 'America/Santiago',
};
const ZONE_BY_IANA = new Map(
  Object.entries(REPORT_TIME_ZONES).flatMap(([ms, ianas]) => ianas.split(' ').map((z) => [z, ms] as const)),
);

/** Microsoft's ReportTimeZone for an IANA zone, when the table knows it (settings.reportTimeZone wins). */
export function reportTimeZone(iana: string): string | undefined {
  return ZONE_BY_IANA.get(iana);
}

interface Fault {
  code?: number;
  errorCode?: string;
  message?: string;
}

/** REST faults: ApiFaultDetail {OperationErrors, BatchErrors}, AdApiFaultDetail {Errors}, each with a TrackingId. */
export function faultsOf(body: Buffer): { faults: Fault[]; trackingId?: string } {
  const o = jsonObject(body.toString('utf8'));
  if (!o) return { faults: [] };
  const list = [o.OperationErrors, o.BatchErrors, o.Errors].flatMap((v) => (Array.isArray(v) ? v : []));
  // Some answers are a single error object: {"Code":2027,"Message":"…"}.
  if (!list.length && (o.Code !== undefined || o.Message !== undefined)) list.push(o);
  const faults = list.map((e: unknown) => {
    const f = (e ?? {}) as Record<string, unknown>;
    return {
      ...(typeof f.Code === 'number' ? { code: f.Code } : {}),
      ...(typeof f.ErrorCode === 'string' ? { errorCode: f.ErrorCode } : {}),
      ...(typeof f.Message === 'string' ? { message: f.Message } : {}),
    };
  });
  return { faults, ...(typeof o.TrackingId === 'string' ? { trackingId: o.TrackingId } : {}) };
}

export function faultCodes(answer: { status: number; body: Buffer }): number[] {
  return answer.status === 200
    ? []
    : faultsOf(answer.body).faults.flatMap((f) => (f.code === undefined ? [] : [f.code]));
}

export function jsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
