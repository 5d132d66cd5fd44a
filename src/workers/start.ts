// Worker threads for the work an acknowledgement must never wait for: the embedded database
// (src/db/pglite-worker.ts) and chart drawing (src/charts/worker.ts). The app runs its TypeScript
// through tsx, whose loader does not reach worker threads on Node 20, so a worker on a .ts module
// first registers tsx itself and then imports the module.
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { Worker, type WorkerOptions } from 'node:worker_threads';

export function startWorker(module: URL, opts: WorkerOptions = {}): Worker {
  if (!module.pathname.endsWith('.ts')) return new Worker(module, opts);
  const tsx = import.meta.resolve('tsx/esm/api');
  // A failure to load is thrown on the worker's own turn, so the parent gets it as an 'error' event.
  const boot = `import(${JSON.stringify(tsx)})
    .then(({ register }) => { register(); return import(${JSON.stringify(module.href)}); })
    .catch((e) => setImmediate(() => { throw e; }));`;
  return new Worker(boot, { ...opts, eval: true });
}

/**
 * Lower the scheduling priority of the calling thread only (Linux: a thread is its own task, with
 * its own nice value), so under CPU contention the main thread — which reads requests and
 * acknowledges them — runs first. Elsewhere, or when not permitted, nothing changes.
 */
export function lowerThisThreadPriority(nice: number): void {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, nice);
  } catch {
    /* not Linux, or not allowed: leave the priority as it is */
  }
}
