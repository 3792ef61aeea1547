// The config `promowatch init` writes: every option, each explained, with values that work as they are.
// The one place the example is made (issue 15 may derive parts of it from the registries).
// Where an option has a built-in default, the example shows that default, taken from the code that
// applies it, so the written file behaves like a config that leaves the option out. The job table is
// handed in by the caller (jobs/ builds on src/, so src/ does not import it back).
import { DEFAULT_ANOMALY_OPTIONS } from '../ads/anomalies.ts';
import { AD_PLATFORMS } from '../ads/platforms/index.ts';
import { DEFAULT_MAX_QUEUE_WAIT_S, YANDEX_DIRECT_BASE_URL } from '../ads/platforms/yandex-direct.ts';
import { GOOGLE_ADS_DEFAULT_BASE_URL, GOOGLE_ADS_DEFAULT_TOKEN_URL } from '../ads/platforms/google-ads.ts';
import { META_DEFAULT_BASE_URL } from '../ads/platforms/meta.ts';
import { MSADS_DEFAULT_BASE_URL, MSADS_DEFAULT_TOKEN_URL } from '../ads/platforms/microsoft-ads.ts';
import { BING_WEBMASTER_DEFAULT_BASE_URL } from '../rank/providers/bing-webmaster.ts';
import { GSC_DEFAULT_BASE_URL, GSC_DEFAULT_TOKEN_URL } from '../rank/providers/google-search-console.ts';
import { YANDEX_WEBMASTER_DEFAULT_BASE_URL } from '../rank/providers/yandex-webmaster.ts';
import { DEFAULT_CHECK_SETTINGS } from '../backlinks/check.ts';
import { DEFAULT_CONFIRM } from '../backlinks/state.ts';
import { DEFAULT_CRAWL_SETTINGS } from '../crawl/crawler.ts';
import { note, off, plainValue, renderJsonc } from './jsonc.ts';

const PROXY = 'only to go through a proxy or a test server; the real API when left out';

/** A provider's API addresses, shown commented out (the first one explained, the rest bare). */
function endpoints(urls: Record<string, string>, explain = false) {
  return Object.fromEntries(
    Object.entries(urls).map(([k, url], i) => [
      k,
      off(explain && i === 0 ? `API addresses: ${PROXY}.` : '', url),
    ]),
  );
}

/** A provider's request quotas, shown commented out where the example does not set them. */
function quotas(set: { dailyQuota?: number; monthlyQuota?: number } = {}, explain = false) {
  return {
    dailyQuota:
      set.dailyQuota ??
      off(
        explain
          ? 'Requests a day / a calendar month (UTC) at most, across all sites (every provider takes these):'
          : '',
        1000,
      ),
    monthlyQuota: set.monthlyQuota ?? off('', 20000),
  };
}

/** The filters every channel takes, commented out unless the example sets them. */
function channelFilters(set: { language?: string; sites?: string[]; kinds?: string[] } = {}) {
  return {
    language: set.language ?? off('', 'ru'),
    sites: set.sites ?? off('', ['studio']),
    kinds: set.kinds ?? off('', ['lost-backlink', 'budget']),
  };
}

function crawlExample() {
  const { parserThreads: _machineDependent, thresholds, ...rest } = DEFAULT_CRAWL_SETTINGS;
  return {
    ...rest,
    maxPages: note(
      'Site audit (crawl-site job). Pages at most per crawl, and link depth from the start page.',
      rest.maxPages,
    ),
    include: note(
      'Regular expressions: when given, only matching URLs are crawled; exclude wins over include.',
      rest.include,
    ),
    robotsToken: note('The user-agent token looked up in robots.txt.', rest.robotsToken),
    requestsPerSecond: note(
      'Politeness: requests at once and per second (0 = no limit) to the site.',
      rest.requestsPerSecond,
    ),
    maxBytes: note('Bytes read per page from the wire, and once decompressed.', rest.maxBytes),
    checkResources: note(
      'Also check images, scripts and styles; links to other sites; sitemap.xml URLs.',
      rest.checkResources,
    ),
    render: note('Read every page after JavaScript runs, in headless Chromium (slower).', rest.render),
    fallbackCharset: note('The encoding of pages that do not declare one.', rest.fallbackCharset),
    parserThreads: off(
      'Worker threads parsing HTML (default: 1 on a machine with several cores, 0 = in the main thread).',
      1,
    ),
    thresholds: note(
      'Where audit rules draw the line: title and description length, thin content, slow answer…',
      thresholds,
    ),
  };
}

function backlinksExample() {
  return {
    confirmChecks: note(
      'A bought link counts as lost after this many failing checks in a row, each at least confirmHours after the previous one\n(a timeout, a 5xx answer or a captcha never counts toward it).',
      DEFAULT_CONFIRM.checks,
    ),
    confirmHours: DEFAULT_CONFIRM.hoursApart,
    concurrency: note('Donor pages checked at once; one at a time per donor host, minDelayMs apart.', 8),
    minDelayMs: 2000,
    jitterSeconds: note(
      'Scheduled checks start up to this many seconds late, so donors do not see a fixed clock.',
      300,
    ),
    timeoutMs: DEFAULT_CHECK_SETTINGS.timeoutMs,
    render: note(
      'When to look at a donor page in headless Chromium (finds CSS-hidden and JavaScript links, saves screenshots as evidence):\n"fallback" when the plain check cannot decide or a render is due, "always", or "never".',
      'fallback',
    ),
    renderEveryDays: note('A render is due this often even when the page looks unchanged.', 7),
    cloaking: note(
      'Also fetch each donor as Googlebot and compare (finds links shown only to visitors or only to bots).',
      false,
    ),
    screenshots: true,
    userAgent: note(
      'How the checker introduces itself (a plain browser on purpose: some donors hide sold links from link checkers).',
      DEFAULT_CHECK_SETTINGS.userAgent,
    ),
    fallbackCharset: DEFAULT_CHECK_SETTINGS.fallbackCharset,
  };
}

function rankingsExample() {
  return {
    providers: note(
      'Where positions come from. Each provider pulls on its own schedule (cron, in the site\'s time zone); the track-rankings job\nruns hourly and asks those that are due. Credentials are under "providers" below.',
      [
        { use: 'gsc', schedule: '0 6 * * *', lookbackDays: 7 },
        { use: 'yandex-webmaster', schedule: '0 6 * * *', lookbackDays: 7 },
        note('SERP providers read result pages for the keywords you track (`promowatch keywords add`).', {
          use: 'dataforseo',
          schedule: '0 7 * * *',
          engines: ['google', 'yandex'],
        }),
        off(
          'Also possible: bing-webmaster, serpapi, browser (reads result pages in Chromium; see providers.browserSerp).',
          {
            use: 'serpapi',
            schedule: '0 7 * * 1',
            engines: ['google'],
          },
        ),
      ],
    ),
    searchConsoleProperty: note('How the webmaster APIs name the site.', 'sc-domain:studio.example.com'),
    yandexHostId: 'https:studio.example.com:443',
    bingSiteUrl: off('Bing Webmaster, when used:', 'https://studio.example.com/'),
    depth: note('Results looked at per SERP request (10–100).', 100),
    ctrCurve: note(
      'How visibility weighs a position: the click-through curve "sistrix", "seranking", "topvisor", or "custom" with customCurve.',
      'sistrix',
    ),
    customCurve: off(
      'CTR (0–1) for positions 1, 2, 3…; positions past its end count 0.',
      [0.3, 0.15, 0.1, 0.07, 0.05],
    ),
  };
}

function adsExample() {
  return {
    lookbackDays: note(
      'Ad spend (pull-ads job). Ad accounts and their monthly budgets and currencies live in the database:\n`promowatch ads accounts add --platform yandex-direct --id LOGIN --currency RUB --budget 150000`.\nDays re-pulled on each run, per platform (the platforms revise recent days):',
      Object.fromEntries(AD_PLATFORMS.map((p) => [p.id, p.defaultLookbackDays])),
    ),
    budgetMarginPercent: note(
      "Warn when the month-end forecast is over an account's budget by more than this share (percent).",
      10,
    ),
    anomalies: note(
      'A day is flagged when it is this far (robust z-score) from the same weekdays of the last weeks; no judgement before minWeeks of history.',
      { ...DEFAULT_ANOMALY_OPTIONS },
    ),
    maxQueueWaitSeconds: note(
      'How long a Yandex Direct report may stay queued within one run.',
      DEFAULT_MAX_QUEUE_WAIT_S,
    ),
  };
}

/** The example with its comments, as a tree of values and notes (src/config/jsonc.ts). */
/** What the example needs of a job: its name and the schedule it runs on unless the config says otherwise. */
export interface ExampleJob {
  name: string;
  defaultSchedule: string;
}

export function exampleTree(jobs: readonly ExampleJob[]) {
  return {
    timeZone: note('The time zone of jobs that cover all sites (database upkeep).', 'Europe/Moscow'),
    sites: note('Every site watched by this install (an agency lists all its clients here).', [
      {
        name: note('A short name used in commands (--site studio) and in the dashboard.', 'studio'),
        baseUrl: 'https://studio.example.com/',
        timeZone: note(
          'Days, schedules, budgets and reports of this site follow this zone.',
          'Europe/Moscow',
        ),
        language: note(
          "The language of this site's weekly report and alerts (ru or en); web.language when left out.",
          'ru',
        ),
        uptime: note('Uptime (uptime job): pages asked for, and how long an answer may take.', {
          paths: ['/', '/portfolio/', '/contacts/'],
          timeoutMs: 10000,
        }),
        crawl: crawlExample(),
        backlinks: note(
          'Bought backlinks (check-backlinks job). Add links with `promowatch links add` or the dashboard.',
          backlinksExample(),
        ),
        rankings: rankingsExample(),
        ads: adsExample(),
      },
    ]),
    jobs: note(
      'When each job runs (cron, in each site\'s time zone) and whether it runs at all. weekly-report builds the report, archives it\nand mails it to the e-mail channels that take "weekly-report".',
      Object.fromEntries(jobs.map((j) => [j.name, { schedule: j.defaultSchedule, enabled: true }])),
    ),
    web: note('The dashboard (`promowatch start`).', {
      host: note(
        'Where it listens: 127.0.0.1 keeps it on this machine; put a reverse proxy with HTTPS in front to open it up.',
        '127.0.0.1',
      ),
      language: note(
        "The dashboard's language until a visitor picks one (their browser's language comes first).",
        'ru',
      ),
      port: 8787,
      trustProxy: note(
        'false, or the addresses of the reverse proxies whose X-Forwarded-For / X-Forwarded-Proto are believed, like ["127.0.0.1", "10.0.0.0/8"].',
        false,
      ),
      auth: {
        password: note(
          'Secrets are never written here: {"env": "NAME"} reads the environment or the .env file next to this config.',
          { env: 'PROMOWATCH_PASSWORD' },
        ),
        apiToken: off('A token for the JSON API (Authorization: Bearer …).', { env: 'PROMOWATCH_API_TOKEN' }),
        sessionHours: 12,
        idleMinutes: note(
          'Once user accounts exist (promowatch users add): a session unused this long ends, and any session ends absoluteHours after login.',
          60,
        ),
        absoluteHours: 12,
      },
    }),
    notifications: {
      channels: note(
        'Where alerts and weekly reports go. Each channel may take only some sites ("sites") and kinds of alert ("kinds"), and speak another language.\nKinds: lost-backlink, devalued-backlink, recovered-backlink, renewal-due, budget, anomaly, site-issue, job-failure, weekly-report.',
        [
          {
            type: 'email',
            name: 'owner-email',
            to: ['owner@studio.example.com'],
            smtp: {
              host: 'smtp.example.com',
              port: 587,
              secure: note('true for port 465 (TLS from the start); false upgrades with STARTTLS.', false),
              user: 'reports@studio.example.com',
              password: { env: 'SMTP_PASSWORD' },
              from: 'reports@studio.example.com',
            },
            ...channelFilters({ kinds: ['weekly-report', 'lost-backlink', 'renewal-due', 'budget'] }),
          },
          {
            type: 'webhook',
            name: 'ops-webhook',
            url: note('A JSON POST; the URL is a secret (it often carries a token).', {
              env: 'ALERT_WEBHOOK_URL',
            }),
            sites: off(
              "Only these sites, these kinds, in this language (all sites, all kinds, the site's language when left out):",
              ['studio'],
            ),
            kinds: off('', ['site-issue', 'job-failure']),
            language: off('', 'en'),
          },
          note('A channel may speak another language than its site.', {
            type: 'slack',
            name: 'team-slack',
            webhookUrl: { env: 'SLACK_WEBHOOK_URL' },
            ...channelFilters({ language: 'en' }),
          }),
          {
            type: 'telegram',
            name: 'owner-telegram',
            botToken: { env: 'TELEGRAM_BOT_TOKEN' },
            chatId: '123456789',
            baseUrl: off(`The Bot API address: ${PROXY}.`, 'https://api.telegram.org'),
            ...channelFilters(),
          },
        ],
      ),
    },
    providers: note(
      'Accounts of the data providers, shared by all sites. Leave out the ones you do not use.',
      {
        googleSearchConsole: {
          ...endpoints({ baseUrl: GSC_DEFAULT_BASE_URL, tokenUrl: GSC_DEFAULT_TOKEN_URL }, true),
          clientId: 'your-client-id.apps.googleusercontent.com',
          clientSecret: { env: 'GSC_CLIENT_SECRET' },
          refreshToken: { env: 'GSC_REFRESH_TOKEN' },
          serviceAccountKey: off(
            'Or a service account instead of the OAuth client (its JSON key in the variable):',
            { env: 'GSC_SERVICE_ACCOUNT_KEY' },
          ),
          ...quotas({}, true),
        },
        yandexWebmaster: {
          ...endpoints({ baseUrl: YANDEX_WEBMASTER_DEFAULT_BASE_URL }),
          oauthToken: { env: 'YANDEX_WEBMASTER_TOKEN' },
          ...quotas(),
        },
        bingWebmaster: {
          ...endpoints({ baseUrl: BING_WEBMASTER_DEFAULT_BASE_URL }),
          apiKey: { env: 'BING_WEBMASTER_API_KEY' },
          ...quotas(),
        },
        serpApi: {
          ...endpoints({ baseUrl: 'https://serpapi.com' }),
          apiKey: { env: 'SERPAPI_KEY' },
          ...quotas({ monthlyQuota: 5000 }),
        },
        dataForSeo: {
          ...endpoints({ baseUrl: 'https://api.dataforseo.com' }),
          login: 'you@studio.example.com',
          password: { env: 'DATAFORSEO_PASSWORD' },
          ...quotas({ dailyQuota: 2000 }),
        },
        browserSerp: note(
          'Reading result pages in a real browser is off unless enabled: one page at a time, slowly.',
          {
            enabled: false,
            delayMs: 20000,
            jitterMs: 10000,
            ...quotas({ dailyQuota: 100 }),
            googleUrl: off(`Search engine addresses: ${PROXY}.`, 'https://www.google.com/search'),
            yandexUrl: off('', 'https://yandex.ru/search/'),
            bingUrl: off('', 'https://www.bing.com/search'),
          },
        ),
        googleAds: {
          ...endpoints({ baseUrl: GOOGLE_ADS_DEFAULT_BASE_URL, tokenUrl: GOOGLE_ADS_DEFAULT_TOKEN_URL }),
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
        yandexDirect: {
          ...endpoints({ baseUrl: YANDEX_DIRECT_BASE_URL }),
          token: { env: 'YANDEX_DIRECT_TOKEN' },
          clientLogin: note("For an agency account: the client's login.", 'studio-client'),
        },
        microsoftAds: {
          ...endpoints({ baseUrl: MSADS_DEFAULT_BASE_URL, tokenUrl: MSADS_DEFAULT_TOKEN_URL }),
          clientId: 'your-azure-app-id',
          refreshToken: { env: 'MSADS_REFRESH_TOKEN' },
          developerToken: { env: 'MSADS_DEVELOPER_TOKEN' },
          customerId: off('The customer id, when the user reaches several:', '123456789'),
        },
        meta: {
          ...endpoints({ baseUrl: META_DEFAULT_BASE_URL }),
          accessToken: { env: 'META_ACCESS_TOKEN' },
          apiVersion: off('The Graph API version (a recent one is built in).', 'v21.0'),
        },
      },
    ),
    currency: off(
      'Exchange rates to add up ad spend of accounts in different currencies: units of "base" per one unit of each currency.\nWithout them, totals stay per currency.',
      { base: 'RUB', rates: { USD: 92.4, EUR: 99.1 }, asOf: '2026-11-01' },
    ),
    shutdownGraceSeconds: note('On Ctrl-C or SIGTERM, how long running jobs get to finish.', 30),
  };
}

/** The example as the loader sees it (comments and commented-out options left out). */
export function exampleConfig(jobs: readonly ExampleJob[]): Record<string, unknown> {
  return plainValue(exampleTree(jobs)) as Record<string, unknown>;
}

/** The text `promowatch init` writes: JSON with // comments, which the loader reads. */
export function exampleConfigText(jobs: readonly ExampleJob[]): string {
  return (
    [
      '// promowatch config: every option, each explained. Remove what you do not use; defaults apply to what is left out.',
      '// Secrets never go in this file: {"env": "NAME"} reads the environment or the .env file beside it.',
    ].join('\n') +
    '\n' +
    renderJsonc(exampleTree(jobs)) +
    '\n'
  );
}
