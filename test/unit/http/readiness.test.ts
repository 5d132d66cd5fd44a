// /readyz: ready when the database answers in time (whatever the platforms lack), not ready — 503 —
// when it fails or is slow; what each platform lacks and how many messages are held, said in full.
import { describe, expect, it } from 'vitest';
import { readiness } from '../../../src/http/readiness.ts';

const slack = { name: 'slack', readiness: () => ({ missingScopes: [{ scope: 'channels:history', breaks: '…', fix: '…' }] }) };

describe('readiness', () => {
  it('is ready with the database answering, and says what a platform lacks and what is held', async () => {
    expect(await readiness({ heldMessages: async () => 2, platforms: [slack] })).toEqual({
      ready: true,
      database: { reachable: true },
      outbox: { held: 2 },
      slack: { missingScopes: [{ scope: 'channels:history', breaks: '…', fix: '…' }] },
    });
  });

  it('is not ready when the database fails or does not answer in time', async () => {
    const failed = await readiness({ heldMessages: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432\nat …')), platforms: [slack] });
    expect(failed).toMatchObject({ ready: false, database: { reachable: false, error: 'connect ECONNREFUSED 127.0.0.1:5432' } });
    expect(failed.outbox).toBeUndefined();
    const t0 = performance.now();
    const slow = await readiness({ heldMessages: () => new Promise<number>(() => {}), platforms: [] }, 50);
    expect(slow).toEqual({ ready: false, database: { reachable: false, error: 'the database did not answer within 50 ms' } });
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('is not ready while the process is stopping, however well the database answers, and tells what the database did', async () => {
    const seen: boolean[] = [];
    const r = await readiness({ heldMessages: async () => 0, platforms: [], stopping: () => true, databaseAnswered: (up) => void seen.push(up) });
    expect(r).toEqual({ ready: false, stopping: true, database: { reachable: true }, outbox: { held: 0 } });
    await readiness({ heldMessages: () => Promise.reject(new Error('\nInvalid `prisma.outboundMessage.count()` invocation:\n\nCan\'t reach database server')), platforms: [], databaseAnswered: (up) => void seen.push(up) })
      .then((down) => expect(down.database.error).toBe('Invalid `prisma.outboundMessage.count()` invocation:'));
    expect(seen).toEqual([true, false]);
  });
});
