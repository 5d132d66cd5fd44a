// The import thread (see off-thread.ts): reads and checks one file, sends back what it found or the
// error, and ends. It runs at a lower priority than the thread that acknowledges requests.
import { parentPort, workerData } from 'node:worker_threads';
import { lowerThisThreadPriority } from '../workers/priority.ts';
import { isUserError } from '../errors.ts';
import { parseImportFile, type ParseJob, type ParseReply } from './parse.ts';

lowerThisThreadPriority(10);
const job = workerData as ParseJob;
parseImportFile({ name: job.name, bytes: job.bytes }, job.known, job.opts).then(
  (parsed) => parentPort!.postMessage({ ok: true, parsed } satisfies ParseReply),
  (e: unknown) => {
    const err = e instanceof Error ? e : new Error(String(e));
    parentPort!.postMessage({ ok: false, message: err.message, user: isUserError(err), stack: err.stack ?? '' } satisfies ParseReply);
  },
);
