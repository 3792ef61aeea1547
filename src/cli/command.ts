// What a CLI command is: its help text, its options (node:util parseArgs), and what it does.
import type { ParseArgsConfig } from 'node:util';

export interface Io {
  env: NodeJS.ProcessEnv;
  out: (line: string) => void;
  err: (line: string) => void;
  /** Resolves when the user asks the process to stop (SIGINT/SIGTERM). */
  stopSignal: Promise<string>;
  isTTY: boolean;
  /** Reads a secret (a password) without echo: from stdin when piped or `fromStdin`, else prompted on
   * the terminal. Tests pass their own; absent, the command reads the process's stdin. */
  readSecret?: (prompt: string, fromStdin: boolean) => Promise<string>;
}

export type Values = Record<string, string | boolean | undefined>;

export interface Command {
  name: string;
  summary: string;
  usage: string;
  /** Lines after the usage: options and notes. */
  help: string;
  options: NonNullable<ParseArgsConfig['options']>;
  positionals?: { min: number; max: number };
  run(values: Values, positionals: string[], io: Io): Promise<number>;
}

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

export class UsageError extends Error {}

export const COMMON_OPTIONS = {
  config: { type: 'string' },
  db: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const COMMON_HELP = `  --config FILE   config file (default: $PROMOWATCH_CONFIG or ./promowatch.config.json)
  --db FILE       SQLite database (default: $PROMOWATCH_DB or data/promowatch.db)
  -h, --help      show this help`;
