// The config `promowatch init` writes: every option, each explained, with values that work as they are.
// The one place the example is made (issue 15 may derive parts of it from the registries).
// Where an option has a built-in default, the example shows that default, taken from the code that
// applies it, so the written file behaves like a config that leaves the option out. The job table is
// handed in by the caller (jobs/ builds on src/, so src/ does not import it back).
import { DEFAULT_ANOMALY_OPTIONS } from '../ads/anomalies.ts';
import { AD_PLATFORMS } from '../ads/platforms/index.ts';
import { DEFAULT_MAX_QUEUE_WAIT_S } from '../ads/platforms/yandex-direct.ts';
import { rankProviders } from '../rank/providers/index.ts';
import { DEFAULT_CHECK_SETTINGS } from '../backlinks/check.ts';
import { DEFAULT_CONFIRM } from '../backlinks/state.ts';
import { DEFAULT_AUDIT_SETTINGS } from '../audit/site-audit.ts';
import { notificationChannels } from '../notify/channels/index.ts';
import { RETENTION_DEFAULTS } from '../ops/retention-settings.ts';
import { endpoints } from './example-parts.ts';
import { note, off, plainValue, renderJsonc } from './jsonc.ts';
import { ALERT_KINDS } from './schema.ts';

function crawlExample() {
  const { parserThreads: _machineDependent, thresholds, ...rest } = DEFAULT_AUDIT_SETTINGS;
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
  const gsc = {
    use: 'gsc',
    schedule: '0 6 * * *',
    lookbackDays: 7,
    property: off(
      'How this API names the site, for any webmaster API (default: the keys below, else from baseUrl):',
      'sc-domain:studio.example.com',
    ),
  };
  const yandex = { use: 'yandex-webmaster', schedule: '0 6 * * *', lookbackDays: 7 };
  const dataforseo = { use: 'dataforseo', schedule: '0 7 * * *', engines: ['google', 'yandex'] };
  const shown = [gsc.use, yandex.use, dataforseo.use];
  // Every other provider of the registry is named, so a new one shows up in `init` without an edit here.
  const others = rankProviders()
    .map((p) => p.id)
    .filter((id) => !shown.includes(id));
  // The commented-out entry shows a SERP provider, the kind that takes "engines".
  const otherSerp = rankProviders().find((p) => p.kind === 'serp' && !shown.includes(p.id));
  return {
    providers: note(
      'Where positions come from. Each provider pulls on its own schedule (cron, in the site\'s time zone); the track-rankings job\nruns hourly and asks those that are due. Credentials are under "providers" below.',
      [
        gsc,
        yandex,
        note(
          'SERP providers read result pages for the keywords you track (`promowatch keywords add`).',
          dataforseo,
        ),
        off(
          `Also possible: ${others.join(', ')} (each one's account is under "providers" below; "property" names the site for a webmaster API).`,
          { use: otherSerp?.id ?? 'serpapi', schedule: '0 7 * * 1', engines: ['google'] },
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
    retention: note(
      "How many days the nightly db-maintenance job keeps each kind of data (null: for ever). The latest two crawls of a site,\nand a backlink's screenshots of each change of state and of its latest check, are always kept.",
      { ...RETENTION_DEFAULTS },
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
      // One entry per channel in src/notify/channels/index.ts, as each channel file shows itself.
      channels: note(
        `Where alerts and weekly reports go. Each channel may take only some sites ("sites") and kinds of alert ("kinds"), and speak another language.\nKinds: ${ALERT_KINDS.join(', ')}.`,
        notificationChannels().map((ch) => {
          const entry = { type: ch.id, ...ch.example.entry };
          return ch.example.note ? note(ch.example.note, entry) : entry;
        }),
      ),
    },
    providers: note(
      'Accounts of the data providers, shared by all sites. Leave out the ones you do not use.',
      {
        // One block per rank provider, as each provider file describes it (src/rank/providers/index.ts).
        ...Object.fromEntries(rankProviders().map((p) => [p.configKey, p.example])),
        // Each ad platform's block, as its file in src/ads/platforms/ describes it.
        ...Object.fromEntries(
          AD_PLATFORMS.map((p) => [p.configKey, { ...endpoints(p.endpoints), ...p.example }]),
        ),
      },
    ),
    currency: off(
      'Exchange rates to add up ad spend of accounts in different currencies: units of "base" per one unit of each currency.\nWithout them, totals stay per currency.',
      { base: 'RUB', rates: { USD: 92.4, EUR: 99.1 }, asOf: '2026-11-01' },
    ),
    shutdownGraceSeconds: note('On Ctrl-C or SIGTERM, how long running jobs get to finish.', 30),
    database: off(
      'PostgreSQL instead of the SQLite file, for an install that outgrows one machine: the variable holding postgres://user:password@host:5432/name.\nPROMOWATCH_DATABASE_URL, when set, is used without this. Copy an existing install over with promowatch migrate-data.',
      { url: { env: 'PROMOWATCH_DATABASE_URL' } },
    ),
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
