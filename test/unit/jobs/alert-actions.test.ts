// alert-actions on the memory repository: a channel subscribed to `actions` hears once when an action
// turns off track, overdue or re-phased by more than 3 months, in one living post per spell that is
// edited (with a thread note) as the action changes and says when it is resolved. What held when alerting
// began is recorded, not posted; channels that did not ask for actions hear nothing.
import { beforeEach, describe, expect, it } from 'vitest';
import { aBot, type TestBot } from '../../support/bot.ts';
import { alertActions } from '../../../jobs/alert-actions.ts';
import type { ActionFields } from '../../../src/ports.ts';
import type { Progress } from '../../../src/domain/actions.ts';
import type { Council } from '../../support/council.ts';

const actionsOf = (c: Council): ActionFields[] => {
  const base = { kind: 'action' as const, description: null, themeId: c.theme.id, ownerId: c.owner.id, deputyId: c.deputy.id, start: null, isKey: false, active: true, indicatorIds: [] };
  return [
    { ...base, ref: 'EEP 02', title: 'Deliver the BID Year 1 action plan', due: '2018-03-31' },
    // Already overdue when alerting begins (a blank deputy, as sheets have them).
    { ...base, ref: 'EEP 03', title: 'Deliver the Work Programme', due: '2018-01-31', deputyId: null },
    // In no theme, addressing sickness absence: heard of only by a channel subscribed to that indicator (or to all).
    { ...base, ref: 'HR 7', title: 'Occupational health pilot', due: '2018-06-30', themeId: null, indicatorIds: [c.absence.id] },
  ];
};

describe('alert-actions', () => {
  let b: TestBot;
  let ids: Map<string, number>;
  const run = () => alertActions(b.deps, b.clock.now());
  const alerts = () => b.outbox.messages().filter((m) => m.purpose.startsWith('alert'));
  const update = async (ref: string, progress: Progress, commentary = 'Contractor went into administration') => {
    await b.repo.actions.saveUpdate({ actionId: ids.get(ref)!, periodKey: '2017/18 Q4', progress, percentComplete: null, commentary, authorId: b.council.owner.id, source: 'test', at: b.clock.now() }, { at: b.clock.now(), actorId: null, actorLabel: 'test' });
    b.clock.advance(3_600_000);
  };

  beforeEach(async () => {
    b = await aBot();
    const { admin, theme, absence } = b.council;
    await b.repo.subscribe({ platform: 'slack', channelId: 'CPERF', themeId: theme.id, indicatorId: null, events: ['actions'], channelName: 'performance', createdById: admin.id });
    // Subscribed to the theme for indicator events only: never told about actions.
    await b.repo.subscribe({ platform: 'slack', channelId: 'CDIR', themeId: theme.id, indicatorId: null, events: [], channelName: 'directorate', createdById: admin.id });
    await b.repo.subscribe({ platform: 'slack', channelId: 'CHR', themeId: null, indicatorId: absence.id, events: ['red', 'actions'], channelName: 'hr', createdById: admin.id });
    ids = (await b.repo.actions.upsert(actionsOf(b.council), b.clock.now())).ids;
  });

  it('records where every action stands on its first run without posting any of it', async () => {
    expect(await run()).toMatchObject({ actions: 3, changes: 3, alerts: 0, updates: 0 });
    const held = await b.repo.conditionChanges.latest('action');
    expect(['EEP 02', 'EEP 03', 'HR 7'].map((ref) => held.get(ids.get(ref)!)!.conditions)).toEqual([[], ['overdue'], []]);
    expect(await run()).toMatchObject({ changes: 0, alerts: 0 });
    expect(alerts()).toEqual([]);
  });

  it('posts once when an action turns off track, edits the post as it changes, and says when it is resolved', async () => {
    await run();
    await update('EEP 02', 'off_track');
    expect(await run()).toMatchObject({ changes: 1, alerts: 1, updates: 0 });
    const [post] = alerts();
    expect([post!.purpose, post!.channel, post!.message.text]).toEqual(['alert', 'CPERF', 'Action EEP 02 is off track: Deliver the BID Year 1 action plan.']);
    expect(JSON.stringify(post!.message)).toContain('Contractor went into administration');
    expect(post!.message.blocks.flatMap((x) => (x.type === 'actions' ? x.actions.map((a) => a.id) : []))).toEqual(['open-action-update']);
    expect(await run()).toMatchObject({ changes: 0, alerts: 0, updates: 0 });

    // Its due date passes: the same post, edited, and a note in its thread.
    b.clock.set(new Date('2018-04-03T09:00:00Z'));
    expect(await run()).toMatchObject({ changes: 1, alerts: 0, updates: 1 });
    const [edit, note] = alerts().slice(1);
    expect([edit!.purpose, edit!.action, edit!.parentId, note!.purpose, note!.action, note!.parentId]).toEqual(['alert-update', 'update', post!.id, 'alert-reply', 'reply', post!.id]);
    expect(note!.message.text).toBe('🔴 Update. Now off track and overdue (was off track).');

    // Delivered: nothing holds any more; the post says so.
    await update('EEP 02', 'delivered', 'Plan delivered in April');
    expect(await run()).toMatchObject({ changes: 1, updates: 1 });
    const [resolved, thread] = alerts().slice(3);
    expect(resolved!.message.blocks.map((x) => (x.type === 'header' ? x.text : '')).join('')).toBe('✅ Resolved: EEP 02 Deliver the BID Year 1 action plan');
    expect(thread!.message.text).toBe('✅ Resolved. Now delivered (was off track and overdue). New progress update: delivered.');
    // The channel subscribed for indicator events only never heard of it.
    expect(alerts().filter((m) => m.channel !== 'CPERF')).toEqual([]);
  });

  it('posts a condition newly holding for an action that was already overdue when alerting began, and a new spell as a new post', async () => {
    await run();
    await update('EEP 03', 'off_track');
    expect(await run()).toMatchObject({ alerts: 1 });
    expect(alerts()[0]!.message.text).toBe('Action EEP 03 is off track and overdue: Deliver the Work Programme.');
    await update('EEP 03', 'on_target', 'Back on track');
    await run();
    await update('EEP 03', 'delivered', 'Done');
    await run();
    await update('EEP 03', 'off_track', 'Reopened: the audit found gaps');
    expect(await run()).toMatchObject({ alerts: 1 });
    const posts = alerts().filter((m) => m.action === 'post');
    expect(posts).toHaveLength(2);
    expect(new Set(posts.map((p) => p.key)).size).toBe(2);
  });

  it('reaches a channel subscribed to an indicator the action addresses, in the words the organisation uses', async () => {
    await b.repo.updateOrg({ actionWord: 'milestone' });
    await run();
    // Re-phased from 30 June to 31 October: more than 3 months.
    await b.repo.actions.upsert([{ ...actionsOf(b.council)[2]!, due: '2018-10-31', rephaseReason: 'Procurement restarted' }], b.clock.now());
    expect(await run()).toMatchObject({ alerts: 1 });
    const [post] = alerts();
    expect([post!.channel, post!.message.text]).toEqual(['CHR', 'Milestone HR 7 is re-phased by more than 3 months: Occupational health pilot.']);
    expect(JSON.stringify(post!.message)).toContain('first due 30 Jun 2018');
  });

  it('does not alert as overdue an action due before collection began', async () => {
    b.clock.set(new Date('2018-03-20T09:00:00Z'));
    await b.repo.updateOrg({ collectFrom: '2018/19 Q1', collectingSince: '2018-03-20' });
    await run();
    b.clock.set(new Date('2018-04-03T09:00:00Z'));
    expect(await run()).toMatchObject({ changes: 0, alerts: 0 });
    await update('EEP 02', 'off_track');
    expect(await run()).toMatchObject({ alerts: 1 });
    expect(alerts()[0]!.message.text).toBe('Action EEP 02 is off track: Deliver the BID Year 1 action plan.');
  });
});
