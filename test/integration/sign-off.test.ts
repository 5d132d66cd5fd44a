// Sign-off holds, on the demo organisation through the console (PGlite): a value entered after
// /kpi close-quarter for a period the quarter's report covers — the annual 2017/18 value of an
// indicator reported annually — leaves the signed-off report as it was and is listed apart as after
// sign-off (an officer is refused, a performance admin gives a reason); and a correction of the value
// an approved exception report explains puts it back to "needs update": owner told, chased, shown.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { backends, type TestDatabase } from '../support/db.ts';
import { TestClock, useConsoleDemo, type ConsoleHarness } from '../support/app.ts';
import { chaseExceptions } from '../../jobs/chase-exceptions.ts';
import { evaluateStatuses } from '../../jobs/evaluate-statuses.ts';

const fileIn = (out: string) => readFileSync(/File: (\S+\.md)/.exec(out)![1]!, 'utf8');
/** The summary's counts table: indicators, reported, annual, no value yet, Green, Amber, Red, no target. */
const AS_SIGNED_OFF = '| 49 | 33 | 14 | 2 | 18 | 6 | 6 | 3 |';

describe.each(backends('pglite'))('an annual value after close-quarter, on the demo (%s)', (backend) => {
  // The demo's own date, Monday 15 January 2018: 2017/18 Q3 has ended, the year 2017/18 has not.
  const clock = new TestClock(new Date('2018-01-15T10:00:00Z'));
  const app = useConsoleDemo(backend, clock, 'priya.shah@trafford.example');
  let db: TestDatabase;
  let con: ConsoleHarness;
  beforeAll(() => {
    ({ db, con } = app);
  });
  const annualValues = async () =>
    db.prisma.observation.findMany({ where: { indicator: { slug: 'physical-inactivity' }, periodKey: '2017/18' }, select: { value: true, correctionReason: true, version: true } });

  it('signs off 2017/18 Q3 with its report as it stands', async () => {
    expect(await con.type('/kpi close-quarter 2017/18 Q3')).toContain('[1] Sign off 2017/18 Q3');
    expect(await con.type('1')).toContain('2017/18 Q3 is signed off by Priya Shah');
    const report = fileIn(await con.type('/kpi report 2017/18 Q3 md'));
    expect(report).toContain(AS_SIGNED_OFF);
    expect(report).toContain('this is the report as signed off. Nothing has been entered for it since.');
  });

  it('refuses the officer an annual value for the year the signed-off report covers, saying who can and how', async () => {
    await con.type('as Gareth Lloyd');
    const out = await con.type('/kpi submit physical-inactivity 2017/18 22.5');
    expect(out).toContain('2017/18 is covered by the 2017/18 Q3 report, signed off on 15 Jan 2018 by Priya Shah, and has not ended yet: its values are locked.');
    expect(out).toContain('Only a performance admin (Priya Shah) can give or change its value now, with the reason: /kpi submit physical-inactivity 2017/18 <value> <reason>');
    expect(out).toContain('Once the year has ended (31 Mar 2018), you can give its value yourself, for the year-end report.');
    expect(await annualValues()).toEqual([]);
  });

  it('takes it from a performance admin with the reason, and the report stays as signed off with the value listed after sign-off', async () => {
    await con.type('as Priya Shah');
    expect(await con.type('/kpi submit physical-inactivity 2017/18 22.5')).toContain('2017/18 is signed off: add a note after the value — for a signed-off period it is the reason for the correction.');
    expect(await con.type('/kpi submit physical-inactivity 2017/18 22.5 Active Lives survey published early')).toContain('Saved 22.5% for physical-inactivity, 2017/18.');
    expect((await annualValues()).map((v) => ({ ...v, value: Number(v.value) }))).toEqual([{ value: 22.5, correctionReason: 'Active Lives survey published early', version: 1 }]);
    expect(await db.prisma.auditLog.count({ where: { action: 'observation.correct-locked', actorLabel: { startsWith: 'console:' } } })).toBe(1);

    const report = fileIn(await con.type('/kpi report 2017/18 Q3 md'));
    // The counts, the row and the Green count as signed off: 33 reported, not 34.
    expect(report).toContain(AS_SIGNED_OFF);
    expect(report).toMatch(/\| `physical-inactivity` \| Percentage of adults [^|]+\|\s*\| 23\.9% \| _Reported annually_ \|/);
    expect(report).toContain('One change entered since is listed apart in section 5, "Changed after sign-off".');
    expect(report).toContain('## 5. Changed after sign-off');
    expect(report).toContain('| physical-inactivity | 2017/18 | value | Reported annually | 22.5% | 15 Jan 2018, 10:00 | Priya Shah | Active Lives survey published early |');
  });
});

describe.each(backends('pglite'))('a correction of the value an approved exception report explains, on the demo (%s)', (backend) => {
  const clock = new TestClock(new Date('2018-01-15T10:00:00Z'));
  const app = useConsoleDemo(backend, clock, 'priya.shah@trafford.example');
  let db: TestDatabase;
  let con: ConsoleHarness;
  beforeAll(() => {
    ({ db, con } = app);
  });
  const report = () => db.prisma.exceptionReport.findFirstOrThrow({ where: { indicator: { slug: 'street-cleanliness' }, periodKey: '2017/18 Q3' }, select: { state: true, version: true } });
  const gareth = () => db.prisma.person.findFirstOrThrow({ where: { email: 'gareth.lloyd@trafford.example' }, select: { id: true } });

  it('shows the report approved for 83.8% (Amber) with a tick before the correction', async () => {
    expect((await report()).state).toBe('approved');
    const md = fileIn(await con.type('/kpi report 2017/18 Q3 md'));
    expect(md).toMatch(/\| `street-cleanliness` \|[^\n]+\| 83\.8%\\\* \| ↓ \| A Amber \| ✓ \|/);
  });

  it('puts the report back to needs update when the value is corrected to 60% (Red), and tells its owner once', async () => {
    expect(await con.type('/kpi submit street-cleanliness 2017/18 Q3 60 KBT resurvey of all wards')).toContain('Replace it with 60%?');
    const saved = await con.type('1');
    expect(saved).toContain('Corrected street-cleanliness for 2017/18 Q3 (Oct–Dec 2017): 83.8% → 60%.');
    expect(saved).toContain('The approved exception report for 2017/18 Q3 was written for 83.8%: it now needs updating, and Gareth Lloyd has been asked to.');
    expect((await report()).state).toBe('needs_update');
    expect(await db.prisma.auditLog.count({ where: { action: 'exception.needs-update' } })).toBe(1);

    const told = await db.prisma.outboundMessage.findMany({ where: { purpose: 'exception-needs-update' }, select: { personId: true, payload: true } });
    expect(told.map((m) => m.personId)).toEqual([(await gareth()).id]);
    expect(JSON.stringify(told[0]!.payload)).toContain('needs updating: it was written for **83.8%**, and the period now has **60% (Red)**');
    // Again (the scheduled job looks at what changed): nothing new.
    await evaluateStatuses(con.app.deps, clock.now());
    expect(await db.prisma.outboundMessage.count({ where: { purpose: 'exception-needs-update' } })).toBe(1);
    expect((await report()).state).toBe('needs_update');
  });

  it('chases the owner for it again, once Q3’s value is due (30 January: exception reports are never chased for a period not yet due)', async () => {
    expect(await chaseExceptions(con.app.deps, clock.now())).toMatchObject({ people: 0 });
    clock.set(new Date('2018-01-30T09:30:00Z'));
    const summary = await chaseExceptions(con.app.deps, clock.now());
    expect(summary).toMatchObject({ people: 1 });
    const chase = await db.prisma.outboundMessage.findFirstOrThrow({ where: { purpose: 'chase-exceptions', personId: (await gareth()).id }, select: { payload: true } });
    // Gareth's first chase since go-live: the short summary, which says the report needs updating.
    expect(JSON.stringify(chase.payload)).toContain('• 🔴 Red for 2017/18 Q3 (report approved for an earlier value: needs updating): **street-cleanliness**');
    expect(JSON.stringify(chase.payload)).toContain('Update report: street-cleanliness');
  });

  it('prints it as needing an update: no tick, the old narrative marked as written for 83.8%', async () => {
    const md = fileIn(await con.type('/kpi report 2017/18 Q3 md'));
    expect(md).toMatch(/\| `street-cleanliness` \|[^\n]+\| 60% \| ↓ \| R Red \| Needs update \|/);
    expect(md).toMatch(/### 4\.\d+ The percentage of relevant land and highways assessed as Grade B or above [^\n]+ \(needs update\)\n/);
    expect(md).toContain('> ⚠️ Needs update: the answers below were written for 83.8%; 2017/18 Q3 now has 60% (Red).');
    expect(md).toContain('Performance is marginally below the SMART target of 85%');
    expect(md).toContain('1 was approved for a value or status that has since changed and needs updating (marked in section 4).');
  });
});
