// The dispatcher's database policy on the memory repository: a handler that keeps failing because
// the database is unavailable is retried for the budget, then the person is told plainly that nothing
// was saved, with what they sent.
import { describe, expect, it } from 'vitest';
import { useBot, said } from '../../support/bot.ts';
import { createDispatcher } from '../../../commands/dispatch.ts';

describe('dispatcher', () => {
  const b = useBot();

  it('tells the person nothing was saved, with the command they sent, when the database stays unavailable', async () => {
    const unavailable = Object.assign(new Error("Can't reach database server"), { code: 'P1001' });
    const repo = new Proxy(b.repo, { get: (t, k) => (k === 'saveObservation' ? () => Promise.reject(unavailable) : Reflect.get(t, k, t)) });
    const d = createDispatcher({ ...b.deps, repo }, { databaseRetry: { budgetMs: 0 } });
    const r = await d.slash(b.as(b.council.owner), `/kpi submit ${b.council.absence.slug} 2017/18 Q4 8.2`);
    expect(said(r)).toContain('Not saved: the database is unavailable.');
    expect(said(r)).toContain(`submit ${b.council.absence.slug} 2017/18 Q4 8.2`);
  });
});
