// Google Ads: pulls daily campaign metrics and the account's currency, time zone and name through the REST
// API's searchStream, on the shared API client with the shared OAuth token cache (src/fetch/). The answers
// are read in google-ads-stream.ts.
// OAuth (refresh token): https://developers.google.com/identity/protocols/oauth2/web-server#offline
import { z } from 'zod';
import type { SettingsKit } from '../../config/schema.ts';
import { note, off } from '../../config/jsonc.ts';
import { bodyExcerpt, refreshTokenGrant, retryAfterMs, scrub, tokenCache } from '../../fetch/index.ts';
import { googleAdsCsv } from '../imports/google-ads-csv.ts';
import { AdsError, type AdPlatform, type PlatformDeps, type ResolvedSettings } from '../types.ts';
import { asAds, platformClient } from './api.ts';
import {
  campaignDailyQuery,
  CUSTOMER_QUERY,
  describe,
  errorKind,
  GOOGLE_ADS_NAME,
  malformed,
  parseCustomer,
  parseGoogleAdsError,
  parseSearchStream,
  type GoogleAdsErrorInfo,
} from './google-ads-stream.ts';

export {
  campaignDailyQuery,
  CUSTOMER_QUERY,
  parseCustomer,
  parseGoogleAdsError,
  parseSearchStream,
  type GoogleAdsErrorInfo,
  type GoogleAdsFailureItem,
} from './google-ads-stream.ts';

const SELF = GOOGLE_ADS_NAME;
export const GOOGLE_ADS_DEFAULT_BASE_URL = 'https://googleads.googleapis.com';
export const GOOGLE_ADS_DEFAULT_TOKEN_URL = 'https://oauth2.googleapis.com/token';
// v21 and v22 were sunset in August and October 2026; v26 is the version Google recommends starting with
// (https://developers.google.com/google-ads/api/docs/sunset-dates).
export const GOOGLE_ADS_DEFAULT_API_VERSION = 'v26';
const SETTINGS = 'providers.googleAds';
const TIMEOUT_MS = 120_000;
const MAX_BODY_BYTES = 64 * 1024 * 1024;
/** Rate limits: at most this many waits per pull, together no longer than MAX_WAIT_MS. */
const MAX_WAITS = 2;
const MAX_WAIT_MS = 60_000;
const DEFAULT_BACKOFF_MS = 10_000;

/** providers.googleAds. */
const settingsSchema = ({ obj, secretRef, httpUrl }: SettingsKit) =>
  obj({
    baseUrl: httpUrl.optional(),
    tokenUrl: httpUrl.optional(),
    clientId: z.string().min(1),
    clientSecret: secretRef,
    refreshToken: secretRef,
    developerToken: secretRef.optional(),
    loginCustomerId: z
      .string()
      .regex(/^\d{10}$/, { error: 'must be 10 digits without dashes' })
      .optional(),
    // The REST API version in the path (https://developers.google.com/google-ads/api/rest/overview).
    apiVersion: z
      .string()
      .regex(/^v\d+$/, { error: 'must look like "v26"' })
      .optional(),
  });
type GoogleAdsSettings = ResolvedSettings<z.output<ReturnType<typeof settingsSchema>>>;

function hintFor(e: GoogleAdsErrorInfo, httpStatus: number, cfg: Settings, customer: string): string {
  const codes = new Set(e.failures.map((f) => f.errorCode));
  if (codes.has('AuthorizationError.USER_PERMISSION_DENIED'))
    return cfg.loginCustomerId
      ? `check that manager account ${dashed(cfg.loginCustomerId)} (${SETTINGS}.loginCustomerId) manages ${customer}, and that the authorised Google account can open it`
      : `the authorised Google account cannot open ${customer}; if it reaches it through a manager account, set ${SETTINGS}.loginCustomerId to the manager's 10-digit id`;
  if (
    codes.has('AuthorizationError.CLOUD_PROJECT_NOT_APPROVED_FOR_PRODUCTION') ||
    codes.has('AuthorizationError.DEVELOPER_TOKEN_NOT_APPROVED')
  )
    return 'the Google Cloud project of the OAuth client only has Test access; apply for Explorer or Basic access on its Google Ads API overview page in the Cloud console';
  if (codes.has('RequestError.DEVELOPER_TOKEN_PARAMETER_MISSING'))
    return `set ${SETTINGS}.developerToken, or use a current ${SETTINGS}.apiVersion`;
  if (codes.has('AuthorizationError.CUSTOMER_NOT_ENABLED'))
    return `${customer} is not enabled or was cancelled in Google Ads`;
  if (httpStatus === 401 || e.status === 'UNAUTHENTICATED')
    return `a freshly issued access token was refused too; check that ${SETTINGS}.clientId, clientSecret and refreshToken belong together and the Google Ads API is enabled in that Cloud project`;
  if (httpStatus >= 500) return "Google's side; the next run retries";
  return '';
}

/** The settings a pull needs, with their defaults; the credentials must be there (config or account). */
function required(s: Partial<GoogleAdsSettings>) {
  const clientId = s.clientId?.trim();
  const clientSecret = s.clientSecret?.trim();
  const refreshToken = s.refreshToken?.trim();
  if (!clientId || !clientSecret || !refreshToken)
    throw new AdsError(
      SELF,
      'auth',
      `no credentials: set ${SETTINGS}.clientId, clientSecret and refreshToken`,
    );
  return {
    baseUrl: s.baseUrl ?? GOOGLE_ADS_DEFAULT_BASE_URL,
    tokenUrl: s.tokenUrl ?? GOOGLE_ADS_DEFAULT_TOKEN_URL,
    apiVersion: s.apiVersion ?? GOOGLE_ADS_DEFAULT_API_VERSION,
    clientId,
    clientSecret,
    refreshToken,
    developerToken: s.developerToken?.trim() || undefined,
    loginCustomerId: s.loginCustomerId?.replace(/-/g, '') || undefined,
  };
}
type Settings = ReturnType<typeof required>;

interface Budget {
  waits: number;
  waitedMs: number;
}

/**
 * A Google Ads platform with its own access-token cache (src/fetch/oauth.ts: per credentials, until
 * shortly before expiry; concurrent pulls share one token request). `googleAds` is one; tests make fresh ones.
 */
export function createGoogleAds(): AdPlatform {
  const tokens = tokenCache();

  /** One searchStream call: a refused token is renewed once; rate limits are waited out within the budget. */
  async function search(
    query: string,
    customerId: string,
    cfg: Settings,
    deps: PlatformDeps<unknown>,
    budget: Budget,
  ) {
    const grant = refreshTokenGrant({
      service: 'Google',
      tokenUrl: cfg.tokenUrl,
      clientId: cfg.clientId,
      clientSecret: cfg.clientSecret,
      refreshToken: cfg.refreshToken,
      settings: SETTINGS,
      invalidGrantHint: `the refresh token was revoked or has expired (tokens of a Cloud project left in "Testing" last 7 days): authorise promowatch again and put the new refresh token in ${SETTINGS}.refreshToken`,
    });
    const secrets = [cfg.clientSecret, cfg.refreshToken, ...(cfg.developerToken ? [cfg.developerToken] : [])];
    const api = platformClient(SELF, deps, {
      baseUrl: cfg.baseUrl,
      secrets,
      timeoutMs: TIMEOUT_MS,
      maxBytes: MAX_BODY_BYTES,
    });
    const path = `${cfg.apiVersion}/customers/${customerId}/googleAds:searchStream`;
    const customer = `customer ${dashed(customerId)}`;
    let refreshed = false;
    let refused: string | undefined;
    for (;;) {
      const token = await asAds(SELF, () => tokens.token(grant, deps, refused));
      const headers: Record<string, string> = {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        accept: 'application/json',
      };
      // Developer tokens were sunset in September 2026 and are ignored when sent; older setups may still
      // need one, so it goes out only when configured.
      if (cfg.developerToken) headers['developer-token'] = cfg.developerToken;
      if (cfg.loginCustomerId) headers['login-customer-id'] = cfg.loginCustomerId;
      const all = [...secrets, token];
      const answer = await asAds(SELF, () =>
        api.request(path, {
          method: 'POST',
          headers,
          body: JSON.stringify({ query }),
          expect: 'text',
          statuses: 'any',
          secrets: [token],
        }),
      );
      // A stream can also fail after it started: HTTP 200 with an error element at the end.
      const e = parseGoogleAdsError(answer.body);
      if (answer.status === 200 && !e) return answer.body;
      const status = answer.status === 200 ? (e?.code ?? 500) : answer.status;
      const info: GoogleAdsErrorInfo = e ?? { failures: [] };
      if ((status === 401 || info.status === 'UNAUTHENTICATED') && !refreshed) {
        // The token was revoked or expired early: the cache drops it and hands out a new one, once.
        refreshed = true;
        refused = token;
        continue;
      }
      const kind = errorKind(status, info);
      const what = e
        ? describe(info, status, hintFor(info, status, cfg, customer))
        : `searchStream answered HTTP ${status}: ${bodyExcerpt(answer.body, all)}${
            status === 404
              ? ` — check ${SETTINGS}.apiVersion ("${cfg.apiVersion}"; ${GOOGLE_ADS_DEFAULT_API_VERSION} is current) and baseUrl`
              : status >= 500
                ? " — Google's side; the next run retries"
                : ''
          }`;
      const message = scrub(`${customer}: ${what}`, all);
      if (kind !== 'quota') throw new AdsError(SELF, kind, message);
      // Google names its wait in the body too (QuotaErrorDetails.retryDelay), which the client's retry
      // budget does not read: the waits stay here, within this pull's own budget.
      const wait =
        retryAfterMs(answer.headers.get('retry-after'), deps.now()) ??
        info.retryDelayMs ??
        DEFAULT_BACKOFF_MS * 2 ** budget.waits;
      if (budget.waits >= MAX_WAITS || budget.waitedMs + wait > MAX_WAIT_MS)
        throw new AdsError(SELF, 'quota', `${message} — the next run retries`, wait);
      budget.waits++;
      budget.waitedMs += wait;
      await deps.sleep(wait, deps.signal);
      deps.signal?.throwIfAborted();
    }
  }

  return {
    ...DESCRIPTION,
    async pullDaily(req, deps: PlatformDeps<GoogleAdsSettings>) {
      deps.signal?.throwIfAborted();
      const cfg = required(deps.settings);
      const customerId = req.account.externalId.replace(/-/g, '');
      if (!/^\d{10}$/.test(customerId))
        throw new AdsError(
          SELF,
          'http',
          `the account's external id "${req.account.externalId}" is not a 10-digit Google Ads customer id`,
        );
      const budget: Budget = { waits: 0, waitedMs: 0 };
      const query = campaignDailyQuery(req.from, req.to);
      const account = parseCustomer(await search(CUSTOMER_QUERY, customerId, cfg, deps, budget));
      const rows = parseSearchStream(await search(query, customerId, cfg, deps, budget));
      const outside = rows.find((r) => r.day < req.from || r.day > req.to);
      if (outside)
        throw malformed(`searchStream answered a row for ${outside.day}, outside ${req.from}…${req.to}`);
      return { status: 'ok', rows, account };
    },
  };
}

/** Everything about Google Ads but the pull (createGoogleAds adds it, with its own token cache). */
const DESCRIPTION: Omit<AdPlatform, 'pullDaily'> = {
  ...SELF,
  configKey: 'googleAds',
  settings: settingsSchema,
  secrets: ['clientSecret', 'refreshToken', 'developerToken'],
  secretExamples: {
    clientSecret: 'GOOGLE_ADS_CLIENT_SECRET',
    refreshToken: 'ADS_REFRESH_TOKEN',
    developerToken: 'ADS_DEVELOPER_TOKEN',
  },
  colour: '#4285f4',
  defaultLookbackDays: 14,
  endpoints: { baseUrl: GOOGLE_ADS_DEFAULT_BASE_URL, tokenUrl: GOOGLE_ADS_DEFAULT_TOKEN_URL },
  example: {
    clientId: 'your-client-id.apps.googleusercontent.com',
    clientSecret: { env: 'GOOGLE_ADS_CLIENT_SECRET' },
    refreshToken: { env: 'GOOGLE_ADS_REFRESH_TOKEN' },
    developerToken: { env: 'GOOGLE_ADS_DEVELOPER_TOKEN' },
    loginCustomerId: note(
      'The manager account (10 digits, no dashes), when accounts are reached through one.',
      '1234567890',
    ),
    apiVersion: off('The REST API version in the path (a recent one is built in).', 'v21'),
  },
  // Customer ids are shown "123-456-7890" in Google's interface; the API wants the ten digits.
  externalId: {
    normalise: (typed) => typed.trim().replace(/-/g, ''),
    valid: (id) => /^\d{10}$/.test(id),
    rule: { en: '10 digits (dashes allowed)', ru: 'состоять из 10 цифр (дефисы допустимы)' },
  },
  exportFormat: googleAdsCsv,
};

export const googleAds: AdPlatform = createGoogleAds();

/** 1234567890 → 123-456-7890, as the Google Ads interface shows it. */
function dashed(id: string): string {
  return /^\d{10}$/.test(id) ? `${id.slice(0, 3)}-${id.slice(3, 6)}-${id.slice(6)}` : id;
}
