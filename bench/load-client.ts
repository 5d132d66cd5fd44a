// A load generator on its own thread (its own event loop, like Slack on another machine): sends
// pre-signed POSTs to the bot with a given concurrency and reports each acknowledgement time.
import { Worker } from 'node:worker_threads';

export interface LoadRequest {
  body: string;
  headers: Record<string, string>;
}

export interface LoadResult {
  /** Acknowledgement time of each request, in ms, in completion order. */
  ms: number[];
  /** Requests not answered 200. */
  failures: number;
}

// Plain JavaScript, evaluated in the worker: it needs nothing but fetch.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { url, requests, concurrency } = workerData;
const ms = [];
let failures = 0;
let next = 0;
async function worker() {
  while (next < requests.length) {
    const r = requests[next++];
    const t0 = performance.now();
    try {
      const res = await fetch(url, { method: 'POST', headers: r.headers, body: r.body });
      await res.arrayBuffer();
      if (res.status !== 200) failures++;
    } catch {
      failures++;
    }
    ms.push(performance.now() - t0);
  }
}
Promise.all(Array.from({ length: concurrency }, worker)).then(() => parentPort.postMessage({ ms, failures }));
`;

export function runLoad(url: string, requests: LoadRequest[], concurrency: number): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const w = new Worker(WORKER, { eval: true, workerData: { url, requests, concurrency } });
    w.once('message', (r: LoadResult) => {
      resolve(r);
      void w.terminate();
    });
    w.once('error', reject);
  });
}
