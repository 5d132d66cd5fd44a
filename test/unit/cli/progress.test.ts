// The import progress bar: drawn on a terminal only, redrawn at most ten times a second, cleared at the end.
import { describe, expect, it } from 'vitest';
import { progressBar } from '../../../src/cli/progress.ts';
import { TestClock } from '../../support/clock.ts';

function stream(isTTY: boolean) {
  const written: string[] = [];
  return { written, s: { isTTY, write: (x: string) => written.push(x) } as unknown as NodeJS.WriteStream };
}

describe('progress bar', () => {
  it('draws the share done and the rows, and clears its line', () => {
    const { written, s } = stream(true);
    const clock = new TestClock(new Date('2018-02-05T09:00:00Z'));
    const bar = progressBar('Importing', s, clock);
    bar.update(2500, 10_000);
    clock.advance(99);
    bar.update(2600, 10_000); // within 100 ms of the last draw: skipped
    bar.update(10_000, 10_000); // the end is always drawn
    bar.stop();
    expect(written).toEqual([
      `\rImporting [${'#'.repeat(8)}${'.'.repeat(22)}]  25% 2,500/10,000 rows`,
      `\rImporting [${'#'.repeat(30)}] 100% 10,000/10,000 rows`,
      '\r\x1b[K',
    ]);
  });

  it('writes nothing when output is not a terminal', () => {
    const { written, s } = stream(false);
    const bar = progressBar('Importing', s);
    bar.update(1, 2);
    bar.stop();
    expect(written).toEqual([]);
  });
});
