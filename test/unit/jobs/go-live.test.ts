// Going live: a council's first four weeks of chases, run as the scheduler runs them (chase-data at
// 09:00, chase-exceptions at 09:30, Monday to Friday) on the demo and on examples/register-sample.xlsx
// imported into an empty register, everyone reachable. What main did before go-live existed
// (measured with the same simulation at 5b6cc6b): on the demo, 39 items to 6 owners on day one —
// 2016/17 annual values "142 working days overdue" and 2017/18 Q2 values whose Q3 was in — and in
// week four 14 items to all six directors ("the owner and deputy have not responded (reminder 5)").
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { botServices, useBot } from '../../support/bot.ts';
import { linkEveryone, simulateChases } from '../../support/chase-simulation.ts';
import { loadDemoInto } from '../../../src/demo/demo.ts';
import { importFile } from '../../../src/import/import.ts';
import { chaseData } from '../../../jobs/chase-data.ts';
import { chaseExceptions } from '../../../jobs/chase-exceptions.ts';
import { settings } from '../../../commands/settings.ts';
import { said } from '../../support/bot.ts';
import { xlsx } from '../../support/workbooks.ts';

const SAMPLE = path.resolve(import.meta.dirname, '../../../examples/register-sample.xlsx');

async function sampleImportedOn(day: string) {
  const b = botServices({ now: `${day}T08:00:00Z` });
  const r = await importFile(b.repo, { name: 'register-sample.xlsx', bytes: readFileSync(SAMPLE) }, { dryRun: false, reason: null, actor: { personId: null, label: 'cli', isAdmin: true }, at: b.clock.now(), readOn: 'this-thread' });
  expect(r.issues).toEqual([]);
  await linkEveryone(b.repo, b.clock.now());
  return b;
}

const textOf = (m: { message: unknown }) => JSON.stringify(m.message);

describe('the first four weeks of chases', () => {
  it('on the demo (from Monday 15 January 2018): nothing chased on day one, one summary to each owner of what is really due, no director escalated', async () => {
    const b = botServices({ now: '2018-01-15T08:00:00Z' });
    await loadDemoInto(b.repo, b.clock.now());
    await linkEveryone(b.repo, b.clock.now());
    const weeks = await simulateChases(b, '2018-01-15', 4);
    // Day one: the demo collects from 2017/18 Q3, whose values are due on 30 January (main: 39 items to 6 owners).
    expect(weeks.items('data', '2018-01-15')).toEqual({ owner: 0, deputy: 0, director: 0, people: 0 });
    expect(weeks.items('exception', '2018-01-15')).toEqual({ owner: 0, deputy: 0, director: 0, people: 0 });
    // Week four: the two Q3 values not in, each to its owner (main: 14 items to all six directors).
    expect(weeks.items('data', '2018-02-05', '2018-02-09')).toEqual({ owner: 2, deputy: 0, director: 0, people: 2 });
    expect(weeks.escalatedToDirectors('data', '2018-01-15', '2018-02-09')).toEqual([]);
    expect(weeks.items('data', '2018-01-15', '2018-02-09')).toEqual({ owner: 6, deputy: 0, director: 0, people: 2 });
    // The first chase each owner gets is the short summary, on the day the values fall due.
    const [first, ...later] = b.outbox.messages('chase-data');
    expect(first!.key).toMatch(/^chase-data:2018-01-30:/);
    expect(textOf(first!)).toContain('Values are collected from **2017/18 Q3** on');
    expect(textOf(first!)).toMatch(/2017\/18 Q3, due 30 Jan 2018 \(due today\): \*\*(benefit-claimants|falls-injuries)\*\*/);
    expect(later.filter((m) => textOf(m).includes('👋'))).toHaveLength(1);
  });

  it('on the sample register imported on Monday 3 November 2025: its values are in, so only exception reports are chased, from when they are due', async () => {
    const b = await sampleImportedOn('2025-11-03');
    const weeks = await simulateChases(b, '2025-11-03', 4);
    // main: 2 data items on day one (the 2024/25 annual values of two measures reported annually), and 2 directors told in week four.
    expect(weeks.items('data', '2025-11-03', '2025-11-28')).toEqual({ owner: 0, deputy: 0, director: 0, people: 0 });
    // main: 3 exception reports on day one, one of them for reablement, whose Q2 is not due until 14 November.
    expect(weeks.items('exception', '2025-11-03')).toEqual({ owner: 2, deputy: 0, director: 0, people: 2 });
    expect(weeks.days.find((d) => d.kind === 'exception' && d.day === '2025-11-14')!.recipients.map((r) => r.name)).toContain('Olu Adeyemi');
    // Ignored for four weeks (three reminders to the owner, one to the deputy): then, and only then, the director.
    expect(weeks.escalatedToDirectors('exception', '2025-11-03', '2025-11-21')).toEqual([]);
    expect(weeks.escalatedToDirectors('exception', '2025-11-24', '2025-11-28')).toEqual(['Richard Okafor', 'Tom Brennan']);
  });

  it('on the sample register imported on Monday 7 December 2026, a year after its last values: the last quarter is asked for once, and Christmas holds the escalation back', async () => {
    const b = await sampleImportedOn('2026-12-07');
    const weeks = await simulateChases(b, '2026-12-07', 4);
    // main: 8 data items on day one (two 2025/26 annual values among them) and 3 exception reports for a quarter of 2025/26; 8 items to 3 directors in week four.
    expect(weeks.items('data', '2026-12-07')).toEqual({ owner: 6, deputy: 0, director: 0, people: 3 });
    expect(weeks.items('exception', '2026-12-07', '2027-01-01')).toEqual({ owner: 0, deputy: 0, director: 0, people: 0 });
    expect(weeks.items('data', '2026-12-28', '2027-01-01')).toEqual({ owner: 0, deputy: 0, director: 0, people: 0 });
    // The admins were told which period the first chase chose, and how to change it.
    const told = b.outbox.messages('go-live');
    expect(told.map((m) => m.key)).toEqual([expect.stringMatching(/^go-live:2026\/27 Q2:person:\d+$/)]);
    expect(textOf(told[0]!)).toContain('/kpi settings collect-from 2026/27 Q1');
  });
});

describe('collect-from not set', () => {
  const b = useBot();

  it('the first chase records the most recent quarter that has ended, audits it, tells the admins once, and settings show it', async () => {
    expect(await chaseData(b.deps, b.clock.now())).toMatchObject({ collectFrom: '2017/18 Q3' });
    expect(await b.repo.org()).toMatchObject({ collectFrom: '2017/18 Q3', collectingSince: '2018-02-05' });
    expect(b.repo.auditLog().filter((a) => a.entityId === 'collect-from')).toMatchObject([{ action: 'settings.change', actorLabel: 'job:chase-data', details: { before: 'not set', after: '2017/18 Q3' } }]);
    await chaseExceptions(b.deps, b.clock.now());
    expect(b.outbox.messages('go-live').map((m) => m.personId)).toEqual([b.council.admin.id]);
    expect(said(await settings(b.deps, b.as(b.council.officer), ''))).toContain('Values collected from (go-live): **2017/18 Q3 on (since 5 Feb 2018): earlier periods are never chased**');
  });
});

describe('collect-from in an import’s Settings sheet', () => {
  const b = useBot();

  it('is read as /kpi settings reads it, collection counting from the day of the import; the same file again changes nothing', async () => {
    const file = { name: 'settings.xlsx', bytes: await xlsx({ Settings: [['Setting', 'Value'], ['Go-live', '2017/18 Q3'], ['Bank holidays', 'Scotland']] }) };
    const by = { dryRun: false, reason: null, actor: { personId: null, label: 'cli', isAdmin: true }, at: b.clock.now(), readOn: 'this-thread' as const };
    expect((await importFile(b.repo, file, by)).summary?.organisation).toEqual({ created: 0, updated: 1 });
    expect(await b.repo.org()).toMatchObject({ collectFrom: '2017/18 Q3', collectingSince: '2018-02-05', bankHolidays: 'scotland' });
    b.clock.advance(7 * 86_400_000);
    expect((await importFile(b.repo, file, { ...by, at: b.clock.now() })).summary?.organisation).toEqual({ created: 0, updated: 0 });
    expect((await b.repo.org()).collectingSince).toBe('2018-02-05');
  });
});
