// Small helpers for benchmarks: percentiles, timing, a printed table.
export function percentile(values: number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export const median = (v: number[]) => percentile(v, 50);

export async function time<T>(fn: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const t0 = performance.now();
  const result = await fn();
  return { ms: performance.now() - t0, result };
}

export interface Row {
  measure: string;
  value: string;
  ratio: string;
  note?: string;
}

export const rows: Row[] = [];

export function record(measure: string, ms: number, ratio: string, note = ''): void {
  const r = { measure, value: ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms < 10 ? 2 : 1)} ms`, ratio, note };
  rows.push(r);
  console.log(`  ${r.measure}: ${r.value}  ${r.ratio}${r.note ? `  (${r.note})` : ''}`);
}

export function recordText(measure: string, value: string, ratio: string, note = ''): void {
  rows.push({ measure, value, ratio, note });
  console.log(`  ${measure}: ${value}  ${ratio}${note ? `  (${note})` : ''}`);
}

export function table(): string {
  const lines = ['| measure | value | ratio | note |', '|---|---:|---|---|'];
  for (const r of rows) lines.push(`| ${r.measure} | ${r.value} | ${r.ratio} | ${r.note ?? ''} |`);
  return lines.join('\n');
}

/** Peak resident set size while `fn` runs, sampled every 20 ms. */
export async function peakRss<T>(fn: () => Promise<T>): Promise<{ peak: number; result: T }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  try {
    const result = await fn();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { peak, result };
  } finally {
    clearInterval(timer);
  }
}
