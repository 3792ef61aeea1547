// The shape of promowatch.config.json, validated with zod; every message names the field and what it wants.
import { isIP } from 'node:net';
import { z } from 'zod';
import { AD_PLATFORMS } from '../ads/platforms/index.ts';
import { LANGS } from '../i18n/lang.ts';
import { notificationChannels } from '../notify/channels/index.ts';
import type { ChannelConfig } from '../notify/types.ts';
import { cronProblem, isValidTimeZone } from './cron.ts';
import { httpUrl, int, obj, secretRef } from './fields.ts';
import { rankProviderBlocks, rankProviders } from '../rank/providers/index.ts';
import { ENGINES } from '../rank/types.ts';
import { RETENTION_DEFAULTS } from '../ops/retention-settings.ts';

export { secretRef, type SecretRef } from './fields.ts';

/** "10.0.0.1", "10.0.0.0/8", "fd00::/8": an address, or a network with a prefix length its family allows. */
function isAddressOrCidr(s: string): boolean {
  const [address, prefix, ...rest] = s.split('/');
  const family = isIP(address ?? '');
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/**
 * The reverse proxies whose X-Forwarded-For and X-Forwarded-Proto the dashboard believes; false
 * (the default) believes none, since anyone can send those headers.
 */
const trustProxy = z.union(
  [
    z.literal(false),
    z.array(
      z.string().refine(isAddressOrCidr, {
        error: 'must be an IP address or a CIDR range like "10.0.0.0/8" or "fd00::/8"',
      }),
    ),
  ],
  {
    error: 'must be false or a list of proxy addresses and CIDR ranges, like ["127.0.0.1", "10.0.0.0/8"]',
  },
);

const timeZone = z
  .string({ error: 'must be an IANA time zone name like "Europe/Moscow"' })
  .refine(isValidTimeZone, {
    error: 'must be an IANA time zone name like "Europe/Moscow"',
  });

const cronExpr = z.string({ error: 'must be a cron expression string' }).superRefine((s, ctx) => {
  const problem = cronProblem(s);
  if (problem)
    ctx.addIssue({
      code: 'custom',
      message: `must be a cron expression ("minute hour day-of-month month day-of-week", e.g. "0 8 * * 1"); ${problem}`,
    });
});

const siteName = z.string({ error: 'must be a short name' }).regex(/^[a-z0-9][a-z0-9-]{0,39}$/, {
  error: 'must be 1–40 lowercase letters, digits or dashes, like "studio"',
});

const regex = z.string().superRefine((p, ctx) => {
  try {
    new RegExp(p);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: `must be a regular expression: ${(err as Error).message}` });
  }
});

const charsetLabel = z.string().refine(
  (l) => {
    try {
      new TextDecoder(l);
      return true;
    } catch {
      return false;
    }
  },
  { error: 'must be a character encoding label like "utf-8" or "windows-1251"' },
);

const thresholds = obj({
  titleMinChars: int(0, 1000),
  titleMaxChars: int(1, 1000),
  descriptionMinChars: int(0, 2000),
  descriptionMaxChars: int(1, 2000),
  h1MaxChars: int(1, 1000),
  thinContentWords: int(0, 100_000),
  slowTtfbMs: int(1, 600_000),
  largeHtmlBytes: int(1, 1_000_000_000),
  deepPageDepth: int(1, 1000),
  imageMaxBytes: int(1, 1_000_000_000),
  nearDuplicateBits: int(0, 10),
  urlMaxChars: int(10, 10_000),
});

/** Site audit crawl settings; every key is optional and falls back to DEFAULT_CRAWL_SETTINGS. */
export const crawlSettingsSchema = obj({
  maxPages: int(1, 10_000_000),
  maxDepth: int(0, 1000),
  include: z.array(regex).optional(),
  exclude: z.array(regex).optional(),
  maxQueryVariantsPerPath: int(1, 100_000),
  maxRepeatedSegment: int(1, 100),
  robotsToken: z
    .string()
    .regex(/^[A-Za-z_-]+$/, { error: 'must be a product token like "promowatch"' })
    .optional(),
  userAgent: z.string().min(1).optional(),
  concurrency: int(1, 128),
  requestsPerSecond: z.number().min(0).max(10_000).optional(),
  timeoutMs: int(100, 600_000),
  connectTimeoutMs: int(100, 600_000),
  maxBytes: int(1024, 1_000_000_000),
  maxDecodedBytes: int(1024, 4_000_000_000),
  maxUrlLength: int(64, 100_000),
  retries: int(0, 10),
  maxRetryWaitMs: int(0, 3_600_000),
  checkResources: z.boolean().optional(),
  checkExternal: z.boolean().optional(),
  useSitemaps: z.boolean().optional(),
  render: z.boolean().optional(),
  fallbackCharset: charsetLabel.optional(),
  parserThreads: int(0, 16),
  thresholds: thresholds.optional(),
});

/** Per site: which rank providers pull, on which schedule, and how visibility is weighed. */
export const rankSettingsSchema = obj({
  providers: z
    .array(
      obj({
        // A provider id from the registry (src/rank/providers/index.ts), read when the config is.
        use: z.string().superRefine((id, ctx) => {
          const ids = rankProviders().map((p) => p.id);
          if (!ids.includes(id))
            ctx.addIssue({ code: 'custom', message: `must be one of: ${ids.join(', ')}` });
        }),
        // A cron expression in the site's time zone; the track-rankings job pulls a provider when one of
        // its times has passed since its last pull.
        schedule: cronExpr.default('0 6 * * *'),
        // SERP providers only: which engines they are asked for (default: all they support).
        engines: z.array(z.enum(ENGINES)).optional(),
        // Stats providers: days re-read on each pull (the APIs revise recent days).
        lookbackDays: int(1, 500),
        // Stats providers: how the API names the site, when not the provider's default from baseUrl.
        property: z.string().min(1).optional(),
      }),
    )
    .default([]),
  // How the site is named by each webmaster API.
  searchConsoleProperty: z.string().min(1).optional(),
  yandexHostId: z.string().min(1).optional(),
  bingSiteUrl: httpUrl.optional(),
  /** Results looked at per SERP request. */
  depth: int(10, 100),
  ctrCurve: z.enum(['sistrix', 'seranking', 'topvisor', 'custom']).optional(),
  /** CTR (0–1) for positions 1, 2, 3…; positions past its end count 0. */
  customCurve: z.array(z.number().min(0).max(1)).min(1).max(100).optional(),
});

/**
 * The parts a data source builds its settings schema from. Sources receive them (AdPlatform.settings)
 * rather than import this file, which imports the sources' registries: no import cycle.
 */
export const settingsKit = { obj, secretRef, httpUrl };
export type SettingsKit = typeof settingsKit;

/** Per site: how ad spend is pulled and judged. */
export const adsSettingsSchema = obj({
  // Days re-pulled on each run, per platform (each platform's defaultLookbackDays when left out).
  lookbackDays: obj(
    Object.fromEntries(AD_PLATFORMS.map((p) => [p.id, int(1, 90)])) as Record<string, ReturnType<typeof int>>,
  ).optional(),
  // Warn when the month-end forecast exceeds the budget by more than this share (percent).
  budgetMarginPercent: z.number().min(0).max(500).optional(),
  anomalies: obj({
    // Same weekdays looked back on; fewer than minWeeks of history → no judgement yet.
    weeks: int(4, 52),
    minWeeks: int(3, 52),
    // Robust z-score (median and MAD) beyond which a day is flagged.
    threshold: z.number().min(1).max(50).optional(),
  }).optional(),
  // How long a Yandex Direct report may stay queued within one run before the run ends "pending".
  maxQueueWaitSeconds: int(0, 3600),
});

/** A language promowatch speaks: pages, charts, the weekly report and alerts. */
const language = z.enum(LANGS, { error: `must be one of: ${LANGS.join(', ')}` });

const site = obj({
  name: siteName,
  baseUrl: httpUrl,
  timeZone: timeZone.default('UTC'),
  // The language of this site's weekly report and alerts; web.language when left out.
  language: language.optional(),
  uptime: obj({
    paths: z
      .array(z.string().startsWith('/', { error: 'must be a path starting with "/"' }))
      .min(1)
      .default(['/']),
    timeoutMs: z.number().int().min(100).max(120_000).default(10_000),
  }).default({ paths: ['/'], timeoutMs: 10_000 }),
  crawl: crawlSettingsSchema.default({}),
  backlinks: obj({
    confirmChecks: int(1, 20),
    confirmHours: z
      .number()
      .min(0)
      .max(24 * 30)
      .optional(),
    concurrency: int(1, 64),
    minDelayMs: int(0, 600_000),
    jitterSeconds: int(0, 86_400),
    timeoutMs: int(1000, 600_000),
    render: z.enum(['fallback', 'always', 'never']).optional(),
    renderEveryDays: z.number().min(0).max(365).optional(),
    cloaking: z.boolean().optional(),
    screenshots: z.boolean().optional(),
    userAgent: z.string().min(1).optional(),
    fallbackCharset: charsetLabel.optional(),
  }).default({}),
  rankings: rankSettingsSchema.default({ providers: [] }),
  ads: adsSettingsSchema.default({}),
});

/** What an alert is about; a channel's `kinds` picks among these. */
export const ALERT_KINDS = [
  'lost-backlink',
  'devalued-backlink',
  'recovered-backlink',
  'renewal-due',
  'budget',
  'anomaly',
  'site-issue',
  'job-failure',
  'weekly-report',
] as const;

// Which alerts a channel takes; a key left out means all. The site names are checked against `sites`
// in configSchema, where the list of sites is known.
const channelFilters = {
  // The language this channel's messages are written in; the site's language when left out.
  language: language.optional(),
  sites: z
    .array(siteName)
    .min(1, { error: 'must list at least one site name; leave "sites" out to receive every site' })
    .optional(),
  kinds: z
    .array(z.enum(ALERT_KINDS, { error: `must be one of: ${ALERT_KINDS.join(', ')}` }))
    .min(1, { error: 'must list at least one kind; leave "kinds" out to receive every kind' })
    .optional(),
};

/**
 * notifications.channels[]: one member per channel in src/notify/channels/index.ts, each its own keys
 * (Channel.settings) beside type, name and the filters. Built when the config is read, so a channel a
 * test registers is validated like the built-in ones.
 */
function channelSchema(): z.ZodType<ChannelConfig> {
  const channels = notificationChannels();
  const members = channels.map((ch) =>
    obj({ type: z.literal(ch.id), name: z.string().min(1), ...ch.settings, ...channelFilters }),
  );
  return z.discriminatedUnion('type', members as unknown as [(typeof members)[number]], {
    error: `must have "type" one of: ${channels.map((ch) => ch.id).join(', ')}`,
  }) as unknown as z.ZodType<ChannelConfig>;
}

/**
 * The accounts section: each rank provider's and each ad platform's block (googleSearchConsole, serpApi,
 * googleAds…), as its file describes it. Built when the config is read, so it holds every source then
 * listed (a test's registered one too). Ad blocks are typed loosely here; each platform reads its own.
 */
function providersSchema() {
  return obj({
    ...rankProviderBlocks(),
    ...(Object.fromEntries(
      AD_PLATFORMS.map((p) => [p.configKey, p.settings(settingsKit).optional()]),
    ) as Record<string, z.ZodOptional<z.ZodType<Record<string, any>>>>),
  });
}

/** Whole days to keep, at least one week (a typo of 0 must not empty the tables), or null for ever. */
const retentionDays = (fallback: number | null) =>
  z
    .number({ error: 'must be a number of days (7 or more), or null to keep for ever' })
    .int()
    .min(7)
    .max(36_500)
    .nullable()
    .default(fallback);

export function configSchema(jobNames: readonly string[]) {
  const jobSettings = obj({ schedule: cronExpr.optional(), enabled: z.boolean().default(true) });
  const jobs = z.record(z.string(), jobSettings).superRefine((rec, ctx) => {
    for (const key of Object.keys(rec))
      if (!jobNames.includes(key))
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `is not a job (expected one of: ${jobNames.join(', ')})`,
        });
  });
  return obj({
    $schema: z.string().optional(),
    timeZone: timeZone.default('UTC'),
    sites: z
      .array(site, { error: 'must be a list of sites' })
      .min(1, { error: 'must list at least one site' })
      .superRefine((list, ctx) => {
        const seen = new Set<string>();
        list.forEach((s, i) => {
          if (seen.has(s.name))
            ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `repeats the site name "${s.name}"` });
          seen.add(s.name);
        });
      }),
    jobs: jobs.default({}),
    // Days the nightly db-maintenance job keeps each kind of data (src/ops/retention.ts); null: for ever.
    retention: obj({
      jobRunsDays: retentionDays(RETENTION_DEFAULTS.jobRunsDays),
      uptimeChecksDays: retentionDays(RETENTION_DEFAULTS.uptimeChecksDays),
      crawlsDays: retentionDays(RETENTION_DEFAULTS.crawlsDays),
      resultPageBodiesDays: retentionDays(RETENTION_DEFAULTS.resultPageBodiesDays),
      backlinkScreenshotsDays: retentionDays(RETENTION_DEFAULTS.backlinkScreenshotsDays),
    }).default(RETENTION_DEFAULTS),
    web: obj({
      host: z.string().min(1).default('127.0.0.1'),
      // The dashboard's language for a browser that has not chosen one and asks for none we speak.
      language: language.default('en'),
      port: z.number().int().min(0).max(65535).default(8787),
      trustProxy: trustProxy.default(false),
      auth: obj({
        password: secretRef.default({ env: 'PROMOWATCH_PASSWORD' }),
        apiToken: secretRef.optional(),
        sessionHours: z
          .number()
          .min(0.25)
          .max(24 * 30)
          .default(12),
        // User sessions (once a user account exists; src/auth/sessions.ts has the defaults, 60 and 12):
        // unused for idleMinutes, or idle or not after absoluteHours, a session ends.
        idleMinutes: z
          .number()
          .int()
          .min(5)
          .max(60 * 24 * 30)
          .optional(),
        absoluteHours: z
          .number()
          .min(1)
          .max(24 * 90)
          .optional(),
      }).default({ password: { env: 'PROMOWATCH_PASSWORD' }, sessionHours: 12 }),
    }).default({
      host: '127.0.0.1',
      language: 'en',
      port: 8787,
      trustProxy: false,
      auth: { password: { env: 'PROMOWATCH_PASSWORD' }, sessionHours: 12 },
    }),
    notifications: obj({ channels: z.array(channelSchema()).default([]) }).default({ channels: [] }),
    providers: providersSchema().default({}),
    // Exchange rates for showing ad spend of accounts in different currencies together: units of
    // `base` per one unit of each currency ({"base": "RUB", "rates": {"USD": 92.4}}). Without them,
    // totals stay per currency.
    currency: obj({
      base: z.string().regex(/^[A-Z]{3}$/, { error: 'must be a three-letter ISO 4217 code like "RUB"' }),
      rates: z.record(
        z.string().regex(/^[A-Z]{3}$/, { error: 'must be a three-letter ISO 4217 code' }),
        z.number().positive(),
      ),
      asOf: z.string().optional(),
    }).optional(),
    shutdownGraceSeconds: z.number().min(0).max(600).default(30),
    // Where the data lives (issue 17): a PostgreSQL address, read from the environment since it carries a
    // password (src/db/store/open.ts); left out, the SQLite file (--db, PROMOWATCH_DB, data/promowatch.db).
    database: obj({ url: secretRef }).optional(),
  }).superRefine((config, ctx) => {
    const names = config.sites.map((s) => s.name);
    config.notifications.channels.forEach((ch, i) =>
      ch.sites?.forEach((name, j) => {
        if (!names.includes(name))
          ctx.addIssue({
            code: 'custom',
            path: ['notifications', 'channels', i, 'sites', j],
            message: `names the site "${name}", which is not in "sites" (configured: ${names.join(', ')})`,
          });
      }),
    );
  });
}

type ParsedConfig = z.infer<ReturnType<typeof configSchema>>;
/** The config; providers.<configKey> of an ad platform is read through its own typed schema (AdPlatform.settings). */
export type Config = Omit<ParsedConfig, 'providers'> & {
  providers: ParsedConfig['providers'] & { [configKey: string]: Record<string, any> | undefined };
};
export type SiteConfig = Config['sites'][number];
