// Parses pages in worker threads so the crawler's own thread is left for the network and SQLite.
// With no workers (one core, or parserThreads: 0) it parses inline; results are the same either way.
import { availableParallelism } from 'node:os';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { parsePage, type ParseInput, type ParseOutput } from './parse-page.ts';

interface Pending {
  resolve: (o: ParseOutput) => void;
  reject: (e: Error) => void;
}

/**
 * The parser thread's young generation, in MB. A page's parse makes ~1 MB of short-lived strings, so V8
 * let the young generation grow to its 48 MB default; at 8 MB the crawl's peak RSS is ~15 MB lower on
 * the bench site (10,000 pages, 216/211 MB against 233/228) and its CPU time the same.
 */
export const WORKER_YOUNG_GENERATION_MB = 8;

export function defaultParserThreads(): number {
  return availableParallelism() > 1 ? 1 : 0;
}

export class ParsePool {
  #workers: { worker: Worker; ready: Promise<void>; busy: number }[] = [];
  #pending = new Map<number, Pending>();
  #nextId = 0;

  constructor(threads: number) {
    for (let i = 0; i < threads; i++) {
      const worker = new Worker(new URL('./parse-worker.mjs', import.meta.url), {
        resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
      });
      worker.unref();
      const entry = { worker, busy: 0, ready: Promise.resolve() };
      entry.ready = new Promise<void>((resolve, reject) => {
        worker.once('error', reject);
        worker.on('message', (m: { ready?: boolean; id?: number; output?: ParseOutput; error?: string }) => {
          if (m.ready) return resolve();
          const p = this.#pending.get(m.id!);
          if (!p) return;
          this.#pending.delete(m.id!);
          entry.busy--;
          if (m.error !== undefined) p.reject(new Error(m.error));
          else p.resolve(m.output!);
        });
      });
      worker.on('error', (err) => {
        // A crashed worker fails what it held; later pages are parsed inline.
        for (const [id, p] of this.#pending) {
          this.#pending.delete(id);
          p.reject(err);
        }
        this.#workers = this.#workers.filter((w) => w !== entry);
      });
      this.#workers.push(entry);
    }
  }

  /**
   * Parses `input`. With `handOver`, a body that owns its whole ArrayBuffer moves to the thread instead
   * of being copied, and is empty here afterwards (read its length first): a copy (~25 KB a page) stayed
   * on the crawler's thread as garbage until a collection, which its small JS allocations seldom trigger.
   * A body in Buffer's shared pool (under 4 KB) is copied, as without `handOver`.
   */
  async parse(input: ParseInput, opts: { handOver?: boolean } = {}): Promise<ParseOutput> {
    if (this.#workers.length === 0) return parsePage(input);
    const entry = this.#workers.reduce((a, b) => (b.busy < a.busy ? b : a));
    await entry.ready;
    const id = this.#nextId++;
    entry.busy++;
    const body = input.body;
    const movable = opts.handOver && body.byteOffset === 0 && body.byteLength === body.buffer.byteLength;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      entry.worker.postMessage({ id, input }, movable ? [body.buffer as ArrayBuffer] : []);
    });
  }

  /** Each parser thread's V8 limits (undefined once a thread has ended). */
  resourceLimits(): (ResourceLimits | undefined)[] {
    return this.#workers.map((w) => w.worker.resourceLimits);
  }

  async close(): Promise<void> {
    await Promise.all(this.#workers.map((w) => w.worker.terminate()));
    this.#workers = [];
  }
}
