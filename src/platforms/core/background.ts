// Work a transport does after it has acknowledged a request (database, charts, Web API calls).
// PGlite and chart drawing run on the main thread, so fifty such jobs started at once would hold up
// the acknowledgement of the fifty-first request past the 3 seconds a platform waits for it. Here at most
// `concurrency` jobs run at a time, and each starts on a fresh turn of the event loop (setImmediate),
// after the requests already waiting have been read and acknowledged.
export class BackgroundWork {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(private readonly concurrency = 2) {
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError(`concurrency must be a positive integer, not ${concurrency}`);
  }

  /** Jobs started or waiting. */
  get size(): number {
    return this.inFlight.size;
  }

  run<T>(job: () => Promise<T>): Promise<T> {
    const p = this.execute(job);
    this.inFlight.add(p);
    const forget = () => this.inFlight.delete(p);
    p.then(forget, forget);
    return p;
  }

  /** Resolves when every job started so far (and any they started) has finished. */
  async idle(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  private async execute<T>(job: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running++;
    try {
      await new Promise<void>((resolve) => setImmediate(resolve));
      return await job();
    } finally {
      const next = this.waiting.shift();
      // Hand the slot straight to the next job (running stays the same), or free it.
      if (next) next();
      else this.running--;
    }
  }
}
