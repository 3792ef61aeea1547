// `promowatch keys`: API keys from the command line — add (shown once), list, revoke.
import {
  ApiKeyError,
  createApiKey,
  isKeyScope,
  KEY_SCOPES,
  listApiKeys,
  revokeApiKey,
} from '../../auth/api-keys.ts';
import { findUserByEmail, getUser } from '../../auth/users.ts';
import { listSites } from '../../db/sites.ts';
import { COMMON_HELP, COMMON_OPTIONS, EXIT, UsageError, type Command } from '../command.ts';
import { openRuntime } from '../runtime.ts';
import { siteOf } from '../site-option.ts';

const SUBCOMMANDS = ['add', 'list', 'revoke'] as const;

export const keysCommand: Command = {
  name: 'keys',
  summary: 'API keys for /api/v1: add (shown once), list, revoke',
  usage: 'promowatch keys add|list|revoke …',
  help: `  add EMAIL --scope read|write [--site NAME…] [--name NAME] [--days N]
                    a new key acting as that user (never beyond the user's sites); printed once
  list [EMAIL] [--json]
                    keys with scope, sites, last use, expiry and state (never the secret)
  revoke ID         the key stops working at once
${COMMON_HELP}`,
  options: {
    ...COMMON_OPTIONS,
    scope: { type: 'string' },
    site: { type: 'string', multiple: true },
    name: { type: 'string' },
    days: { type: 'string' },
    json: { type: 'boolean' },
  },
  positionals: { min: 1, max: 2 },
  async run(values, [sub, arg], io) {
    if (!(SUBCOMMANDS as readonly string[]).includes(sub!))
      throw new UsageError(`unknown subcommand "${sub}"; use ${SUBCOMMANDS.join(', ')}`);
    if ((sub === 'add' || sub === 'revoke') && arg === undefined)
      throw new UsageError(
        `keys ${sub} needs ${sub === 'add' ? 'EMAIL' : 'ID (see "promowatch keys list")'}`,
      );
    const rt = await openRuntime({
      config: values.config as string | undefined,
      db: values.db as string | undefined,
      env: io.env,
    });
    const now = rt.deps.now();
    try {
      const userOf = async (email: string) => {
        const user = await findUserByEmail(rt.sql, email);
        if (!user) throw new UsageError(`no user ${email}; "promowatch users list" shows them`);
        return user;
      };
      if (sub === 'add') {
        const user = await userOf(arg!);
        if (!isKeyScope(values.scope))
          throw new UsageError(
            `--scope must be one of ${KEY_SCOPES.join(', ')}, got "${String(values.scope ?? '')}"`,
          );
        const names = (values.site as unknown as string[] | undefined) ?? [];
        const days = values.days === undefined ? null : Number(values.days);
        if (days !== null && !(Number.isInteger(days) && days > 0))
          throw new UsageError(`--days must be a whole number of days above 0, got "${String(values.days)}"`);
        const { key, row } = await createApiKey(
          rt.sql,
          {
            userId: user.id,
            name: (values.name as string | undefined) ?? '',
            scope: values.scope,
            siteIds: await Promise.all(names.map(async (n) => (await siteOf(rt, n)).id)),
            expiresAt: days === null ? null : new Date(now.getTime() + days * 86_400_000),
          },
          now,
        );
        io.err(`Key #${row.id} (${row.scope}) for ${user.email}; it is shown only now:`);
        io.out(key);
        return EXIT.ok;
      }
      if (sub === 'revoke') {
        const id = Number(arg);
        if (!Number.isInteger(id) || id <= 0) throw new UsageError(`ID must be a key number, got "${arg}"`);
        io.out(
          (await revokeApiKey(rt.sql, id, null, now))
            ? `Key #${id} revoked.`
            : `Key #${id} does not exist or was already revoked.`,
        );
        return EXIT.ok;
      }
      const siteName = new Map((await listSites(rt.sql)).map((s) => [s.id, s.name]));
      const rows = await listApiKeys(rt.sql, arg === undefined ? null : (await userOf(arg)).id);
      const owners = await Promise.all(rows.map((k) => getUser(rt.sql, k.userId)));
      const keys = rows.map((k, i) => ({
        id: k.id,
        user: owners[i]?.email ?? null,
        name: k.name,
        prefix: k.prefix,
        scope: k.scope,
        sites: k.siteIds.length ? k.siteIds.map((id) => siteName.get(id) ?? String(id)) : null,
        createdAt: k.createdAt,
        lastUsedAt: k.lastUsedAt,
        expiresAt: k.expiresAt,
        revokedAt: k.revokedAt,
      }));
      if (values.json) io.out(JSON.stringify(keys));
      else if (keys.length === 0)
        io.out('No API keys. Make one with "promowatch keys add EMAIL --scope read".');
      else
        for (const k of keys)
          io.out(
            `#${String(k.id).padEnd(4)} ${k.prefix}…  ${k.scope.padEnd(5)}  ${k.user ?? '?'}  ${k.sites ? k.sites.join(', ') : "all the user's sites"}` +
              (k.name ? `  "${k.name}"` : '') +
              `  last used ${k.lastUsedAt ?? 'never'}` +
              (k.expiresAt ? `  expires ${k.expiresAt}` : '') +
              (k.revokedAt ? '  [revoked]' : ''),
          );
      return EXIT.ok;
    } catch (err) {
      if (err instanceof ApiKeyError) {
        io.err(`promowatch keys ${sub}: ${err.message}`);
        return EXIT.failed;
      }
      throw err;
    } finally {
      await rt.close();
    }
  },
};
