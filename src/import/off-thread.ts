// Reading and checking an import file on a thread of its own, so that however large the file no
// other person's command waits for it (Slack wants its acknowledgement within 3 s): the file's bytes
// go to a new thread (parse-worker.ts), which runs at a lower priority, reads them as streams within
// the limits (limits.ts) and sends back the register found, then ends. The thread's heap is capped
// (IMPORT_HEAP_MB): a file that would take more is refused with a message and the process goes on.
// One file is read at a time per process; a second waits for the first.
import { startWorker } from '../workers/start.ts';
import { ValidationError } from '../errors.ts';
import { IMPORT_HEAP_MB, tooLargeToCheck } from './limits.ts';
import type { ParseJob, ParseReply, ParsedImport } from './parse.ts';

let queue: Promise<unknown> = Promise.resolve();

function once(job: ParseJob, heapMb: number): Promise<ParsedImport> {
  return new Promise((resolve, reject) => {
    const worker = startWorker(new URL('./parse-worker.ts', import.meta.url), {
      workerData: job,
      resourceLimits: { maxOldGenerationSizeMb: heapMb, maxYoungGenerationSizeMb: Math.min(64, Math.max(4, heapMb / 8)) },
    });
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      fn();
      void worker.terminate();
    };
    worker.once('message', (reply: ParseReply) =>
      settle(() => {
        if (reply.ok) resolve(reply.parsed);
        else if (reply.user) reject(new ValidationError(reply.message));
        else reject(Object.assign(new Error(reply.message), { stack: reply.stack }));
      }),
    );
    worker.once('error', (e: Error & { code?: string }) => settle(() => reject(e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? tooLargeToCheck(job.name, heapMb) : e)));
    worker.once('exit', (code) => settle(() => reject(new Error(`the import thread ended (exit code ${code}) without an answer`))));
  });
}

/** Read and check a file on the import thread; nothing is written. `heapMb`: the thread's heap (tests make it small). */
export function parseOffThread(job: ParseJob, heapMb: number = IMPORT_HEAP_MB): Promise<ParsedImport> {
  const run = queue.then(() => once(job, heapMb));
  queue = run.catch(() => undefined);
  return run;
}
