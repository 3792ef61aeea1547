// Shared by `start`, `serve` and `demo`: resolves host and port, builds the app and listens.
import { createApp } from '../../web/app.ts';
import { usersExist } from '../../web/auth.ts';
import { storeOf } from '../db/store/sqlite.ts';
import { startServer, type RunningServer } from '../../web/server.ts';
import type { AppDeps } from '../../web/types.ts';
import { UsageError } from './command.ts';

export function resolvePort(flag: string | undefined, env: NodeJS.ProcessEnv, fallback: number): number {
  const raw = flag ?? env.PROMOWATCH_PORT;
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new UsageError(
      `${flag !== undefined ? '--port' : 'PROMOWATCH_PORT'} must be a port number 0–65535, got "${raw}"`,
    );
  return n;
}

/**
 * The key that signs CSRF tokens, from PROMOWATCH_SECRET_KEY: two dashboards behind one load balancer
 * must share it, or a form served by one is refused by the other. Unset: a random key per process (one
 * dashboard; a restart makes open forms ask to be sent again). At least 32 characters, e.g.
 * `openssl rand -base64 32`.
 */
export function secretKeyFrom(env: NodeJS.ProcessEnv): Buffer | undefined {
  const raw = env.PROMOWATCH_SECRET_KEY;
  if (raw === undefined || raw === '') return undefined;
  if (raw.trim().length < 32)
    throw new UsageError(
      `PROMOWATCH_SECRET_KEY must be at least 32 characters (it has ${raw.trim().length}); make one with: openssl rand -base64 32`,
    );
  return Buffer.from(raw.trim(), 'utf8');
}

export async function serveDashboard(deps: AppDeps, host: string, port: number): Promise<RunningServer> {
  const app = createApp(deps);
  return startServer(app, host, port, deps.auth, await usersExist(deps.sql ?? storeOf(deps.db)));
}
