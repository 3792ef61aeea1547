// Messages of the jobs area: the Jobs page (schedule, history, alerts), job names and descriptions,
// run states and triggers. Job names like "crawl-site" stay as they are beside the human name: the
// CLI takes them. Russian wording follows src/i18n/glossary.md.
import type { Catalog } from '../catalog.ts';
import type { Formatter } from '../format.ts';
import type { RetentionSettings as RetentionDays } from '../../ops/retention-settings.ts';

export const en = {
  title: 'Jobs',
  started: (job: string) => `Started ${job}. Reload to see it finish.`,
  schedule: 'Schedule',
  history: 'History',
  alerts: 'Alerts',
  columns: {
    job: 'Job',
    site: 'Site',
    schedule: 'Schedule',
    lastRun: 'Last run',
    nextRun: 'Next run',
    run: '#',
    trigger: 'Trigger',
    started: 'Started',
    took: 'Took',
    status: 'Status',
    counts: 'Counts',
    error: 'Error',
    raised: 'Raised',
    kind: 'Kind',
    message: 'Message',
    channel: 'Channel',
    delivered: 'Delivered',
    lastError: 'Last error',
  },
  disabled: '(disabled)',
  never: 'never',
  runNow: 'Run now',
  noRuns: 'No runs yet.',
  noAlerts: 'No alerts raised.',
  /** The channel name of an alert kept for the dashboard because no channel takes it. */
  dashboardOnly: 'dashboard only',
  notDelivered: (f: Formatter, attempts: number) =>
    `no (${f.count(attempts, { one: 'attempt', other: 'attempts' })})`,
  statuses: {
    ok: 'ok',
    failed: 'failed',
    running: 'running',
    interrupted: 'interrupted',
    skipped: 'skipped',
  },
  triggers: {
    schedule: 'schedule',
    'catch-up': 'catch-up',
    manual: 'manual',
    cli: 'cli',
    demo: 'demo',
  },
  names: {
    uptime: 'Uptime',
    'crawl-site': 'Site crawl and audit',
    'check-backlinks': 'Backlink check',
    'track-rankings': 'Rank tracking',
    'pull-ads': 'Ad statistics',
    'weekly-report': 'Weekly report',
    'db-maintenance': 'Database maintenance',
  },
  descriptions: {
    uptime:
      "Fetches each site's key pages (config sites[].uptime.paths): status, time to first byte, total time",
    'crawl-site':
      'Crawls the site (robots.txt, sitemaps, redirects, charsets) and runs the audit rules; compares with the last crawl',
    'check-backlinks':
      'Checks each bought link (HTTP, robots.txt, noindex, rel, <noindex>, JavaScript, CSS hiding); confirms losses before alerting',
    'track-rankings':
      'Pulls positions from Search Console, Yandex and Bing Webmaster, SERP APIs or a browser, each on its own schedule and quota',
    'pull-ads':
      'Pulls daily campaign statistics from Google Ads, Yandex Direct, Microsoft Advertising and Meta; budget pacing and anomaly alerts',
    'weekly-report':
      "Builds last week's report (visibility, backlinks, ad spend, site health), archives it with a PDF and e-mails it",
    'db-maintenance': (f: Formatter, k: RetentionDays) => {
      const kinds: [string, number | null][] = [
        ['job history', k.jobRunsDays],
        ['uptime checks', k.uptimeChecksDays],
        ['crawls', k.crawlsDays],
        ['result-page bodies', k.resultPageBodiesDays],
        ['link screenshots', k.backlinkScreenshotsDays],
      ];
      const pruned = kinds.filter(([, n]) => n !== null).map(([w, n]) => `${w} older than ${f.days(n!)}`);
      const kept = kinds.filter(([, n]) => n === null).map(([w]) => w);
      return (
        (pruned.length ? `Prunes ${pruned.join(', ')}` : 'Prunes nothing') +
        (kept.length ? `; keeps ${kept.join(', ')} for ever` : '') +
        '; the latest two crawls of a site and the screenshots of each change of a link always stay; checkpoints the WAL, runs PRAGMA optimize'
      );
    },
  },
  /** What each job's counts mean, by job and key (shown as "label: number"). */
  counts: {
    uptime: { pages: 'pages', ok: 'answering', down: 'not answering' },
    'crawl-site': {
      newErrors: 'new errors',
      pages: 'pages',
      urls: 'URLs',
      errors: 'errors',
      warnings: 'warnings',
      notices: 'notices',
      health: 'health score',
    },
    'check-backlinks': {
      checked: 'checked',
      rendered: 'rendered in a browser',
      live: 'live',
      devalued: 'devalued',
      failing: 'not found',
      inconclusive: 'inconclusive',
      changes: 'state changes',
      alerts: 'alerts',
    },
    'track-rankings': {
      providers: 'providers',
      requests: 'provider requests',
      ranked: 'positions found',
      notInTop: 'not in top 100',
      failed: 'failed',
      deferred: 'deferred',
      stats: 'statistics rows',
    },
    'pull-ads': {
      accounts: 'accounts',
      rows: 'rows',
      pending: 'reports pending',
      anomalies: 'anomalies',
      alerts: 'alerts',
    },
    'weekly-report': {
      report: 'report',
      alreadySent: 'already sent',
      sent: 'sent',
      recipients: 'recipients',
      pdf: 'PDF',
      pngCharts: 'PNG charts',
      svgCharts: 'SVG charts',
      noBrowser: 'no browser',
    },
    'db-maintenance': {
      prunedRuns: 'runs pruned',
      prunedUptimeChecks: 'uptime checks pruned',
      prunedCrawls: 'crawls pruned',
      prunedResultPageBodies: 'result-page bodies pruned',
      prunedBacklinkScreenshots: 'link screenshots pruned',
      walPagesCheckpointed: 'WAL pages checkpointed',
    },
  },
  noScheduler:
    'This dashboard has no scheduler attached (started with "serve"); use "promowatch run" instead',
  unknownJob: (job: string, site: string | null) =>
    site ? `No job "${job}" for site "${site}"` : `No job "${job}"`,
  busy: (job: string, site: string | null) => `${job} is already running${site ? ` for ${site}` : ''}`,
};

export const ru: Catalog<typeof en> = {
  title: 'Задачи',
  started: (job) => `Задача ${job} запущена. Обновите страницу, чтобы увидеть результат.`,
  schedule: 'Расписание',
  history: 'История запусков',
  alerts: 'Оповещения',
  columns: {
    job: 'Задача',
    site: 'Сайт',
    schedule: 'Расписание',
    lastRun: 'Последний запуск',
    nextRun: 'Следующий запуск',
    run: '№',
    trigger: 'Запуск',
    started: 'Начало',
    took: 'Длительность',
    status: 'Состояние',
    counts: 'Итоги',
    error: 'Ошибка',
    raised: 'Когда',
    kind: 'Тип',
    message: 'Сообщение',
    channel: 'Канал',
    delivered: 'Доставлено',
    lastError: 'Последняя ошибка',
  },
  disabled: '(отключена)',
  never: 'ещё не запускалась',
  runNow: 'Запустить сейчас',
  noRuns: 'Запусков пока не было.',
  noAlerts: 'Оповещений не было.',
  dashboardOnly: 'только в панели',
  notDelivered: (f, attempts) =>
    `нет (${f.count(attempts, { one: 'попытка', few: 'попытки', many: 'попыток', other: 'попытки' })})`,
  statuses: {
    ok: 'успешно',
    failed: 'ошибка',
    running: 'выполняется',
    interrupted: 'прерван',
    skipped: 'пропущен',
  },
  triggers: {
    schedule: 'по расписанию',
    'catch-up': 'догоняющий',
    manual: 'вручную',
    cli: 'командная строка',
    demo: 'демо',
  },
  names: {
    uptime: 'Доступность сайта',
    'crawl-site': 'Обход и аудит сайта',
    'check-backlinks': 'Проверка ссылок',
    'track-rankings': 'Съём позиций',
    'pull-ads': 'Статистика рекламы',
    'weekly-report': 'Еженедельный отчёт',
    'db-maintenance': 'Обслуживание базы данных',
  },
  descriptions: {
    uptime:
      'Открывает ключевые страницы каждого сайта (config sites[].uptime.paths): код ответа, время до первого байта, полное время загрузки',
    'crawl-site':
      'Обходит сайт (robots.txt, карты сайта, редиректы, кодировки) и проверяет его правилами аудита; сравнивает с прошлым обходом',
    'check-backlinks':
      'Проверяет каждую купленную ссылку (HTTP, robots.txt, noindex, rel, <noindex>, JavaScript, скрытие через CSS); потерю подтверждает, прежде чем оповестить',
    'track-rankings':
      'Снимает позиции из Search Console, Яндекс Вебмастера и Bing Webmaster, через SERP API или браузер — у каждого источника своё расписание и квота',
    'pull-ads':
      'Загружает дневную статистику кампаний из Google Ads, Яндекс Директа, Microsoft Advertising и Meta; оповещает о темпе расхода бюджета и аномалиях',
    'weekly-report':
      'Собирает отчёт за прошлую неделю (видимость, ссылки, расход на рекламу, здоровье сайта), сохраняет его в архив с PDF и рассылает по почте',
    'db-maintenance': (f, k) => {
      const kinds: [string, number | null][] = [
        ['историю запусков', k.jobRunsDays],
        ['проверки доступности', k.uptimeChecksDays],
        ['обходы', k.crawlsDays],
        ['страницы выдачи', k.resultPageBodiesDays],
        ['скриншоты ссылок', k.backlinkScreenshotsDays],
      ];
      const pruned = kinds.filter(([, n]) => n !== null).map(([w, n]) => `${w} старше ${f.days(n!)}`);
      const kept = kinds.filter(([, n]) => n === null).map(([w]) => w);
      return (
        (pruned.length ? `Удаляет ${pruned.join(', ')}` : 'Ничего не удаляет') +
        (kept.length ? `; всегда хранит ${kept.join(', ')}` : '') +
        '; два последних обхода сайта и скриншоты каждой смены состояния ссылки остаются всегда; записывает WAL в базу и выполняет PRAGMA optimize'
      );
    },
  },
  counts: {
    uptime: { pages: 'страниц', ok: 'отвечают', down: 'не отвечают' },
    'crawl-site': {
      newErrors: 'новых ошибок',
      pages: 'страниц',
      urls: 'адресов',
      errors: 'ошибок',
      warnings: 'предупреждений',
      notices: 'замечаний',
      health: 'оценка здоровья',
    },
    'check-backlinks': {
      checked: 'проверено',
      rendered: 'отрисовано в браузере',
      live: 'активны',
      devalued: 'обесценены',
      failing: 'не найдены',
      inconclusive: 'не удалось проверить',
      changes: 'смен состояния',
      alerts: 'оповещений',
    },
    'track-rankings': {
      providers: 'источников',
      requests: 'обращений к источникам',
      ranked: 'найдено позиций',
      notInTop: 'нет в топ-100',
      failed: 'с ошибкой',
      deferred: 'отложено',
      stats: 'строк статистики',
    },
    'pull-ads': {
      accounts: 'аккаунтов',
      rows: 'строк',
      pending: 'отчётов в очереди',
      anomalies: 'аномалий',
      alerts: 'оповещений',
    },
    'weekly-report': {
      report: 'отчёт',
      alreadySent: 'уже отправлен',
      sent: 'отправлен',
      recipients: 'получателей',
      pdf: 'PDF',
      pngCharts: 'графиков PNG',
      svgCharts: 'графиков SVG',
      noBrowser: 'нет браузера',
    },
    'db-maintenance': {
      prunedRuns: 'удалено запусков',
      prunedUptimeChecks: 'удалено проверок доступности',
      prunedCrawls: 'удалено обходов',
      prunedResultPageBodies: 'удалено страниц выдачи',
      prunedBacklinkScreenshots: 'удалено скриншотов ссылок',
      walPagesCheckpointed: 'страниц WAL записано в базу',
    },
  },
  noScheduler:
    'К этой панели не подключён планировщик (она запущена командой «serve»); запустите задачу командой «promowatch run»',
  unknownJob: (job, site) => (site ? `Нет задачи «${job}» для сайта «${site}»` : `Нет задачи «${job}»`),
  busy: (job, site) => `Задача ${job} уже выполняется${site ? ` для сайта ${site}` : ''}`,
};
