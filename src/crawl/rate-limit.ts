// Politeness per host: at most N requests in flight and at most R requests per second (or one per
// Crawl-delay seconds), handed out in order of asking.

export interface HostLimits {
  concurrency: number;
  /** 0: no rate limit. */
  requestsPerSecond: number;
}

export class HostLimiter {
  #inFlight = 0;
  #nextStart = 0;
  #waiting: (() => void)[] = [];
  #timer: NodeJS.Timeout | null = null;

  constructor(
    private limits: HostLimits,
    private readonly nowMs: () => number = () => performance.now(),
  ) {}

  /** Crawl-delay from robots.txt: no faster than one request per `seconds`. */
  applyCrawlDelay(seconds: number): void {
    if (seconds <= 0) return;
    const rps = 1 / seconds;
    this.limits = {
      concurrency: 1,
      requestsPerSecond:
        this.limits.requestsPerSecond > 0 ? Math.min(this.limits.requestsPerSecond, rps) : rps,
    };
  }

  get settings(): HostLimits {
    return this.limits;
  }

  /**
   * Resolves when a request may start; call the returned function when it ends. With `signal`, a
   * stopping run leaves the queue at once (rejects with the abort reason) instead of waiting its turn,
   * which under a Crawl-delay can be minutes away.
   */
  acquire(signal?: AbortSignal): Promise<() => void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const start = () => {
        signal?.removeEventListener('abort', leave);
        this.#inFlight++;
        let released = false;
        resolve(() => {
          if (released) return;
          released = true;
          this.#inFlight--;
          this.#pump();
        });
      };
      const leave = () => {
        const i = this.#waiting.indexOf(start);
        if (i >= 0) this.#waiting.splice(i, 1);
        reject(signal!.reason);
      };
      signal?.addEventListener('abort', leave, { once: true });
      this.#waiting.push(start);
      this.#pump();
    });
  }

  #pump(): void {
    if (this.#timer) return;
    while (this.#waiting.length > 0 && this.#inFlight < this.limits.concurrency) {
      const interval = this.limits.requestsPerSecond > 0 ? 1000 / this.limits.requestsPerSecond : 0;
      const now = this.nowMs();
      if (interval > 0 && now < this.#nextStart) {
        this.#timer = setTimeout(() => {
          this.#timer = null;
          this.#pump();
        }, this.#nextStart - now);
        return;
      }
      this.#nextStart = Math.max(now, this.#nextStart) + interval;
      this.#waiting.shift()!();
    }
  }
}

export class Limiters {
  #byHost = new Map<string, HostLimiter>();
  constructor(private readonly defaults: HostLimits) {}
  for(host: string): HostLimiter {
    let l = this.#byHost.get(host);
    if (!l) {
      l = new HostLimiter({ ...this.defaults });
      this.#byHost.set(host, l);
    }
    return l;
  }
}
