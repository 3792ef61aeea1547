// Microsoft Advertising: pulls one account's daily Campaign Performance report (submit, poll, zipped CSV download).
// Reporting REST: https://learn.microsoft.com/en-us/advertising/reporting-service/submitgeneratereport and
// …/pollgeneratereport; flow and limits: https://learn.microsoft.com/en-us/advertising/guides/request-download-report
// Columns: https://learn.microsoft.com/en-us/advertising/reporting-service/campaignperformancereportcolumn
// OAuth: https://learn.microsoft.com/en-us/advertising/guides/authentication-oauth-get-tokens
// Error codes: https://learn.microsoft.com/en-us/advertising/guides/operation-error-codes
import { createHash } from 'node:crypto';
import { apiRequestBytes, TransportError, type ApiAnswer } from '../../fetch/api-request.ts';
import { z } from 'zod';
import { off } from '../../config/jsonc.ts';
import { bodyExcerpt, retryAfterMs, scrub } from '../../notify/http.ts';
import { microsoftAdsCsv } from '../imports/microsoft-ads-csv.ts';
import { readZipEntries, ZipError, type ZipEntry } from '../../util/zip.ts';
import {
  AdsError,
  decimalToMicros,
  type AdPlatform,
  type PlatformName,
  type DailyRow,
  type PlatformDeps,
  type PullRequest,
  type PullResult,
} from '../types.ts';

const SELF: PlatformName = {
  id: 'microsoft-ads',
  name: 'Microsoft Advertising',
  label: { en: 'Microsoft Advertising', ru: 'Microsoft Advertising' },
};
export const MSADS_DEFAULT_BASE_URL = 'https://reporting.api.bingads.microsoft.com';
export const MSADS_DEFAULT_TOKEN_URL = 'https://login.microsoftonline.com/common/oauth2/v2.0/token';
export const MSADS_SCOPE = 'https://ads.microsoft.com/msads.manage offline_access';
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
const SETTINGS = 'providers.microsoftAds';
// Access tokens live about an hour; one is reused until five minutes before it runs out.
const TOKEN_MARGIN_MS = 5 * 60_000;
const TIMEOUT_MS = 60_000;
const MAX_JSON_BYTES = 1 << 20;
const MAX_ZIP_BYTES = 64 << 20;
const MAX_CSV_BYTES = 256 << 20;
const DEFAULT_QUEUE_WAIT_S = 300;
// Small campaign reports are ready within seconds; the wait between polls doubles up to half a minute.
const FIRST_POLL_MS = 2_000;
const LONGEST_POLL_MS = 30_000;
// Code 105 InvalidCredentials, 109 AuthenticationTokenExpired: a new access token may help, once.
const TOKEN_CODES = new Set([105, 109]);
const CALL_RATE_EXCEEDED = 117;

type Answer = ApiAnswer<Buffer>;

interface Settings {
  base: string;
  tokenUrl: string;
  clientId: string;
  clientSecret?: string;
  refreshToken: string;
  developerToken: string;
  customerId?: string;
}

/** Campaign Performance report rows (CSV, possibly with a BOM, report header and footer), columns by name. */
export function parseMsCsv(text: string): DailyRow[] {
  return readMsReport(text).rows;
}

function readMsReport(text: string): { rows: DailyRow[]; currencies: Set<string> } {
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

/**
 * A Microsoft Advertising platform with its own token cache: an access token is kept per credentials until
 * five minutes before it expires, and the refresh token Microsoft rotates in on each refresh is used from
 * then on (the configured one stays the fallback). The module's `microsoftAds` is one; tests make fresh ones.
 */
export function createMicrosoftAdsPlatform(): AdPlatform {
  const tokens = new Map<string, Promise<{ token: string; expiresAt: number }>>();
  const rotated = new Map<string, string>();

  function accessToken(s: Settings, deps: PlatformDeps, fresh: boolean): Promise<string> {
    const key = createHash('sha256')
      .update([s.tokenUrl, s.clientId, s.refreshToken].join('\u0000'))
      .digest('hex');
    const cached = tokens.get(key);
    const now = deps.now().getTime();
    const usable = async () => {
      const t = await cached!;
      return now < t.expiresAt - TOKEN_MARGIN_MS ? t.token : null;
    };
    const fetchNew = async () => {
      const pending = (async () => {
        const latest = rotated.get(key);
        try {
          return await requestToken(s, latest ?? s.refreshToken, deps, (r) => rotated.set(key, r));
        } catch (err) {
          // A rotated token that stopped working: forget it and try the configured one.
          if (!latest || !(err instanceof AdsError) || err.kind !== 'auth') throw err;
          rotated.delete(key);
          return await requestToken(s, s.refreshToken, deps, (r) => rotated.set(key, r));
        }
      })();
      tokens.set(key, pending);
      pending.catch(() => {
        if (tokens.get(key) === pending) tokens.delete(key);
      });
      return (await pending).token;
    };
    if (cached && !fresh) return usable().then((t) => t ?? fetchNew());
    return fetchNew();
  }

  async function call(
    s: Settings,
    deps: PlatformDeps,
    accountId: string,
    op: 'Submit' | 'Poll',
    payload: unknown,
  ): Promise<Record<string, unknown>> {
    const url = new URL(`Reporting/v13/GenerateReport/${op}`, s.base);
    const body = JSON.stringify(payload);
    const attempt = async (fresh: boolean) => {
      const token = await accessToken(s, deps, fresh);
      const headers: Record<string, string> = {
        authorization: `Bearer ${token}`,
        developertoken: s.developerToken,
        customeraccountid: accountId,
        'content-type': 'application/json',
        accept: 'application/json',
      };
      if (s.customerId) headers.customerid = s.customerId;
      const answer = await send(
        deps,
        url,
        { method: 'POST', headers, body },
        MAX_JSON_BYTES,
        secretsOf(s, token),
      );
      return { token, answer };
    };
    let { token, answer } = await attempt(false);
    // An access token revoked or expired early: drop it and try once with a new one.
    if (answer.status === 401 || faultCodes(answer).some((c) => TOKEN_CODES.has(c)))
      ({ token, answer } = await attempt(true));
    const secrets = secretsOf(s, token);
    if (answer.status !== 200) throw apiError(answer, op, accountId, s, deps.now(), secrets);
    const o = jsonObject(answer.body.toString('utf8'));
    if (!o)
      throw new AdsError(
        SELF,
        'malformed',
        `${op} answered with something that is not JSON: ${bodyExcerpt(answer.body.toString('utf8'), secrets)}`,
      );
    return o;
  }

  async function pullDaily(req: PullRequest, deps: PlatformDeps): Promise<PullResult> {
    const s = settingsOf(deps.settings);
    const accountId = req.account.externalId.trim();
    if (!/^\d+$/.test(accountId))
      throw new AdsError(
        SELF,
        'http',
        `account id "${accountId}" must be the numeric account ID (the aid=… in the web interface's address), not the account number`,
      );
    const poll = async (id: string) => {
      const o = await call(s, deps, accountId, 'Poll', { ReportRequestId: id });
      const st = (o.ReportRequestStatus ?? {}) as Record<string, unknown>;
      if (typeof st.Status !== 'string')
        throw new AdsError(SELF, 'malformed', 'Poll answered without a ReportRequestStatus.Status');
      return { status: st.Status, url: typeof st.ReportDownloadUrl === 'string' ? st.ReportDownloadUrl : '' };
    };
    const submit = async () => {
      const o = await call(s, deps, accountId, 'Submit', reportRequest(req, accountId, deps.settings));
      if (typeof o.ReportRequestId !== 'string' || o.ReportRequestId === '')
        throw new AdsError(SELF, 'malformed', 'Submit answered without a ReportRequestId');
      return o.ReportRequestId;
    };

    let id = resumedId(req);
    let state: { status: string; url: string } | undefined;
    if (id)
      try {
        state = await poll(id);
      } catch (err) {
        // A request Microsoft no longer knows (ids live two days): ask for the report anew.
        if (!(err instanceof AdsError) || err.kind !== 'http') throw err;
        id = undefined;
      }
    if (!id || !state) {
      id = await submit();
      state = await poll(id);
    }
    const boundMs = queueWaitMs(deps.settings);
    let waited = 0;
    let delay = FIRST_POLL_MS;
    while (state.status === 'Pending') {
      if (waited >= boundMs)
        return {
          status: 'pending',
          resume: { reportRequestId: id, from: req.from, to: req.to },
          message: `Microsoft Advertising is still building report ${id} after ${Math.round(waited / 1000)} s; the next run picks it up`,
        };
      const ms = Math.min(delay, boundMs - waited);
      await deps.sleep(ms, deps.signal);
      if (deps.signal?.aborted) throw deps.signal.reason;
      waited += ms;
      delay = Math.min(delay * 2, LONGEST_POLL_MS);
      state = await poll(id);
    }
    if (state.status !== 'Success')
      throw new AdsError(
        SELF,
        'http',
        `Microsoft Advertising could not build report ${id} (status ${state.status}); the next run asks again`,
      );
    // Success without a download URL: no data for the account in the range.
    if (!state.url) return { status: 'ok', rows: [] };
    const report = readMsReport(await download(deps, state.url));
    const [currency, ...others] = [...report.currencies];
    return {
      status: 'ok',
      rows: report.rows,
      ...(currency && !others.length ? { account: { currency } } : {}),
    };
  }

  return { ...DESCRIPTION, pullDaily };
}

/** Everything about Microsoft Advertising but the pull (createMicrosoftAdsPlatform adds it, with its token cache). */
const DESCRIPTION: Omit<AdPlatform, 'pullDaily'> = {
  ...SELF,
  configKey: 'microsoftAds',
  settings: ({ obj, secretRef, httpUrl }) =>
    obj({
      baseUrl: httpUrl.optional(),
      tokenUrl: httpUrl.optional(),
      clientId: z.string().min(1),
      refreshToken: secretRef,
      developerToken: secretRef,
      customerId: z.string().regex(/^\d+$/, { error: 'must be the numeric customer id' }).optional(),
    }),
  secrets: ['refreshToken', 'developerToken'],
  secretExamples: { refreshToken: 'ADS_REFRESH_TOKEN', developerToken: 'ADS_DEVELOPER_TOKEN' },
  colour: '#7fba00',
  defaultLookbackDays: 14,
  endpoints: { baseUrl: MSADS_DEFAULT_BASE_URL, tokenUrl: MSADS_DEFAULT_TOKEN_URL },
  example: {
    clientId: 'your-azure-app-id',
    refreshToken: { env: 'MSADS_REFRESH_TOKEN' },
    developerToken: { env: 'MSADS_DEVELOPER_TOKEN' },
    customerId: off('The customer id, when the user reaches several:', '123456789'),
  },
  exportFormat: microsoftAdsCsv,
};

export const microsoftAds: AdPlatform = createMicrosoftAdsPlatform();

function settingsOf(settings: Record<string, unknown>): Settings {
  const clientId = setting(settings, 'clientId');
  const refreshToken = setting(settings, 'refreshToken');
  const developerToken = setting(settings, 'developerToken');
  const missing = [
    ...(clientId ? [] : ['clientId']),
    ...(refreshToken ? [] : ['refreshToken']),
    ...(developerToken ? [] : ['developerToken']),
  ];
  if (!clientId || !refreshToken || !developerToken)
    throw new AdsError(
      SELF,
      'auth',
      `no credentials: set ${missing.map((m) => `${SETTINGS}.${m}`).join(', ')}`,
    );
  const clientSecret = setting(settings, 'clientSecret');
  const customerId = setting(settings, 'customerId');
  const base = setting(settings, 'baseUrl') ?? MSADS_DEFAULT_BASE_URL;
  return {
    base: base.endsWith('/') ? base : `${base}/`,
    tokenUrl: setting(settings, 'tokenUrl') ?? MSADS_DEFAULT_TOKEN_URL,
    clientId,
    refreshToken,
    developerToken,
    ...(clientSecret ? { clientSecret } : {}),
    ...(customerId ? { customerId } : {}),
  };
}

/** The report request a previous run left pending, if it was for this same window. */
function resumedId(req: PullRequest): string | undefined {
  const r = (req.resume ?? {}) as Record<string, unknown>;
  if (typeof r.reportRequestId !== 'string' || r.reportRequestId === '') return undefined;
  if ((r.from !== undefined && r.from !== req.from) || (r.to !== undefined && r.to !== req.to))
    return undefined;
  return r.reportRequestId;
}

function reportRequest(req: PullRequest, accountId: string, settings: Record<string, unknown>) {
  const date = (day: string) => ({
    Day: Number(day.slice(8, 10)),
    Month: Number(day.slice(5, 7)),
    Year: Number(day.slice(0, 4)),
  });
  const zone = setting(settings, 'reportTimeZone') ?? reportTimeZone(req.account.timeZone);
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
        ...(zone ? { ReportTimeZone: zone } : {}),
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

function queueWaitMs(settings: Record<string, unknown>): number {
  const v = Number(settings.maxQueueWaitSeconds ?? DEFAULT_QUEUE_WAIT_S);
  return (Number.isFinite(v) && v >= 0 ? v : DEFAULT_QUEUE_WAIT_S) * 1000;
}

async function requestToken(
  s: Settings,
  refreshToken: string,
  deps: PlatformDeps,
  rotate: (refreshToken: string) => void,
): Promise<{ token: string; expiresAt: number }> {
  const url = new URL(s.tokenUrl);
  const form: Record<string, string> = {
    client_id: s.clientId,
    grant_type: 'refresh_token',
    refresh_token: refreshToken,
    scope: MSADS_SCOPE,
    ...(s.clientSecret ? { client_secret: s.clientSecret } : {}),
  };
  const secrets = [...secretsOf(s), refreshToken];
  const answer = await send(
    deps,
    url,
    {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams(form).toString(),
    },
    MAX_JSON_BYTES,
    secrets,
  );
  const text = answer.body.toString('utf8');
  const o = jsonObject(text);
  if (answer.status !== 200) {
    // {"error":"invalid_grant","error_description":"AADSTS70000: …"} (RFC 6749 §5.2)
    const code = typeof o?.error === 'string' ? o.error : '';
    const about = typeof o?.error_description === 'string' ? o.error_description.split(/\r?\n/)[0] : '';
    const what = `the token endpoint ${url.origin} answered HTTP ${answer.status}${code ? ` ${code}` : ''}: ${about || bodyExcerpt(text, secrets)}`;
    if (answer.status === 429)
      throw new AdsError(
        SELF,
        'quota',
        scrub(what, secrets),
        retryAfterMs(answer.headers.get('retry-after'), deps.now()) ?? 60_000,
      );
    if (answer.status >= 500)
      throw new AdsError(SELF, 'http', scrub(`${what} (Microsoft's side; the next pull retries)`, secrets));
    const hint =
      code === 'invalid_grant'
        ? `the refresh token expired or was revoked: sign in again and put the new token in ${SETTINGS}.refreshToken`
        : `check ${SETTINGS}.clientId${s.clientSecret ? ' and clientSecret' : ''}`;
    throw new AdsError(SELF, 'auth', scrub(`${what} (${hint})`, secrets));
  }
  if (!o || typeof o.access_token !== 'string' || o.access_token === '')
    throw new AdsError(
      SELF,
      'malformed',
      `the token endpoint answered without an access_token: ${bodyExcerpt(text, secrets)}`,
    );
  if (typeof o.refresh_token === 'string' && o.refresh_token !== '') rotate(o.refresh_token);
  const ttl = typeof o.expires_in === 'number' && o.expires_in > 0 ? o.expires_in : 3600;
  return { token: o.access_token, expiresAt: deps.now().getTime() + ttl * 1000 };
}

interface Fault {
  code?: number;
  errorCode?: string;
  message?: string;
}

/** REST faults: ApiFaultDetail {OperationErrors, BatchErrors}, AdApiFaultDetail {Errors}, each with a TrackingId. */
function faultsOf(body: Buffer): { faults: Fault[]; trackingId?: string } {
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

function faultCodes(answer: Answer): number[] {
  return answer.status === 200
    ? []
    : faultsOf(answer.body).faults.flatMap((f) => (f.code === undefined ? [] : [f.code]));
}

function apiError(
  answer: Answer,
  op: string,
  accountId: string,
  s: Settings,
  now: Date,
  secrets: string[],
): AdsError {
  const { faults, trackingId } = faultsOf(answer.body);
  const text = faults.length
    ? faults
        .map((f) =>
          `${f.errorCode ?? 'Error'}${f.code !== undefined ? ` (${f.code})` : ''}: ${f.message ?? ''}`.trim(),
        )
        .join('; ')
    : bodyExcerpt(answer.body.toString('utf8'), secrets);
  const what = `${op} answered HTTP ${answer.status}: ${text}${trackingId ? ` [TrackingId ${trackingId}]` : ''}`;
  const say = (kind: AdsError['kind'], hint?: string, retry?: number) =>
    new AdsError(SELF, kind, scrub(hint ? `${what} (${hint})` : what, secrets), retry);
  const codes = new Set(faults.map((f) => f.code));
  if (answer.status === 429 || codes.has(CALL_RATE_EXCEEDED))
    return say(
      'quota',
      'too many calls a minute; the next pull retries',
      retryAfterMs(answer.headers.get('retry-after'), now) ?? 60_000,
    );
  if (codes.has(105))
    return say(
      'auth',
      `check ${SETTINGS}.developerToken and that the sign-in belongs to production, not the sandbox`,
    );
  if (codes.has(109) || answer.status === 401)
    return say('auth', 'a freshly issued access token was refused too; sign in again');
  if (codes.has(106) || answer.status === 403)
    return say(
      'auth',
      `the signed-in user cannot read account ${accountId}${s.customerId ? ` under customer ${s.customerId}` : `; set ${SETTINGS}.customerId`}`,
    );
  if (answer.status >= 500) return say('http', "Microsoft's side; the next pull retries");
  return say('http');
}

async function download(deps: PlatformDeps, link: string): Promise<string> {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    throw new AdsError(SELF, 'malformed', 'Poll answered with a ReportDownloadUrl that is not a URL');
  }
  // The link is pre-signed (its query is the credential): messages name only its origin, and no header of
  // ours travels with it.
  const answer = await send(deps, url, { method: 'GET', redirect: 'follow' }, MAX_ZIP_BYTES, [url.search]);
  if (answer.status !== 200)
    throw new AdsError(
      SELF,
      'http',
      `the report download from ${url.origin} answered HTTP ${answer.status} (links last five minutes; the next run asks again)`,
    );
  let entries: ZipEntry[];
  try {
    entries = readZipEntries(answer.body, MAX_CSV_BYTES);
  } catch (err) {
    if (!(err instanceof ZipError)) throw err;
    throw new AdsError(SELF, 'malformed', `the report download is not a readable ZIP file: ${err.message}`);
  }
  const csv = entries.find((e) => /\.csv$/i.test(e.name)) ?? (entries.length === 1 ? entries[0] : undefined);
  if (!csv)
    throw new AdsError(
      SELF,
      'malformed',
      `the report download holds no CSV file (${entries.map((e) => e.name).join(', ') || 'it is empty'})`,
    );
  return csv.data.toString('utf8');
}

async function send(
  deps: PlatformDeps,
  url: URL,
  init: RequestInit,
  maxBytes: number,
  secrets: string[],
): Promise<Answer> {
  try {
    return await apiRequestBytes(deps.fetch, url, init, {
      signal: deps.signal,
      timeoutMs: TIMEOUT_MS,
      maxBytes,
    });
  } catch (err) {
    if (!(err instanceof TransportError)) throw err;
    if (err.kind === 'too-large') throw new AdsError(SELF, 'malformed', err.message);
    throw new AdsError(SELF, 'network', scrub(err.message, secrets));
  }
}

function secretsOf(s: Settings, token?: string): string[] {
  return [
    s.refreshToken,
    s.developerToken,
    ...(s.clientSecret ? [s.clientSecret] : []),
    ...(token ? [token] : []),
  ];
}

function setting(settings: Record<string, unknown>, key: string): string | undefined {
  const v = settings[key];
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

function jsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
