// A chart-drawing thread (see pool.ts): draws each spec it is sent with the one ChartRenderer and
// sends the PNG back without copying it.
import { parentPort } from 'node:worker_threads';
import { createChartRenderer } from './render.ts';
import type { ChartSpec, RenderOptions } from './spec.ts';
import { lowerThisThreadPriority } from '../workers/priority.ts';

export interface ChartJob {
  id: number;
  spec: ChartSpec;
  opts?: RenderOptions;
}

export type ChartReply =
  | { id: number; ok: true; png: ArrayBuffer; altText: string; width: number; height: number; filename: string }
  | { id: number; ok: false; message: string; name: string };

// Drawing yields to the thread that acknowledges requests when the machine is busy.
lowerThisThreadPriority(5);
const renderer = createChartRenderer();
const port = parentPort!;

port.on('message', (job: ChartJob) => {
  renderer.render(job.spec, job.opts).then(
    (chart) => {
      const png = chart.png.buffer.byteLength === chart.png.byteLength ? (chart.png.buffer as ArrayBuffer) : new Uint8Array(chart.png).buffer;
      const reply: ChartReply = { id: job.id, ok: true, png, altText: chart.altText, width: chart.width, height: chart.height, filename: chart.filename };
      port.postMessage(reply, [png]);
    },
    (e: unknown) => {
      const err = e instanceof Error ? e : new Error(String(e));
      port.postMessage({ id: job.id, ok: false, message: err.message, name: err.name } satisfies ChartReply);
    },
  );
});
