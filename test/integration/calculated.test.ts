// A calculated indicator end to end: the demo council on a real database with a percentage defined
// from two counts; its inputs typed through Slack's real HTTP endpoint (signed requests, the fake
// Slack) — the percentage is worked out when the second arrives, saved as calculated, evaluated by
// evaluate-statuses like any value, shown with its inputs, and typing a value for it is refused.
import { beforeAll, describe, expect, it } from 'vitest';
import { backends, type TestDatabase } from '../support/db.ts';
import { TestClock } from '../support/app.ts';
import { slackId, useSlackDemo, type SlackHarness } from '../support/slack-app.ts';
import type { RecordedCall } from '../support/fake-slack.ts';
import { PrismaRepository } from '../../src/repo/prisma-repository.ts';
import { registerSchema } from '../../src/register/types.ts';
import { evaluateStatuses } from '../../jobs/evaluate-statuses.ts';

const PRIYA = slackId('Priya'); // performance admin
const textOf = (c: RecordedCall) => JSON.stringify(c.args);

/** Repairs done on time, repairs done, and the share on time (target 90%): the share is calculated. */
const REPAIRS = registerSchema.parse({
  indicators: [
    { slug: 'repairs-on-time', name: 'Repairs completed on time', unit: 'number', polarity: 'higher', frequency: 'quarterly', decimals: 0 },
    { slug: 'repairs-completed', name: 'Repairs completed', unit: 'number', polarity: 'none', frequency: 'quarterly', decimals: 0 },
    {
      slug: 'repairs-on-time-rate',
      name: 'Percentage of repairs completed on time',
      unit: '%',
      polarity: 'higher',
      frequency: 'quarterly',
      decimals: 1,
      formula: 'repairs-on-time / repairs-completed * 100',
      targets: [{ periodKey: '2017/18 Q3', value: 90 }],
    },
  ],
});

describe.each(backends('pglite'))('a calculated indicator through Slack on %s', (backend) => {
  const clock = new TestClock(new Date('2018-02-05T09:00:00Z'));
  const app = useSlackDemo(backend, clock, {
    prepare: async (db) => {
      await new PrismaRepository(db.prisma).writeRegister(REPAIRS, { source: 'test', at: clock.now(), actorId: null, actorLabel: 'test' });
    },
  });
  let db: TestDatabase;
  let s: SlackHarness;
  beforeAll(() => {
    ({ db, s } = app);
  });

  it('works the percentage out when its inputs are submitted, evaluates its status, shows its inputs and refuses a typed value', async () => {
    const rate = await db.prisma.indicator.findUniqueOrThrow({ where: { slug: 'repairs-on-time-rate' } });
    await s.slash(PRIYA, 'submit repairs-on-time 2017/18-Q3 1,740');
    expect(textOf(await s.fake.waitFor('response_url'))).toContain('Saved *1,740* for *repairs-on-time*');
    expect(await db.prisma.observation.count({ where: { indicatorId: rate.id } })).toBe(0);
    s.fake.reset();
    await s.slash(PRIYA, 'submit repairs-completed 2017/18-Q3 2,000');
    expect(textOf(await s.fake.waitFor('response_url'))).toContain('Saved *2,000* for *repairs-completed*');

    const saved = await db.prisma.observation.findFirstOrThrow({ where: { indicatorId: rate.id, latest: true } });
    expect([saved.periodKey, saved.value.toNumber(), saved.source, saved.submittedByLabel, saved.note]).toEqual([
      '2017/18 Q3', 87, 'calculated', 'calculated from repairs-on-time, repairs-completed', 'repairs-on-time 1,740; repairs-completed 2,000',
    ]);

    // Its status, as evaluate-statuses records it for every value.
    await evaluateStatuses(s.app.deps, clock.now());
    const status = (await s.app.deps.repo.latestStatusChanges([rate.id])).get(rate.id);
    expect(status).toMatchObject({ periodKey: '2017/18 Q3', status: 'amber' });

    s.fake.reset();
    await s.slash(PRIYA, 'show repairs-on-time-rate', { channel: 'C0PERF' });
    const shown = textOf(await s.fake.waitFor('chat.postMessage', (c) => c.args.channel === 'C0PERF'));
    expect(shown).toContain('Amber: 87% against a target of 90% (amber down to 81%).');
    expect(shown).toContain('*Calculated* as `repairs-on-time / repairs-completed * 100` · 2017/18 Q3 (Oct–Dec 2017): `repairs-on-time` 1,740, `repairs-completed` 2,000');

    s.fake.reset();
    await s.slash(PRIYA, 'submit repairs-on-time-rate 2017/18-Q3 95');
    const refused = textOf(await s.fake.waitFor('response_url'));
    expect(refused).toContain('Not saved: repairs-on-time-rate is calculated');
    expect(refused).toContain('Give the values of `repairs-on-time` and `repairs-completed` instead');
    expect(await db.prisma.observation.count({ where: { indicatorId: rate.id } })).toBe(1);
  });
});
