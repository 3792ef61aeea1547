// Yandex Direct: pulls daily campaign rows through the API v5 Reports service, waiting out its offline queue.
// Reports service: https://yandex.com/dev/direct/doc/en/reports
// Headers: https://yandex.com/dev/direct/doc/en/headers · queue: https://yandex.com/dev/direct/doc/en/mode
// Answers and errors: https://yandex.com/dev/direct/doc/en/codes · https://yandex.com/dev/direct/doc/en/concepts/errors-list
// TSV layout: https://yandex.com/dev/direct/doc/en/report-format
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { note } from '../../config/jsonc.ts';
import type { SettingsKit } from '../../config/schema.ts';
import { bodyExcerpt, scrub, type ApiAnswer } from '../../fetch/index.ts';
import { yandexDirectCsv } from '../imports/yandex-direct-csv.ts';
import { asAds, platformClient } from './api.ts';
import {
  AdsError,
  decimalToMicros,
  type AdAccount,
  type AdPlatform,
  type PlatformName,
  type PullTuning,
  type ResolvedSettings,
  type AdsErrorKind,
  type DailyRow,
  type PlatformDeps,
  type PullRequest,
  type PullResult,
} from '../types.ts';

const SELF: PlatformName = {
  id: 'yandex-direct',
  name: 'Yandex Direct',
  label: { en: 'Yandex Direct', ru: 'Яндекс Директ' },
};
const SETTINGS = 'providers.yandexDirect';
export const YANDEX_DIRECT_BASE_URL = 'https://api.direct.yandex.com';
export const YANDEX_DIRECT_SANDBOX_URL = 'https://api-sandbox.direct.yandex.com';
/**
 * The columns asked for. Without a `Goals` parameter, Conversions and Revenue are counted over the goals
 * the advertiser chose in Direct (key goals; the "Revenue metric settings" goals), so they are asked as
 * they are; an account without goals answers `--`, which reads as 0.
 */
export const DIRECT_FIELD_NAMES = [
  'Date',
  'CampaignId',
  'CampaignName',
  'Impressions',
  'Clicks',
  'Cost',
  'Conversions',
  'Revenue',
] as const;
export const DEFAULT_MAX_QUEUE_WAIT_S = 300;
// A 201/202 without a usable retryIn header: poll again after this many seconds.
const DEFAULT_RETRY_IN_S = 10;
// Online reports are built while the request waits; Direct itself gives up with a 502 before this.
const TIMEOUT_MS = 300_000;
// A campaign × day report is small; a whole year of a large account stays far below this.
const MAX_BODY_BYTES = 256 * 1024 * 1024;

/** What the next run needs to ask for the same queued report again: the identical request. */
export interface DirectResume {
  reportName: string;
  from: string;
  to: string;
  /** The exact JSON body that was sent. */
  body: string;
}

/** An error answer: `{"error":{"request_id","error_code","error_string","error_detail"}}`. */
export interface DirectApiError {
  requestId?: string;
  code?: number;
  message?: string;
  detail?: string;
}

/**
 * The Reports request body for one account and window (https://yandex.com/dev/direct/doc/en/spec). Every
 * request goes out with a body made here from the account as it is now (the first, the queued retries, a
 * report resumed on the next run, lookback and `--from --to` pulls), so IncludeVAT is decided only here.
 */
export function directReportBody(account: AdAccount, from: string, to: string, reportName: string): string {
  return JSON.stringify({
    params: {
      SelectionCriteria: { DateFrom: from, DateTo: to },
      FieldNames: DIRECT_FIELD_NAMES,
      ReportName: reportName,
      ReportType: 'CAMPAIGN_PERFORMANCE_REPORT',
      DateRangeType: 'CUSTOM_DATE',
      Format: 'TSV',
      // Costs are stored as the account reports them: with VAT where the account counts with VAT.
      IncludeVAT: account.costIncludesVat ? 'YES' : 'NO',
      IncludeDiscount: 'NO',
    },
  });
}

/** Reads an error body; null when it is not the documented shape. */
export function parseDirectError(body: string): DirectApiError | null {
  let v: unknown;
  try {
    v = JSON.parse(body);
  } catch {
    return null;
  }
  const e = v && typeof v === 'object' ? (v as Record<string, unknown>).error : undefined;
  if (!e || typeof e !== 'object' || Array.isArray(e)) return null;
  const o = e as Record<string, unknown>;
  const code = typeof o.error_code === 'number' ? o.error_code : Number(o.error_code);
  return {
    ...(typeof o.request_id === 'string' || typeof o.request_id === 'number'
      ? { requestId: String(o.request_id) }
      : {}),
    ...(Number.isInteger(code) ? { code } : {}),
    ...(typeof o.error_string === 'string' ? { message: o.error_string } : {}),
    ...(typeof o.error_detail === 'string' && o.error_detail !== '' ? { detail: o.error_detail } : {}),
  };
}

type Field = (typeof DIRECT_FIELD_NAMES)[number];
const REQUIRED: readonly Field[] = ['Date', 'CampaignId', 'CampaignName', 'Impressions', 'Clicks', 'Cost'];

/**
 * Reads a Reports TSV into rows. Copes with every layout the skip* headers give: an optional title line
 * (`"name (from - to)"`), an optional column header (without it, columns are DIRECT_FIELD_NAMES in order),
 * and an optional `Total rows: N` line, which is checked against the rows read. `--` means no value (0).
 * Money is in micros unless `moneyInMicros` is false (the `returnMoneyInMicros: false` form, `974.79`).
 * Written for speed (one pass, no regular expressions per row): a million rows take about a second.
 */
export function parseDirectTsv(text: string, opts: { moneyInMicros?: boolean } = {}): DailyRow[] {
  const micros = opts.moneyInMicros ?? true;
  const rows: DailyRow[] = [];
  // Column index of each field; -1 where the report has no such column.
  let col: Record<Field, number> | null = null;
  let width = 0;
  let total: number | null = null;
  let seenLine = false;
  let lineNo = 0;
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const bad = (why: string): AdsError => new AdsError(SELF, 'malformed', `report line ${lineNo}: ${why}`);
  while (pos < text.length) {
    let end = text.indexOf('\n', pos);
    if (end === -1) end = text.length;
    let line = text.slice(pos, end);
    pos = end + 1;
    lineNo++;
    if (line.charCodeAt(line.length - 1) === 13) line = line.slice(0, -1);
    if (line === '') continue;
    const first = !seenLine;
    seenLine = true;
    if (total !== null) throw bad(`text after the "${TOTAL_LINE}" summary line`);
    const hasTab = line.includes('\t');
    if (!hasTab) {
      // The title comes first; the summary comes last and counts the rows.
      const n = summaryCount(line);
      if (first && !col && n === null) continue;
      if (n === null) throw bad(`"${excerpt(line)}" is neither a report row nor the "${TOTAL_LINE}" line`);
      total = n;
      continue;
    }
    const cells = line.split('\t');
    if (!col) {
      if (!isDay(cells[0] ?? '')) {
        col = headerColumns(cells, bad);
        width = cells.length;
        continue;
      }
      if (cells.length < REQUIRED.length)
        throw bad(
          `${cells.length} columns and no column header; expected ${DIRECT_FIELD_NAMES.join(', ')} in that order`,
        );
      col = Object.fromEntries(DIRECT_FIELD_NAMES.map((f, i) => [f, i < cells.length ? i : -1])) as Record<
        Field,
        number
      >;
      width = cells.length;
    }
    if (cells.length !== width) throw bad(`${cells.length} columns where the report has ${width}`);
    const day = cells[col.Date]!;
    if (!isDay(day)) throw bad(`Date "${excerpt(day)}" is not YYYY-MM-DD`);
    const campaignId = cells[col.CampaignId]!;
    if (count(campaignId) < 0 || campaignId === '--')
      throw bad(`CampaignId "${excerpt(campaignId)}" is not a number`);
    const impressions = count(cells[col.Impressions]!);
    if (impressions < 0) throw bad(`Impressions "${excerpt(cells[col.Impressions]!)}" is not a whole number`);
    const clicks = count(cells[col.Clicks]!);
    if (clicks < 0) throw bad(`Clicks "${excerpt(cells[col.Clicks]!)}" is not a whole number`);
    const costMicros = money(cells[col.Cost]!, micros);
    if (costMicros === null) throw bad(`Cost "${excerpt(cells[col.Cost]!)}" is not ${moneyForm(micros)}`);
    let conversions = 0;
    if (col.Conversions >= 0) {
      const c = conversionCount(cells[col.Conversions]!);
      if (c === null) throw bad(`Conversions "${excerpt(cells[col.Conversions]!)}" is not a number`);
      conversions = c;
    }
    let conversionValueMicros = 0;
    if (col.Revenue >= 0) {
      const v = money(cells[col.Revenue]!, micros);
      if (v === null) throw bad(`Revenue "${excerpt(cells[col.Revenue]!)}" is not ${moneyForm(micros)}`);
      conversionValueMicros = v;
    }
    rows.push({
      day,
      campaignId,
      campaignName: cells[col.CampaignName]!,
      impressions,
      clicks,
      costMicros,
      conversions,
      conversionValueMicros,
    });
  }
  if (total !== null && total !== rows.length)
    throw new AdsError(
      SELF,
      'malformed',
      `the report says "${TOTAL_LINE} ${total}" but holds ${rows.length} rows; it was cut off or garbled`,
    );
  return rows;
}

const TOTAL_LINE = 'Total rows:';

/** `Total rows: 12` (the words may come localized); the number, or null when the line is something else. */
function summaryCount(line: string): number | null {
  const colon = line.lastIndexOf(':');
  if (colon < 1) return null;
  const n = count(line.slice(colon + 1).trim());
  return n >= 0 && line.slice(colon + 1).trim() !== '--' ? n : null;
}

function headerColumns(cells: string[], bad: (why: string) => AdsError): Record<Field, number> {
  const col = {} as Record<Field, number>;
  for (const f of DIRECT_FIELD_NAMES) col[f] = cells.indexOf(f);
  const missing = REQUIRED.filter((f) => col[f] < 0);
  if (missing.length)
    throw bad(
      `the column header "${excerpt(cells.join(' | '))}" lacks ${missing.join(', ')}; expected a CAMPAIGN_PERFORMANCE_REPORT with ${DIRECT_FIELD_NAMES.join(', ')}`,
    );
  return col;
}

/** YYYY-MM-DD, checked by character codes (the hot path runs this a million times). */
function isDay(s: string): boolean {
  if (s.length !== 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return false;
  for (let i = 0; i < 10; i++) {
    if (i === 4 || i === 7) continue;
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  const m = (s.charCodeAt(5) - 48) * 10 + s.charCodeAt(6) - 48;
  const d = (s.charCodeAt(8) - 48) * 10 + s.charCodeAt(9) - 48;
  return m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

/** A whole number of at most 15 digits; `--` (no value) is 0; -1 when it is anything else. */
function count(s: string): number {
  const n = s.length;
  if (n === 2 && s === '--') return 0;
  if (n === 0 || n > 15) return -1;
  let v = 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/** Conversions are whole numbers, but some attribution models give fractions; `--` is 0. */
function conversionCount(s: string): number | null {
  const n = count(s);
  if (n >= 0) return n;
  const dot = s.indexOf('.');
  if (dot < 1 || count(s.slice(0, dot)) < 0 || count(s.slice(dot + 1)) < 0) return null;
  return Number(s);
}

function money(s: string, micros: boolean): number | null {
  if (micros) {
    const negative = s.charCodeAt(0) === 45 && s.length > 1 && s !== '--';
    const n = count(negative ? s.slice(1) : s);
    if (n < 0) return null;
    return negative ? -n : n;
  }
  return s === '--' ? 0 : decimalToMicros(s);
}

const moneyForm = (micros: boolean) => (micros ? 'a whole number of micros' : 'an amount like 974.79');

function excerpt(s: string): string {
  return s.length > 60 ? `${s.slice(0, 60)}…` : s;
}

/** providers.yandexDirect. */
const settingsSchema = ({ obj, secretRef, httpUrl }: SettingsKit) =>
  obj({
    baseUrl: httpUrl.optional(),
    token: secretRef,
    clientLogin: z.string().optional(),
    // The language of Direct's own error texts (Accept-Language).
    language: z.enum(['en', 'ru']).optional(),
  });
type DirectSettings = ResolvedSettings<z.output<ReturnType<typeof settingsSchema>>> & PullTuning;

export const yandexDirect: AdPlatform = {
  ...SELF,
  configKey: 'yandexDirect',
  settings: settingsSchema,
  secrets: ['token'],
  secretExamples: { token: 'DIRECT_TOKEN_CLIENT2' },
  colour: '#fc3f1d',
  // Direct settles a day's clicks within about three days (fraud filtering, late conversions).
  defaultLookbackDays: 3,
  endpoints: { baseUrl: YANDEX_DIRECT_BASE_URL },
  example: {
    token: { env: 'YANDEX_DIRECT_TOKEN' },
    clientLogin: note("For an agency account: the client's login.", 'studio-client'),
  },
  exportFormat: yandexDirectCsv,
  async pullDaily(req: PullRequest, deps: PlatformDeps<DirectSettings>): Promise<PullResult> {
    const settings = deps.settings;
    const token = settings.token?.trim();
    if (!token)
      throw new AdsError(
        SELF,
        'auth',
        `no OAuth token: set ${SETTINGS}.token to a token of an app with Yandex Direct API access`,
      );
    const secrets = [token];
    const login = req.account.externalId.trim() || settings.clientLogin?.trim() || '';
    const api = platformClient(SELF, deps, {
      baseUrl: settings.baseUrl ?? YANDEX_DIRECT_BASE_URL,
      secrets,
      timeoutMs: TIMEOUT_MS,
      maxBytes: MAX_BODY_BYTES,
    });
    const maxWaitS = settings.maxQueueWaitSeconds ?? DEFAULT_MAX_QUEUE_WAIT_S;
    const request = resumedRequest(req) ?? freshRequest(req, deps.now());
    const headers: Record<string, string> = {
      authorization: `Bearer ${token}`,
      'accept-language': settings.language ?? 'en',
      'content-type': 'application/json; charset=utf-8',
      // The server picks online or offline; both are handled below.
      processingMode: 'auto',
      returnMoneyInMicros: 'true',
      skipReportHeader: 'true',
      // Kept, so that columns are found by name rather than by position.
      skipColumnHeader: 'false',
      skipReportSummary: 'true',
      ...(login ? { 'client-login': login } : {}),
    };
    let waitedS = 0;
    for (;;) {
      const answer = await asAds(SELF, () =>
        api.request('json/v5/reports', {
          method: 'POST',
          headers,
          body: request.body,
          expect: 'text',
          statuses: 'any',
        }),
      );
      if (answer.status === 200 && !looksLikeJsonError(answer)) {
        const rows = parseDirectTsv(answer.body);
        const stray = rows.find((r) => r.day < request.from || r.day > request.to);
        if (stray)
          throw new AdsError(
            SELF,
            'malformed',
            `report "${request.reportName}" holds a row for ${stray.day}, outside the ${request.from}…${request.to} asked for`,
          );
        return { status: 'ok', rows };
      }
      if (answer.status === 201 || answer.status === 202) {
        // 201: queued; 202: being built. Either way the identical request is repeated after retryIn.
        const retryInS = retryIn(answer.headers.get('retryIn'));
        if (waitedS + retryInS > maxWaitS)
          return {
            status: 'pending',
            resume: request,
            message: `report "${request.reportName}" for ${request.from}…${request.to} is still ${
              answer.status === 201 ? 'queued' : 'being built'
            } after ${waitedS} s of waiting (the bound is ${maxWaitS} s); the next run asks for it again`,
          };
        await deps.sleep(retryInS * 1000, deps.signal);
        if (deps.signal?.aborted) throw deps.signal.reason;
        waitedS += retryInS;
        continue;
      }
      throw apiError(answer, login, secrets);
    }
  },
};

/** The previous run's request, when it was for this same window and VAT rule; otherwise null. */
function resumedRequest(req: PullRequest): DirectResume | null {
  const r = req.resume as Partial<DirectResume> | null | undefined;
  if (!r || typeof r !== 'object' || typeof r.reportName !== 'string' || typeof r.body !== 'string')
    return null;
  if (r.from !== req.from || r.to !== req.to) return null;
  // A body edited by hand, or asked before the account's VAT setting changed, is not asked again; the
  // body sent is the one made now, never the stored text.
  const body = directReportBody(req.account, req.from, req.to, r.reportName);
  if (r.body !== body) return null;
  return { reportName: r.reportName, from: r.from, to: r.to, body };
}

function freshRequest(req: PullRequest, now: Date): DirectResume {
  // Direct keys offline reports by name: a new window needs a name no earlier request used.
  const stamp = now.toISOString().replace(/[-:]/g, '').slice(0, 15);
  const reportName = `promowatch ${req.from} ${req.to} ${stamp} ${randomBytes(4).toString('hex')}`;
  return {
    reportName,
    from: req.from,
    to: req.to,
    body: directReportBody(req.account, req.from, req.to, reportName),
  };
}

function looksLikeJsonError(answer: ApiAnswer<string>): boolean {
  return answer.body.startsWith('{') && parseDirectError(answer.body) !== null;
}

/** Error codes by what the user has to do about them (errors-list, see the module header). */
const AUTH_CODES = new Set([53, 54, 58, 513, 3000, 3001]);
const QUOTA_CODES = new Set([56, 152, 506, 9000]);
const SERVER_CODES = new Set([52, 1000, 1001, 1002]);

function apiError(answer: ApiAnswer<string>, login: string, secrets: string[]): AdsError {
  const e = answer.body.startsWith('{') ? parseDirectError(answer.body) : null;
  const who = login ? ` for client login "${login}"` : '';
  if (!e || (e.code === undefined && !e.message)) {
    const hint =
      answer.status === 502
        ? 'Direct ran out of time building the report; a shorter window (fewer lookback days) helps'
        : answer.status >= 500
          ? "Yandex's side; the next run retries"
          : 'not the documented error shape';
    return new AdsError(
      SELF,
      answer.status >= 500 ? 'http' : 'malformed',
      scrub(
        `the Reports service answered HTTP ${answer.status}${who}: ${bodyExcerpt(answer.body, secrets)} (${hint})`,
        secrets,
      ),
    );
  }
  const code = e.code ?? 0;
  const text = [e.message, e.detail].filter(Boolean).join(': ');
  const what = `error ${code}${text ? ` "${text}"` : ''}${who} (HTTP ${answer.status}${
    e.requestId ? `, request_id ${e.requestId}` : ''
  })`;
  const say = (kind: AdsErrorKind, hint: string, retryAfterMs?: number) =>
    new AdsError(SELF, kind, scrub(`${what}; ${hint}`, secrets), retryAfterMs);
  if (code === 53)
    return say(
      'auth',
      `the token in ${SETTINGS}.token is invalid, expired or revoked: issue a new OAuth token`,
    );
  if (code === 54)
    return say(
      'auth',
      `the token's owner has no rights to "${login}": check the account's client login, or that it is a client of the agency that owns the token`,
    );
  if (code === 58) return say('auth', "the app's request for Yandex Direct API access is not approved yet");
  if (code === 513) return say('auth', `"${login}" has no Yandex Direct account: check the client login`);
  if (AUTH_CODES.has(code)) return say('auth', 'API access is not enabled for this user or app');
  if (code === 152)
    // Points are credited hourly, each user on their own schedule.
    return say('quota', 'the account is out of API points; they are credited hourly', 3_600_000);
  if (code === 9000)
    return say(
      'quota',
      'Direct is building the most reports it allows at once; the next run retries',
      60_000,
    );
  if (QUOTA_CODES.has(code))
    return say('quota', 'an API request limit was reached; the next run retries', 10_000);
  if (SERVER_CODES.has(code) || answer.status >= 500)
    return say('http', "Yandex's side; the next run retries");
  return say('http', 'the request was refused; this is a defect in promowatch if it persists');
}

/** retryIn is whole seconds; at least 1 s, so a zero can never make the wait loop spin. */
function retryIn(value: string | null): number {
  const n = value && /^\s*\d+\s*$/.test(value) ? Number(value) : DEFAULT_RETRY_IN_S;
  return Math.max(1, n);
}
