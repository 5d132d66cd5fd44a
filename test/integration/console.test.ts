// The local console on the demo organisation: the same handlers as Slack, as readable text.
import { existsSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { backends, type TestDatabase } from '../support/db.ts';
import { TestClock, useConsoleDemo, type ConsoleHarness } from '../support/app.ts';

describe.each(backends('pglite'))('console on %s', (backend) => {
  const clock = new TestClock(new Date('2018-02-05T09:00:00Z'));
  const app = useConsoleDemo(backend, clock);
  let db: TestDatabase;
  let con: ConsoleHarness;
  beforeAll(() => {
    ({ db, con } = app);
  });

  it('answers /kpi help with the commands', async () => {
    const out = await con.type('/kpi help');
    expect(out).toContain('/kpi submit <indicator> [period] <value>');
    expect(out).toContain('/kpi show <indicator>');
  });

  it('shows an indicator with its explanation, table and a chart written as PNG', async () => {
    const out = await con.type('/kpi show sickness-absence');
    expect(out).toContain('Red: 10.49 days against a target of 8.5 days (amber up to 9.35 days); declining from 10.18 days in Q2.');
    expect(out).toMatch(/2017\/18 Q3\s+10.49 days\s+8.5 days\s+Red/);
    const chart = /Chart: (\S+\.png)/.exec(out)?.[1];
    expect(chart && existsSync(chart)).toBe(true);
    expect(readFileSync(chart!).subarray(1, 4).toString()).toBe('PNG');
  });

  it('lets the owner submit inline, and tells someone else who owns it', async () => {
    const ind = await db.prisma.indicator.findUniqueOrThrow({ where: { slug: 'street-cleanliness' } });
    await db.prisma.target.create({ data: { indicatorId: ind.id, periodKey: '2017/18 Q4', periodStart: new Date('2018-01-01'), periodEnd: new Date('2018-03-31'), value: 85, amberFloor: 82 } });
    expect(await con.type('as Gareth Lloyd')).toContain('You are Gareth Lloyd');
    const saved = await con.type('/kpi submit street-cleanliness 2017/18 Q4 81.5 est spring survey');
    expect(saved).toContain('Saved 81.5% (estimated) for street-cleanliness, 2017/18 Q4 (Jan–Mar 2018).');
    expect(saved).toContain('Red: 81.5% (estimated) against a target of 85% (amber down to 82%)');
    // Q4 is still running on the demo's date: the report is due with its value.
    expect(saved).toContain('will be due for 2017/18 Q4 by 30 Apr 2018, with its value');
    expect(await con.type('as emma.walsh@trafford.example')).toContain('Emma Walsh');
    expect(await con.type('/kpi submit street-cleanliness 2017/18 Q4 90')).toContain('only the owner (Gareth Lloyd), their deputy or a performance admin');
  });

  it('prints what a command queued for someone else at once, by name, its buttons pressable: a due date moved and approved', async () => {
    await con.type('as Olu Adeyemi');
    const asked = await con.type('/kpi update CIP-WS1 due 31 May 2018 partners asked for more time to consult');
    expect(asked).toContain('Sent to the theme’s director to approve: move CIP-WS1 from 31 Mar 2018 to 31 May 2018.');
    expect(asked).toContain('--- DM to Sarah Whitfield ---');
    expect(asked).toMatch(/\[1\] Approve\s+\[2\] Return/);
    await con.type('as Sarah Whitfield');
    const approved = await con.type('1');
    expect(approved).toContain('✅ Approved: move CIP-WS1 from 31 Mar 2018 to 31 May 2018.');
    expect(approved).toContain('--- DM to Olu Adeyemi ---');
    expect(await con.type('/kpi actions CIP-WS1')).toContain('due 31 May 2018 (first due 31 Mar 2018)');
  });

  it('fills in a form at the prompt and asks before correcting a value', async () => {
    await con.type('as Gareth Lloyd');
    let out = await con.type('/kpi submit');
    expect(out).toContain('Submit a value');
    expect(out).toMatch(/Indicator: $/);
    await con.type('street-cleanliness');
    expect(await con.type('2017/18 Q4')).toMatch(/Value: $/);
    await con.type('83');
    await con.type('');
    out = await con.type('corrected after re-survey');
    expect(out).toContain('already has 81.5% for street-cleanliness (version 1');
    // The note is the reason for the correction unless another is typed.
    expect(out).toMatch(/Reason \(optional\) \[corrected after re-survey\]: $/);
    out = await con.type('survey data arrived');
    expect(out).toContain('Corrected street-cleanliness for 2017/18 Q4 (Jan–Mar 2018): 81.5% → 83%. Version 2');
    const versions = await db.prisma.observation.findMany({ where: { periodKey: '2017/18 Q4', indicator: { slug: 'street-cleanliness' } }, orderBy: { version: 'asc' } });
    expect(versions.map((v) => [v.version, v.value.toNumber(), v.latest])).toEqual([
      [1, 81.5, false],
      [2, 83, true],
    ]);
  });
});
