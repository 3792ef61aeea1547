// The config `promowatch init` writes: every option, with values that work as they are.
import { JOBS } from '../../jobs/index.ts';

export function exampleConfig() {
  return {
    timeZone: 'Europe/Moscow',
    sites: [
      {
        name: 'studio',
        baseUrl: 'https://studio.example.com/',
        timeZone: 'Europe/Moscow',
        // The weekly report and alerts for this site are written in this language (ru or en).
        language: 'ru',
        uptime: { paths: ['/', '/portfolio/', '/contacts/'], timeoutMs: 10000 },
        rankings: {
          // Each provider pulls on its own schedule (the site's time zone); the track-rankings job
          // runs hourly and asks those that are due.
          providers: [
            { use: 'gsc', schedule: '0 6 * * *', lookbackDays: 7 },
            { use: 'yandex-webmaster', schedule: '0 6 * * *', lookbackDays: 7 },
            { use: 'dataforseo', schedule: '0 7 * * *', engines: ['google', 'yandex'] },
          ],
          searchConsoleProperty: 'sc-domain:studio.example.com',
          yandexHostId: 'https:studio.example.com:443',
          depth: 100,
          ctrCurve: 'sistrix',
        },
      },
    ],
    jobs: Object.fromEntries(JOBS.map((j) => [j.name, { schedule: j.defaultSchedule, enabled: true }])),
    web: {
      host: '127.0.0.1',
      // The dashboard's language until a visitor picks one (their browser's language comes first).
      language: 'ru',
      port: 8787,
      trustProxy: false,
      auth: {
        password: { env: 'PROMOWATCH_PASSWORD' },
        apiToken: { env: 'PROMOWATCH_API_TOKEN' },
        sessionHours: 12,
      },
    },
    notifications: {
      channels: [
        {
          type: 'email',
          name: 'owner-email',
          to: ['owner@studio.example.com'],
          smtp: {
            host: 'smtp.example.com',
            port: 587,
            secure: false,
            user: 'reports@studio.example.com',
            password: { env: 'SMTP_PASSWORD' },
            from: 'reports@studio.example.com',
          },
        },
        { type: 'webhook', name: 'ops-webhook', url: { env: 'ALERT_WEBHOOK_URL' } },
        // A channel may speak another language than its site's.
        { type: 'slack', name: 'team-slack', webhookUrl: { env: 'SLACK_WEBHOOK_URL' }, language: 'en' },
        {
          type: 'telegram',
          name: 'owner-telegram',
          botToken: { env: 'TELEGRAM_BOT_TOKEN' },
          chatId: '123456789',
        },
      ],
    },
    providers: {
      googleSearchConsole: {
        clientId: 'your-client-id.apps.googleusercontent.com',
        clientSecret: { env: 'GSC_CLIENT_SECRET' },
        refreshToken: { env: 'GSC_REFRESH_TOKEN' },
      },
      yandexWebmaster: { oauthToken: { env: 'YANDEX_WEBMASTER_TOKEN' } },
      bingWebmaster: { apiKey: { env: 'BING_WEBMASTER_API_KEY' } },
      serpApi: { apiKey: { env: 'SERPAPI_KEY' }, monthlyQuota: 5000 },
      dataForSeo: {
        login: 'you@studio.example.com',
        password: { env: 'DATAFORSEO_PASSWORD' },
        dailyQuota: 2000,
      },
      // Reading result pages in a real browser is off unless enabled: one page at a time, slowly.
      browserSerp: { enabled: false, delayMs: 20000, jitterMs: 10000, dailyQuota: 100 },
      googleAds: {
        clientId: 'your-client-id.apps.googleusercontent.com',
        clientSecret: { env: 'GOOGLE_ADS_CLIENT_SECRET' },
        refreshToken: { env: 'GOOGLE_ADS_REFRESH_TOKEN' },
        developerToken: { env: 'GOOGLE_ADS_DEVELOPER_TOKEN' },
        loginCustomerId: '1234567890',
      },
      yandexDirect: { token: { env: 'YANDEX_DIRECT_TOKEN' }, clientLogin: 'studio-client' },
      microsoftAds: {
        clientId: 'your-azure-app-id',
        refreshToken: { env: 'MSADS_REFRESH_TOKEN' },
        developerToken: { env: 'MSADS_DEVELOPER_TOKEN' },
      },
      meta: { accessToken: { env: 'META_ACCESS_TOKEN' } },
    },
    shutdownGraceSeconds: 30,
  };
}
