// Values for periods that have not begun are refused everywhere a value comes in — the inline
// command, the form (a Slack modal; a Teams card goes through the same dispatcher call), a forged or
// stale confirmation, an exception report, an import by chat or CLI — with the same message; a
// target may be set ahead. A future value already stored (before this rule) is never taken as the
// latest by show or list.
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { backends, type TestDatabase } from '../support/db.ts';
import { TestClock } from '../support/app.ts';
import { slackId, useSlackDemo, type SlackHarness } from '../support/slack-app.ts';
import { buttonPress, viewSubmission } from '../support/slack-payloads.ts';
import { runKpi } from '../support/cli.ts';
import { periodFromKey } from '../../src/domain/periods.ts';

const LUCY = slackId('Lucy'); // owner of sickness-absence (quarterly)
const FUTURE = '2031/32 Q4';
const REFUSAL = `${FUTURE} has not started yet (today is 20 Apr 2018). Values can be given once a period has begun.`;

describe.each(backends('both'))('future periods on %s', (backend) => {
  let db: TestDatabase;
  let s: SlackHarness;
  const clock = new TestClock(new Date('2018-04-20T09:00:00Z'));
  const app = useSlackDemo(backend, clock);
  beforeAll(() => {
    ({ db, s } = app);
  });
  const futureRows = () => db.prisma.observation.count({ where: { periodKey: FUTURE } });
  const said = async () => {
    await s.app.idle();
    return JSON.stringify(s.fake.calls.filter((c) => c.method === 'response_url' || c.method === 'chat.postMessage').map((c) => c.args));
  };

  it('refuses them inline, in the form, in a card, in a forged confirmation and for an exception report, in the same words', async () => {
    await s.slash(LUCY, `submit sickness-absence ${FUTURE} 8.1`);
    expect(await said()).toContain(REFUSAL);

    const ind = (await db.prisma.indicator.findUniqueOrThrow({ where: { slug: 'sickness-absence' } })).id;
    const form = await s.interact(viewSubmission(LUCY, 'submit', { indicator: { v: { type: 'external_select', selected_option: { value: String(ind) } } }, period: { v: { type: 'plain_text_input', value: FUTURE } }, value: { v: { type: 'plain_text_input', value: '8.1' } } }));
    expect(JSON.stringify(form.json)).toContain(REFUSAL);

    // A Teams card's Save calls the same dispatcher with the card's values.
    const lucy = (await db.prisma.person.findFirstOrThrow({ where: { identities: { some: { platform: 'slack', platformUserId: LUCY } } } }))!;
    const person = (await s.app.deps.repo.person(lucy.id))!;
    const card = await s.app.dispatcher.submitForm({ platform: 'teams', userId: 'aad-lucy', person }, 'submit', '{}', { indicator: String(ind), period: FUTURE, value: '8.1' });
    expect(card).toEqual({ kind: 'form-errors', errors: { period: REFUSAL } });

    s.fake.reset();
    const forged = { indicatorId: ind, periodKey: FUTURE, value: 8.1, estimated: false, provisional: false, note: null, replacesVersion: null };
    await s.interact(buttonPress(LUCY, 'confirm-correction', JSON.stringify(forged)));
    expect(await said()).toContain(REFUSAL);
    const confirmForm = await s.interact(viewSubmission(LUCY, 'confirm-correction', { reason: { v: { type: 'plain_text_input', value: 'because' } } }, JSON.stringify(forged)));
    expect(JSON.stringify(confirmForm.json)).toContain(REFUSAL);

    s.fake.reset();
    await s.interact(buttonPress(LUCY, 'open-exception', JSON.stringify({ indicatorId: ind, periodKey: FUTURE })));
    expect(await said()).toContain(REFUSAL);
    const report = await s.interact(viewSubmission(LUCY, 'exception', { q0: { v: { type: 'plain_text_input', value: 'Staff were off sick all winter.' } } }, JSON.stringify({ indicatorId: ind, periodKey: FUTURE })));
    expect(report.status).toBe(200);
    expect(await said()).toContain(REFUSAL);
    expect(await db.prisma.exceptionReport.count({ where: { periodKey: FUTURE } })).toBe(0);
    expect(await futureRows()).toBe(0);
  });

  it('refuses them in an import (nothing written), but takes a target set ahead', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kpi-future-'));
    const values = path.join(dir, 'values.csv');
    writeFileSync(values, `Indicator,Period,Actual,Target\nsickness-absence,2017/18 Q3,9.9,\nsickness-absence,${FUTURE},8.1,\n`);
    const r = await runKpi(db, ['import', values]);
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).toContain(`${FUTURE} has not started yet`);
    expect(r.stdout + r.stderr).toContain('Values can be given once a period has begun.');
    expect(await futureRows()).toBe(0);
    expect(await db.prisma.observation.count({ where: { periodKey: '2017/18 Q3', value: 9.9 } })).toBe(0); // all or nothing

    const targets = path.join(dir, 'targets.csv');
    writeFileSync(targets, `Indicator,Period,Target\nsickness-absence,${FUTURE},7.5\n`);
    const t = await runKpi(db, ['import', targets]);
    expect(t.code, t.stdout + t.stderr).toBe(0);
    expect(await db.prisma.target.count({ where: { periodKey: FUTURE } })).toBe(1);
  });

  it('never takes a future value already stored as the latest: show and list red still see the real one', async () => {
    s.fake.reset();
    await s.slash(LUCY, 'list red');
    const redBefore = await said();
    const slug = /\*\*([a-z0-9-]+)\*\*/.exec(redBefore.replace(/\\"/g, '"'))?.[1] ?? /`([a-z0-9-]+)`/.exec(redBefore)?.[1];
    expect(slug).toBeTruthy();
    const ind = await db.prisma.indicator.findUniqueOrThrow({ where: { slug: slug! } });
    const p = periodFromKey(ind.frequency === 'quarterly' ? FUTURE : ind.frequency === 'monthly' ? '2031-12' : '2031/32');
    // Saved before future periods were refused: straight into the table.
    await db.prisma.observation.create({ data: { indicatorId: ind.id, periodKey: p.key, periodStart: new Date(p.start), periodEnd: new Date(p.end), version: 1, latest: true, value: 1, source: 'test', submittedByLabel: 'old version', submittedAt: clock.now() } });
    s.fake.reset();
    await s.slash(LUCY, 'list red');
    expect(await said()).toContain(slug!);
    s.fake.reset();
    await s.slash(LUCY, `show ${slug}`);
    const shown = await said();
    expect(shown).not.toContain(p.key);
    expect(shown).toContain('*Status*\\n🔴 Red');
  });
});
