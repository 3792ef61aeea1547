// A small line logger: timestamp, level, scope, message. Secrets registered with it are masked.

export type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(msg: string): void;
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
  child(scope: string): Logger;
}

export interface LoggerOptions {
  write?: (line: string) => void;
  level?: Level;
  now?: () => Date;
  /** Values that must never reach a log line (passwords, tokens); replaced by ***. */
  secrets?: () => Iterable<string>;
}

export function createLogger(opts: LoggerOptions = {}, scope = ''): Logger {
  const write = opts.write ?? ((line: string) => process.stderr.write(line + '\n'));
  const min = ORDER[opts.level ?? 'info'];
  const now = opts.now ?? (() => new Date());
  const emit = (level: Level, msg: string) => {
    if (ORDER[level] < min) return;
    let text = msg;
    for (const s of opts.secrets?.() ?? []) if (s.length >= 4) text = text.split(s).join('***');
    write(`${now().toISOString()} ${level.padEnd(5)} ${scope ? `[${scope}] ` : ''}${text}`);
  };
  return {
    debug: (m) => emit('debug', m),
    info: (m) => emit('info', m),
    warn: (m) => emit('warn', m),
    error: (m) => emit('error', m),
    child: (s) => createLogger(opts, scope ? `${scope} ${s}` : s),
  };
}

/** For tests: keeps lines in an array. */
export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return Object.assign(createLogger({ write: (l) => lines.push(l), level: 'debug' }), { lines });
}
