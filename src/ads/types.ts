// Ad spend's shared vocabulary: accounts, daily campaign rows and the interface every ad platform implements.
import type { z } from 'zod';
import type { SettingsKit } from '../config/schema.ts';
import type { ExportFormatSpec } from './imports/columns.ts';

/**
 * An ad platform's id ("google-ads"): one of the ids in src/ads/platforms/index.ts, checked there
 * (platformById, accountProblems) rather than by the type or the database, so a new platform is one file.
 */
export type Platform = string;

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

export interface PlatformDeps<S = Record<string, unknown>> {
  fetch: typeof fetch;
  now: () => Date;
  signal?: AbortSignal;
  /** Waits (the real clock in production, a no-op in tests). */
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Resolved settings: providers.<configKey> from the config with the account's overrides, secrets read. */
  settings: S;
}

/** Why a platform could not answer: `auth` (expired or wrong token), `quota` (rate or daily limits),
 * `malformed` (an answer we cannot read), `http` (the platform's own error, with its message). */
export type AdsErrorKind = 'auth' | 'quota' | 'malformed' | 'http' | 'network';

/** Who raised an AdsError: a platform's id and the name its messages start with. */
export interface PlatformName {
  id: Platform;
  /** How English messages name it (errors, imports, the CLI): "Meta". */
  name: string;
  /** How the dashboard names it, in each language: "Meta Ads", "Яндекс Директ". */
  label: { en: string; ru: string };
}

export class AdsError extends Error {
  readonly platform: Platform;
  constructor(
    who: PlatformName,
    readonly kind: AdsErrorKind,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(`${who.name}: ${message}`);
    this.name = 'AdsError';
    this.platform = who.id;
  }
}

/** What the site's ads settings add to every platform's settings for a pull (src/ads/sync.ts). */
export interface PullTuning {
  /** How long a queued report may be waited for within one run (Yandex Direct, Microsoft Advertising). */
  maxQueueWaitSeconds?: number;
}

/** A settings block as a pull receives it: each {"env": "VAR"} reference replaced by the variable's value. */
export type ResolvedSettings<S> = {
  [K in keyof S]: S[K] extends { env: string }
    ? string
    : S[K] extends { env: string } | undefined
      ? string | undefined
      : S[K];
};

/**
 * One ad platform, described whole: everything the config, the dashboard, the imports, the CLI and the
 * pull-ads job need to know about it. src/ads/platforms/index.ts lists them; nothing else names a platform.
 * S is what its settings schema gives (z.output); the pull receives it with secrets read.
 */
export interface AdPlatform<S = any> extends PlatformName {
  /** Its block under "providers" in the config: providers.<configKey>. */
  configKey: string;
  /**
   * The zod schema of providers.<configKey>. A function of the config schema's own parts (strict objects,
   * secret references, URLs), handed in by src/config/schema.ts, so platform files need not import it back.
   */
  settings(kit: SettingsKit): z.ZodType<S, any>;
  /** The settings that are secrets ({"env": "VAR"}); an account may name its own variable for each. */
  secrets: readonly string[];
  /** The account form's placeholder per secret: an environment variable name to copy. */
  secretExamples: Readonly<Record<string, string>>;
  /** Its colour on the spend chart (CSS hex). */
  colour: string;
  /** Lookback re-pulled on each run unless the account or config says otherwise. */
  defaultLookbackDays: number;
  /** The API addresses the platform calls unless the config says otherwise (shown in the example config). */
  endpoints: Readonly<Record<string, string>>;
  /** The rest of providers.<configKey> as `promowatch init` writes it (src/config/jsonc.ts note/off). */
  example: Record<string, unknown>;
  /** How the platform names an account, and how a typed one is normalised ("123-456-7890" → digits). */
  externalId?: {
    normalise(typed: string): string;
    valid(normalised: string): boolean;
    /** What a valid one looks like, ending "… must be <rule>", in both languages. */
    rule: { en: string; ru: string };
  };
  /** Its own UI's CSV export, when promowatch can import it. */
  exportFormat?: ExportFormatSpec;
  pullDaily(req: PullRequest, deps: PlatformDeps<ResolvedSettings<S>>): Promise<PullResult>;
}

/** Money: decimal text in the account's currency → integer micros, exactly (no float rounding). */
export function decimalToMicros(text: string): number | null {
  const m = /^(-?)(\d+)(?:\.(\d{1,6})\d*)?$/.exec(text.trim());
  if (!m) return null;
  const micros = Number(m[2]) * 1_000_000 + Number((m[3] ?? '').padEnd(6, '0') || 0);
  return m[1] ? -micros : micros;
}
