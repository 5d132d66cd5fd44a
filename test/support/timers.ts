// Timers a test moves with its clock (never the machine's): what the scheduler waits for fires as the
// test clock passes it, in order, each at its own time.
import type { Timer } from '../../src/scheduler.ts';
import type { TestClock } from './clock.ts';

export class TestTimers implements Timer {
  private seq = 0;
  private readonly pending = new Map<number, { at: number; fn: () => void }>();

  constructor(private readonly clock: TestClock) {}

  set(fn: () => void, ms: number): number {
    const id = ++this.seq;
    this.pending.set(id, { at: this.clock.now().getTime() + Math.max(ms, 0), fn });
    return id;
  }

  clear(handle: unknown): void {
    this.pending.delete(handle as number);
  }

  /** How many are waiting. */
  get waiting(): number {
    return this.pending.size;
  }

  /**
   * Move the clock on to `to`, firing every timer that falls due on the way (and those they set), at
   * its time; `settle` is awaited after each (e.g. the work a tick started).
   */
  async runUntil(to: Date | string, settle: () => Promise<void> = async () => {}): Promise<void> {
    const end = new Date(to).getTime();
    for (;;) {
      let first: [number, { at: number; fn: () => void }] | null = null;
      for (const entry of this.pending) if (!first || entry[1].at < first[1].at) first = entry;
      if (!first || first[1].at > end) break;
      this.pending.delete(first[0]);
      if (first[1].at > this.clock.now().getTime()) this.clock.set(new Date(first[1].at));
      first[1].fn();
      await settle();
    }
    this.clock.set(new Date(end));
  }
}
