// Listens for the dashboard on host:port; refuses a non-loopback address without a password or accounts.
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { App } from './app.ts';
import { assertSafeBinding } from './auth.ts';
import type { AuthSettings } from './types.ts';

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startServer(
  app: App,
  host: string,
  port: number,
  auth: AuthSettings | null,
  /** User accounts exist: logins are required on any address (see assertSafeBinding). */
  accounts = false,
): Promise<RunningServer> {
  assertSafeBinding(host, auth, accounts);
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, hostname: host, port }, (info: AddressInfo) => {
      const shown = info.family === 'IPv6' ? `[${info.address}]` : info.address;
      resolve({
        url: `http://${shown}:${info.port}/`,
        port: info.port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            (server as { closeAllConnections?: () => void }).closeAllConnections?.();
          }),
      });
    });
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'EADDRINUSE'
          ? new Error(
              `Port ${port} on ${host} is already in use; pick another with --port or PROMOWATCH_PORT`,
            )
          : err,
      ),
    );
  });
}
