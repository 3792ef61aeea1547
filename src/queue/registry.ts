// The kinds of task the queue knows: each area registers its kind once (see kinds.ts for the list), and
// both backends look the handler, retry limit and lease up here by name.
import type { TaskKind } from './types.ts';

export class TaskRegistry {
  readonly #kinds = new Map<string, TaskKind<never>>();

  /** Adds a kind; a second kind of the same name is a bug (two areas would race for its tasks). */
  register<P>(def: TaskKind<P>): void {
    if (!/^[a-z][a-z0-9-]*$/.test(def.kind))
      throw new Error(`Task kind "${def.kind}": use lowercase letters, digits and hyphens, like "links"`);
    if (this.#kinds.has(def.kind)) throw new Error(`Task kind "${def.kind}" is registered twice`);
    if (!Number.isInteger(def.retryLimit) || def.retryLimit < 0)
      throw new Error(
        `Task kind "${def.kind}": retryLimit must be a whole number ≥ 0, got ${def.retryLimit}`,
      );
    // pg-boss takes whole seconds, at least 1, under 24 hours.
    if (!Number.isInteger(def.leaseSeconds) || def.leaseSeconds < 1 || def.leaseSeconds >= 24 * 3600)
      throw new Error(
        `Task kind "${def.kind}": leaseSeconds must be whole seconds from 1 to under 24 hours, got ${def.leaseSeconds}`,
      );
    const delay = def.retryDelaySeconds ?? 0;
    if (!Number.isInteger(delay) || delay < 0)
      throw new Error(`Task kind "${def.kind}": retryDelaySeconds must be whole seconds ≥ 0, got ${delay}`);
    this.#kinds.set(def.kind, def as TaskKind<never>);
  }

  /** The kind, or an error naming the ones there are. */
  get(kind: string): TaskKind<unknown> {
    const def = this.#kinds.get(kind);
    if (!def)
      throw new Error(`Unknown task kind "${kind}" (known: ${this.names().join(', ') || 'none registered'})`);
    return def as TaskKind<unknown>;
  }

  has(kind: string): boolean {
    return this.#kinds.has(kind);
  }

  names(): string[] {
    return [...this.#kinds.keys()].sort();
  }
}

/** The registry the program uses; tests make their own. */
export const taskKinds = new TaskRegistry();

/** Registers a kind in the program's registry (called from kinds.ts). */
export function registerTaskKind<P>(def: TaskKind<P>): void {
  taskKinds.register(def);
}
