// A worker thread's own scheduling priority (Linux: a thread is its own task, with its own nice
// value): lowered, so under CPU contention the main thread — which reads requests and acknowledges
// them — runs first. Elsewhere, or when not permitted, nothing changes.
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

export function lowerThisThreadPriority(nice: number): void {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, nice);
  } catch {
    /* not Linux, or not allowed: leave the priority as it is */
  }
}
