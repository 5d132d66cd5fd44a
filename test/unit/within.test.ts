// src/within.ts: work given a deadline — its value in time, the stand-in after, no timer left behind.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { within } from '../../src/within.ts';

describe('within', () => {
  afterEach(() => vi.useRealTimers());

  it('gives the work’s value when it arrives in time, and leaves no timer', async () => {
    vi.useFakeTimers();
    expect(await within(Promise.resolve('done'), 1_000, 'late')).toBe('done');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('gives the stand-in once the deadline has passed, and the work’s failure when it fails first', async () => {
    vi.useFakeTimers();
    const late = within(new Promise<string>(() => {}), 1_000, 'late');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await late).toBe('late');
    await expect(within(Promise.reject(new Error('broke')), 1_000, 'late')).rejects.toThrow('broke');
    expect(vi.getTimerCount()).toBe(0);
  });
});
