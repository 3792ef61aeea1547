// Progress for long work: a redrawn bar with counts, rate and ETA on a terminal; plain log lines elsewhere.

export interface Progress {
  tick(n?: number): void;
  /** For work whose size becomes known as it goes (a crawl discovering pages). */
  setTotal?(total: number): void;
  done(): void;
}

export interface ProgressOptions {
  label: string;
  total: number;
  stream?: NodeJS.WriteStream | { isTTY?: boolean; columns?: number; write(s: string): boolean };
  log?: (line: string) => void;
  nowMs?: () => number;
  /** Non-TTY: at most one line per this many ms (plus the last). */
  everyMs?: number;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** "label [#####.....] 12/40 3.2/s ETA 9s" */
export function progressLine(
  label: string,
  done: number,
  total: number,
  elapsedMs: number,
  width = 20,
): string {
  const frac = total > 0 ? Math.min(1, done / total) : 0;
  const filled = Math.round(frac * width);
  const rate = elapsedMs > 0 ? done / (elapsedMs / 1000) : 0;
  const eta = rate > 0 ? (total - done) / rate : Infinity;
  return `${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${rate.toFixed(1)}/s ETA ${done >= total ? '0s' : formatDuration(eta)}`;
}

export function createProgress(opts: ProgressOptions): Progress {
  const stream = opts.stream ?? process.stderr;
  const nowMs = opts.nowMs ?? (() => performance.now());
  const log = opts.log ?? ((l: string) => stream.write(l + '\n'));
  const start = nowMs();
  const everyMs = opts.everyMs ?? 5000;
  let done = 0;
  let total = opts.total;
  let lastDraw = -Infinity;
  let finished = false;
  const tty = Boolean(stream.isTTY);
  const draw = (final: boolean) => {
    const t = nowMs();
    if (!final && t - lastDraw < (tty ? 100 : everyMs)) return;
    lastDraw = t;
    const line = progressLine(opts.label, done, total, t - start);
    if (tty) stream.write(`\r${line.slice(0, (stream.columns ?? 100) - 1)}\x1b[K${final ? '\n' : ''}`);
    else log(line);
  };
  return {
    tick(n = 1) {
      done += n;
      draw(false);
    },
    setTotal(n: number) {
      total = Math.max(n, done);
    },
    done() {
      if (finished) return;
      finished = true;
      draw(true);
    },
  };
}
