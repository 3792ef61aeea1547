// Ad spend's shared vocabulary: accounts, daily campaign rows and the interface every ad platform implements.

export const PLATFORMS = ['google-ads', 'yandex-direct', 'microsoft-ads', 'meta'] as const;
export type Platform = (typeof PLATFORMS)[number];

export interface AdAccount {
  id: number;
  siteId: number;
  platform: Platform;
  /** Google Ads customer id (10 digits), Yandex Direct client login, Microsoft account id, Meta act_ id. */
  externalId: string;
  name: string;
  /** ISO 4217, as the platform reports it. */
  currency: string;
  /** IANA zone the platform reports days in. */
  timeZone: string;
  costIncludesVat: boolean;
  monthlyBudgetMicros: number | null;
  /** Per-account credentials as environment references, when they differ from providers.<platform>. */
  credentials: Record<string, { env: string }>;
  lookbackDays: number | null;
}

/** One campaign on one day, as the platform reports it. Money in micros of the account's currency. */
export interface DailyRow {
  day: string;
  campaignId: string;
  campaignName: string;
  impressions: number;
  clicks: number;
  costMicros: number;
  conversions: number;
  conversionValueMicros: number;
}

export interface PullRequest {
  account: AdAccount;
  /** Inclusive days, YYYY-MM-DD in the account's time zone. */
  from: string;
  to: string;
  /** What a previous run left to pick up (Yandex Direct's queued report), if anything. */
  resume: unknown;
}

export type PullResult =
  | {
      status: 'ok';
      rows: DailyRow[];
      /** What the platform says about the account (Google Ads `FROM customer`), when it says it. */
      account?: { currency?: string; timeZone?: string; name?: string };
    }
  /** The platform is still building the report: nothing to store yet; `resume` is kept for the next run. */
  | { status: 'pending'; resume: unknown; message: string };

export interface PlatformDeps {
  fetch: typeof fetch;
  now: () => Date;
  signal?: AbortSignal;
  /** Waits (the real clock in production, a no-op in tests). */
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Resolved settings: providers.<platform> from the config with the account's overrides, secrets read. */
  settings: Record<string, unknown>;
}

/** Why a platform could not answer: `auth` (expired or wrong token), `quota` (rate or daily limits),
 * `malformed` (an answer we cannot read), `http` (the platform's own error, with its message). */
export type AdsErrorKind = 'auth' | 'quota' | 'malformed' | 'http' | 'network';

export class AdsError extends Error {
  constructor(
    readonly platform: Platform,
    readonly kind: AdsErrorKind,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(`${PLATFORM_LABELS[platform]}: ${message}`);
    this.name = 'AdsError';
  }
}

export interface AdPlatform {
  id: Platform;
  label: string;
  /** Lookback re-pulled on each run unless the account or config says otherwise. */
  defaultLookbackDays: number;
  pullDaily(req: PullRequest, deps: PlatformDeps): Promise<PullResult>;
}

export const PLATFORM_LABELS: Record<Platform, string> = {
  'google-ads': 'Google Ads',
  'yandex-direct': 'Yandex Direct',
  'microsoft-ads': 'Microsoft Advertising',
  meta: 'Meta',
};

/** Money: decimal text in the account's currency → integer micros, exactly (no float rounding). */
export function decimalToMicros(text: string): number | null {
  const m = /^(-?)(\d+)(?:\.(\d{1,6})\d*)?$/.exec(text.trim());
  if (!m) return null;
  const micros = Number(m[2]) * 1_000_000 + Number((m[3] ?? '').padEnd(6, '0') || 0);
  return m[1] ? -micros : micros;
}
