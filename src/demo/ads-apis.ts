// The demo's Google Ads and Yandex Direct APIs on 127.0.0.1, answering from the simulated ad market at the
// demo's simulated clock. They are the same wire-format fakes the tests use (src/demo/servers/), so every
// number the demo stores is read by the real platform clients: OAuth and searchStream for Google Ads, the
// Reports service with its offline queue for Direct.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { googleAdsHandler } from './servers/google-ads.ts';
import { yandexDirectHandler } from './servers/yandex-direct.ts';
import type { AdsWorld } from './ads-world.ts';

/** Made-up credentials the simulated APIs accept; the demo's config refers to them as {"env": …}. */
export const DEMO_ADS_ENV = {
  DEMO_GOOGLE_ADS_CLIENT_SECRET: 'demo-google-ads-client-secret',
  DEMO_GOOGLE_ADS_REFRESH_TOKEN: 'demo-google-ads-refresh-token',
  DEMO_DIRECT_TOKEN: 'demo-direct-token',
};
const GOOGLE_CLIENT_ID = 'demo-ads-client.apps.googleusercontent.example';

/**
 * Direct's "auto" processing mode builds small reports at once and queues big ones
 * (https://yandex.com/dev/direct/doc/en/mode): here a report of more than a month waits one round
 * (201, retryIn 1 s), so the first pull of 120 days goes through the queue and the daily ones do not.
 */
const QUEUED_OVER_DAYS = 31;
const RETRY_IN_S = 1;

export interface AdsApis {
  /** The config's "providers" entries pointing the real clients at the simulated APIs. */
  providers: {
    googleAds: {
      baseUrl: string;
      tokenUrl: string;
      clientId: string;
      clientSecret: { env: string };
      refreshToken: { env: string };
    };
    yandexDirect: { baseUrl: string; token: { env: string } };
  };
  /** Sets the simulated instant the APIs answer for (null: the live clock). */
  setClock(at: Date | null): void;
  close(): Promise<void>;
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`),
    );
  });
}

/** `live` is the clock the APIs answer by when no simulated instant is set (the demo's own). */
export async function startAdsApis(world: AdsWorld, live: () => Date): Promise<AdsApis> {
  let simulated: Date | null = null;
  const at = () => simulated ?? live();
  const google = googleAdsHandler({
    oauth: {
      clientId: GOOGLE_CLIENT_ID,
      clientSecret: DEMO_ADS_ENV.DEMO_GOOGLE_ADS_CLIENT_SECRET,
      refreshToken: DEMO_ADS_ENV.DEMO_GOOGLE_ADS_REFRESH_TOKEN,
    },
    customers: world.googleCustomers,
    rows: (customerId, day) => world.googleDays(customerId, day, at()),
    // Tokens expire by the simulated clock, as the client that caches them counts.
    now: () => at().getTime(),
  });
  const direct = yandexDirectHandler({
    token: DEMO_ADS_ENV.DEMO_DIRECT_TOKEN,
    clientLogins: world.accounts.filter((a) => a.platform === 'yandex-direct').map((a) => a.externalId),
    data: (login, day) => world.directDays(login, day, at()),
    retryIn: RETRY_IN_S,
    queueRounds: 0,
  });
  const directAuto = (req: IncomingMessage, res: ServerResponse) => {
    // The stand-in gives a new report the queue rounds set when it reads the request: this listener,
    // added before the stand-in's own, sees the body first and sets them by the report's length.
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      direct.queueRounds = reportDays(Buffer.concat(chunks).toString('utf8')) > QUEUED_OVER_DAYS ? 1 : 0;
    });
    direct(req, res);
  };
  const servers = [createServer(google), createServer(directAuto)];
  try {
    const [googleUrl, directUrl] = await Promise.all(servers.map(listen));
    return {
      providers: {
        googleAds: {
          baseUrl: googleUrl!,
          tokenUrl: `${googleUrl!}token`,
          clientId: GOOGLE_CLIENT_ID,
          clientSecret: { env: 'DEMO_GOOGLE_ADS_CLIENT_SECRET' },
          refreshToken: { env: 'DEMO_GOOGLE_ADS_REFRESH_TOKEN' },
        },
        yandexDirect: { baseUrl: directUrl!, token: { env: 'DEMO_DIRECT_TOKEN' } },
      },
      setClock: (t) => {
        simulated = t;
      },
      close: () => closeAll(servers),
    };
  } catch (err) {
    await closeAll(servers);
    throw err;
  }
}

/** Days a Reports request asks for (0 when the body is not one). */
function reportDays(body: string): number {
  try {
    const sc = (
      JSON.parse(body) as { params?: { SelectionCriteria?: { DateFrom?: string; DateTo?: string } } }
    ).params?.SelectionCriteria;
    const span = Date.parse(`${sc?.DateTo}T00:00:00Z`) - Date.parse(`${sc?.DateFrom}T00:00:00Z`);
    return Number.isFinite(span) ? span / 86_400_000 + 1 : 0;
  } catch {
    return 0;
  }
}

function closeAll(servers: Server[]): Promise<void> {
  return Promise.all(
    servers.map(
      (s) =>
        new Promise<void>((r) => {
          if (!s.listening) return r();
          s.close(() => r());
          s.closeAllConnections();
        }),
    ),
  ).then(() => undefined);
}
