// The demo's SERP and Search Console APIs on 127.0.0.1, answering from the simulated search market at the
// demo's simulated clock. They are the same wire-format fakes the tests use (src/demo/servers/), so the demo's
// positions are measured by the real DataForSEO and Search Console clients, request by request.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dataForSeoHandler, decodeKeyword, type DataForSeoQuery } from './servers/dataforseo.ts';
import { searchConsoleHandler } from './servers/google-search-console.ts';
import { dayIn } from '../util/days.ts';
import type { SearchWorld } from './search-world.ts';

/** Made-up credentials the simulated APIs accept; the demo's config refers to them as {"env": …}. */
export const DEMO_API_ENV = {
  DEMO_DATAFORSEO_PASSWORD: 'demo-dataforseo-password',
  DEMO_GSC_CLIENT_SECRET: 'demo-gsc-client-secret',
  DEMO_GSC_REFRESH_TOKEN: 'demo-gsc-refresh-token',
};
const DATAFORSEO_LOGIN = 'demo@kadr.example';
const GSC_CLIENT_ID = 'demo-client.apps.googleusercontent.example';

export interface SearchApis {
  /** The config's "providers" section pointing the real clients at the simulated APIs. */
  providers: {
    dataForSeo: { baseUrl: string; login: string; password: { env: string } };
    googleSearchConsole: {
      baseUrl: string;
      tokenUrl: string;
      clientId: string;
      clientSecret: { env: string };
      refreshToken: { env: string };
    };
  };
  /** Sets the simulated instant the APIs answer for (null: the live clock). */
  setClock(at: Date | null): void;
  close(): Promise<void>;
}

// DataForSEO has no gl or lr: the tracker sends Yandex's Moscow as a location name and Google's countries
// as location codes (2000 + ISO 3166 numeric).
const COUNTRY_CODES: Record<string, string> = { 'code:2643': 'ru', 'code:2840': 'us' };
function regionOf(q: Pick<DataForSeoQuery, 'location' | 'hl'>): string {
  if (q.location === 'Moscow,Moscow,Russia') return 'lr=213';
  const gl = COUNTRY_CODES[q.location ?? ''];
  return gl && q.hl ? `gl=${gl};hl=${q.hl}` : `location=${q.location ?? ''}`;
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
export async function startSearchApis(
  world: SearchWorld,
  timeZone: string,
  live: () => Date,
): Promise<SearchApis> {
  // The simulated day, worked out once per setClock (every request asks for it).
  let simulated: Date | null = null;
  let simulatedDay: string | null = null;
  const day = () => simulatedDay ?? dayIn(live(), timeZone);
  const serp = createServer(
    dataForSeoHandler({
      login: DATAFORSEO_LOGIN,
      password: DEMO_API_ENV.DEMO_DATAFORSEO_PASSWORD,
      results: (q) => world.serp(q.q, q.engine, regionOf(q), q.device ?? 'desktop', day()),
      // The planned outages: the API answers this one task with its own error.
      fault: (_n, request) => {
        try {
          const [task] = JSON.parse(request.body) as Record<string, unknown>[];
          const engine = /\/serp\/(\w+)\//.exec(request.path)?.[1] ?? '';
          if (!task || typeof task.keyword !== 'string') return null;
          const region = regionOf({
            location:
              typeof task.location_name === 'string'
                ? task.location_name
                : `code:${String(task.location_code)}`,
            hl: typeof task.language_code === 'string' ? task.language_code : null,
          });
          return world.failure(
            decodeKeyword(task.keyword),
            engine,
            region,
            String(task.device ?? 'desktop'),
            day(),
          );
        } catch {
          return null;
        }
      },
    }),
  );
  const gsc = createServer(
    searchConsoleHandler({
      rows: ({ startDate, endDate }) => world.gscRows(startDate, endDate, day()),
      // Tokens expire by the demo's clock, as the client that caches them counts.
      now: () => (simulated ?? live()).getTime(),
      oauth: {
        clientId: GSC_CLIENT_ID,
        clientSecret: DEMO_API_ENV.DEMO_GSC_CLIENT_SECRET,
        refreshToken: DEMO_API_ENV.DEMO_GSC_REFRESH_TOKEN,
      },
    }),
  );
  const servers = [serp, gsc];
  try {
    const [serpUrl, gscUrl] = await Promise.all([listen(serp), listen(gsc)]);
    return {
      providers: {
        dataForSeo: {
          baseUrl: serpUrl!,
          login: DATAFORSEO_LOGIN,
          password: { env: 'DEMO_DATAFORSEO_PASSWORD' },
        },
        googleSearchConsole: {
          baseUrl: gscUrl!,
          tokenUrl: `${gscUrl!}token`,
          clientId: GSC_CLIENT_ID,
          clientSecret: { env: 'DEMO_GSC_CLIENT_SECRET' },
          refreshToken: { env: 'DEMO_GSC_REFRESH_TOKEN' },
        },
      },
      setClock: (at) => {
        simulated = at;
        simulatedDay = at ? dayIn(at, timeZone) : null;
      },
      close: () => closeAll(servers),
    };
  } catch (err) {
    await closeAll(servers);
    throw err;
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
