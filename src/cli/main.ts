// The `promowatch` command line: parses arguments, dispatches to a command, maps errors to exit codes.
import { parseArgs } from 'node:util';
import { ConfigError } from '../config/load.ts';
import { SchemaTooNewError } from '../db/migrate.ts';
import { EXIT, UsageError, type Command, type Io } from './command.ts';
import { checkLinkCommand } from './commands/check-link.ts';
import { crawlCommand } from './commands/crawl.ts';
import { adsCommand } from './commands/ads.ts';
import { alertsCommand } from './commands/alerts.ts';
import { keywordsCommand } from './commands/keywords.ts';
import { rankCommand } from './commands/rank.ts';
import { reportCommand } from './commands/report.ts';
import { linksCommand } from './commands/links.ts';
import { demoCommand } from './commands/demo.ts';
import { initCommand } from './commands/init.ts';
import { jobsCommand } from './commands/jobs.ts';
import { backupCommand } from './commands/backup.ts';
import { restoreCommand } from './commands/restore.ts';
import { checkDbCommand } from './commands/check-db.ts';
import { runCommand } from './commands/run.ts';
import { serveCommand, startCommand } from './commands/start.ts';
import { usersCommand } from './commands/users.ts';
import { keysCommand } from './commands/keys.ts';
import { migrateDataCommand } from './commands/migrate-data.ts';
import { workerCommand } from './commands/worker.ts';

export const COMMANDS: readonly Command[] = [
  initCommand,
  startCommand,
  serveCommand,
  workerCommand,
  runCommand,
  jobsCommand,
  backupCommand,
  restoreCommand,
  checkDbCommand,
  alertsCommand,
  crawlCommand,
  linksCommand,
  checkLinkCommand,
  keywordsCommand,
  rankCommand,
  adsCommand,
  reportCommand,
  usersCommand,
  keysCommand,
  migrateDataCommand,
  demoCommand,
];

function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    "promowatch — watches a site's rankings, bought backlinks, ad spend and health",
    '',
    'Usage: promowatch <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run "promowatch <command> --help" for a command\'s options.',
  ].join('\n');
}

export function commandHelp(c: Command): string {
  return `${c.summary}\n\nUsage: ${c.usage}\n\nOptions:\n${c.help}`;
}

export async function main(argv: string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(overview());
    return name ? EXIT.ok : EXIT.usage;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.err(`promowatch: unknown command "${name}"\n\n${overview()}`);
    return EXIT.usage;
  }
  try {
    let parsed;
    try {
      parsed = parseArgs({ args: rest, options: command.options, allowPositionals: true, strict: true });
    } catch (err) {
      throw new UsageError((err as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, ''));
    }
    if (parsed.values.help) {
      io.out(commandHelp(command));
      return EXIT.ok;
    }
    const pos = command.positionals ?? { min: 0, max: 0 };
    if (parsed.positionals.length < pos.min || parsed.positionals.length > pos.max)
      throw new UsageError(
        parsed.positionals.length < pos.min
          ? 'missing argument'
          : `unexpected argument "${parsed.positionals[pos.max]}"`,
      );
    return await command.run(
      parsed.values as Record<string, string | boolean | undefined>,
      parsed.positionals,
      io,
    );
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(
        `promowatch ${name}: ${err.message}\nUsage: ${command.usage}\n(see "promowatch ${name} --help")`,
      );
      return EXIT.usage;
    }
    if (err instanceof ConfigError) {
      io.err(err.problems.join('\n'));
      return EXIT.usage;
    }
    if (err instanceof SchemaTooNewError) {
      io.err(err.message);
      return EXIT.usage;
    }
    io.err(`promowatch ${name}: ${err instanceof Error ? err.message : String(err)}`);
    if (io.env.PROMOWATCH_LOG_LEVEL === 'debug' && err instanceof Error) io.err(err.stack ?? '');
    return EXIT.failed;
  }
}

/** The real process: stdout/stderr, signals (a second Ctrl-C exits at once). */
export function processIo(): Io {
  let signals = 0;
  const stopSignal = new Promise<string>((resolve) => {
    const onSignal = (sig: string) => {
      signals++;
      if (signals === 1) resolve(sig);
      else {
        process.stderr.write(
          `${sig} again: exiting now; unfinished runs will be marked interrupted at the next start\n`,
        );
        process.exit(130);
      }
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  return {
    env: process.env,
    out: (l) => process.stdout.write(l + '\n'),
    err: (l) => process.stderr.write(l + '\n'),
    stopSignal,
    isTTY: Boolean(process.stderr.isTTY),
  };
}
