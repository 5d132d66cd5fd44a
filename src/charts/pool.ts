// Charts drawn off the main thread. Chart.js draws synchronously (~25 ms a trend chart, ~100 ms
// small multiples): on the thread that reads and acknowledges requests, a digest's fifty charts
// would hold up every acknowledgement behind them. The pool keeps `size` drawing threads
// (src/charts/worker.ts), started when the first chart is asked for; charts wait their turn in
// order. A thread that dies fails only the chart it was drawing, and a new one takes its place.
import type { Worker } from 'node:worker_threads';
import type { ChartRenderer, ChartSpec, RenderedChart, RenderOptions } from './spec.ts';
import type { ChartJob, ChartReply } from './worker.ts';
import { startWorker } from '../workers/start.ts';

export interface ChartPool extends ChartRenderer {
  /** Stop the drawing threads; charts still waiting fail. */
  close(): Promise<void>;
}

interface Pending {
  job: ChartJob;
  resolve(chart: RenderedChart): void;
  reject(e: Error): void;
}

interface Slot {
  worker: Worker;
  current: Pending | null;
}

export function createChartPool(opts: { size?: number } = {}): ChartPool {
  const size = opts.size ?? 1;
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`chart pool size must be a positive integer, not ${size}`);
  const queue: Pending[] = [];
  const slots: Slot[] = [];
  let seq = 0;
  let closed = false;

  function spawn(): Slot {
    const slot: Slot = { worker: startWorker(new URL('./worker.ts', import.meta.url)), current: null };
    slot.worker.on('message', (reply: ChartReply) => {
      const p = slot.current;
      if (!p || p.job.id !== reply.id) return;
      slot.current = null;
      if (reply.ok) p.resolve({ png: Buffer.from(reply.png), altText: reply.altText, width: reply.width, height: reply.height, filename: reply.filename });
      else p.reject(Object.assign(new Error(reply.message), { name: reply.name }));
      pump();
    });
    const lost = (why: string) => {
      const i = slots.indexOf(slot);
      if (i < 0) return;
      slots.splice(i, 1);
      const p = slot.current;
      slot.current = null;
      p?.reject(new Error(`the chart-drawing thread stopped (${why})`));
      if (!closed) pump();
    };
    slot.worker.on('error', (e) => lost(e.message));
    slot.worker.on('exit', (code) => lost(`exit code ${code}`));
    // An idle thread does not keep the process alive; one drawing a chart does.
    slot.worker.unref();
    slots.push(slot);
    return slot;
  }

  function pump(): void {
    while (queue.length) {
      const slot = slots.find((s) => !s.current) ?? (slots.length < size ? spawn() : null);
      if (!slot) return;
      const p = queue.shift()!;
      slot.current = p;
      slot.worker.ref();
      slot.worker.postMessage(p.job);
    }
    for (const s of slots) if (!s.current) s.worker.unref();
  }

  return {
    render(spec: ChartSpec, renderOpts?: RenderOptions): Promise<RenderedChart> {
      if (closed) return Promise.reject(new Error('the chart renderer is closed'));
      return new Promise((resolve, reject) => {
        queue.push({ job: { id: ++seq, spec, ...(renderOpts ? { opts: renderOpts } : {}) }, resolve, reject });
        pump();
      });
    },
    async close() {
      closed = true;
      const stopped = new Error('the chart renderer is closed');
      for (const p of queue.splice(0)) p.reject(stopped);
      const all = slots.splice(0);
      for (const s of all) s.current?.reject(stopped);
      await Promise.all(all.map((s) => s.worker.terminate()));
    },
  };
}
