import { describe, expect, it } from 'vitest';
import { BackgroundWork } from '../../../src/platforms/core/background.ts';

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};

describe('BackgroundWork', () => {
  it('runs at most `concurrency` jobs at once, the rest in arrival order', async () => {
    const work = new BackgroundWork(2);
    const gates = Array.from({ length: 5 }, deferred);
    const started: number[] = [];
    const done = gates.map((g, i) =>
      work.run(async () => {
        started.push(i);
        await g.promise;
        return i;
      }),
    );
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual([0, 1]);
    gates[1]!.resolve();
    await done[1];
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual([0, 1, 2]);
    for (const g of gates) g.resolve();
    expect(await Promise.all(done)).toEqual([0, 1, 2, 3, 4]);
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(work.size).toBe(0);
  });

  it('never starts a job in the caller\'s turn of the event loop, so waiting requests go first', async () => {
    const work = new BackgroundWork(4);
    let ran = false;
    const job = work.run(async () => void (ran = true));
    for (let i = 0; i < 20; i++) await Promise.resolve();
    expect(ran).toBe(false);
    await job;
    expect(ran).toBe(true);
  });

  it('passes a failure to its caller and keeps going', async () => {
    const work = new BackgroundWork(1);
    const failing = work.run(async () => {
      throw new Error('boom');
    });
    const next = work.run(async () => 'next');
    await expect(failing).rejects.toThrow('boom');
    await expect(next).resolves.toBe('next');
  });

  it('idle() waits for every job, including jobs started while waiting', async () => {
    const work = new BackgroundWork(1);
    let finished = 0;
    void work.run(async () => {
      finished++;
      void work.run(async () => void finished++);
    });
    await work.idle();
    expect(finished).toBe(2);
  });

  it('refuses a concurrency that is not a positive integer', () => {
    expect(() => new BackgroundWork(0)).toThrow(RangeError);
    expect(() => new BackgroundWork(1.5)).toThrow(RangeError);
  });
});
