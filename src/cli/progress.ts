// A one-line progress bar on stderr for long CLI work (large imports). Only on a terminal: piped or
// redirected output stays clean. Redrawn at most ten times a second.
import { systemClock, type Clock } from '../ports.ts';

export interface Progress {
  update(done: number, total: number): void;
  stop(): void;
}

const noop: Progress = { update() {}, stop() {} };

export function progressBar(label: string, stream: NodeJS.WriteStream = process.stderr, clock: Clock = systemClock): Progress {
  if (!stream.isTTY) return noop;
  const width = 30;
  let last = 0;
  let drawn = false;
  const draw = (done: number, total: number) => {
    const share = total > 0 ? Math.min(1, done / total) : 0;
    const filled = Math.round(share * width);
    stream.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.round(share * 100)).padStart(3)}% ${done.toLocaleString('en-GB')}/${total.toLocaleString('en-GB')} rows`);
    drawn = true;
  };
  return {
    update(done, total) {
      const now = clock.now().getTime();
      if (done < total && now - last < 100) return;
      last = now;
      draw(done, total);
    },
    stop() {
      if (drawn) stream.write('\r\x1b[K');
    },
  };
}
