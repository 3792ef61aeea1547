// Local stand-in for the Yandex Direct API v5 Reports service: Bearer token and Client-Login checks, the
// offline queue (201, then 202, then 200 for the identical request), TSV shaped by the skip* and
// returnMoneyInMicros headers, documented JSON errors, and faults a test can queue.
// https://yandex.com/dev/direct/doc/en/reports · https://yandex.com/dev/direct/doc/en/headers
// https://yandex.com/dev/direct/doc/en/mode · https://yandex.com/dev/direct/doc/en/codes
// https://yandex.com/dev/direct/doc/en/report-format · https://yandex.com/dev/direct/doc/en/concepts/errors-list
import { randomInt } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** One campaign's day as the stand-in keeps it: cost with VAT, in micros; null conversions/revenue print `--`. */
export interface DirectCampaignDay {
  campaignId: string;
  campaignName: string;
  impressions: number;
  clicks: number;
  costMicros: number;
  conversions: number | null;
  revenueMicros: number | null;
}

export type DirectFault =
  | 'expired-token' // 400, error 53
  | 'no-points' // 400, error 152
  | 'report-limit' // 400, error 9000: too many reports being built
  | 'server-error' // 500, error 1000
  | 'gateway-timeout' // 502 with an HTML body, as a proxy gives it
  | 'malformed-row'; // 200, one data row cut short

export interface YandexDirectServerOptions {
  /** The OAuth token the server accepts. */
  token: string;
  /** Client logins the token may read (an agency's clients, or the advertiser's own login). */
  clientLogins: string[];
  /** The token owner's own login, used when no Client-Login is sent; agency tokens have none. */
  ownLogin?: string;
  /** A client's campaigns on one day. */
  data: (clientLogin: string, day: string) => DirectCampaignDay[];
  /** 201/202 answers before a new report is ready (first 201, then 202s); default 2. */
  queueRounds?: number;
  /** The retryIn header, seconds; default 5. */
  retryIn?: number;
  /** VAT taken off costs for IncludeVAT: NO; default 20 (Russia). */
  vatPercent?: number;
}

export interface DirectRequestLog {
  headers: IncomingMessage['headers'];
  /** The body as received. */
  raw: string;
  reportName: string | null;
  status: number;
}

interface ReportState {
  params: string;
  polls: number;
  rounds: number;
}

export type YandexDirectHandler = ((req: IncomingMessage, res: ServerResponse) => void) & {
  requests: DirectRequestLog[];
  /** One-shot faults, the first one hits the next request. */
  faults: DirectFault[];
  /** Queue rounds given to reports asked for from now on. */
  queueRounds: number;
  /** Reports by name: a later request with the same name finds the report where it left it. */
  reports: Map<string, ReportState>;
};

const FIELDS = [
  'Date',
  'CampaignId',
  'CampaignName',
  'Impressions',
  'Clicks',
  'Cost',
  'Conversions',
  'Revenue',
] as const;
type FieldName = (typeof FIELDS)[number];

/** Error texts as Direct words them, in English and (Accept-Language: ru) Russian. */
const ERRORS: Record<number, { en: [string, string]; ru: [string, string] }> = {
  53: {
    en: ['Authorization error', 'OAuth token is invalid or expired'],
    ru: ['Ошибка авторизации', 'OAuth-токен недействителен или просрочен'],
  },
  54: {
    en: ['No rights', 'No rights to access the specified client login'],
    ru: ['Нет прав', 'Нет прав на доступ к указанному логину клиента'],
  },
  152: {
    en: ['Not enough Yandex units', 'Not enough units to complete the request'],
    ru: ['Недостаточно баллов', 'Для выполнения запроса недостаточно баллов'],
  },
  1000: {
    en: ['Server temporarily unavailable', 'Please try again later'],
    ru: ['Сервер временно недоступен', 'Повторите запрос позже'],
  },
  // The wording of these two is the stand-in's own; the codes are Direct's.
  4000: {
    en: ['Invalid request parameters', ''],
    ru: ['Неверные параметры запроса', ''],
  },
  9000: {
    en: ['Limit on reports exceeded', 'Too many reports are being generated for this client'],
    ru: ['Превышен лимит отчетов', 'Для клиента формируется слишком много отчетов'],
  },
};

export function yandexDirectHandler(opts: YandexDirectServerOptions): YandexDirectHandler {
  const retryIn = opts.retryIn ?? 5;
  const vat = opts.vatPercent ?? 20;

  const handler = ((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const log: DirectRequestLog = { headers: req.headers, raw, reportName: null, status: 0 };
      handler.requests.push(log);
      const send = (status: number, body: string, headers: Record<string, string>) => {
        log.status = status;
        res.writeHead(status, { requestid: requestId(), ...headers });
        res.end(body);
      };
      const lang = String(req.headers['accept-language'] ?? 'en').startsWith('ru') ? 'ru' : 'en';
      const fail = (status: number, code: number, detail?: string) => {
        const [text, defaultDetail] = ERRORS[code]?.[lang] ?? ['Error', ''];
        send(
          status,
          JSON.stringify({
            error: {
              request_id: requestId(),
              error_code: code,
              error_string: text,
              error_detail: detail ?? defaultDetail,
            },
          }),
          { 'content-type': 'application/json; charset=utf-8' },
        );
      };
      const path = (req.url ?? '').split('?')[0];
      if (req.method !== 'POST' || path !== '/json/v5/reports')
        return send(404, 'Not Found', { 'content-type': 'text/plain' });

      const fault = handler.faults.shift();
      if (req.headers.authorization !== `Bearer ${opts.token}` || fault === 'expired-token')
        return fail(400, 53);
      const clientLogin = String(req.headers['client-login'] ?? opts.ownLogin ?? '');
      if (!clientLogin || !opts.clientLogins.includes(clientLogin)) return fail(400, 54);
      if (fault === 'no-points') return fail(400, 152);
      if (fault === 'report-limit') return fail(400, 9000);
      if (fault === 'server-error') return fail(500, 1000);
      if (fault === 'gateway-timeout')
        return send(502, '<html><body><h1>502 Bad Gateway</h1></body></html>', {
          'content-type': 'text/html',
        });

      const spec = readSpec(raw);
      if (typeof spec === 'string') return fail(400, 4000, spec);
      log.reportName = spec.reportName;

      // The identical request finds its report; the same name with other parameters is refused.
      let state = handler.reports.get(spec.reportName);
      if (state && state.params !== spec.params)
        return fail(
          400,
          4000,
          `A report named "${spec.reportName}" was already requested with other parameters`,
        );
      if (!state) {
        // processingMode: online builds at once (the stand-in never finds a report too big for it).
        const mode = String(req.headers.processingmode ?? 'auto');
        state = { params: spec.params, polls: 0, rounds: mode === 'online' ? 0 : handler.queueRounds };
        handler.reports.set(spec.reportName, state);
      }
      if (state.polls < state.rounds) {
        const status = state.polls === 0 ? 201 : 202;
        state.polls++;
        return send(status, '', { retryIn: String(retryIn), reportsInQueue: '1' });
      }

      const flag = (name: string) => String(req.headers[name.toLowerCase()] ?? '').toLowerCase() === 'true';
      const microsOff = String(req.headers.returnmoneyinmicros ?? '').toLowerCase() === 'false';
      const days = dayRange(spec.from, spec.to);
      const rows = days.flatMap((day) =>
        opts.data(clientLogin, day).map((r) => ({
          ...r,
          day,
          costMicros: spec.includeVat ? r.costMicros : withoutVat(r.costMicros, vat),
        })),
      );
      let tsv = buildDirectTsv(rows, {
        fields: spec.fields,
        title: flag('skipReportHeader') ? undefined : `${spec.reportName} (${spec.from} - ${spec.to})`,
        columnHeader: !flag('skipColumnHeader'),
        summary: !flag('skipReportSummary'),
        moneyInMicros: !microsOff,
      });
      if (fault === 'malformed-row') {
        const lines = tsv.split('\n');
        const i = lines.findIndex((l) => /^\d{4}-\d{2}-\d{2}\t/.test(l));
        if (i >= 0) lines[i] = lines[i]!.split('\t').slice(0, 3).join('\t');
        tsv = lines.join('\n');
      }
      send(200, tsv, { 'content-type': 'text/tab-separated-values; charset=utf-8' });
    });
  }) as YandexDirectHandler;
  handler.requests = [];
  handler.faults = [];
  handler.queueRounds = opts.queueRounds ?? 2;
  handler.reports = new Map();
  return handler;
}

interface Spec {
  reportName: string;
  params: string;
  from: string;
  to: string;
  fields: FieldName[];
  includeVat: boolean;
}

/** Checks the report definition (https://yandex.com/dev/direct/doc/en/spec); a string says what is wrong. */
function readSpec(raw: string): Spec | string {
  let params: Record<string, unknown>;
  try {
    params = (JSON.parse(raw) as { params: Record<string, unknown> }).params;
  } catch {
    return 'The request body is not JSON';
  }
  if (!params || typeof params !== 'object') return 'The params object is missing';
  const sc = (params.SelectionCriteria ?? {}) as Record<string, unknown>;
  const day = /^\d{4}-\d{2}-\d{2}$/;
  if (typeof params.ReportName !== 'string' || params.ReportName === '') return 'ReportName is required';
  if (params.ReportType !== 'CAMPAIGN_PERFORMANCE_REPORT')
    return 'The stand-in serves ReportType CAMPAIGN_PERFORMANCE_REPORT only';
  if (params.DateRangeType !== 'CUSTOM_DATE') return 'The stand-in serves DateRangeType CUSTOM_DATE only';
  if (
    typeof sc.DateFrom !== 'string' ||
    typeof sc.DateTo !== 'string' ||
    !day.test(sc.DateFrom) ||
    !day.test(sc.DateTo)
  )
    return 'DateFrom and DateTo (YYYY-MM-DD) are required with CUSTOM_DATE';
  if (sc.DateFrom > sc.DateTo) return 'DateFrom is later than DateTo';
  if (params.Format !== 'TSV') return 'Format must be TSV';
  if (params.IncludeVAT !== 'YES' && params.IncludeVAT !== 'NO') return 'IncludeVAT must be YES or NO';
  const fields = params.FieldNames;
  if (!Array.isArray(fields) || fields.length === 0) return 'FieldNames is required';
  const unknown = fields.find((f) => !(FIELDS as readonly unknown[]).includes(f));
  if (unknown !== undefined) return `The stand-in does not serve the field ${String(unknown)}`;
  return {
    reportName: params.ReportName,
    params: JSON.stringify(params),
    from: sc.DateFrom,
    to: sc.DateTo,
    fields: fields as FieldName[],
    includeVat: params.IncludeVAT === 'YES',
  };
}

export interface DirectTsvOptions {
  fields?: readonly FieldName[];
  title?: string;
  columnHeader?: boolean;
  summary?: boolean;
  moneyInMicros?: boolean;
}

/**
 * A Reports TSV of the given rows, laid out as Direct lays it out: a quoted title line, the column header,
 * the rows, `Total rows: N`; money in micros rounded to 10,000 (or as `974.79`), `--` for no value.
 */
export function buildDirectTsv(
  rows: readonly (DirectCampaignDay & { day: string })[],
  opts: DirectTsvOptions = {},
): string {
  const fields = opts.fields ?? FIELDS;
  const micros = opts.moneyInMicros ?? true;
  const money = (v: number | null) => {
    if (v === null) return '--';
    const cents = Math.round(v / 10_000);
    return micros
      ? String(cents * 10_000)
      : `${Math.trunc(cents / 100)}.${String(Math.abs(cents % 100)).padStart(2, '0')}`;
  };
  const cell: Record<FieldName, (r: DirectCampaignDay & { day: string }) => string> = {
    Date: (r) => r.day,
    CampaignId: (r) => r.campaignId,
    CampaignName: (r) => r.campaignName,
    Impressions: (r) => String(r.impressions),
    Clicks: (r) => String(r.clicks),
    Cost: (r) => money(r.costMicros),
    Conversions: (r) => (r.conversions === null ? '--' : String(r.conversions)),
    Revenue: (r) => money(r.revenueMicros),
  };
  const out: string[] = [];
  if (opts.title !== undefined) out.push(`"${opts.title}"`);
  if (opts.columnHeader ?? true) out.push(fields.join('\t'));
  for (const r of rows) out.push(fields.map((f) => cell[f](r)).join('\t'));
  if (opts.summary ?? true) out.push(`Total rows: ${rows.length}`);
  return `${out.join('\n')}\n`;
}

/** Cost without VAT, rounded to 10,000 micros as Direct rounds money. */
function withoutVat(micros: number, vatPercent: number): number {
  return Math.round((micros * 100) / (100 + vatPercent) / 10_000) * 10_000;
}

function dayRange(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000)
    out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

function requestId(): string {
  return String(randomInt(1e9, 9e9)) + String(randomInt(1e9, 9e9));
}
