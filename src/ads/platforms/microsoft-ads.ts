// Microsoft Advertising: pulls one account's daily Campaign Performance report (submit, poll, zipped CSV
// download) on the shared API client and OAuth token cache (src/fetch/); the report's request and CSV are
// in microsoft-ads-report.ts. Just over 400 lines on purpose: submit, poll, download and the refresh-token
// rotation are one flow that reads best in one place; everything pure has already moved out.
// Reporting REST: https://learn.microsoft.com/en-us/advertising/reporting-service/submitgeneratereport and
// …/pollgeneratereport; flow and limits: https://learn.microsoft.com/en-us/advertising/guides/request-download-report
// OAuth: https://learn.microsoft.com/en-us/advertising/guides/authentication-oauth-get-tokens
// Error codes: https://learn.microsoft.com/en-us/advertising/guides/operation-error-codes
import { z } from 'zod';
import type { SettingsKit } from '../../config/schema.ts';
import { off } from '../../config/jsonc.ts';
import {
  ApiError,
  bodyExcerpt,
  refreshTokenGrant,
  retryAfterMs,
  scrub,
  tokenCache,
  type ApiAnswer,
  type OAuthGrant,
} from '../../fetch/index.ts';
import { readZipEntries, ZipError, type ZipEntry } from '../../util/zip.ts';
import { microsoftAdsCsv } from '../imports/microsoft-ads-csv.ts';
import {
  AdsError,
  type AdPlatform,
  type PlatformDeps,
  type PullRequest,
  type PullResult,
  type PullTuning,
  type ResolvedSettings,
} from '../types.ts';
import { adsErrorFrom, asAds, platformClient } from './api.ts';
import {
  faultCodes,
  faultsOf,
  jsonObject,
  MICROSOFT_ADS_NAME,
  readMsReport,
  reportRequest,
} from './microsoft-ads-report.ts';

export { MSADS_COLUMNS, parseMsCsv, reportTimeZone } from './microsoft-ads-report.ts';

const SELF = MICROSOFT_ADS_NAME;
export const MSADS_DEFAULT_BASE_URL = 'https://reporting.api.bingads.microsoft.com';
export const MSADS_DEFAULT_TOKEN_URL = 'https://login.microsoftonline.com/common/oauth2/v2.0/token';
export const MSADS_SCOPE = 'https://ads.microsoft.com/msads.manage offline_access';
const SETTINGS = 'providers.microsoftAds';
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

/** providers.microsoftAds. */
const settingsSchema = ({ obj, secretRef, httpUrl }: SettingsKit) =>
  obj({
    baseUrl: httpUrl.optional(),
    tokenUrl: httpUrl.optional(),
    clientId: z.string().min(1),
    // Web apps have one; the desktop flow's public clients do not.
    clientSecret: secretRef.optional(),
    refreshToken: secretRef,
    developerToken: secretRef,
    customerId: z.string().regex(/^\d+$/, { error: 'must be the numeric customer id' }).optional(),
    // Microsoft's ReportTimeZone, when the account's IANA zone is not in the built-in table.
    reportTimeZone: z.string().min(1).optional(),
  });
type MsSettings = ResolvedSettings<z.output<ReturnType<typeof settingsSchema>>> & PullTuning;

/** The settings a pull needs, with their defaults; the credentials must be there (config or account). */
function required(settings: Partial<MsSettings>) {
  const clientId = settings.clientId?.trim();
  const refreshToken = settings.refreshToken?.trim();
  const developerToken = settings.developerToken?.trim();
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
  const clientSecret = settings.clientSecret?.trim();
  const customerId = settings.customerId?.trim();
  return {
    base: settings.baseUrl ?? MSADS_DEFAULT_BASE_URL,
    tokenUrl: settings.tokenUrl ?? MSADS_DEFAULT_TOKEN_URL,
    clientId,
    refreshToken,
    developerToken,
    ...(clientSecret ? { clientSecret } : {}),
    ...(customerId ? { customerId } : {}),
  };
}
type Settings = ReturnType<typeof required>;

/**
 * A Microsoft Advertising platform with its own token cache (src/fetch/oauth.ts: an access token per
 * credentials until shortly before it expires). Microsoft rotates the refresh token on each refresh: the
 * newest is used from then on, the configured one stays the fallback. `microsoftAds` is one; tests make
 * fresh ones.
 */
export function createMicrosoftAdsPlatform(): AdPlatform {
  const tokens = tokenCache();
  /** The refresh token Microsoft last rotated in, per configured credentials. */
  const rotated = new Map<string, string>();

  /**
   * The grant for these credentials. It is keyed on the configured refresh token, so a rotation keeps
   * the cached access token; the form sends the newest refresh token.
   */
  function grantFor(s: Settings): { grant: OAuthGrant; key: string } {
    const key = [s.tokenUrl, s.clientId, s.refreshToken].join('\u0000');
    const base = refreshTokenGrant({
      service: 'Microsoft',
      tokenUrl: s.tokenUrl,
      clientId: s.clientId,
      ...(s.clientSecret ? { clientSecret: s.clientSecret } : {}),
      refreshToken: s.refreshToken,
      scope: MSADS_SCOPE,
      settings: SETTINGS,
      invalidGrantHint: `the refresh token expired or was revoked: sign in again and put the new token in ${SETTINGS}.refreshToken`,
      onRefreshToken: (r) => rotated.set(key, r),
    });
    const grant: OAuthGrant = {
      ...base,
      form: (now) => ({ ...base.form(now), refresh_token: rotated.get(key) ?? s.refreshToken }),
    };
    return { grant, key };
  }

  async function accessToken(s: Settings, deps: PlatformDeps<unknown>, refused?: string): Promise<string> {
    const { grant, key } = grantFor(s);
    // A rotated refresh token is not among the configured secrets the cache scrubs.
    const fail = (err: ApiError) => adsErrorFrom(SELF, err, undefined, [...rotated.values()]);
    try {
      return await tokens.token(grant, deps, refused);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      // A rotated token that stopped working: forget it and try the configured one.
      if (!rotated.has(key) || err.kind !== 'auth') throw fail(err);
      rotated.delete(key);
      try {
        return await tokens.token(grant, deps, refused);
      } catch (again) {
        throw again instanceof ApiError ? fail(again) : again;
      }
    }
  }

  async function call(
    s: Settings,
    deps: PlatformDeps<unknown>,
    accountId: string,
    op: 'Submit' | 'Poll',
    payload: unknown,
  ): Promise<Record<string, unknown>> {
    const body = JSON.stringify(payload);
    const api = platformClient(SELF, deps, {
      baseUrl: s.base,
      secrets: secretsOf(s),
      timeoutMs: TIMEOUT_MS,
      maxBytes: MAX_JSON_BYTES,
    });
    let refused: string | undefined;
    const attempt = async () => {
      const token = await accessToken(s, deps, refused);
      refused = token;
      const headers: Record<string, string> = {
        authorization: `Bearer ${token}`,
        developertoken: s.developerToken,
        customeraccountid: accountId,
        'content-type': 'application/json',
        accept: 'application/json',
      };
      if (s.customerId) headers.customerid = s.customerId;
      const answer = await asAds(SELF, () =>
        api.request(`Reporting/v13/GenerateReport/${op}`, {
          method: 'POST',
          headers,
          body,
          expect: 'bytes',
          statuses: 'any',
          secrets: secretsOf(s, token),
        }),
      );
      return { token, answer };
    };
    let { token, answer } = await attempt();
    // An access token revoked or expired early: the cache drops it and hands out a new one, once.
    if (answer.status === 401 || faultCodes(answer).some((c) => TOKEN_CODES.has(c)))
      ({ token, answer } = await attempt());
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

  async function pullDaily(req: PullRequest, deps: PlatformDeps<MsSettings>): Promise<PullResult> {
    const s = required(deps.settings);
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
      const o = await call(
        s,
        deps,
        accountId,
        'Submit',
        reportRequest(req, accountId, deps.settings.reportTimeZone),
      );
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
    const boundMs = (deps.settings.maxQueueWaitSeconds ?? DEFAULT_QUEUE_WAIT_S) * 1000;
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
  settings: settingsSchema,
  secrets: ['refreshToken', 'developerToken'],
  secretExamples: { refreshToken: 'ADS_REFRESH_TOKEN', developerToken: 'ADS_DEVELOPER_TOKEN' },
  colour: '#7fba00',
  defaultLookbackDays: 14,
  endpoints: { baseUrl: MSADS_DEFAULT_BASE_URL, tokenUrl: MSADS_DEFAULT_TOKEN_URL },
  example: {
    clientId: 'your-azure-app-id',
    clientSecret: off('Only for a web app registration (the desktop flow has none):', {
      env: 'MSADS_CLIENT_SECRET',
    }),
    refreshToken: { env: 'MSADS_REFRESH_TOKEN' },
    developerToken: { env: 'MSADS_DEVELOPER_TOKEN' },
    customerId: off('The customer id, when the user reaches several:', '123456789'),
    reportTimeZone: off(
      "Microsoft's ReportTimeZone, when the account's time zone is not one promowatch maps itself:",
      'MoscowStPetersburgVolgograd',
    ),
  },
  exportFormat: microsoftAdsCsv,
};

export const microsoftAds: AdPlatform = createMicrosoftAdsPlatform();

/** The report request a previous run left pending, if it was for this same window. */
function resumedId(req: PullRequest): string | undefined {
  const r = (req.resume ?? {}) as Record<string, unknown>;
  if (typeof r.reportRequestId !== 'string' || r.reportRequestId === '') return undefined;
  if ((r.from !== undefined && r.from !== req.from) || (r.to !== undefined && r.to !== req.to))
    return undefined;
  return r.reportRequestId;
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

async function download(deps: PlatformDeps<unknown>, link: string): Promise<string> {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    throw new AdsError(SELF, 'malformed', 'Poll answered with a ReportDownloadUrl that is not a URL');
  }
  // The link is pre-signed (its query is the credential): messages name only its origin, and no header of
  // ours travels with it.
  const api = platformClient(SELF, deps, {
    secrets: [url.search],
    timeoutMs: TIMEOUT_MS,
    maxBytes: MAX_ZIP_BYTES,
  });
  const answer = await asAds(SELF, () =>
    api.request(url, { redirect: 'follow', expect: 'bytes', statuses: 'any' }),
  );
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

function secretsOf(s: Settings, token?: string): string[] {
  return [
    s.refreshToken,
    s.developerToken,
    ...(s.clientSecret ? [s.clientSecret] : []),
    ...(token ? [token] : []),
  ];
}
