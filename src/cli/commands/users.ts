// `promowatch users`: dashboard accounts from the command line — add, list, remove, passwd, role.
import { hashPassword, MIN_PASSWORD_LENGTH, passwordProblem } from '../../auth/password.ts';
import { endUserSessions } from '../../auth/sessions.ts';
import { totpEnabled } from '../../auth/second-factor.ts';
import {
  addUser,
  findUserByEmail,
  isRole,
  listUsers,
  removeUser,
  ROLES,
  setPasswordHash,
  setRole,
  UserError,
  type Role,
} from '../../auth/users.ts';
import { isLang, LANGS } from '../../i18n/index.ts';
import {
  COMMON_HELP,
  COMMON_OPTIONS,
  EXIT,
  UsageError,
  type Command,
  type Io,
  type Values,
} from '../command.ts';
import { openRuntime, type Runtime } from '../runtime.ts';
import { listSites } from '../../db/sites.ts';
import { siteOf } from '../site-option.ts';

const SUBCOMMANDS = ['add', 'list', 'remove', 'passwd', 'role'] as const;

/** A password from the terminal without echo, or the first line of piped stdin. Never from argv:
 * arguments show in `ps` and in shell history. */
async function readSecretFromProcess(prompt: string, fromStdin: boolean): Promise<string> {
  const stdin = process.stdin;
  if (fromStdin || !stdin.isTTY) {
    let text = '';
    for await (const chunk of stdin) text += chunk;
    return text.split(/\r?\n/)[0] ?? '';
  }
  process.stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.resume();
  stdin.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    let typed = '';
    const onData = (s: string) => {
      for (const ch of s) {
        if (ch === '\r' || ch === '\n') {
          done();
          return resolve(typed);
        }
        if (ch === '\u0003') {
          done();
          return reject(new UsageError('cancelled'));
        }
        if (ch === '\u007f' || ch === '\b') typed = [...typed].slice(0, -1).join('');
        else typed += ch;
      }
    };
    const done = () => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
    };
    stdin.on('data', onData);
  });
}

async function newPassword(values: Values, io: Io, email: string): Promise<string> {
  const read = io.readSecret ?? readSecretFromProcess;
  const fromStdin = Boolean(values['password-stdin']);
  const password = await read(`New password for ${email}: `, fromStdin);
  const problem = passwordProblem(password);
  if (problem)
    throw new UsageError(
      problem === 'blank'
        ? 'the password is empty or only whitespace'
        : `the password is shorter than ${MIN_PASSWORD_LENGTH} characters; choose a longer one`,
    );
  // A typo typed blind would lock the user out: ask again when prompting.
  if (!fromStdin && io.isTTY && !io.readSecret) {
    const again = await read('Again: ', false);
    if (again !== password) throw new UsageError('the two passwords differ; nothing was changed');
  }
  return hashPassword(password);
}

function roleOf(value: unknown): Role {
  if (!isRole(value))
    throw new UsageError(`--role must be one of ${ROLES.join(', ')}, got "${String(value)}"`);
  return value;
}

async function sitesOf(rt: Runtime, values: Values, role: Role): Promise<number[]> {
  const names = (values.site as unknown as string[] | undefined) ?? [];
  if (role === 'admin') {
    if (names.length) throw new UsageError('an admin has every site; leave out --site');
    return [];
  }
  if (names.length === 0)
    throw new UsageError(
      `a ${role} sees only the sites granted: pass --site NAME (one or more; sites are ${rt.loaded.config.sites.map((s) => s.name).join(', ')})`,
    );
  return Promise.all(names.map(async (n) => (await siteOf(rt, n)).id));
}

async function userOf(rt: Runtime, email: string) {
  const user = await findUserByEmail(rt.sql, email);
  if (!user) throw new UsageError(`no user ${email}; "promowatch users list" shows them`);
  return user;
}

export const usersCommand: Command = {
  name: 'users',
  summary: 'dashboard accounts: add, list, remove, change a password or a role',
  usage: 'promowatch users add|list|remove|passwd|role …',
  help: `  add EMAIL --role ROLE [--site NAME…] [--name NAME] [--lang ${LANGS.join('|')}]
                    a new user; the password is prompted for (or read from stdin)
  list [--json]     every user with role, sites, second factor and state
  remove EMAIL      removes the user; their sessions end at once
  passwd EMAIL      sets a new password (prompted, or from stdin) and ends their sessions
  role EMAIL ROLE [--site NAME…]
                    changes the role; an editor or viewer sees exactly the sites given
  --password-stdin  read the password from the first line of stdin (never pass it as an argument)
  Roles: admin (users, settings, every site), editor (changes data on the sites granted),
  viewer (reads the sites granted).
${COMMON_HELP}`,
  options: {
    ...COMMON_OPTIONS,
    role: { type: 'string' },
    site: { type: 'string', multiple: true },
    name: { type: 'string' },
    lang: { type: 'string' },
    json: { type: 'boolean' },
    'password-stdin': { type: 'boolean' },
  },
  positionals: { min: 1, max: 3 },
  async run(values, [sub, ...args], io) {
    if (!(SUBCOMMANDS as readonly string[]).includes(sub!))
      throw new UsageError(`unknown subcommand "${sub}"; use ${SUBCOMMANDS.join(', ')}`);
    const wantArgs = { add: 1, list: 0, remove: 1, passwd: 1, role: 2 }[sub as (typeof SUBCOMMANDS)[number]];
    if (args.length !== wantArgs)
      throw new UsageError(
        wantArgs === 0
          ? `unexpected argument "${args[0]}"`
          : `users ${sub} needs ${sub === 'role' ? 'EMAIL and ROLE' : 'EMAIL'}`,
      );
    if (values.lang !== undefined && !isLang(values.lang))
      throw new UsageError(`--lang must be one of ${LANGS.join(', ')}, got "${String(values.lang)}"`);
    const rt = await openRuntime({
      config: values.config as string | undefined,
      db: values.db as string | undefined,
      env: io.env,
    });
    const now = rt.deps.now();
    try {
      const siteNames = new Map((await listSites(rt.sql)).map((s) => [s.id, s.name]));
      if (sub === 'list') {
        const rows = await listUsers(rt.sql);
        const totpOn = await Promise.all(rows.map((u) => totpEnabled(rt.sql, u.id)));
        const users = rows.map((u, i) => ({
          email: u.email,
          name: u.displayName,
          role: u.role,
          sites: u.role === 'admin' ? null : u.siteIds.map((id) => siteNames.get(id) ?? String(id)),
          language: u.language,
          totp: totpOn[i],
          createdAt: u.createdAt,
          disabledAt: u.disabledAt,
        }));
        if (values.json) io.out(JSON.stringify(users));
        else if (users.length === 0)
          io.out(
            'No users yet: the dashboard uses PROMOWATCH_PASSWORD (or is open on loopback). Add one with "promowatch users add EMAIL --role admin".',
          );
        else
          for (const u of users)
            io.out(
              `${u.email.padEnd(32)} ${u.role.padEnd(6)}  ${u.sites === null ? 'all sites' : u.sites.join(', ') || 'no sites'}` +
                (u.name ? `  "${u.name}"` : '') +
                (u.totp ? '  [2FA]' : '') +
                (u.disabledAt ? '  [disabled]' : ''),
            );
        return EXIT.ok;
      }
      const email = args[0]!;
      if (sub === 'add') {
        if (values.role === undefined) throw new UsageError('users add needs --role admin|editor|viewer');
        const role = roleOf(values.role);
        const siteIds = await sitesOf(rt, values, role);
        if (await findUserByEmail(rt.sql, email))
          throw new UsageError(`a user ${email} already exists; "users passwd" or "users role" changes it`);
        const passwordHash = await newPassword(values, io, email);
        const user = await addUser(
          rt.sql,
          {
            email,
            passwordHash,
            role,
            siteIds,
            displayName: (values.name as string | undefined) ?? '',
            language: (values.lang as string | undefined) ?? null,
          },
          now,
        );
        await rt.audit({
          action: 'user.add',
          targetType: 'user',
          targetId: user.id,
          details: { email: user.email, role, sites: siteIds.map((id) => siteNames.get(id) ?? id) },
        });
        io.out(`Added ${user.email} (${role}).`);
        return EXIT.ok;
      }
      const user = await userOf(rt, email);
      if (sub === 'remove') {
        await removeUser(rt.sql, user.id);
        await rt.audit({
          action: 'user.remove',
          targetType: 'user',
          targetId: user.id,
          details: { email: user.email },
        });
        io.out(`Removed ${user.email}; their sessions and API keys are gone.`);
      } else if (sub === 'passwd') {
        await setPasswordHash(rt.sql, user.id, await newPassword(values, io, user.email));
        const ended = await endUserSessions(rt.sql, user.id);
        await rt.audit({
          action: 'user.password',
          targetType: 'user',
          targetId: user.id,
          details: { email: user.email },
        });
        io.out(`New password set for ${user.email}${ended ? `; ${ended} session(s) ended` : ''}.`);
      } else {
        const role = roleOf(args[1]);
        const siteIds = await sitesOf(rt, values, role);
        await setRole(rt.sql, user.id, role, siteIds);
        await rt.audit({
          action: 'user.role',
          targetType: 'user',
          targetId: user.id,
          details: { email: user.email, role, sites: siteIds.map((id) => siteNames.get(id) ?? id) },
        });
        io.out(`${user.email} is now ${role === 'admin' ? 'an admin' : `a ${role}`}.`);
      }
      return EXIT.ok;
    } catch (err) {
      if (err instanceof UserError) {
        io.err(`promowatch users ${sub}: ${err.message}`);
        return EXIT.failed;
      }
      throw err;
    } finally {
      await rt.close();
    }
  },
};
