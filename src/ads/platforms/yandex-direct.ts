// Yandex Direct: pulls daily campaign rows through the API v5 Reports service, waiting out its offline queue,
// on the shared API client (src/fetch/); the report's body and the TSV reader are in yandex-direct-report.ts.
// Reports service: https://yandex.com/dev/direct/doc/en/reports
// Headers: https://yandex.com/dev/direct/doc/en/headers · queue: https://yandex.com/dev/direct/doc/en/mode
// Answers and errors: https://yandex.com/dev/direct/doc/en/codes · https://yandex.com/dev/direct/doc/en/concepts/errors-list
// TSV layout: https://yandex.com/dev/direct/doc/en/report-format
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { note, off } from '../../config/jsonc.ts';
import type { SettingsKit } from '../../config/schema.ts';
import { bodyExcerpt, scrub, type ApiAnswer } from '../../fetch/index.ts';
import { yandexDirectCsv } from '../imports/yandex-direct-csv.ts';
import { asAds, platformClient } from './api.ts';
import {
  directReportBody,
  parseDirectError,
  parseDirectTsv,
  YANDEX_DIRECT_NAME,
} from './yandex-direct-report.ts';

export {
  DIRECT_FIELD_NAMES,
  directReportBody,
  parseDirectError,
  parseDirectTsv,
  type DirectApiError,
} from './yandex-direct-report.ts';
import {
  AdsError,
  type AdPlatform,
  type PullTuning,
  type ResolvedSettings,
  type AdsErrorKind,
  type PlatformDeps,
  type PullRequest,
  type PullResult,
} from '../types.ts';

const SELF = YANDEX_DIRECT_NAME;
const SETTINGS = 'providers.yandexDirect';
export const YANDEX_DIRECT_BASE_URL = 'https://api.direct.yandex.com';
export const YANDEX_DIRECT_SANDBOX_URL = 'https://api-sandbox.direct.yandex.com';
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
    language: off('The language of Direct\'s own error texts: "en" or "ru".', 'ru'),
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
