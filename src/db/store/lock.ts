// A first-come-first-served async lock: one holder at a time, the others wait in order.

export class Lock {
  private held = false;
  private readonly waiting: (() => void)[] = [];

  get isHeld(): boolean {
    return this.held;
  }

  /** Resolves with a release function once the lock is this caller's. */
  async acquire(): Promise<() => void> {
    if (this.held) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.held = true;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      // Hand over directly: `held` stays true, so no newcomer can slip in between.
      if (next) next();
      else this.held = false;
    };
  }
}
