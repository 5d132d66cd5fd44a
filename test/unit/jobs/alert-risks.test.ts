// The `risks` alert event, in the alert-actions run on the memory repository: a channel subscribed to
// `risks` hears once when a risk's review raises it above the appetite or into a higher band, in one
// living post per spell that is edited (with a thread note) at later reviews and says when it is
// resolved. Where risks stood when alerting began is recorded, not posted (no flood at go-live); a
// channel that did not ask for risks, or covers neither the risk's theme nor an indicator watching it,
// hears nothing.
import { beforeEach, describe, expect, it } from 'vitest';
import { aBot, type TestBot } from '../../support/bot.ts';
import { alertActions } from '../../../jobs/alert-actions.ts';
import { readRisks } from '../../../src/alerting/evaluation.ts';
import { defaultMatrix } from '../../../src/domain/risks.ts';
import type { RiskFields, RiskRecord } from '../../../src/ports.ts';

describe('risk alerts', () => {
  let b: TestBot;
  let ids: Map<string, number>;
  const run = () => alertActions(b.deps, b.clock.now());
  const alerts = () => b.outbox.messages().filter((m) => m.purpose.startsWith('alert'));
  const review = async (ref: string, likelihood: number, impact: number, commentary = 'Two leavers in December') => {
    b.clock.advance(86_400_000);
    await b.repo.risks.saveReview({ riskId: ids.get(ref)!, reviewedOn: b.clock.now().toISOString().slice(0, 10), likelihood, impact, commentary, authorId: b.council.owner.id, source: 'test', at: b.clock.now() }, { at: b.clock.now(), actorId: null, actorLabel: 'test' });
  };

  beforeEach(async () => {
    b = await aBot({ now: '2018-01-15T10:00:00Z' });
    const { admin, theme, absence } = b.council;
    await b.repo.subscribe({ platform: 'slack', channelId: 'CRISK', themeId: theme.id, indicatorId: null, events: ['risks'], channelName: 'risks', createdById: admin.id });
    // Subscribed to the theme for indicator events only: never told about risks.
    await b.repo.subscribe({ platform: 'slack', channelId: 'CDIR', themeId: theme.id, indicatorId: null, events: [], channelName: 'directorate', createdById: admin.id });
    await b.repo.subscribe({ platform: 'slack', channelId: 'CHR', themeId: null, indicatorId: absence.id, events: ['red', 'risks'], channelName: 'hr', createdById: admin.id });
    const base: RiskFields = { ref: '', title: '', description: null, themeId: theme.id, ownerId: b.council.owner.id, deputyId: null, controls: null, inherent: null, target: null, reviewMonths: 3, active: true, actionIds: [], indicatorIds: [] };
    ids = (
      await b.repo.risks.upsert(
        [
          { ...base, ref: 'CIP06', title: 'Communication and Engagement', inherent: { likelihood: 3, impact: 3 } },
          // Above the appetite when alerting begins.
          { ...base, ref: 'CIP02', title: 'Lack of performance system', inherent: { likelihood: 4, impact: 4 } },
          // In no theme, watched by sickness absence: heard of only by a channel subscribed to that indicator (or to all).
          { ...base, ref: 'HR R1', title: 'Long-term sickness leaves teams short', themeId: null, inherent: { likelihood: 2, impact: 2 }, indicatorIds: [absence.id] },
        ],
        b.clock.now(),
      )
    ).ids;
  });

  it('records where every risk stands on its first run without posting any of it', async () => {
    expect(await run()).toMatchObject({ risks: 3, riskChanges: 3, riskAlerts: 0 });
    const held = await b.repo.conditionChanges.latest('risk');
    expect(['CIP06', 'CIP02', 'HR R1'].map((ref) => held.get(ids.get(ref)!)!.conditions)).toEqual([[], ['above_appetite'], []]);
    expect(await run()).toMatchObject({ riskChanges: 0, riskAlerts: 0 });
    expect(alerts()).toEqual([]);
  });

  it('posts once when a review raises a risk above the appetite, edits it at the next review, and says when it is resolved', async () => {
    await run();
    await review('CIP06', 4, 4);
    expect(await run()).toMatchObject({ riskChanges: 1, riskAlerts: 1, riskUpdates: 0 });
    const [post] = alerts();
    expect([post!.purpose, post!.channel, post!.message.text]).toEqual(['alert', 'CRISK', 'Risk CIP06 is above the risk appetite (scores over 9): Communication and Engagement.']);
    expect(JSON.stringify(post!.message)).toContain('Now 16 (4×4) Very high');
    expect(JSON.stringify(post!.message)).toContain('Two leavers in December');
    expect(post!.message.blocks.flatMap((x) => (x.type === 'actions' ? x.actions.map((a) => a.id) : []))).toEqual(['open-risk-review']);
    // Run again: nothing new (once).
    expect(await run()).toMatchObject({ riskChanges: 0, riskAlerts: 0, riskUpdates: 0 });

    // The next review keeps it above the appetite: the post is edited and the thread says what changed.
    await review('CIP06', 4, 3, 'Recruitment under way');
    expect(await run()).toMatchObject({ riskChanges: 1, riskAlerts: 0, riskUpdates: 1 });
    const [edit, note] = alerts().slice(1);
    expect([edit!.purpose, edit!.action, edit!.parentId, note!.purpose, note!.parentId]).toEqual(['alert-update', 'update', post!.id, 'alert-reply', post!.id]);
    expect(note!.message.text).toContain('Now 12 (4×3) High');

    // Back within the appetite: resolved, in the same post.
    await review('CIP06', 3, 3, 'Team at full strength');
    expect(await run()).toMatchObject({ riskChanges: 1, riskAlerts: 0, riskUpdates: 1 });
    expect(alerts().at(-2)!.message.text).toMatch(/^Resolved: risk CIP06/);
    expect(alerts().filter((m) => m.purpose === 'alert')).toHaveLength(1);
  });

  it('tells the channel watching its indicator when a risk rises into a higher band within the appetite', async () => {
    await run();
    await review('HR R1', 2, 3); // 4 (Low) → 6 (Medium): a higher band, within the appetite of 9
    expect(await run()).toMatchObject({ riskAlerts: 0 }); // its first review: nothing before it to rise from
    await review('HR R1', 2, 4); // 6 → 8, still Medium: no new band
    expect(await run()).toMatchObject({ riskAlerts: 0 });
    await review('HR R1', 3, 4); // 8 → 12: High, above the appetite
    expect(await run()).toMatchObject({ riskAlerts: 1 });
    expect(alerts().map((m) => m.channel)).toEqual(['CHR']);
  });
});

describe('reading a risk for alerting', () => {
  const at = (likelihood: number, impact: number, reviewedOn: string) => ({ id: 1, riskId: 1, reviewedOn, likelihood, impact, commentary: '', authorId: null, source: 'test', createdAt: new Date(0) });
  const risk = (over: Partial<RiskRecord>): RiskRecord => ({ id: 1, ref: 'R1', title: 'r', description: null, themeId: null, themeName: null, ownerId: null, deputyId: null, directorId: null, controls: null, inherent: null, target: null, reviewMonths: 3, active: true, createdOn: '2018-01-01', actionIds: [], indicatorIds: [], latest: null, previous: null, ...over });
  const m = defaultMatrix(5);

  it('holds above the appetite while it is, and a rise into a higher band until the next review', () => {
    const [never, rose, fell, same] = readRisks(
      [
        risk({ inherent: { likelihood: 5, impact: 5 } }),
        risk({ latest: { ...at(2, 3, '2018-02-01'), id: 2 }, previous: at(2, 2, '2018-01-01') }),
        risk({ latest: { ...at(2, 2, '2018-02-01'), id: 2 }, previous: at(4, 4, '2018-01-01') }),
        risk({ latest: { ...at(3, 3, '2018-02-01'), id: 2 }, previous: at(3, 2, '2018-01-01') }),
      ],
      m,
    );
    expect([never!.conditions, rose!.conditions, fell!.conditions, same!.conditions]).toEqual([['above_appetite'], ['rose_band'], [], []]);
    expect(rose!.detail).toEqual({ score: 6, band: 'Medium', review: 2 });
    expect(fell!.detail).toEqual({});
  });
});
