// Commentary on Slack, through the real HTTP interface against the fake Slack on the demo (its own date,
// 15 January 2018: 2017/18 Q3 is being reported, and Building Strong Communities' commentary is owed by
// its director, Tom Brennan): `/kpi commentary` opens a modal with one field per section, pre-filled with
// what is written; submitting it saves a draft or the commentary; someone else is refused, by the command
// and by a submission in another's name; and the chase's "Write commentary" button opens the modal.
import { beforeAll, describe, expect, it } from 'vitest';
import { backends, type TestDatabase } from '../support/db.ts';
import { TestClock } from '../support/app.ts';
import { slackId, useSlackDemo, type SlackHarness } from '../support/slack-app.ts';
import type { RecordedCall } from '../support/fake-slack.ts';
import { buttonPress, buttonValue, checked, textInput as field, viewSubmission } from '../support/slack-payloads.ts';

const TOM = slackId('Tom'); // director of Building Strong Communities
const LUCY = slackId('Lucy'); // an officer in his theme
const DAVID = slackId('David'); // director of Optimising technology

/** As sheets and people write it: markup characters, an ampersand, angle brackets, a mention-like token, a second line. */
const MESSY = 'Community safety figures are *late* from the police (Q3 <2 weeks> & counting, see <@U123>).\nRecorded crime is 4% up_on_last_year.';

const textOf = (c: RecordedCall) => JSON.stringify(c.args);

interface Modal {
  callback_id: string;
  private_metadata: string;
  blocks: { block_id?: string; label?: { text: string }; element?: { type: string; multiline?: boolean; initial_value?: string } }[];
}

describe.each(backends('pglite'))('commentary on Slack (%s)', (backend) => {
  const clock = new TestClock(new Date('2018-02-05T09:00:00Z'));
  const app = useSlackDemo(backend, clock);
  let db: TestDatabase;
  let s: SlackHarness;
  let strong: number;
  beforeAll(async () => {
    ({ db, s } = app);
    strong = (await db.prisma.theme.findFirstOrThrow({ where: { slug: 'strong-communities' } })).id;
  });

  const versions = () => db.prisma.commentary.findMany({ where: { themeId: strong, periodKey: '2017/18 Q3' }, orderBy: { version: 'asc' } });
  const opened = async (trigger: string): Promise<Modal> => (await s.fake.waitFor('views.open', (c) => c.args.trigger_id === trigger)).args.view as Modal;
  const stateOf = (m: Modal) => (JSON.parse(m.private_metadata) as { s: string }).s;
  const fieldsOf = (m: Modal) => m.blocks.filter((b) => /^s\d$/.test(b.block_id ?? '')).map((b) => [b.label!.text, b.element!.type, b.element!.multiline, b.element!.initial_value ?? '']);

  it('opens a modal with one field per section, pre-filled with the draft, and saves a draft then the commentary', async () => {
    // One section written inline first: a draft.
    await s.slash(TOM, 'commentary strong-communities doing well: Volunteering is up on last year across every ward.');
    expect(textOf(await s.fake.waitFor('response_url'))).toContain('Draft saved for *Building Strong Communities*');

    await s.slash(TOM, 'commentary', { triggerId: 'trig-c1' });
    const modal = await opened('trig-c1');
    expect(modal.callback_id).toBe('commentary');
    expect(fieldsOf(modal)).toEqual([
      ['Key messages', 'plain_text_input', true, ''],
      ['Doing well', 'plain_text_input', true, 'Volunteering is up on last year across every ward.'],
      ['Could do better', 'plain_text_input', true, ''],
    ]);

    // Saved as a draft with a section still empty: kept, and said what is left.
    const state = stateOf(modal);
    const draft = await s.interact(viewSubmission(TOM, 'commentary', { s0: field('Thrive is live in three of four localities.'), s1: field('Volunteering is up on last year across every ward.'), s2: field(''), draft: checked('draft') }, state));
    expect([draft.status, draft.text]).toEqual([200, '']);
    expect((await versions()).map((v) => [v.version, v.state])).toEqual([
      [1, 'draft'],
      [2, 'draft'],
    ]);
    expect(textOf(await s.fake.waitFor('chat.postMessage', (c) => c.args.channel === TOM))).toContain('Still to write: “Could do better”');

    // Submitted with a section empty: the error beside its field, nothing saved.
    const empty = await s.interact(viewSubmission(TOM, 'commentary', { s0: field('Thrive is live in three of four localities.'), s1: field('Volunteering is up.'), s2: field('') }, state));
    expect((empty.json as { response_action: string; errors: Record<string, string> }).errors).toEqual({ s2: expect.stringContaining('Write “Could do better” before submitting') });
    expect(await versions()).toHaveLength(2);

    const done = await s.interact(viewSubmission(TOM, 'commentary', { s0: field('Thrive is live in three of four localities.'), s1: field('Volunteering is up on last year across every ward.'), s2: field(MESSY) }, state));
    expect([done.status, done.text]).toEqual([200, '']);
    const saved = (await versions()).at(-1)!;
    const tom = await db.prisma.person.findFirstOrThrow({ where: { displayName: 'Tom Brennan' } });
    expect([saved.version, saved.state, saved.authorId, saved.source]).toEqual([3, 'submitted', tom.id, 'chat:slack']);
    expect((saved.sections as { text: string }[])[2]!.text).toBe(MESSY);
    expect(textOf(await s.fake.waitFor('chat.postMessage', (c) => c.args.channel === TOM && textOf(c).includes('✅')))).toContain('Commentary submitted for *Building Strong Communities*');

    // Opened again: the submitted text, every section.
    await s.slash(TOM, 'commentary strong-communities', { triggerId: 'trig-c2' });
    expect(fieldsOf(await opened('trig-c2')).map((f) => f[3])).toEqual(['Thrive is live in three of four localities.', 'Volunteering is up on last year across every ward.', MESSY]);
  });

  it('refuses anyone else: the command, and a submission of the director’s form in their name', async () => {
    await s.slash(LUCY, 'commentary strong-communities', { triggerId: 'trig-c3' });
    expect(textOf(await s.fake.waitFor('response_url'))).toContain('Sorry, only Tom Brennan (the theme’s director), their deputy or a performance admin can write the commentary for Building Strong Communities.');
    expect(s.fake.callsTo('views.open')).toEqual([]);

    await s.slash(TOM, 'commentary', { triggerId: 'trig-c4' });
    const state = stateOf(await opened('trig-c4'));
    const before = await versions();
    const r = await s.interact(viewSubmission(LUCY, 'commentary', { s0: field('Not mine to write at all.'), s1: field('Not mine to write at all.'), s2: field('Not mine to write at all.') }, state));
    expect(r.status).toBe(200);
    expect(JSON.stringify(r.json ?? r.text) + textOf(await s.fake.waitFor('chat.postMessage', (c) => c.args.channel === LUCY))).toContain('Sorry, only Tom Brennan');
    expect(await versions()).toEqual(before);

    // The chase's button, pressed by someone else (a forwarded message): refused, no modal.
    s.fake.reset();
    await s.interact(buttonPress(LUCY, 'open-commentary', JSON.stringify({ themeId: strong, periodKey: '2017/18 Q3' }), { triggerId: 'trig-c6' }));
    await s.fake.waitFor('chat.postMessage', (c) => c.args.channel === LUCY && textOf(c).includes('Sorry, only Tom Brennan'));
    expect(s.fake.callsTo('views.open')).toEqual([]);
  });

  it('opens the modal from the chase’s “Write commentary” button', async () => {
    // On 5 February (by the app's clock, past the demo's date) the quarter's commentary is due: chase-actions asks the directors who owe it.
    expect((await s.app.runner.run('chase-actions', new Date('2018-02-05T10:00:00Z'))).outcome).toBe('ok');
    await s.app.runner.run('drain-outbox', new Date('2018-02-05T10:00:00Z'));
    const chase = await s.fake.waitFor('chat.postMessage', (c) => c.args.channel === DAVID && textOf(c).includes('open-commentary'));
    expect(textOf(chase)).toContain('Optimising technology');
    const value = buttonValue(chase.args.blocks, 'open-commentary')!;
    await s.interact(buttonPress(DAVID, 'open-commentary', value, { triggerId: 'trig-c5' }));
    const modal = await opened('trig-c5');
    expect(modal.callback_id).toBe('commentary');
    expect(JSON.stringify(modal.blocks)).toContain('Optimising technology');
    expect(fieldsOf(modal).map((f) => f[0])).toEqual(['Key messages', 'Doing well', 'Could do better']);
    // Tom's is submitted: he is not chased for it.
    expect(s.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === TOM && textOf(c).includes('Building Strong Communities'))).toEqual([]);
  });
});
