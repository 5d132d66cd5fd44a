// /kpi actions and /kpi update on the memory repository: lists in the organisation's vocabulary with
// the filters people type, one action's detail, progress given inline for the quarter being reported
// (said back in full), refused for someone who is not its owner, deputy, director or an admin.
import { describe, expect, it } from 'vitest';
import { useBot, said } from '../../support/bot.ts';
import { runSlashCommand } from '../../../commands/router.ts';
import { createDispatcher } from '../../../commands/dispatch.ts';
import type { ActionFields } from '../../../src/ports.ts';
import type { Council } from '../../support/council.ts';

// The bot's clock: Monday 5 February 2018 — 2017/18 Q3 (Oct–Dec 2017) is the quarter being reported.
const actions = (c: Council): ActionFields[] => [
  { ref: 'EEP 02', kind: 'milestone', title: 'Deliver the BID Year 1 action plan', description: null, themeId: c.theme.id, ownerId: c.owner.id, deputyId: c.deputy.id, start: null, due: '2018-03-31', isKey: true, active: true, indicatorIds: [c.absence.id] },
  { ref: 'EEP 03', kind: 'milestone', title: 'Deliver the Work Programme', description: null, themeId: c.theme.id, ownerId: c.officer.id, deputyId: null, start: null, due: '2017-12-31', isKey: false, active: true, indicatorIds: [] },
  { ref: 'OP1-07', kind: 'action', title: 'Open the enterprise hub', description: null, themeId: c.theme.id, ownerId: c.owner.id, deputyId: null, start: null, due: '2018-09-30', originalDue: '2018-03-31', rephaseReason: 'Contractor went into administration', isKey: false, active: true, indicatorIds: [] },
];

describe('/kpi actions and /kpi update', () => {
  const b = useBot();
  const run = (who: Parameters<typeof b.as>[0], line: string) => runSlashCommand(b.deps, b.as(who), line);
  const seed = () => b.deps.repo.actions.upsert(actions(b.council), b.clock.now());

  it('lists every action worst first in Cheshire West’s categories, and filters off-track, re-phased, due and mine', async () => {
    await seed();
    const all = said(await run(b.council.officer, '/kpi actions'));
    expect(all).toMatch(/3 actions: 1 overdue, 1 re-phased \(over 3 months\), 1 no update yet/);
    expect(all.indexOf('EEP 03')).toBeLessThan(all.indexOf('OP1-07'));
    expect(all.indexOf('OP1-07')).toBeLessThan(all.indexOf('EEP 02'));
    expect(all).toContain('due 30 Sep 2018 (first due 31 Mar 2018)');
    expect(said(await run(b.council.officer, '/kpi actions off-track'))).not.toContain('EEP 02');
    expect(said(await run(b.council.officer, '/kpi actions off-track'))).toContain('EEP 03');
    expect(said(await run(b.council.officer, '/kpi actions re-phased'))).toMatch(/OP1-07[\s\S]*$/);
    expect(said(await run(b.council.officer, '/kpi actions re-phased'))).not.toContain('EEP 02');
    expect(said(await run(b.council.deputy, '/kpi actions mine'))).toContain('EEP 02');
    expect(said(await run(b.council.deputy, '/kpi actions mine'))).not.toContain('EEP 03');
    expect(said(await run(b.council.officer, `/kpi actions theme ${b.council.theme.name}`))).toContain('3 actions');
    expect(said(await run(b.council.officer, '/kpi actions nonsense'))).toContain('"nonsense" is not an action reference or a filter I know');
  });

  it('says a re-phased action past even its new date is overdue, still counted as re-phased', async () => {
    const c = b.council;
    await b.deps.repo.actions.upsert([{ ref: 'FR 02', kind: 'action', title: 'Review long-term absence cases', description: null, themeId: c.theme.id, ownerId: c.owner.id, deputyId: null, start: null, due: '2018-01-31', originalDue: '2017-09-30', rephaseReason: 'HR post vacant', isKey: false, active: true, indicatorIds: [] }], b.clock.now());
    const all = said(await run(c.officer, '/kpi actions'));
    expect(all).toMatch(/1 actions?: 1 re-phased \(over 3 months\)/);
    expect(all).toContain('🔴 `FR 02` Review long-term absence cases — Re-phased (over 3 months), overdue · due 31 Jan 2018 (first due 30 Sep 2017)');
    expect(said(await run(c.officer, '/kpi actions overdue'))).toContain('FR 02');
  });

  it('prints Halton’s colours when the organisation says so', async () => {
    await seed();
    await b.deps.repo.updateOrg({ actionProgress: 'colours', actionWord: 'milestone' });
    const all = said(await run(b.council.officer, '/kpi milestones'));
    expect(all).toContain('All milestones');
    expect(all).toMatch(/🔴 `EEP 03`.*Red \(no update yet\)/);
    expect(all).toMatch(/🟠 `EEP 02`.*Amber \(no update yet\)/);
    await b.deps.repo.updateOrg({ actionProgress: 'plan', actionWord: 'action' });
  });

  it('saves progress for the quarter being reported, says it in full, and a repeat changes nothing', async () => {
    await seed();
    const r = said(await run(b.council.owner, '/kpi update EEP 02 on target All outputs are on programme and on budget'));
    expect(r).toContain('✅ Saved EEP 02’s progress for 2017/18 Q3 (Oct–Dec 2017): On target.');
    expect(r).toContain('“All outputs are on programme and on budget”');
    expect(said(await run(b.council.owner, '/kpi update EEP 02 on target All outputs are on programme and on budget'))).toContain('nothing changed');
    const detail = said(await run(b.council.officer, '/kpi actions eep 02'));
    expect(detail).toContain('2017/18 Q3 (Oct–Dec 2017)**: On target — All outputs are on programme and on budget');
    expect(detail).toContain(b.council.owner.displayName);
  });

  it('keeps a new date written in the commentary as words, and says how to move the due date', async () => {
    await seed();
    const r = said(await run(b.council.owner, '/kpi update EEP 02 at risk consultation extended, now due 31 May 2018 as partners asked'));
    expect(r).toContain('✅ Saved EEP 02’s progress for 2017/18 Q3 (Oct–Dec 2017): At risk.');
    expect(r).toContain('The due date is still 31 Mar 2018. To move it to 31 May 2018: `/kpi update EEP 02 due 31 May 2018 <why>`');
    expect((await b.deps.repo.actions.byRef('EEP 02'))!.due).toBe('2018-03-31');
    // Its own due date, or words that are not a date, say nothing of the kind.
    expect(said(await run(b.council.owner, '/kpi update EEP 02 on target still due 31 March 2018'))).not.toContain('To move it');
    expect(said(await run(b.council.owner, '/kpi update EEP 02 on target due to the contractor'))).not.toContain('To move it');
  });

  it('takes the deputy, the theme’s director and an admin, refuses anyone else, and asks for a reason with bad news', async () => {
    await seed();
    expect(said(await run(b.council.deputy, '/kpi update EEP 02 at risk Funding decision delayed to March'))).toContain('At risk');
    expect(said(await run(b.council.director, '/kpi update EEP 02 2017/18 Q3 off track Funding refused'))).toContain('for 2017/18 Q3 (Oct–Dec 2017): Off track');
    expect(said(await run(b.council.admin, '/kpi update EEP 02 on target'))).toContain('Saved');
    expect(said(await run(b.council.officer, '/kpi update EEP 02 on target fine'))).toContain(`Sorry, only ${b.council.owner.displayName} (its owner), its deputy, the theme’s director or a performance admin can update EEP 02.`);
    expect(said(await run(b.council.owner, '/kpi update EEP 02 off track'))).toContain('Say why EEP 02 is off track');
    expect(said(await run(b.council.owner, '/kpi update EEP 02 going fine'))).toContain('How is EEP 02 going? Start with its progress');
    expect(said(await run(b.council.owner, '/kpi update EEP 99 on target'))).toContain('There is no action "EEP 99"');
    expect(said(await run(b.council.owner, '/kpi update EEP 02 2018/19 Q1 on target early'))).toContain('2018/19 Q1 (Apr–Jun 2018) has not begun');
    const versions = await b.deps.repo.actions.updates([(await b.deps.repo.actions.byRef('EEP 02'))!.id]);
    expect(versions.map((v) => [v.version, v.progress])).toEqual([[3, 'on_target'], [2, 'off_track'], [1, 'at_risk']]);
  });
});

describe('/kpi show with actions', () => {
  const b = useBot();
  it('lists the actions linked to the indicator with their progress', async () => {
    await b.deps.repo.actions.upsert(actions(b.council), b.clock.now());
    const shown = said(await runSlashCommand(b.deps, b.as(b.council.officer), `/kpi show ${b.council.absence.slug}`));
    expect(shown).toContain('Action on this indicator');
    expect(shown).toMatch(/⚪ `EEP 02` Deliver the BID Year 1 action plan — No update yet · due 31 Mar 2018/);
    expect(said(await runSlashCommand(b.deps, b.as(b.council.officer), `/kpi show ${b.council.visits.slug}`))).not.toContain('on this indicator');
  });
});

describe('moving a due date and "no longer viable": the director approves or returns', () => {
  const b = useBot();
  const run = (who: Parameters<typeof b.as>[0], line: string) => runSlashCommand(b.deps, b.as(who), line);
  const press = async (who: Parameters<typeof b.as>[0], id: 'approve-action-change' | 'return-action-change') => {
    const sent = b.outbox.messages('action-change').at(-1)!;
    const button = sent.message.blocks.flatMap((x) => (x.type === 'actions' ? x.actions : [])).find((a) => a.id === id)!;
    return said(await createDispatcher(b.deps).action(b.as(who), id, button.value));
  };

  it('sends the owner’s new date to the theme’s director; approved, the due date moves and the original stays; the owner is told', async () => {
    await b.deps.repo.actions.upsert(actions(b.council), b.clock.now());
    const asked = said(await run(b.council.owner, '/kpi update EEP 02 due 30 June 2018 partner funding confirmed late'));
    expect(asked).toContain('Sent to the theme’s director to approve: move EEP 02 from 31 Mar 2018 to 30 Jun 2018');
    expect((await b.deps.repo.actions.byRef('EEP 02'))!.due).toBe('2018-03-31');
    const toDirector = b.outbox.messages('action-change');
    expect(toDirector.map((m) => m.personId)).toEqual([b.council.director.id]);
    expect(JSON.stringify(toDirector[0]!.message)).toContain('Reason: partner funding confirmed late');
    // The action itself says what waits; only whoever decides gets the buttons there.
    const buttons = (r: Awaited<ReturnType<typeof run>>) => JSON.stringify(r).includes('approve-action-change');
    const seenByDirector = await run(b.council.director, '/kpi actions EEP 02');
    expect(said(seenByDirector)).toContain(`⏳ Waiting for approval: **move EEP 02 from 31 Mar 2018 to 30 Jun 2018** — asked by ${b.council.owner.displayName} on 5 Feb 2018: partner funding confirmed late`);
    expect(buttons(seenByDirector)).toBe(true);
    const seenByOfficer = await run(b.council.officer, '/kpi actions EEP 02');
    expect(said(seenByOfficer)).toContain('⏳ Waiting for approval');
    expect(buttons(seenByOfficer)).toBe(false);
    expect(await press(b.council.officer, 'approve-action-change')).toContain('Sorry, only the theme’s director or a performance admin');
    expect(await press(b.council.director, 'approve-action-change')).toContain('Approved: move EEP 02 from 31 Mar 2018 to 30 Jun 2018');
    expect(await press(b.council.director, 'approve-action-change')).toContain('was already');
    expect((await b.deps.repo.actions.byRef('EEP 02'))!).toMatchObject({ due: '2018-06-30', originalDue: '2018-03-31', rephaseReason: 'partner funding confirmed late' });
    expect(JSON.stringify(b.outbox.messages('action-change-decided').map((m) => [m.personId, m.message.text]))).toContain(`[${b.council.owner.id},`);
    expect(said(await run(b.council.officer, '/kpi actions re-phased'))).toContain('EEP 02');
  });

  it('holds "no longer viable" from an owner for the director, who returns it: nothing changes; a director’s own is recorded at once', async () => {
    await b.deps.repo.actions.upsert(actions(b.council), b.clock.now());
    expect(said(await run(b.council.owner, '/kpi update EEP 02 no longer viable funding withdrawn by the partner'))).toContain('Sent to the theme’s director to approve: record EEP 02 as no longer viable');
    expect(await press(b.council.director, 'return-action-change')).toContain('Returned: record EEP 02 as no longer viable');
    expect((await b.deps.repo.actions.byRef('EEP 02'))!.latest).toBeNull();
    expect(said(await run(b.council.director, '/kpi update EEP 02 no longer viable funding withdrawn'))).toContain('✅ Saved EEP 02’s progress for 2017/18 Q3 (Oct–Dec 2017): No longer viable.');
    expect((await b.deps.repo.actions.byRef('EEP 02'))!.latest).toMatchObject({ progress: 'no_longer_viable', commentary: 'funding withdrawn' });
    expect(said(await run(b.council.officer, '/kpi update EEP 03 due 1 January 2018 late'))).toContain('has passed');
    expect(said(await run(b.council.admin, '/kpi update EEP 03 due 30 April 2018 x'))).toContain('Say why EEP 03 moves to 30 Apr 2018');
  });
});

describe('/kpi update <ref> alone: the form', () => {
  const b = useBot();
  it('opens with the quarter said in full, saves progress and % complete, asks why, and sends a new date for approval', async () => {
    await b.deps.repo.actions.upsert(actions(b.council), b.clock.now());
    const d = createDispatcher(b.deps);
    const opened = await runSlashCommand(b.deps, b.as(b.council.owner), '/kpi update EEP 02');
    expect(opened.kind).toBe('form');
    if (opened.kind !== 'form') return;
    expect(JSON.stringify(opened.form.intro)).toContain('2017/18 Q3 (Oct–Dec 2017)');
    expect(opened.form.fields.map((f) => f.id)).toEqual(['progress', 'percent', 'commentary', 'due', 'reason']);
    const submit = (values: Record<string, string>) => d.submitForm(b.as(b.council.owner), 'action-update', opened.form.state, values);
    expect(await submit({ progress: 'off_track', percent: '140', due: 'someday' })).toEqual({
      kind: 'form-errors',
      errors: { percent: 'A whole number from 0 to 100.', commentary: 'Say why it is off track.', due: 'A date such as 30 June 2018 or 30/06/2018.' },
    });
    expect(await submit({ progress: 'at_risk', commentary: 'Partner funding late', due: '30 June 2018' })).toEqual({ kind: 'form-errors', errors: { reason: 'Say why it moves: the report prints the reason.' } });
    const done = await submit({ progress: 'at_risk', percent: '40', commentary: 'Partner funding late', due: '30 June 2018', reason: 'partner funding confirmed late' });
    expect(done.kind).toBe('form-done');
    expect(JSON.stringify(done)).toContain('Saved EEP 02’s progress for 2017/18 Q3 (Oct–Dec 2017): At risk.');
    expect(JSON.stringify(done)).toContain('Sent to the theme’s director to approve: move EEP 02 from 31 Mar 2018 to 30 Jun 2018');
    expect((await b.deps.repo.actions.byRef('EEP 02'))!).toMatchObject({ due: '2018-03-31', latest: { progress: 'at_risk', percentComplete: 40 } });
    expect(b.outbox.messages('action-change').map((m) => m.personId)).toEqual([b.council.director.id]);
  });
});

describe('progress for a signed-off quarter', () => {
  const b = useBot();
  it('is refused to the owner with what to do, taken from a performance admin', async () => {
    await b.deps.repo.actions.upsert(actions(b.council), b.clock.now());
    await b.deps.repo.closePeriod({ periodKey: '2017/18 Q3', periodStart: '2017-10-01', periodEnd: '2017-12-31', closedById: b.council.admin.id, actorLabel: 'test', at: b.clock.now() });
    const refused = said(await runSlashCommand(b.deps, b.as(b.council.owner), '/kpi update EEP 02 on target fine'));
    expect(refused).toContain('2017/18 Q3 (Oct–Dec 2017) was signed off on 5 Feb 2018: EEP 02’s progress for it is as the report printed it.');
    expect(said(await runSlashCommand(b.deps, b.as(b.council.owner), '/kpi update EEP 02 no longer viable funding withdrawn'))).toContain('was signed off');
    expect((await b.deps.repo.actions.byRef('EEP 02'))!.latest).toBeNull();
    expect(said(await runSlashCommand(b.deps, b.as(b.council.admin), '/kpi update EEP 02 on target corrected by the performance team'))).toContain('Saved');
  });
});
